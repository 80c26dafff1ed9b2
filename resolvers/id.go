package resolvers

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Node types, as written in global ids.
const (
	typeUser         = "User"
	typeEmail        = "Email"
	typeEvent        = "Event"
	typeFile         = "File"
	typeConversation = "Conversation"
	typeMessage      = "Message"
)

// globalID is the opaque id of a Node: base64 of "Type:uuid", so clients
// cannot confuse ids of different types and ids stay stable across pages.
func globalID(typ string, id uuid.UUID) string {
	return base64.StdEncoding.EncodeToString([]byte(typ + ":" + id.String()))
}

// parseGlobalID decodes a global id; a malformed one is the caller's mistake.
func parseGlobalID(s string) (typ string, id uuid.UUID, err error) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", uuid.Nil, fmt.Errorf("id %q is not a node id: %w", s, domain.ErrInvalidInput)
	}
	typ, rest, ok := strings.Cut(string(raw), ":")
	if !ok {
		return "", uuid.Nil, fmt.Errorf("id %q is not a node id: %w", s, domain.ErrInvalidInput)
	}
	id, err = uuid.Parse(rest)
	if err != nil {
		return "", uuid.Nil, fmt.Errorf("id %q is not a node id: %w", s, domain.ErrInvalidInput)
	}
	return typ, id, nil
}

// parseTypedID decodes a global id that must name a want.
func parseTypedID(s, want string) (uuid.UUID, error) {
	typ, id, err := parseGlobalID(s)
	if err != nil {
		return uuid.Nil, err
	}
	if typ != want {
		return uuid.Nil, fmt.Errorf("id %q names a %s, want a %s: %w", s, typ, want, domain.ErrInvalidInput)
	}
	return id, nil
}
