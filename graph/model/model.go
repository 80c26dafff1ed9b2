// Package model holds the Go types of the GraphQL schema: the ones gqlgen
// generates (models_gen.go) and a few written by hand that carry ids the
// schema does not show, so field resolvers can load related objects.
package model

import (
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
