package orchestrator_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/agent/calendaragent"
	"github.com/workspace-orchestrator/orchestrator/domain/agent/driveagent"
	"github.com/workspace-orchestrator/orchestrator/domain/agent/gmailagent"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
)

// workspace is one user's Gmail, Calendar and Drive held in memory; it plays
// the cache (reader, writer, searcher, contacts) and Google (mailer,
// scheduler, sharer) at once, and counts the writes.
type workspace struct {
	mu      sync.Mutex
	emails  []domain.Email
	events  []domain.Event
	files   []domain.File
	drafts  map[string]domain.Draft
	sent    map[string]domain.Email // draft id -> sent message
	perms   map[string][]domain.Permission
	writes  int                              // calls to Google that changed something
	failOn  map[domain.Service]error         // searches of these services fail
	blockOn map[domain.Service]chan struct{} // searches of these services wait for the channel
	// readDelay is how long reads before a write take (Permissions,
	// DeleteEvent's lookup), so that concurrent confirmations overlap.
	readDelay time.Duration
}

func (w *workspace) Search(ctx context.Context, _ uuid.UUID, f domain.Filter, limit int) ([]agent.Item, error) {
	query, services := f.Query, f.Services
	w.mu.Lock()
	block := w.blockOn[services[0]]
	err := w.failOn[services[0]]
	w.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	words := agent.Words(query)
	type hit struct {
		it    agent.Item
		score int
	}
	var hits []hit
	consider := func(it agent.Item, text string, people []string, at time.Time) {
		if !f.After.IsZero() && at.Before(f.After) || !f.Before.IsZero() && !at.Before(f.Before) {
			return
		}
		for _, want := range append(append([]string{}, f.From...), f.Attendees...) {
			if !slices.ContainsFunc(people, func(p string) bool { return strings.Contains(strings.ToLower(p), strings.ToLower(want)) }) {
				return
			}
		}
		score := 0
		text = strings.ToLower(text)
		for _, wd := range words {
			if strings.Contains(text, wd) {
				score++
			}
		}
		if len(words) > 0 && score == 0 {
			return
		}
		hits = append(hits, hit{it, score})
	}
	for _, s := range services {
		switch s {
		case domain.ServiceGmail:
			for _, e := range w.emails {
				it := gmailagent.Item(e)
				consider(it, e.Subject+" "+e.Body, []string{e.From.Email, e.From.Name}, e.ReceivedAt)
			}
		case domain.ServiceCalendar:
			for _, e := range w.events {
				it := calendaragent.Item(e)
				consider(it, e.Title+" "+e.Description+" "+e.Location, it.People, e.Start)
			}
		case domain.ServiceDrive:
			for _, fl := range w.files {
				consider(driveagent.Item(fl), fl.Name+" "+fl.Content, fl.Owners, fl.ModifiedAt)
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return hits[i].score > hits[j].score
		}
		return hits[i].it.At.After(hits[j].it.At)
	})
	var out []agent.Item
	for i, h := range hits {
		if i == limit {
			break
		}
		out = append(out, h.it)
	}
	return out, nil
}

func (w *workspace) Resolve(_ context.Context, _ uuid.UUID, name string) ([]domain.Address, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	seen := map[string]bool{}
	var out []domain.Address
	add := func(a domain.Address) {
		first := strings.ToLower(strings.Fields(a.Name + " x")[0])
		if (first == strings.ToLower(name) || strings.EqualFold(a.Email, name)) && !seen[a.Email] {
			seen[a.Email] = true
			out = append(out, a)
		}
	}
	for _, e := range w.emails {
		add(e.From)
		for _, a := range e.To {
			add(a)
		}
	}
	return out, nil
}

func (w *workspace) Email(_ context.Context, _, id uuid.UUID) (domain.Email, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, e := range w.emails {
		if e.ID == id {
			return e, nil
		}
	}
	return domain.Email{}, domain.ErrNotFound
}

func (w *workspace) Event(_ context.Context, _, id uuid.UUID) (domain.Event, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, e := range w.events {
		if e.ID == id {
			return e, nil
		}
	}
	return domain.Event{}, domain.ErrNotFound
}

func (w *workspace) File(_ context.Context, _, id uuid.UUID) (domain.File, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range w.files {
		if f.ID == id {
			return f, nil
		}
	}
	return domain.File{}, domain.ErrNotFound
}

func (w *workspace) Emails(context.Context, uuid.UUID, domain.Filter, domain.Page) ([]domain.Email, domain.PageInfo, error) {
	return nil, domain.PageInfo{}, fmt.Errorf("not used")
}

func (w *workspace) Events(context.Context, uuid.UUID, domain.Filter, domain.Page) ([]domain.Event, domain.PageInfo, error) {
	return nil, domain.PageInfo{}, fmt.Errorf("not used")
}

func (w *workspace) Files(context.Context, uuid.UUID, domain.Filter, domain.Page) ([]domain.File, domain.PageInfo, error) {
	return nil, domain.PageInfo{}, fmt.Errorf("not used")
}

func (w *workspace) CreateDraft(_ context.Context, _ uuid.UUID, d domain.Draft) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	id := fmt.Sprintf("draft-%d", len(w.drafts)+1)
	w.drafts[id] = d
	return id, nil
}

func (w *workspace) SendDraft(_ context.Context, userID uuid.UUID, id string) (domain.Email, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if e, ok := w.sent[id]; ok {
		return e, nil
	}
	d, ok := w.drafts[id]
	if !ok {
		return domain.Email{}, domain.ErrNotFound
	}
	w.writes++
	e := domain.Email{ID: uuid.New(), UserID: userID, EmailID: "sent-" + id, Subject: d.Subject, Body: d.Body, To: d.To,
		From: domain.Address{Email: "me@example.com"}, Labels: []string{"SENT"}}
	w.sent[id] = e
	w.emails = append(w.emails, e) // a Mailer caches what it sent
	return e, nil
}

func (w *workspace) CreateEvent(_ context.Context, _ uuid.UUID, ev domain.Event) (domain.Event, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, e := range w.events {
		if e.EventID == ev.EventID {
			return e, nil
		}
	}
	w.writes++
	ev.ID = uuid.New()
	w.events = append(w.events, ev)
	return ev, nil
}

func (w *workspace) UpdateEvent(_ context.Context, _ uuid.UUID, _, eventID string, p domain.EventPatch) (domain.Event, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, e := range w.events {
		if e.EventID == eventID {
			w.writes++
			e.Start, e.End, e.TimeZone = *p.Start, *p.End, *p.TimeZone
			w.events[i] = e
			return e, nil
		}
	}
	return domain.Event{}, domain.ErrNotFound
}

func (w *workspace) DeleteEvent(_ context.Context, _ uuid.UUID, _, eventID string) error {
	time.Sleep(w.readDelay)
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, e := range w.events {
		if e.EventID == eventID {
			w.writes++
			w.events = slices.Delete(w.events, i, i+1)
			return nil
		}
	}
	return domain.ErrNotFound
}

func (w *workspace) Permissions(_ context.Context, _ uuid.UUID, fileID string) ([]domain.Permission, error) {
	w.mu.Lock()
	perms := slices.Clone(w.perms[fileID])
	w.mu.Unlock()
	time.Sleep(w.readDelay)
	return perms, nil
}

func (w *workspace) Share(_ context.Context, _ uuid.UUID, fileID, email, role string) (domain.Permission, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes++
	p := domain.Permission{ID: fmt.Sprintf("p%d", w.writes), Email: email, Role: role}
	w.perms[fileID] = append(w.perms[fileID], p)
	return p, nil
}

func (w *workspace) writeCount() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.writes
}

func (w *workspace) event(eventID string) (domain.Event, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, e := range w.events {
		if e.EventID == eventID {
			return e, true
		}
	}
	return domain.Event{}, false
}

// conversations is an in-memory domain.ConversationStore.
type conversations struct {
	mu    sync.Mutex
	convs map[uuid.UUID]domain.Conversation
	msgs  []domain.Message
	// failDone is how many writes of a DONE message fail next, as while
	// PostgreSQL restarts.
	failDone int
}

func (c *conversations) CreateConversation(_ context.Context, userID uuid.UUID, title string) (domain.Conversation, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cv := domain.Conversation{ID: uuid.New(), UserID: userID, Title: title}
	c.convs[cv.ID] = cv
	return cv, nil
}

func (c *conversations) Conversation(_ context.Context, userID, id uuid.UUID) (domain.Conversation, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cv, ok := c.convs[id]
	if !ok || cv.UserID != userID {
		return domain.Conversation{}, domain.ErrNotFound
	}
	return cv, nil
}

func (c *conversations) Conversations(context.Context, uuid.UUID, domain.Page) ([]domain.Conversation, domain.PageInfo, error) {
	return nil, domain.PageInfo{}, fmt.Errorf("not used")
}

func (c *conversations) CreateMessage(_ context.Context, m domain.Message) (domain.Message, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cv, ok := c.convs[m.ConversationID]; !ok || cv.UserID != m.UserID {
		return domain.Message{}, false, fmt.Errorf("conversation %s: %w", m.ConversationID, domain.ErrNotFound)
	}
	return c.insert(m)
}

func (c *conversations) StartConversation(_ context.Context, title string, m domain.Message) (domain.Message, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cv := domain.Conversation{ID: uuid.New(), UserID: m.UserID, Title: title}
	m.ConversationID = cv.ID
	msg, created, err := c.insert(m)
	if created {
		c.convs[cv.ID] = cv
	}
	return msg, created, err
}

// insert adds m unless its client request id was used; c.mu is held.
func (c *conversations) insert(m domain.Message) (domain.Message, bool, error) {
	for _, x := range c.msgs {
		if m.ClientRequestID != "" && x.UserID == m.UserID && x.ClientRequestID == m.ClientRequestID {
			return x, false, nil
		}
	}
	c.msgs = append(c.msgs, m)
	return m, true, nil
}

func (c *conversations) Message(_ context.Context, userID, id uuid.UUID) (domain.Message, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range c.msgs {
		if m.ID == id && m.UserID == userID {
			return m, nil
		}
	}
	return domain.Message{}, domain.ErrNotFound
}

func (c *conversations) Messages(_ context.Context, userID, convID uuid.UUID, _ domain.Page) ([]domain.Message, domain.PageInfo, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []domain.Message
	for _, m := range c.msgs {
		if m.UserID == userID && m.ConversationID == convID {
			out = append(out, m)
		}
	}
	return out, domain.PageInfo{TotalCount: len(out)}, nil
}

func (c *conversations) UpdateMessage(_ context.Context, m domain.Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m.Status == domain.MessageDone && c.failDone > 0 {
		c.failDone--
		return fmt.Errorf("connection refused: %w", domain.ErrUnavailable)
	}
	for i, x := range c.msgs {
		if x.ID == m.ID {
			c.msgs[i] = m
			return nil
		}
	}
	return domain.ErrNotFound
}

func (c *conversations) ModifyMessage(_ context.Context, userID, id uuid.UUID, fn func(*domain.Message) (bool, error)) (domain.Message, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, m := range c.msgs {
		if m.ID == id && m.UserID == userID {
			changed, err := fn(&m)
			if err != nil {
				return domain.Message{}, err
			}
			if changed {
				c.msgs[i] = m
			}
			return m, nil
		}
	}
	return domain.Message{}, domain.ErrNotFound
}

func (c *conversations) TouchMessages(_ context.Context, ids []uuid.UUID, at time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, m := range c.msgs {
		if slices.Contains(ids, m.ID) && !m.Status.Ended() && m.UpdatedAt.Before(at) {
			c.msgs[i].UpdatedAt = at
		}
	}
	return nil
}

func (c *conversations) UnfinishedMessages(_ context.Context, before time.Time, limit int) ([]domain.Message, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []domain.Message
	for _, m := range c.msgs {
		if !m.Status.Ended() && m.UpdatedAt.Before(before) && len(out) < limit {
			out = append(out, m)
		}
	}
	return out, nil
}

// publisher records every event per message.
type publisher struct {
	mu       sync.Mutex
	events   map[uuid.UUID][]orchestrator.Event
	onEvent  func(uuid.UUID, orchestrator.Event) // optional, for benchmarks
	failures int                                 // the next Publish calls that fail, as while Redis is down
}

func (p *publisher) Publish(_ context.Context, id uuid.UUID, evs ...orchestrator.Event) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.failures > 0 {
		p.failures--
		return errors.New("redis: connection refused")
	}
	p.events[id] = append(p.events[id], evs...)
	if p.onEvent != nil {
		for _, ev := range evs {
			p.onEvent(id, ev)
		}
	}
	return nil
}

func (p *publisher) of(id uuid.UUID) []orchestrator.Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.events[id])
}

// contextStore and intentCache are in-memory stand-ins for the Redis adapters.
type contextStore struct {
	mu sync.Mutex
	m  map[uuid.UUID]intent.ConversationContext
}

func (s *contextStore) Context(_ context.Context, _, convID uuid.UUID) (intent.ConversationContext, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.m[convID]
	return c, ok, nil
}

func (s *contextStore) SaveContext(_ context.Context, _, convID uuid.UUID, c intent.ConversationContext) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[convID] = c
	return nil
}

type intentCache struct {
	mu   sync.Mutex
	m    map[string]intent.Intent
	hits int
}

func (c *intentCache) Intent(_ context.Context, key string) (intent.Intent, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	in, ok := c.m[key]
	if ok {
		c.hits++
	}
	return in, ok, nil
}

func (c *intentCache) SaveIntent(_ context.Context, key string, in intent.Intent) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = in
	return nil
}

type users struct{ tz string }

func (u users) UserByID(_ context.Context, id uuid.UUID) (domain.User, error) {
	return domain.User{ID: id, TimeZone: u.tz}, nil
}

// cancelBus is an in-memory Cancels shared by the orchestrators of a test.
type cancelBus struct {
	mu   sync.Mutex
	subs []func(uuid.UUID)
}

func (c *cancelBus) RequestCancel(_ context.Context, id uuid.UUID) error {
	c.mu.Lock()
	subs := slices.Clone(c.subs)
	c.mu.Unlock()
	for _, fn := range subs {
		fn(id)
	}
	return nil
}

func (c *cancelBus) ListenCancels(ctx context.Context, fn func(uuid.UUID)) error {
	c.mu.Lock()
	c.subs = append(c.subs, fn)
	c.mu.Unlock()
	<-ctx.Done()
	return ctx.Err()
}

func (c *cancelBus) listeners() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.subs)
}
