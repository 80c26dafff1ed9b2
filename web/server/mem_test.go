package server_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// memStore is a small in-memory implementation of the ports the resolvers
// call, with keyset pagination by row id and per-user scoping like the real
// store's contract. It counts batch calls so tests can see the dataloaders work.
type memStore struct {
	mu            sync.Mutex
	users         map[uuid.UUID]domain.User
	emails        []domain.Email
	events        []domain.Event
	files         []domain.File
	conversations []domain.Conversation
	messages      []domain.Message
	clock         domain.Clock

	batchEmails        atomic.Int32
	batchConversations atomic.Int32
	batchCounts        atomic.Int32
	singleConversation atomic.Int32
}

var _ interface {
	domain.UserStore
	domain.WorkspaceReader
	domain.ConversationStore
	domain.ConversationBatchReader
} = (*memStore)(nil)

func newMemStore(clock domain.Clock) *memStore {
	return &memStore{users: map[uuid.UUID]domain.User{}, clock: clock}
}

// page cuts one keyset page: the cursor is the id of the last item seen.
func page[T any](items []T, id func(T) uuid.UUID, p domain.Page) ([]T, domain.PageInfo, error) {
	start := 0
	if p.After != "" {
		after, err := uuid.Parse(p.After)
		if err != nil {
			return nil, domain.PageInfo{}, fmt.Errorf("cursor %q: %w", p.After, domain.ErrInvalidInput)
		}
		i := slices.IndexFunc(items, func(t T) bool { return id(t) == after })
		if i < 0 {
			return nil, domain.PageInfo{}, fmt.Errorf("cursor %q: %w", p.After, domain.ErrInvalidInput)
		}
		start = i + 1
	}
	first := p.First
	if first == 0 {
		first = 20
	}
	end := min(start+first, len(items))
	out := items[start:end]
	pi := domain.PageInfo{HasNextPage: end < len(items), TotalCount: len(items)}
	for _, it := range out {
		pi.Cursors = append(pi.Cursors, id(it).String())
	}
	if len(out) > 0 {
		pi.EndCursor = pi.Cursors[len(pi.Cursors)-1]
	}
	return out, pi, nil
}

func mine[T any](items []T, userID uuid.UUID, owner func(T) uuid.UUID, keep func(T) bool) []T {
	var out []T
	for _, it := range items {
		if owner(it) == userID && keep(it) {
			out = append(out, it)
		}
	}
	return out
}

func one[T any](items []T, userID, id uuid.UUID, owner, key func(T) uuid.UUID, what string) (T, error) {
	for _, it := range items {
		if key(it) == id && owner(it) == userID {
			return it, nil
		}
	}
	var zero T
	return zero, fmt.Errorf("%s %s: %w", what, id, domain.ErrNotFound)
}

func anyIn(have []string, want []string) bool {
	if len(want) == 0 {
		return true
	}
	return slices.ContainsFunc(have, func(h string) bool { return slices.Contains(want, h) })
}

func (m *memStore) UpsertUser(_ context.Context, email string) (domain.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, u := range m.users {
		if u.Email == email {
			return u, nil
		}
	}
	u := domain.User{ID: uuid.New(), Email: email, TimeZone: "Europe/Istanbul", CreatedAt: m.clock.Now()}
	m.users[u.ID] = u
	return u, nil
}

func (m *memStore) UserByID(_ context.Context, id uuid.UUID) (domain.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.users[id]
	if !ok {
		return domain.User{}, fmt.Errorf("user %s: %w", id, domain.ErrNotFound)
	}
	return u, nil
}

// setPlan changes a user's plan.
func (m *memStore) setPlan(id uuid.UUID, p domain.Plan) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u := m.users[id]
	u.Plan = p
	m.users[id] = u
}

// deleteUser forgets a user, as deleting the account does.
func (m *memStore) deleteUser(id uuid.UUID) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.users, id)
}

func (m *memStore) UserByEmail(context.Context, string) (domain.User, error) {
	return domain.User{}, domain.ErrNotFound
}

func (m *memStore) TouchUser(context.Context, uuid.UUID, time.Time) error { return nil }

func emailOwner(e domain.Email) uuid.UUID { return e.UserID }
func emailID(e domain.Email) uuid.UUID    { return e.ID }
func eventOwner(e domain.Event) uuid.UUID { return e.UserID }
func eventID(e domain.Event) uuid.UUID    { return e.ID }
func fileOwner(f domain.File) uuid.UUID   { return f.UserID }
func fileID(f domain.File) uuid.UUID      { return f.ID }
func convOwner(c domain.Conversation) uuid.UUID {
	return c.UserID
}
func convID(c domain.Conversation) uuid.UUID { return c.ID }
func msgOwner(m domain.Message) uuid.UUID    { return m.UserID }
func msgID(m domain.Message) uuid.UUID       { return m.ID }

func (m *memStore) Email(_ context.Context, userID, id uuid.UUID) (domain.Email, error) {
	return one(m.emails, userID, id, emailOwner, emailID, "email")
}

func (m *memStore) Event(_ context.Context, userID, id uuid.UUID) (domain.Event, error) {
	return one(m.events, userID, id, eventOwner, eventID, "event")
}

func (m *memStore) File(_ context.Context, userID, id uuid.UUID) (domain.File, error) {
	return one(m.files, userID, id, fileOwner, fileID, "file")
}

func (m *memStore) Emails(_ context.Context, userID uuid.UUID, f domain.Filter, p domain.Page) ([]domain.Email, domain.PageInfo, error) {
	return page(mine(m.emails, userID, emailOwner, func(e domain.Email) bool {
		return (len(f.From) == 0 || slices.Contains(f.From, e.From.Email)) &&
			anyIn(e.Labels, f.Labels) &&
			(f.Query == "" || strings.Contains(strings.ToLower(e.Subject), strings.ToLower(f.Query))) &&
			(f.After.IsZero() || !e.ReceivedAt.Before(f.After)) &&
			(f.Before.IsZero() || e.ReceivedAt.Before(f.Before)) &&
			(f.Unread == nil || *f.Unread == e.Unread)
	}), emailID, p)
}

func (m *memStore) Events(_ context.Context, userID uuid.UUID, f domain.Filter, p domain.Page) ([]domain.Event, domain.PageInfo, error) {
	return page(mine(m.events, userID, eventOwner, func(e domain.Event) bool {
		var who []string
		for _, a := range e.Attendees {
			who = append(who, a.Email)
		}
		return anyIn(who, f.Attendees)
	}), eventID, p)
}

func (m *memStore) Files(_ context.Context, userID uuid.UUID, f domain.Filter, p domain.Page) ([]domain.File, domain.PageInfo, error) {
	return page(mine(m.files, userID, fileOwner, func(x domain.File) bool {
		return len(f.MimeTypes) == 0 || slices.Contains(f.MimeTypes, x.MimeType)
	}), fileID, p)
}

func (m *memStore) CreateConversation(_ context.Context, userID uuid.UUID, title string) (domain.Conversation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock.Now()
	c := domain.Conversation{ID: uuid.New(), UserID: userID, Title: title, CreatedAt: now, UpdatedAt: now}
	m.conversations = append(m.conversations, c)
	return c, nil
}

func (m *memStore) Conversation(_ context.Context, userID, id uuid.UUID) (domain.Conversation, error) {
	m.singleConversation.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	return one(m.conversations, userID, id, convOwner, convID, "conversation")
}

func (m *memStore) Conversations(_ context.Context, userID uuid.UUID, p domain.Page) ([]domain.Conversation, domain.PageInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return page(mine(m.conversations, userID, convOwner, func(domain.Conversation) bool { return true }), convID, p)
}

func (m *memStore) CreateMessage(_ context.Context, msg domain.Message) (domain.Message, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := one(m.conversations, msg.UserID, msg.ConversationID, convOwner, convID, "conversation"); err != nil {
		return domain.Message{}, false, err
	}
	return m.insertMessage(msg)
}

func (m *memStore) StartConversation(_ context.Context, title string, msg domain.Message) (domain.Message, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock.Now()
	c := domain.Conversation{ID: uuid.New(), UserID: msg.UserID, Title: title, CreatedAt: now, UpdatedAt: now}
	msg.ConversationID = c.ID
	out, created, err := m.insertMessage(msg)
	if created {
		m.conversations = append(m.conversations, c)
	}
	return out, created, err
}

// insertMessage adds msg unless its client request id was used; m.mu is held.
func (m *memStore) insertMessage(msg domain.Message) (domain.Message, bool, error) {
	for _, x := range m.messages {
		if msg.ClientRequestID != "" && x.UserID == msg.UserID && x.ClientRequestID == msg.ClientRequestID {
			return x, false, nil
		}
	}
	m.messages = append(m.messages, msg)
	return msg, true, nil
}

func (m *memStore) Message(_ context.Context, userID, id uuid.UUID) (domain.Message, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return one(m.messages, userID, id, msgOwner, msgID, "message")
}

func (m *memStore) Messages(_ context.Context, userID, conversationID uuid.UUID, p domain.Page) ([]domain.Message, domain.PageInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := one(m.conversations, userID, conversationID, convOwner, convID, "conversation"); err != nil {
		return nil, domain.PageInfo{}, err
	}
	return page(mine(m.messages, userID, msgOwner, func(x domain.Message) bool { return x.ConversationID == conversationID }), msgID, p)
}

func (m *memStore) UpdateMessage(_ context.Context, msg domain.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, x := range m.messages {
		if x.ID == msg.ID && x.UserID == msg.UserID {
			m.messages[i] = msg
			return nil
		}
	}
	return fmt.Errorf("message %s: %w", msg.ID, domain.ErrNotFound)
}

func (m *memStore) ModifyMessage(_ context.Context, userID, id uuid.UUID, fn func(*domain.Message) (bool, error)) (domain.Message, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := slices.IndexFunc(m.messages, func(x domain.Message) bool { return x.ID == id && x.UserID == userID })
	if i < 0 {
		return domain.Message{}, fmt.Errorf("message %s: %w", id, domain.ErrNotFound)
	}
	msg := m.messages[i]
	if changed, err := fn(&msg); err != nil || !changed {
		return m.messages[i], err
	}
	m.messages[i] = msg
	return msg, nil
}

func (m *memStore) UnfinishedMessages(context.Context, time.Time, int) ([]domain.Message, error) {
	return nil, nil // the server does not sweep
}

func (m *memStore) TouchMessages(context.Context, []uuid.UUID, time.Time) error { return nil }

func (m *memStore) ConversationsByID(_ context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.Conversation, error) {
	m.batchConversations.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[uuid.UUID]domain.Conversation{}
	for _, c := range m.conversations {
		if c.UserID == userID && slices.Contains(ids, c.ID) {
			out[c.ID] = c
		}
	}
	return out, nil
}

func (m *memStore) MessageCounts(_ context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]int, error) {
	m.batchCounts.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[uuid.UUID]int{}
	for _, msg := range m.messages {
		if msg.UserID == userID && slices.Contains(ids, msg.ConversationID) {
			out[msg.ConversationID]++
		}
	}
	for _, c := range m.conversations {
		if _, ok := out[c.ID]; !ok && c.UserID == userID && slices.Contains(ids, c.ID) {
			out[c.ID] = 0
		}
	}
	return out, nil
}

// seed gives a user n emails, events, files and conversations of 3 messages,
// newest first, so tests can page through them.
func (m *memStore) seed(u domain.User, n int) {
	base := m.clock.Now().Add(-time.Duration(n) * time.Hour)
	for i := range n {
		at := base.Add(time.Duration(n-i) * time.Hour)
		m.emails = append(m.emails, domain.Email{
			ID: uuid.New(), UserID: u.ID, EmailID: fmt.Sprintf("gm-%d", i), ThreadID: "t",
			Subject: fmt.Sprintf("Report %d", i), From: domain.Address{Name: "Sender", Email: fmt.Sprintf("s%d@example.com", i%2)},
			To: []domain.Address{{Email: u.Email}}, Labels: []string{"INBOX"}, Unread: i%2 == 0, ReceivedAt: at,
		})
		m.events = append(m.events, domain.Event{
			ID: uuid.New(), UserID: u.ID, EventID: fmt.Sprintf("ev-%d", i), CalendarID: "primary",
			Title: fmt.Sprintf("Meeting %d", i), Start: at, End: at.Add(time.Hour), TimeZone: "UTC",
			Attendees: []domain.Attendee{{Email: "ayse@example.com", ResponseStatus: "accepted"}},
		})
		m.files = append(m.files, domain.File{
			ID: uuid.New(), UserID: u.ID, FileID: fmt.Sprintf("f-%d", i), Name: fmt.Sprintf("doc %d.pdf", i),
			MimeType: "application/pdf", Owners: []string{u.Email}, ModifiedAt: at,
			Properties: map[string]string{"b": "2", "a": "1"},
		})
		c := domain.Conversation{ID: uuid.New(), UserID: u.ID, Title: fmt.Sprintf("Chat %d", i), CreatedAt: at, UpdatedAt: at}
		m.conversations = append(m.conversations, c)
		for j := range 3 {
			m.messages = append(m.messages, domain.Message{
				ID: uuid.New(), ConversationID: c.ID, UserID: u.ID, Query: fmt.Sprintf("question %d.%d", i, j),
				Status: domain.MessageDone, Response: "answer", CreatedAt: at, UpdatedAt: at,
			})
		}
	}
}

func byID[T any](m *memStore, items []T, userID uuid.UUID, ids []uuid.UUID, owner, key func(T) uuid.UUID) map[uuid.UUID]T {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[uuid.UUID]T{}
	for _, it := range items {
		if owner(it) == userID && slices.Contains(ids, key(it)) {
			out[key(it)] = it
		}
	}
	return out
}

func (m *memStore) EmailsByID(_ context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.Email, error) {
	m.batchEmails.Add(1)
	return byID(m, m.emails, userID, ids, emailOwner, emailID), nil
}

func (m *memStore) EventsByID(_ context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.Event, error) {
	return byID(m, m.events, userID, ids, eventOwner, eventID), nil
}

func (m *memStore) FilesByID(_ context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.File, error) {
	return byID(m, m.files, userID, ids, fileOwner, fileID), nil
}
