package workers

import (
	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// SyncCalendarArgs asks for a sync of one user's Calendar.
type SyncCalendarArgs struct {
	UserID uuid.UUID `json:"user_id"`
}

// Kind is permanent: renaming it strands the jobs already queued.
func (SyncCalendarArgs) Kind() string { return "sync_calendar" }

// InsertOpts makes the job unique per user while it waits or runs.
func (SyncCalendarArgs) InsertOpts() river.InsertOpts { return syncInsertOpts() }

func (a SyncCalendarArgs) user() uuid.UUID       { return a.UserID }
func (SyncCalendarArgs) service() domain.Service { return domain.ServiceCalendar }

// SyncCalendarWorker works SyncCalendarArgs.
type SyncCalendarWorker = syncWorker[SyncCalendarArgs]
