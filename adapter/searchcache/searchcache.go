// Package searchcache keeps search results in Redis for a few minutes. Keys
// carry the user's data version (search.Engine builds them), so a change to
// the user's workspace makes older results unreachable at once; they expire
// on their own.
package searchcache

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
)

// Config tunes the cache.
type Config struct {
	// TTL is how long a result lives. Defaults to DefaultTTL (5 minutes).
	TTL time.Duration
	// Prefix starts every key. Defaults to DefaultPrefix ("search:").
	Prefix string
}

// Defaults of Config.
const (
	DefaultTTL    = 5 * time.Minute
	DefaultPrefix = "search:"
)

// WithDefaults fills zero fields.
func (c Config) WithDefaults() Config {
	c.TTL = cmp.Or(c.TTL, DefaultTTL)
	c.Prefix = cmp.Or(c.Prefix, DefaultPrefix)
	return c
}

func (c Config) validate() error {
	if c.TTL < time.Second {
		return fmt.Errorf("searchcache: TTL must be at least 1s, got %s: %w", c.TTL, domain.ErrInvalidInput)
	}
	return nil
}

// Cache is a search.ResultCache in Redis.
type Cache struct {
	rdb redis.UniversalClient
	cfg Config
}

var _ search.ResultCache = (*Cache)(nil)

// New returns a cache over rdb.
func New(rdb redis.UniversalClient, cfg Config) (*Cache, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Cache{rdb: rdb, cfg: cfg}, nil
}

// Result returns the result saved under key, if any.
func (c *Cache) Result(ctx context.Context, key string) (search.Result, bool, error) {
	b, err := c.rdb.Get(ctx, c.cfg.Prefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return search.Result{}, false, nil
	}
	if err != nil {
		return search.Result{}, false, fmt.Errorf("searchcache: get: %w", err)
	}
	var r search.Result
	if err := json.Unmarshal(b, &r); err != nil {
		return search.Result{}, false, fmt.Errorf("searchcache: decode: %w", err)
	}
	return r, true, nil
}

// SaveResult saves r under key for the configured TTL.
func (c *Cache) SaveResult(ctx context.Context, key string, r search.Result) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("searchcache: encode: %w", err)
	}
	if err := c.rdb.Set(ctx, c.cfg.Prefix+key, b, c.cfg.TTL).Err(); err != nil {
		return fmt.Errorf("searchcache: set: %w", err)
	}
	return nil
}
