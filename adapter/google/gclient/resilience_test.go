package gclient_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/google/gclient"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

type noAuth struct{}

func (noAuth) Transport(_ uuid.UUID, base http.RoundTripper) http.RoundTripper { return base }

// google answers with the statuses in turn (the last one from then on) and
// counts the requests.
func google(t *testing.T, retryAfter string, statuses ...int) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(hits.Add(1))
		code := statuses[min(n, len(statuses))-1]
		if code == http.StatusTooManyRequests && retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func client(t *testing.T, cfg gclient.Config) *http.Client {
	cfg.Auth = noAuth{}
	c, err := gclient.New(cfg, domain.ServiceDrive, func(*http.Request) (string, int) { return "files.list", 1 })
	require.NoError(t, err)
	return c.HTTPClient(uuid.New())
}

func do(t *testing.T, c *http.Client, method, url string) (int, error) {
	req, err := http.NewRequest(method, url, strings.NewReader(""))
	require.NoError(t, err)
	if method == http.MethodGet {
		req.Body, req.GetBody = nil, nil
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

func TestTransientFailuresAreRetried(t *testing.T) {
	t.Parallel()
	srv, hits := google(t, "", 500, 503, 200)
	code, err := do(t, client(t, gclient.Config{}), http.MethodGet, srv.URL)
	require.NoError(t, err)
	require.Equal(t, 200, code)
	require.EqualValues(t, 3, hits.Load())

	// A POST (send, insert, share) is never sent twice.
	srv, hits = google(t, "", 500, 200)
	code, err = do(t, client(t, gclient.Config{}), http.MethodPost, srv.URL)
	require.NoError(t, err)
	require.Equal(t, 500, code)
	require.EqualValues(t, 1, hits.Load())
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	// A short wait Google asks for is waited in process.
	srv, hits := google(t, "1", 429, 200)
	code, err := do(t, client(t, gclient.Config{}), http.MethodGet, srv.URL)
	require.NoError(t, err)
	require.Equal(t, 200, code)
	require.EqualValues(t, 2, hits.Load())

	// A long one is left to the caller (a sync job snoozes that long).
	srv, hits = google(t, "40", 429, 200)
	code, err = do(t, client(t, gclient.Config{}), http.MethodGet, srv.URL)
	require.NoError(t, err)
	require.Equal(t, 429, code)
	require.EqualValues(t, 1, hits.Load())
}

// downLimiter is a quota whose store (Redis) does not answer while down.
type downLimiter struct{ down atomic.Bool }

func (l *downLimiter) Reserve(context.Context, domain.Service, uuid.UUID, int) (time.Duration, error) {
	if l.down.Load() {
		return 0, fmt.Errorf("quota of drive in redis: %w: dial tcp: connection refused", domain.ErrUnavailable)
	}
	return 0, nil
}

// TestQuotaOutageLeavesTheCircuitClosed: calls refused because the quota's
// store is down fail as unavailable, but they are no failures of Google's:
// once the store is back the next call goes through at once, not after the
// circuit's pause (a sync would have been snoozed, its status blaming Google).
func TestQuotaOutageLeavesTheCircuitClosed(t *testing.T) {
	t.Parallel()
	srv, hits := google(t, "", 200)
	lim := &downLimiter{}
	lim.down.Store(true)
	c := client(t, gclient.Config{Tries: 1, BreakerFailures: 2, BreakerOpen: time.Hour, Limiter: lim})
	for range 4 {
		_, err := do(t, c, http.MethodGet, srv.URL)
		require.ErrorIs(t, err, domain.ErrUnavailable)
		var ra *domain.RetryAfterError
		require.False(t, errors.As(err, &ra), "no circuit pause: %v", err)
	}
	require.Zero(t, hits.Load())
	lim.down.Store(false)
	code, err := do(t, c, http.MethodGet, srv.URL)
	require.NoError(t, err)
	require.Equal(t, 200, code)
}

func TestCircuitOpensOnRepeatedFailuresAndCloses(t *testing.T) {
	t.Parallel()
	var down atomic.Bool
	down.Store(true)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if down.Load() {
			w.WriteHeader(http.StatusBadGateway)
		}
	}))
	t.Cleanup(srv.Close)
	c := client(t, gclient.Config{Tries: 1, BreakerFailures: 2, BreakerOpen: time.Second})
	for range 2 {
		code, err := do(t, c, http.MethodGet, srv.URL)
		require.NoError(t, err)
		require.Equal(t, 502, code)
	}
	_, err := do(t, c, http.MethodGet, srv.URL)
	var ra *domain.RetryAfterError
	require.True(t, errors.As(err, &ra), "%v", err)
	require.ErrorIs(t, err, domain.ErrUnavailable)
	require.EqualValues(t, 1, ra.RetryAfter)
	require.EqualValues(t, 2, hits.Load(), "an open circuit calls nobody")

	down.Store(false)
	require.Eventually(t, func() bool {
		code, err := do(t, c, http.MethodGet, srv.URL)
		return err == nil && code == 200
	}, 5*time.Second, 100*time.Millisecond, "the circuit closes once Google answers")
}
