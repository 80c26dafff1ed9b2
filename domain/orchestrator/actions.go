package orchestrator

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
)

// ConfirmAction executes a proposed action of the user's message and records
// the outcome on the message. Confirming an executed action again changes
// nothing and returns the message; a rejected one answers ErrConflict; a
// failed one may be retried (every action is safe to repeat). When the agent
// fails, the message records the failure and the error is returned too.
func (o *Orchestrator) ConfirmAction(ctx context.Context, userID, messageID uuid.UUID, actionID string) (domain.Message, error) {
	return o.decide(ctx, userID, messageID, actionID, func(msg domain.Message, a *agent.Action) (bool, error) {
		switch a.Status {
		case agent.ActionExecuted:
			return false, nil
		case agent.ActionRejected:
			return false, fmt.Errorf("action %s was rejected: %w", a.ID, domain.ErrConflict)
		}
		ag, ok := o.agents[a.Service]
		if !ok {
			return false, fmt.Errorf("no agent serves %s: %w", a.Service, domain.ErrUnavailable)
		}
		done, err := ag.Confirm(ctx, userID, messageID, *a)
		if err != nil {
			a.Status, a.Error = agent.ActionFailed, domain.Explain(err)
			o.log.WarnContext(ctx, "action failed", "message", messageID, "action", a.ID, "err", err)
			return true, fmt.Errorf("action %s: %w", a.ID, err)
		}
		*a = done
		a.Status, a.Error = agent.ActionExecuted, ""
		return true, nil
	})
}

// RejectAction drops a proposed action: it will never run. Rejecting twice
// changes nothing; rejecting an executed action answers ErrConflict.
func (o *Orchestrator) RejectAction(ctx context.Context, userID, messageID uuid.UUID, actionID string) (domain.Message, error) {
	return o.decide(ctx, userID, messageID, actionID, func(_ domain.Message, a *agent.Action) (bool, error) {
		switch a.Status {
		case agent.ActionRejected:
			return false, nil
		case agent.ActionExecuted:
			return false, fmt.Errorf("action %s was already executed: %w", a.ID, domain.ErrConflict)
		}
		a.Status = agent.ActionRejected
		return true, nil
	})
}

// decide loads the message's actions, lets fn change one, and persists the
// change (also when fn fails after changing it).
func (o *Orchestrator) decide(ctx context.Context, userID, messageID uuid.UUID, actionID string,
	fn func(domain.Message, *agent.Action) (changed bool, err error)) (domain.Message, error) {
	unlock := o.lockMessage(messageID)
	defer unlock()
	msg, err := o.d.Conversations.Message(ctx, userID, messageID)
	if err != nil {
		return domain.Message{}, fmt.Errorf("message %s: %w", messageID, err)
	}
	var actions []agent.Action
	if len(msg.Actions) > 0 {
		if err := json.Unmarshal(msg.Actions, &actions); err != nil {
			return domain.Message{}, fmt.Errorf("message %s: stored actions unreadable: %v", messageID, err)
		}
	}
	i := -1
	for j := range actions {
		if actions[j].ID == actionID {
			i = j
		}
	}
	if i < 0 {
		return domain.Message{}, fmt.Errorf("action %q of message %s: %w", actionID, messageID, domain.ErrNotFound)
	}
	changed, ferr := fn(msg, &actions[i])
	if !changed {
		return msg, ferr
	}
	msg.Actions = mustJSON(actions)
	msg.UpdatedAt = o.clock.Now()
	if err := o.d.Conversations.UpdateMessage(context.WithoutCancel(ctx), msg); err != nil {
		return domain.Message{}, fmt.Errorf("record action %s: %w", actionID, err)
	}
	o.refreshContext(ctx, msg)
	return msg, ferr
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
			cc.Turns[i] = turnOf(msg)
		}
	}
	if err := o.d.Contexts.SaveContext(context.WithoutCancel(ctx), msg.UserID, msg.ConversationID, cc); err != nil {
		o.log.WarnContext(ctx, "context store write", "err", err)
	}
}
