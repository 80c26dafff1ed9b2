// Package intent turns a natural-language request into a structured Intent:
// which services and operations it needs, the entities it names and the steps
// (with dependencies) that serve it. It declares the Classifier port (an LLM
// adapter implements it), the offline rule-based classifier, the validation
// every classifier's output goes through and the prompt an LLM is sent.
package intent

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/dates"
)

// Operation is what a step does to a service.
type Operation string

const (
	OpSearch Operation = "search"
	OpRead   Operation = "read"
	OpDraft  Operation = "draft"
	OpSend   Operation = "send"
	OpCreate Operation = "create"
	OpUpdate Operation = "update"
	OpDelete Operation = "delete"
	OpShare  Operation = "share"
)

// Operations lists every operation in a stable order.
var Operations = []Operation{OpSearch, OpRead, OpDraft, OpSend, OpCreate, OpUpdate, OpDelete, OpShare}

// serviceOps is what each service's agent can do.
var serviceOps = map[domain.Service][]Operation{
	domain.ServiceGmail:    {OpSearch, OpRead, OpDraft, OpSend},
	domain.ServiceCalendar: {OpSearch, OpRead, OpCreate, OpUpdate, OpDelete},
	domain.ServiceDrive:    {OpSearch, OpRead, OpShare},
}

// Supports reports whether service s offers operation op.
func Supports(s domain.Service, op Operation) bool {
	for _, o := range serviceOps[s] {
		if o == op {
			return true
		}
	}
	return false
}

// SideEffect reports whether op changes something other people can see or
// that cannot be taken back; such steps only propose an action, executed when
// the user confirms it. A draft stays private to the user, so it is not one.
func (op Operation) SideEffect() bool {
	switch op {
	case OpSend, OpCreate, OpUpdate, OpDelete, OpShare:
		return true
	}
	return false
}

// Step is one call to one service's agent.
type Step struct {
	ID        string         `json:"id"`
	Service   domain.Service `json:"service"`
	Operation Operation      `json:"operation"`
	// Params are the operation's arguments; keys are the Param* constants.
	Params     Params   `json:"params"`
	DependsOn  []string `json:"dependsOn"`
	SideEffect bool     `json:"sideEffect"`
}

// Step parameter keys. Times are RFC 3339 strings, lists are []string (JSON
// arrays), numbers are JSON numbers.
const (
	ParamQuery      = "query"        // free text to search for
	ParamFrom       = "from"         // []string sender addresses or names
	ParamTo         = "to"           // []string recipient addresses (mail) or people to share with / invite
	ParamAttendees  = "attendees"    // []string attendee addresses (calendar search)
	ParamAfter      = "after"        // RFC 3339; items at or after
	ParamBefore     = "before"       // RFC 3339; items before
	ParamItemID     = "itemId"       // the exact provider id a step acts on (from an earlier turn)
	ParamRowID      = "rowId"        // the cached row id of ParamItemID, for reads
	ParamClock      = "clock"        // "15:04": new start time on the found event's own day (or on ParamDay)
	ParamDay        = "day"          // RFC 3339 midnight: new day of a found event, keeping its clock time
	ParamShift      = "shiftMinutes" // minutes a found event moves from where it is ("an hour later": 60)
	ParamCalendarID = "calendarId"   // calendar of ParamItemID
	ParamTitle      = "title"        // event title
	ParamStart      = "start"        // RFC 3339 event start
	ParamEnd        = "end"          // RFC 3339 event end
	ParamTimeZone   = "timeZone"     // IANA zone of a new or moved event
	ParamDuration   = "durationMinutes"
	ParamSubject    = "subject"
	ParamBody       = "body"
	ParamRole       = "role"  // reader, commenter, writer
	ParamLimit      = "limit" // results wanted
	ParamDraftID    = "draftId"
	ParamMode       = "mode"          // draft: "reply" to or "forward" the email found by the step it depends on
	ParamMimeTypes  = "mimeTypes"     // []string
	ParamFolders    = "folders"       // []string Drive parent folders, any of
	ParamOwners     = "owners"        // []string Drive file owner addresses, any of
	ParamAttachment = "hasAttachment" // bool
	ParamUnread     = "unread"        // bool
	ParamOrder      = "order"         // Order: how the results are sorted; absent means by relevance
	ParamLabels     = "labels"        // []string mail labels, any of (LabelSent: the user's sent mail)
	ParamQuestion   = "question"      // Question a search of one part of a compound request answers ("how many …, and …"); absent means the request's
)

// LabelSent is Gmail's label of the mail the user sent.
const LabelSent = "SENT"

// Order is how a search's results are sorted (ParamOrder).
type Order string

const (
	OrderRelevance Order = "relevance" // best match first (the default)
	OrderNewest    Order = "newest"    // latest first: "latest", "most recent", "last"
	OrderOldest    Order = "oldest"    // earliest first: "first", "oldest"
	OrderUpcoming  Order = "upcoming"  // soonest first, from now on: "next", "upcoming"
)

// Question is the kind of answer a request wants, so the writer can answer
// it in its first sentence.
type Question string

const (
	QuestionList      Question = "list"      // show the matching items (the default)
	QuestionWhen      Question = "when"      // when is/was it
	QuestionWhich     Question = "which"     // which one(s)
	QuestionWho       Question = "who"       // who sent / attended / owns it
	QuestionCount     Question = "count"     // how many
	QuestionFree      Question = "free"      // am I free / busy then
	QuestionRead      Question = "read"      // what does it say: the item's content
	QuestionSummarize Question = "summarize" // a summary of the item(s)
	QuestionSmallTalk Question = "smalltalk" // "thanks", "cool": a short reply, no step
)

// Person is someone the request names, with the addresses the user's own
// mail and events know them by.
type Person struct {
	Name      string           `json:"name"`
	Addresses []domain.Address `json:"addresses,omitempty"`
}

// DateRef is a date or period the request names.
type DateRef struct {
	Text  string      `json:"text"`
	Range dates.Range `json:"range"`
}

// ItemRef points at an item shown in an earlier turn ("the second one", "it").
type ItemRef struct {
	Service domain.Service `json:"service"`
	ID      string         `json:"id"` // provider id: Gmail message id, event id, file id
	// RowID is the cached row's id, for reading the item back.
	RowID uuid.UUID `json:"rowId,omitzero"`
	// CalendarID is the event's calendar.
	CalendarID string `json:"calendarId,omitempty"`
	Title      string `json:"title"`
	// At is when the item happened: received, event start, file modified.
	At time.Time `json:"at,omitzero"`
	// End is an event's end.
	End time.Time `json:"end,omitzero"`
	// Kind says what the item is within its service: "email", "draft", "event", "file".
	Kind string `json:"kind,omitempty"`
}

// Entities are what the request names.
type Entities struct {
	People        []Person        `json:"people,omitempty"`
	Organisations []string        `json:"organisations,omitempty"`
	Topics        []string        `json:"topics,omitempty"`
	Dates         []DateRef       `json:"dates,omitempty"`
	Times         []time.Time     `json:"times,omitempty"`
	Durations     []time.Duration `json:"durations,omitempty"` // nanoseconds in JSON
	Items         []ItemRef       `json:"items,omitempty"`
}

// Intent is what a request asks for.
type Intent struct {
	Services   []domain.Service `json:"services"`
	Operations []Operation      `json:"operations"`
	Entities   Entities         `json:"entities"`
	Steps      []Step           `json:"steps"`
	// Confidence in [0, 1] that the steps serve the request.
	Confidence float64 `json:"confidence"`
	// Clarification is the one question to ask instead of acting, when the
	// request is ambiguous or misses a required detail.
	Clarification string `json:"clarification"`
	// Unsupported says why nothing can serve the request ("what's the weather?").
	Unsupported string `json:"unsupported,omitempty"`
	// Question is the kind of answer wanted; empty means QuestionList.
	Question Question `json:"question,omitempty"`
	// Reply is the whole answer when no step is needed (small talk).
	Reply string `json:"reply,omitempty"`
	// Declined are the parts of a compound request nothing can serve, while
	// the steps serve the others; the answer says so.
	Declined []string `json:"declined,omitempty"`
}

// ActionRef is an action proposed in an earlier turn.
type ActionRef struct {
	ID      string         `json:"id"`
	Kind    string         `json:"kind"`
	Service domain.Service `json:"service"`
	Summary string         `json:"summary"`
	Targets []string       `json:"targets,omitempty"`
	Status  string         `json:"status"`
}

// Turn is one earlier ask of the conversation.
type Turn struct {
	MessageID uuid.UUID `json:"messageId"`
	Query     string    `json:"query"`
	Intent    Intent    `json:"intent"`
	// Items are the items the turn returned or cited, in the order shown.
	Items   []ItemRef   `json:"items,omitempty"`
	Actions []ActionRef `json:"actions,omitempty"`
}

// ConversationContext is what earlier turns left for follow-ups, oldest first.
type ConversationContext struct {
	Turns []Turn `json:"turns,omitempty"`
}

// Last returns the most recent turn, or false when there is none.
func (c ConversationContext) Last() (Turn, bool) {
	if len(c.Turns) == 0 {
		return Turn{}, false
	}
	return c.Turns[len(c.Turns)-1], true
}

// Request is one request to classify.
type Request struct {
	Query    string
	UserID   uuid.UUID
	Now      time.Time
	Location *time.Location // the user's zone; nil means UTC
	Context  ConversationContext
}

// Classifier understands requests.
type Classifier interface {
	Classify(ctx context.Context, r Request) (Intent, error)
}

// Versioned is a Classifier that names the version of its understanding (a
// rule set, a model and prompt): intents cached under one version are not
// served by another, so an upgrade takes effect at once.
type Versioned interface {
	Version() string
}

// Resolver reads what a request names (people with every address the
// user's mail knows them by, dates as ranges, the topic, identifiers such as
// KEP numbers) without planning, for a classifier that plans from it.
type Resolver interface {
	Resolve(ctx context.Context, r Request) (Entities, error)
}

// Contacts finds the people a user knows (senders, recipients, attendees of
// their own mail and events) by name or partial address.
type Contacts interface {
	Resolve(ctx context.Context, userID uuid.UUID, name string) ([]domain.Address, error)
}

// Directory names what a user's Drive holds: the parent folders of the files
// and the addresses of their owners, so that "the KEPs in sig-node" and
// "what does andrewsykim own" filter by folder and owner instead of searching
// for the words. Contacts that also implement it give the offline
// classifier those names.
type Directory interface {
	Directory(ctx context.Context, userID uuid.UUID) (folders, owners []string, err error)
}
