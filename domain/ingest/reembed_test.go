package ingest_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

// staleStore holds cached emails and files in row id order; a write
// conditional on UpdatedAt is skipped when the item changed since.
type staleStore struct {
	mu     sync.Mutex
	emails []domain.Email
	files  []domain.File
	writes int // items written
	// beforeSet, if set, runs once as the first write begins.
	beforeSet func()
}

func (s *staleStore) StaleItems(_ context.Context, svc domain.Service, model string, after uuid.UUID, limit int) (ingest.Items, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	stale := func(id uuid.UUID, v domain.Vector) bool {
		return id.String() > after.String() && (v.Values == nil || v.Model != model)
	}
	var it ingest.Items
	switch svc {
	case domain.ServiceGmail:
		for _, e := range s.emails {
			if stale(e.ID, e.Embedding) && len(it.Emails) < limit {
				e.Embedding.Values = nil
				it.Emails = append(it.Emails, e)
			}
		}
	case domain.ServiceDrive:
		for _, f := range s.files {
			if stale(f.ID, f.Embedding) && len(it.Files) < limit {
				f.Embedding.Values = nil
				it.Files = append(it.Files, f)
			}
		}
	}
	return it, nil
}

func (s *staleStore) SetEmbeddings(_ context.Context, svc domain.Service, vs []ingest.ItemVector) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	if s.beforeSet != nil {
		s.beforeSet()
		s.beforeSet = nil
	}
	for _, v := range vs {
		switch svc {
		case domain.ServiceGmail:
			i := slices.IndexFunc(s.emails, func(e domain.Email) bool { return e.ID == v.ID && e.UpdatedAt.Equal(v.UpdatedAt) })
			if i >= 0 {
				s.emails[i].Embedding, n = v.Vector, n+1
			}
		case domain.ServiceDrive:
			i := slices.IndexFunc(s.files, func(f domain.File) bool { return f.ID == v.ID && f.UpdatedAt.Equal(v.UpdatedAt) })
			if i >= 0 {
				s.files[i].Embedding, n = v.Vector, n+1
			}
		}
	}
	s.writes += n
	return n, nil
}

// textEmbedder records the texts it embeds.
type textEmbedder struct {
	model string
	mu    sync.Mutex
	texts []string
}

func (e *textEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.texts = append(e.texts, texts...)
	out := make([][]float32, len(texts))
	for i := range out {
		out[i] = []float32{float32(len(e.texts))}
	}
	return out, nil
}

func (e *textEmbedder) Model() string { return e.model }

// stepClock moves one second on at every reading.
type stepClock struct {
	domain.SystemClock // timers
	mu                 sync.Mutex
	t                  time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// staleSetup caches 10 emails (the odd ones current, by model b) and 3 files
// not embedded yet, and a Reembedder for model b in batches of 2.
func staleSetup(t *testing.T, budget time.Duration) (*staleStore, *textEmbedder, *ingest.Reembedder) {
	t.Helper()
	st := &staleStore{}
	for i := range 10 {
		e := domain.Email{ID: uuid.Must(uuid.NewV7()), UserID: uuid.New(), Subject: fmt.Sprintf("subject %d", i),
			Body: "body", Embedding: domain.Vector{Values: []float32{0}, Model: "a"}}
		if i%2 == 1 {
			e.Embedding.Model = "b"
		}
		st.emails = append(st.emails, e)
	}
	for i := range 3 {
		st.files = append(st.files, domain.File{ID: uuid.Must(uuid.NewV7()), Name: fmt.Sprintf("file %d", i), Content: "content"})
	}
	em := &textEmbedder{model: "b"}
	r, err := ingest.NewReembedder(ingest.ReembedDeps{Store: st, Embedder: em, Clock: &stepClock{}, Logger: slog.New(slog.DiscardHandler)},
		ingest.ReembedConfig{Batch: 2, Budget: budget, Text: ingest.Config{MaxTextBytes: 12}})
	require.NoError(t, err)
	return st, em, r
}

func TestReembedRunsInBudgetedStepsAndResumes(t *testing.T) {
	t.Parallel()
	st, em, r := staleSetup(t, 2500*time.Millisecond) // 3 batches per Run
	ctx := context.Background()

	res, err := r.Run(ctx)
	require.NoError(t, err)
	require.Equal(t, ingest.ReembedResult{Updated: 5}, res, "three batches: two of 2 emails, then the last stale email")
	// Once a batch is done, each read, empty or not, costs a second of budget.
	res, err = r.Run(ctx)
	require.NoError(t, err)
	require.Equal(t, ingest.ReembedResult{Updated: 3, Done: true}, res, "the files; no email is embedded twice")
	res, err = r.Run(ctx)
	require.NoError(t, err)
	require.Equal(t, ingest.ReembedResult{Done: true}, res)

	require.Len(t, em.texts, 8)
	require.Equal(t, 8, st.writes)
	for i, e := range st.emails {
		require.Equal(t, "b", e.Embedding.Model)
		if i%2 == 1 {
			require.Equal(t, []float32{0}, e.Embedding.Values, "current items are left alone")
		}
	}
	// The sync's text, cut to MaxTextBytes.
	require.Equal(t, ingest.EmailText(domain.Email{Subject: "subject 0", Body: "body"})[:12], em.texts[0])
	require.Equal(t, "file 0\nconte", em.texts[5])
}

func TestReembedProgressesOnAnyBudget(t *testing.T) {
	t.Parallel()
	st, em, r := staleSetup(t, time.Nanosecond)
	runs := 0
	for res := (ingest.ReembedResult{}); !res.Done; runs++ {
		var err error
		res, err = r.Run(context.Background())
		require.NoError(t, err)
		require.True(t, res.Done || res.Updated > 0, "a Run that stops early did a batch")
	}
	require.Equal(t, 5, runs, "one batch per Run: 3 of emails, 2 of files")
	require.Len(t, em.texts, 8)
	require.Equal(t, 8, st.writes)
}

func TestReembedSkipsItemsRewrittenMeanwhile(t *testing.T) {
	t.Parallel()
	st, _, r := staleSetup(t, time.Minute)
	synced := domain.Vector{Values: []float32{42}, Model: "b"}
	// A sync rewrites the first email after the Reembedder read it.
	st.beforeSet = func() {
		st.emails[0].UpdatedAt = st.emails[0].UpdatedAt.Add(time.Second)
		st.emails[0].Embedding = synced
	}
	res, err := r.Run(context.Background())
	require.NoError(t, err)
	require.Equal(t, ingest.ReembedResult{Updated: 7, Done: true}, res, "5 emails and 3 files were stale")
	require.Equal(t, synced, st.emails[0].Embedding, "the sync's vector stays")
}

func TestReembedConfigValidates(t *testing.T) {
	t.Parallel()
	d := ingest.ReembedDeps{Store: &staleStore{}, Embedder: &textEmbedder{}, Clock: &stepClock{}, Logger: slog.New(slog.DiscardHandler)}
	for _, cfg := range []ingest.ReembedConfig{{Batch: -1}, {Budget: -time.Second}} {
		_, err := ingest.NewReembedder(d, cfg)
		require.ErrorIs(t, err, domain.ErrInvalidInput)
	}
	_, err := ingest.NewReembedder(d, ingest.ReembedConfig{Text: ingest.Config{EmbedBatch: -1}})
	require.ErrorContains(t, err, "EmbedBatch")
	_, err = ingest.NewReembedder(ingest.ReembedDeps{}, ingest.ReembedConfig{})
	require.ErrorIs(t, err, domain.ErrInvalidInput)
}

// passageEmbedder is a textEmbedder that also gives each text one passage,
// its length.
type passageEmbedder struct{ textEmbedder }

func (e *passageEmbedder) Passages(texts []string) [][]domain.Sparse {
	out := make([][]domain.Sparse, len(texts))
	for i, t := range texts {
		out[i] = []domain.Sparse{{Indices: []int32{int32(len(t))}, Values: []float32{1}}}
	}
	return out
}

func (e *passageEmbedder) QueryWords(string) domain.Sparse { return domain.Sparse{} }

func TestReembedGivesPassagesWhenTheEmbedderHasThem(t *testing.T) {
	t.Parallel()
	st := &staleStore{files: []domain.File{{ID: uuid.Must(uuid.NewV7()), Name: "plan", Content: "the offsite"}}}
	r, err := ingest.NewReembedder(ingest.ReembedDeps{Store: st, Embedder: &passageEmbedder{textEmbedder{model: "p"}}, Clock: &stepClock{},
		Logger: slog.New(slog.DiscardHandler)}, ingest.ReembedConfig{Text: ingest.Config{MaxTextBytes: 8}})
	require.NoError(t, err)
	res, err := r.Run(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, res.Updated)
	require.Equal(t, domain.Vector{Values: []float32{1}, Model: "p", Passages: []domain.Sparse{{Indices: []int32{8}, Values: []float32{1}}}},
		st.files[0].Embedding, "the passages of the text embedded, cut as a sync cuts it")
}
