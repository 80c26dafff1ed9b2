package workers

import (
	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// SyncGmailArgs asks for a sync of one user's Gmail.
type SyncGmailArgs struct {
	UserID uuid.UUID `json:"user_id"`
}

// Kind is permanent: renaming it strands the jobs already queued.
func (SyncGmailArgs) Kind() string { return "sync_gmail" }

// InsertOpts makes the job unique per user while it waits or runs.
func (SyncGmailArgs) InsertOpts() river.InsertOpts { return syncInsertOpts() }

func (a SyncGmailArgs) user() uuid.UUID       { return a.UserID }
func (SyncGmailArgs) service() domain.Service { return domain.ServiceGmail }

// SyncGmailWorker works SyncGmailArgs.
type SyncGmailWorker = syncWorker[SyncGmailArgs]
