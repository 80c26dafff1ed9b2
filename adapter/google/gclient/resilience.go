package gclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/sony/gobreaker/v2"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// retrying retries a request that failed transiently (a network error, 429
// or 5xx) with exponential backoff and full jitter, honouring Retry-After up
// to Config.MaxWait; a longer wait is left to the caller (a sync job snoozes).
// Only idempotent methods are retried: a POST (send, insert, share) could
// take effect twice.
type retrying struct {
	next    http.RoundTripper
	tries   int
	maxWait time.Duration
}

// Backoff of retrying: the n-th retry waits up to retryBase*2^n, at most retryCap.
const (
	retryBase = 200 * time.Millisecond
	retryCap  = 5 * time.Second
)

func (r *retrying) RoundTrip(req *http.Request) (*http.Response, error) {
	if !idempotent(req) {
		return r.next.RoundTrip(req)
	}
	for attempt := 1; ; attempt++ {
		resp, err := r.next.RoundTrip(req)
		wait, again := r.retryAfter(req, resp, err, attempt)
		if !again {
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			_ = resp.Body.Close()
		}
		t := time.NewTimer(wait)
		select {
		case <-req.Context().Done():
			t.Stop()
			return nil, req.Context().Err()
		case <-t.C:
		}
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req = req.Clone(req.Context())
			req.Body = body
		}
	}
}

// retryAfter says whether to try again after this outcome, and when.
func (r *retrying) retryAfter(req *http.Request, resp *http.Response, err error, attempt int) (time.Duration, bool) {
	if attempt >= r.tries || req.Context().Err() != nil {
		return 0, false
	}
	backoff := rand.N(min(retryCap, retryBase<<attempt)) + time.Millisecond
	switch {
	case err != nil:
		// The quota's own verdict (wait longer than MaxWait) is final.
		var ra *domain.RetryAfterError
		return backoff, !errors.As(err, &ra)
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		if s := retryAfter(resp.Header); s > 0 {
			wait := time.Duration(s) * time.Second
			return wait, wait <= r.maxWait
		}
		return backoff, true
	}
	return 0, false
}

func idempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	}
	return false
}

// errServerFailed marks a 5xx answer for the breaker, which counts it as a
// failure while the caller still gets the response.
var errServerFailed = errors.New("server failed")

// errQuota marks a call the quota could not reserve for (its store, Redis,
// is down): no call of Google's failed, so the breaker does not count it.
var errQuota = errors.New("quota not reserved")

// breaker is a circuit breaker over one Google service (shared by every
// user): after Config.BreakerFailures failures in a row (network errors,
// 5xx after retries) it fails calls at once for Config.BreakerOpen, then
// lets one through to probe. A call refused meanwhile is a
// *domain.RetryAfterError wrapping ErrUnavailable: a sync job snoozes, an
// ask's step fails fast and the answer says what it could not reach.
type breaker struct {
	next    http.RoundTripper
	service domain.Service
	open    time.Duration
	cb      *gobreaker.CircuitBreaker[*http.Response]
}

func newBreaker(s domain.Service, failures int, open time.Duration) *gobreaker.CircuitBreaker[*http.Response] {
	return gobreaker.NewCircuitBreaker[*http.Response](gobreaker.Settings{
		Name:        string(s),
		MaxRequests: 1,
		Timeout:     open,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= uint32(failures) },
		// Only Google's trouble opens the circuit: not a user's 4xx, a
		// quota wait or outage, or a caller that went away.
		IsSuccessful: func(err error) bool {
			var ra *domain.RetryAfterError
			return err == nil || errors.As(err, &ra) || errors.Is(err, errQuota) || errors.Is(err, context.Canceled)
		},
	})
}

func (b *breaker) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := b.cb.Execute(func() (*http.Response, error) {
		resp, err := b.next.RoundTrip(req)
		if err == nil && resp.StatusCode >= 500 {
			return resp, errServerFailed
		}
		return resp, err
	})
	switch {
	case errors.Is(err, gobreaker.ErrOpenState), errors.Is(err, gobreaker.ErrTooManyRequests):
		return nil, &domain.RetryAfterError{
			Err:        fmt.Errorf("%s is unreachable (it failed repeatedly; calls pause for %s): %w", b.service, b.open, domain.ErrUnavailable),
			RetryAfter: int64(b.open / time.Second),
		}
	case errors.Is(err, errServerFailed):
		return resp, nil
	}
	return resp, err
}
