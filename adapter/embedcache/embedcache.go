// Package embedcache caches embeddings in Redis in front of another
// domain.Embedder. It is meant for query embeddings, which repeat (the same
// search typed again, paging, the eval harness) and cost a network round trip
// with a remote provider; documents are embedded once at sync and stored.
package embedcache

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// DefaultTTL is how long a cached embedding lives when New gets ttl <= 0.
const DefaultTTL = time.Hour

// Cache is a domain.Embedder that answers from Redis when it can and from
// next otherwise. Redis failures never fail a call: they are logged and next
// answers instead.
type Cache struct {
	next   domain.Embedder
	rdb    redis.UniversalClient
	ttl    time.Duration
	prefix string
	log    *slog.Logger
}

var _ domain.Embedder = (*Cache)(nil)

// Option configures a Cache.
type Option func(*Cache)

// WithLogger sets where Redis failures are logged. Defaults to slog.Default().
func WithLogger(l *slog.Logger) Option { return func(c *Cache) { c.log = l } }

// New wraps next. Keys are prefix + model + ":" + hex(sha256(text)), so a
// change of model never serves stale vectors; values are the vector as
// little-endian float32s. ttl <= 0 means DefaultTTL. On Redis Cluster, give
// the prefix a hash tag ("emb:{q}:") so one batch's MGET stays in one slot.
func New(next domain.Embedder, rdb redis.UniversalClient, ttl time.Duration, prefix string, opts ...Option) domain.Embedder {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	c := &Cache{next: next, rdb: rdb, ttl: ttl, prefix: prefix, log: slog.Default()}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Model is next's model: caching does not change the vectors.
func (c *Cache) Model() string { return c.next.Model() }

// Embed reads every text's key with one MGET, embeds the misses (each
// distinct text once) with next, and stores them.
func (c *Cache) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if len(texts) == 0 {
		return [][]float32{}, nil
	}
	model := c.next.Model()
	keys := make([]string, len(texts))
	for i, t := range texts {
		keys[i] = c.key(model, t)
	}
	out := make([][]float32, len(texts))
	vals, err := c.rdb.MGet(ctx, keys...).Result()
	if err != nil {
		c.log.WarnContext(ctx, "embedcache: read failed, embedding without cache", "model", model, "texts", len(texts), "err", err)
		vals = nil
	}
	for i, v := range vals {
		if s, ok := v.(string); ok {
			out[i] = decode(s) // nil when malformed: embedded again below
		}
	}

	// Embed each missing distinct text once.
	var missTexts, missKeys []string
	slot := map[string]int{}
	for i, v := range out {
		if v != nil {
			continue
		}
		if _, seen := slot[keys[i]]; !seen {
			slot[keys[i]] = len(missTexts)
			missTexts, missKeys = append(missTexts, texts[i]), append(missKeys, keys[i])
		}
	}
	if len(missTexts) == 0 {
		return out, nil
	}
	fresh, err := c.next.Embed(ctx, missTexts)
	if err != nil {
		return nil, err
	}
	if len(fresh) != len(missTexts) {
		return nil, fmt.Errorf("embedcache: %s returned %d vectors for %d texts: %w", model, len(fresh), len(missTexts), domain.ErrUnavailable)
	}
	for i, v := range out {
		if v == nil {
			out[i] = fresh[slot[keys[i]]]
		}
	}
	_, err = c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for k, key := range missKeys {
			p.Set(ctx, key, encode(fresh[k]), c.ttl)
		}
		return nil
	})
	if err != nil {
		c.log.WarnContext(ctx, "embedcache: write failed", "model", model, "texts", len(missKeys), "err", err)
	}
	return out, nil
}

func (c *Cache) key(model, text string) string {
	sum := sha256.Sum256([]byte(text))
	return c.prefix + model + ":" + hex.EncodeToString(sum[:])
}

func encode(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// decode returns nil unless s holds exactly one EmbeddingDim vector.
func decode(s string) []float32 {
	if len(s) != 4*domain.EmbeddingDim {
		return nil
	}
	v := make([]float32, domain.EmbeddingDim)
	for i := range v {
		j := 4 * i
		v[i] = math.Float32frombits(uint32(s[j]) | uint32(s[j+1])<<8 | uint32(s[j+2])<<16 | uint32(s[j+3])<<24)
	}
	return v
}
