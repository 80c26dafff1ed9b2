package store_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

func testEvent(id string, start time.Time, d time.Duration) domain.Event {
	return domain.Event{
		EventID:  id,
		Title:    "Sync " + id,
		Start:    start,
		End:      start.Add(d),
		TimeZone: "Europe/Istanbul",
		Attendees: []domain.Attendee{
			{Email: "Ada@Example.com", Name: "Ada Lovelace", ResponseStatus: "accepted", Organizer: true},
			{Email: "grace@navy.example", Name: "Grace Hopper", ResponseStatus: "needsAction"},
		},
		Organizer: "ada@example.com",
	}
}

func TestEvents(t *testing.T) {
	t.Parallel()
	f := setup(t)
	day := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.UTC) }
	solo := testEvent("solo", day(4, 9), time.Hour)
	solo.Attendees = []domain.Attendee{{Email: "linus@kernel.example", Name: "Linus"}}
	solo.Embedding = domain.Vector{Values: unitVector(7), Model: "m"}
	es := []domain.Event{testEvent("standup", day(2, 9), 30*time.Minute), testEvent("review", day(3, 14), time.Hour), solo}
	require.NoError(t, f.store.UpsertEvents(f.ctx, f.user.ID, es))

	list, info, err := f.store.Events(f.ctx, f.user.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	require.Equal(t, 3, info.TotalCount)
	require.Equal(t, []string{"standup", "review", "solo"}, eventKeys(list), "earliest first")

	got, err := f.store.Event(f.ctx, f.user.ID, list[2].ID)
	require.NoError(t, err)
	require.Equal(t, solo.Attendees, got.Attendees)
	require.Equal(t, solo.Embedding, got.Embedding)
	require.Equal(t, "primary", got.CalendarID)
	require.Equal(t, "confirmed", got.Status)
	require.Equal(t, "Europe/Istanbul", got.TimeZone)
	require.True(t, solo.Start.Equal(got.Start) && solo.End.Equal(got.End))
	_, err = f.store.Event(f.ctx, f.other.ID, got.ID)
	require.ErrorIs(t, err, domain.ErrNotFound)

	for _, c := range []struct {
		name   string
		filter domain.Filter
		want   []string
	}{
		{"attendee address", domain.Filter{Attendees: []string{"GRACE@navy.example"}}, []string{"standup", "review"}},
		{"attendee name", domain.Filter{Attendees: []string{"linus"}}, []string{"solo"}},
		{"attendees any of", domain.Filter{Attendees: []string{"linus", "hopper"}}, []string{"standup", "review", "solo"}},
		{"ending after", domain.Filter{After: day(2, 9).Add(15 * time.Minute)}, []string{"standup", "review", "solo"}},
		{"starting before", domain.Filter{Before: day(3, 14)}, []string{"standup"}},
		{"window", domain.Filter{After: day(3, 0), Before: day(4, 0)}, []string{"review"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			list, info, err := f.store.Events(f.ctx, f.user.ID, c.filter, domain.Page{})
			require.NoError(t, err)
			require.Equal(t, c.want, eventKeys(list))
			require.Equal(t, len(c.want), info.TotalCount)
		})
	}

	// Two pages of two, ascending keyset.
	p1, info, err := f.store.Events(f.ctx, f.user.ID, domain.Filter{}, domain.Page{First: 2})
	require.NoError(t, err)
	require.True(t, info.HasNextPage)
	p2, info, err := f.store.Events(f.ctx, f.user.ID, domain.Filter{}, domain.Page{First: 2, After: info.EndCursor})
	require.NoError(t, err)
	require.False(t, info.HasNextPage)
	require.Equal(t, []string{"standup", "review", "solo"}, eventKeys(append(p1, p2...)))

	require.NoError(t, f.store.DeleteEvents(f.ctx, f.user.ID, []string{"review"}))
	list, _, err = f.store.Events(f.ctx, f.user.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	require.Equal(t, []string{"standup", "solo"}, eventKeys(list))
}

func eventKeys(es []domain.Event) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.EventID)
	}
	return out
}
