// Package model holds the Go types of the GraphQL schema: the ones gqlgen
// generates (models_gen.go) and a few written by hand that carry ids the
// schema does not show, so field resolvers can load related objects.
package model

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Conversation is a dialogue with the assistant.
type Conversation struct {
	ID        string    // global id
	UUID      uuid.UUID // row id, for the messages and messageCount resolvers
	Title     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// IsNode marks Conversation as a Node.
func (Conversation) IsNode() {}

// GetID returns the global id.
func (c Conversation) GetID() string { return c.ID }

// Message is one ask in a conversation.
type Message struct {
	ID               string    // global id
	ConversationUUID uuid.UUID // row id of its conversation, for the conversation resolver
	Query            string
	Status           MessageStatus
	Response         string
	Error            string
	ClientRequestID  string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	// Stored is the message as the store holds it: the intent, plan, actions,
	// stepResults, citations and timings resolvers decode its JSON columns
	// (through orchestrator.Record's decoders) only when a client asks for them.
	Stored domain.Message
}

// IsNode marks Message as a Node.
func (Message) IsNode() {}

// GetID returns the global id.
func (m Message) GetID() string { return m.ID }

// MarshalDateTime writes t as RFC 3339 with its offset.
func MarshalDateTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.Format(time.RFC3339Nano)))
	})
}

// UnmarshalDateTime reads an RFC 3339 string; anything else is the caller's
// mistake, so it wraps domain.ErrInvalidInput.
func UnmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("DateTime must be an RFC 3339 string, got %T: %w", v, domain.ErrInvalidInput)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("DateTime %q is not RFC 3339: %w", s, domain.ErrInvalidInput)
	}
	return t, nil
}

// JSON is any JSON value, passed through as written (the JSON scalar).
type JSON json.RawMessage

// MarshalGQL writes the value as it is; an empty value is null.
func (j JSON) MarshalGQL(w io.Writer) {
	if len(j) == 0 {
		_, _ = io.WriteString(w, "null")
		return
	}
	_, _ = w.Write(j)
}

// UnmarshalGQL takes any input value and keeps it as JSON.
func (j *JSON) UnmarshalGQL(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("JSON value: %v: %w", err, domain.ErrInvalidInput)
	}
	*j = b
	return nil
}

// SearchHit is one fused search result; the item resolver loads the item
// through the dataloaders, so a page of hits costs one query per service.
type SearchHit struct {
	Score   float64
	Legs    []LegHit
	Service domain.Service // which of Email, Event and File the item is
	ItemID  uuid.UUID      // the item's row id
}
