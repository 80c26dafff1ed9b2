package embedcache_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/embedcache"
	"github.com/workspace-orchestrator/orchestrator/adapter/redistest"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

// counting is a deterministic embedder that records what it was asked.
type counting struct {
	model string
	err   error
	mu    sync.Mutex
	calls [][]string
}

func (c *counting) Model() string { return c.model }

func (c *counting) Embed(_ context.Context, texts []string) ([][]float32, error) {
	c.mu.Lock()
	c.calls = append(c.calls, append([]string(nil), texts...))
	c.mu.Unlock()
	if c.err != nil {
		return nil, c.err
	}
	out := make([][]float32, len(texts))
	for i, t := range texts {
		h := fnv.New64a()
		h.Write([]byte(c.model + t))
		seed := h.Sum64()
		v := make([]float32, domain.EmbeddingDim)
		for j := range v {
			seed = seed*6364136223846793005 + 1442695040888963407
			v[j] = float32(int32(seed>>33)) / (1 << 31)
		}
		out[i] = v
	}
	return out, nil
}

type bundle struct {
	rdb    redis.UniversalClient
	next   *counting
	prefix string
	logs   *bytes.Buffer
	cache  domain.Embedder
}

func setup(t *testing.T) bundle {
	t.Helper()
	rdb, prefix := redistest.New(t)
	b := bundle{rdb: rdb, next: &counting{model: "m1"}, prefix: prefix, logs: &bytes.Buffer{}}
	b.cache = embedcache.New(b.next, rdb, 0, prefix, embedcache.WithLogger(slog.New(slog.NewTextHandler(b.logs, nil))))
	return b
}

func key(prefix, model, text string) string {
	sum := sha256.Sum256([]byte(text))
	return prefix + model + ":" + hex.EncodeToString(sum[:])
}

func TestMissThenHit(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	texts := []string{"budget review", "emails from sarah"}

	first, err := b.cache.Embed(ctx, texts)
	require.NoError(t, err)
	second, err := b.cache.Embed(ctx, texts)
	require.NoError(t, err)
	require.Equal(t, first, second)
	require.Equal(t, [][]string{texts}, b.next.calls, "the second call is served from Redis")
	require.Equal(t, "m1", b.cache.Model())

	k := key(b.prefix, "m1", "budget review")
	raw, err := b.rdb.Get(ctx, k).Bytes()
	require.NoError(t, err)
	require.Len(t, raw, 4*domain.EmbeddingDim)
	require.Equal(t, first[0][3], math.Float32frombits(binary.LittleEndian.Uint32(raw[12:])), "little-endian float32")
	ttl, err := b.rdb.TTL(ctx, k).Result()
	require.NoError(t, err)
	require.InDelta(t, time.Hour.Seconds(), ttl.Seconds(), 5, "default TTL is 1h")
}

func TestOnlyMissesReachNextOnceEach(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	_, err := b.cache.Embed(ctx, []string{"a"})
	require.NoError(t, err)

	got, err := b.cache.Embed(ctx, []string{"b", "a", "c", "b"})
	require.NoError(t, err)
	require.Equal(t, []string{"b", "c"}, b.next.calls[1])
	want, _ := (&counting{model: "m1"}).Embed(ctx, []string{"b", "a", "c", "b"})
	require.Equal(t, want, got)
}

func TestKeysIncludeTheModel(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	other := &counting{model: "m2"}
	c2 := embedcache.New(other, b.rdb, time.Minute, b.prefix)
	v1, err := b.cache.Embed(ctx, []string{"same text"})
	require.NoError(t, err)
	v2, err := c2.Embed(ctx, []string{"same text"})
	require.NoError(t, err)
	require.NotEqual(t, v1, v2)
	require.Len(t, other.calls, 1)
	ttl, err := b.rdb.TTL(ctx, key(b.prefix, "m2", "same text")).Result()
	require.NoError(t, err)
	require.LessOrEqual(t, ttl, time.Minute)
}

func TestMalformedValueIsReembedded(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	k := key(b.prefix, "m1", "x")
	require.NoError(t, b.rdb.Set(ctx, k, "garbage", time.Minute).Err())
	v, err := b.cache.Embed(ctx, []string{"x"})
	require.NoError(t, err)
	require.Len(t, v[0], domain.EmbeddingDim)
	require.Len(t, b.next.calls, 1)
	raw, err := b.rdb.Get(ctx, k).Bytes()
	require.NoError(t, err)
	require.Len(t, raw, 4*domain.EmbeddingDim, "overwritten")
}

func TestRedisDownFallsBackToNext(t *testing.T) {
	t.Parallel()
	next := &counting{model: "m1"}
	var logs bytes.Buffer
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { dead.Close() })
	c := embedcache.New(next, dead, 0, "test:", embedcache.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	v, err := c.Embed(context.Background(), []string{"q"})
	require.NoError(t, err)
	require.Len(t, v, 1)
	require.Len(t, next.calls, 1)
	require.Contains(t, logs.String(), "embedcache: read failed")
	require.Contains(t, logs.String(), "embedcache: write failed")
}

func TestNextErrorsPropagate(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.next.err = fmt.Errorf("provider: %w", domain.ErrRateLimited)
	_, err := b.cache.Embed(context.Background(), []string{"q"})
	require.ErrorIs(t, err, domain.ErrRateLimited)
}

// BenchmarkCachedQuery is a cache hit: one MGET round trip to local Redis.
func BenchmarkCachedQuery(b *testing.B) {
	rdb, prefix := redistest.New(b)
	c := embedcache.New(&counting{model: "m1"}, rdb, 0, prefix)
	q := []string{"emails from Sarah about budget review"}
	if _, err := c.Embed(context.Background(), q); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Embed(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
}
