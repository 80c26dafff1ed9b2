// Package resolvers holds the thin GraphQL resolvers: each takes the caller's
// id from the context, calls a domain port and converts the result
// (convert.go). Dataloaders (loader.go) batch nested fields.
package resolvers

import (
	"fmt"
	"time"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Resolver is the root resolver; it holds the domain ports the fields call.
type Resolver struct {
	Users             domain.UserStore
	Workspace         domain.WorkspaceReader
	ConversationStore domain.ConversationStore
	// ConversationBatch batches nested conversation fields. Defaults to
	// ConversationStore when it implements the batch port, else to asking it
	// once per key (deduplicated per operation).
	ConversationBatch domain.ConversationBatchReader
	// BatchWait is how long a dataloader batch collects keys. gqlgen resolves
	// a list's items concurrently, so their keys arrive within microseconds;
	// the library's 16ms default would add that much to every nested query.
	// Defaults to 2ms.
	BatchWait time.Duration
	// Clock stamps serverTime. Defaults to the system clock.
	Clock domain.Clock
	// TickEvery is the serverTime period. Defaults to 1s.
	TickEvery time.Duration
}

// WithDefaults fills the optional fields.
func (r Resolver) WithDefaults() Resolver {
	if r.ConversationBatch == nil {
		if b, ok := r.ConversationStore.(domain.ConversationBatchReader); ok {
			r.ConversationBatch = b
		} else {
			r.ConversationBatch = perKeyBatch{r.ConversationStore}
		}
	}
	if r.Clock == nil {
		r.Clock = domain.SystemClock{}
	}
	if r.BatchWait == 0 {
		r.BatchWait = 2 * time.Millisecond
	}
	if r.TickEvery == 0 {
		r.TickEvery = time.Second
	}
	return r
}

// Validate names the first missing required port.
func (r Resolver) Validate() error {
	switch {
	case r.Users == nil:
		return fmt.Errorf("resolvers: Users is required")
	case r.Workspace == nil:
		return fmt.Errorf("resolvers: Workspace is required")
	case r.ConversationStore == nil:
		return fmt.Errorf("resolvers: ConversationStore is required")
	}
	return nil
}
