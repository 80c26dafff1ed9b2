package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

// mailbox is an in-memory Gmail: messages by id and a history log.
type mailbox struct {
	mu       sync.Mutex
	msgs     map[string]string // id -> subject
	history  []histRec
	oldest   uint64 // history ids below this answer ErrSyncTokenExpired
	pageSize int
	failAt   int // ListMessages fails on this call number (1-based); 0 never
	calls    int
}

type histRec struct {
	id      uint64
	msg     string
	deleted bool
}

func (m *mailbox) HistoryID(context.Context, uuid.UUID) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return uint64(len(m.history)), nil
}

func (m *mailbox) ListMessages(_ context.Context, _ uuid.UUID, pageToken string) ([]string, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if m.calls == m.failAt {
		return nil, "", fmt.Errorf("list: %w", domain.ErrUnavailable)
	}
	if strings.HasPrefix(pageToken, "stale") {
		return nil, "", fmt.Errorf("list: Invalid pageToken: %w", domain.ErrInvalidInput)
	}
	// The page token is the last id listed, so items added meanwhile do not shift pages.
	ids := slices.DeleteFunc(slices.Sorted(maps.Keys(m.msgs)), func(id string) bool { return id <= pageToken })
	if len(ids) <= m.pageSize {
		return ids, "", nil
	}
	return ids[:m.pageSize], ids[m.pageSize-1], nil
}

func (m *mailbox) GetMessages(_ context.Context, _ uuid.UUID, ids []string) ([]domain.Email, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []domain.Email
	for _, id := range ids {
		if s, ok := m.msgs[id]; ok {
			out = append(out, domain.Email{EmailID: id, Subject: s})
		}
	}
	return out, nil
}

func (m *mailbox) History(_ context.Context, _ uuid.UUID, start uint64, _ string) (ingest.GmailHistory, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if start < m.oldest {
		return ingest.GmailHistory{}, fmt.Errorf("history: %w", domain.ErrSyncTokenExpired)
	}
	h := ingest.GmailHistory{HistoryID: uint64(len(m.history))}
	for _, r := range m.history[start:] {
		if r.deleted {
			h.Deleted = append(h.Deleted, r.msg)
		} else {
			h.Changed = append(h.Changed, r.msg)
		}
	}
	return h, nil
}

func (m *mailbox) put(id, subject string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs[id] = subject
	m.history = append(m.history, histRec{id: uint64(len(m.history) + 1), msg: id})
}

func (m *mailbox) del(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.msgs, id)
	m.history = append(m.history, histRec{id: uint64(len(m.history) + 1), msg: id, deleted: true})
}

// memStore is an in-memory cache, status store and transaction runner: a
// transaction works on a copy that replaces the original on success.
type memStore struct {
	// Methods this test does not exercise.
	domain.WorkspaceWriter
	domain.WorkspaceReader
	domain.SyncStatusStore

	mu      sync.Mutex
	emails  map[string]domain.Email
	status  map[domain.Service]domain.SyncStatus
	upserts int
}

// stale is the mark MarkStale leaves in the emails: ids rewritten since lose it.
const stale = "\x00stale"

type txKey struct{}

type memTx struct {
	emails map[string]domain.Email
	status map[domain.Service]domain.SyncStatus
}

func (s *memStore) InTx(ctx context.Context, fn func(context.Context) error) error {
	s.mu.Lock()
	tx := &memTx{emails: maps.Clone(s.emails), status: maps.Clone(s.status)}
	s.mu.Unlock()
	if err := fn(context.WithValue(ctx, txKey{}, tx)); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.emails, s.status = tx.emails, tx.status
	return nil
}

// do runs f on the transaction's copy, or on the store outside one.
func (s *memStore) do(ctx context.Context, f func(emails map[string]domain.Email, status map[domain.Service]domain.SyncStatus)) {
	if tx, ok := ctx.Value(txKey{}).(*memTx); ok {
		f(tx.emails, tx.status)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s.emails, s.status)
}

func (s *memStore) UpsertEmails(ctx context.Context, _ uuid.UUID, es []domain.Email) error {
	s.do(ctx, func(m map[string]domain.Email, _ map[domain.Service]domain.SyncStatus) {
		for _, e := range es {
			if len(e.Embedding.Values) == 0 {
				panic("email cached without an embedding")
			}
			m[e.EmailID] = e
		}
	})
	s.upserts += len(es)
	return nil
}

func (s *memStore) DeleteEmails(ctx context.Context, _ uuid.UUID, ids []string) error {
	s.do(ctx, func(m map[string]domain.Email, _ map[domain.Service]domain.SyncStatus) {
		for _, id := range ids {
			delete(m, id)
		}
	})
	return nil
}

func (s *memStore) MarkStale(ctx context.Context, _ uuid.UUID, _ domain.Service) error {
	s.do(ctx, func(m map[string]domain.Email, _ map[domain.Service]domain.SyncStatus) {
		for id, e := range m {
			e.ThreadID = stale
			m[id] = e
		}
	})
	return nil
}

func (s *memStore) DeleteStale(ctx context.Context, _ uuid.UUID, _ domain.Service) error {
	s.do(ctx, func(m map[string]domain.Email, _ map[domain.Service]domain.SyncStatus) {
		maps.DeleteFunc(m, func(_ string, e domain.Email) bool { return e.ThreadID == stale })
	})
	return nil
}

func (s *memStore) SyncStatus(ctx context.Context, _ uuid.UUID, svc domain.Service) (domain.SyncStatus, error) {
	var st domain.SyncStatus
	var ok bool
	s.do(ctx, func(_ map[string]domain.Email, m map[domain.Service]domain.SyncStatus) { st, ok = m[svc] })
	if !ok {
		return st, domain.ErrNotFound
	}
	return st, nil
}

func (s *memStore) SaveSyncStatus(ctx context.Context, st domain.SyncStatus) error {
	s.do(ctx, func(_ map[string]domain.Email, m map[domain.Service]domain.SyncStatus) { m[st.Service] = st })
	return nil
}

func (s *memStore) Emails(ctx context.Context, _ uuid.UUID, _ domain.Filter, _ domain.Page) ([]domain.Email, domain.PageInfo, error) {
	var n int
	s.do(ctx, func(m map[string]domain.Email, _ map[domain.Service]domain.SyncStatus) { n = len(m) })
	return nil, domain.PageInfo{TotalCount: n}, nil
}

func (s *memStore) subjects() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for id, e := range s.emails {
		out[id] = e.Subject
	}
	return out
}

type users struct {
	domain.UserStore
	reauth bool
}

func (u users) UserByID(_ context.Context, id uuid.UUID) (domain.User, error) {
	return domain.User{ID: id, NeedsReauth: u.reauth}, nil
}

type embedder struct{}

func (embedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i := range out {
		out[i] = []float32{1}
	}
	return out, nil
}

func (embedder) Model() string { return "test" }

// keeper records what the syncer asks of the search index, in order.
type keeper struct {
	mu    sync.Mutex
	calls []string
}

func (k *keeper) MergeIndex(_ context.Context, _ uuid.UUID, s domain.Service) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.calls = append(k.calls, "merge "+string(s))
	return nil
}

func (k *keeper) RefreshStats(_ context.Context, s domain.Service) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.calls = append(k.calls, "stats "+string(s))
	return nil
}

func (k *keeper) took() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := k.calls
	k.calls = nil
	return out
}

type bundle struct {
	box   *mailbox
	store *memStore
	index *keeper
	sync  *ingest.Syncer
	user  uuid.UUID
}

func setup(t *testing.T, n int, reauth bool) bundle {
	t.Helper()
	box := &mailbox{msgs: map[string]string{}, pageSize: 3}
	for i := range n {
		box.put(fmt.Sprintf("m%02d", i), fmt.Sprintf("subject %d", i))
	}
	st := &memStore{emails: map[string]domain.Email{}, status: map[domain.Service]domain.SyncStatus{}}
	k := &keeper{}
	s, err := ingest.New(ingest.Deps{
		Gmail: box, Calendar: struct{ ingest.CalendarSource }{}, Drive: struct{ ingest.DriveSource }{},
		Users: users{reauth: reauth}, Writer: st, Reader: st, Status: st, Tx: st, Embedder: embedder{}, Index: k,
		Clock:  domain.FixedClock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		Logger: slog.New(slog.DiscardHandler),
	}, ingest.Config{EmbedBatch: 2})
	require.NoError(t, err)
	return bundle{box: box, store: st, index: k, sync: s, user: uuid.New()}
}

func (b bundle) status(t *testing.T) domain.SyncStatus {
	t.Helper()
	st, err := b.store.SyncStatus(context.Background(), b.user, domain.ServiceGmail)
	require.NoError(t, err)
	return st
}

func TestSyncFullThenIncremental(t *testing.T) {
	t.Parallel()
	b := setup(t, 10, false)
	ctx := context.Background()
	require.NoError(t, b.sync.Sync(ctx, b.user, domain.ServiceGmail))
	require.Len(t, b.store.subjects(), 10)
	st := b.status(t)
	require.Equal(t, domain.SyncIdle, st.State)
	require.Equal(t, "10", st.Token)
	require.Empty(t, st.Checkpoint)
	require.Equal(t, 10, st.ItemCount)
	require.Equal(t, []string{"merge gmail", "stats gmail"}, b.index.took(), "merged once the last page is in, then analyzed")

	b.box.put("m03", "changed")
	b.box.put("new", "fresh")
	b.box.del("m04")
	require.NoError(t, b.sync.Sync(ctx, b.user, domain.ServiceGmail))
	got := b.store.subjects()
	require.Len(t, got, 10)
	require.Equal(t, "changed", got["m03"])
	require.Equal(t, "fresh", got["new"])
	require.NotContains(t, got, "m04")
	require.Equal(t, "13", b.status(t).Token)
	require.Equal(t, []string{"merge gmail"}, b.index.took())
}

func TestSyncResumesFromCheckpoint(t *testing.T) {
	t.Parallel()
	b := setup(t, 10, false)
	ctx := context.Background()
	b.box.failAt = 3 // pages 1 and 2 commit, page 3 fails
	err := b.sync.Sync(ctx, b.user, domain.ServiceGmail)
	require.ErrorIs(t, err, domain.ErrUnavailable)
	st := b.status(t)
	require.Equal(t, domain.SyncFailed, st.State)
	require.Equal(t, "m05", st.Checkpoint)
	require.Empty(t, st.Token, "an unfinished full sync has no sync token")
	require.Equal(t, "10", st.StartToken)
	require.Len(t, b.store.subjects(), 6)

	// Arrives during the sync, on a page already listed.
	b.box.put("a-late", "arrived during the sync")
	upsertsBefore := b.store.upserts
	require.NoError(t, b.sync.Sync(ctx, b.user, domain.ServiceGmail))
	// The resumed sync lists only what was left (m06..m09), no page twice.
	require.Equal(t, 4, b.store.upserts-upsertsBefore)
	require.Len(t, b.store.subjects(), 10)
	st = b.status(t)
	require.Equal(t, "10", st.Token, "the token taken before the full sync is kept")
	require.Empty(t, st.Checkpoint)

	// The incremental sync after it replays what happened during the full sync.
	require.NoError(t, b.sync.Sync(ctx, b.user, domain.ServiceGmail))
	require.Equal(t, "11", b.status(t).Token)
	require.Len(t, b.store.subjects(), 11)
	require.Contains(t, b.store.subjects(), "a-late")
}

func TestSyncFailingBeforeItsFirstPageStaysFull(t *testing.T) {
	t.Parallel()
	b := setup(t, 10, false)
	ctx := context.Background()
	b.box.failAt = 1 // the first page fails (a 429, a restart)
	require.ErrorIs(t, b.sync.Sync(ctx, b.user, domain.ServiceGmail), domain.ErrUnavailable)
	st := b.status(t)
	require.Equal(t, domain.SyncFailed, st.State)
	require.Empty(t, st.Token, "no page committed: the account is not synced")

	require.NoError(t, b.sync.Sync(ctx, b.user, domain.ServiceGmail))
	require.Len(t, b.store.subjects(), 10, "the next run lists everything")
	require.Equal(t, "10", b.status(t).Token)
}

func TestSyncExpiredTokenReplacesTheCache(t *testing.T) {
	t.Parallel()
	b := setup(t, 7, false)
	ctx := context.Background()
	require.NoError(t, b.sync.Sync(ctx, b.user, domain.ServiceGmail)) // 3 pages: calls 1-3
	b.box.del("m00")
	b.box.oldest = 100 // every stored history id is now too old

	// The full sync that follows fails on its first page, then on its
	// second: the old cache stays whole meanwhile.
	for _, failAt := range []int{4, 6} {
		b.box.failAt = failAt
		require.ErrorIs(t, b.sync.Sync(ctx, b.user, domain.ServiceGmail), domain.ErrUnavailable)
		require.Len(t, b.store.subjects(), 7, "nothing is lost while the full sync is unfinished")
		require.Contains(t, b.store.subjects(), "m00")
		require.Empty(t, b.status(t).Token)
	}
	require.Equal(t, "m03", b.status(t).Checkpoint, "the second try committed its first page")

	require.NoError(t, b.sync.Sync(ctx, b.user, domain.ServiceGmail))
	want := map[string]string{}
	for i := 1; i < 7; i++ {
		want[fmt.Sprintf("m%02d", i)] = fmt.Sprintf("subject %d", i)
	}
	require.Equal(t, want, b.store.subjects(), "what the full sync did not find is gone once it ends")
	st := b.status(t)
	require.Equal(t, "8", st.Token)
	require.Empty(t, st.StartToken)
	require.Empty(t, st.Checkpoint)
	require.Equal(t, 6, st.ItemCount)
}

func TestSyncRestartsWhenTheCheckpointIsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t, 5, false)
	ctx := context.Background()
	// A crash left a checkpoint that Google no longer accepts, and a stale row.
	require.NoError(t, b.store.SaveSyncStatus(ctx, domain.SyncStatus{UserID: b.user, Service: domain.ServiceGmail,
		State: domain.SyncFailed, Token: "2", Checkpoint: "stale-token"}))
	require.NoError(t, b.store.UpsertEmails(ctx, b.user, []domain.Email{{EmailID: "gone", Embedding: domain.Vector{Values: []float32{1}}}}))
	require.NoError(t, b.sync.Sync(ctx, b.user, domain.ServiceGmail))
	require.Len(t, b.store.subjects(), 5)
	require.NotContains(t, b.store.subjects(), "gone")
	st := b.status(t)
	require.Equal(t, "5", st.Token)
	require.Empty(t, st.Checkpoint)
}

func TestSyncSkipsAccountNeedingReauth(t *testing.T) {
	t.Parallel()
	b := setup(t, 2, true)
	err := b.sync.Sync(context.Background(), b.user, domain.ServiceGmail)
	require.True(t, errors.Is(err, domain.ErrReauthRequired))
	require.Empty(t, b.store.subjects())
	require.Equal(t, domain.SyncReauth, b.status(t).State)
}
