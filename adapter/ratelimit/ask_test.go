package ratelimit_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/ratelimit"
	"github.com/workspace-orchestrator/orchestrator/adapter/redistest"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

func TestAskLimiterAllowsPerHourPerUser(t *testing.T) {
	t.Parallel()
	rdb, prefix := redistest.New(t)
	l, err := ratelimit.NewAskLimiter(rdb, ratelimit.AskConfig{Prefix: prefix, PerHour: 3})
	require.NoError(t, err)
	ctx := context.Background()
	user := uuid.New()
	for range 3 {
		require.NoError(t, l.AllowAsk(ctx, user, ""))
	}
	err = l.AllowAsk(ctx, user, "")
	require.ErrorIs(t, err, domain.ErrRateLimited)
	var ra *domain.RetryAfterError
	require.ErrorAs(t, err, &ra)
	// One ask comes back every 20 minutes.
	require.InDelta(t, 20*60, ra.RetryAfter, 2)

	// Another user has a budget of their own.
	require.NoError(t, l.AllowAsk(ctx, uuid.New(), ""))

	// A second limiter on the same keys (another process) sees the spent budget.
	l2, err := ratelimit.NewAskLimiter(rdb, ratelimit.AskConfig{Prefix: prefix, PerHour: 3})
	require.NoError(t, err)
	require.ErrorIs(t, l2.AllowAsk(ctx, user, ""), domain.ErrRateLimited)
}

func TestAskLimiterRetriesAreFree(t *testing.T) {
	t.Parallel()
	rdb, prefix := redistest.New(t)
	l, err := ratelimit.NewAskLimiter(rdb, ratelimit.AskConfig{Prefix: prefix, PerHour: 2})
	require.NoError(t, err)
	ctx := context.Background()
	user := uuid.New()
	require.NoError(t, l.AllowAsk(ctx, user, "req-1"))
	for range 5 { // retries of the same request start nothing and cost nothing
		require.NoError(t, l.AllowAsk(ctx, user, "req-1"))
	}
	require.NoError(t, l.AllowAsk(ctx, user, "req-2"))
	require.ErrorIs(t, l.AllowAsk(ctx, user, "req-3"), domain.ErrRateLimited)
	// A refused request is not remembered: its retry is charged (and refused) again.
	require.ErrorIs(t, l.AllowAsk(ctx, user, "req-3"), domain.ErrRateLimited)
	// The same id from another user is theirs.
	require.NoError(t, l.AllowAsk(ctx, uuid.New(), "req-1"))
}

// Asks fail closed when Redis is down: their answers stream through it anyway.
func TestAskLimiterFailsClosedWithoutRedis(t *testing.T) {
	t.Parallel()
	l, err := ratelimit.NewAskLimiter(deadRedis(t), ratelimit.AskConfig{})
	require.NoError(t, err)
	require.ErrorIs(t, l.AllowAsk(context.Background(), uuid.New(), "r"), domain.ErrUnavailable)
}

func TestAskConfigValidates(t *testing.T) {
	t.Parallel()
	rdb, _ := redistest.New(t)
	_, err := ratelimit.NewAskLimiter(rdb, ratelimit.AskConfig{PerHour: -1})
	require.ErrorContains(t, err, "PerHour")
	require.ErrorIs(t, err, domain.ErrInvalidInput)
}
