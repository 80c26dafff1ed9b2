package ratelimit_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/ratelimit"
	"github.com/workspace-orchestrator/orchestrator/adapter/redistest"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

func setup(t *testing.T, limits map[domain.Service]ratelimit.Limit) *ratelimit.Limiter {
	t.Helper()
	rdb, prefix := redistest.New(t)
	l, err := ratelimit.New(rdb, ratelimit.Config{Prefix: prefix, Limits: limits})
	require.NoError(t, err)
	return l
}

func TestReserveChargesCostAndReportsWait(t *testing.T) {
	t.Parallel()
	l := setup(t, map[domain.Service]ratelimit.Limit{domain.ServiceGmail: {Units: 10, Per: time.Second, Burst: 10}})
	ctx := context.Background()
	user := uuid.New()
	for range 2 {
		wait, err := l.Reserve(ctx, domain.ServiceGmail, user, 5)
		require.NoError(t, err)
		require.Zero(t, wait)
	}
	wait, err := l.Reserve(ctx, domain.ServiceGmail, user, 5)
	require.NoError(t, err)
	require.Greater(t, wait, 300*time.Millisecond, "5 units at 10/s take about 500ms to come back")
	require.LessOrEqual(t, wait, 500*time.Millisecond)

	// Another user's bucket is untouched; an unlimited service never waits.
	wait, err = l.Reserve(ctx, domain.ServiceGmail, uuid.New(), 10)
	require.NoError(t, err)
	require.Zero(t, wait)
	wait, err = l.Reserve(ctx, domain.ServiceDrive, user, 1000)
	require.NoError(t, err)
	require.Zero(t, wait)
}

func TestReserveRejectsCostAboveBurst(t *testing.T) {
	t.Parallel()
	l := setup(t, nil)
	_, err := l.Reserve(context.Background(), domain.ServiceCalendar, uuid.New(), 601)
	require.ErrorIs(t, err, domain.ErrInvalidInput)
}
