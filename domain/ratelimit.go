package domain

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// RequestLimiter charges API operations by cost to their caller's budget
// and to the global one. Charge answers a *RetryAfterError wrapping
// ErrRateLimited when a budget has too few units left (nothing more is
// spent), or an error wrapping ErrUnavailable when the limiter cannot tell.
type RequestLimiter interface {
	Charge(ctx context.Context, who Caller, cost int) (Budget, error)
}

// Caller is whom a charge is for: a user on their plan or, when UserID is
// uuid.Nil, an anonymous client address.
type Caller struct {
	UserID uuid.UUID
	Plan   Plan
	IP     string
}

// Budget is where a caller's budget stands after a charge.
type Budget struct {
	Limit     int           // units per period
	Remaining int           // units left now
	Reset     time.Duration // until the budget is whole again
}
