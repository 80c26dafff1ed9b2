package orchestrator_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/agent/calendaragent"
	"github.com/workspace-orchestrator/orchestrator/domain/agent/driveagent"
	"github.com/workspace-orchestrator/orchestrator/domain/agent/gmailagent"
	"github.com/workspace-orchestrator/orchestrator/domain/clocktest"
	"github.com/workspace-orchestrator/orchestrator/domain/executor"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
	"github.com/workspace-orchestrator/orchestrator/domain/synth"
)

type bundle struct {
	o       *orchestrator.Orchestrator
	ws      *workspace
	convs   *conversations
	pub     *publisher
	cache   *intentCache
	user    uuid.UUID
	loc     *time.Location
	now     time.Time
	flights [2]string // event ids: Turkish Airlines, Lufthansa
	deps    orchestrator.Deps
	cancels *cancelBus
}

type options struct {
	noContextStore bool
	classifier     intent.Classifier // instead of the offline one
}

// upgraded is the same classifier under a new version.
type upgraded struct{ intent.Classifier }

func (upgraded) Version() string { return "next" }

type classifierFunc func(context.Context, intent.Request) (intent.Intent, error)

func (f classifierFunc) Classify(ctx context.Context, r intent.Request) (intent.Intent, error) {
	return f(ctx, r)
}

func setup(t testing.TB, opts ...options) *bundle {
	t.Helper()
	var opt options
	if len(opts) > 0 {
		opt = opts[0]
	}
	loc, err := time.LoadLocation("Europe/Istanbul")
	require.NoError(t, err)
	now := time.Date(2026, 6, 17, 14, 30, 0, 0, loc) // a Wednesday
	day := func(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, loc) }
	sarah := domain.Address{Name: "Sarah Fleming", Email: "sarah.fleming@example.com"}
	bob := domain.Address{Name: "Bob Stone", Email: "bob@example.com"}
	me := domain.Address{Name: "Me", Email: "me@example.com"}
	mail := func(id string, from domain.Address, subject, body string, at time.Time) domain.Email {
		return domain.Email{ID: uuid.New(), EmailID: id, From: from, To: []domain.Address{me}, Subject: subject, Body: body,
			Snippet: body, ReceivedAt: at}
	}
	event := func(id, title, desc string, start time.Time, length time.Duration, who ...string) domain.Event {
		ev := domain.Event{ID: uuid.New(), EventID: id, CalendarID: "primary", Title: title, Description: desc,
			Start: start, End: start.Add(length), TimeZone: "Europe/Istanbul", Status: "confirmed"}
		for _, w := range who {
			ev.Attendees = append(ev.Attendees, domain.Attendee{Email: w})
		}
		return ev
	}
	ws := &workspace{
		emails: []domain.Email{
			mail("m1", sarah, "Budget v1", "First draft of the 2026 budget.", day(6, 10, 9, 0)),
			mail("m2", sarah, "Budget v2", "Revised budget with travel costs.", day(6, 12, 9, 0)),
			mail("m3", bob, "Offsite plans", "Let's hold the offsite in Izmir.", day(6, 16, 9, 0)),
			mail("m4", domain.Address{Name: "Turkish Airlines", Email: "noreply@thy.com"}, "Your Turkish Airlines booking confirmation",
				"Flight TK 1982 Istanbul (IST) to London (LHR) on 25 June 2026 at 10:00. Booking reference ABC123.", day(6, 1, 12, 0)),
			mail("m5", sarah, "Budget for May", "May numbers are in.", day(5, 20, 9, 0)),
		},
		events: []domain.Event{
			event("ev1", "Budget review", "Go through v2", day(6, 18, 10, 0), time.Hour, sarah.Email),
			event("ev2", "Weekly sync", "", day(6, 19, 15, 0), 30*time.Minute, bob.Email),
			inZone(event("ev3", "Flight TK1982 Istanbul → London", "Turkish Airlines", day(6, 25, 10, 0), 4*time.Hour), "America/Los_Angeles"),
			event("ev4", "Flight LH401 Frankfurt → New York", "Lufthansa", day(7, 3, 9, 0), 9*time.Hour),
		},
		files: []domain.File{
			{ID: uuid.New(), FileID: "f1", Name: "KEP-1234: Sidecar containers", Content: "This KEP proposes sidecar containers.",
				WebViewLink: "https://docs.example/f1", ModifiedAt: day(5, 2, 9, 0)},
			{ID: uuid.New(), FileID: "f2", Name: "Q3 report", Content: "Revenue for Q3 grew.", WebViewLink: "https://docs.example/f2", ModifiedAt: day(6, 1, 9, 0)},
			{ID: uuid.New(), FileID: "f3", Name: "Budget 2026", Content: "Budget spreadsheet.", ModifiedAt: day(6, 2, 9, 0)},
		},
		drafts: map[string]domain.Draft{}, sent: map[string]domain.Email{}, perms: map[string][]domain.Permission{},
		failOn: map[domain.Service]error{}, blockOn: map[domain.Service]chan struct{}{},
	}
	b := &bundle{ws: ws, convs: &conversations{convs: map[uuid.UUID]domain.Conversation{}}, pub: &publisher{events: map[uuid.UUID][]orchestrator.Event{}},
		cache: &intentCache{m: map[string]intent.Intent{}}, user: uuid.New(), loc: loc, now: now, flights: [2]string{"ev3", "ev4"},
		cancels: &cancelBus{}}
	deps := orchestrator.Deps{
		Classifier: intent.NewOffline(ws),
		Writer:     synth.Offline{},
		Agents: []agent.Agent{
			gmailagent.New(ws, ws, ws), calendaragent.New(ws, ws, ws), driveagent.New(ws, ws, ws),
		},
		Conversations: b.convs,
		Publisher:     b.pub,
		Users:         users{tz: "Europe/Istanbul"},
		Intents:       b.cache,
		Cancels:       b.cancels,
		Clock:         domain.FixedClock{T: now},
	}
	if opt.classifier != nil {
		deps.Classifier = opt.classifier
	}
	if !opt.noContextStore {
		deps.Contexts = &contextStore{m: map[uuid.UUID]intent.ConversationContext{}}
	}
	b.deps = deps
	b.o = b.instance(t, orchestrator.Config{StepTimeout: 5 * time.Second})
	return b
}

// instance starts an orchestrator on the bundle's stores, as another server
// process would be on the same database and Redis.
func (b *bundle) instance(t testing.TB, cfg orchestrator.Config) *orchestrator.Orchestrator {
	t.Helper()
	return b.instanceOn(t, cfg, b.deps.Clock)
}

// instanceOn is instance with its own clock.
func (b *bundle) instanceOn(t testing.TB, cfg orchestrator.Config, clock domain.Clock) *orchestrator.Orchestrator {
	t.Helper()
	d := b.deps
	d.Clock = clock
	o, err := orchestrator.New(cfg, d)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, o.Close(context.Background())) })
	return o
}

// ask runs one ask to its end and returns the persisted message.
func (b *bundle) ask(t *testing.T, conv uuid.UUID, q string) domain.Message {
	t.Helper()
	m, err := b.o.Ask(context.Background(), orchestrator.AskInput{UserID: b.user, ConversationID: conv, Query: q})
	require.NoError(t, err)
	require.Equal(t, domain.MessagePending, m.Status)
	b.o.Wait()
	m, err = b.convs.Message(context.Background(), b.user, m.ID)
	require.NoError(t, err)
	require.Equal(t, domain.MessageDone, m.Status, "error: %s", m.Error)
	return m
}

func actionsOf(t *testing.T, m domain.Message) []agent.Action {
	t.Helper()
	as, err := orchestrator.ActionsOf(m)
	require.NoError(t, err)
	return as
}

func citationIDs(t *testing.T, m domain.Message) []string {
	t.Helper()
	cs, err := orchestrator.CitationsOf(m)
	require.NoError(t, err)
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.ItemID)
	}
	return ids
}

func TestAskReads(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, tc := range []struct {
		q        string
		cited    []string // provider ids, in order
		contains string
	}{
		{"emails from Sarah about the budget", []string{"m2", "m1", "m5"}, `"Budget v2" from sarah.fleming@example.com`},
		{"read the latest email from Bob", []string{"m3"}, "Let's hold the offsite in Izmir."},
		{"what meetings do I have tomorrow?", []string{"ev1"}, `"Budget review", Thu Jun 18 2026 10:00–11:00`},
		{"find the KEP about sidecar containers", []string{"f1"}, "KEP-1234: Sidecar containers"},
		{"open the Q3 report document", []string{"f2"}, "Revenue for Q3 grew."},
	} {
		m := b.ask(t, uuid.Nil, tc.q)
		require.Equal(t, tc.cited, citationIDs(t, m), tc.q)
		require.Contains(t, m.Response, tc.contains, tc.q)
		require.Empty(t, actionsOf(t, m), tc.q)
	}
	require.Zero(t, b.ws.writeCount())
}

func TestAskCancelFlightProposesAndWaits(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := b.ask(t, uuid.Nil, "Cancel my Turkish Airlines flight")

	p, err := orchestrator.PlanOf(m)
	require.NoError(t, err)
	require.Equal(t, [][]string{{"s1"}, {"s2"}, {"s3"}}, p.Groups)

	acts := actionsOf(t, m)
	require.Len(t, acts, 1)
	a := acts[0]
	require.Equal(t, agent.ActionDeleteEvent, a.Kind)
	require.Equal(t, []string{"ev3"}, a.Targets, "the exact Turkish Airlines event, not the Lufthansa one")
	require.Equal(t, agent.ActionProposed, a.Status)
	// In the user's zone, though the event was made in another.
	require.Contains(t, a.Summary, `Delete the event "Flight TK1982 Istanbul → London" on Thu Jun 25 2026 10:00–14:00 +03`)
	require.Contains(t, m.Response, "Nothing has been changed yet")
	require.Zero(t, b.ws.writeCount(), "nothing executed before confirmation")
	_, still := b.ws.event("ev3")
	require.True(t, still)

	var proposed int
	for _, ev := range b.pub.of(m.ID) {
		if ev.Type == orchestrator.EventActionProposed {
			proposed++
			require.Equal(t, a.ID, ev.Action.ID)
		}
	}
	require.Equal(t, 1, proposed)

	m, err = b.o.ConfirmAction(context.Background(), b.user, m.ID, a.ID)
	require.NoError(t, err)
	require.Equal(t, agent.ActionExecuted, actionsOf(t, m)[0].Status)
	_, still = b.ws.event("ev3")
	require.False(t, still)
	_, other := b.ws.event("ev4")
	require.True(t, other)
	require.Equal(t, 1, b.ws.writeCount())

	// A retried confirmation changes nothing; rejecting now is a conflict.
	_, err = b.o.ConfirmAction(context.Background(), b.user, m.ID, a.ID)
	require.NoError(t, err)
	require.Equal(t, 1, b.ws.writeCount())
	_, err = b.o.RejectAction(context.Background(), b.user, m.ID, a.ID)
	require.ErrorIs(t, err, domain.ErrConflict)
	_, err = b.o.ConfirmAction(context.Background(), uuid.New(), m.ID, a.ID)
	require.ErrorIs(t, err, domain.ErrNotFound, "another user's message")
	_, err = b.o.ConfirmAction(context.Background(), b.user, m.ID, "nope")
	require.ErrorIs(t, err, domain.ErrNotFound)
}

// TestConfirmDecidedOnceAcrossInstances confirms one action on two instances
// at once, and confirms and rejects another at once: the store decides, so
// one share is made, and confirm and reject never both succeed.
func TestConfirmDecidedOnceAcrossInstances(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	other := b.instance(t, orchestrator.Config{})
	b.ws.readDelay = 20 * time.Millisecond // Google answers slowly: the confirmations overlap
	instances := []*orchestrator.Orchestrator{b.o, other}

	m := b.ask(t, uuid.Nil, "share the Q3 report with Bob")
	share := actionsOf(t, m)[0]
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Go(func() { _, errs[i] = instances[i%2].ConfirmAction(ctx, b.user, m.ID, share.ID) })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.Len(t, b.ws.perms["f2"], 1, "one permission for any number of confirmations")
	m, err := b.convs.Message(ctx, b.user, m.ID)
	require.NoError(t, err)
	require.Equal(t, agent.ActionExecuted, actionsOf(t, m)[0].Status)
	require.True(t, actionsOf(t, m)[0].Claimed.IsZero())

	for range 3 {
		m = b.ask(t, uuid.Nil, "Cancel my Turkish Airlines flight")
		del := actionsOf(t, m)[0]
		var confirmErr, rejectErr error
		wg.Go(func() { _, confirmErr = b.o.ConfirmAction(ctx, b.user, m.ID, del.ID) })
		wg.Go(func() { _, rejectErr = other.RejectAction(ctx, b.user, m.ID, del.ID) })
		wg.Wait()
		m, err = b.convs.Message(ctx, b.user, m.ID)
		require.NoError(t, err)
		_, exists := b.ws.event("ev3")
		if confirmErr == nil {
			require.ErrorIs(t, rejectErr, domain.ErrConflict, "the rejection lost: it must say so")
			require.Equal(t, agent.ActionExecuted, actionsOf(t, m)[0].Status)
			require.False(t, exists)
			return // the event is gone: nothing left to race on
		}
		require.ErrorIs(t, confirmErr, domain.ErrConflict)
		require.NoError(t, rejectErr)
		require.Equal(t, agent.ActionRejected, actionsOf(t, m)[0].Status)
		require.True(t, exists, "a rejected action never ran")
	}
}

// TestOutagesNeverLeaveFollowersSilent: while Redis refuses the events and
// PostgreSQL the final write for a while, both are retried: every event
// arrives, in order, ending with DONE, and the stored message agrees.
func TestOutagesNeverLeaveFollowersSilent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.pub.failures = 5
	b.convs.failDone = 3
	m := b.ask(t, uuid.Nil, "emails from Sarah about the budget")
	evs := b.pub.of(m.ID)
	require.Equal(t, orchestrator.EventDone, evs[len(evs)-1].Type)
	for i, ev := range evs {
		require.Equal(t, i+1, ev.Seq, "no event lost or doubled")
	}
	require.Equal(t, domain.MessageDone, m.Status)
}

// TestUnfinishedAsksOfStoppedInstancesEnd: an ask whose instance died is
// ended by a cancel from another instance, or by the sweep, and its
// followers get the ERROR event that ends their stream.
func TestUnfinishedAsksOfStoppedInstancesEnd(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	orphan := func(age time.Duration) domain.Message {
		m, _, err := b.convs.StartConversation(ctx, "t", domain.Message{ID: uuid.New(), UserID: b.user, Query: "q",
			Status: domain.MessageRunning, CreatedAt: b.now.Add(-age), UpdatedAt: b.now.Add(-age)})
		require.NoError(t, err)
		return m
	}
	lastEvent := func(id uuid.UUID) orchestrator.Event {
		evs := b.pub.of(id)
		require.NotEmpty(t, evs, "followers of %s were left waiting", id)
		return evs[len(evs)-1]
	}

	cancelled := orphan(time.Second)
	clock := clocktest.New(b.now)
	o := b.instanceOn(t, orchestrator.Config{SweepEvery: -1}, clock)
	cancelWhenNobodyStops(t, clock, func() error { return o.Cancel(ctx, b.user, cancelled.ID) })
	ev := lastEvent(cancelled.ID)
	require.Equal(t, orchestrator.EventError, ev.Type)
	require.Equal(t, domain.MessageCancelled, ev.MessageStatus)
	got, err := b.convs.Message(ctx, b.user, cancelled.ID)
	require.NoError(t, err)
	require.Equal(t, domain.MessageCancelled, got.Status)

	abandoned, recent := orphan(10*time.Minute), orphan(30*time.Second)
	n, err := b.o.Sweep(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	ev = lastEvent(abandoned.ID)
	require.Equal(t, orchestrator.EventError, ev.Type)
	require.Equal(t, domain.MessageFailed, ev.MessageStatus)
	require.Contains(t, ev.Error, "try again")
	require.Empty(t, b.pub.of(recent.ID), "an ask written half a minute ago may well be running")
	n, err = b.instance(t, orchestrator.Config{}).Sweep(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "ended once, whichever instance sweeps")
}

// TestSweepKeepsTheAsksOfLiveInstances: an ask that runs longer than
// AbandonAfter without a write of its own stays running while its instance
// sweeps (each sweep is the heartbeat of the instance's asks), whichever
// instance sweeps; once its instance stops beating for AbandonAfter, a
// peer's sweep ends it with ERROR.
func TestSweepKeepsTheAsksOfLiveInstances(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	clock := clocktest.New(b.now)
	cfg := orchestrator.Config{SweepEvery: -1, StepTimeout: time.Hour}
	b.o = b.instanceOn(t, cfg, clock)
	peer := b.instanceOn(t, cfg, clock)
	m := b.askStuck(t)
	for range 3 {
		clock.Advance(50 * time.Second) // under the default AbandonAfter of 1m
		n, err := b.o.Sweep(ctx)
		require.NoError(t, err)
		require.Zero(t, n)
		clock.Advance(50 * time.Second)
		n, err = peer.Sweep(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "the ask of a live instance is left running")
	}
	got, err := b.convs.Message(ctx, b.user, m.ID)
	require.NoError(t, err)
	require.False(t, got.Status.Ended(), "status %s", got.Status)

	clock.Advance(61 * time.Second) // its instance missed its heartbeats
	n, err := peer.Sweep(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	evs := b.pub.of(m.ID)
	require.Equal(t, orchestrator.EventError, evs[len(evs)-1].Type)
}

// syncStatuses answers fixed sync statuses.
type syncStatuses struct {
	domain.SyncStatusStore
	sts []domain.SyncStatus
}

func (s syncStatuses) SyncStatuses(context.Context, uuid.UUID) ([]domain.SyncStatus, error) {
	return s.sts, nil
}

// TestAnswerSaysWhenItsServiceIsOutOfSync: results read from the cache of a
// service whose sync is failing say so, and as of when.
func TestAnswerSaysWhenItsServiceIsOutOfSync(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.deps.SyncStatuses = syncStatuses{sts: []domain.SyncStatus{
		{Service: domain.ServiceGmail, State: domain.SyncIdle, LastSyncAt: b.now},
		{Service: domain.ServiceDrive, State: domain.SyncFailed, LastSyncAt: b.now.Add(-20 * time.Minute)},
	}}
	b.o = b.instance(t, orchestrator.Config{})
	m := b.ask(t, uuid.Nil, "find the Q3 report")
	require.Contains(t, m.Response, "Drive is unreachable right now; results are from the last sync at 14:10.")
	evs := b.pub.of(m.ID)
	require.Contains(t, evs[len(evs)-1].Text, "Drive is unreachable")

	m = b.ask(t, uuid.Nil, "emails from Sarah about the budget")
	require.NotContains(t, m.Response, "unreachable", "Gmail is in step")
}

func TestAskWrites(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()

	// Draft at once, send only when confirmed, and only once.
	m := b.ask(t, uuid.Nil, "email Sarah the KEP about sidecar containers")
	require.Len(t, b.ws.drafts, 1)
	require.Contains(t, b.ws.drafts["draft-1"].Body, "https://docs.example/f1")
	send := actionsOf(t, m)[0]
	require.Equal(t, agent.ActionSendEmail, send.Kind)
	require.Equal(t, []string{"draft-1"}, send.Targets)
	require.Contains(t, send.Summary, "to sarah.fleming@example.com")
	require.Zero(t, b.ws.writeCount())
	for range 2 {
		_, err := b.o.ConfirmAction(ctx, b.user, m.ID, send.ID)
		require.NoError(t, err)
	}
	require.Equal(t, 1, b.ws.writeCount())
	require.Len(t, b.ws.sent, 1)

	// Create with a stable id and an IANA zone; a retry finds the same event.
	m = b.ask(t, uuid.Nil, "schedule a meeting with Bob tomorrow at 3pm for 45 minutes")
	create := actionsOf(t, m)[0]
	require.Contains(t, create.Summary, `Create the event "Meeting with Bob" on Thu Jun 18 2026 15:00–15:45 +03 (Europe/Istanbul) and invite bob@example.com`)
	require.Equal(t, 1, b.ws.writeCount())
	_, err := b.o.ConfirmAction(ctx, b.user, m.ID, create.ID)
	require.NoError(t, err)
	id := agent.StableID(m.ID, create.ID)
	ev, ok := b.ws.event(id)
	require.True(t, ok)
	require.Equal(t, "Europe/Istanbul", ev.TimeZone)
	require.Equal(t, 15, ev.Start.Hour())
	// Even a confirmation whose first outcome was lost reuses the id.
	_, err = calendaragent.New(b.ws, b.ws, b.ws).Confirm(ctx, b.user, m.ID, create)
	require.NoError(t, err)
	require.Equal(t, 2, b.ws.writeCount())

	// Move keeps the day and the length.
	m = b.ask(t, uuid.Nil, "move my weekly sync with Bob to 4pm")
	move := actionsOf(t, m)[0]
	require.Equal(t, []string{"ev2"}, move.Targets)
	require.Contains(t, move.Summary, "to Fri Jun 19 2026 16:00–16:30")
	_, err = b.o.ConfirmAction(ctx, b.user, m.ID, move.ID)
	require.NoError(t, err)
	ev, _ = b.ws.event("ev2")
	require.Equal(t, time.Date(2026, 6, 19, 16, 0, 0, 0, b.loc).Unix(), ev.Start.Unix())
	require.Equal(t, 30*time.Minute, ev.End.Sub(ev.Start))

	// Share checks permissions first, so a retry shares nothing twice.
	m = b.ask(t, uuid.Nil, "share the Q3 report with Bob")
	share := actionsOf(t, m)[0]
	require.Equal(t, []string{"f2"}, share.Targets)
	writes := b.ws.writeCount()
	_, err = b.o.ConfirmAction(ctx, b.user, m.ID, share.ID)
	require.NoError(t, err)
	_, err = driveagent.New(b.ws, b.ws, b.ws).Confirm(ctx, b.user, m.ID, share)
	require.NoError(t, err)
	require.Equal(t, writes+1, b.ws.writeCount())
	require.Len(t, b.ws.perms["f2"], 1)

	// A rejected action never runs.
	m = b.ask(t, uuid.Nil, "Cancel my Turkish Airlines flight")
	del := actionsOf(t, m)[0]
	m, err = b.o.RejectAction(ctx, b.user, m.ID, del.ID)
	require.NoError(t, err)
	require.Equal(t, agent.ActionRejected, actionsOf(t, m)[0].Status)
	_, err = b.o.ConfirmAction(ctx, b.user, m.ID, del.ID)
	require.ErrorIs(t, err, domain.ErrConflict)
	_, still := b.ws.event("ev3")
	require.True(t, still)
}

func TestAskReplyAndForward(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := b.ask(t, uuid.Nil, "reply to Sarah saying I'll be late")
	send := actionsOf(t, m)[0]
	d := b.ws.drafts[send.Targets[0]]
	require.Equal(t, "m2", d.InReplyTo, "her latest mail")
	require.Equal(t, "Re: Budget v2", d.Subject)
	require.Equal(t, "I'll be late.", d.Body)

	m = b.ask(t, uuid.Nil, "forward the booking confirmation to Bob")
	send = actionsOf(t, m)[0]
	d = b.ws.drafts[send.Targets[0]]
	require.Equal(t, "Fwd: Your Turkish Airlines booking confirmation", d.Subject)
	require.Contains(t, d.Body, "Booking reference ABC123")
	require.Equal(t, []domain.Address{{Email: "bob@example.com"}}, d.To)
	require.Contains(t, send.Summary, `Send the draft "Fwd: Your Turkish Airlines booking confirmation" to bob@example.com`)
	require.Zero(t, b.ws.writeCount())
}

func TestAskMultiServiceAndFailedStep(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := b.ask(t, uuid.Nil, "emails and files about the budget")
	require.Equal(t, []string{"m2", "m1", "m5", "f3"}, citationIDs(t, m))

	b.ws.mu.Lock()
	b.ws.failOn[domain.ServiceDrive] = fmt.Errorf("drive answered 503: %w", domain.ErrUnavailable)
	b.ws.mu.Unlock()
	m = b.ask(t, uuid.Nil, "emails and files about the budget in June")
	require.Equal(t, []string{"m2", "m1"}, citationIDs(t, m))
	require.Contains(t, m.Response, "I couldn't search your Drive: the service did not answer in time; try again shortly.")
	require.NotContains(t, m.Response, "503", "upstream details stay out of the answer")
	results, err := orchestrator.StepResultsOf(m)
	require.NoError(t, err)
	require.Equal(t, executor.StatusSucceeded, results[0].Status)
	require.Equal(t, executor.StatusFailed, results[1].Status)
}

func TestAskFollowUps(t *testing.T) {
	t.Parallel()
	for name, opt := range map[string]options{"context store": {}, "persisted messages": {noContextStore: true}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, opt)
			first := b.ask(t, uuid.Nil, "emails from Sarah about the budget")
			conv := first.ConversationID

			m := b.ask(t, conv, "open the second one")
			require.Equal(t, []string{"m1"}, citationIDs(t, m))
			require.Contains(t, m.Response, "First draft of the 2026 budget.")

			m = b.ask(t, conv, "what about last month?")
			require.Equal(t, []string{"m5"}, citationIDs(t, m))

			m = b.ask(t, conv, "draft an email to Bob about the offsite")
			require.Empty(t, actionsOf(t, m))
			m = b.ask(t, conv, "send it")
			send := actionsOf(t, m)[0]
			require.Equal(t, []string{"draft-1"}, send.Targets)

			m = b.ask(t, conv, "what meetings do I have this week?")
			require.Equal(t, []string{"ev1", "ev2"}, citationIDs(t, m))
			m = b.ask(t, conv, "move it to 4pm")
			require.Empty(t, actionsOf(t, m))
			require.Contains(t, m.Response, `Which one do you mean: 1. "Budget review"`)

			// An event created on confirmation is what "it" means next.
			m = b.ask(t, conv, "schedule a call with Bob tomorrow at 2pm")
			// A change to the proposal proposes the event again, changed; nothing is written.
			m = b.ask(t, conv, "actually make it 3pm instead")
			revised := actionsOf(t, m)
			require.Len(t, revised, 1)
			require.Equal(t, agent.ActionCreateEvent, revised[0].Kind)
			require.Contains(t, revised[0].Summary, `"Call with Bob" on Thu Jun 18 2026 15:00–15:30 +03`)
			require.Zero(t, b.ws.writeCount())
			created, err := b.o.ConfirmAction(context.Background(), b.user, m.ID, revised[0].ID)
			require.NoError(t, err)
			m = b.ask(t, conv, "move it to 5pm")
			move := actionsOf(t, m)[0]
			require.Equal(t, []string{agent.StableID(created.ID, "s1-a1")}, move.Targets)
			require.Contains(t, move.Summary, `Move the event "Call with Bob" from Thu Jun 18 2026 15:00–15:30 +03 to Thu Jun 18 2026 17:00–17:30 +03 (Europe/Istanbul)`)
		})
	}
}

func TestAskAmbiguousTargetThenChosen(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := b.ask(t, uuid.Nil, "cancel my meetings this week")
	require.Empty(t, actionsOf(t, m))
	require.Contains(t, m.Response, `I couldn't delete the event: 2 events match ("Budget review" (Thu Jun 18 2026 10:00 +03), "Weekly sync" (Fri Jun 19 2026 15:00 +03)); say which one`)
	m = b.ask(t, m.ConversationID, "cancel the second one")
	del := actionsOf(t, m)[0]
	require.Equal(t, agent.ActionDeleteEvent, del.Kind)
	require.Equal(t, []string{"ev2"}, del.Targets)
	require.Zero(t, b.ws.writeCount())
}

func TestAskClarifiesAndRefuses(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := b.ask(t, uuid.Nil, "schedule a meeting with Bob")
	require.Equal(t, "When should it be? Please give a day and a time.", m.Response)
	m = b.ask(t, uuid.Nil, "what's the weather?")
	require.Contains(t, m.Response, "I can't do that")
	in, err := orchestrator.IntentOf(m)
	require.NoError(t, err)
	require.Empty(t, in.Steps)
}

func TestAskDoesNotActWhenUnsure(t *testing.T) {
	t.Parallel()
	del := intent.Step{ID: "s1", Service: domain.ServiceCalendar, Operation: intent.OpDelete, SideEffect: true,
		Params: intent.Params{intent.ParamItemID: "ev3"}}
	for name, in := range map[string]intent.Intent{
		"low confidence":         {Steps: []intent.Step{del}, Confidence: 0.2},
		"clarification and step": {Steps: []intent.Step{del}, Confidence: 0.9, Clarification: "Which flight?"},
	} {
		b := setup(t, options{classifier: classifierFunc(func(context.Context, intent.Request) (intent.Intent, error) { return in, nil })})
		m := b.ask(t, uuid.Nil, "cancel it")
		require.Empty(t, actionsOf(t, m), name)
		require.NotEmpty(t, m.Response, name)
		results, err := orchestrator.StepResultsOf(m)
		require.NoError(t, err)
		require.Empty(t, results, name)
	}

	b := setup(t, options{classifier: classifierFunc(func(context.Context, intent.Request) (intent.Intent, error) {
		return intent.Intent{}, fmt.Errorf("model timed out: %w", domain.ErrUnavailable)
	})})
	m, err := b.o.Ask(context.Background(), orchestrator.AskInput{UserID: b.user, Query: "anything"})
	require.NoError(t, err)
	b.o.Wait()
	m, err = b.convs.Message(context.Background(), b.user, m.ID)
	require.NoError(t, err)
	require.Equal(t, domain.MessageFailed, m.Status)
	require.Equal(t, "the service did not answer in time; try again shortly", m.Error)
	evs := b.pub.of(m.ID)
	require.Equal(t, orchestrator.EventError, evs[len(evs)-1].Type)
}

func TestAskEventsAndIdempotency(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	in := orchestrator.AskInput{UserID: b.user, Query: "emails from Sarah about the budget", ClientRequestID: "req-1"}
	m1, err := b.o.Ask(ctx, in)
	require.NoError(t, err)
	m2, err := b.o.Ask(ctx, in)
	require.NoError(t, err)
	require.Equal(t, m1.ID, m2.ID)
	b.o.Wait()

	evs := b.pub.of(m1.ID)
	require.Equal(t, orchestrator.EventStatus, evs[0].Type)
	require.Equal(t, orchestrator.StatusClassifying, evs[0].Status)
	last := evs[len(evs)-1]
	require.Equal(t, orchestrator.EventDone, last.Type)
	var text strings.Builder
	var steps int
	for i, ev := range evs {
		require.Equal(t, i+1, ev.Seq, "every event once, in order")
		switch ev.Type {
		case orchestrator.EventToken:
			text.WriteString(ev.Token)
		case orchestrator.EventStepResult:
			steps++
		}
	}
	require.Equal(t, last.Text, text.String())
	require.Equal(t, 1, steps)
	require.Len(t, last.Citations, 3)

	stored, err := b.convs.Message(ctx, b.user, m1.ID)
	require.NoError(t, err)
	rec, err := orchestrator.RecordOf(stored)
	require.NoError(t, err)
	require.NotNil(t, rec.Timings)
	require.NotNil(t, rec.Intent)
	require.NotNil(t, rec.Plan)

	// The same query again in a fresh conversation hits the intent cache...
	b.ask(t, uuid.Nil, "emails from Sarah about the budget")
	require.Equal(t, 1, b.cache.hits)
	// ...but not after the classifier changed.
	deps := b.deps
	deps.Classifier = upgraded{deps.Classifier}
	o2, err := orchestrator.New(orchestrator.Config{}, deps)
	require.NoError(t, err)
	defer o2.Close(ctx)
	_, err = o2.Ask(ctx, orchestrator.AskInput{UserID: b.user, Query: "emails from Sarah about the budget"})
	require.NoError(t, err)
	o2.Wait()
	require.Equal(t, 1, b.cache.hits, "intents cached by the older rules are not served")

	_, err = b.o.Ask(ctx, orchestrator.AskInput{UserID: b.user, Query: "  "})
	require.ErrorIs(t, err, domain.ErrInvalidInput)
	_, err = b.o.Ask(ctx, orchestrator.AskInput{UserID: b.user, ConversationID: uuid.New(), Query: "hi"})
	require.ErrorIs(t, err, domain.ErrNotFound)
}

// askStuck starts an ask whose mail search blocks until the test ends, and
// returns once its step has started.
func (b *bundle) askStuck(t *testing.T) domain.Message {
	t.Helper()
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	b.ws.mu.Lock()
	b.ws.blockOn[domain.ServiceGmail] = block
	b.ws.mu.Unlock()
	m, err := b.o.Ask(context.Background(), orchestrator.AskInput{UserID: b.user, Query: "emails about the budget"})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		for _, ev := range b.pub.of(m.ID) {
			if ev.Status == orchestrator.StatusStepStarted {
				return true
			}
		}
		return false
	}, 5*time.Second, time.Millisecond)
	return m
}

// requireCancelled checks the message ended cancelled, and its followers saw it end.
func (b *bundle) requireCancelled(t *testing.T, id uuid.UUID) {
	t.Helper()
	m, err := b.convs.Message(context.Background(), b.user, id)
	require.NoError(t, err)
	require.Equal(t, domain.MessageCancelled, m.Status)
	require.Equal(t, "the request was cancelled before it finished", m.Error, "a cancel is no internal error")
	evs := b.pub.of(id)
	require.Equal(t, orchestrator.EventError, evs[len(evs)-1].Type)
	require.Equal(t, domain.MessageCancelled, evs[len(evs)-1].MessageStatus)
	require.Equal(t, m.Error, evs[len(evs)-1].Error)
}

func TestAskCancel(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	m := b.askStuck(t)
	require.NoError(t, b.o.Cancel(ctx, b.user, m.ID))
	b.o.Wait()
	b.requireCancelled(t, m.ID)
	require.ErrorIs(t, b.o.Cancel(ctx, b.user, m.ID), domain.ErrConflict)
}

func TestAskCancelFromAnotherInstance(t *testing.T) {
	t.Parallel()
	b := setup(t)
	peer := b.instance(t, orchestrator.Config{})
	require.Eventually(t, func() bool { return b.cancels.listeners() == 2 }, 5*time.Second, time.Millisecond)
	m := b.askStuck(t)
	require.NoError(t, peer.Cancel(context.Background(), b.user, m.ID), "the peer asks the running instance to stop, and waits")
	b.requireCancelled(t, m.ID)
}

func TestAskCancelWhoseInstanceIsGone(t *testing.T) {
	t.Parallel()
	b := setup(t)
	clock := clocktest.New(b.now)
	peer := b.instanceOn(t, orchestrator.Config{SweepEvery: -1}, clock)
	ctx := context.Background()
	// A message left RUNNING by an instance that died.
	m, _, err := b.convs.StartConversation(ctx, "orphan", domain.Message{ID: uuid.New(), UserID: b.user,
		Query: "emails about the budget", Status: domain.MessageRunning})
	require.NoError(t, err)
	cancelWhenNobodyStops(t, clock, func() error { return peer.Cancel(ctx, b.user, m.ID) })
	m, err = b.convs.Message(ctx, b.user, m.ID)
	require.NoError(t, err)
	require.Equal(t, domain.MessageCancelled, m.Status)
	require.Equal(t, "the request was cancelled before it finished", m.Error)
}

func TestClassify(t *testing.T) {
	t.Parallel()
	b := setup(t)
	in, p, err := b.o.Classify(context.Background(), b.user, uuid.Nil, "Cancel my Turkish Airlines flight")
	require.NoError(t, err)
	require.Len(t, in.Steps, 3)
	require.True(t, in.Steps[2].SideEffect)
	require.Equal(t, [][]string{{"s1"}, {"s2"}, {"s3"}}, p.Groups)
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	_, err := orchestrator.New(orchestrator.Config{}, orchestrator.Deps{})
	require.ErrorIs(t, err, domain.ErrInvalidInput)
	require.ErrorContains(t, err, "Deps.Classifier")
	_, err = orchestrator.New(orchestrator.Config{DefaultTimeZone: "Mars/Olympus"}, orchestrator.Deps{})
	require.ErrorContains(t, err, "DefaultTimeZone")
}

func TestShapedFitsSearchesToTheQuestion(t *testing.T) {
	t.Parallel()
	day := intent.Params{intent.ParamAfter: "2026-12-04T00:00:00Z", intent.ParamBefore: "2026-12-05T00:00:00Z"}
	at := time.Date(2026, 12, 11, 16, 30, 0, 0, time.UTC)
	in := orchestrator.Shaped(intent.Intent{Question: intent.QuestionFree, Entities: intent.Entities{Times: []time.Time{at}},
		Steps: []intent.Step{{ID: "s1", Service: domain.ServiceCalendar, Operation: intent.OpSearch, Params: day}}})
	require.Equal(t, "2026-12-11T16:30:00Z", in.Steps[0].Params.String(intent.ParamAfter), "the time asked about is searched")
	require.Equal(t, "2026-12-11T17:00:00Z", in.Steps[0].Params.String(intent.ParamBefore))
	require.Equal(t, "2026-12-04T00:00:00Z", day.String(intent.ParamAfter), "the classifier's params are not changed")

	in = orchestrator.Shaped(intent.Intent{Question: intent.QuestionCount,
		Steps: []intent.Step{{ID: "s1", Service: domain.ServiceGmail, Operation: intent.OpSearch, Params: intent.Params{}}}})
	n, _ := in.Steps[0].Params.Int(intent.ParamLimit)
	require.Equal(t, orchestrator.CountLimit, n, "a count counts every match")

	in = orchestrator.Shaped(intent.Intent{Question: intent.QuestionSummarize, Steps: []intent.Step{
		{ID: "s1", Service: domain.ServiceCalendar, Operation: intent.OpSearch, Params: intent.Params{intent.ParamLimit: 1, intent.ParamOrder: "upcoming"}},
		{ID: "s2", Service: domain.ServiceGmail, Operation: intent.OpSearch, Params: intent.Params{}},
		{ID: "s3", Service: domain.ServiceDrive, Operation: intent.OpSearch, Params: intent.Params{intent.ParamQuery: "budget"}},
	}})
	require.Equal(t, []string{"s1"}, in.Steps[1].DependsOn, "prepare me for my next meeting: the mail is about the meeting")
	require.Empty(t, in.Steps[2].DependsOn, "a search with words of its own stands alone")
}

// cancelWhenNobodyStops runs cancel, which asks the other instances to stop
// an ask none of them runs, and lets Config.CancelWait pass on clock once it
// waits (its deadline and its poll armed), without sleeping.
func cancelWhenNobodyStops(t *testing.T, clock *clocktest.Clock, cancel func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cancel() }()
	clock.WaitTimers(2)
	clock.Advance(orchestrator.DefaultCancelWait)
	require.NoError(t, <-done)
}

// inZone is ev made in another zone than the user's.
func inZone(ev domain.Event, tz string) domain.Event {
	ev.TimeZone = tz
	return ev
}

// A move by an amount is computed from where the event found is now.
func TestAskMoveByAnAmount(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := b.ask(t, uuid.Nil, "push the weekly sync back an hour")
	acts := actionsOf(t, m)
	require.Len(t, acts, 1)
	require.Contains(t, acts[0].Summary, `Move the event "Weekly sync" from Fri Jun 19 2026 15:00`)
	require.Contains(t, acts[0].Summary, `to Fri Jun 19 2026 16:00`)
	require.Zero(t, b.ws.writeCount())
}

// A read of one service that found nothing looks in the others before
// saying so: the service was only read from the request's shape.
func TestAskWidensASearchThatFoundNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := b.ask(t, uuid.Nil, "when is the offsite in Izmir?")
	require.Equal(t, []string{"m3"}, citationIDs(t, m))
	require.Contains(t, m.Response, "No events or files matched.")
	require.Contains(t, m.Response, "Let's hold the offsite in Izmir.")
	results, err := orchestrator.StepResultsOf(m)
	require.NoError(t, err)
	require.Len(t, results, 3, "the calendar's search, then mail's and Drive's")

	m = b.ask(t, uuid.Nil, "how many meetings about the offsite in Izmir?")
	require.Empty(t, citationIDs(t, m), "a count of none is the answer")
	m = b.ask(t, uuid.Nil, "calendar events about the offsite in Izmir")
	require.Empty(t, citationIDs(t, m), "the calendar was asked for by name")
}
