package domain

import (
	"context"
	"time"
)

// Clock is the seam for time: what time it is, and when a wait ends, so
// tests pin "now" and fire timeouts without sleeping (as tailscale's
// tstime.Clock). domain/clocktest has one that moves only when told.
type Clock interface {
	Now() time.Time
	// NewTimer is time.NewTimer's seam: the channel receives once d has passed.
	NewTimer(d time.Duration) (Timer, <-chan time.Time)
	// AfterFunc is time.AfterFunc's seam: f runs once d has passed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer stops or re-arms a timer a Clock made; *time.Timer is one.
type Timer interface {
	Stop() bool
	Reset(d time.Duration) bool
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// NewTimer is time.NewTimer.
func (SystemClock) NewTimer(d time.Duration) (Timer, <-chan time.Time) {
	t := time.NewTimer(d)
	return t, t.C
}

// AfterFunc is time.AfterFunc.
func (SystemClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// FixedClock always answers the same instant; its timers run on the wall
// clock, so waits still end.
type FixedClock struct {
	SystemClock
	T time.Time
}

// Now returns the fixed instant.
func (c FixedClock) Now() time.Time { return c.T }

// Wait blocks until d has passed on c, or ctx ends (its error).
func Wait(ctx context.Context, c Clock, d time.Duration) error {
	t, done := c.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
