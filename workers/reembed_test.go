package workers_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/pgvector/pgvector-go"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/embed"
	"github.com/workspace-orchestrator/orchestrator/adapter/jobqueue"
	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/storetest"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
	"github.com/workspace-orchestrator/orchestrator/workers"
)

// offline loads the offline embedder's word vectors once for every test.
var offline = sync.OnceValues(func() (*embed.Offline, error) { return embed.NewOffline() })

const modelA = "model-a"

// reembedEnv is a user's cache in a fresh schema: 8 emails, 3 events and 2
// files embedded by modelA or not at all, and one email already embedded by
// the offline model.
type reembedEnv struct {
	ctx     context.Context
	db      *store.DB
	store   *store.Store
	user    domain.User
	current domain.Email      // the email already on the offline model
	texts   map[string]string // Google id -> the text its embedding is made of
	stale   int
	em      *countingEmbedder
	log     *slog.Logger
}

func oldVector(seed int) domain.Vector {
	v := make([]float32, domain.EmbeddingDim)
	v[seed] = 1
	return domain.Vector{Values: v, Model: modelA}
}

func reembedSetup(t *testing.T) reembedEnv {
	t.Helper()
	ctx := context.Background()
	db := storetest.New(t)
	st := store.New(db, nil, domain.SystemClock{})
	u, err := st.UpsertUser(ctx, "ada@example.com")
	require.NoError(t, err)
	off, err := offline()
	require.NoError(t, err)
	now := time.Now().UTC()

	var emails []domain.Email
	for i := range 9 {
		e := domain.Email{EmailID: fmt.Sprintf("m%d", i), Subject: fmt.Sprintf("Budget review %d", i),
			From: domain.Address{Name: "Carol", Email: "carol@example.com"}, Body: "Numbers for the quarter.",
			ReceivedAt: now.Add(-time.Duration(i) * time.Hour), Embedding: oldVector(i)}
		switch i {
		case 7:
			e.Embedding = domain.Vector{} // never embedded
		case 8:
			vs, err := off.Embed(ctx, []string{ingest.EmailText(e)})
			require.NoError(t, err)
			e.Embedding = domain.Vector{Values: vs[0], Model: off.Model()}
		}
		emails = append(emails, e)
	}
	require.NoError(t, st.UpsertEmails(ctx, u.ID, emails))
	var events []domain.Event
	for i := range 3 {
		events = append(events, domain.Event{EventID: fmt.Sprintf("e%d", i), Title: fmt.Sprintf("Planning %d", i),
			Start: now, End: now.Add(time.Hour), Attendees: []domain.Attendee{{Email: "dan@example.com", Name: "Dan"}},
			Embedding: oldVector(20 + i)})
	}
	require.NoError(t, st.UpsertEvents(ctx, u.ID, events))
	var files []domain.File
	for i := range 2 {
		files = append(files, domain.File{FileID: fmt.Sprintf("f%d", i), Name: fmt.Sprintf("KEP %d", i),
			Content: "User namespaces for pods.", ModifiedAt: now, Embedding: oldVector(30 + i)})
	}
	require.NoError(t, st.UpsertFiles(ctx, u.ID, files))
	texts := map[string]string{}
	for _, m := range emails {
		texts[m.EmailID] = ingest.EmailText(m)
	}
	for _, ev := range events {
		texts[ev.EventID] = ingest.EventText(ev)
	}
	for _, f := range files {
		texts[f.FileID] = ingest.FileText(f)
	}

	var current domain.Email
	list, _, err := st.Emails(ctx, u.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	for _, e := range list {
		if e.EmailID == "m8" {
			current, err = st.Email(ctx, u.ID, e.ID)
			require.NoError(t, err)
		}
	}
	return reembedEnv{ctx: ctx, db: db, store: st, user: u, current: current, texts: texts, stale: 8 + 3 + 2,
		em: &countingEmbedder{Embedder: off}, log: slog.New(slog.DiscardHandler)}
}

// countingEmbedder counts the texts embedded and fails the call numbered
// failAt (1-based; 0 never).
type countingEmbedder struct {
	domain.Embedder
	mu     sync.Mutex
	calls  int
	texts  int
	failAt int
}

func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.mu.Lock()
	c.calls++
	fail := c.calls == c.failAt
	c.mu.Unlock()
	if fail {
		return nil, fmt.Errorf("embedder went away: %w", domain.ErrUnavailable)
	}
	vs, err := c.Embedder.Embed(ctx, texts)
	c.mu.Lock()
	c.texts += len(texts)
	c.mu.Unlock()
	return vs, err
}

func (e reembedEnv) reembedder(t *testing.T, batch int, budget time.Duration) *ingest.Reembedder {
	t.Helper()
	r, err := ingest.NewReembedder(ingest.ReembedDeps{Store: e.store, Embedder: e.em, Clock: domain.SystemClock{}, Logger: e.log},
		ingest.ReembedConfig{Batch: batch, Budget: budget})
	require.NoError(t, err)
	return r
}

// requireAllCurrent checks that every cached item carries the offline
// model's vector of its text, and that the current email was not written.
func (e reembedEnv) requireAllCurrent(t *testing.T, currentXmin string) {
	t.Helper()
	off, err := offline()
	require.NoError(t, err)
	rows, err := e.db.SQL.QueryContext(e.ctx, `SELECT email_id, embedding_model, embedding FROM gmail_cache
		UNION ALL SELECT event_id, embedding_model, embedding FROM gcal_cache
		UNION ALL SELECT file_id, embedding_model, embedding FROM gdrive_cache`)
	require.NoError(t, err)
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var (
			id, model string
			got       pgvector.Vector
		)
		require.NoError(t, rows.Scan(&id, &model, &got))
		want, err := off.Embed(e.ctx, []string{e.texts[id]})
		require.NoError(t, err)
		require.Equal(t, off.Model(), model, id)
		require.InDeltaSlice(t, want[0], got.Slice(), 1e-6, id)
		seen++
	}
	require.NoError(t, rows.Err())
	require.Len(t, e.texts, seen)
	require.Equal(t, currentXmin, e.xmin(t), "the email already current was not written")
}

func (e reembedEnv) xmin(t *testing.T) string {
	t.Helper()
	var x string
	require.NoError(t, e.db.SQL.QueryRowContext(e.ctx, "SELECT xmin::text FROM gmail_cache WHERE id = $1", e.current.ID).Scan(&x))
	return x
}

type noSync struct{}

func (noSync) Sync(context.Context, uuid.UUID, domain.Service) error { return nil }

// TestReembedJobRunsAtStartInSteps: the reembed job is enqueued when the
// queue starts and, one batch per run, snoozes until every row is on the
// configured model.
func TestReembedJobRunsAtStartInSteps(t *testing.T) {
	t.Parallel()
	e := reembedSetup(t)
	xmin := e.xmin(t)
	v0, err := e.store.DataVersion(e.ctx, e.user.ID)
	require.NoError(t, err)

	ws, periodic, err := workers.New(workers.Deps{Syncer: noSync{}, Users: e.store,
		Clock: domain.SystemClock{}, Logger: e.log, Reembedder: e.reembedder(t, 3, time.Nanosecond)})
	require.NoError(t, err)
	q, err := jobqueue.New(e.db.SQL, jobqueue.Config{Workers: ws, PeriodicJobs: periodic, Logger: e.log})
	require.NoError(t, err)
	events, stop := q.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobSnoozed, river.EventKindJobFailed)
	defer stop()
	require.NoError(t, q.Start(e.ctx))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, q.Stop(ctx))
	})

	snoozes := awaitReembed(t, events)
	// Batches of 3: 3 of mail, 1 of events, 1 of files, each run but the last snoozing.
	require.GreaterOrEqual(t, snoozes, 4)
	require.Equal(t, e.stale, e.em.texts, "every stale item embedded once")
	e.requireAllCurrent(t, xmin)
	v1, err := e.store.DataVersion(e.ctx, e.user.ID)
	require.NoError(t, err)
	require.Greater(t, v1, v0, "search caches see the new vectors")

	// Enqueued again, the job finds nothing to do.
	args, opts := workers.ReembedJob()
	_, err = q.Client().Insert(e.ctx, args, opts)
	require.NoError(t, err)
	require.Zero(t, awaitReembed(t, events))
	require.Equal(t, e.stale, e.em.texts)
	require.Equal(t, xmin, e.xmin(t))
}

// awaitReembed waits for a reembed job to complete and returns how many
// times it snoozed meanwhile.
func awaitReembed(t *testing.T, events <-chan *river.Event) int {
	t.Helper()
	snoozes := 0
	timeout := time.After(30 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.Job.Kind != "reembed" {
				continue
			}
			switch ev.Kind {
			case river.EventKindJobSnoozed:
				snoozes++
			case river.EventKindJobCompleted:
				return snoozes
			default:
				t.Fatalf("reembed job %s: %v", ev.Kind, ev.Job.Errors)
			}
		case <-timeout:
			t.Fatal("reembed did not complete within 30s")
		}
	}
}

// TestReembedResumesAfterAnInterruption: a run that fails midway keeps the
// batches it committed, and the next run does only the rest.
func TestReembedResumesAfterAnInterruption(t *testing.T) {
	t.Parallel()
	e := reembedSetup(t)
	xmin := e.xmin(t)
	e.em.failAt = 3
	r := e.reembedder(t, 2, time.Minute)

	res, err := r.Run(e.ctx)
	require.ErrorIs(t, err, domain.ErrUnavailable)
	require.Equal(t, ingest.ReembedResult{Updated: 4}, res, "two batches committed before the failure")
	res, err = r.Run(e.ctx)
	require.NoError(t, err)
	require.Equal(t, ingest.ReembedResult{Updated: e.stale - 4, Done: true}, res)
	require.Equal(t, e.stale, e.em.texts, "no item embedded twice")
	e.requireAllCurrent(t, xmin)
}

func TestReembedJobIsUniqueWhileQueued(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	q, err := jobqueue.New(db.SQL, jobqueue.Config{Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	ctx := context.Background()
	args, opts := workers.ReembedJob()
	first, err := q.Client().Insert(ctx, args, opts)
	require.NoError(t, err)
	require.False(t, first.UniqueSkippedAsDuplicate)
	require.Equal(t, "reembed", first.Job.Kind)
	require.Equal(t, 4, first.Job.Priority, "behind every other job")
	again, err := q.Client().Insert(ctx, args, opts)
	require.NoError(t, err)
	require.True(t, again.UniqueSkippedAsDuplicate)
}

// BenchmarkReembed5000Emails: 5,000 emails of about 1 kB, embedded by
// another model, re-embedded with the offline model in batches of 256.
func BenchmarkReembed5000Emails(b *testing.B) {
	ctx := context.Background()
	off, err := offline()
	require.NoError(b, err)
	body := strings.Repeat("The quarterly budget review moves to Thursday; numbers attached. ", 16)
	for b.Loop() {
		b.StopTimer()
		db := storetest.New(b)
		st := store.New(db, nil, domain.SystemClock{})
		u, err := st.UpsertUser(ctx, "ada@example.com")
		require.NoError(b, err)
		es := make([]domain.Email, 5000)
		for i := range es {
			es[i] = domain.Email{EmailID: fmt.Sprintf("m%d", i), Subject: fmt.Sprintf("Budget %d", i), Body: body,
				ReceivedAt: time.Now(), Embedding: oldVector(i % domain.EmbeddingDim)}
		}
		require.NoError(b, st.UpsertEmails(ctx, u.ID, es))
		r, err := ingest.NewReembedder(ingest.ReembedDeps{Store: st, Embedder: off, Clock: domain.SystemClock{},
			Logger: slog.New(slog.DiscardHandler)}, ingest.ReembedConfig{Budget: time.Hour})
		require.NoError(b, err)
		b.StartTimer()
		res, err := r.Run(ctx)
		require.NoError(b, err)
		require.Equal(b, ingest.ReembedResult{Updated: len(es), Done: true}, res)
	}
}
