package orchestrator

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// errAbandoned ends an ask whose instance stopped before it finished.
var errAbandoned = fmt.Errorf("the server running this request stopped before it finished: %w", domain.ErrUnavailable)

// Sweep is the heartbeat of this instance's asks and the end of those left
// unfinished by instances that died (SIGKILL, a crash). It first marks every
// ask this instance runs as written now; then a PENDING or RUNNING message
// not written for Config.AbandonAfter, so whose instance has missed its
// heartbeats that long, is marked FAILED and its followers get an ERROR
// event. It returns how many it ended. Every instance sweeps every
// Config.SweepEvery; the store decides which one ends each message.
func (o *Orchestrator) Sweep(ctx context.Context) (int, error) {
	now := o.clock.Now()
	o.mu.Lock()
	alive := slices.Collect(maps.Keys(o.running))
	o.mu.Unlock()
	if err := o.d.Conversations.TouchMessages(ctx, alive, now); err != nil {
		return 0, fmt.Errorf("sweep unfinished asks: heartbeat: %w", err)
	}
	before := now.Add(-o.cfg.AbandonAfter)
	msgs, err := o.d.Conversations.UnfinishedMessages(ctx, before, 100)
	if err != nil {
		return 0, fmt.Errorf("sweep unfinished asks: %w", err)
	}
	n := 0
	for _, m := range msgs {
		o.mu.Lock()
		_, mine := o.running[m.ID]
		o.mu.Unlock()
		if mine {
			continue // long, but alive
		}
		ended, err := o.endUnfinished(ctx, m.UserID, m.ID, domain.MessageFailed, errAbandoned, before)
		if err != nil {
			return n, fmt.Errorf("sweep unfinished asks: %w", err)
		}
		if ended {
			n++
		}
	}
	return n, nil
}

// sweepLoop runs Sweep every Config.SweepEvery until Close.
func (o *Orchestrator) sweepLoop() {
	for {
		if domain.Wait(o.base, o.clock, o.cfg.SweepEvery) != nil {
			return
		}
		if n, err := o.Sweep(o.base); err != nil {
			o.log.Warn("sweeping unfinished asks", "err", err)
		} else if n > 0 {
			o.log.Info("ended asks of stopped instances", "count", n)
		}
	}
}

// endUnfinished ends an ask that no run of this instance will end (its
// instance is gone): when the message is still unfinished, and was last
// written before notAfter (zero: any time), it is given status and the
// explanation of cause, and an ERROR event tells its followers. Its Seq is 0:
// the numbering of the run that stopped is unknown. It reports whether it
// ended the message.
func (o *Orchestrator) endUnfinished(ctx context.Context, userID, messageID uuid.UUID, status domain.MessageStatus, cause error, notAfter time.Time) (bool, error) {
	var ended bool
	msg, err := o.d.Conversations.ModifyMessage(ctx, userID, messageID, func(m *domain.Message) (bool, error) {
		// Ended meanwhile by its run or another instance, or written since.
		if m.Status.Ended() || (!notAfter.IsZero() && m.UpdatedAt.After(notAfter)) {
			return false, nil
		}
		m.Status, m.Error, m.UpdatedAt = status, domain.Explain(cause), o.clock.Now()
		ended = true
		return true, nil
	})
	if err != nil {
		return false, fmt.Errorf("end ask %s: %w", messageID, err)
	}
	if !ended {
		return false, nil
	}
	ev := Event{Type: EventError, At: msg.UpdatedAt, Error: msg.Error, MessageStatus: status}
	if err := retry(ctx, o.clock, publishGiveUp, func() error { return o.d.Publisher.Publish(ctx, messageID, ev) }); err != nil {
		// Followers still end: they re-read the stored message.
		o.log.WarnContext(ctx, "publish the end of an unfinished ask", "message", messageID, "err", err)
	}
	return true, nil
}

// Waits of retry: from retryMin doubling up to retryMax.
const (
	retryMin = 100 * time.Millisecond
	retryMax = 2 * time.Second
	// publishGiveUp is how long the events of an ask are retried while
	// Redis is down; followers that miss them read the stored message.
	publishGiveUp = 30 * time.Second
	// persistGiveUp is how long writing an ask's message is retried while
	// PostgreSQL is down; an ask that cannot be written ends with ERROR.
	persistGiveUp = 30 * time.Second
)

// retry calls fn until it succeeds, ctx ends or giveUp has passed, waiting
// longer after each failure; it returns fn's last error.
func retry(ctx context.Context, clock domain.Clock, giveUp time.Duration, fn func() error) error {
	deadline, expired := clock.NewTimer(giveUp)
	defer deadline.Stop()
	wait := retryMin
	for {
		err := fn()
		if err == nil {
			return nil
		}
		pause, resume := clock.NewTimer(wait)
		select {
		case <-ctx.Done():
			pause.Stop()
			return err
		case <-expired:
			pause.Stop()
			return err
		case <-resume:
		}
		wait = min(2*wait, retryMax)
	}
}
