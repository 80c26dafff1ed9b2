package importer_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/importer"
)

func loadTestdata(t *testing.T, name string) string {
	t.Helper()
	return filepath.Join("testdata", name)
}

func loadOpen(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(loadTestdata(t, name))
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

// loadByID finds the message holding a Message-ID.
func loadByID(t *testing.T, msgs []emulator.Message, id string) emulator.Message {
	t.Helper()
	for _, m := range msgs {
		for _, mid := range m.MessageIDs {
			if mid == id {
				return m
			}
		}
	}
	require.Failf(t, "no message", "Message-ID %s", id)
	return emulator.Message{}
}

func loadErrPaths(errs []importer.LoadError) []string {
	var out []string
	for _, e := range errs {
		out = append(out, filepath.ToSlash(e.Path))
	}
	return out
}

func TestLoadMaildir(t *testing.T) {
	t.Parallel()
	ws, errs, err := importer.LoadMaildir(loadTestdata(t, "maildir"))
	require.NoError(t, err)

	// The header-less file is reported by name and skipped; tmp/ is never read.
	require.Len(t, errs, 1)
	require.True(t, strings.HasSuffix(filepath.ToSlash(errs[0].Path), "maildir/inbox/3_"), errs[0].Path)
	require.Contains(t, errs[0].Reason, "malformed")

	// a1 (inbox) and a2 (projects) are one message: same sender, Date, subject
	// and body once white space is normalised. b1 has the same text but
	// another Date, so it stays apart.
	require.Len(t, ws.Messages, 7)
	a := loadByID(t, ws.Messages, "<a1@example.com>")
	require.Equal(t, []string{"<a1@example.com>", "<a2@example.com>"}, a.MessageIDs)
	require.ElementsMatch(t, []string{"INBOX", "projects"}, a.LabelIDs)
	require.Contains(t, string(a.Raw), "X-Folder: Inbox", "the first copy in path order is kept")
	require.Equal(t, time.Date(2001, 5, 15, 2, 36, 0, 0, time.UTC), a.InternalDate.UTC())

	b := loadByID(t, ws.Messages, "<b1@example.com>")
	require.Equal(t, []string{"<b1@example.com>"}, b.MessageIDs)
	require.Equal(t, []string{"INBOX"}, loadByID(t, ws.Messages, "<e1@example.com>").LabelIDs, "top-level files are INBOX")
	require.Equal(t, []string{"Archive/2001"}, loadByID(t, ws.Messages, "<c1@example.com>").LabelIDs, "Maildir++ folder")
	require.Equal(t, []string{"SENT", "UNREAD"}, loadByID(t, ws.Messages, "<d1@example.com>").LabelIDs, "in new/: unseen")
	require.Equal(t, []string{"INBOX", "UNREAD"}, loadByID(t, ws.Messages, "<g1@example.com>").LabelIDs)
	require.Equal(t, []string{"projects", "UNREAD", "STARRED"}, loadByID(t, ws.Messages, "<f1@example.com>").LabelIDs, "flags F and R, no S")
}

func TestLoadMaildirEnronFolders(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, folder := range []string{"inbox", "_sent", "sent_items", "deleted_items", "all_documents"} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, folder), 0o755))
		raw := "Message-ID: <" + folder + "@x>\nDate: Mon, 14 May 2001 19:36:00 -0700\nFrom: a@x\nSubject: " + folder + "\n\nbody\n"
		require.NoError(t, os.WriteFile(filepath.Join(dir, folder, "1_"), []byte(raw), 0o644))
	}
	ws, errs, err := importer.LoadMaildir(dir)
	require.NoError(t, err)
	require.Empty(t, errs)
	labels := map[string][]string{}
	for _, m := range ws.Messages {
		labels[m.MessageIDs[0]] = m.LabelIDs
	}
	require.Equal(t, map[string][]string{
		"<inbox@x>": {"INBOX"}, "<_sent@x>": {"SENT"}, "<sent_items@x>": {"SENT"},
		"<deleted_items@x>": {"TRASH"}, "<all_documents@x>": {"all_documents"},
	}, labels)
}

func TestLoadMaildirMissing(t *testing.T) {
	t.Parallel()
	_, _, err := importer.LoadMaildir(filepath.Join(t.TempDir(), "nope"))
	require.Error(t, err)
}

func TestLoadEML(t *testing.T) {
	t.Parallel()
	ws, errs, err := importer.LoadEML(loadTestdata(t, "eml"))
	require.NoError(t, err)
	require.Equal(t, []string{"testdata/eml/sub/bad.eml"}, loadErrPaths(errs))
	require.Len(t, ws.Messages, 2)
	require.Equal(t, []string{"INBOX"}, loadByID(t, ws.Messages, "<c1@example.com>").LabelIDs)
	require.Equal(t, []string{"sub"}, loadByID(t, ws.Messages, "<d1@example.com>").LabelIDs, "no maildir flags in .eml folders")
}

func TestLoadMbox(t *testing.T) {
	t.Parallel()
	ws, errs, err := importer.LoadMbox(loadOpen(t, "takeout.mbox"))
	require.NoError(t, err)
	require.Equal(t, []string{"#34"}, loadErrPaths(errs), "the header-less message, by its line")
	require.Len(t, ws.Messages, 2)

	m := loadByID(t, ws.Messages, "<m1@example.com>")
	require.Equal(t, []string{"<m1@example.com>", "<m2@example.com>"}, m.MessageIDs)
	require.Equal(t, []string{"INBOX", "CATEGORY_UPDATES", "Work, 2024", "STARRED", "SENT"}, m.LabelIDs)
	require.Equal(t, "18d04086da660001", m.ThreadID, "X-GM-THRID 1788000000000000001 in hex")
	raw := string(m.Raw)
	require.NotContains(t, raw, "X-Gmail-Labels")
	require.NotContains(t, raw, "X-GM-THRID")
	require.True(t, strings.HasPrefix(raw, "Message-ID: <m1@example.com>\n"), raw)
	require.Contains(t, raw, "\n\nFrom the notes of last week:\n>From here on, quoted twice.\nFrom then on")
	require.True(t, strings.HasSuffix(raw, "Dana\n"), "the separator line is not part of the message")

	require.Equal(t, []string{"INBOX"}, loadByID(t, ws.Messages, "<m3@example.com>").LabelIDs, "no X-Gmail-Labels: INBOX")
}

func TestLoadMboxNoBlankSeparator(t *testing.T) {
	t.Parallel()
	mbox := "From 1@xxx Mon Jan 15 10:00:00 +0000 2024\r\nMessage-ID: <x@example.com>\r\nFrom: a@example.com\r\n\r\nFirst.\r\n" +
		"From 2@xxx Mon Jan 15 11:00:00 +0000 2024\r\nMessage-ID: <y@example.com>\r\nFrom: a@example.com\r\n\r\nFrom the second.\r\n"
	ws, errs, err := importer.LoadMbox(strings.NewReader(mbox))
	require.NoError(t, err)
	require.Empty(t, errs)
	require.Len(t, ws.Messages, 2)
	require.True(t, strings.HasSuffix(string(ws.Messages[0].Raw), "\r\n\r\nFirst.\r\n"), "no line lost")
	require.True(t, strings.HasSuffix(string(ws.Messages[1].Raw), "\r\n\r\nFrom the second.\r\n"), "an unquoted body line is no From_ line")
	require.Equal(t, time.Date(2024, 1, 15, 11, 0, 0, 0, time.UTC), ws.Messages[1].InternalDate.UTC(), "no Date header: the From_ line's")
}

func TestLoadMboxNotMbox(t *testing.T) {
	t.Parallel()
	_, _, err := importer.LoadMbox(strings.NewReader("Subject: hi\n\nnot an mbox\n"))
	require.Error(t, err)
}

func TestWriteMboxRoundTrip(t *testing.T) {
	t.Parallel()
	ws, _, err := importer.LoadMaildir(loadTestdata(t, "maildir"))
	require.NoError(t, err)
	ws.Messages[0].Raw = append(ws.Messages[0].Raw, "\r\nFrom here on, a line mbox must quote.\r\n"...)
	ws.Messages[0].ThreadID = "18d04086da660001"

	var buf bytes.Buffer
	require.NoError(t, importer.WriteMbox(&buf, ws.Messages))
	back, errs, err := importer.LoadMbox(&buf)
	require.NoError(t, err)
	require.Empty(t, errs)
	require.Len(t, back.Messages, len(ws.Messages))
	for i, m := range ws.Messages {
		require.Equal(t, string(m.Raw), string(back.Messages[i].Raw))
		require.Equal(t, m.LabelIDs, back.Messages[i].LabelIDs)
		require.Equal(t, m.MessageIDs, back.Messages[i].MessageIDs)
		require.Equal(t, m.ThreadID, back.Messages[i].ThreadID)
		require.True(t, m.InternalDate.Equal(back.Messages[i].InternalDate))
	}
}

func TestLoadICS(t *testing.T) {
	t.Parallel()
	ws, errs, err := importer.LoadICS(loadOpen(t, "calendar.ics"))
	require.NoError(t, err)
	require.Equal(t, []string{"#mars@example.com"}, loadErrPaths(errs), "unknown zone reported and skipped")
	require.Len(t, ws.Events, 6)
	byName := map[string]emulator.Event{}
	for _, e := range ws.Events {
		byName[e.Summary] = e
	}

	standup := byName["Standup"]
	require.Equal(t, "Europe/Berlin", standup.TimeZone)
	require.Equal(t, time.Date(2024, 3, 11, 8, 30, 0, 0, time.UTC), standup.Start.UTC(), "09:30 CET")
	require.Equal(t, 15*time.Minute, standup.End.Sub(standup.Start))
	require.Equal(t, []string{"RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR", "EXDATE;TZID=Europe/Berlin:20240313T093000"}, standup.Recurrence)
	require.Equal(t, "ana@example.com", standup.Organizer)
	require.Equal(t, []emulator.Attendee{
		{Email: "ana@example.com", DisplayName: "Ana", ResponseStatus: "accepted", Organizer: true},
		{Email: "ben@example.com", DisplayName: "Ben", ResponseStatus: "tentative"},
	}, standup.Attendees)
	require.Equal(t, "Room 1", standup.Location)
	require.Equal(t, "Daily sync, short.", standup.Description)
	require.Equal(t, "confirmed", standup.Status)

	holiday := byName["Holiday"]
	require.True(t, holiday.AllDay)
	require.Equal(t, "tentative", holiday.Status)
	require.Equal(t, 24*time.Hour, holiday.End.Sub(holiday.Start))

	lunch := byName["Lunch"]
	require.Equal(t, "America/New_York", lunch.TimeZone, "floating time in the calendar's X-WR-TIMEZONE")
	require.Equal(t, time.Date(2024, 4, 2, 16, 0, 0, 0, time.UTC), lunch.Start.UTC())
	require.Equal(t, time.Hour, lunch.End.Sub(lunch.Start))

	require.Equal(t, "UTC", byName["Call"].TimeZone)
	require.Equal(t, "Europe/Berlin", byName["Outlook review"].TimeZone, "Windows zone name")
	require.Equal(t, time.Date(2024, 4, 4, 12, 0, 0, 0, time.UTC), byName["Outlook review"].Start.UTC())
	require.Equal(t, "America/Argentina/Buenos_Aires", byName["Lightning sync"].TimeZone)
}

func TestLoadICSMalformed(t *testing.T) {
	t.Parallel()
	_, _, err := importer.LoadICS(strings.NewReader("BEGIN:VCALENDAR\nthis is no content line\n"))
	require.Error(t, err)
}

func TestLoadEventsJSONL(t *testing.T) {
	t.Parallel()
	series, serr, err := importer.LoadRecurringSeries(loadOpen(t, "recurring.jsonl"))
	require.NoError(t, err)
	require.Equal(t, []string{"#6"}, loadErrPaths(serr), "the series in an unknown zone")
	require.Len(t, series, 5)

	ws, errs, err := importer.LoadEventsJSONL(loadOpen(t, "meetings.jsonl"), series)
	require.NoError(t, err)
	require.Equal(t, []string{"#3", "#4"}, loadErrPaths(errs))
	require.Len(t, ws.Events, 2)

	node := ws.Events[0]
	require.Equal(t, "b56f3b3eae3452d189f0cf41f1c355ec", node.ID)
	require.Equal(t, "SIG Node meeting", node.Summary)
	require.Equal(t, "America/Los_Angeles", node.TimeZone, "from the Node series")
	require.Equal(t, time.Date(2024, 3, 12, 17, 0, 0, 0, time.UTC), node.Start.UTC(), "10:00 PDT")
	require.Equal(t, time.Hour, node.End.Sub(node.Start))
	require.Equal(t, []emulator.Attendee{
		{DisplayName: "Derek Carr", ResponseStatus: "accepted"},
		{DisplayName: "Sergey Kanzhelev", ResponseStatus: "accepted"},
	}, node.Attendees)
	require.Contains(t, node.Description, "* KEP-127 user namespaces")
	require.Contains(t, node.Description, "Attendees: Derek Carr, Sergey Kanzhelev")
	require.Equal(t, "confirmed", node.Status)

	community := ws.Events[1]
	require.Equal(t, time.Date(2019, 2, 7, 17, 0, 0, 0, time.UTC), community.Start, "no series: 17:00 UTC")
	require.Equal(t, "UTC", community.TimeZone)
	require.Equal(t, "cancelled", community.Status)
}

func TestRecurringSeriesOccurrences(t *testing.T) {
	t.Parallel()
	series, _, err := importer.LoadRecurringSeries(loadOpen(t, "recurring.jsonl"))
	require.NoError(t, err)
	after := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	until := after.AddDate(0, 0, 56)
	starts := map[string][]string{}
	for _, s := range series {
		evs, err := s.Occurrences(after, until)
		require.NoError(t, err)
		for _, e := range evs {
			require.True(t, e.Start.After(after) && !e.Start.After(until))
			require.Contains(t, e.Description, "Generated from recurring_meetings.jsonl")
			starts[e.Summary] = append(starts[e.Summary], e.Start.Format("2006-01-02 15:04 MST"))
		}
	}
	require.Len(t, starts["SIG Node: Main SIG Meeting"], 8, "weekly")
	require.Equal(t, "2026-12-01 10:00 PST", starts["SIG Node: Main SIG Meeting"][0])
	// Biweekly from Tuesday 2024-02-27: 2026-12-01 is 144 weeks later.
	require.Equal(t, []string{"2026-12-01 14:30 CET", "2026-12-15 14:30 CET", "2026-12-29 14:30 CET", "2027-01-12 14:30 CET"},
		starts["SIG Scheduling: descheduler biweekly meeting Europe time"])
	// The Wednesday after the fourth Tuesday: 2026-12-22 is the fourth Tuesday.
	require.Equal(t, []string{"2026-12-23 05:30 UTC"}, starts["SIG Docs: APAC SIG Meeting"])
	// The last Wednesday at 2PM Eastern.
	require.Equal(t, []string{"2026-12-30 14:00 EST"}, starts["SIG Cloud Provider / provider-ibmcloud: Regular IBM Subproject Meeting"])
}

func TestSeriesGroup(t *testing.T) {
	t.Parallel()
	require.Equal(t, "Node", importer.SeriesGroup("SIG Node"))
	require.Equal(t, "Steering", importer.SeriesGroup("Steering Committee"))
	require.Equal(t, "Kubernetes Community Meeting", importer.SeriesGroup("Kubernetes Community Meeting"))
}

func TestLoadDocs(t *testing.T) {
	t.Parallel()
	ws, errs, err := importer.LoadDocs(loadTestdata(t, "docs"))
	require.NoError(t, err)
	paths := loadErrPaths(errs)
	require.Len(t, paths, 2)
	require.Equal(t, "testdata/docs/sig-auth/5-broken", paths[0])
	require.Contains(t, errs[0].Reason, "kep.yaml")
	require.Equal(t, "testdata/docs/sig-node/999-no-readme", paths[1])
	require.Equal(t, "kep.yaml without README.md", errs[1].Reason)

	byName := map[string]emulator.File{}
	for _, f := range ws.Files {
		require.Equal(t, emulator.MimeGoogleDoc, f.MimeType)
		byName[f.Name] = f
	}
	require.Len(t, byName, 3)

	kep := byName["KEP-127: Support User Namespaces"]
	require.Equal(t, []string{"sig-node"}, kep.Parents)
	require.Equal(t, []string{"rata@users.noreply.github.com", "giuseppe@users.noreply.github.com"}, kep.Owners)
	require.Equal(t, map[string]string{
		"kep-number": "127", "authors": "@rata, @giuseppe", "owning-sig": "sig-node",
		"status": "implemented", "stage": "stable", "creation-date": "2021-11-02",
		"last-updated": "2024-06-04", "milestones": "alpha v1.25, beta v1.35, stable v1.36",
	}, kep.Properties)
	require.Equal(t, time.Date(2024, 6, 4, 0, 0, 0, 0, time.UTC), kep.ModifiedTime)
	require.Contains(t, string(kep.Content), "Run pods in a user namespace.")

	plan := byName["Release plan"]
	require.Equal(t, []string{"notes"}, plan.Parents)
	require.Equal(t, []string{"me@example.com"}, plan.Owners)
	require.Equal(t, map[string]string{"team": "release"}, plan.Properties)
	require.Equal(t, time.Date(2024, 2, 1, 9, 0, 0, 0, time.UTC), plan.ModifiedTime)

	todo := byName["todo"]
	require.Empty(t, todo.Parents)
	require.Equal(t, "Top-level notes.\n", string(todo.Content))
}
