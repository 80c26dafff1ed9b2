package importer_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/importer"
)

// The importers read files people export from elsewhere: whatever the bytes,
// they load what they can, report the rest, and never panic. Corpora:
// testdata/fuzz/Fuzz*; `make fuzz`.

func FuzzLoadMbox(f *testing.F) {
	f.Add([]byte("From a@example.com Sat Jan  3 01:05:34 2026\nFrom: a@example.com\nSubject: hi\n\nbody\n\nFrom b@example.com Sat Jan  3 01:05:35 2026\nSubject: =?UTF-8?B?w6k=?=\n\n>From quoted\n"))
	f.Add([]byte("From \n\n"))
	f.Add([]byte("not an mbox"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, _, _ = importer.LoadMbox(bytes.NewReader(raw))
	})
}

func FuzzLoadICS(f *testing.F) {
	f.Add([]byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Standup\r\nDTSTART;TZID=Europe/Istanbul:20260105T090000\r\nDTEND:20260105T093000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nATTENDEE;CN=Bob:mailto:bob@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	f.Add([]byte("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nRRULE:FREQ=DAILY\nEND:VEVENT\nEND:VCALENDAR\n"))
	f.Add([]byte("BEGIN:VEVENT\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, _, _ = importer.LoadICS(bytes.NewReader(raw))
	})
}

// FuzzLoadEML writes one message file and loads it as an .eml directory.
func FuzzLoadEML(f *testing.F) {
	f.Add([]byte("From: \"Ann\" <ann@example.com>\r\nTo: bob@example.com\r\nSubject: =?ISO-8859-1?Q?caf=E9?=\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhello\r\n--x--\r\n"))
	f.Add([]byte("Subject: no body"))
	f.Add([]byte("\r\n\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "m.eml"), raw, 0o600); err != nil {
			t.Fatal(err)
		}
		_, _, _ = importer.LoadEML(dir)
	})
}
