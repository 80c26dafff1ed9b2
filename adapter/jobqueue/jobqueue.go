// Package jobqueue runs River over the application's database/sql pool
// (riverdatabasesql, polling): one client that both works jobs and inserts
// them, in the caller's transaction when its context carries one (package
// sqltx), so a job exists exactly when the change that called for it commits.
package jobqueue

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"github.com/workspace-orchestrator/orchestrator/adapter/store/sqltx"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
	"github.com/workspace-orchestrator/orchestrator/workers"
)

// Config configures a Queue.
type Config struct {
	// Workers to run; nil makes an insert-only queue. Defaults to nil.
	Workers *river.Workers
	// PeriodicJobs to schedule (by the elected leader). Defaults to none.
	PeriodicJobs []*river.PeriodicJob
	// MaxWorkers is how many jobs run at once in this process. Defaults to 4.
	MaxWorkers int
	// FetchPollInterval is how often idle workers look for jobs; the
	// database/sql driver has no LISTEN. Defaults to 100ms.
	FetchPollInterval time.Duration
	// Logger receives River's logs. Required.
	Logger *slog.Logger
}

// WithDefaults fills zero fields with their defaults.
func (c Config) WithDefaults() Config {
	if c.MaxWorkers == 0 {
		c.MaxWorkers = 4
	}
	if c.FetchPollInterval == 0 {
		c.FetchPollInterval = 100 * time.Millisecond
	}
	return c
}

func (c Config) validate() error {
	switch {
	case c.MaxWorkers < 1:
		return fmt.Errorf("jobqueue: MaxWorkers must be >= 1, got %d: %w", c.MaxWorkers, domain.ErrInvalidInput)
	case c.FetchPollInterval < time.Millisecond:
		return fmt.Errorf("jobqueue: FetchPollInterval must be >= 1ms, got %s: %w", c.FetchPollInterval, domain.ErrInvalidInput)
	case c.Logger == nil:
		return fmt.Errorf("jobqueue: Logger is required: %w", domain.ErrInvalidInput)
	}
	return nil
}

// Queue is the River client; it implements ingest.SyncQueue.
type Queue struct {
	client *river.Client[*sql.Tx]
}

var (
	_ ingest.SyncQueue   = (*Queue)(nil)
	_ ingest.ActiveUsers = Users{}
)

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

// Start starts working jobs until Stop.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(ctx); err != nil {
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

// EnqueueSync enqueues a sync of service s for userID, in ctx's transaction
// when it carries one. A sync already waiting or running for the same user
// and service makes this a no-op.
func (q *Queue) EnqueueSync(ctx context.Context, userID uuid.UUID, s domain.Service, priority int) error {
	args, opts, err := workers.SyncJob(userID, s, priority)
	if err != nil {
		return err
	}
	if tx := sqltx.From(ctx); tx != nil {
		_, err = q.client.InsertTx(ctx, tx, args, opts)
	} else {
		_, err = q.client.Insert(ctx, args, opts)
	}
	if err != nil {
		return fmt.Errorf("enqueue %s for %s: %w", args.Kind(), userID, err)
	}
	return nil
}

// Users lists the users the periodic schedule keeps in sync. It reads the
// users table directly: the schedule needs nothing else of the store.
type Users struct{ DB *sql.DB }

// ActiveUsers returns users active since the given time whose accounts do
// not need re-authorisation.
func (u Users) ActiveUsers(ctx context.Context, since time.Time) ([]domain.User, error) {
	rows, err := u.DB.QueryContext(ctx, `
		SELECT id, email, last_active_at FROM users
		WHERE last_active_at >= $1 AND NOT needs_reauth
		ORDER BY last_active_at DESC`, since)
	if err != nil {
		return nil, fmt.Errorf("active users: %w", err)
	}
	defer rows.Close()
	var out []domain.User
	for rows.Next() {
		var u domain.User
		if err := rows.Scan(&u.ID, &u.Email, &u.LastActiveAt); err != nil {
			return nil, fmt.Errorf("active users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("active users: %w", err)
	}
	return out, nil
}
