package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

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

// The rateLimit field reports this operation's charge and the budget after
// it, agreeing with the headers of the same answer.
func TestRateLimitField(t *testing.T) {
	t.Parallel()
	b := setup(t, withRequestLimits(t, ratelimit.RequestConfig{PerHour: map[domain.Plan]int{domain.PlanFree: 10}}))
	post := func() (*httptest.ResponseRecorder, map[string]any) {
		r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ rateLimit { cost limit remaining resetAt } }"}`))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+b.aliceTok)
		w := httptest.NewRecorder()
		b.h.ServeHTTP(w, r)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		var got struct {
			Data   struct{ RateLimit map[string]any }
			Errors []any
		}
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &got))
		require.Empty(t, got.Errors)
		return w, got.Data.RateLimit
	}
	w, rl := post()
	require.InDelta(t, 1, rl["cost"], 0)
	require.InDelta(t, 10, rl["limit"], 0)
	require.InDelta(t, 9, rl["remaining"], 0)
	resetAt, err := time.Parse(time.RFC3339, rl["resetAt"].(string))
	require.NoError(t, err)
	require.Equal(t, w.Header().Get("X-RateLimit-Reset"), strconv.FormatInt(resetAt.Unix(), 10))
	_, rl = post()
	require.InDelta(t, 8, rl["remaining"], 0, "each operation spends its own cost")
	require.InDelta(t, 1, rl["cost"], 0, "the cost is this operation's, not the connection's")
}
