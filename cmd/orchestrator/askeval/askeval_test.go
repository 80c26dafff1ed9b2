package askeval

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func testEnv(t *testing.T, now string) *env {
	t.Helper()
	tz, err := time.LoadLocation("America/Los_Angeles")
	require.NoError(t, err)
	n, err := time.Parse(time.RFC3339, now)
	require.NoError(t, err)
	return &env{tz: tz, tzname: tz.String(), now: n.In(tz), lists: map[string][]item{}, nodes: map[string]*item{}, anchors: map[string]time.Time{}}
}

func TestWindows(t *testing.T) {
	e := testEnv(t, "2026-12-04T21:00:00Z") // Friday 13:00 in Los Angeles
	ctx := context.Background()
	day := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02", s, e.tz)
		require.NoError(t, err)
		return d
	}
	for name, want := range map[string][2]time.Time{
		"today":               {day("2026-12-04"), day("2026-12-05")},
		"next_week":           {day("2026-12-07"), day("2026-12-14")},
		"week_after_next:thu": {day("2026-12-17"), day("2026-12-18")},
		"last_week":           {day("2026-11-23"), day("2026-11-30")},
		"next_month":          {day("2027-01-01"), day("2027-02-01")},
		"last_month":          {day("2026-11-01"), day("2026-12-01")},
		"month:2001-06":       {day("2001-06-01"), day("2001-07-01")},
		"this_week:sun":       {day("2026-12-06"), day("2026-12-07")},
	} {
		s, end, err := e.window(ctx, name)
		require.NoError(t, err, name)
		require.True(t, s.Equal(want[0]) && end.Equal(want[1]), "%s: %v .. %v", name, s, end)
	}
	_, _, err := e.window(ctx, "fortnight")
	require.ErrorContains(t, err, `unknown window "fortnight"`)

	got, err := e.render(ctx, "meetings on {{day:next_week:tue}}?")
	require.NoError(t, err)
	require.Equal(t, "meetings on Tuesday, December 8?", got)
}

func TestMentions(t *testing.T) {
	e := testEnv(t, "2026-12-04T21:00:00Z")
	at, _ := time.Parse(time.RFC3339, "2026-12-08T18:00:00Z") // Tue Dec 8, 10:00 PST
	require.Equal(t, 18, e.mentionsDate("It is on Tuesday, Dec 8 at 10am.", at, ""))
	require.Equal(t, -1, e.mentionsDate("It is on Dec 18.", at, ""), "Dec 18 is not Dec 8")
	require.Equal(t, 3, e.mentionsDate("on 12/8/2026", at, ""))
	require.Equal(t, -1, e.mentionsDate("112/80 then 112/8", at, ""), "digits may not touch it")
	require.GreaterOrEqual(t, e.mentionsDate("the 8th of December", at, ""), 0)
	require.True(t, e.mentionsTime("starts at 10:00 (PST)", at, ""))
	require.True(t, e.mentionsTime("starts at 10 a.m.", at, ""))
	require.False(t, e.mentionsTime("starts at 110:00", at, ""))
	require.True(t, e.mentionsTime("18:00 UTC", at, "UTC"), "the item's own zone counts")

	require.True(t, mentionsNumber("You have 8 SIG Node meetings", 8))
	require.True(t, mentionsNumber("I found eight.", 8))
	require.True(t, mentionsNumber("There are 12 emails from Simone", 12))
	require.False(t, mentionsNumber("version 1.8 meetings", 8))
	require.False(t, mentionsNumber("8/12 meetings", 8))
}

func TestReadCasesReportsBadLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cases.jsonl")
	require.NoError(t, os.WriteFile(path, []byte("# a comment\n{\"id\": \"a\", \"turns\": [{\"query\": \"hi\"}]}\n{bad\n{\"id\": \"b\"}\n"), 0o600))
	var out testWriter
	cases, err := readCases(path, &out)
	require.NoError(t, err)
	require.Len(t, cases, 1)
	require.Contains(t, string(out), "cases.jsonl:3: bad JSON")
	require.Contains(t, string(out), "cases.jsonl:4: a case needs id and turns")

	_, err = ParseArgs(nil, "http://x", "a@b")
	require.ErrorContains(t, err, "--cases: required")
	o, err := ParseArgs([]string{"--cases", path, "--only", "a", "--only", "b"}, "http://x", "a@b")
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b"}, o.Only)
}

type testWriter []byte

func (w *testWriter) Write(p []byte) (int, error) { *w = append(*w, p...); return len(p), nil }
