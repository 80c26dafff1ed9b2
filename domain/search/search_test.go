package search_test

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/query"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
)

// index is an in-memory search.Index that records what each leg was asked.
type index struct {
	mu       sync.Mutex
	text     []search.TextQuery
	vector   []search.VectorQuery
	filtered []search.VectorQuery
	ident    []search.IdentQuery
}

func item(n byte, s domain.Service) search.Candidate {
	return search.Candidate{Item: search.Item{Service: s, ID: uuid.UUID{n}, Title: string('a' + rune(n))}}
}

func (i *index) FullText(_ context.Context, _ uuid.UUID, q search.TextQuery) ([]search.Candidate, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.text = append(i.text, q)
	return []search.Candidate{item(1, domain.ServiceGmail), item(2, domain.ServiceGmail)}, nil
}

func (i *index) Vector(_ context.Context, _ uuid.UUID, q search.VectorQuery) ([]search.Candidate, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if q.Filters != nil {
		i.filtered = append(i.filtered, q)
		return []search.Candidate{item(3, domain.ServiceGmail)}, nil
	}
	i.vector = append(i.vector, q)
	return []search.Candidate{item(2, domain.ServiceGmail), item(4, domain.ServiceDrive)}, nil
}

func (i *index) Identifier(_ context.Context, _ uuid.UUID, q search.IdentQuery) ([]search.Candidate, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.ident = append(i.ident, q)
	return []search.Candidate{item(5, domain.ServiceDrive)}, nil
}

type embedder struct{ model string }

func (e embedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i := range out {
		out[i] = []float32{1}
	}
	return out, nil
}
func (e embedder) Model() string { return e.model }

// people knows Sarah.
type people struct{}

func (people) People(_ context.Context, _ uuid.UUID, name []string, _ bool) ([]string, error) {
	if len(name) == 1 && name[0] == "sarah" {
		return []string{"sarah@example.com"}, nil
	}
	return nil, nil
}
func (people) Labels(context.Context, uuid.UUID) ([]string, error) { return nil, nil }

type fixture struct {
	idx    *index
	engine *search.Engine
}

func setup(t *testing.T, model string) fixture {
	t.Helper()
	idx := &index{}
	e, err := search.New(search.Config{Profiles: map[string]search.Profile{"offline": search.OfflineProfile}}, search.Deps{
		Index: idx, Embedder: embedder{model}, Parser: query.Parser{Contacts: people{}},
		Clock: domain.FixedClock{T: time.Date(2001, 6, 1, 0, 0, 0, 0, time.UTC)}, Logger: slog.New(slog.DiscardHandler),
	})
	require.NoError(t, err)
	return fixture{idx: idx, engine: e}
}

func TestHybridFusesLegsWithProfileWeights(t *testing.T) {
	t.Parallel()
	f := setup(t, "remote")
	r, err := f.engine.Search(context.Background(), search.Request{UserID: uuid.New(), Query: "emails from Sarah about the budget"})
	require.NoError(t, err)
	require.Equal(t, []string{"sarah@example.com"}, r.Parsed.Filters.From)
	require.Equal(t, []domain.Service{domain.ServiceGmail}, f.idx.text[0].Services, "a leading service word scopes every leg")
	require.Equal(t, []string{"sarah@example.com"}, f.idx.filtered[0].Filters.From)
	require.Equal(t, []float32{1}, f.idx.filtered[0].Vector)
	require.Equal(t, 50, f.idx.vector[0].Limit)

	// found by two legs first; then the filtered leg's hit, boosted 1.5x
	// over the other legs' first hits
	require.Equal(t, []uuid.UUID{{2}, {3}, {1}, {4}}, []uuid.UUID{r.Hits[0].ID, r.Hits[1].ID, r.Hits[2].ID, r.Hits[3].ID})
	require.InDelta(t, 60.0/62+60.0/61, r.Hits[0].Score, 1e-12)
	require.Equal(t, []search.LegHit{{Leg: search.LegFullText, Rank: 2}, {Leg: search.LegVector, Rank: 1}}, r.Hits[0].Legs)
	require.Equal(t, []search.LegHit{{Leg: search.LegFiltered, Rank: 1}}, r.Hits[1].Legs)
	require.InDelta(t, 1.5*60/61, r.Hits[1].Score, 1e-12)
	require.Len(t, r.Hits, 4, "deduplicated by item")
}

// A list with a Power lends an item its weight times its score's fraction of
// the list's best to that power, whatever its rank: a distant second counts
// for less than a close one. A list without a Power (the filtered leg)
// ranks by rank alone, its first item lending about its weight.
func TestFusePowerFollowsScores(t *testing.T) {
	t.Parallel()
	c := func(n byte, score float64) search.Candidate {
		return search.Candidate{Item: search.Item{Service: domain.ServiceGmail, ID: uuid.UUID{n}}, Score: score}
	}
	hits := search.Fuse(60, []search.Ranked{
		{Leg: search.LegFullText, Weight: 1, Power: 2, Items: []search.Candidate{c(1, 20), c(2, 10), c(3, 19)}},
		{Leg: search.LegVector, Weight: 0.5, Power: 2, Items: []search.Candidate{c(2, 0.8), c(3, 0.4)}},
		{Leg: search.LegFiltered, Weight: 1.5, Items: []search.Candidate{c(4, 0.1), c(1, 0.9)}},
	}, 10)
	score := map[byte]float64{}
	for _, h := range hits {
		score[h.ID[0]] = h.Score
	}
	require.InDelta(t, 1+1.5*60/62, score[1], 1e-12)
	require.InDelta(t, 0.25+0.5, score[2], 1e-12)
	require.InDelta(t, 0.9025+0.5*0.25, score[3], 1e-12)
	require.InDelta(t, 1.5*60/61, score[4], 1e-12, "no Power: the filtered leg's own scores do not count")
	require.Equal(t, []byte{1, 4, 3, 2}, []byte{hits[0].ID[0], hits[1].ID[0], hits[2].ID[0], hits[3].ID[0]})
}

func TestStrictFiltersHoldInEveryLeg(t *testing.T) {
	t.Parallel()
	f := setup(t, "remote")
	r, err := f.engine.Search(context.Background(), search.Request{UserID: uuid.New(), Query: "the budget", Strict: true,
		Filters: domain.Filter{From: []string{"sarah@example.com"}}})
	require.NoError(t, err)
	require.Equal(t, []string{"sarah@example.com"}, f.idx.text[0].Filters.From, "full text ranks only her mail")
	require.Empty(t, f.idx.vector, "the vector leg would repeat the filtered one")
	require.Len(t, f.idx.filtered, 1)
	require.Equal(t, []uuid.UUID{{3}, {1}, {2}}, []uuid.UUID{r.Hits[0].ID, r.Hits[1].ID, r.Hits[2].ID})

	// Without filters, strict changes nothing.
	_, err = f.engine.Search(context.Background(), search.Request{UserID: uuid.New(), Query: "the budget", Strict: true})
	require.NoError(t, err)
	require.Nil(t, f.idx.text[1].Filters)
	require.Len(t, f.idx.vector, 1)
}

// passager gives every query the words it was built with.
type passager struct{ words domain.Sparse }

func (p passager) Passages(texts []string) [][]domain.Sparse {
	return make([][]domain.Sparse, len(texts))
}
func (p passager) QueryWords(string) domain.Sparse { return p.words }

func TestPassagesRankTheVectorLeg(t *testing.T) {
	t.Parallel()
	idx := &index{}
	words := domain.Sparse{Indices: []int32{7}, Values: []float32{1}}
	e, err := search.New(search.Config{}, search.Deps{
		Index: idx, Embedder: embedder{"offline"}, Passages: passager{words}, Parser: query.Parser{Contacts: people{}},
		Clock: domain.FixedClock{T: time.Date(2001, 6, 1, 0, 0, 0, 0, time.UTC)}, Logger: slog.New(slog.DiscardHandler),
	})
	require.NoError(t, err)
	r, err := e.Search(context.Background(), search.Request{UserID: uuid.New(), Query: "emails from Sarah about the budget"})
	require.NoError(t, err)
	require.Equal(t, &words, idx.vector[0].Words, "the vector leg ranks passages by the query's words")
	require.Nil(t, idx.vector[0].Vector)
	require.Nil(t, idx.filtered[0].Words, "the filtered leg keeps the embedding")
	require.Equal(t, []float32{1}, idx.filtered[0].Vector)
	require.Contains(t, r.Timings, "embed")
}

func TestProfileFollowsTheEmbedder(t *testing.T) {
	t.Parallel()
	require.Equal(t, search.OfflineProfile.WithDefaults(), setup(t, "offline").engine.Profile())
	require.Equal(t, search.Profile{FullText: 1, Vector: 1, Filtered: 1, Boost: 1.5, Ident: 2, MinSimilarity: search.DefaultMinSimilarity, RelativeBM25: search.DefaultRelativeBM25}, setup(t, "remote").engine.Profile())
}

func TestSingleLegsAndLimits(t *testing.T) {
	t.Parallel()
	f := setup(t, "remote")
	ctx := context.Background()
	r, err := f.engine.Search(ctx, search.Request{UserID: uuid.New(), Query: "budget", Legs: []search.Leg{search.LegVector}, First: 1})
	require.NoError(t, err)
	require.Empty(t, f.idx.text)
	require.Len(t, r.Hits, 1)
	require.Equal(t, []search.LegHit{{Leg: search.LegVector, Rank: 1}}, r.Hits[0].Legs)

	// a query that is only filters runs the filtered leg alone, newest first (no vector)
	r, err = f.engine.Search(ctx, search.Request{UserID: uuid.New(), Query: "emails from Sarah"})
	require.NoError(t, err)
	require.Len(t, f.idx.filtered, 1)
	require.Nil(t, f.idx.filtered[0].Vector)
	require.Equal(t, uuid.UUID{3}, r.Hits[0].ID)

	_, err = f.engine.Search(ctx, search.Request{UserID: uuid.New(), Query: "x", First: 51})
	require.ErrorIs(t, err, domain.ErrInvalidInput)
	_, err = f.engine.Search(ctx, search.Request{UserID: uuid.New(), Query: "x", Services: []domain.Service{"photos"}})
	require.ErrorIs(t, err, domain.ErrInvalidInput)
}

func TestConfigValidationNamesTheField(t *testing.T) {
	t.Parallel()
	_, err := search.New(search.Config{BM25: search.BM25{B: 2}}, search.Deps{})
	require.ErrorIs(t, err, domain.ErrInvalidInput)
	require.ErrorContains(t, err, "BM25.B")
}

// picky finds nothing for phrases nor in Calendar, and its vectors are far.
type picky struct{ index }

func (p *picky) FullText(ctx context.Context, u uuid.UUID, q search.TextQuery) ([]search.Candidate, error) {
	if slices.ContainsFunc(q.Terms, func(t query.Term) bool { return t.Phrase }) || slices.Equal(q.Services, []domain.Service{domain.ServiceCalendar}) {
		p.mu.Lock()
		p.text = append(p.text, q)
		p.mu.Unlock()
		return nil, nil
	}
	return p.index.FullText(ctx, u, q)
}

func (p *picky) Vector(context.Context, uuid.UUID, search.VectorQuery) ([]search.Candidate, error) {
	c := item(9, domain.ServiceCalendar)
	c.Score = 0.1
	return []search.Candidate{c}, nil
}

func TestNothingGoodRelaxesPhrasesThenServices(t *testing.T) {
	t.Parallel()
	idx := &picky{}
	e, err := search.New(search.Config{}, search.Deps{
		Index: idx, Embedder: embedder{"remote"}, Parser: query.Parser{},
		Clock: domain.FixedClock{T: time.Date(2001, 6, 1, 0, 0, 0, 0, time.UTC)}, Logger: slog.New(slog.DiscardHandler),
	})
	require.NoError(t, err)
	r, err := e.Search(context.Background(), search.Request{UserID: uuid.New(), Query: `meetings about "budget plan review"`})
	require.NoError(t, err)
	require.Equal(t, []string{
		`no item holds "budget plan review" as written; searched for the words instead`,
		"nothing found in calendar; searched every service",
	}, r.Notes)
	require.Len(t, idx.text, 3)
	require.True(t, idx.text[0].Terms[0].Phrase)
	require.False(t, idx.text[1].Terms[0].Phrase)
	require.Equal(t, domain.Services, idx.text[2].Services)
	require.NotEmpty(t, r.Relevant())

	r, err = e.Search(context.Background(), search.Request{UserID: uuid.New(), Query: "budget"})
	require.NoError(t, err)
	require.Empty(t, r.Notes, "found as written")
}

func TestAnItemNamedByItsIDComesFirst(t *testing.T) {
	t.Parallel()
	f := setup(t, "remote")
	r, err := f.engine.Search(context.Background(), search.Request{UserID: uuid.New(), Query: "status of KEP 536"})
	require.NoError(t, err)
	require.Equal(t, []string{"KEP 536"}, f.idx.ident[0].Idents)
	require.Equal(t, uuid.UUID{5}, r.Hits[0].ID)
	require.Equal(t, []search.LegHit{{Leg: search.LegIdent, Rank: 1}}, r.Hits[0].Legs)
	require.Contains(t, r.Relevant(), r.Hits[0])

	_, err = f.engine.Search(context.Background(), search.Request{UserID: uuid.New(), Query: "budget"})
	require.NoError(t, err)
	require.Len(t, f.idx.ident, 1, "no id, no identifier leg")
}
