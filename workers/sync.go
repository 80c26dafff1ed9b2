// Package workers is the River edge of sync: job args and workers for
// sync_gmail, sync_calendar and sync_drive, the periodic schedule_syncs,
// reembed and renew_watches jobs, and the mapping of domain errors to job
// outcomes (snooze, cancel, retry).
package workers

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

// Syncer syncs one (user, service); *ingest.Syncer is one.
type Syncer interface {
	Sync(ctx context.Context, userID uuid.UUID, s domain.Service) error
}

// syncArgs are the args of a sync job: one per service, all alike.
type syncArgs interface {
	river.JobArgs
	user() uuid.UUID
	service() domain.Service
}

// uniqueStates are the states in which a sync job blocks another for the same
// (user, service): waiting, snoozed, retrying or running. Completed,
// cancelled and discarded jobs do not, so the next sync can be enqueued.
var uniqueStates = []rivertype.JobState{
	rivertype.JobStateAvailable,
	rivertype.JobStatePending,
	rivertype.JobStateRetryable,
	rivertype.JobStateRunning,
	rivertype.JobStateScheduled,
}

// syncInsertOpts makes sync jobs unique per (user, service): the args hold
// only the user id and the kind names the service.
func syncInsertOpts() river.InsertOpts {
	return river.InsertOpts{
		MaxAttempts: 20,
		UniqueOpts:  river.UniqueOpts{ByArgs: true, ByState: uniqueStates},
	}
}

// SyncJob returns the args and insert options of a sync of service s for
// userID at priority (ingest.PriorityUrgent first).
func SyncJob(userID uuid.UUID, s domain.Service, priority int) (river.JobArgs, *river.InsertOpts, error) {
	var args river.JobArgs
	switch s {
	case domain.ServiceGmail:
		args = SyncGmailArgs{UserID: userID}
	case domain.ServiceCalendar:
		args = SyncCalendarArgs{UserID: userID}
	case domain.ServiceDrive:
		args = SyncDriveArgs{UserID: userID}
	default:
		return nil, nil, fmt.Errorf("sync job for service %q: %w", s, domain.ErrInvalidInput)
	}
	opts := syncInsertOpts()
	opts.Priority = priority
	return args, &opts, nil
}

// Inserter inserts one job, in ctx's transaction when it carries one;
// *jobqueue.Queue is one.
type Inserter interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// SyncQueue enqueues sync jobs through Jobs: the domain's ingest.SyncQueue.
type SyncQueue struct{ Jobs Inserter }

var _ ingest.SyncQueue = SyncQueue{}

// EnqueueSync enqueues a sync of service s for userID, in ctx's transaction
// when it carries one. A sync already waiting or running for the same user
// and service makes this a no-op.
func (q SyncQueue) EnqueueSync(ctx context.Context, userID uuid.UUID, s domain.Service, priority int) error {
	args, opts, err := SyncJob(userID, s, priority)
	if err != nil {
		return err
	}
	if _, err := q.Jobs.Insert(ctx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s for %s: %w", args.Kind(), userID, err)
	}
	return nil
}

// syncWorker runs the sync its args name.
type syncWorker[A syncArgs] struct {
	river.WorkerDefaults[A]
	syncer  Syncer
	timeout time.Duration
	log     *slog.Logger
}

// DefaultJobTimeout is Deps.JobTimeout's default.
const DefaultJobTimeout = time.Minute

func (w *syncWorker[A]) Work(ctx context.Context, job *river.Job[A]) error {
	a := job.Args
	err := w.syncer.Sync(ctx, a.user(), a.service())
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		// The job's time is up, not the sync: a long full sync runs in
		// slices, each resuming from the checkpoint the last one committed,
		// and a slice is not a failed attempt.
		w.log.InfoContext(ctx, "sync continues in a next slice", "kind", a.Kind(), "user", a.user())
		return river.JobSnooze(0)
	}
	out := Outcome(err)
	if err != nil {
		w.log.WarnContext(ctx, "sync job did not finish", "kind", a.Kind(), "user", a.user(), "attempt", job.Attempt, "err", err)
	}
	return out
}

// Timeout is shorter than the queue's RescueStuckJobsAfter, so a job is
// taken for stuck only when its worker died.
func (w *syncWorker[A]) Timeout(*river.Job[A]) time.Duration { return w.timeout }

func (w *syncWorker[A]) NextRetry(job *river.Job[A]) time.Time {
	return time.Now().Add(Backoff(job.Attempt))
}

// MaxBackoff caps the wait between retries.
const MaxBackoff = time.Minute

// Backoff is the wait before retry number attempt (1 for the first):
// 2^attempt seconds plus up to a second of jitter, at most MaxBackoff.
func Backoff(attempt int) time.Duration {
	attempt = min(max(attempt, 0), 6) // 2^6 s already exceeds the cap
	d := time.Duration(1<<attempt)*time.Second + rand.N(time.Second)
	return min(d, MaxBackoff)
}

// Outcome maps a sync error to what River should do with the job: nothing
// for success, a snooze for the wait Google asked for (not an attempt), a
// cancellation for an account that needs re-authorisation (retrying cannot
// help; the user must reconnect), and a retry with backoff otherwise.
func Outcome(err error) error {
	var ra *domain.RetryAfterError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, domain.ErrReauthRequired):
		return river.JobCancel(err)
	case errors.As(err, &ra) && ra.RetryAfter > 0:
		return river.JobSnooze(time.Duration(ra.RetryAfter) * time.Second)
	default:
		return err
	}
}

// Deps are what the workers need.
type Deps struct {
	Syncer Syncer
	Users  ingest.ActiveUsers
	Clock  domain.Clock
	Logger *slog.Logger
	// Reembedder, when set, adds the reembed worker and its periodic job.
	Reembedder Reembedder
	// Watches, when set, adds the renew_watches worker and its periodic job,
	// which keep Google's push watches open.
	Watches *Watches
	// SyncEvery is how often schedule_syncs enqueues the syncs of active
	// users (SYNC_INTERVAL). Defaults to ingest.SyncEvery.
	SyncEvery time.Duration
	// JobTimeout bounds one run of any job; it must be shorter than the
	// queue's RescueStuckJobsAfter, or a job still running is taken for a
	// dead worker's and run twice. A sync cut short goes on in a next run
	// from its checkpoint. Defaults to DefaultJobTimeout.
	JobTimeout time.Duration
}

// New registers the sync workers and the schedule_syncs worker (and reembed
// when Deps.Reembedder is set, renew_watches when Deps.Watches is), and
// returns them with the periodic jobs that enqueue schedule_syncs every
// Deps.SyncEvery (and reembed every ReembedEvery, renew_watches every
// RenewWatchesEvery), each also at start. The River client they run in must use
// the database/sql driver (schedule_syncs inserts through the client of its
// context).
func New(d Deps) (*river.Workers, []*river.PeriodicJob, error) {
	if d.Syncer == nil || d.Users == nil || d.Clock == nil || d.Logger == nil {
		return nil, nil, fmt.Errorf("workers: Deps.Syncer, Users, Clock and Logger are required: %w", domain.ErrInvalidInput)
	}
	d.SyncEvery, d.JobTimeout = cmp.Or(d.SyncEvery, ingest.SyncEvery), cmp.Or(d.JobTimeout, DefaultJobTimeout)
	if d.SyncEvery < time.Second || d.JobTimeout < time.Second {
		return nil, nil, fmt.Errorf("workers: Deps.SyncEvery (%s) and JobTimeout (%s) must be >= 1s: %w", d.SyncEvery, d.JobTimeout, domain.ErrInvalidInput)
	}
	ws := river.NewWorkers()
	if err := errors.Join(
		river.AddWorkerSafely(ws, &SyncGmailWorker{syncer: d.Syncer, timeout: d.JobTimeout, log: d.Logger}),
		river.AddWorkerSafely(ws, &SyncCalendarWorker{syncer: d.Syncer, timeout: d.JobTimeout, log: d.Logger}),
		river.AddWorkerSafely(ws, &SyncDriveWorker{syncer: d.Syncer, timeout: d.JobTimeout, log: d.Logger}),
		river.AddWorkerSafely(ws, &ScheduleSyncsWorker{users: d.Users, clock: d.Clock, log: d.Logger}),
	); err != nil {
		return nil, nil, fmt.Errorf("workers: %w", err)
	}
	periodic := []*river.PeriodicJob{river.NewPeriodicJob(
		river.PeriodicInterval(d.SyncEvery),
		func() (river.JobArgs, *river.InsertOpts) { return ScheduleSyncsArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true, ID: ScheduleSyncsArgs{}.Kind()},
	)}
	if d.Reembedder != nil {
		if err := river.AddWorkerSafely(ws, &ReembedWorker{reembedder: d.Reembedder, timeout: d.JobTimeout, log: d.Logger}); err != nil {
			return nil, nil, fmt.Errorf("workers: %w", err)
		}
		periodic = append(periodic, reembedPeriodic())
	}
	if d.Watches != nil {
		rw, err := newRenewWatchesWorker(*d.Watches, d.JobTimeout, d.Clock, d.Logger)
		if err != nil {
			return nil, nil, err
		}
		if err := river.AddWorkerSafely(ws, rw); err != nil {
			return nil, nil, fmt.Errorf("workers: %w", err)
		}
		periodic = append(periodic, renewWatchesPeriodic())
	}
	return ws, periodic, nil
}
