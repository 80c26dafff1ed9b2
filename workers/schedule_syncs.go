package workers

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

// ScheduleSyncsArgs is the periodic job that enqueues syncs for active users.
type ScheduleSyncsArgs struct{}

// Kind is permanent.
func (ScheduleSyncsArgs) Kind() string { return "schedule_syncs" }

// InsertOpts keeps one schedule_syncs waiting at a time.
func (ScheduleSyncsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByState: uniqueStates}}
}

// ScheduleSyncsWorker enqueues every service's sync for users active in the
// last day, those active in the last hour at a higher priority. A sync
// already waiting or running for a (user, service) is left alone.
type ScheduleSyncsWorker struct {
	river.WorkerDefaults[ScheduleSyncsArgs]
	users ingest.ActiveUsers
	clock domain.Clock
	log   *slog.Logger
}

func (w *ScheduleSyncsWorker) Work(ctx context.Context, _ *river.Job[ScheduleSyncsArgs]) error {
	now := w.clock.Now()
	users, err := w.users.ActiveUsers(ctx, now.Add(-ingest.ActiveWindow))
	if err != nil {
		return fmt.Errorf("schedule syncs: %w", err)
	}
	plan := ingest.Plan(users, now)
	if len(plan) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(plan))
	for i, p := range plan {
		args, opts, err := SyncJob(p.UserID, p.Service, p.Priority)
		if err != nil {
			return err
		}
		params[i] = river.InsertManyParams{Args: args, InsertOpts: opts}
	}
	res, err := river.ClientFromContext[*sql.Tx](ctx).InsertMany(ctx, params)
	if err != nil {
		return fmt.Errorf("schedule syncs: insert %d jobs: %w", len(params), err)
	}
	skipped := 0
	for _, r := range res {
		if r.UniqueSkippedAsDuplicate {
			skipped++
		}
	}
	w.log.InfoContext(ctx, "scheduled syncs", "users", len(users), "enqueued", len(res)-skipped, "already_queued", skipped)
	return nil
}
