package workers

import (
	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// SyncDriveArgs asks for a sync of one user's Drive.
type SyncDriveArgs struct {
	UserID uuid.UUID `json:"user_id"`
}

// Kind is permanent: renaming it strands the jobs already queued.
func (SyncDriveArgs) Kind() string { return "sync_drive" }

// InsertOpts makes the job unique per user while it waits or runs.
func (SyncDriveArgs) InsertOpts() river.InsertOpts { return syncInsertOpts() }

func (a SyncDriveArgs) user() uuid.UUID       { return a.UserID }
func (SyncDriveArgs) service() domain.Service { return domain.ServiceDrive }

// SyncDriveWorker works SyncDriveArgs.
type SyncDriveWorker = syncWorker[SyncDriveArgs]
