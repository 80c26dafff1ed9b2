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
		require.NoError(t, l.AllowAsk(ctx, user))
	}
	err = l.AllowAsk(ctx, user)
	require.ErrorIs(t, err, domain.ErrRateLimited)
	var ra *domain.RetryAfterError
	require.ErrorAs(t, err, &ra)
	// One ask comes back every 20 minutes.
	require.InDelta(t, 20*60, ra.RetryAfter, 2)

	// Another user has a budget of their own.
	require.NoError(t, l.AllowAsk(ctx, uuid.New()))

	// A second limiter on the same keys (another process) sees the spent budget.
	l2, err := ratelimit.NewAskLimiter(rdb, ratelimit.AskConfig{Prefix: prefix, PerHour: 3})
	require.NoError(t, err)
	require.ErrorIs(t, l2.AllowAsk(ctx, user), domain.ErrRateLimited)
}

func TestAskConfigValidates(t *testing.T) {
	t.Parallel()
	rdb, _ := redistest.New(t)
	_, err := ratelimit.NewAskLimiter(rdb, ratelimit.AskConfig{PerHour: -1})
	require.ErrorContains(t, err, "PerHour")
	require.ErrorIs(t, err, domain.ErrInvalidInput)
}
