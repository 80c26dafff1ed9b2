package demo_test

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/demo"
)

// The counts of data/README.md: 5,937 mail files merged into 3,651 messages,
// 1,031 meetings, 610 KEPs.
const (
	messages = 3651
	meetings = 1031
	docs     = 610
)

func TestWorkspaceOriginalDates(t *testing.T) {
	t.Parallel()
	ws, off, err := demo.Load(demo.Options{})
	require.NoError(t, err)
	require.Equal(t, demo.Offsets{}, off)
	require.Len(t, ws.Messages, messages)
	require.Len(t, ws.Files, docs)
	require.Greater(t, len(ws.Events), meetings)

	now := demo.Now()
	for _, e := range ws.Events[meetings:] {
		require.True(t, e.Start.After(now) && !e.Start.After(now.AddDate(0, 0, 7*demo.UpcomingWeeks)), e.Start)
		require.Contains(t, e.Description, "Generated from recurring_meetings.jsonl")
	}
	require.Equal(t, time.Date(2025, 1, 14, 18, 0, 0, 0, time.UTC), newest(ws.Events[:meetings]), "SIG Node, 10:00 PST")

	// Every judged sender+month query is answered exactly by From and the
	// original Date header, and every folder query by the folder's label,
	// once Message-IDs go through the duplicates map.
	dups, err := demo.Duplicates()
	require.NoError(t, err)
	require.Len(t, dups, 5937)
	type key struct{ from, month string }
	byKey := map[key][]string{}
	byLabel := map[string]map[string]bool{}
	seen := map[string]bool{}
	for _, m := range ws.Messages {
		for _, id := range m.MessageIDs {
			require.False(t, seen[dups[id]] && dups[id] == id && id != m.MessageIDs[0], "canonical id in two messages")
			seen[id] = true
		}
		msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
		require.NoError(t, err)
		from := strings.TrimSpace(msg.Header.Get("From")) // "l..wells@enron.com" is no RFC 5322 address
		if a, err := mail.ParseAddress(from); err == nil {
			from = a.Address
		}
		date, err := mail.ParseDate(msg.Header.Get("Date"))
		require.NoError(t, err)
		k := key{strings.ToLower(from), date.Format("2006-01")}
		for _, id := range m.MessageIDs {
			byKey[k] = append(byKey[k], dups[id])
		}
		for _, l := range m.LabelIDs {
			if byLabel[l] == nil {
				byLabel[l] = map[string]bool{}
			}
			byLabel[l][dups[m.MessageIDs[0]]] = true
		}
	}
	require.Len(t, seen, 5937, "every copy's Message-ID is kept")
	queries, err := demo.EvalQueries()
	require.NoError(t, err)
	require.Len(t, queries, 153)
	checked := 0
	for _, q := range queries {
		got := map[string]bool{}
		switch q.Type {
		case "filter:sender+month":
			for _, id := range byKey[key{q.Filters["from"], q.Filters["month"]}] {
				got[id] = true
			}
		case "label:user-folder": // "lay-k:business" is the label "business"
			got = byLabel[strings.TrimPrefix(q.Query, "lay-k:")]
		default:
			continue
		}
		want := map[string]bool{}
		for _, id := range q.Relevant {
			want[id] = true
		}
		require.Equal(t, want, got, q.QID)
		checked++
	}
	require.Equal(t, 123+6, checked)
}

func TestWorkspaceShifted(t *testing.T) {
	t.Parallel()
	now := demo.Now()
	ws, off, err := demo.Load(demo.Options{Shift: true})
	require.NoError(t, err)
	// The offsets README.md documents.
	require.Equal(t, demo.Offsets{MailYears: 24, CalendarDays: 679, DriveDays: 165}, off)
	require.Len(t, ws.Messages, messages)
	require.Len(t, ws.Files, docs)

	var newestMail time.Time
	for _, m := range ws.Messages {
		if m.InternalDate.After(newestMail) {
			newestMail = m.InternalDate
		}
		msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
		require.NoError(t, err)
		date, err := mail.ParseDate(msg.Header.Get("Date"))
		require.NoError(t, err)
		require.True(t, date.Equal(m.InternalDate), "the Date header moves with the message")
	}
	require.Equal(t, time.Date(2026, 1, 30, 19, 48, 6, 0, time.UTC), newestMail.UTC())

	require.Equal(t, time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC), newest(ws.Events[:meetings]), "still Tuesday 10:00 PST")
	var newestDoc time.Time
	for _, f := range ws.Files {
		require.False(t, f.ModifiedTime.IsZero())
		if f.ModifiedTime.After(newestDoc) {
			newestDoc = f.ModifiedTime
		}
	}
	require.Equal(t, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), newestDoc)

	nextWeek := 0
	for _, e := range ws.Events {
		if e.Start.After(now) && e.Start.Before(now.AddDate(0, 0, 7)) {
			nextWeek++
		}
	}
	require.Positive(t, nextWeek, "what's on my calendar next week")
}

func newest(evs []emulator.Event) time.Time {
	var t time.Time
	for _, e := range evs {
		if e.Start.After(t) {
			t = e.Start
		}
	}
	return t.UTC()
}

func BenchmarkWorkspace(b *testing.B) {
	for b.Loop() {
		if _, err := demo.Workspace(demo.Options{Shift: true}); err != nil {
			b.Fatal(err)
		}
	}
}
