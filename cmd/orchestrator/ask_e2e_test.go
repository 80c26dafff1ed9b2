package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/importer"
	"github.com/workspace-orchestrator/orchestrator/demo"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/executor"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
	"github.com/workspace-orchestrator/orchestrator/domain/synth"
)

const askUser = "demo@example.com"

// askEnv is the whole product on the demo workspace (shifted, "now" pinned to
// demo.Now()) plus testdata/ask, synced through the sync jobs.
type askEnv struct {
	*cmdEnv
	a    *app
	st   *stack
	user domain.User
}

// setupAsk loads the demo workspace and testdata/ask into the emulator,
// connects the demo user and syncs every service through the River workers.
func setupAsk(t *testing.T) *askEnv { return setupDemo(t, extraWorkspace(t)) }

// setupDemo is setupAsk on the demo workspace plus extras.
func setupDemo(t *testing.T, extras ...emulator.Workspace) *askEnv {
	t.Helper()
	e := setupCmd(t)
	e.vars["DATABASE_MAX_CONNS"] = "12"
	ws, err := demo.Workspace(demo.Options{Shift: true})
	require.NoError(t, err)
	require.NoError(t, e.emu.AddWorkspace(askUser, ws))
	for _, x := range extras {
		require.NoError(t, e.emu.AddWorkspace(askUser, x))
	}

	a, st := e.startApp(t, startClock(demo.Now()))
	// A full demo sync takes ~40 s alone under -race; three tests sync it
	// at once, and on a loaded machine 3 minutes was once not enough.
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	u, err := a.connectGoogle(ctx, askUser)
	require.NoError(t, err)
	start := time.Now()
	for _, s := range domain.Services {
		require.NoError(t, st.syncs.EnqueueSync(ctx, u.ID, s, ingest.PriorityUrgent))
	}
	for _, s := range domain.Services {
		require.Eventually(t, func() bool {
			ss, err := a.store.SyncStatus(ctx, u.ID, s)
			return err == nil && ss.State == domain.SyncIdle && !ss.LastSyncAt.IsZero()
		}, 6*time.Minute, 100*time.Millisecond, "%s sync", s)
	}
	t.Logf("demo workspace synced in %s", time.Since(start).Round(time.Millisecond))
	return &askEnv{cmdEnv: e, a: a, st: st, user: u}
}

// extraWorkspace is testdata/ask: a Turkish Airlines booking and a budget mail
// from Sarah, the matching flight, a budget review and a dentist appointment.
func extraWorkspace(t *testing.T) emulator.Workspace {
	t.Helper()
	mail, errs, err := importer.LoadEML(filepath.Join("testdata", "ask", "mail"))
	require.NoError(t, err)
	require.Empty(t, errs)
	f, err := os.Open(filepath.Join("testdata", "ask", "calendar.ics"))
	require.NoError(t, err)
	defer f.Close()
	cal, errs, err := importer.LoadICS(f)
	require.NoError(t, err)
	require.Empty(t, errs)
	require.Len(t, mail.Messages, 2)
	require.Len(t, cal.Events, 3)
	return emulator.Workspace{Messages: mail.Messages, Events: cal.Events}
}

// answer is one finished ask: every event it published and the stored message.
type answer struct {
	msg       domain.Message
	events    []orchestrator.Event
	text      string
	citations []synth.Citation
	steps     []executor.Result
	actions   []agent.Action
}

// ask asks as the demo user (in conv, or a new conversation when uuid.Nil)
// and follows the answer stream until DONE or ERROR.
func (f *askEnv) ask(t *testing.T, conv uuid.UUID, query string) answer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	msg, err := f.st.orch.Ask(ctx, orchestrator.AskInput{UserID: f.user.ID, ConversationID: conv, Query: query})
	require.NoError(t, err)
	var ans answer
	require.NoError(t, f.st.answers.Follow(ctx, msg.ID, func(ev orchestrator.Event) bool {
		ans.events = append(ans.events, ev)
		switch ev.Type {
		case orchestrator.EventStepResult:
			ans.steps = append(ans.steps, *ev.Step)
		case orchestrator.EventActionProposed:
			ans.actions = append(ans.actions, *ev.Action)
		case orchestrator.EventDone:
			ans.text, ans.citations = ev.Text, ev.Citations
			return false
		case orchestrator.EventError:
			t.Fatalf("ask %q failed: %s", query, ev.Error)
		}
		return true
	}))
	require.NotEmpty(t, ans.events)
	require.Equal(t, orchestrator.EventDone, ans.events[len(ans.events)-1].Type, "ask %q", query)
	ans.msg, err = f.a.store.Message(ctx, f.user.ID, msg.ID)
	require.NoError(t, err)
	t.Logf("ask %q:\n%s\nsteps: %s\nintent: %s", query, ans.text, ans.stepLine(), ans.msg.Intent)
	return ans
}

func (a answer) stepLine() string {
	var parts []string
	for _, s := range a.steps {
		line := s.StepID + " " + string(s.Service) + "." + string(s.Operation) + " " + string(s.Status)
		for _, it := range s.Output.Items {
			line += " [" + it.Title + "]"
		}
		if s.Error != "" {
			line += " (" + s.Error + ")"
		}
		parts = append(parts, line)
	}
	return strings.Join(parts, "; ")
}

// step is the result of the step of svc.op; the test fails without one.
func (a answer) step(t *testing.T, svc domain.Service, op string) executor.Result {
	t.Helper()
	for _, s := range a.steps {
		if s.Service == svc && string(s.Operation) == op {
			return s
		}
	}
	t.Fatalf("no %s.%s step in %s", svc, op, a.stepLine())
	return executor.Result{}
}

// titles are the items' titles.
func titles(items []agent.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Title
	}
	return out
}

// cited says whether the answer cites an item titled title.
func (a answer) cited(title string) bool {
	return slices.ContainsFunc(a.citations, func(c synth.Citation) bool { return c.Title == title })
}

// storedActions are the message's actions as persisted.
func storedActions(t *testing.T, msg domain.Message) []agent.Action {
	t.Helper()
	acts, err := orchestrator.ActionsOf(msg)
	require.NoError(t, err)
	return acts
}

// intentOf is the message's persisted intent.
func intentOf(t *testing.T, msg domain.Message) intent.Intent {
	t.Helper()
	in, err := orchestrator.IntentOf(msg)
	require.NoError(t, err)
	require.NotNil(t, in)
	return *in
}

// confirm confirms the answer's only proposed action of kind and returns it as recorded.
func (f *askEnv) confirm(t *testing.T, ans answer, kind agent.ActionKind) agent.Action {
	t.Helper()
	act := ans.onlyAction(t, kind)
	msg, err := f.st.orch.ConfirmAction(context.Background(), f.user.ID, ans.msg.ID, act.ID)
	require.NoError(t, err)
	for _, a := range storedActions(t, msg) {
		if a.ID == act.ID {
			require.Equal(t, agent.ActionExecuted, a.Status, a.Error)
			return a
		}
	}
	t.Fatalf("action %s not recorded", act.ID)
	return agent.Action{}
}

// onlyAction is the answer's one proposed action, of kind.
func (a answer) onlyAction(t *testing.T, kind agent.ActionKind) agent.Action {
	t.Helper()
	require.Len(t, a.actions, 1, "proposed actions of %q", a.msg.Query)
	act := a.actions[0]
	require.Equal(t, kind, act.Kind)
	require.Equal(t, agent.ActionProposed, act.Status)
	return act
}

// snapshot is the demo user's workspace as the emulator holds it now.
func (f *askEnv) snapshot(t *testing.T) emulator.Workspace {
	t.Helper()
	ws, err := f.emu.Snapshot(askUser)
	require.NoError(t, err)
	return ws
}

// event is the emulator's event id of the demo user, or false when gone.
func (f *askEnv) event(t *testing.T, id string) (emulator.Event, bool) {
	t.Helper()
	for _, e := range f.snapshot(t).Events {
		if e.ID == id {
			return e, true
		}
	}
	return emulator.Event{}, false
}

// eventsTitled are the emulator's events of the demo user titled title.
func (f *askEnv) eventsTitled(t *testing.T, title string) []emulator.Event {
	t.Helper()
	var out []emulator.Event
	for _, e := range f.snapshot(t).Events {
		if e.Summary == title {
			out = append(out, e)
		}
	}
	return out
}

// eventTitled is the emulator's one event titled title.
func (f *askEnv) eventTitled(t *testing.T, title string) emulator.Event {
	t.Helper()
	evs := f.eventsTitled(t, title)
	require.Len(t, evs, 1, title)
	return evs[0]
}

// fileNamed is the emulator's one file named name.
func (f *askEnv) fileNamed(t *testing.T, name string) emulator.File {
	t.Helper()
	var out []emulator.File
	for _, fl := range f.snapshot(t).Files {
		if fl.Name == name {
			out = append(out, fl)
		}
	}
	require.Len(t, out, 1, name)
	return out[0]
}

// requireUncached fails unless every event item is gone from the synced cache.
func (f *askEnv) requireUncached(t *testing.T, items []agent.Item) {
	t.Helper()
	require.NotEmpty(t, items)
	for _, it := range items {
		require.NotEqual(t, uuid.Nil, it.RowID, it.Title)
		_, err := f.a.store.Event(context.Background(), f.user.ID, it.RowID)
		require.ErrorIs(t, err, domain.ErrNotFound, "%q is still cached", it.Title)
	}
}

func TestAskEndToEnd(t *testing.T) {
	t.Parallel()
	f := setupAsk(t)
	week := func(it agent.Item) bool { // Monday 30 November to Sunday 6 December 2026, UTC
		return it.At.Before(time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)) && it.End.After(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	}

	// Faults hit every request of the user, so this runs before the others.
	t.Run("failed step beside a successful one", func(t *testing.T) {
		f.emu.SetFault(emulator.Fault{PathPrefix: "/gmail/v1/users/me/drafts", Status: 400})
		defer f.emu.ClearFaults()
		ans := f.ask(t, uuid.Nil, "Draft an email to sarah.chen@example.com about the Q1 budget and find the KEP about sidecar containers")
		draft := ans.step(t, domain.ServiceGmail, "draft")
		require.Equal(t, executor.StatusFailed, draft.Status)
		require.Contains(t, ans.text, "couldn't draft the email")
		// The offline parser reads this as "draft an email linking the KEP":
		// the draft depends on the search, which still succeeds and is reported.
		search := ans.step(t, domain.ServiceDrive, "search")
		require.Equal(t, executor.StatusSucceeded, search.Status)
		require.Contains(t, titles(search.Output.Items), "KEP-4438: Restarting sidecar containers during Pod termination")
		require.True(t, ans.cited("KEP-4438: Restarting sidecar containers during Pod termination"))
	})

	t.Run("gmail search", func(t *testing.T) {
		t.Parallel()
		ans := f.ask(t, uuid.Nil, "find emails from Sarah Chen about the budget")
		s := ans.step(t, domain.ServiceGmail, "search")
		require.Equal(t, executor.StatusSucceeded, s.Status)
		require.Contains(t, titles(s.Output.Items), "Q1 marketing budget draft")
		require.True(t, ans.cited("Q1 marketing budget draft"), ans.citations)
	})
	t.Run("latest emails leave drafts out", func(t *testing.T) {
		t.Parallel()
		for i := range agent.DefaultLimit + 1 { // more drafts than a listing shows, all newer than any mail
			ans := f.ask(t, uuid.Nil, fmt.Sprintf("Draft an email to sarah.chen@example.com about the offsite plan %d", i))
			require.Equal(t, executor.StatusSucceeded, ans.step(t, domain.ServiceGmail, "draft").Status)
		}
		ans := f.ask(t, uuid.Nil, "show my latest emails")
		s := ans.step(t, domain.ServiceGmail, "search")
		require.Equal(t, executor.StatusSucceeded, s.Status, s.Error)
		require.NotEmpty(t, s.Output.Items, "a user's newest drafts do not empty the listing")
		for _, it := range s.Output.Items {
			require.Equal(t, "email", it.Kind, it.Title)
		}
	})
	t.Run("gmail read", func(t *testing.T) {
		t.Parallel()
		ans := f.ask(t, uuid.Nil, "read the email about my Turkish Airlines booking")
		r := ans.step(t, domain.ServiceGmail, "read")
		require.Equal(t, executor.StatusSucceeded, r.Status, r.Error)
		require.Len(t, r.Output.Items, 1)
		require.Contains(t, r.Output.Items[0].Title, "Turkish Airlines booking confirmation")
		require.Contains(t, r.Output.Items[0].Body, "X7K2QZ")
		require.Contains(t, ans.text, "X7K2QZ", "the answer shows what the mail says")
	})
	t.Run("gmail draft then send", func(t *testing.T) {
		t.Parallel()
		ans := f.ask(t, uuid.Nil, "Draft an email to sarah.chen@example.com about the budget review agenda")
		d := ans.step(t, domain.ServiceGmail, "draft")
		require.Equal(t, executor.StatusSucceeded, d.Status, d.Error)
		require.Len(t, d.Output.Items, 1)
		draftID := d.Output.Items[0].ID
		require.Empty(t, ans.actions, "a draft sends nothing")

		sent := f.ask(t, ans.msg.ConversationID, "send it")
		act := sent.onlyAction(t, agent.ActionSendEmail)
		require.Equal(t, []string{draftID}, act.Targets)
		done := f.confirm(t, sent, agent.ActionSendEmail)
		require.NotNil(t, done.Item)
		ws, err := f.emu.Snapshot(askUser)
		require.NoError(t, err)
		// Other subtests draft at the same time: find the sent message by its id.
		i := slices.IndexFunc(ws.Messages, func(m emulator.Message) bool { return m.ID == done.Item.ID })
		require.GreaterOrEqual(t, i, 0, "the sent message %s is in the mailbox", done.Item.ID)
		require.Contains(t, ws.Messages[i].LabelIDs, "SENT")
		require.Contains(t, string(ws.Messages[i].Raw), "sarah.chen@example.com")
	})

	t.Run("calendar search next week", func(t *testing.T) {
		t.Parallel()
		ans := f.ask(t, uuid.Nil, "what's on my calendar next week")
		s := ans.step(t, domain.ServiceCalendar, "search")
		require.Equal(t, executor.StatusSucceeded, s.Status)
		var want []string // next week's events, in order
		for _, e := range f.snapshot(t).Events {
			if week(agent.Item{At: e.Start, End: e.End}) {
				want = append(want, e.Summary)
			}
		}
		require.NotEmpty(t, want)
		t.Logf("%d events next week: %q", len(want), want)
		require.Len(t, s.Output.Items, len(want), "the whole week")
		for _, it := range s.Output.Items {
			require.True(t, week(it), "%q at %s is not next week", it.Title, it.At)
		}
		require.NotEmpty(t, ans.citations)
		for _, c := range ans.citations {
			require.Contains(t, titles(s.Output.Items), c.Title)
		}
	})
	t.Run("calendar search lists the whole week", func(t *testing.T) {
		t.Parallel()
		ans := f.ask(t, uuid.Nil, "what's on my calendar next week")
		var want []string
		for _, e := range f.snapshot(t).Events {
			if week(agent.Item{At: e.Start, End: e.End}) {
				want = append(want, e.Summary)
			}
		}
		require.Equal(t, want, titles(ans.step(t, domain.ServiceCalendar, "search").Output.Items))
	})
	t.Run("calendar create", func(t *testing.T) {
		t.Parallel()
		ans := f.ask(t, uuid.Nil, "Schedule a meeting with sarah.chen@example.com on December 15 at 3pm about the marketing plan")
		act := ans.onlyAction(t, agent.ActionCreateEvent)
		title := "Meeting with sarah.chen@example.com: the marketing plan"
		require.Empty(t, f.eventsTitled(t, title), "nothing is created before confirmation")
		done := f.confirm(t, ans, agent.ActionCreateEvent)
		evs := f.eventsTitled(t, title)
		require.Len(t, evs, 1, act.Summary)
		_, err := time.LoadLocation(evs[0].TimeZone)
		require.NoError(t, err)
		require.NotEmpty(t, evs[0].TimeZone)
		require.Equal(t, time.Date(2026, 12, 15, 15, 0, 0, 0, time.UTC), evs[0].Start.UTC())
		require.NotNil(t, done.Item)
		require.Equal(t, evs[0].ID, done.Item.ID)
		cached, _, err := f.a.store.Events(context.Background(), f.user.ID,
			domain.Filter{After: evs[0].Start, Before: evs[0].End}, domain.Page{First: 50})
		require.NoError(t, err)
		require.True(t, slices.ContainsFunc(cached, func(e domain.Event) bool { return e.EventID == evs[0].ID }),
			"written to the cache at once")
		// Confirming again executes nothing more.
		_, err = f.st.orch.ConfirmAction(context.Background(), f.user.ID, ans.msg.ID, act.ID)
		require.NoError(t, err)
		require.Len(t, f.eventsTitled(t, title), 1)
	})
	t.Run("calendar update", func(t *testing.T) {
		t.Parallel()
		ans := f.ask(t, uuid.Nil, "Move the Q1 budget review to 4pm")
		act := ans.onlyAction(t, agent.ActionUpdateEvent)
		before := f.eventTitled(t, "Q1 budget review with Sarah")
		require.Equal(t, []string{before.ID}, act.Targets, act.Summary)
		require.Equal(t, 13, before.Start.UTC().Hour())
		require.Contains(t, act.Summary, "to Wed Dec 9 2026 16:00–17:00 UTC")
		f.confirm(t, ans, agent.ActionUpdateEvent)
		after, ok := f.event(t, before.ID)
		require.True(t, ok)
		// The user's 4pm (the user reads UTC; the event was made in Berlin), as proposed.
		require.Equal(t, time.Date(2026, 12, 9, 16, 0, 0, 0, time.UTC), after.Start.UTC())
		require.Equal(t, time.Hour, after.End.Sub(after.Start), "keeps its length")
		require.NotEmpty(t, after.TimeZone)
	})
	t.Run("calendar delete", func(t *testing.T) {
		t.Parallel()
		ans := f.ask(t, uuid.Nil, "Delete the dentist appointment")
		act := ans.onlyAction(t, agent.ActionDeleteEvent)
		dentist := f.eventTitled(t, "Dentist appointment")
		require.Equal(t, []string{dentist.ID}, act.Targets, "nothing is deleted before confirmation")
		f.confirm(t, ans, agent.ActionDeleteEvent)
		_, ok := f.event(t, dentist.ID)
		require.False(t, ok)
		f.requireUncached(t, ans.step(t, domain.ServiceCalendar, "delete").Output.Items)
	})

	t.Run("drive search", func(t *testing.T) {
		t.Parallel()
		ans := f.ask(t, uuid.Nil, "find the KEP about sidecar containers")
		s := ans.step(t, domain.ServiceDrive, "search")
		require.NotEmpty(t, s.Output.Items)
		require.Contains(t, strings.ToLower(s.Output.Items[0].Title), "sidecar")
		require.True(t, ans.cited(s.Output.Items[0].Title))
	})
	t.Run("drive read", func(t *testing.T) {
		t.Parallel()
		ans := f.ask(t, uuid.Nil, "Open the sidecar containers KEP")
		r := ans.step(t, domain.ServiceDrive, "read")
		require.Equal(t, executor.StatusSucceeded, r.Status, r.Error)
		require.Len(t, r.Output.Items, 1)
		require.Contains(t, strings.ToLower(r.Output.Items[0].Title), "sidecar")
		require.Contains(t, strings.ToLower(r.Output.Items[0].Body), "sidecar")
	})
	t.Run("drive share", func(t *testing.T) {
		t.Parallel()
		const query = "Share KEP-753 Sidecar Containers with bob@example.com"
		ans := f.ask(t, uuid.Nil, query)
		act := ans.onlyAction(t, agent.ActionShareFile)
		require.Equal(t, []string{f.fileNamed(t, "KEP-753: Sidecar Containers").ID}, act.Targets)
		count := func() int {
			perms, err := f.st.drive.Permissions(context.Background(), f.user.ID, act.Targets[0])
			require.NoError(t, err)
			n := 0
			for _, p := range perms {
				if p.Email == "bob@example.com" {
					n++
				}
			}
			return n
		}
		require.Zero(t, count(), "nothing is shared before confirmation")
		f.confirm(t, ans, agent.ActionShareFile)
		require.Equal(t, 1, count())
		f.confirm(t, ans, agent.ActionShareFile) // confirming again changes nothing
		require.Equal(t, 1, count())
		// A retried confirmation (the same action re-run) creates no second permission.
		again := f.ask(t, uuid.Nil, query)
		f.confirm(t, again, agent.ActionShareFile)
		require.Equal(t, 1, count())
	})

	t.Run("cancel the Turkish Airlines flight", func(t *testing.T) {
		t.Parallel()
		ans := f.ask(t, uuid.Nil, "Cancel my Turkish Airlines flight")
		mail := ans.step(t, domain.ServiceGmail, "search")
		require.Contains(t, titles(mail.Output.Items), "Your Turkish Airlines booking confirmation: TK 1234 Istanbul - Berlin")
		cal := ans.step(t, domain.ServiceCalendar, "search")
		require.Equal(t, []string{"Flight TK 1234 Istanbul -> Berlin"}, titles(cal.Output.Items))
		act := ans.onlyAction(t, agent.ActionDeleteEvent)
		flight := f.eventTitled(t, "Flight TK 1234 Istanbul -> Berlin")
		require.Equal(t, []string{flight.ID}, act.Targets)
		require.Contains(t, act.Summary, "Flight TK 1234 Istanbul -> Berlin")
		require.Contains(t, ans.text, "Nothing has been changed yet")
		_, ok := f.event(t, flight.ID)
		require.True(t, ok, "nothing is executed before confirmation")

		// Asked again and rejected: still nothing happens, and it cannot be confirmed.
		other := f.ask(t, uuid.Nil, "Cancel my Turkish Airlines flight")
		rej := other.onlyAction(t, agent.ActionDeleteEvent)
		require.Equal(t, act.Targets, rej.Targets)
		_, err := f.st.orch.RejectAction(context.Background(), f.user.ID, other.msg.ID, rej.ID)
		require.NoError(t, err)
		_, err = f.st.orch.ConfirmAction(context.Background(), f.user.ID, other.msg.ID, rej.ID)
		require.ErrorIs(t, err, domain.ErrConflict)
		_, ok = f.event(t, flight.ID)
		require.True(t, ok, "a rejected action never runs")

		f.confirm(t, ans, agent.ActionDeleteEvent)
		_, ok = f.event(t, flight.ID)
		require.False(t, ok, "confirmed: the event is gone from the calendar")
		f.requireUncached(t, cal.Output.Items)
	})

	t.Run("multi-service", func(t *testing.T) {
		t.Parallel()
		ans := f.ask(t, uuid.Nil, "find emails from Sarah Chen about the budget and my meetings with her")
		mail := ans.step(t, domain.ServiceGmail, "search")
		require.Contains(t, titles(mail.Output.Items), "Q1 marketing budget draft")
		cal := ans.step(t, domain.ServiceCalendar, "search")
		require.Equal(t, executor.StatusSucceeded, cal.Status)
		require.Contains(t, titles(cal.Output.Items), "Q1 budget review with Sarah")
		for _, st := range intentOf(t, ans.msg).Steps {
			for _, p := range [][]string{st.Params.Strings(intent.ParamFrom), st.Params.Strings(intent.ParamAttendees)} {
				require.Subset(t, []string{"sarah.chen@example.com"}, p, `only Sarah Chen is named; "her" is no name`)
			}
		}
	})
	t.Run("compound request", func(t *testing.T) {
		t.Parallel()
		ans := f.ask(t, uuid.Nil, "what's on my calendar next week and any emails from Sarah Chen about the budget")
		cal := ans.step(t, domain.ServiceCalendar, "search")
		require.NotEmpty(t, cal.Output.Items)
		for _, it := range cal.Output.Items {
			require.True(t, week(it), "%q at %s is not next week", it.Title, it.At)
		}
		mail := ans.step(t, domain.ServiceGmail, "search")
		require.Contains(t, titles(mail.Output.Items), "Q1 marketing budget draft", "next week's dates stay with the calendar part")
		for _, it := range mail.Output.Items {
			require.Equal(t, "sarah.chen@example.com", it.People[0], it.Title)
		}
	})
	t.Run("reply to and forward an email shown earlier", func(t *testing.T) {
		t.Parallel()
		found := f.ask(t, uuid.Nil, "find emails from Sarah Chen about the budget")
		mails := found.step(t, domain.ServiceGmail, "search").Output.Items
		require.NotEmpty(t, mails)

		reply := f.ask(t, found.msg.ConversationID, "reply to the first one saying thanks, looks good")
		d := reply.step(t, domain.ServiceGmail, "draft")
		require.Equal(t, executor.StatusSucceeded, d.Status, d.Error)
		require.Equal(t, []string{"sarah.chen@example.com"}, d.Output.Items[0].People, "a reply goes to the sender")
		require.Equal(t, "Re: "+mails[0].Title, d.Output.Items[0].Title)
		require.Contains(t, d.Output.Items[0].Body, "Thanks, looks good.")
		require.Equal(t, []string{d.Output.Items[0].ID}, reply.onlyAction(t, agent.ActionSendEmail).Targets, "sending waits for confirmation")

		one := f.ask(t, uuid.Nil, "the latest email from Sarah Chen")
		require.Len(t, one.step(t, domain.ServiceGmail, "search").Output.Items, 1)
		it := f.ask(t, one.msg.ConversationID, "forward it to bob@example.com")
		require.Equal(t, executor.StatusSucceeded, it.step(t, domain.ServiceGmail, "draft").Status)
		it.onlyAction(t, agent.ActionSendEmail)

		fwd := f.ask(t, found.msg.ConversationID, "forward the first one to bob@example.com")
		d = fwd.step(t, domain.ServiceGmail, "draft")
		require.Equal(t, executor.StatusSucceeded, d.Status, d.Error)
		require.Equal(t, []string{"bob@example.com"}, d.Output.Items[0].People)
		require.Equal(t, "Fwd: "+mails[0].Title, d.Output.Items[0].Title)
		require.Contains(t, d.Output.Items[0].Body, "Forwarded message")
		fwd.onlyAction(t, agent.ActionSendEmail)
	})
	t.Run("gmail search keeps only the sender asked for", func(t *testing.T) {
		t.Parallel()
		ans := f.ask(t, uuid.Nil, "find emails from Sarah Chen about the budget")
		for _, it := range ans.step(t, domain.ServiceGmail, "search").Output.Items {
			require.Equal(t, "sarah.chen@example.com", it.People[0], it.Title)
		}
	})
	t.Run("follow-ups", func(t *testing.T) {
		t.Parallel()
		first := f.ask(t, uuid.Nil, "emails about the budget this month")
		require.Contains(t, titles(first.step(t, domain.ServiceGmail, "search").Output.Items), "Q1 marketing budget draft")
		prev := f.ask(t, first.msg.ConversationID, "what about last month?")
		in := intentOf(t, prev.msg)
		require.Len(t, in.Steps, 1)
		require.Equal(t, domain.ServiceGmail, in.Steps[0].Service)
		after, _, err := in.Steps[0].Params.Time(intent.ParamAfter)
		require.NoError(t, err)
		before, _, err := in.Steps[0].Params.Time(intent.ParamBefore)
		require.NoError(t, err)
		require.Equal(t, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), after.UTC())
		require.Equal(t, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), before.UTC())
		require.NotContains(t, titles(prev.step(t, domain.ServiceGmail, "search").Output.Items), "Q1 marketing budget draft")

		cal := f.ask(t, uuid.Nil, "what's on my calendar next week")
		items := cal.step(t, domain.ServiceCalendar, "search").Output.Items
		require.GreaterOrEqual(t, len(items), 2)
		second := f.ask(t, cal.msg.ConversationID, "the second one")
		var got []string
		for _, s := range second.steps {
			got = append(got, titles(s.Output.Items)...)
		}
		require.Equal(t, []string{items[1].Title}, slices.Compact(got), "the second event of the earlier answer")
	})
	t.Run("clarifying question", func(t *testing.T) {
		t.Parallel()
		ans := f.ask(t, uuid.Nil, "Draft a reply to Sarah about the budget")
		in := intentOf(t, ans.msg)
		require.NotEmpty(t, in.Clarification)
		require.Contains(t, in.Clarification, "sarah.chen@example.com", "the user's own Sarah is a candidate")
		require.Empty(t, ans.steps, "nothing runs on a guess")
		require.Empty(t, ans.actions)
		require.Contains(t, ans.text, in.Clarification)
	})
}
