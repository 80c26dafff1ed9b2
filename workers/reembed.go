package workers

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

// Reembedder re-embeds cached items whose embedding is missing or came from
// another model than the configured embedder's; *ingest.Reembedder is one.
type Reembedder interface {
	// Run works for a bounded time and says whether anything is left.
	Run(ctx context.Context) (ingest.ReembedResult, error)
}

// ReembedEvery is how often the periodic reembed job is enqueued. It also
// runs when the River leader starts, which is when a change of embedding
// model (a configuration change, so a restart) takes effect; the periodic
// runs catch rows written meanwhile by a process still on the old model.
const ReembedEvery = time.Hour

// ReembedArgs asks for every stale embedding, of every user, to be redone.
type ReembedArgs struct{}

// Kind is permanent: renaming it strands the jobs already queued.
func (ReembedArgs) Kind() string { return "reembed" }

// InsertOpts keeps one reembed job waiting or running at a time, behind
// every other job (River's lowest priority).
func (ReembedArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, Priority: 4, UniqueOpts: river.UniqueOpts{ByState: uniqueStates}}
}

// ReembedJob returns the args and insert options of a reembed job, to
// enqueue one at start-up or on demand; New schedules it already.
func ReembedJob() (river.JobArgs, *river.InsertOpts) {
	opts := ReembedArgs{}.InsertOpts()
	return ReembedArgs{}, &opts
}

// ReembedWorker works ReembedArgs in steps: each run re-embeds until the
// Reembedder's budget is spent, then snoozes (not an attempt) to go on, so
// the job never holds a worker for long.
type ReembedWorker struct {
	river.WorkerDefaults[ReembedArgs]
	reembedder Reembedder
	timeout    time.Duration // Deps.JobTimeout: longer than the Reembedder's budget
	log        *slog.Logger
}

func (w *ReembedWorker) Work(ctx context.Context, job *river.Job[ReembedArgs]) error {
	res, err := w.reembedder.Run(ctx)
	if err != nil {
		w.log.WarnContext(ctx, "reembed job did not finish", "attempt", job.Attempt, "updated", res.Updated, "err", err)
		return Outcome(err)
	}
	if !res.Done {
		// Available again at once, but behind every job of a higher
		// priority (syncs) queued meanwhile.
		return river.JobSnooze(0)
	}
	return nil
}

func (w *ReembedWorker) Timeout(*river.Job[ReembedArgs]) time.Duration { return w.timeout }

func (w *ReembedWorker) NextRetry(job *river.Job[ReembedArgs]) time.Time {
	return time.Now().Add(Backoff(job.Attempt))
}

// reembedPeriodic enqueues a reembed job at start and every ReembedEvery.
func reembedPeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(ReembedEvery), ReembedJob,
		&river.PeriodicJobOpts{RunOnStart: true, ID: ReembedArgs{}.Kind()})
}
