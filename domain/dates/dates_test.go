package dates_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain/dates"
)

func setup(t *testing.T) (time.Time, *time.Location) {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Istanbul")
	require.NoError(t, err)
	// A Wednesday afternoon.
	return time.Date(2026, 6, 17, 14, 30, 0, 0, loc), loc
}

const layout = "2006-01-02 15:04"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(layout)
}

func TestParse(t *testing.T) {
	t.Parallel()
	now, loc := setup(t)
	tests := []struct {
		text       string
		match      string
		start, end string
		at         string // "" when no clock time
		dur        time.Duration
	}{
		{"emails today", "today", "2026-06-17 00:00", "2026-06-18 00:00", "", 0},
		{"what's tomorrow", "tomorrow", "2026-06-18 00:00", "2026-06-19 00:00", "", 0},
		{"mail from yesterday", "yesterday", "2026-06-16 00:00", "2026-06-17 00:00", "", 0},
		{"files last week", "last week", "2026-06-08 00:00", "2026-06-15 00:00", "", 0},
		{"this week", "this week", "2026-06-15 00:00", "2026-06-22 00:00", "", 0},
		{"meetings next week", "next week", "2026-06-22 00:00", "2026-06-29 00:00", "", 0},
		{"everything for the week after next", "for the week after next", "2026-06-29 00:00", "2026-07-06 00:00", "", 0},
		{"meetings on Wednesday, June 24?", "on Wednesday, June 24", "2026-06-24 00:00", "2026-06-25 00:00", "", 0},
		{"last month's invoices", "last month", "2026-05-01 00:00", "2026-06-01 00:00", "", 0},
		{"next month", "next month", "2026-07-01 00:00", "2026-08-01 00:00", "", 0},
		{"emails in June 2001", "in June 2001", "2001-06-01 00:00", "2001-07-01 00:00", "", 0},
		{"June 2001 budget", "June 2001", "2001-06-01 00:00", "2001-07-01 00:00", "", 0},
		{"reports 2000-06", "2000-06", "2000-06-01 00:00", "2000-07-01 00:00", "", 0},
		{"reports in 2000-06", "in 2000-06", "2000-06-01 00:00", "2000-07-01 00:00", "", 0},
		{"emails since Monday", "since Monday", "2026-06-15 00:00", "2026-06-17 14:30", "", 0},
		{"since Friday", "since Friday", "2026-06-12 00:00", "2026-06-17 14:30", "", 0},
		{"what happened on the 15th", "on the 15th", "2026-06-15 00:00", "2026-06-16 00:00", "", 0},
		{"lunch on Friday", "on Friday", "2026-06-19 00:00", "2026-06-20 00:00", "", 0},
		{"last Friday", "last Friday", "2026-06-12 00:00", "2026-06-13 00:00", "", 0},
		{"next Wednesday", "next Wednesday", "2026-06-24 00:00", "2026-06-25 00:00", "", 0},
		{"move it to 4pm", "4pm", "2026-06-17 16:00", "2026-06-17 16:00", "2026-06-17 16:00", 0},
		{"call at 4pm", "at 4pm", "2026-06-17 16:00", "2026-06-17 16:00", "2026-06-17 16:00", 0},
		{"sync from 3 to 4pm", "from 3 to 4pm", "2026-06-17 15:00", "2026-06-17 16:00", "2026-06-17 15:00", time.Hour},
		{"block 11 to 1pm", "11 to 1pm", "2026-06-17 11:00", "2026-06-17 13:00", "2026-06-17 11:00", 2 * time.Hour},
		{"a call for 30 minutes", "for 30 minutes", "-", "-", "", 30 * time.Minute},
		{"next Tuesday at 10am", "next Tuesday at 10am", "2026-06-23 10:00", "2026-06-23 10:00", "2026-06-23 10:00", 0},
		{"meet next Tuesday at 10am for 30 minutes with Bob", "next Tuesday at 10am for 30 minutes", "2026-06-23 10:00", "2026-06-23 10:30", "2026-06-23 10:00", 30 * time.Minute},
		{"tomorrow at 9:15am for an hour", "tomorrow at 9:15am for an hour", "2026-06-18 09:15", "2026-06-18 10:15", "2026-06-18 09:15", time.Hour},
		{"at noon tomorrow", "at noon tomorrow", "2026-06-18 12:00", "2026-06-18 12:00", "2026-06-18 12:00", 0},
		{"at 16:30", "at 16:30", "2026-06-17 16:30", "2026-06-17 16:30", "2026-06-17 16:30", 0},
		{"on 2001-06-15", "2001-06-15", "2001-06-15 00:00", "2001-06-16 00:00", "", 0},
		{"on June 15, 2001", "on June 15, 2001", "2001-06-15 00:00", "2001-06-16 00:00", "", 0},
		{"the 3rd of May 2001", "the 3rd of May 2001", "2001-05-03 00:00", "2001-05-04 00:00", "", 0},
		{"sent 6/15/2001", "6/15/2001", "2001-06-15 00:00", "2001-06-16 00:00", "", 0},
		{"in March", "in March", "2026-03-01 00:00", "2026-04-01 00:00", "", 0},
		{"in September", "in September", "2025-09-01 00:00", "2025-10-01 00:00", "", 0},
		{"in 2001", "in 2001", "2001-01-01 00:00", "2002-01-01 00:00", "", 0},
		{"the last 7 days", "the last 7 days", "2026-06-11 00:00", "2026-06-17 14:30", "", 0},
		{"past two weeks", "past two weeks", "2026-06-04 00:00", "2026-06-17 14:30", "", 0},
		{"3 days ago", "3 days ago", "2026-06-14 00:00", "2026-06-15 00:00", "", 0},
		{"before June 2001", "before June 2001", "-", "2001-06-01 00:00", "", 0},
		{"after 2001-06-15", "after 2001-06-15", "2001-06-16 00:00", "-", "", 0},
		{"from June 1 to June 15", "from June 1 to June 15", "2026-06-01 00:00", "2026-06-16 00:00", "", 0},
		{"free tomorrow afternoon?", "tomorrow afternoon", "2026-06-18 12:00", "2026-06-18 18:00", "", 0},
		{"dinner tonight", "tonight", "2026-06-17 18:00", "2026-06-18 00:00", "", 0},
		{"this morning", "this morning", "2026-06-17 06:00", "2026-06-17 12:00", "", 0},
		{"this weekend", "this weekend", "2026-06-20 00:00", "2026-06-22 00:00", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			ms := dates.Parse(tt.text, now, loc)
			require.Len(t, ms, 1, "%+v", ms)
			m := ms[0]
			require.Equal(t, tt.match, m.Text)
			require.Equal(t, tt.match, tt.text[m.Start:m.End])
			require.Equal(t, tt.start, fmtTime(m.Range.Start), "start")
			require.Equal(t, tt.end, fmtTime(m.Range.End), "end")
			if tt.at == "" {
				require.Nil(t, m.Time)
			} else {
				require.NotNil(t, m.Time)
				require.Equal(t, tt.at, m.Time.Format(layout))
			}
			require.Equal(t, tt.dur, m.Duration)
		})
	}
}

func TestParseIgnoresOrdinaryWords(t *testing.T) {
	t.Parallel()
	now, loc := setup(t)
	for _, text := range []string{
		"may I see the budget", "emails from Sarah about sidecar containers", "sun and sat by the wed",
		"the Q3 report", "call Jan", "version 2.0 release", "",
	} {
		require.Empty(t, dates.Parse(text, now, loc), text)
	}
}

func TestParseSeveral(t *testing.T) {
	t.Parallel()
	now, loc := setup(t)
	ms := dates.Parse("emails from last week and meetings tomorrow at 3pm", now, loc)
	require.Len(t, ms, 2)
	require.Equal(t, "last week", ms[0].Text)
	require.Equal(t, "tomorrow at 3pm", ms[1].Text)
	require.Equal(t, "2026-06-18 15:00", ms[1].Time.Format(layout))
}

func TestRangeContains(t *testing.T) {
	t.Parallel()
	now, _ := setup(t)
	r := dates.Range{Start: now, End: now.Add(time.Hour)}
	require.True(t, r.Contains(now))
	require.False(t, r.Contains(now.Add(time.Hour)))
	require.True(t, dates.Range{End: now}.Contains(now.Add(-time.Hour)))
	require.True(t, dates.Range{}.IsZero())
}

func TestWeekdayOfANamedWeek(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC) // a Monday
	for q, day := range map[string]string{
		"meetings on Wednesday next week": "2026-12-16",
		"the call on Friday of last week": "2026-12-04",
		"lunch Thursday this week":        "2026-12-10",
		"standup on Tuesday, next week":   "2026-12-15",
	} {
		ms := dates.Parse(q, now, time.UTC)
		require.Len(t, ms, 1, q)
		require.Equal(t, day, ms[0].Range.Start.Format("2006-01-02"), q)
		require.Equal(t, 24*time.Hour, ms[0].Range.End.Sub(ms[0].Range.Start), q)
	}
}
