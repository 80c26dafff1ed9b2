package server_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
	"github.com/workspace-orchestrator/orchestrator/domain/query"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
)

// memAnswers is the answer stream in memory: Publish appends, Follow
// replays from the first event and then waits for more, as the Redis
// stream adapter does.
type memAnswers struct {
	mu      sync.Mutex
	events  map[uuid.UUID][]orchestrator.Event
	changed chan struct{} // closed and replaced on every publish
	follows int
	down    error // when set, Follow fails with it, as while Redis is down
}

func newMemAnswers() *memAnswers {
	return &memAnswers{events: map[uuid.UUID][]orchestrator.Event{}, changed: make(chan struct{})}
}

func (a *memAnswers) Publish(_ context.Context, id uuid.UUID, evs ...orchestrator.Event) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.events[id] = append(a.events[id], evs...)
	close(a.changed)
	a.changed = make(chan struct{})
	return nil
}

func (a *memAnswers) Follow(ctx context.Context, id uuid.UUID, fn func(orchestrator.Event) bool) error {
	a.mu.Lock()
	a.follows++
	down := a.down
	a.mu.Unlock()
	if down != nil {
		return down
	}
	for i := 0; ; {
		a.mu.Lock()
		evs, wait := a.events[id], a.changed
		a.mu.Unlock()
		for ; i < len(evs); i++ {
			if !fn(evs[i]) || evs[i].Type == orchestrator.EventDone || evs[i].Type == orchestrator.EventError {
				return nil
			}
		}
		select {
		case <-wait:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// memSearcher ranks a user's items whose title holds the query, in store
// order, and reads "from:ADDR" as a filter; it records the last request.
type memSearcher struct {
	mem  *memStore
	mu   sync.Mutex
	last search.Request
	n    int       // searches run
	leak uuid.UUID // an item of another user it wrongly returns, to check scoping
}

func (s *memSearcher) lastRequest() search.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

func (s *memSearcher) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func (s *memSearcher) Search(_ context.Context, req search.Request) (search.Result, error) {
	s.mu.Lock()
	s.last = req
	s.n++
	s.mu.Unlock()
	if req.Query == "boom" {
		return search.Result{}, fmt.Errorf("index: connection refused")
	}
	parsed := query.Parsed{Query: req.Query, Filters: req.Filters}
	var words []string
	for _, w := range strings.Fields(req.Query) {
		if addr, ok := strings.CutPrefix(w, "from:"); ok {
			parsed.Filters.From = append(parsed.Filters.From, addr)
			i := strings.Index(req.Query, w)
			parsed.Sources = append(parsed.Sources, query.Source{Field: "from", Words: w, Start: i, End: i + len(w)})
			continue
		}
		words = append(words, strings.ToLower(w))
	}
	parsed.Text = strings.Join(words, " ")
	want := func(sv domain.Service) bool { return len(req.Services) == 0 || slices.Contains(req.Services, sv) }
	match := func(title string) bool {
		for _, w := range words {
			if !strings.Contains(strings.ToLower(title), w) {
				return false
			}
		}
		return true
	}
	var hits []search.Hit
	add := func(sv domain.Service, id uuid.UUID, title string) {
		rank := len(hits) + 1
		hits = append(hits, search.Hit{
			Item:  search.Item{Service: sv, ID: id, Title: title},
			Score: 1 / float64(60+rank),
			Legs:  []search.LegHit{{Leg: search.LegFullText, Rank: rank, Score: 10 - float64(rank)/10}},
		})
	}
	s.mem.mu.Lock()
	if s.leak != uuid.Nil {
		add(domain.ServiceGmail, s.leak, "leaked")
	}
	for _, e := range s.mem.emails {
		if e.UserID == req.UserID && want(domain.ServiceGmail) && match(e.Subject) {
			add(domain.ServiceGmail, e.ID, e.Subject)
		}
	}
	for _, e := range s.mem.events {
		if e.UserID == req.UserID && want(domain.ServiceCalendar) && match(e.Title) {
			add(domain.ServiceCalendar, e.ID, e.Title)
		}
	}
	for _, f := range s.mem.files {
		if f.UserID == req.UserID && want(domain.ServiceDrive) && match(f.Name) {
			add(domain.ServiceDrive, f.ID, f.Name)
		}
	}
	s.mem.mu.Unlock()
	first := req.First
	if first == 0 {
		first = 10
	}
	if len(hits) > first {
		hits = hits[:first]
	}
	return search.Result{Hits: hits, Parsed: parsed, Timings: map[string]time.Duration{"fulltext": 1500 * time.Microsecond}}, nil
}

// memSyncs keeps sync statuses and records enqueued syncs.
type memSyncs struct {
	mu       sync.Mutex
	statuses map[uuid.UUID][]domain.SyncStatus
	enqueued []string // "user service priority"
}

func (m *memSyncs) SyncStatuses(_ context.Context, userID uuid.UUID) ([]domain.SyncStatus, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.statuses[userID]), nil
}

func (m *memSyncs) set(st domain.SyncStatus) {
	m.mu.Lock()
	defer m.mu.Unlock()
	list := m.statuses[st.UserID]
	i := slices.IndexFunc(list, func(x domain.SyncStatus) bool { return x.Service == st.Service })
	if i < 0 {
		m.statuses[st.UserID] = append(list, st)
		return
	}
	list[i] = st
}

func (m *memSyncs) EnqueueSync(_ context.Context, userID uuid.UUID, s domain.Service, priority int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.enqueued = append(m.enqueued, fmt.Sprintf("%s %s %d", userID, s, priority))
	return nil
}

func (m *memSyncs) enqueuedJobs() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.enqueued)
}

// memLimiter allows each user `limit` asks; a client request id seen before
// is a retry and free.
type memLimiter struct {
	mu    sync.Mutex
	limit int
	used  map[uuid.UUID]int
	seen  map[string]bool
}

func (l *memLimiter) spent(userID uuid.UUID) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.used[userID]
}

func (l *memLimiter) AllowAsk(_ context.Context, userID uuid.UUID, clientRequestID string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if clientRequestID != "" {
		if l.seen[clientRequestID] {
			return nil
		}
		if l.seen == nil {
			l.seen = map[string]bool{}
		}
		l.seen[clientRequestID] = true
	}
	if l.used[userID] >= l.limit {
		return &domain.RetryAfterError{Err: fmt.Errorf("asks per hour: %w", domain.ErrRateLimited), RetryAfter: 1200}
	}
	l.used[userID]++
	return nil
}

// calendarAgent proposes nothing; confirming a delete_event action marks it done.
type calendarAgent struct{}

func (calendarAgent) Service() domain.Service { return domain.ServiceCalendar }

func (calendarAgent) Do(context.Context, uuid.UUID, intent.Step, []agent.Input) (agent.Output, error) {
	return agent.Output{Items: []agent.Item{}}, nil
}

func (calendarAgent) Confirm(_ context.Context, _, _ uuid.UUID, a agent.Action) (agent.Action, error) {
	if a.Targets[0] == "fails" {
		return a, fmt.Errorf("calendar: %w", domain.ErrReauthRequired)
	}
	a.Result = "deleted " + a.Targets[0]
	return a, nil
}

// list returns the events published for a message so far.
func (a *memAnswers) list(id uuid.UUID) []orchestrator.Event {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.events[id])
}
