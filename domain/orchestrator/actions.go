package orchestrator

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
)

// claimLease is how long a confirmation holds an action it is executing:
// another confirmation waits for its outcome meanwhile, and takes the action
// over after it (the instance that claimed it died; every action is safe to
// repeat).
const claimLease = time.Minute

// claimPoll is how often a confirmation waiting for another one's outcome
// looks again.
const claimPoll = 50 * time.Millisecond

// ConfirmAction executes a proposed action of the user's message and records
// the outcome on the message. The database decides: the action is claimed
// in a locked read-modify-write before Google is called, so of concurrent
// confirmations (on any instances) one executes and the others wait for its
// outcome, and a rejection racing it either wins before the claim or answers
// ErrConflict. Confirming an executed action again changes nothing and
// returns the message; a rejected one answers ErrConflict; a failed one may
// be retried (every action is safe to repeat). When the agent fails, the
// message records the failure and the error is returned too.
func (o *Orchestrator) ConfirmAction(ctx context.Context, userID, messageID uuid.UUID, actionID string) (domain.Message, error) {
	for {
		var claimed *agent.Action
		var busy bool
		msg, err := o.decide(ctx, userID, messageID, actionID, func(a *agent.Action) (bool, error) {
			switch a.Status {
			case agent.ActionExecuted:
				return false, nil
			case agent.ActionRejected:
				return false, fmt.Errorf("action %s was rejected: %w", a.ID, domain.ErrConflict)
			}
			now := o.clock.Now()
			if !a.Claimed.IsZero() && now.Sub(a.Claimed) < claimLease {
				busy = true
				return false, nil
			}
			a.Claimed = now
			claimed = a
			return true, nil
		})
		switch {
		case err != nil:
			return msg, err
		case busy:
			if err := domain.Wait(ctx, o.clock, claimPoll); err != nil {
				return domain.Message{}, fmt.Errorf("action %s is being executed: %w", actionID, err)
			}
			continue
		case claimed == nil:
			return msg, nil
		}
		return o.execute(ctx, userID, messageID, *claimed)
	}
}

// execute runs an action this confirmation claimed and records its outcome.
func (o *Orchestrator) execute(ctx context.Context, userID, messageID uuid.UUID, a agent.Action) (domain.Message, error) {
	var done agent.Action
	var err error
	if ag, ok := o.agents[a.Service]; ok {
		done, err = ag.Confirm(ctx, userID, messageID, a)
	} else {
		err = fmt.Errorf("no agent serves %s: %w", a.Service, domain.ErrUnavailable)
	}
	if err != nil {
		o.log.WarnContext(ctx, "action failed", "message", messageID, "action", a.ID, "err", err)
		err = fmt.Errorf("action %s: %w", a.ID, err)
	}
	// The outcome is recorded even when ctx ended: the effect happened.
	msg, rerr := o.decide(context.WithoutCancel(ctx), userID, messageID, a.ID, func(cur *agent.Action) (bool, error) {
		if err != nil {
			cur.Status, cur.Error = agent.ActionFailed, domain.Explain(err)
		} else {
			*cur = done
			cur.Status, cur.Error = agent.ActionExecuted, ""
		}
		cur.Claimed = time.Time{}
		return true, nil
	})
	if rerr != nil {
		return domain.Message{}, fmt.Errorf("record action %s: %w", a.ID, rerr)
	}
	return msg, err
}

// RejectAction drops a proposed action: it will never run. Rejecting twice
// changes nothing; rejecting an executed action, or one a confirmation is
// executing, answers ErrConflict.
func (o *Orchestrator) RejectAction(ctx context.Context, userID, messageID uuid.UUID, actionID string) (domain.Message, error) {
	return o.decide(ctx, userID, messageID, actionID, func(a *agent.Action) (bool, error) {
		switch {
		case a.Status == agent.ActionRejected:
			return false, nil
		case a.Status == agent.ActionExecuted:
			return false, fmt.Errorf("action %s was already executed: %w", a.ID, domain.ErrConflict)
		case !a.Claimed.IsZero() && o.clock.Now().Sub(a.Claimed) < claimLease:
			return false, fmt.Errorf("action %s is being executed: %w", a.ID, domain.ErrConflict)
		}
		a.Status, a.Claimed = agent.ActionRejected, time.Time{}
		return true, nil
	})
}

// decide changes one action of the message in the store's locked
// read-modify-write (fn reports whether it changed it) and refreshes the
// conversation's context when it did.
func (o *Orchestrator) decide(ctx context.Context, userID, messageID uuid.UUID, actionID string,
	fn func(*agent.Action) (changed bool, err error)) (domain.Message, error) {
	var changed bool
	msg, err := o.d.Conversations.ModifyMessage(ctx, userID, messageID, func(msg *domain.Message) (bool, error) {
		actions, err := ActionsOf(*msg)
		if err != nil {
			return false, err
		}
		i := slices.IndexFunc(actions, func(a agent.Action) bool { return a.ID == actionID })
		if i < 0 {
			return false, fmt.Errorf("action %q of message %s: %w", actionID, messageID, domain.ErrNotFound)
		}
		if changed, err = fn(&actions[i]); err != nil || !changed {
			return false, err
		}
		msg.Actions = encodeSlice(actions)
		msg.UpdatedAt = o.clock.Now()
		return true, nil
	})
	if err != nil {
		return domain.Message{}, fmt.Errorf("message %s: %w", messageID, err)
	}
	if changed {
		o.refreshContext(ctx, msg)
	}
	return msg, nil
}

// refreshContext replaces the message's turn in the stored context, so a
// follow-up sees the action's new state and what it produced.
func (o *Orchestrator) refreshContext(ctx context.Context, msg domain.Message) {
	if o.d.Contexts == nil {
		return
	}
	cc, ok, err := o.d.Contexts.Context(ctx, msg.UserID, msg.ConversationID)
	if err != nil || !ok {
		return // the next ask rebuilds it from the messages
	}
	for i, t := range cc.Turns {
		if t.MessageID == msg.ID {
			cc.Turns[i] = o.turnOf(ctx, msg)
		}
	}
	if err := o.d.Contexts.SaveContext(context.WithoutCancel(ctx), msg.UserID, msg.ConversationID, cc); err != nil {
		o.log.WarnContext(ctx, "context store write", "err", err)
	}
}
