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

// RateCharge is what one API operation was charged and where its caller's
// budget stood after, for the operation's own resolvers (GraphQL rateLimit).
type RateCharge struct {
	Cost   int // units charged for this operation
	Budget Budget
}

type rateChargeKey struct{}

// WithRateCharge is ctx carrying the operation's charge.
func WithRateCharge(ctx context.Context, c RateCharge) context.Context {
	return context.WithValue(ctx, rateChargeKey{}, c)
}

// RateChargeFrom is the charge WithRateCharge put in ctx; false when the
// operation was not charged (no limiter, or it failed open).
func RateChargeFrom(ctx context.Context) (RateCharge, bool) {
	c, ok := ctx.Value(rateChargeKey{}).(RateCharge)
	return c, ok
}
