package dates_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain/dates"
)

func TestTimesForPeopleNameTheirZone(t *testing.T) {
	t.Parallel()
	la, err := time.LoadLocation("America/Los_Angeles")
	require.NoError(t, err)
	ist, err := time.LoadLocation("Europe/Istanbul")
	require.NoError(t, err)
	start := time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC)

	require.Equal(t, "Mon Nov 30 2026", dates.Day(start, la))
	require.Equal(t, "Mon Nov 30 2026 09:00 PST", dates.Instant(start, la))
	require.Equal(t, "Mon Nov 30 2026 17:00–18:00 UTC", dates.Span(start, start.Add(time.Hour), time.UTC))
	require.Equal(t, "Mon Nov 30 2026 20:00–21:00 +03", dates.Span(start, start.Add(time.Hour), ist), "zones without an abbreviation show their offset")
	require.Equal(t, "Mon Nov 30 2026 17:00 – Tue Dec 1 2026 01:00 UTC", dates.Span(start, start.Add(8*time.Hour), time.UTC))
	require.Equal(t, "Mon Nov 30 2026 09:00 PST", dates.Instant(start.In(la), nil), "a nil zone keeps the time's own")
	require.Equal(t, "Mon Nov 30 2026 09:00 PST", dates.Span(start, time.Time{}, la), "no end: the start alone")
}
