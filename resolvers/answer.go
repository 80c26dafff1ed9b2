package resolvers

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
	"github.com/workspace-orchestrator/orchestrator/graph/model"
	"github.com/workspace-orchestrator/orchestrator/web/auth"
)

// decideAction runs confirm or reject on one of the caller's actions and
// answers the message with the decided action.
func decideAction(ctx context.Context, what, messageID, actionID string,
	decide func(ctx context.Context, userID, messageID uuid.UUID, actionID string) (domain.Message, error),
) (*model.ActionPayload, error) {
	userID, err := auth.RequireUserID(ctx)
	if err != nil {
		return nil, err
	}
	id, err := parseTypedID(messageID, typeMessage)
	if err != nil {
		return nil, err
	}
	msg, err := decide(ctx, userID, id, actionID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	as, err := orchestrator.ActionsOf(msg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	for _, a := range as {
		if a.ID == actionID {
			out := fromAction(a)
			return &model.ActionPayload{Message: fromMessage(msg), Action: &out}, nil
		}
	}
	return nil, fmt.Errorf("%s: action %q of message %s: %w", what, actionID, id, domain.ErrNotFound)
}

// streamAnswer sends msg's answer events on ch and closes it after the last
// one (DONE or ERROR), or when ctx ends: a send never outlives the
// subscription, and the subscriber is never left waiting in silence. Every
// ReplayWait without an event the stored message is read again: once it has
// ended (a message that had ended when the subscription began at once; one
// that ended since on two reads in a row, so that its own last event has had
// time to come) and its last event has not come, the stream expired or lost
// it (Redis restarted, the instance running it died), and the last event is
// rebuilt from the stored message. While Redis cannot be followed the
// stored message is polled instead; when that fails too, an ERROR event says
// the stream is unavailable. Events are sent once each: one repeated by a
// retried publish is skipped.
func (r *subscriptionResolver) streamAnswer(ctx context.Context, msg domain.Message, ch chan<- *model.AnswerEvent) {
	defer close(ch)
	send := func(ev *model.AnswerEvent) bool {
		select {
		case ch <- ev:
			return true
		case <-ctx.Done():
			return false
		}
	}
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu      sync.Mutex
		lastSeq int
		heard   = time.Now() // when the last event came
		final   *domain.Message
		over    bool // the last event was sent
	)
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		ended := 0 // reads in a row that found the message ended
		if msg.Status.Ended() {
			ended = 1
		}
		for {
			if domain.Wait(fctx, r.Clock, r.ReplayWait) != nil {
				return
			}
			mu.Lock()
			quiet := time.Since(heard) >= r.ReplayWait
			mu.Unlock()
			if !quiet {
				ended = 0
				continue
			}
			m, err := r.ConversationStore.Message(fctx, msg.UserID, msg.ID)
			if err != nil || !m.Status.Ended() {
				ended = 0
				continue
			}
			if ended++; ended >= 2 {
				mu.Lock()
				final = &m
				mu.Unlock()
				cancel()
				return
			}
		}
	}()
	err := r.Answers.Follow(fctx, msg.ID, func(ev orchestrator.Event) bool {
		mu.Lock()
		if final != nil || (ev.Seq > 0 && ev.Seq <= lastSeq) {
			stop := final != nil
			mu.Unlock()
			return !stop
		}
		lastSeq, heard = max(lastSeq, ev.Seq), time.Now()
		last := ev.Type == orchestrator.EventDone || ev.Type == orchestrator.EventError
		over = over || last
		mu.Unlock()
		return send(fromAnswerEvent(ev)) && !last
	})
	if err != nil && fctx.Err() == nil {
		// Redis cannot be followed: the stored message tells when it ends.
		r.Logger.WarnContext(ctx, "answer subscription: follow the stream; reading the stored message instead", "message", msg.ID, "err", err)
		if m, ok := r.awaitEnd(fctx, msg); ok {
			mu.Lock()
			final = &m
			mu.Unlock()
		} else if ctx.Err() == nil {
			send(fromAnswerEvent(orchestrator.Event{Type: orchestrator.EventError, MessageStatus: msg.Status,
				Error: "the answer stream is unavailable right now; subscribe again shortly"}))
			return
		}
	}
	cancel()
	<-watched
	if final == nil || over || ctx.Err() != nil {
		return
	}
	ev, err := finalEvent(*final)
	if err != nil {
		r.Logger.ErrorContext(ctx, "answer subscription: rebuild the last event", "message", msg.ID, "err", err)
		return
	}
	send(ev)
}

// awaitEnd reads the stored message every ReplayWait until it has ended
// (true), ctx ends, or the store has failed for 30 s in a row (false).
func (r *subscriptionResolver) awaitEnd(ctx context.Context, msg domain.Message) (domain.Message, bool) {
	failing := time.Time{}
	for {
		m, err := r.ConversationStore.Message(ctx, msg.UserID, msg.ID)
		switch {
		case err == nil && m.Status.Ended():
			return m, true
		case err == nil:
			failing = time.Time{}
		case failing.IsZero():
			failing = time.Now()
		case time.Since(failing) > 30*time.Second:
			return domain.Message{}, false
		}
		if domain.Wait(ctx, r.Clock, r.ReplayWait) != nil {
			return domain.Message{}, false
		}
	}
}
