package synctest

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/jobqueue"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
	"github.com/workspace-orchestrator/orchestrator/workers"
)

// TestKilledSyncResumesWithinTwoMinutes leaves a sync job as a SIGKILLed
// worker does, running since 95 s, and starts a queue with the default
// settings: the job is rescued and the sync done at once, not after River's
// default hour, and meanwhile it still merges new requests.
func TestKilledSyncResumesWithinTwoMinutes(t *testing.T) {
	t.Parallel()
	e := setup(t, options{workspace: map[string]emulator.Workspace{alice: workspace()}})
	u := e.connect(t, alice)
	ctx := context.Background()
	inserter, err := jobqueue.New(e.db.SQL, jobqueue.Config{Logger: e.log})
	require.NoError(t, err)
	args, opts, err := workers.SyncJob(u.ID, domain.ServiceGmail, ingest.PriorityUrgent)
	require.NoError(t, err)
	res, err := inserter.Insert(ctx, args, opts)
	require.NoError(t, err)
	_, err = e.db.SQL.ExecContext(ctx, `UPDATE river_job SET state = 'running', attempt = 1,
		attempted_at = now() - interval '95 seconds', attempted_by = '{killed-worker}' WHERE id = $1`, res.Job.ID)
	require.NoError(t, err)
	again, err := inserter.Insert(ctx, args, opts)
	require.NoError(t, err)
	require.True(t, again.UniqueSkippedAsDuplicate, "syncNow joins the job in hand")

	q := e.startQueue(t, e.syncer)
	events, stop := q.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer stop()
	ev := await(t, events, "sync_gmail", river.EventKindJobCompleted)
	require.Equal(t, res.Job.ID, ev.Job.ID)
	require.Len(t, e.emails(t, u), 3)
	require.Equal(t, domain.SyncIdle, e.status(t, u, domain.ServiceGmail).State)
}

// sliceSyncer blocks its first sync until ctx ends, as a full sync longer
// than a job's time does, then syncs at once.
type sliceSyncer struct{ calls atomic.Int32 }

func (s *sliceSyncer) Sync(ctx context.Context, _ uuid.UUID, _ domain.Service) error {
	if s.calls.Add(1) == 1 {
		<-ctx.Done()
		return ctx.Err()
	}
	return nil
}

// TestLongSyncRunsInSlices: a sync that outlives its job's time is not a
// failed attempt; the job snoozes and the next slice goes on.
func TestLongSyncRunsInSlices(t *testing.T) {
	t.Parallel()
	e := setup(t, options{})
	u, err := e.store.UpsertUser(context.Background(), "slices@example.com")
	require.NoError(t, err)
	s := &sliceSyncer{}
	ws, _, err := workers.New(workers.Deps{Syncer: s, Users: e.store, Clock: domain.SystemClock{}, Logger: e.log,
		JobTimeout: time.Second})
	require.NoError(t, err)
	q, err := jobqueue.New(e.db.SQL, jobqueue.Config{Workers: ws, Logger: e.log, RescueStuckJobsAfter: 3 * time.Second})
	require.NoError(t, err)
	events, stop := q.Client().Subscribe(river.EventKindJobSnoozed, river.EventKindJobFailed, river.EventKindJobCompleted)
	defer stop()
	require.NoError(t, q.Start(context.Background()))
	t.Cleanup(func() { require.NoError(t, q.Stop(context.Background())) })

	require.NoError(t, workers.SyncQueue{Jobs: q}.EnqueueSync(context.Background(), u.ID, domain.ServiceDrive, ingest.PriorityUrgent))
	require.Equal(t, river.EventKindJobSnoozed, await(t, events, "sync_drive", river.EventKindJobSnoozed, river.EventKindJobFailed).Kind)
	ev := await(t, events, "sync_drive", river.EventKindJobCompleted, river.EventKindJobFailed)
	require.Equal(t, river.EventKindJobCompleted, ev.Kind)
	require.Empty(t, ev.Job.Errors, "a slice is no failed attempt")
	require.EqualValues(t, 2, s.calls.Load())
}

// graceSyncer takes a while, and records whether it was cut short.
type graceSyncer struct {
	started chan struct{}
	cut     atomic.Bool
	done    atomic.Bool
}

func (s *graceSyncer) Sync(ctx context.Context, _ uuid.UUID, _ domain.Service) error {
	close(s.started)
	select {
	case <-time.After(time.Second):
		s.done.Store(true)
		return nil
	case <-ctx.Done():
		s.cut.Store(true)
		return ctx.Err()
	}
}

// TestSignalLetsRunningSyncsFinish cancels the context the queue was started
// with, as SIGTERM does: a running sync is not cut short, and Stop waits for
// it.
func TestSignalLetsRunningSyncsFinish(t *testing.T) {
	t.Parallel()
	e := setup(t, options{})
	u, err := e.store.UpsertUser(context.Background(), "grace@example.com")
	require.NoError(t, err)
	s := &graceSyncer{started: make(chan struct{})}
	ws, _, err := workers.New(workers.Deps{Syncer: s, Users: e.store, Clock: domain.SystemClock{}, Logger: e.log})
	require.NoError(t, err)
	q, err := jobqueue.New(e.db.SQL, jobqueue.Config{Workers: ws, Logger: e.log})
	require.NoError(t, err)
	signal, stopSignal := context.WithCancel(context.Background())
	require.NoError(t, q.Start(signal))
	require.NoError(t, workers.SyncQueue{Jobs: q}.EnqueueSync(context.Background(), u.ID, domain.ServiceCalendar, ingest.PriorityUrgent))
	select {
	case <-s.started:
	case <-time.After(30 * time.Second):
		t.Fatal("the sync never started")
	}
	stopSignal()
	grace, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, q.Stop(grace))
	require.False(t, s.cut.Load(), "SIGTERM cut the running sync short")
	require.True(t, s.done.Load())
}
