package orchestrator

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/executor"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/synth"
)

// EventType is the kind of an answer event (GraphQL enum values).
type EventType string

const (
	EventStatus         EventType = "STATUS"
	EventStepResult     EventType = "STEP_RESULT"
	EventToken          EventType = "TOKEN"
	EventActionProposed EventType = "ACTION_PROPOSED"
	EventDone           EventType = "DONE"
	EventError          EventType = "ERROR"
)

// Status values of STATUS events.
const (
	StatusClassifying  = "classifying"
	StatusPlanning     = "planning"
	StatusStepStarted  = "step_started"
	StatusStepFinished = "step_finished"
	StatusSynthesizing = "synthesizing"
)

// Event is one answer event of a message. Seq numbers a message's events from
// 1 in the order they happened; the last one is DONE or ERROR.
type Event struct {
	Type EventType `json:"type"`
	Seq  int       `json:"seq"`
	At   time.Time `json:"at"`
	// Status (STATUS) is one of the Status* values; Detail says it for people.
	Status string `json:"status,omitempty"`
	Detail string `json:"detail,omitempty"`
	// StepID names the step of step_started/step_finished and STEP_RESULT.
	StepID string `json:"stepId,omitempty"`
	// Step is the recorded outcome (STEP_RESULT).
	Step *executor.Result `json:"step,omitempty"`
	// Token is a chunk of the answer (TOKEN).
	Token string `json:"token,omitempty"`
	// Action is a proposed action awaiting confirmation (ACTION_PROPOSED).
	Action *agent.Action `json:"action,omitempty"`
	// Text and Citations are the whole answer (DONE).
	Text      string           `json:"text,omitempty"`
	Citations []synth.Citation `json:"citations,omitempty"`
	// MessageStatus is the message's final status (DONE, ERROR).
	MessageStatus domain.MessageStatus `json:"messageStatus,omitempty"`
	// Error says what went wrong (ERROR).
	Error string `json:"error,omitempty"`
}

// Publisher delivers a message's events, in order, to whoever follows the
// message (a Redis Stream per message, replayable from the start). Events
// queued together are published together, in one round trip.
type Publisher interface {
	Publish(ctx context.Context, messageID uuid.UUID, evs ...Event) error
}

// Cancels carries cancel requests between instances: an ask runs on the
// instance that took it, while cancelAsk may reach any other.
type Cancels interface {
	// RequestCancel asks every instance to stop the message's run.
	RequestCancel(ctx context.Context, messageID uuid.UUID) error
	// ListenCancels calls fn with each requested message id until ctx ends
	// or the connection fails.
	ListenCancels(ctx context.Context, fn func(messageID uuid.UUID)) error
}

// ContextStore keeps a conversation's context for follow-ups (Redis, 60-minute
// TTL). On a miss the orchestrator rebuilds it from the persisted messages.
type ContextStore interface {
	// Context returns the stored context, or false on a miss.
	Context(ctx context.Context, userID, conversationID uuid.UUID) (intent.ConversationContext, bool, error)
	SaveContext(ctx context.Context, userID, conversationID uuid.UUID, c intent.ConversationContext) error
}

// IntentCache keeps classified intents briefly (5 minutes) under a key
// derived from the user, the conversation context and the query.
type IntentCache interface {
	// Intent returns the cached intent, or false on a miss.
	Intent(ctx context.Context, key string) (intent.Intent, bool, error)
	SaveIntent(ctx context.Context, key string, in intent.Intent) error
}

// Timings are the pipeline's phase durations in milliseconds (Message.Timings).
type Timings struct {
	ClassifyMS   float64 `json:"classifyMs"`
	PlanMS       float64 `json:"planMs"`
	ExecuteMS    float64 `json:"executeMs"`
	SynthesizeMS float64 `json:"synthesizeMs"`
	FirstTokenMS float64 `json:"firstTokenMs"` // from the ask to the first TOKEN
	TotalMS      float64 `json:"totalMs"`
}
