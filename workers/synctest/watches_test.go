package synctest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/emulatortest"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/webhook"
	"github.com/workspace-orchestrator/orchestrator/adapter/jobqueue"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
	"github.com/workspace-orchestrator/orchestrator/workers"
)

// TestRenewWatchesKeepsPushOpen runs renew_watches as the worker process
// does (at start, then again) against the emulator, with the webhook mounted
// as the server mounts it at PUBLIC_URL/webhooks: watches are opened once
// and recorded, renewed only near their expiry, the Calendar and Drive
// channels they supersede stopped, and Google's pushes through them enqueue
// syncs, once per change. A user needing re-authorisation and a Google error
// for another user stop no one else.
func TestRenewWatchesKeepsPushOpen(t *testing.T) {
	t.Parallel()
	const bob, carol = "bob@example.com", "carol@example.com"
	ctx := context.Background()
	secret := []byte("0123456789abcdef0123456789abcdef")
	tokens, err := webhook.NewTokens(secret)
	require.NoError(t, err)
	var (
		handler atomic.Pointer[webhook.Handler]
		mu      sync.Mutex
		pushes  []push // every request to the webhook, in order
	)
	public := httptest.NewServer(http.StripPrefix("/webhooks", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		pushes = append(pushes, push{path: r.URL.Path, channel: r.Header.Get("X-Goog-Channel-Id"), state: r.Header.Get("X-Goog-Resource-State")})
		mu.Unlock()
		handler.Load().ServeHTTP(w, r)
	})))
	// changes returns the channel of every push to path but the "sync" one
	// each channel sends when opened, and how many pushes there were.
	changes := func(path string) (channels []string, all int) {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range pushes {
			if p.path == path {
				all++
				if p.state != "sync" {
					channels = append(channels, p.channel)
				}
			}
		}
		return channels, all
	}
	t.Cleanup(public.Close)
	e := setup(t, options{
		// The push subscription an operator sets up on GMAIL_PUSH_TOPIC.
		emulator:  emulator.Config{GmailPushURL: public.URL + "/webhooks/gmail?token=" + tokens.GmailPushToken()},
		workspace: map[string]emulator.Workspace{alice: workspace(), bob: {}, carol: {}},
	})
	u, b, c := e.connect(t, alice), e.connect(t, bob), e.connect(t, carol)
	e.emu.RevokeTokens(bob)
	e.emu.SetFault(emulator.Fault{PathPrefix: "/calendar/v3/calendars/primary/events/watch", User: carol, Status: 500, Count: 1})

	ws, periodic, err := workers.New(workers.Deps{
		Syncer: e.syncer, Users: e.store, Clock: domain.SystemClock{}, Logger: e.log,
		Watches: &workers.Watches{Store: e.store, Gmail: e.gmail, GmailTopic: "projects/demo/topics/gmail",
			Calendar: e.calendar, Drive: e.drive, WebhookURL: public.URL + "/webhooks", Tokens: tokens},
	})
	require.NoError(t, err)
	q, err := jobqueue.New(e.db.SQL, jobqueue.Config{Workers: ws, PeriodicJobs: periodic, MaxWorkers: 4, Logger: e.log})
	require.NoError(t, err)
	h, err := webhook.New(webhook.Config{Secret: secret}, e.store, workers.SyncQueue{Jobs: q}, e.log)
	require.NoError(t, err)
	handler.Store(h)
	events, stop := q.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer stop()
	require.NoError(t, q.Start(ctx))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, q.Stop(ctx))
	})

	// (a) At start: alice's three watches open, pointed at the webhook, and
	// their expiries recorded. Bob's revoked grant skips him; carol's failed
	// Calendar watch fails the run once, and the retry opens only that one.
	require.Equal(t, 1, awaitRenew(t, events), "one failed attempt, for carol's calendar")
	opened := e.emu.Watches(alice)
	require.Equal(t, []string{"calendar", "drive", "gmail"}, services(opened))
	require.Equal(t, public.URL+"/webhooks/calendar", opened[0].Address)
	require.Equal(t, public.URL+"/webhooks/drive", opened[1].Address)
	require.WithinDuration(t, time.Now().Add(7*24*time.Hour), opened[2].Expires, time.Minute, "Gmail watches last a week")
	recorded := e.recordedWatches(t)
	require.Equal(t, expiries(opened), recorded[u.ID])
	chans := e.channels(t, u.ID)
	for _, s := range []domain.Service{domain.ServiceCalendar, domain.ServiceDrive} {
		require.NotEmpty(t, chans[s].ID, s)
		require.NotEmpty(t, chans[s].ResourceID, s)
	}
	require.Zero(t, chans[domain.ServiceGmail], "a Gmail watch has no channel")
	require.Equal(t, []string{"calendar", "drive", "gmail"}, services(e.emu.Watches(carol)), "each opened once")
	require.Equal(t, expiries(e.emu.Watches(carol)), recorded[c.ID])
	require.Empty(t, e.emu.Watches(bob))
	require.NotContains(t, recorded, b.ID)
	bobNow, err := e.store.UserByID(ctx, b.ID)
	require.NoError(t, err)
	require.True(t, bobNow.NeedsReauth)

	// (b) Run again within the margin: nothing new is opened.
	runRenew(t, q, events)
	require.Equal(t, opened, e.emu.Watches(alice))
	require.Equal(t, recorded, e.recordedWatches(t))

	// (c) Watches expiring within the margin are renewed, and only they; the
	// channels they supersede are stopped, so one of each stays open. A
	// channel that cannot be stopped (carol's Drive one) fails nothing: it
	// stays open until it expires.
	soon := time.Now().Add(time.Hour)
	for _, s := range []domain.Service{domain.ServiceCalendar, domain.ServiceDrive} {
		require.NoError(t, e.store.SaveWatch(ctx, ingest.Watch{UserID: u.ID, Service: s, Expires: soon, Channel: chans[s]}))
	}
	require.NoError(t, e.store.SaveWatch(ctx, ingest.Watch{UserID: c.ID, Service: domain.ServiceDrive, Expires: soon,
		Channel: e.channels(t, c.ID)[domain.ServiceDrive]}))
	e.emu.SetFault(emulator.Fault{PathPrefix: "/drive/v3/channels/stop", User: carol, Status: 500, Count: 1})
	runRenew(t, q, events)
	renewed := e.emu.Watches(alice)
	require.Equal(t, []string{"calendar", "drive", "gmail"}, services(renewed), "the superseded channels are stopped")
	require.True(t, renewed[0].Expires.After(opened[0].Expires))
	require.True(t, renewed[1].Expires.After(opened[1].Expires))
	require.Equal(t, opened[2], renewed[2], "the Gmail watch was not due")
	got := e.recordedWatches(t)
	require.Equal(t, expiries(renewed), got[u.ID])
	renewedChans := e.channels(t, u.ID)
	require.NotEqual(t, chans[domain.ServiceCalendar], renewedChans[domain.ServiceCalendar])
	require.NotEqual(t, chans[domain.ServiceDrive], renewedChans[domain.ServiceDrive])
	carolNow := e.emu.Watches(carol)
	require.Equal(t, []string{"calendar", "drive", "drive", "gmail"}, services(carolNow), "carol's old Drive channel is still open")
	require.Equal(t, expiries(carolNow), got[c.ID], "and the new one recorded")

	// (d) Changes in the emulator are pushed through the watches to the
	// webhook, which enqueues syncs: none ran before, since alice was never
	// active and no one asked.
	require.Empty(t, e.syncJobs(t, q))
	require.NoError(t, e.emu.AddWorkspace(alice, emulator.Workspace{
		Messages: []emulator.Message{emulatortest.Mail("erin@example.com", alice, "Pushed", "Hi", day, "INBOX")},
		Events:   []emulator.Event{emulatortest.Event("Pushed", day, time.Hour)},
	}))
	require.NoError(t, e.emu.RenameFile(alice, e.snapshot(t, alice).Files[0].ID, "Renamed"))
	require.Eventually(t, func() bool {
		jobs := e.syncJobs(t, q)
		for _, users := range jobs {
			require.Equal(t, []uuid.UUID{u.ID}, users)
		}
		return len(jobs) == 3
	}, 10*time.Second, 50*time.Millisecond)

	// Each change was pushed once, through the renewed channel alone. The
	// emulator delivers pushes one at a time, in order: once the push of a
	// later mail has arrived, those of the changes above have too.
	_, gmailPushes := changes("/gmail")
	require.NoError(t, e.emu.AddWorkspace(alice, emulator.Workspace{
		Messages: []emulator.Message{emulatortest.Mail("erin@example.com", alice, "Later", "Hi", day, "INBOX")}}))
	require.Eventually(t, func() bool {
		_, n := changes("/gmail")
		return n > gmailPushes
	}, 10*time.Second, 50*time.Millisecond)
	calPushes, _ := changes("/calendar")
	require.Equal(t, []string{renewedChans[domain.ServiceCalendar].ID}, calPushes)
	drivePushes, _ := changes("/drive")
	require.Equal(t, []string{renewedChans[domain.ServiceDrive].ID}, drivePushes)

	// (e) An account marked for re-authorisation keeps its channels on
	// record: once it reconnects, their renewal stops them.
	e.connect(t, bob)
	runRenew(t, q, events)
	require.Equal(t, []string{"calendar", "drive", "gmail"}, services(e.emu.Watches(bob)))
	before := e.channels(t, b.ID)
	grant, err := e.store.GoogleToken(ctx, b.ID)
	require.NoError(t, err)
	require.NoError(t, e.store.MarkReauth(ctx, b.ID, grant.RefreshToken))
	e.connect(t, bob)
	runRenew(t, q, events)
	require.Equal(t, []string{"calendar", "drive", "gmail"}, services(e.emu.Watches(bob)), "the channels from before are stopped")
	after := e.channels(t, b.ID)
	require.NotEqual(t, before[domain.ServiceCalendar], after[domain.ServiceCalendar])
	require.NotEqual(t, before[domain.ServiceDrive], after[domain.ServiceDrive])
}

// push is a request Google made to the webhook.
type push struct{ path, channel, state string }

// awaitRenew waits for a renew_watches job to complete and returns how many
// of its attempts failed before.
func awaitRenew(t *testing.T, events <-chan *river.Event) int {
	t.Helper()
	failed := 0
	for {
		ev := await(t, events, workers.RenewWatchesArgs{}.Kind(), river.EventKindJobCompleted, river.EventKindJobFailed)
		if ev.Kind == river.EventKindJobCompleted {
			return failed
		}
		require.NotEqual(t, rivertype.JobStateDiscarded, ev.Job.State, "renew_watches gave up: %v", ev.Job.Errors)
		failed++
	}
}

// runRenew enqueues renew_watches and waits for it to complete at once.
func runRenew(t *testing.T, q *jobqueue.Queue, events <-chan *river.Event) {
	t.Helper()
	args, opts := workers.RenewWatchesJob()
	_, err := q.Client().Insert(context.Background(), args, opts)
	require.NoError(t, err)
	require.Zero(t, awaitRenew(t, events))
}

// recordedWatches reads every recorded watch expiry, by user and service.
func (e *env) recordedWatches(t *testing.T) map[uuid.UUID]map[domain.Service]time.Time {
	t.Helper()
	rows, err := e.db.SQL.QueryContext(context.Background(), "SELECT user_id, service, expires_at FROM push_watches")
	require.NoError(t, err)
	defer rows.Close()
	out := map[uuid.UUID]map[domain.Service]time.Time{}
	for rows.Next() {
		var (
			user    uuid.UUID
			svc     string
			expires time.Time
		)
		require.NoError(t, rows.Scan(&user, &svc, &expires))
		if out[user] == nil {
			out[user] = map[domain.Service]time.Time{}
		}
		out[user][domain.Service(svc)] = expires.UTC()
	}
	require.NoError(t, rows.Err())
	return out
}

// channels returns the channel recorded for each of the user's watches: the
// one its renewal stops.
func (e *env) channels(t *testing.T, userID uuid.UUID) map[domain.Service]ingest.Channel {
	t.Helper()
	all := []domain.Service{domain.ServiceGmail, domain.ServiceCalendar, domain.ServiceDrive}
	recorded, err := e.store.DueWatches(context.Background(), all, time.Now().Add(365*24*time.Hour))
	require.NoError(t, err)
	out := map[domain.Service]ingest.Channel{}
	for _, w := range recorded {
		if w.UserID == userID {
			out[w.Service] = w.Channel
		}
	}
	return out
}

// syncJobs returns the users of every sync job, by kind.
func (e *env) syncJobs(t *testing.T, q *jobqueue.Queue) map[string][]uuid.UUID {
	t.Helper()
	res, err := q.Client().JobList(context.Background(), river.NewJobListParams().Kinds("sync_gmail", "sync_calendar", "sync_drive"))
	require.NoError(t, err)
	out := map[string][]uuid.UUID{}
	for _, j := range res.Jobs {
		var args workers.SyncGmailArgs // every sync job's args are the user id alone
		require.NoError(t, json.Unmarshal(j.EncodedArgs, &args))
		if !slices.Contains(out[j.Kind], args.UserID) {
			out[j.Kind] = append(out[j.Kind], args.UserID)
		}
	}
	return out
}

func services(ws []emulator.Watch) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Service
	}
	return out
}

// expiries is the latest expiry of each service among ws.
func expiries(ws []emulator.Watch) map[domain.Service]time.Time {
	out := map[domain.Service]time.Time{}
	for _, w := range ws {
		if s := domain.Service(w.Service); w.Expires.After(out[s]) {
			out[s] = w.Expires
		}
	}
	return out
}
