package resolvers

import (
	"context"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
)

// The small ports the product's fields call; cmd wires domain types (and the
// adapters that implement domain ports) into them.

// Asker runs asks in the background and decides their proposed actions.
// *orchestrator.Orchestrator satisfies it.
type Asker interface {
	Ask(ctx context.Context, in orchestrator.AskInput) (domain.Message, error)
	ConfirmAction(ctx context.Context, userID, messageID uuid.UUID, actionID string) (domain.Message, error)
	RejectAction(ctx context.Context, userID, messageID uuid.UUID, actionID string) (domain.Message, error)
	Cancel(ctx context.Context, userID, messageID uuid.UUID) error
}

// AnswerFollower streams a message's answer events: fn gets every event from
// the first, in order and once each, until the last one (DONE or ERROR), fn
// returns false or ctx ends. adapter/pubsub.Answers satisfies it.
type AnswerFollower interface {
	Follow(ctx context.Context, messageID uuid.UUID, fn func(orchestrator.Event) bool) error
}

// AskLimiter bounds how often a user may ask. AllowAsk returns nil, or an
// error wrapping domain.ErrRateLimited (a *domain.RetryAfterError says when
// to retry); a clientRequestID the user already sent is a retry and costs
// nothing. adapter/ratelimit.AskLimiter satisfies it.
type AskLimiter interface {
	AllowAsk(ctx context.Context, userID uuid.UUID, clientRequestID string) error
}

// Searcher is the hybrid search engine; *search.Engine satisfies it.
type Searcher interface {
	Search(ctx context.Context, req search.Request) (search.Result, error)
}

// SyncStatusReader reads where a user's syncs stand; domain.SyncStatusStore
// (the store) satisfies it.
type SyncStatusReader interface {
	SyncStatuses(ctx context.Context, userID uuid.UUID) ([]domain.SyncStatus, error)
}

// SyncEnqueuer enqueues a sync job; a job already waiting or running for the
// same user and service is not enqueued twice. workers.SyncQueue (the
// domain's ingest.SyncQueue) satisfies it.
type SyncEnqueuer interface {
	EnqueueSync(ctx context.Context, userID uuid.UUID, s domain.Service, priority int) error
}

// WorkspaceBatchReader loads many of a user's cached items by row id in one
// query each; ids that are not the user's are absent. Optional: without it
// the resolvers ask domain.WorkspaceReader once per item, concurrently.
type WorkspaceBatchReader interface {
	EmailsByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.Email, error)
	EventsByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.Event, error)
	FilesByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.File, error)
}

// AccountManager ends sessions and deletes accounts (web/auth.Accounts).
type AccountManager interface {
	// SignOutEverywhere revokes every session of the user.
	SignOutEverywhere(ctx context.Context, userID uuid.UUID) error
	// DeleteAccount revokes the user's Google grant and deletes every row
	// that is theirs, in one transaction.
	DeleteAccount(ctx context.Context, userID uuid.UUID) error
}
