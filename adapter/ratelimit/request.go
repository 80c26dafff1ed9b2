package ratelimit

import (
	"cmp"
	"context"
	"fmt"
	"math"

	"github.com/go-redis/redis_rate/v10"
	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// The design's tiers: request units a user of each plan may spend an hour.
const (
	FreePerHour       = 100
	ProPerHour        = 1000
	EnterprisePerHour = 10000
)

// RequestConfig configures a RequestLimiter. Every budget is a GCRA bucket in
// Redis that holds a whole period's units and refills evenly over it.
type RequestConfig struct {
	// Prefix starts every Redis key. Defaults to DefaultRequestPrefix
	// ("reqlimit:").
	Prefix string
	// PerHour is each plan's hourly budget per user. Defaults to
	// FreePerHour, ProPerHour and EnterprisePerHour; a plan missing from a
	// given map gets the free budget.
	PerHour map[domain.Plan]int
	// AnonymousPerHour is the hourly budget of each client address that
	// sends no token. Defaults to DefaultAnonymousPerHour (300).
	AnonymousPerHour int
	// GlobalPerMinute is what every caller together may spend a minute, so
	// that many users (or many addresses) cannot together exhaust the
	// service. Defaults to DefaultGlobalPerMinute (10000, the design's
	// gateway limit).
	GlobalPerMinute int
}

// Defaults of RequestConfig.
const (
	DefaultRequestPrefix    = "reqlimit:"
	DefaultAnonymousPerHour = 300
	DefaultGlobalPerMinute  = 10000
)

// WithDefaults fills zero fields with their defaults.
func (c RequestConfig) WithDefaults() RequestConfig {
	c.Prefix = cmp.Or(c.Prefix, DefaultRequestPrefix)
	if c.PerHour == nil {
		c.PerHour = map[domain.Plan]int{
			domain.PlanFree: FreePerHour, domain.PlanPro: ProPerHour, domain.PlanEnterprise: EnterprisePerHour,
		}
	}
	c.AnonymousPerHour = cmp.Or(c.AnonymousPerHour, DefaultAnonymousPerHour)
	c.GlobalPerMinute = cmp.Or(c.GlobalPerMinute, DefaultGlobalPerMinute)
	return c
}

func (c RequestConfig) validate() error {
	for p, n := range c.PerHour {
		if n < 1 {
			return fmt.Errorf("ratelimit: RequestConfig.PerHour[%s] is %d, want >= 1: %w", p, n, domain.ErrInvalidInput)
		}
	}
	switch {
	case c.AnonymousPerHour < 1:
		return fmt.Errorf("ratelimit: RequestConfig.AnonymousPerHour is %d, want >= 1: %w", c.AnonymousPerHour, domain.ErrInvalidInput)
	case c.GlobalPerMinute < 1:
		return fmt.Errorf("ratelimit: RequestConfig.GlobalPerMinute is %d, want >= 1: %w", c.GlobalPerMinute, domain.ErrInvalidInput)
	}
	return nil
}

// RequestLimiter charges API operations by cost: to the user's plan budget
// (or, without a user, to the client address's), and to the global budget.
// It implements domain.RequestLimiter.
type RequestLimiter struct {
	cfg RequestConfig
	rl  *redis_rate.Limiter
}

// NewRequestLimiter returns a RequestLimiter over rdb.
func NewRequestLimiter(rdb redis.UniversalClient, cfg RequestConfig) (*RequestLimiter, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &RequestLimiter{cfg: cfg, rl: redis_rate.NewLimiter(rdb)}, nil
}

// Charge spends cost units of the caller's budget and of the global one. When
// either has too few it spends nothing more and answers a
// *domain.RetryAfterError wrapping domain.ErrRateLimited that says when cost
// units will be there; an error wrapping domain.ErrUnavailable when Redis
// fails. A cost above the caller's whole budget is charged as the whole
// budget, so a heavy operation empties it rather than never running.
func (l *RequestLimiter) Charge(ctx context.Context, who domain.Caller, cost int) (domain.Budget, error) {
	key, perHour := l.cfg.Prefix+"ip:"+who.IP, l.cfg.AnonymousPerHour
	if who.UserID != uuid.Nil {
		n, ok := l.cfg.PerHour[who.Plan]
		if !ok {
			n = l.cfg.PerHour[domain.PlanFree]
		}
		key, perHour = l.cfg.Prefix+"user:"+who.UserID.String(), max(n, 1)
	}
	cost = min(max(cost, 1), perHour)
	res, err := l.rl.AllowN(ctx, key, redis_rate.PerHour(perHour), cost)
	if err != nil {
		return domain.Budget{}, fmt.Errorf("request limit in redis: %w: %w", domain.ErrUnavailable, err)
	}
	b := domain.Budget{Limit: perHour, Remaining: res.Remaining, Reset: res.ResetAfter}
	if res.Allowed == 0 {
		return b, retryAfter(res, fmt.Errorf("more than %d request units in an hour", perHour))
	}
	global := min(cost, l.cfg.GlobalPerMinute)
	res, err = l.rl.AllowN(ctx, l.cfg.Prefix+"global", redis_rate.PerMinute(l.cfg.GlobalPerMinute), global)
	if err != nil {
		return b, fmt.Errorf("global request limit in redis: %w: %w", domain.ErrUnavailable, err)
	}
	if res.Allowed == 0 {
		return b, retryAfter(res, fmt.Errorf("the service is at its limit of %d request units a minute", l.cfg.GlobalPerMinute))
	}
	return b, nil
}

func retryAfter(res *redis_rate.Result, err error) error {
	return &domain.RetryAfterError{
		Err:        fmt.Errorf("%w: %w", err, domain.ErrRateLimited),
		RetryAfter: max(int64(math.Ceil(res.RetryAfter.Seconds())), 1),
	}
}
