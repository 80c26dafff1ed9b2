// Package cache keeps the ask pipeline's short-lived state in Redis:
// conversation context (60 minutes) and classified intents (5 minutes). A
// Redis failure is a miss, never a failed ask: the pipeline can rebuild both.
package cache

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"github.com/workspace-orchestrator/orchestrator/domain/intent"
)

// Config tunes the caches.
type Config struct {
	// Prefix namespaces the keys. Defaults to DefaultPrefix ("ask:").
	Prefix string
	// ContextTTL is how long a conversation's context lives. Defaults to
	// DefaultContextTTL (60m).
	ContextTTL time.Duration
	// IntentTTL is how long a classified intent lives. Defaults to
	// DefaultIntentTTL (5m).
	IntentTTL time.Duration
}

// Defaults of Config.
const (
	DefaultPrefix     = "ask:"
	DefaultContextTTL = 60 * time.Minute
	DefaultIntentTTL  = 5 * time.Minute
)

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	c.Prefix = cmp.Or(c.Prefix, DefaultPrefix)
	c.ContextTTL = cmp.Or(c.ContextTTL, DefaultContextTTL)
	c.IntentTTL = cmp.Or(c.IntentTTL, DefaultIntentTTL)
	return c
}

func (c Config) validate() error {
	if c.ContextTTL < time.Second {
		return fmt.Errorf("cache: Config.ContextTTL is %s, want >= 1s", c.ContextTTL)
	}
	if c.IntentTTL < time.Second {
		return fmt.Errorf("cache: Config.IntentTTL is %s, want >= 1s", c.IntentTTL)
	}
	return nil
}

// Cache implements orchestrator.ContextStore and orchestrator.IntentCache.
type Cache struct {
	rdb redis.UniversalClient
	cfg Config
}

// New returns a Cache on rdb.
func New(rdb redis.UniversalClient, cfg Config) (*Cache, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Cache{rdb: rdb, cfg: cfg}, nil
}

func (c *Cache) contextKey(userID, convID uuid.UUID) string {
	return c.cfg.Prefix + "ctx:" + userID.String() + ":" + convID.String()
}

// Context returns the stored conversation context, or false on a miss.
func (c *Cache) Context(ctx context.Context, userID, convID uuid.UUID) (intent.ConversationContext, bool, error) {
	var cc intent.ConversationContext
	ok, err := c.get(ctx, c.contextKey(userID, convID), &cc)
	return cc, ok, err
}

// SaveContext stores a conversation's context for ContextTTL.
func (c *Cache) SaveContext(ctx context.Context, userID, convID uuid.UUID, cc intent.ConversationContext) error {
	return c.set(ctx, c.contextKey(userID, convID), cc, c.cfg.ContextTTL)
}

// Intent returns the cached intent under key, or false on a miss.
func (c *Cache) Intent(ctx context.Context, key string) (intent.Intent, bool, error) {
	var in intent.Intent
	ok, err := c.get(ctx, c.cfg.Prefix+"intent:"+key, &in)
	return in, ok, err
}

// SaveIntent caches an intent for IntentTTL.
func (c *Cache) SaveIntent(ctx context.Context, key string, in intent.Intent) error {
	return c.set(ctx, c.cfg.Prefix+"intent:"+key, in, c.cfg.IntentTTL)
}

func (c *Cache) get(ctx context.Context, key string, v any) (bool, error) {
	b, err := c.rdb.Get(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("cache: get %s: %w", key, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("cache: decode %s: %w", key, err)
	}
	return true, nil
}

func (c *Cache) set(ctx context.Context, key string, v any, ttl time.Duration) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("cache: encode %s: %w", key, err)
	}
	if err := c.rdb.Set(ctx, key, b, ttl).Err(); err != nil {
		return fmt.Errorf("cache: set %s: %w", key, err)
	}
	return nil
}
