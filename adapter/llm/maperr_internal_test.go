package llm

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// A 429 is a rate limit wherever the provider's client words it; a "429" in
// the URL of a failed call is not.
func TestMapErrReadsRateLimitsNotPorts(t *testing.T) {
	t.Parallel()
	for _, msg := range []string{
		"API returned unexpected status code: 429: Too Many Requests",
		"ollama answered 429 Too Many Requests",
		"POST /v1/messages: rate_limit_error",
		"status code (429)",
	} {
		require.ErrorIs(t, mapErr(errors.New(msg)), domain.ErrRateLimited, msg)
	}
	for _, msg := range []string{
		`Post "http://127.0.0.1:42981/api/chat": ollama answered 500 Internal Server Error`,
		"GET /v1/models/m-4290: 503 Service Unavailable",
	} {
		err := mapErr(errors.New(msg))
		require.ErrorIs(t, err, domain.ErrUnavailable, msg)
		require.NotErrorIs(t, err, domain.ErrRateLimited, msg)
	}
}
