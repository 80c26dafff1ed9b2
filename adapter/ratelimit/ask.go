package ratelimit

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// AskConfig configures an AskLimiter.
type AskConfig struct {
	// Prefix starts every Redis key. Defaults to DefaultAskPrefix ("asklimit:").
	Prefix string
	// PerHour is how many asks a user may make in an hour, all of them at
	// once if they like; the budget refills evenly over the hour. Defaults to
	// DefaultAskPerHour (120).
	PerHour int
}

// Defaults of AskConfig.
const (
	DefaultAskPrefix  = "asklimit:"
	DefaultAskPerHour = 120
)

// WithDefaults fills zero fields with their defaults.
func (c AskConfig) WithDefaults() AskConfig {
	c.Prefix = cmp.Or(c.Prefix, DefaultAskPrefix)
	c.PerHour = cmp.Or(c.PerHour, DefaultAskPerHour)
	return c
}

func (c AskConfig) validate() error {
	if c.PerHour < 1 {
		return fmt.Errorf("ratelimit: AskConfig.PerHour is %d, want >= 1: %w", c.PerHour, domain.ErrInvalidInput)
	}
	return nil
}

// AskLimiter bounds how many asks each user makes per hour, shared by every
// process through Redis (a GCRA bucket per user).
type AskLimiter struct {
	cfg AskConfig
	rl  *redis_rate.Limiter
	rdb redis.UniversalClient
}

// retriesKept is how long a client request id is remembered: a retry within
// it costs nothing (the ask is answered with the first message).
const retriesKept = 24 * time.Hour

// NewAskLimiter returns an AskLimiter over rdb.
func NewAskLimiter(rdb redis.UniversalClient, cfg AskConfig) (*AskLimiter, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &AskLimiter{cfg: cfg, rl: redis_rate.NewLimiter(rdb), rdb: rdb}, nil
}

// AllowAsk spends one ask of the user's budget, or answers a
// *domain.RetryAfterError wrapping domain.ErrRateLimited that says when the
// next ask will be allowed. A retry (a clientRequestID the user already
// sent, within a day) spends nothing: it starts no work. Call it once the
// ask is known valid, so a refused input costs nothing either. When Redis
// fails it answers an error wrapping domain.ErrUnavailable: asks then fail
// closed, as their answers stream through Redis anyway.
func (l *AskLimiter) AllowAsk(ctx context.Context, userID uuid.UUID, clientRequestID string) error {
	var seen string
	if clientRequestID != "" {
		seen = l.cfg.Prefix + "seen:" + userID.String() + ":" + clientRequestID
		first, err := l.rdb.SetNX(ctx, seen, 1, retriesKept).Result()
		if err != nil {
			return fmt.Errorf("ask limit in redis: %w: %w", domain.ErrUnavailable, err)
		}
		if !first {
			return nil
		}
	}
	res, err := l.rl.Allow(ctx, l.cfg.Prefix+userID.String(), redis_rate.PerHour(l.cfg.PerHour))
	if err != nil {
		return fmt.Errorf("ask limit in redis: %w: %w", domain.ErrUnavailable, err)
	}
	if res.Allowed > 0 {
		return nil
	}
	if seen != "" { // refused: the retry that comes later must be charged
		_ = l.rdb.Del(ctx, seen).Err()
	}
	return retryAfter(res, fmt.Errorf("more than %d asks in an hour", l.cfg.PerHour))
}
