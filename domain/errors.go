package domain

import (
	"errors"
	"fmt"
)

// Sentinel errors of the core. Wrap them with what failed (fmt.Errorf("...: %w", ErrX))
// and match them with errors.Is; only the edges (GraphQL error presenter, River
// workers) translate them into codes and job outcomes.
var (
	// ErrNotFound: the item does not exist or belongs to another user.
	ErrNotFound = errors.New("not found")
	// ErrUnauthenticated: the request carries no valid credentials.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden: the caller is known but may not do this.
	ErrForbidden = errors.New("forbidden")
	// ErrInvalidInput: the caller sent something malformed; the wrapping message says what.
	ErrInvalidInput = errors.New("invalid input")
	// ErrRateLimited: a rate limit or quota refused the call; retry later.
	ErrRateLimited = errors.New("rate limited")
	// ErrReauthRequired: the Google account's refresh token no longer works.
	ErrReauthRequired = errors.New("google account needs re-authorisation")
	// ErrSyncTokenExpired: Google no longer accepts the incremental sync token
	// (Gmail 404 on history, Calendar 410 Gone); a full resync is needed.
	ErrSyncTokenExpired = errors.New("sync token expired")
	// ErrUnavailable: an upstream service failed transiently (5xx, timeout).
	ErrUnavailable = errors.New("upstream unavailable")
	// ErrSessionReused: a refresh token was presented after it had been spent;
	// its session is revoked. It wraps ErrUnauthenticated.
	ErrSessionReused = fmt.Errorf("refresh token reused, session revoked: %w", ErrUnauthenticated)
	// ErrInvalidCursor: a page cursor that the list did not hand out. It wraps
	// ErrInvalidInput.
	ErrInvalidCursor = fmt.Errorf("invalid cursor: %w", ErrInvalidInput)
	// ErrConflict: the item changed underneath the caller, or the action was already decided.
	ErrConflict = errors.New("conflict")
	// ErrCancelled: the work was stopped on request (a cancelled ask, a step
	// cut short by it) before it finished; nothing went wrong.
	ErrCancelled = errors.New("cancelled")
)

// RetryAfterError carries how long an upstream asked us to wait (HTTP Retry-After).
// It wraps ErrRateLimited or ErrUnavailable so errors.Is keeps working.
type RetryAfterError struct {
	Err        error
	RetryAfter int64 // seconds
}

func (e *RetryAfterError) Error() string { return e.Err.Error() }
func (e *RetryAfterError) Unwrap() error { return e.Err }

// Explain says what went wrong in words fit for the person asking: the
// message of errors the core wrote for people (bad input, not found,
// conflicts), a plain phrase for upstream trouble, and nothing of the
// internals (SQL, HTTP bodies) otherwise; log the error itself.
func Explain(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrCancelled):
		return "the request was cancelled before it finished"
	case errors.Is(err, ErrReauthRequired):
		return "your Google account needs to be connected again"
	case errors.Is(err, ErrRateLimited):
		return "Google is rate limiting requests right now; try again shortly"
	case errors.Is(err, ErrUnavailable):
		return "the service did not answer in time; try again shortly"
	case errors.Is(err, ErrInvalidInput), errors.Is(err, ErrNotFound), errors.Is(err, ErrConflict):
		return err.Error()
	default:
		return "an internal error occurred"
	}
}
