// Package ratelimit is the per-user Google quota, kept in Redis so every
// process of the deployment shares it: one GCRA token bucket per (service,
// user), charged the quota cost of each API method (redis_rate's Lua script).
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

// Limit is a budget of quota units: Units per Per, of which Burst may be
// spent at once.
type Limit struct {
	Units int
	Per   time.Duration
	Burst int
}

// GoogleLimits are Google's default per-user quotas: Gmail 15,000 units a
// minute, Calendar 600 requests a minute, Drive 12,000 requests a minute.
func GoogleLimits() map[domain.Service]Limit {
	return map[domain.Service]Limit{
		domain.ServiceGmail:    {Units: 15000, Per: time.Minute, Burst: 15000},
		domain.ServiceCalendar: {Units: 600, Per: time.Minute, Burst: 600},
		domain.ServiceDrive:    {Units: 12000, Per: time.Minute, Burst: 12000},
	}
}

// Config configures a Limiter.
type Config struct {
	// Prefix starts every Redis key, so deployments and tests can share a
	// Redis. Defaults to DefaultPrefix ("quota:").
	Prefix string
	// Limits is the budget of each service. Defaults to GoogleLimits(); a
	// service missing from a given map is not limited.
	Limits map[domain.Service]Limit
}

// DefaultPrefix is Config.Prefix's default.
const DefaultPrefix = "quota:"

// WithDefaults fills zero fields with their defaults.
func (c Config) WithDefaults() Config {
	c.Prefix = cmp.Or(c.Prefix, DefaultPrefix)
	if c.Limits == nil {
		c.Limits = GoogleLimits()
	}
	return c
}

func (c Config) validate() error {
	for s, l := range c.Limits {
		if l.Units < 1 || l.Per <= 0 || l.Burst < 1 {
			return fmt.Errorf("ratelimit: Limits[%s] needs positive Units, Per and Burst, got %+v: %w", s, l, domain.ErrInvalidInput)
		}
	}
	return nil
}

// Limiter reserves quota units per (service, user).
type Limiter struct {
	cfg Config
	rl  *redis_rate.Limiter
}

// New returns a Limiter over rdb.
func New(rdb redis.UniversalClient, cfg Config) (*Limiter, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Limiter{cfg: cfg, rl: redis_rate.NewLimiter(rdb)}, nil
}

// Reserve takes cost units of the user's quota for service s when they are
// available now, and returns 0; otherwise it takes nothing and returns how
// long until they will be.
func (l *Limiter) Reserve(ctx context.Context, s domain.Service, userID uuid.UUID, cost int) (time.Duration, error) {
	lim, ok := l.cfg.Limits[s]
	if !ok {
		return 0, nil
	}
	if cost > lim.Burst {
		return 0, fmt.Errorf("quota: cost %d exceeds the %s burst of %d: %w", cost, s, lim.Burst, domain.ErrInvalidInput)
	}
	res, err := l.rl.AllowN(ctx, l.cfg.Prefix+string(s)+":"+userID.String(),
		redis_rate.Limit{Rate: lim.Units, Period: lim.Per, Burst: lim.Burst}, cost)
	if err != nil {
		return 0, fmt.Errorf("quota of %s in redis: %w: %w", s, domain.ErrUnavailable, err)
	}
	if res.Allowed > 0 {
		return 0, nil
	}
	return res.RetryAfter, nil
}
