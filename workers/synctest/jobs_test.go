package synctest

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/jobqueue"
	"github.com/workspace-orchestrator/orchestrator/adapter/ratelimit"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
	"github.com/workspace-orchestrator/orchestrator/workers"
)

// startQueue runs the sync workers over syncer in a River client on e's database.
func (e *env) startQueue(t *testing.T, syncer workers.Syncer) *jobqueue.Queue {
	t.Helper()
	ws, periodic, err := workers.New(workers.Deps{
		Syncer: syncer, Users: e.store, Clock: domain.SystemClock{}, Logger: e.log,
	})
	require.NoError(t, err)
	q, err := jobqueue.New(e.db.SQL, jobqueue.Config{Workers: ws, PeriodicJobs: periodic, MaxWorkers: 4, Logger: e.log})
	require.NoError(t, err)
	require.NoError(t, q.Start(context.Background()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, q.Stop(ctx))
	})
	return q
}

// await returns the first event of one of kinds for a job of kind jobKind.
func await(t *testing.T, events <-chan *river.Event, jobKind string, kinds ...river.EventKind) *river.Event {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case ev := <-events:
			for _, k := range kinds {
				if ev.Kind == k && ev.Job.Kind == jobKind {
					return ev
				}
			}
		case <-timeout:
			t.Fatalf("no %v event for %s within 30s", kinds, jobKind)
		}
	}
}

func TestRateLimitStormSnoozesTheJob(t *testing.T) {
	t.Parallel()
	e := setup(t, options{workspace: map[string]emulator.Workspace{alice: workspace()}})
	u := e.connect(t, alice)
	e.emu.SetFault(emulator.Fault{PathPrefix: "/gmail/", Status: 429, RetryAfter: 40 * time.Second})
	q := e.startQueue(t, e.syncer)
	events, stop := q.Client().Subscribe(river.EventKindJobSnoozed, river.EventKindJobFailed, river.EventKindJobCompleted)
	defer stop()

	require.NoError(t, workers.SyncQueue{Jobs: q}.EnqueueSync(context.Background(), u.ID, domain.ServiceGmail, ingest.PriorityUrgent))
	ev := await(t, events, "sync_gmail", river.EventKindJobSnoozed, river.EventKindJobFailed, river.EventKindJobCompleted)
	require.Equal(t, river.EventKindJobSnoozed, ev.Kind)
	require.Equal(t, rivertype.JobStateScheduled, ev.Job.State)
	require.WithinDuration(t, time.Now().Add(40*time.Second), ev.Job.ScheduledAt, 5*time.Second)
	require.Empty(t, ev.Job.Errors, "a snooze is not a failed attempt")
	st := e.status(t, u, domain.ServiceGmail)
	require.Equal(t, domain.SyncRateLimited, st.State, "waiting is not failing")
	require.Equal(t, "Google asked to wait 40s; the sync resumes by itself", st.Error)
}

func TestQuotaExhaustionAsksForASnooze(t *testing.T) {
	t.Parallel()
	// 20 Gmail units a minute: the profile (1) and the list (5) fit, then
	// labels (1) and two fetches (5 each), and the third fetch must wait ~15s.
	e := setup(t, options{
		workspace: map[string]emulator.Workspace{alice: workspace()},
		limits:    map[domain.Service]ratelimit.Limit{domain.ServiceGmail: {Units: 20, Per: time.Minute, Burst: 20}},
	})
	u := e.connect(t, alice)
	err := e.syncer.Sync(context.Background(), u.ID, domain.ServiceGmail)
	require.ErrorIs(t, err, domain.ErrRateLimited)
	var ra *domain.RetryAfterError
	require.True(t, errors.As(err, &ra))
	require.Greater(t, ra.RetryAfter, int64(2))
	var snooze *river.JobSnoozeError
	require.True(t, errors.As(workers.Outcome(err), &snooze))
	require.Equal(t, time.Duration(ra.RetryAfter)*time.Second, snooze.Duration)
}

// overlapSyncer records how many syncs of each (user, service) run at once.
type overlapSyncer struct {
	next  workers.Syncer
	delay time.Duration

	mu      sync.Mutex
	running map[string]int
	maxRun  map[string]int
	runs    map[string]int
}

func (o *overlapSyncer) Sync(ctx context.Context, userID uuid.UUID, s domain.Service) error {
	k := userID.String() + "/" + string(s)
	o.mu.Lock()
	o.running[k]++
	o.runs[k]++
	o.maxRun[k] = max(o.maxRun[k], o.running[k])
	o.mu.Unlock()
	defer func() {
		o.mu.Lock()
		o.running[k]--
		o.mu.Unlock()
	}()
	time.Sleep(o.delay)
	if o.next == nil {
		return nil
	}
	return o.next.Sync(ctx, userID, s)
}

func (o *overlapSyncer) snapshot() (maxRun, runs map[string]int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return copyMap(o.maxRun), copyMap(o.runs)
}

func copyMap(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func newOverlapSyncer(next workers.Syncer, delay time.Duration) *overlapSyncer {
	return &overlapSyncer{next: next, delay: delay, running: map[string]int{}, maxRun: map[string]int{}, runs: map[string]int{}}
}

func TestTwoSyncsOfOneUsersServiceNeverOverlap(t *testing.T) {
	t.Parallel()
	const bob = "bob@example.com"
	e := setup(t, options{workspace: map[string]emulator.Workspace{alice: workspace(), bob: workspace()}})
	ua, ub := e.connect(t, alice), e.connect(t, bob)
	o := newOverlapSyncer(e.syncer, 300*time.Millisecond)
	q := e.startQueue(t, o)
	ctx := context.Background()

	// Sync requests keep coming, from several goroutines at once, until each
	// (user, service) has been synced at least twice.
	keys := []string{ua.ID.String() + "/gmail", ua.ID.String() + "/calendar", ub.ID.String() + "/gmail"}
	syncedTwice := func() bool {
		_, runs := o.snapshot()
		for _, k := range keys {
			if runs[k] < 2 {
				return false
			}
		}
		return true
	}
	var requests atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && !syncedTwice(); time.Sleep(20 * time.Millisecond) {
				require.NoError(t, workers.SyncQueue{Jobs: q}.EnqueueSync(ctx, ua.ID, domain.ServiceGmail, ingest.PriorityUrgent))
				require.NoError(t, workers.SyncQueue{Jobs: q}.EnqueueSync(ctx, ua.ID, domain.ServiceCalendar, ingest.PriorityUrgent))
				require.NoError(t, workers.SyncQueue{Jobs: q}.EnqueueSync(ctx, ub.ID, domain.ServiceGmail, ingest.PriorityUrgent))
				requests.Add(1)
			}
		})
	}
	wg.Wait()
	require.True(t, syncedTwice())
	require.Eventually(t, func() bool {
		res, err := q.Client().JobList(ctx, river.NewJobListParams().States(
			rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled))
		require.NoError(t, err)
		return len(res.Jobs) == 0
	}, 30*time.Second, 50*time.Millisecond)

	maxRun, runs := o.snapshot()
	for _, k := range keys {
		require.Equal(t, 1, maxRun[k], "%s ran concurrently with itself", k)
		// Requests made while a sync waited were merged into it: far fewer runs than requests.
		require.Less(t, int64(runs[k]), requests.Load()/2, k)
	}
	require.Len(t, e.emails(t, ua), 3)
	require.Len(t, e.emails(t, ub), 3)
}

func TestEnqueueJoinsTheCallersTransaction(t *testing.T) {
	t.Parallel()
	e := setup(t, options{workspace: map[string]emulator.Workspace{alice: workspace()}})
	u := e.connect(t, alice)
	ws, _, err := workers.New(workers.Deps{Syncer: newOverlapSyncer(nil, 0), Users: e.store, Clock: domain.SystemClock{}, Logger: e.log})
	require.NoError(t, err)
	q, err := jobqueue.New(e.db.SQL, jobqueue.Config{Workers: ws, Logger: e.log}) // not started: jobs stay queued
	require.NoError(t, err)
	ctx := context.Background()

	rollback := errors.New("rolled back")
	err = e.store.InTx(ctx, func(ctx context.Context) error {
		require.NoError(t, workers.SyncQueue{Jobs: q}.EnqueueSync(ctx, u.ID, domain.ServiceDrive, ingest.PriorityUrgent))
		return rollback
	})
	require.ErrorIs(t, err, rollback)
	jobs := func() []*rivertype.JobRow {
		res, err := q.Client().JobList(ctx, river.NewJobListParams().Kinds("sync_drive"))
		require.NoError(t, err)
		return res.Jobs
	}
	require.Empty(t, jobs(), "the job went with the rolled-back transaction")

	require.NoError(t, e.store.InTx(ctx, func(ctx context.Context) error {
		return workers.SyncQueue{Jobs: q}.EnqueueSync(ctx, u.ID, domain.ServiceDrive, ingest.PriorityUrgent)
	}))
	require.NoError(t, workers.SyncQueue{Jobs: q}.EnqueueSync(ctx, u.ID, domain.ServiceDrive, ingest.PriorityIdle))
	require.Len(t, jobs(), 1, "one job per (user, service) while it waits")
	require.Equal(t, ingest.PriorityUrgent, jobs()[0].Priority)
}

func TestScheduleSyncsEnqueuesActiveUsersByRecency(t *testing.T) {
	t.Parallel()
	e := setup(t, options{})
	ctx := context.Background()
	now := time.Now()
	users := map[string]domain.User{}
	for email, active := range map[string]time.Duration{
		"recent@example.com": 10 * time.Minute, "today@example.com": 5 * time.Hour,
		"stale@example.com": 72 * time.Hour, "reauth@example.com": time.Minute,
	} {
		u, err := e.store.UpsertUser(ctx, email)
		require.NoError(t, err)
		require.NoError(t, e.store.TouchUser(ctx, u.ID, now.Add(-active)))
		users[email] = u
	}
	require.NoError(t, e.store.MarkReauth(ctx, users["reauth@example.com"].ID, ""))

	o := newOverlapSyncer(nil, 0)
	q := e.startQueue(t, o) // schedule_syncs runs on start, once this client leads
	var done []*rivertype.JobRow
	require.Eventually(t, func() bool {
		res, err := q.Client().JobList(ctx, river.NewJobListParams().States(rivertype.JobStateCompleted).First(100))
		require.NoError(t, err)
		done = res.Jobs
		return len(done) == 7 // schedule_syncs and 3 services x 2 users
	}, 30*time.Second, 100*time.Millisecond)

	prio := map[string]int{}
	for _, j := range done {
		if j.Kind == "schedule_syncs" {
			continue
		}
		var args workers.SyncGmailArgs // every sync job's args have this shape
		require.NoError(t, json.Unmarshal(j.EncodedArgs, &args))
		for email, u := range users {
			if args.UserID == u.ID {
				prio[email+"/"+j.Kind] = j.Priority
			}
		}
	}
	require.Equal(t, map[string]int{
		"recent@example.com/sync_gmail": ingest.PriorityActive, "recent@example.com/sync_calendar": ingest.PriorityActive,
		"recent@example.com/sync_drive": ingest.PriorityActive,
		"today@example.com/sync_gmail":  ingest.PriorityIdle, "today@example.com/sync_calendar": ingest.PriorityIdle,
		"today@example.com/sync_drive": ingest.PriorityIdle,
	}, prio)
}
