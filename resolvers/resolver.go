// Package resolvers holds the thin GraphQL resolvers: each takes the caller's
// id from the context, calls a domain port and converts the result
// (convert.go). Dataloaders (loader.go) batch nested fields.
package resolvers

import (
	"cmp"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Resolver is the root resolver; it holds the domain ports the fields call.
type Resolver struct {
	Users domain.UserStore
	// Zones reads relative dates in the user's time zone. Defaults to the
	// Users' zones, UTC for users without one.
	Zones             *domain.Zones
	Workspace         domain.WorkspaceReader
	ConversationStore domain.ConversationStore
	// ConversationBatch batches nested conversation fields. Defaults to
	// ConversationStore when it implements the batch port, else to asking it
	// once per key (deduplicated per operation).
	ConversationBatch domain.ConversationBatchReader
	// BatchWait is how long a dataloader batch collects keys. gqlgen resolves
	// a list's items concurrently, so their keys arrive within microseconds;
	// the library's 16ms default would add that much to every nested query.
	// Defaults to DefaultBatchWait (2ms).
	BatchWait time.Duration
	// Clock stamps serverTime. Defaults to the system clock.
	Clock domain.Clock
	// TickEvery is the serverTime period. Defaults to DefaultTickEvery (1s).
	TickEvery time.Duration

	// The product's ports (ports.go). A nil one makes its fields answer
	// INTERNAL (logged as "not configured"), except where noted.

	// Asker serves ask, confirmAction, rejectAction and cancelAsk
	// (*orchestrator.Orchestrator).
	Asker Asker
	// Answers serves the answer subscription (adapter/pubsub.Answers).
	Answers AnswerFollower
	// AskLimiter bounds asks per user (adapter/ratelimit.AskLimiter).
	// Defaults to none: nil leaves asks unlimited.
	AskLimiter AskLimiter
	// Searcher serves search, and emails/events/files when their filter has
	// a query (*search.Engine). Without it those lists fall back to the
	// WorkspaceReader's own text match.
	Searcher Searcher
	// SearchDepth is the most hits a list asks the Searcher for; set it to
	// the engine's Config.Depth. Defaults to DefaultSearchDepth (50).
	SearchDepth int
	// Accounts serves signOutEverywhere and deleteAccount (web/auth.Accounts).
	Accounts AccountManager
	// SyncStatuses serves syncStatus, syncNow and syncProgress (the store).
	SyncStatuses SyncStatusReader
	// SyncQueue serves syncNow (workers.SyncQueue).
	SyncQueue SyncEnqueuer
	// WorkspaceBatch loads search hits' items in one query per service.
	// Defaults to WorkspaceReader calls, one per item, run concurrently.
	WorkspaceBatch WorkspaceBatchReader
	// SyncPollEvery is how often syncProgress reads the statuses. Defaults to
	// DefaultSyncPollEvery (1s).
	SyncPollEvery time.Duration
	// ReplayWait is how long answer waits for the first event of a finished
	// message before it rebuilds the last event from the stored message (the
	// stream expires some time after the answer). Defaults to
	// DefaultReplayWait (2s).
	ReplayWait time.Duration
	// Logger receives errors that cannot reach a client (a stream that broke
	// mid-subscription). Defaults to discarding.
	Logger *slog.Logger
}

// Defaults of Resolver.
const (
	DefaultBatchWait     = 2 * time.Millisecond
	DefaultTickEvery     = time.Second
	DefaultSearchDepth   = 50
	DefaultSyncPollEvery = time.Second
	DefaultReplayWait    = 2 * time.Second
)

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
	if r.Zones == nil {
		r.Zones = domain.NewZones(r.Users, time.UTC)
	}
	r.BatchWait = cmp.Or(r.BatchWait, DefaultBatchWait)
	r.TickEvery = cmp.Or(r.TickEvery, DefaultTickEvery)
	r.SearchDepth = cmp.Or(r.SearchDepth, DefaultSearchDepth)
	if r.WorkspaceBatch == nil {
		if b, ok := r.Workspace.(WorkspaceBatchReader); ok {
			r.WorkspaceBatch = b
		} else {
			r.WorkspaceBatch = perKeyWorkspace{r.Workspace}
		}
	}
	r.SyncPollEvery = cmp.Or(r.SyncPollEvery, DefaultSyncPollEvery)
	r.ReplayWait = cmp.Or(r.ReplayWait, DefaultReplayWait)
	if r.Logger == nil {
		r.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return r
}

// errNotConfigured answers a field whose port cmd did not wire.
func errNotConfigured(what string) error {
	return fmt.Errorf("%s is not configured on this server: %w", what, domain.ErrUnavailable)
}

// Validate names the first missing required port or invalid setting.
func (r Resolver) Validate() error {
	switch {
	case r.Users == nil:
		return fmt.Errorf("resolvers: Users is required")
	case r.Workspace == nil:
		return fmt.Errorf("resolvers: Workspace is required")
	case r.ConversationStore == nil:
		return fmt.Errorf("resolvers: ConversationStore is required")
	case r.SearchDepth < 0:
		return fmt.Errorf("resolvers: SearchDepth is %d, want >= 1", r.SearchDepth)
	case r.SyncPollEvery < 0:
		return fmt.Errorf("resolvers: SyncPollEvery is %s, want > 0", r.SyncPollEvery)
	case r.ReplayWait < 0:
		return fmt.Errorf("resolvers: ReplayWait is %s, want > 0", r.ReplayWait)
	}
	return nil
}
