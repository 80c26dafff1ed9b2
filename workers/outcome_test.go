package workers_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/workers"
)

func TestOutcome(t *testing.T) {
	t.Parallel()
	require.NoError(t, workers.Outcome(nil))

	var cancel *river.JobCancelError
	require.True(t, errors.As(workers.Outcome(fmt.Errorf("sync: %w", domain.ErrReauthRequired)), &cancel))

	var snooze *river.JobSnoozeError
	limited := fmt.Errorf("list: %w", &domain.RetryAfterError{Err: domain.ErrRateLimited, RetryAfter: 30})
	require.True(t, errors.As(workers.Outcome(limited), &snooze))
	require.Equal(t, 30*time.Second, snooze.Duration)

	// Without a Retry-After the job retries with backoff, as for any other error.
	flaky := &domain.RetryAfterError{Err: domain.ErrUnavailable}
	require.Same(t, error(flaky), workers.Outcome(flaky))
	// So does one PostgreSQL refused while shutting down or starting up
	// (the store wraps SQLSTATE 57P01/57P02/57P03 in ErrUnavailable).
	down := fmt.Errorf("save gmail sync status: %w: %w", domain.ErrUnavailable,
		errors.New("FATAL: terminating connection due to administrator command (SQLSTATE 57P01)"))
	require.Same(t, down, workers.Outcome(down))
}

func TestBackoffGrowsToItsCap(t *testing.T) {
	t.Parallel()
	for attempt, base := range map[int]time.Duration{1: 2 * time.Second, 2: 4 * time.Second, 4: 16 * time.Second} {
		d := workers.Backoff(attempt)
		require.GreaterOrEqual(t, d, base)
		require.Less(t, d, base+time.Second)
	}
	for _, attempt := range []int{6, 7, 50} {
		require.Equal(t, workers.MaxBackoff, workers.Backoff(attempt))
	}
}
