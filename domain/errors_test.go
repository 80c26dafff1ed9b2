package domain_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

func TestExplainHidesInternals(t *testing.T) {
	t.Parallel()
	require.Equal(t, "an internal error occurred", domain.Explain(errors.New(`ERROR: relation "x" does not exist (SQLSTATE 42P01)`)))
	require.Equal(t, "no event matches: not found", domain.Explain(fmt.Errorf("no event matches: %w", domain.ErrNotFound)))
	require.Contains(t, domain.Explain(&domain.RetryAfterError{Err: fmt.Errorf("googleapi: 429 body: %w", domain.ErrRateLimited)}), "rate limiting")
	require.NotContains(t, domain.Explain(fmt.Errorf("googleapi: Error 503 backendError: %w", domain.ErrUnavailable)), "googleapi")
	require.Empty(t, domain.Explain(nil))
	require.Equal(t, "the request was cancelled before it finished", domain.Explain(fmt.Errorf("ask 1: %w", domain.ErrCancelled)))
}

func TestEndStatus(t *testing.T) {
	t.Parallel()
	require.Equal(t, domain.MessageCancelled, domain.EndStatus(fmt.Errorf("ask 1: %w", domain.ErrCancelled)))
	require.Equal(t, domain.MessageFailed, domain.EndStatus(errors.New("boom")))
}
