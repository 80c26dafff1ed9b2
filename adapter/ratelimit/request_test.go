package ratelimit_test

import (
	"context"
	"net"
	"testing"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/ratelimit"
	"github.com/workspace-orchestrator/orchestrator/adapter/redistest"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

// deadRedis is a client of an address nothing listens on.
func deadRedis(t *testing.T) *redis.Client {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

func TestRequestLimiterChargesByPlanAndCost(t *testing.T) {
	t.Parallel()
	rdb, prefix := redistest.New(t)
	l, err := ratelimit.NewRequestLimiter(rdb, ratelimit.RequestConfig{
		Prefix: prefix, PerHour: map[domain.Plan]int{domain.PlanFree: 10, domain.PlanPro: 100},
	})
	require.NoError(t, err)
	ctx := context.Background()
	free := domain.Caller{UserID: uuid.New(), Plan: domain.PlanFree}
	b, err := l.Charge(ctx, free, 4)
	require.NoError(t, err)
	require.Equal(t, 10, b.Limit)
	require.Equal(t, 6, b.Remaining)
	_, err = l.Charge(ctx, free, 6)
	require.NoError(t, err)
	_, err = l.Charge(ctx, free, 1)
	require.ErrorIs(t, err, domain.ErrRateLimited)
	var ra *domain.RetryAfterError
	require.ErrorAs(t, err, &ra)
	require.InDelta(t, 360, ra.RetryAfter, 2, "one unit of 10 an hour comes back in 6 minutes")

	// A pro user has ten times the budget; an unknown plan gets the free one.
	b, err = l.Charge(ctx, domain.Caller{UserID: uuid.New(), Plan: domain.PlanPro}, 50)
	require.NoError(t, err)
	require.Equal(t, 50, b.Remaining)
	b, err = l.Charge(ctx, domain.Caller{UserID: uuid.New(), Plan: "gold"}, 1)
	require.NoError(t, err)
	require.Equal(t, 10, b.Limit)

	// A cost above the whole budget empties it instead of never running.
	_, err = l.Charge(ctx, domain.Caller{UserID: uuid.New()}, 1000)
	require.NoError(t, err)
}

func TestRequestLimiterPerAddressAndGlobal(t *testing.T) {
	t.Parallel()
	rdb, prefix := redistest.New(t)
	l, err := ratelimit.NewRequestLimiter(rdb, ratelimit.RequestConfig{Prefix: prefix, AnonymousPerHour: 2, GlobalPerMinute: 5})
	require.NoError(t, err)
	ctx := context.Background()
	for range 2 {
		_, err = l.Charge(ctx, domain.Caller{IP: "192.0.2.1"}, 1)
		require.NoError(t, err)
	}
	_, err = l.Charge(ctx, domain.Caller{IP: "192.0.2.1"}, 1)
	require.ErrorIs(t, err, domain.ErrRateLimited)
	// Another address has its own budget; together they reach the global one.
	_, err = l.Charge(ctx, domain.Caller{IP: "192.0.2.2"}, 1)
	require.NoError(t, err)
	_, err = l.Charge(ctx, domain.Caller{UserID: uuid.New()}, 2)
	require.NoError(t, err)
	_, err = l.Charge(ctx, domain.Caller{UserID: uuid.New()}, 1)
	require.ErrorIs(t, err, domain.ErrRateLimited)
	require.ErrorContains(t, err, "a minute")
}

func TestRequestLimiterWithoutRedis(t *testing.T) {
	t.Parallel()
	l, err := ratelimit.NewRequestLimiter(deadRedis(t), ratelimit.RequestConfig{})
	require.NoError(t, err)
	_, err = l.Charge(context.Background(), domain.Caller{IP: "192.0.2.1"}, 1)
	require.ErrorIs(t, err, domain.ErrUnavailable)
}

func TestRequestConfigValidates(t *testing.T) {
	t.Parallel()
	rdb, _ := redistest.New(t)
	_, err := ratelimit.NewRequestLimiter(rdb, ratelimit.RequestConfig{PerHour: map[domain.Plan]int{domain.PlanFree: 0}})
	require.ErrorContains(t, err, "PerHour[free]")
	_, err = ratelimit.NewRequestLimiter(rdb, ratelimit.RequestConfig{GlobalPerMinute: -1})
	require.ErrorContains(t, err, "GlobalPerMinute")
}
