// Package jobqueue runs River over the application's database/sql pool
// (riverdatabasesql, polling): one client that both works jobs and inserts
// them, in the caller's transaction when its context carries one (package
// sqltx), so a job exists exactly when the change that called for it commits.
// It knows no job kind (package workers owns them) and runs no SQL of its own.
package jobqueue

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertype"

	"github.com/workspace-orchestrator/orchestrator/adapter/store/sqltx"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Config configures a Queue.
type Config struct {
	// Workers to run; nil makes an insert-only queue. Defaults to nil.
	Workers *river.Workers
	// PeriodicJobs to schedule (by the elected leader). Defaults to none.
	PeriodicJobs []*river.PeriodicJob
	// MaxWorkers is how many jobs run at once in this process. Defaults to
	// DefaultMaxWorkers (4).
	MaxWorkers int
	// FetchPollInterval is how often idle workers look for jobs; the
	// database/sql driver has no LISTEN. Defaults to DefaultFetchPollInterval
	// (100ms).
	FetchPollInterval time.Duration
	// RescueStuckJobsAfter is how long a job may run before it is taken for
	// the job of a killed worker and retried. Every worker's Timeout must be
	// shorter, or a live job is run twice. Defaults to
	// DefaultRescueStuckJobsAfter (River's own default is an hour, during
	// which a SIGKILLed sync blocks its user's next one).
	RescueStuckJobsAfter time.Duration
	// Logger receives River's logs. Required.
	Logger *slog.Logger
}

// DefaultRescueStuckJobsAfter is Config.RescueStuckJobsAfter's default: a
// killed job resumes within about 1.5 minutes (River's rescuer looks every
// 30 seconds); at 90 s a killed sync took 111.7 s to resume and finish.
const DefaultRescueStuckJobsAfter = time.Minute

// Defaults of Config.
const (
	DefaultMaxWorkers        = 4
	DefaultFetchPollInterval = 100 * time.Millisecond
)

// WithDefaults fills zero fields with their defaults.
func (c Config) WithDefaults() Config {
	c.RescueStuckJobsAfter = cmp.Or(c.RescueStuckJobsAfter, DefaultRescueStuckJobsAfter)
	c.MaxWorkers = cmp.Or(c.MaxWorkers, DefaultMaxWorkers)
	c.FetchPollInterval = cmp.Or(c.FetchPollInterval, DefaultFetchPollInterval)
	return c
}

func (c Config) validate() error {
	switch {
	case c.MaxWorkers < 1:
		return fmt.Errorf("jobqueue: MaxWorkers must be >= 1, got %d: %w", c.MaxWorkers, domain.ErrInvalidInput)
	case c.FetchPollInterval < time.Millisecond:
		return fmt.Errorf("jobqueue: FetchPollInterval must be >= 1ms, got %s: %w", c.FetchPollInterval, domain.ErrInvalidInput)
	case c.RescueStuckJobsAfter < time.Second:
		return fmt.Errorf("jobqueue: RescueStuckJobsAfter must be >= 1s, got %s: %w", c.RescueStuckJobsAfter, domain.ErrInvalidInput)
	case c.Logger == nil:
		return fmt.Errorf("jobqueue: Logger is required: %w", domain.ErrInvalidInput)
	}
	return nil
}

// Queue is the River client; workers.SyncQueue enqueues syncs through it.
type Queue struct {
	client *river.Client[*sql.Tx]
}

// New returns a Queue over db (River's tables must be migrated; store.Migrate does it).
func New(db *sql.DB, cfg Config) (*Queue, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	rc := &river.Config{
		Logger:            cfg.Logger,
		FetchPollInterval: cfg.FetchPollInterval,
		FetchCooldown:     min(cfg.FetchPollInterval, 100*time.Millisecond),
		// River requires the default JobTimeout (a minute) to be shorter.
		JobTimeout:           min(time.Minute, cfg.RescueStuckJobsAfter/2),
		RescueStuckJobsAfter: cfg.RescueStuckJobsAfter,
	}
	if cfg.Workers != nil {
		rc.Workers = cfg.Workers
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.MaxWorkers}}
		rc.PeriodicJobs = cfg.PeriodicJobs
	}
	client, err := river.NewClient(riverdatabasesql.New(db), rc)
	if err != nil {
		return nil, fmt.Errorf("jobqueue: river client: %w", err)
	}
	return &Queue{client: client}, nil
}

// Client is the underlying River client (for subscriptions and job queries).
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }

// Start starts working jobs until Stop. Cancelling ctx does not stop them:
// River takes that for a hard stop, cancelling running jobs at once, while
// Stop gives them their grace.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobqueue: start: %w", err)
	}
	return nil
}

// Stop waits for running jobs to finish, until ctx is done; then they are
// cancelled (a cancelled sync resumes from its checkpoint).
func (q *Queue) Stop(ctx context.Context) error {
	if err := q.client.Stop(ctx); err != nil {
		if err := q.client.StopAndCancel(context.WithoutCancel(ctx)); err != nil {
			return fmt.Errorf("jobqueue: stop and cancel: %w", err)
		}
	}
	return nil
}

// Insert enqueues one job, in ctx's transaction when it carries one. The
// job kinds and their options are the workers' (package workers).
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	var (
		res *rivertype.JobInsertResult
		err error
	)
	if tx := sqltx.From(ctx); tx != nil {
		res, err = q.client.InsertTx(ctx, tx, args, opts)
	} else {
		res, err = q.client.Insert(ctx, args, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("jobqueue: insert %s: %w", args.Kind(), err)
	}
	return res, nil
}

// DeleteUserJobs deletes every job of the user (its args name the user) in
// ctx's transaction, which it requires: account deletion leaves no job
// behind. A job running at that moment cannot be deleted; it is cancelled,
// and River's cleaner removes its row later.
func (q *Queue) DeleteUserJobs(ctx context.Context, userID uuid.UUID) error {
	tx := sqltx.From(ctx)
	if tx == nil {
		return fmt.Errorf("jobqueue: delete jobs of %s: not in a transaction", userID)
	}
	list := river.NewJobListParams().First(10_000).
		Where("args ->> 'user_id' = @user_id", river.NamedArgs{"user_id": userID.String()})
	res, err := q.client.JobListTx(ctx, tx, list)
	if err != nil {
		return fmt.Errorf("jobqueue: list jobs of %s: %w", userID, err)
	}
	var ids []int64
	for _, j := range res.Jobs {
		if j.State != rivertype.JobStateRunning {
			ids = append(ids, j.ID)
		} else if _, err := q.client.JobCancelTx(ctx, tx, j.ID); err != nil {
			return fmt.Errorf("jobqueue: cancel job %d of %s: %w", j.ID, userID, err)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	if _, err := q.client.JobDeleteManyTx(ctx, tx, river.NewJobDeleteManyParams().IDs(ids...).First(len(ids))); err != nil {
		return fmt.Errorf("jobqueue: delete jobs of %s: %w", userID, err)
	}
	return nil
}
