// Package agent declares what the service agents (gmailagent, calendaragent,
// driveagent) share: the items they return, the actions they propose, the
// search port they read through and the Agent interface the orchestrator
// composes. Agents never import each other.
package agent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
)

// Item is one workspace item a step found, read or wrote.
type Item struct {
	Service domain.Service `json:"service"`
	// Kind is "email", "draft", "event" or "file".
	Kind string `json:"kind"`
	// ID is the provider id: Gmail message or draft id, Calendar event id, Drive file id.
	ID         string    `json:"id"`
	RowID      uuid.UUID `json:"rowId,omitzero"` // cache row id, when cached
	CalendarID string    `json:"calendarId,omitempty"`
	ThreadID   string    `json:"threadId,omitempty"`
	// Title is the subject, event title or file name.
	Title   string `json:"title"`
	Snippet string `json:"snippet,omitempty"`
	// Body is the full text, set by read operations only.
	Body string `json:"body,omitempty"`
	// People are the sender and recipients, attendees, or owners.
	People []string  `json:"people,omitempty"`
	At     time.Time `json:"at,omitzero"` // received, event start, modified
	End    time.Time `json:"end,omitzero"`
	// TimeZone is an event's IANA zone.
	TimeZone string `json:"timeZone,omitempty"`
	// Folder is a file's parent folder.
	Folder string  `json:"folder,omitempty"`
	URL    string  `json:"url,omitempty"`
	Score  float64 `json:"score,omitempty"`
	// Held is the share of the search's words the item holds anywhere, body
	// included, as full text matched them (stems): what Matching weighs
	// beside the words it finds in the title and snippet it has.
	Held float64 `json:"-"`
}

// Ref is the item as a conversation remembers it.
func (it Item) Ref() intent.ItemRef {
	return intent.ItemRef{Service: it.Service, ID: it.ID, RowID: it.RowID, CalendarID: it.CalendarID, Title: it.Title, At: it.At, End: it.End, Kind: it.Kind}
}

// ActionKind names what a confirmed action does.
type ActionKind string

const (
	ActionSendEmail   ActionKind = "send_email"
	ActionCreateEvent ActionKind = "create_event"
	ActionUpdateEvent ActionKind = "update_event"
	ActionDeleteEvent ActionKind = "delete_event"
	ActionShareFile   ActionKind = "share_file"
)

// ActionStatus is where a proposed action stands.
type ActionStatus string

const (
	ActionProposed ActionStatus = "proposed"
	ActionExecuted ActionStatus = "executed"
	ActionRejected ActionStatus = "rejected"
	ActionFailed   ActionStatus = "failed"
)

// Action is a side effect proposed to the user; nothing happens until the
// user confirms it, and then the agent's Confirm does exactly what Summary says
// to exactly the Targets.
type Action struct {
	ID      string         `json:"id"`
	StepID  string         `json:"stepId"`
	Kind    ActionKind     `json:"kind"`
	Service domain.Service `json:"service"`
	// Summary says exactly what will happen to what, for the person to decide.
	Summary string `json:"summary"`
	// Targets are the provider ids acted on (draft id, event id, file id).
	Targets []string `json:"targets"`
	// Payload is everything Confirm needs, in the agent's own JSON shape.
	Payload json.RawMessage `json:"payload,omitempty"`
	Status  ActionStatus    `json:"status"`
	// Result says what happened once executed (the sent message, the event link).
	Result string `json:"result,omitempty"`
	Error  string `json:"error,omitempty"`
	// Item is the item the executed action produced or changed.
	Item *Item `json:"item,omitempty"`
	// Claimed is when a confirmation began executing the action; zero when
	// none is (see orchestrator.ConfirmAction).
	Claimed time.Time `json:"claimed,omitzero"`
}

// Ref is the action as a conversation remembers it.
func (a Action) Ref() intent.ActionRef {
	return intent.ActionRef{ID: a.ID, Kind: string(a.Kind), Service: a.Service, Summary: a.Summary, Targets: a.Targets, Status: string(a.Status)}
}

// NewAction builds a proposed action of a step with its payload; its id is the
// step id with the index of the action within the step.
func NewAction(step intent.Step, i int, kind ActionKind, summary string, targets []string, payload any) (Action, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return Action{}, fmt.Errorf("action payload: %w", err)
	}
	return Action{
		ID: fmt.Sprintf("%s-a%d", step.ID, i+1), StepID: step.ID, Kind: kind, Service: step.Service,
		Summary: summary, Targets: targets, Payload: raw, Status: ActionProposed,
	}, nil
}

// StableID derives a provider id from a message and an action, so that a
// retried confirmation reuses it (Calendar accepts client-chosen event ids in
// base32hex: lowercase a-v and digits, 5 to 1024 characters; hex qualifies).
func StableID(messageID uuid.UUID, actionID string) string {
	sum := sha256.Sum256([]byte(messageID.String() + "/" + actionID))
	return hex.EncodeToString(sum[:16])
}

// Output is what one step produced.
type Output struct {
	Items   []Item   `json:"items"`
	Actions []Action `json:"actions,omitempty"`
}

// Input is the output of a step the current step depends on.
type Input struct {
	StepID string
	Output Output
}

// Agent serves one service's operations.
type Agent interface {
	// Service names the service served.
	Service() domain.Service
	// Do runs a step. Reads return items; side-effect operations return
	// proposed actions and change nothing. inputs are the outputs of the steps
	// it depends on, in its DependsOn order.
	Do(ctx context.Context, userID uuid.UUID, step intent.Step, inputs []Input) (Output, error)
	// Confirm executes a proposed action of this service, safe to retry:
	// messageID seeds stable ids. It returns the action executed or failed.
	Confirm(ctx context.Context, userID, messageID uuid.UUID, a Action) (Action, error)
}

// Searcher finds a user's items (the hybrid search engine, adapted by cmd):
// f.Query ranks, the rest of f restricts, f.Services names where to look
// (none: everywhere). Only relevant items come back (search.Result.Relevant),
// so none found means no good match.
type Searcher interface {
	Search(ctx context.Context, userID uuid.UUID, f domain.Filter, limit int) ([]Item, error)
}

// ErrAmbiguous: a step that acts on one item found several candidates; the
// wrapping message lists them so the person can say which. It is also a
// domain.ErrInvalidInput.
var ErrAmbiguous error = &sentinel{"ambiguous", domain.ErrInvalidInput}

// ErrNothingFound: a step that acts on one item found none. It is also a
// domain.ErrNotFound.
var ErrNothingFound error = &sentinel{"nothing found", domain.ErrNotFound}

// sentinel is an error of this package that is also a domain error.
type sentinel struct {
	msg  string
	base error
}

func (e *sentinel) Error() string { return e.msg }
func (e *sentinel) Unwrap() error { return e.base }
