// Package gclient is what the Gmail, Calendar and Drive adapters share: the
// per-user HTTP client (OAuth token, per-user quota) their generated
// google.golang.org/api services run over, and the mapping of Google's errors
// to the domain's sentinels.
package gclient

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/sony/gobreaker/v2"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Authorizer authorises requests as a user (googleauth.Auth is one).
type Authorizer interface {
	Transport(userID uuid.UUID, base http.RoundTripper) http.RoundTripper
}

// Limiter is a per-user quota (ratelimit.Limiter is one).
type Limiter interface {
	// Reserve takes cost units of the user's quota for service s when they are
	// available now (returning 0), or returns how long until they will be.
	Reserve(ctx context.Context, s domain.Service, userID uuid.UUID, cost int) (time.Duration, error)
}

// Cost names the API method a request calls and its quota cost.
type Cost func(r *http.Request) (method string, units int)

// Config configures Clients.
type Config struct {
	// BaseURL is the root the APIs are served under, e.g. the emulator's URL.
	// Defaults to "" (Google's own endpoints).
	BaseURL string
	// Auth authorises requests. Required.
	Auth Authorizer
	// Limiter, when set, is consulted before every request. Defaults to nil (no quota).
	Limiter Limiter
	// MaxWait is the longest a request waits for quota in process; a longer
	// wait fails it with a *domain.RetryAfterError so the job snoozes instead.
	// Defaults to DefaultMaxWait (2s).
	MaxWait time.Duration
	// Transport carries the requests. Defaults to a clone of
	// http.DefaultTransport keeping 32 idle connections per host, so the
	// concurrent fetches of a sync reuse their connections.
	Transport http.RoundTripper
	// Timeout bounds one request. Defaults to DefaultTimeout (60s).
	Timeout time.Duration
	// Tries is how many times an idempotent request is sent when it fails
	// transiently (network error, 429, 5xx). Defaults to DefaultTries (3).
	Tries int
	// BreakerFailures is how many failures in a row of one service (5xx or
	// network errors after the retries, of any user) open its circuit.
	// Defaults to DefaultBreakerFailures (5).
	BreakerFailures int
	// BreakerOpen is how long an open circuit fails calls at once before it
	// lets one through. Defaults to DefaultBreakerOpen (30s).
	BreakerOpen time.Duration
}

// Defaults of Config.
const (
	DefaultMaxWait         = 2 * time.Second
	DefaultTimeout         = 60 * time.Second
	DefaultTries           = 3
	DefaultBreakerFailures = 5
	DefaultBreakerOpen     = 30 * time.Second
)

// WithDefaults fills zero fields with their defaults.
func (c Config) WithDefaults() Config {
	c.MaxWait = cmp.Or(c.MaxWait, DefaultMaxWait)
	if c.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 32
		c.Transport = t
	}
	c.Timeout = cmp.Or(c.Timeout, DefaultTimeout)
	c.Tries = cmp.Or(c.Tries, DefaultTries)
	c.BreakerFailures = cmp.Or(c.BreakerFailures, DefaultBreakerFailures)
	c.BreakerOpen = cmp.Or(c.BreakerOpen, DefaultBreakerOpen)
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return c
}

func (c Config) validate() error {
	if c.Auth == nil {
		return fmt.Errorf("gclient: Auth is required: %w", domain.ErrInvalidInput)
	}
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Errorf("gclient: BaseURL %q is not an absolute URL: %w", c.BaseURL, domain.ErrInvalidInput)
		}
	}
	if c.MaxWait < 0 || c.Timeout < 0 {
		return fmt.Errorf("gclient: MaxWait and Timeout must not be negative: %w", domain.ErrInvalidInput)
	}
	if c.Tries < 1 || c.BreakerFailures < 1 || c.BreakerOpen < time.Second {
		return fmt.Errorf("gclient: Tries (%d) and BreakerFailures (%d) must be >= 1, BreakerOpen (%s) >= 1s: %w",
			c.Tries, c.BreakerFailures, c.BreakerOpen, domain.ErrInvalidInput)
	}
	return nil
}

// Clients builds per-user HTTP clients for one service.
type Clients struct {
	cfg     Config
	service domain.Service
	cost    Cost
	circuit *gobreaker.CircuitBreaker[*http.Response] // the service's, shared by its users
}

// New returns Clients for service s whose requests cost what cost says.
func New(cfg Config, s domain.Service, cost Cost) (*Clients, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Clients{cfg: cfg, service: s, cost: cost, circuit: newBreaker(s, cfg.BreakerFailures, cfg.BreakerOpen)}, nil
}

// Options are the client options of a generated service acting as userID;
// path is the service's endpoint path under BaseURL, e.g. "/calendar/v3/".
func (c *Clients) Options(userID uuid.UUID, path string) []option.ClientOption {
	opts := []option.ClientOption{option.WithHTTPClient(c.HTTPClient(userID))}
	if c.cfg.BaseURL != "" {
		opts = append(opts, option.WithEndpoint(c.cfg.BaseURL+path))
	}
	return opts
}

// HTTPClient returns a client that acts as userID: each try takes quota,
// transient failures are retried, and the service's circuit breaker sees
// the outcome after the retries.
func (c *Clients) HTTPClient(userID uuid.UUID) *http.Client {
	rt := c.cfg.Auth.Transport(userID, c.cfg.Transport)
	if c.cfg.Limiter != nil {
		rt = &quota{c: c, userID: userID, next: rt}
	}
	rt = &retrying{next: rt, tries: c.cfg.Tries, maxWait: c.cfg.MaxWait}
	rt = &breaker{next: rt, service: c.service, open: c.cfg.BreakerOpen, cb: c.circuit}
	return &http.Client{Transport: rt, Timeout: c.cfg.Timeout}
}

type quota struct {
	c      *Clients
	userID uuid.UUID
	next   http.RoundTripper
}

func (q *quota) RoundTrip(req *http.Request) (*http.Response, error) {
	method, units := q.c.cost(req)
	for {
		wait, err := q.c.cfg.Limiter.Reserve(req.Context(), q.c.service, q.userID, units)
		if err != nil {
			return nil, fmt.Errorf("quota for %s: %w: %w", method, errQuota, err)
		}
		if wait <= 0 {
			break
		}
		if wait > q.c.cfg.MaxWait {
			return nil, &domain.RetryAfterError{
				Err:        fmt.Errorf("%s quota of %s exhausted for %s: %w", q.c.service, q.userID, wait.Round(time.Millisecond), domain.ErrRateLimited),
				RetryAfter: int64((wait + time.Second - 1) / time.Second),
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-req.Context().Done():
			t.Stop()
			return nil, req.Context().Err()
		case <-t.C:
		}
	}
	return q.next.RoundTrip(req)
}

// Err maps an error of a Google API call to the domain's sentinels, wrapped
// with what failed:
//   - 401 and failed refreshes: domain.ErrReauthRequired
//   - 429, and 403 with a rate-limit reason: *domain.RetryAfterError wrapping ErrRateLimited
//   - 5xx and network failures: *domain.RetryAfterError wrapping ErrUnavailable
//   - 404 ErrNotFound, 409 ErrConflict, 400 ErrInvalidInput, 403 ErrForbidden
//
// Errors that already carry a sentinel (from the token transport or the
// quota) and context errors pass through. Callers map 404 and 410 on sync
// tokens to domain.ErrSyncTokenExpired themselves, before calling Err.
func Err(err error, what string) error {
	if err == nil {
		return nil
	}
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return fmt.Errorf("%s: %w", what, statusErr(ge))
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		var ne net.Error
		if errors.Is(err, context.DeadlineExceeded) && errors.As(err, &ne) && ne.Timeout() {
			// An http.Client timeout, not the caller's deadline.
			return fmt.Errorf("%s: %w", what, &domain.RetryAfterError{Err: fmt.Errorf("%w: %w", domain.ErrUnavailable, err)})
		}
		return fmt.Errorf("%s: %w", what, err)
	}
	for _, s := range []error{domain.ErrReauthRequired, domain.ErrRateLimited, domain.ErrUnavailable, domain.ErrInvalidInput} {
		if errors.Is(err, s) {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", what, &domain.RetryAfterError{Err: fmt.Errorf("%w: %w", domain.ErrUnavailable, err)})
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Code returns the HTTP status of a Google API error, or 0.
func Code(err error) int {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge.Code
	}
	return 0
}

func statusErr(ge *googleapi.Error) error {
	retry := retryAfter(ge.Header)
	switch {
	case ge.Code == http.StatusTooManyRequests || ge.Code == http.StatusForbidden && rateLimitReason(ge):
		return &domain.RetryAfterError{Err: fmt.Errorf("%w: %w", domain.ErrRateLimited, ge), RetryAfter: retry}
	case ge.Code >= 500:
		return &domain.RetryAfterError{Err: fmt.Errorf("%w: %w", domain.ErrUnavailable, ge), RetryAfter: retry}
	case ge.Code == http.StatusUnauthorized:
		return fmt.Errorf("%w: %w", domain.ErrReauthRequired, ge)
	case ge.Code == http.StatusNotFound || ge.Code == http.StatusGone:
		return fmt.Errorf("%w: %w", domain.ErrNotFound, ge)
	case ge.Code == http.StatusConflict:
		return fmt.Errorf("%w: %w", domain.ErrConflict, ge)
	case ge.Code == http.StatusForbidden:
		return fmt.Errorf("%w: %w", domain.ErrForbidden, ge)
	default:
		return fmt.Errorf("%w: %w", domain.ErrInvalidInput, ge)
	}
}

func rateLimitReason(ge *googleapi.Error) bool {
	for _, e := range ge.Errors {
		switch e.Reason {
		case "rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded":
			return true
		}
	}
	return false
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(h http.Header) int64 {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
		return n
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return int64((d + time.Second - 1) / time.Second)
		}
	}
	return 0
}
