package resolvers

import (
	"context"
	"errors"
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
// subscription. When the message had already finished and no event comes
// within ReplayWait, its stream has expired: the last event is rebuilt from
// the stored message instead.
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
		started bool // an event came: the stream exists
		expired bool // none came in time: rebuild from the store
	)
	if msg.Status.Ended() {
		t := time.AfterFunc(r.ReplayWait, func() {
			mu.Lock()
			defer mu.Unlock()
			if !started {
				expired = true
				cancel()
			}
		})
		defer t.Stop()
	}
	err := r.Answers.Follow(fctx, msg.ID, func(ev orchestrator.Event) bool {
		mu.Lock()
		if expired {
			mu.Unlock()
			return false
		}
		started = true
		mu.Unlock()
		return send(fromAnswerEvent(ev)) && ev.Type != orchestrator.EventDone && ev.Type != orchestrator.EventError
	})
	mu.Lock()
	rebuild := expired
	mu.Unlock()
	if rebuild {
		ev, err := finalEvent(msg)
		if err != nil {
			r.Logger.ErrorContext(ctx, "answer subscription: rebuild the last event", "message", msg.ID, "err", err)
			return
		}
		send(ev)
		return
	}
	if err != nil && ctx.Err() == nil && !errors.Is(err, context.Canceled) {
		r.Logger.ErrorContext(ctx, "answer subscription: follow the stream", "message", msg.ID, "err", err)
	}
}
