package synctest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/emulatortest"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

var day = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// htmlWithAttachment is a multipart message: an HTML body only, and a PDF.
const htmlWithAttachment = "From: \"Bob Stone\" <bob@example.com>\r\n" +
	"To: alice@example.com, \"Carol\" <carol@example.com>\r\n" +
	"Cc: dave@example.com\r\n" +
	"Subject: =?utf-8?q?Quarterly_r=C3=A9sum=C3=A9?=\r\n" +
	"Date: Mon, 02 Mar 2026 08:00:00 +0000\r\n" +
	"Message-ID: <q1@example.com>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=XX\r\n\r\n" +
	"--XX\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
	"<html><head><style>p{color:red}</style></head><body><p>Numbers are <b>up</b> &amp; fine.</p><script>x()</script></body></html>\r\n" +
	"--XX\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"q.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n" +
	"--XX--\r\n"

func workspace() emulator.Workspace {
	return emulator.Workspace{
		Messages: []emulator.Message{
			emulatortest.Mail("bob@example.com", alice, "Budget", "Please review the budget.", day.Add(-48*time.Hour), "INBOX", "UNREAD"),
			{Raw: []byte(htmlWithAttachment), LabelIDs: []string{"INBOX", "Finance"}, InternalDate: day.Add(-time.Hour)},
			emulatortest.Mail(alice, "bob@example.com", "Re: Budget", "Looks fine.", day.Add(-24*time.Hour), "SENT"),
		},
		Events: []emulator.Event{
			emulatortest.Event("Planning", day.Add(24*time.Hour), time.Hour, "bob@example.com", "carol@example.com"),
			{Summary: "Standup", Description: "Daily sync", Start: day.Add(48 * time.Hour), End: day.Add(48*time.Hour + 15*time.Minute), TimeZone: "Europe/Istanbul"},
		},
		Files: []emulator.File{
			emulatortest.Doc("Design doc", "The design of the sync engine.", day.Add(-72*time.Hour), "Projects"),
			emulatortest.TextFile("notes.txt", "Plain notes.", day.Add(-96*time.Hour)),
		},
	}
}

func byName[T any](items map[string]T, name func(T) string) map[string]T {
	out := map[string]T{}
	for _, it := range items {
		out[name(it)] = it
	}
	return out
}

func TestSyncWorkspaceEndToEnd(t *testing.T) {
	t.Parallel()
	e := setup(t, options{workspace: map[string]emulator.Workspace{alice: workspace()}})
	u := e.connect(t, alice)
	for _, s := range domain.Services {
		e.sync(t, u, s)
	}

	mails := byName(e.emails(t, u), func(m domain.Email) string { return m.Subject })
	require.Len(t, mails, 3)
	budget := mails["Budget"]
	require.Equal(t, "Please review the budget.", budget.Body)
	require.True(t, budget.Unread)
	require.Equal(t, "bob@example.com", budget.From.Email)
	require.Len(t, budget.MessageIDs, 1)
	full, err := e.store.Email(context.Background(), u.ID, budget.ID)
	require.NoError(t, err)
	require.Len(t, full.Embedding.Values, domain.EmbeddingDim)
	require.Equal(t, e.embedder.Model(), full.Embedding.Model)

	q := mails["Quarterly résumé"]
	require.True(t, q.HasAttachment)
	require.False(t, q.Unread)
	require.Equal(t, "Numbers are up & fine.", q.Body)
	require.Equal(t, domain.Address{Name: "Bob Stone", Email: "bob@example.com"}, q.From)
	require.Equal(t, []domain.Address{{Email: "alice@example.com"}, {Name: "Carol", Email: "carol@example.com"}}, q.To)
	require.Equal(t, []domain.Address{{Email: "dave@example.com"}}, q.Cc)
	require.Equal(t, []string{"<q1@example.com>"}, q.MessageIDs)
	require.Contains(t, q.Labels, "Finance")
	require.Contains(t, q.Labels, "INBOX")

	events := byName(e.events(t, u), func(ev domain.Event) string { return ev.Title })
	require.Len(t, events, 2)
	require.Equal(t, "Europe/Istanbul", events["Standup"].TimeZone)
	require.True(t, events["Standup"].Start.Equal(day.Add(48*time.Hour)))
	require.Len(t, events["Planning"].Attendees, 2)
	ev, err := e.store.Event(context.Background(), u.ID, events["Planning"].ID)
	require.NoError(t, err)
	require.Len(t, ev.Embedding.Values, domain.EmbeddingDim)

	files := byName(e.files(t, u), func(f domain.File) string { return f.Name })
	require.Len(t, files, 2)
	require.Equal(t, "The design of the sync engine.", files["Design doc"].Content)
	require.Equal(t, "Projects", files["Design doc"].ParentFolder)
	require.Equal(t, "Plain notes.", files["notes.txt"].Content)

	for _, s := range domain.Services {
		st := e.status(t, u, s)
		require.Equal(t, domain.SyncIdle, st.State, s)
		require.NotEmpty(t, st.Token, s)
		require.Empty(t, st.Checkpoint, s)
		require.False(t, st.LastSyncAt.IsZero(), s)
	}
	require.Equal(t, 3, e.status(t, u, domain.ServiceGmail).ItemCount)
	require.Equal(t, 2, e.status(t, u, domain.ServiceCalendar).ItemCount)
}

func TestIncrementalSyncPropagatesEveryKindOfChange(t *testing.T) {
	t.Parallel()
	e := setup(t, options{workspace: map[string]emulator.Workspace{alice: workspace()}})
	u := e.connect(t, alice)
	for _, s := range domain.Services {
		e.sync(t, u, s)
	}
	ids := func(m map[string]domain.Email) map[string]string {
		out := map[string]string{}
		for id, x := range m {
			out[x.Subject] = id
		}
		return out
	}(e.emails(t, u))
	evIDs := map[string]string{}
	for id, ev := range e.events(t, u) {
		evIDs[ev.Title] = id
	}
	fileIDs := map[string]string{}
	for id, f := range e.files(t, u) {
		fileIDs[f.Name] = id
	}

	// Gmail: a new message, a relabelled one, a trashed one, a deleted one.
	require.NoError(t, e.emu.AddWorkspace(alice, emulator.Workspace{Messages: []emulator.Message{
		emulatortest.Mail("erin@example.com", alice, "Offsite", "Where shall we go?", day, "INBOX", "UNREAD"),
	}}))
	require.NoError(t, e.emu.ModifyLabels(alice, ids["Budget"], []string{"STARRED"}, []string{"UNREAD"}))
	require.NoError(t, e.emu.TrashMessage(alice, ids["Re: Budget"]))
	require.NoError(t, e.emu.DeleteMessage(alice, ids["Quarterly résumé"]))
	// Calendar: a deleted event and a new one.
	require.NoError(t, e.emu.DeleteEvent(alice, evIDs["Standup"]))
	require.NoError(t, e.emu.AddWorkspace(alice, emulator.Workspace{Events: []emulator.Event{
		emulatortest.Event("Retro", day.Add(72*time.Hour), time.Hour, "erin@example.com"),
	}}))
	// Drive: a renamed file and a deleted one.
	require.NoError(t, e.emu.RenameFile(alice, fileIDs["Design doc"], "Design doc v2"))
	require.NoError(t, e.emu.DeleteFile(alice, fileIDs["notes.txt"]))

	tokens := map[domain.Service]string{}
	for _, s := range domain.Services {
		tokens[s] = e.status(t, u, s).Token
		e.sync(t, u, s)
		require.NotEqual(t, tokens[s], e.status(t, u, s).Token, "%s token moved on", s)
	}

	mails := byName(e.emails(t, u), func(m domain.Email) string { return m.Subject })
	require.Equal(t, []string{"Budget", "Offsite"}, sortedKeys(mails))
	require.False(t, mails["Budget"].Unread)
	require.Contains(t, mails["Budget"].Labels, "STARRED")
	require.True(t, mails["Offsite"].Unread)
	offsite, err := e.store.Email(context.Background(), u.ID, mails["Offsite"].ID)
	require.NoError(t, err)
	require.Len(t, offsite.Embedding.Values, domain.EmbeddingDim)

	events := byName(e.events(t, u), func(ev domain.Event) string { return ev.Title })
	require.Equal(t, []string{"Planning", "Retro"}, sortedKeys(events))

	files := e.files(t, u)
	require.Len(t, files, 1)
	require.Equal(t, "Design doc v2", files[fileIDs["Design doc"]].Name)

	// A trashed Drive file stays cached, marked trashed.
	require.NoError(t, e.emu.TrashFile(alice, fileIDs["Design doc"]))
	e.sync(t, u, domain.ServiceDrive)
	require.True(t, e.files(t, u)[fileIDs["Design doc"]].Trashed)
	require.Equal(t, 2, e.status(t, u, domain.ServiceGmail).ItemCount)
}

func TestExpiredSyncTokensFallBackToFullResync(t *testing.T) {
	t.Parallel()
	e := setup(t, options{workspace: map[string]emulator.Workspace{alice: workspace()}})
	u := e.connect(t, alice)
	e.sync(t, u, domain.ServiceGmail)
	e.sync(t, u, domain.ServiceCalendar)
	oldGmail, oldCal := e.status(t, u, domain.ServiceGmail).Token, e.status(t, u, domain.ServiceCalendar).Token

	// Gmail answers 404 for the old history id, Calendar 410 for the old sync token.
	require.NoError(t, e.emu.ResetHistory(alice))
	require.NoError(t, e.emu.AddWorkspace(alice, emulator.Workspace{
		Messages: []emulator.Message{emulatortest.Mail("erin@example.com", alice, "After reset", "Hi", day, "INBOX")},
		Events:   []emulator.Event{emulatortest.Event("After reset", day.Add(96*time.Hour), time.Hour)},
	}))
	e.sync(t, u, domain.ServiceGmail)
	e.sync(t, u, domain.ServiceCalendar)

	require.Len(t, e.emails(t, u), 4)
	require.Len(t, e.events(t, u), 3)
	gs, cs := e.status(t, u, domain.ServiceGmail), e.status(t, u, domain.ServiceCalendar)
	require.NotEqual(t, oldGmail, gs.Token)
	require.NotEqual(t, oldCal, cs.Token)
	require.Equal(t, 4, gs.ItemCount)
	require.Equal(t, 3, cs.ItemCount)

	// And the new tokens work incrementally again.
	require.NoError(t, e.emu.AddWorkspace(alice, emulator.Workspace{Messages: []emulator.Message{
		emulatortest.Mail("erin@example.com", alice, "Later", "Hi again", day.Add(time.Hour), "INBOX"),
	}}))
	e.sync(t, u, domain.ServiceGmail)
	require.Len(t, e.emails(t, u), 5)
}

func TestKilledSyncResumesWithoutDuplicatesOrGaps(t *testing.T) {
	t.Parallel()
	var ws emulator.Workspace
	for i := range 23 {
		ws.Messages = append(ws.Messages, emulatortest.Mail("bob@example.com", alice,
			fmt.Sprintf("Message %02d", i), "Body", day.Add(-time.Duration(i)*time.Hour), "INBOX"))
	}
	e := setup(t, options{pageSize: 5, workspace: map[string]emulator.Workspace{alice: ws}})
	u := e.connect(t, alice)

	// The worker dies once two pages are committed: its context is cancelled
	// while it fetches the third (every fetch is slowed down to make room).
	ctx, cancel := context.WithCancel(context.Background())
	e.emu.SetFault(emulator.Fault{PathPrefix: "/gmail/v1/users/me/messages/", Delay: 200 * time.Millisecond})
	go func() {
		defer cancel()
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			st, err := e.store.SyncStatus(context.Background(), u.ID, domain.ServiceGmail)
			if err == nil && st.ItemCount >= 10 {
				return
			}
		}
	}()
	err := e.syncer.Sync(ctx, u.ID, domain.ServiceGmail)
	require.ErrorIs(t, err, context.Canceled)
	e.emu.ClearFaults()

	mid := e.status(t, u, domain.ServiceGmail)
	require.Equal(t, domain.SyncRunning, mid.State, "cut short is no failure: the job goes on")
	require.NotEmpty(t, mid.Checkpoint, "the sync stopped mid-way, at a checkpoint")
	require.Equal(t, mid.ItemCount, len(e.emails(t, u)), "what was committed is what the checkpoint says")
	require.Less(t, mid.ItemCount, 23)

	// A mail arriving between the crash and the restart is not lost either.
	require.NoError(t, e.emu.AddWorkspace(alice, emulator.Workspace{Messages: []emulator.Message{
		emulatortest.Mail("erin@example.com", alice, "Late", "Hi", day, "INBOX"),
	}}))
	e.sync(t, u, domain.ServiceGmail) // resumes the full sync
	e.sync(t, u, domain.ServiceGmail) // then replays the history since it began

	got := e.emails(t, u)
	want := e.snapshot(t, alice).Messages
	require.Len(t, got, len(want))
	for _, m := range want {
		require.Contains(t, got, m.ID)
	}
	require.Equal(t, 24, e.status(t, u, domain.ServiceGmail).ItemCount)
}

func sortedKeys[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
