package searchcache_test

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/redistest"
	"github.com/workspace-orchestrator/orchestrator/adapter/searchcache"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/query"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
)

// index answers every full-text query with one mail and counts the calls.
type index struct{ calls atomic.Int32 }

func (i *index) FullText(context.Context, uuid.UUID, search.TextQuery) ([]search.Candidate, error) {
	i.calls.Add(1)
	return []search.Candidate{{Item: search.Item{Service: domain.ServiceGmail, ID: uuid.UUID{1}, Title: "Budget", MessageIDs: []string{"<1@x>"}}, Score: 2}}, nil
}

func (i *index) Identifier(context.Context, uuid.UUID, search.IdentQuery) ([]search.Candidate, error) {
	return nil, nil
}

func (i *index) Vector(context.Context, uuid.UUID, search.VectorQuery) ([]search.Candidate, error) {
	return nil, nil
}

type embedder struct{}

func (embedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	return make([][]float32, len(texts)), nil
}
func (embedder) Model() string { return "test" }

type versions struct{ v atomic.Int64 }

func (v *versions) DataVersion(context.Context, uuid.UUID) (int64, error) { return v.v.Load(), nil }

type fixture struct {
	engine *search.Engine
	idx    *index
	vers   *versions
	rdb    *redis.Client
}

func setup(t *testing.T) fixture {
	t.Helper()
	rdb, prefix := redistest.New(t)
	cache, err := searchcache.New(rdb, searchcache.Config{TTL: time.Minute, Prefix: prefix})
	require.NoError(t, err)
	f := fixture{idx: &index{}, vers: &versions{}, rdb: rdb}
	f.engine, err = search.New(search.Config{}, search.Deps{
		Index: f.idx, Embedder: embedder{}, Parser: query.Parser{}, Cache: cache, Versions: f.vers,
		Clock: domain.FixedClock{T: time.Date(2001, 6, 1, 0, 0, 0, 0, time.UTC)}, Logger: slog.New(slog.DiscardHandler),
	})
	require.NoError(t, err)
	return f
}

func TestResultsCachedUntilDataChanges(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	req := search.Request{UserID: uuid.New(), Query: "budget", Legs: []search.Leg{search.LegFullText}}

	first, err := f.engine.Search(ctx, req)
	require.NoError(t, err)
	require.False(t, first.Cached)
	again, err := f.engine.Search(ctx, req)
	require.NoError(t, err)
	require.True(t, again.Cached)
	require.Equal(t, first.Hits, again.Hits)
	require.Equal(t, int32(1), f.idx.calls.Load())

	f.vers.v.Add(1) // the user's data changed
	fresh, err := f.engine.Search(ctx, req)
	require.NoError(t, err)
	require.False(t, fresh.Cached)
	require.Equal(t, int32(2), f.idx.calls.Load())

	other := req
	other.UserID = uuid.New()
	_, err = f.engine.Search(ctx, other)
	require.NoError(t, err)
	require.Equal(t, int32(3), f.idx.calls.Load(), "users never share results")
}

func TestConfigValidation(t *testing.T) {
	t.Parallel()
	_, err := searchcache.New(nil, searchcache.Config{TTL: time.Millisecond})
	require.ErrorIs(t, err, domain.ErrInvalidInput)
	require.ErrorContains(t, err, "TTL")
}
