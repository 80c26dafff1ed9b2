// Package clocktest is a domain.Clock that moves only when a test says, so
// timeouts and waits are tested without sleeping.
package clocktest

import (
	"slices"
	"sync"
	"time"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Clock is a manual domain.Clock: Advance moves it and fires the timers
// that came due, in the order they were due.
type Clock struct {
	mu     sync.Mutex
	cond   *sync.Cond // signalled when a timer is armed
	now    time.Time
	timers []*timer // armed
}

var _ domain.Clock = (*Clock)(nil)

// New returns a Clock at now.
func New(now time.Time) *Clock {
	c := &Clock{now: now}
	c.cond = sync.NewCond(&c.mu)
	return c
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer arms a timer whose channel receives when the clock reaches now+d.
func (c *Clock) NewTimer(d time.Duration) (domain.Timer, <-chan time.Time) {
	t := &timer{c: c, ch: make(chan time.Time, 1)}
	t.Reset(d)
	return t, t.ch
}

// AfterFunc arms a timer that runs f (in Advance's goroutine) when the clock
// reaches now+d.
func (c *Clock) AfterFunc(d time.Duration, f func()) domain.Timer {
	t := &timer{c: c, f: f}
	t.Reset(d)
	return t
}

// Advance moves the clock by d and fires every timer due by then.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []*timer
	c.timers = slices.DeleteFunc(c.timers, func(t *timer) bool {
		if t.at.After(c.now) {
			return false
		}
		due = append(due, t)
		return true
	})
	now := c.now
	c.mu.Unlock()
	slices.SortStableFunc(due, func(a, b *timer) int { return a.at.Compare(b.at) })
	for _, t := range due {
		if t.f != nil {
			t.f()
			continue
		}
		select {
		case t.ch <- now:
		default:
		}
	}
}

// WaitTimers blocks until at least n timers are armed: a goroutine under
// test has reached its wait, so Advance will end it.
func (c *Clock) WaitTimers(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.timers) < n {
		c.cond.Wait()
	}
}

type timer struct {
	c  *Clock
	at time.Time
	ch chan time.Time
	f  func()
}

func (t *timer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	n := len(t.c.timers)
	t.c.timers = slices.DeleteFunc(t.c.timers, func(x *timer) bool { return x == t })
	return len(t.c.timers) < n
}

func (t *timer) Reset(d time.Duration) bool {
	armed := t.Stop()
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	t.at = t.c.now.Add(d)
	t.c.timers = append(t.c.timers, t)
	t.c.cond.Broadcast()
	return armed
}
