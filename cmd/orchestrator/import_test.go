package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

const importUser = "alice@example.com"

// writeMaildir writes one message filed in inbox and in Projects (two copies
// with their own Message-IDs), a second message, one in the trash and a file
// that is no mail.
func writeMaildir(t *testing.T) (dir, bad string) {
	t.Helper()
	dir = t.TempDir()
	copyOf := func(id string) string {
		return "From: Dana <dana@example.com>\r\nTo: alice@example.com\r\nSubject: Budget review\r\n" +
			"Date: Mon, 15 Jan 2024 10:00:00 +0000\r\nMessage-ID: <" + id + ">\r\n\r\nSee you Friday.\r\n"
	}
	files := map[string]string{
		"inbox/cur/1:2,S":    copyOf("budget-1@example.com"),
		"Projects/cur/7:2,S": copyOf("budget-2@example.com"),
		"inbox/cur/2:2,S": "From: Lee <lee@example.com>\r\nTo: alice@example.com\r\nSubject: Lunch\r\n" +
			"Date: Tue, 16 Jan 2024 12:00:00 +0000\r\nMessage-ID: <lunch@example.com>\r\n\r\nNoon?\r\n",
		"inbox/cur/3:2,S": "this line is no header\nnor is this\n",
		"deleted_items/cur/4:2,S": "From: Ad <ad@example.com>\r\nTo: alice@example.com\r\nSubject: Offer\r\n" +
			"Date: Wed, 17 Jan 2024 12:00:00 +0000\r\nMessage-ID: <offer@example.com>\r\n\r\nBuy now\r\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	return dir, filepath.Join(dir, "inbox", "cur", "3:2,S")
}

func TestImportMaildirSyncsMergedCopies(t *testing.T) {
	t.Parallel()
	e := setupCmd(t)
	e.startWorker(t)
	dir, bad := writeMaildir(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	out, _, err := e.run(ctx, "import", "--user", importUser, "--maildir", dir)
	require.NoError(t, err, out)
	require.Contains(t, out, "skipped "+bad+": malformed message")
	require.Contains(t, out, "3 messages, 0 events, 0 files (1 skipped)")
	require.Contains(t, out, "1 of the messages are in Trash or Spam")
	require.Contains(t, out, "import synced in")

	// Returned only once the sync finished: the cache holds the import.
	u, err := e.store.UserByEmail(ctx, importUser)
	require.NoError(t, err)
	st, err := e.store.SyncStatus(ctx, u.ID, domain.ServiceGmail)
	require.NoError(t, err)
	require.Equal(t, domain.SyncIdle, st.State)
	require.Equal(t, 2, st.ItemCount)
	mails, _, err := e.store.Emails(ctx, u.ID, domain.Filter{MessageIDs: []string{"<budget-2@example.com>"}}, domain.Page{First: 10})
	require.NoError(t, err)
	require.Len(t, mails, 1, "the two copies are one message")
	require.ElementsMatch(t, []string{"<budget-1@example.com>", "<budget-2@example.com>"}, mails[0].MessageIDs)
	require.Subset(t, mails[0].Labels, []string{"INBOX", "Projects"})

	// Importing again replaces instead of adding copies, and waits for a new sync.
	out, _, err = e.run(ctx, "import", "--user", importUser, "--maildir", dir)
	require.NoError(t, err, out)
	ws, err := e.emu.Snapshot(importUser)
	require.NoError(t, err)
	require.Len(t, ws.Messages, 3)
	all, _, err := e.store.Emails(ctx, u.ID, domain.Filter{}, domain.Page{First: 10})
	require.NoError(t, err)
	require.Len(t, all, 2)
}

func TestImportSaysWhenNoWorkerRuns(t *testing.T) {
	t.Parallel()
	e := setupCmd(t)
	dir, _ := writeMaildir(t)
	// The import runs until the deadline, waiting for a worker; the mail
	// must be written before the 300 ms wait starts, which took over 3 s
	// on a loaded machine.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, _, err := e.run(ctx, "import", "--user", importUser, "--maildir", dir, "--worker-wait", "300ms")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Contains(t, out, "no worker has started the sync within 300ms")
	require.Contains(t, out, "`orchestrator worker`")
}

func TestImportNoWaitQueuesAndReturns(t *testing.T) {
	t.Parallel()
	e := setupCmd(t)
	ics := filepath.Join(t.TempDir(), "cal.ics")
	require.NoError(t, os.WriteFile(ics, []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"+
		"BEGIN:VEVENT\r\nUID:standup1\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240115T090000Z\r\nDTEND:20240115T091500Z\r\nSUMMARY:Standup\r\nEND:VEVENT\r\n"+
		"BEGIN:VEVENT\r\nUID:nostart\r\nDTSTAMP:20240101T000000Z\r\nSUMMARY:Broken\r\nEND:VEVENT\r\n"+
		"END:VCALENDAR\r\n"), 0o644))
	out, _, err := e.run(context.Background(), "import", "--user", importUser, "--ics", ics, "--no-wait")
	require.NoError(t, err, out)
	require.Contains(t, out, "skipped "+ics+"#nostart: no DTSTART")
	require.Contains(t, out, "queued calendar sync")
	ws, err := e.emu.Snapshot(importUser)
	require.NoError(t, err)
	require.Len(t, ws.Events, 1)
	var queued int
	require.NoError(t, e.db.SQL.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'sync_calendar' AND state = 'available'`).Scan(&queued))
	require.Equal(t, 1, queued)
}

func TestImportRefusesARealGoogle(t *testing.T) {
	t.Parallel()
	google := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(google.Close)
	var out, errb lockedBuffer
	err := run(context.Background(), []string{"import", "--user", importUser, "--mbox", "x.mbox"},
		map[string]string{"GOOGLE_URL": google.URL}, &out, &errb)
	require.ErrorContains(t, err, "is not a Workspace emulator")
	require.ErrorContains(t, err, "never into a real Google account")
}

func TestImportFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--maildir", "m"}, `required flag(s) "user" not set`},
		{[]string{"--user", importUser}, "at least one of the flags"},
		{[]string{"--user", importUser, "--maildir", "a", "--mbox=b"}, "none of the others can be"},
		{[]string{"--user", "nobody", "--docs=d"}, `"nobody" is not an email address`},
		{[]string{"--user", importUser, "--docs=d"}, "no Workspace emulator answers at http://127.0.0.1:1"},
	} {
		var out, errb lockedBuffer
		err := run(context.Background(), append([]string{"import"}, tc.args...),
			map[string]string{"EMULATOR_ADDR": "127.0.0.1:1"}, &out, &errb)
		require.ErrorContains(t, err, tc.want, tc.args)
	}
}

func TestImportHelp(t *testing.T) {
	t.Parallel()
	var out, errb lockedBuffer
	require.NoError(t, run(context.Background(), []string{"import", "--help"}, map[string]string{}, &out, &errb))
	for _, want := range []string{"--maildir", "--mbox", "--eml", "--ics", "--events-jsonl", "--docs", "--no-wait",
		"Works only against the emulator", "every folder", "`orchestrator worker`"} {
		require.Contains(t, out.String(), want)
	}
	require.NotContains(t, out.String(), "--worker-wait", "test knobs stay hidden")
}
