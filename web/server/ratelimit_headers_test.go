package server_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/ratelimit"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Each answer says where the caller's budget stands, as GitHub's API does.
func TestRateLimitHeaders(t *testing.T) {
	t.Parallel()
	b := setup(t, withRequestLimits(t, ratelimit.RequestConfig{PerHour: map[domain.Plan]int{domain.PlanFree: 10}}))
	post := func() *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ me { email } }"}`))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+b.aliceTok)
		w := httptest.NewRecorder()
		b.h.ServeHTTP(w, r)
		return w
	}
	w := post()
	require.Equal(t, http.StatusOK, w.Code)
	require.Equal(t, "10", w.Header().Get("X-RateLimit-Limit"))
	require.Equal(t, "9", w.Header().Get("X-RateLimit-Remaining"))
	require.Equal(t, "1", w.Header().Get("X-RateLimit-Used"))
	reset, err := strconv.ParseInt(w.Header().Get("X-RateLimit-Reset"), 10, 64)
	require.NoError(t, err)
	require.GreaterOrEqual(t, reset, testNow.Unix(), "the server clock's now plus the time to a whole budget")
	require.Equal(t, "8", post().Header().Get("X-RateLimit-Remaining"))
}
