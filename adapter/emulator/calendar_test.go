package emulator_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	calendar "google.golang.org/api/calendar/v3"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/emulatortest"
)

func agenda() emulator.Workspace {
	standup := emulatortest.Event("Standup", base, 15*time.Minute, "bob@example.com")
	standup.Recurrence = []string{"RRULE:FREQ=DAILY;COUNT=5"}
	allDay := emulator.Event{Summary: "Offsite", Start: base.AddDate(0, 0, 3).Truncate(24 * time.Hour),
		End: base.AddDate(0, 0, 4).Truncate(24 * time.Hour), AllDay: true}
	return emulator.Workspace{Events: []emulator.Event{
		standup,
		emulatortest.Event("Design review", base.Add(2*time.Hour), time.Hour, "carol@example.com"),
		emulatortest.Event("Budget sync", base.AddDate(0, 0, 1).Add(3*time.Hour), 30*time.Minute),
		emulatortest.Event("Last year", base.AddDate(-1, 0, 0), time.Hour),
		allDay,
	}}
}

// listAll pages through events.list and returns the items and the final sync token.
func listAll(t *testing.T, b bundle, call *calendar.EventsListCall) ([]*calendar.Event, string) {
	t.Helper()
	var items []*calendar.Event
	var token string
	require.NoError(t, call.MaxResults(2).Pages(b.ctx, func(r *calendar.Events) error {
		items = append(items, r.Items...)
		if r.NextPageToken == "" {
			token = r.NextSyncToken
		} else {
			require.Empty(t, r.NextSyncToken)
		}
		return nil
	}))
	return items, token
}

func summaries(items []*calendar.Event) []string {
	out := make([]string, len(items))
	for i, e := range items {
		out[i] = e.Summary
		if e.Status == "cancelled" {
			out[i] += " (cancelled)"
		}
	}
	return out
}

func TestCalendarListWindowAndRecurrence(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, agenda())
	cl, err := b.cal.CalendarList.List().Context(b.ctx).Do()
	require.NoError(t, err)
	require.Len(t, cl.Items, 1)
	require.True(t, cl.Items[0].Primary)
	require.Equal(t, alice, cl.Items[0].Id)

	items, token := listAll(t, b, b.cal.Events.List("primary").SingleEvents(true).OrderBy("startTime").
		TimeMin(base.Format(time.RFC3339)).TimeMax(base.AddDate(0, 0, 2).Format(time.RFC3339)))
	require.Equal(t, []string{"Standup", "Design review", "Standup", "Budget sync"}, summaries(items))
	require.NotEmpty(t, token)
	require.NotEmpty(t, items[0].RecurringEventId)
	require.Equal(t, base.Format(time.RFC3339), items[0].Start.DateTime)
	require.Equal(t, "bob@example.com", items[0].Attendees[0].Email)
	require.True(t, items[0].Organizer.Self)

	all, _ := listAll(t, b, b.cal.Events.List("primary").SingleEvents(true).OrderBy("startTime"))
	require.Len(t, all, 9) // 5 standups + 4 single events
	require.Equal(t, "Offsite", all[6].Summary)
	require.Equal(t, "2026-03-05", all[6].Start.Date)

	unexpanded, _ := listAll(t, b, b.cal.Events.List("primary").Q("standup"))
	require.Len(t, unexpanded, 1)
	require.Equal(t, []string{"RRULE:FREQ=DAILY;COUNT=5"}, unexpanded[0].Recurrence)

	_, err = b.cal.Events.List("primary").OrderBy("startTime").Context(b.ctx).Do()
	apiErr(t, err, 400)
}

func TestCalendarSyncTokenReturnsOnlyChanges(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, agenda())
	items, token := listAll(t, b, b.cal.Events.List("primary"))
	require.Len(t, items, 5)

	created, err := b.cal.Events.Insert("primary", &calendar.Event{Id: "clientid0001", Summary: "Retro",
		Start: &calendar.EventDateTime{DateTime: base.Add(5 * time.Hour).Format(time.RFC3339)},
		End:   &calendar.EventDateTime{DateTime: base.Add(6 * time.Hour).Format(time.RFC3339)}}).SendUpdates("all").Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, "clientid0001", created.Id)
	_, err = b.cal.Events.Insert("primary", &calendar.Event{Id: "clientid0001", Summary: "Retro again",
		Start: created.Start, End: created.End}).Context(b.ctx).Do()
	gerr := apiErr(t, err, 409)
	require.Equal(t, "duplicate", gerr.Errors[0].Reason)

	var review string
	for _, e := range items {
		if e.Summary == "Design review" {
			review = e.Id
		}
	}
	patched, err := b.cal.Events.Patch("primary", review, &calendar.Event{Location: "Room 4"}).Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, "Design review", patched.Summary)
	require.Equal(t, "Room 4", patched.Location)
	require.EqualValues(t, 1, patched.Sequence)
	var budget string
	for _, e := range items {
		if e.Summary == "Budget sync" {
			budget = e.Id
		}
	}
	require.NoError(t, b.cal.Events.Delete("primary", budget).SendUpdates("none").Context(b.ctx).Do())
	apiErr(t, b.cal.Events.Delete("primary", budget).Context(b.ctx).Do(), 410)

	changes, next := listAll(t, b, b.cal.Events.List("primary").SyncToken(token))
	require.Equal(t, []string{"Design review", "Retro", "Budget sync (cancelled)"}, summaries(changes))
	require.NotEqual(t, token, next)

	none, again := listAll(t, b, b.cal.Events.List("primary").SyncToken(next))
	require.Empty(t, none)
	require.Equal(t, next, again)

	got, err := b.cal.Events.Get("primary", budget).Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, "cancelled", got.Status)
	_, err = b.cal.Events.Get("primary", "missing000").Context(b.ctx).Do()
	apiErr(t, err, 404)
}

func TestCalendarCancelledSeriesListsCancelledInstances(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, agenda())
	items, token := listAll(t, b, b.cal.Events.List("primary").SingleEvents(true))
	require.Len(t, items, 9)
	series := items[1].RecurringEventId
	require.NotEmpty(t, series)
	require.NoError(t, b.srv.DeleteEvent(alice, series))

	changes, _ := listAll(t, b, b.cal.Events.List("primary").SingleEvents(true).SyncToken(token))
	require.Len(t, changes, 5)
	for _, e := range changes {
		require.Equal(t, "cancelled", e.Status)
		require.Equal(t, series, e.RecurringEventId)
	}
	require.Equal(t, items[1].Id, changes[0].Id)
}

func TestCalendarOccurrencesCanBeChangedAndCancelled(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, agenda())
	items, token := listAll(t, b, b.cal.Events.List("primary").SingleEvents(true).Q("standup"))
	require.Len(t, items, 5)
	second, third := items[1], items[2]

	got, err := b.cal.Events.Get("primary", second.Id).Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, second.Start.DateTime, got.Start.DateTime)
	require.Equal(t, second.RecurringEventId, got.RecurringEventId)

	moved := base.AddDate(0, 0, 1).Add(2 * time.Hour)
	patched, err := b.cal.Events.Patch("primary", second.Id, &calendar.Event{
		Start: &calendar.EventDateTime{DateTime: moved.Format(time.RFC3339)},
		End:   &calendar.EventDateTime{DateTime: moved.Add(15 * time.Minute).Format(time.RFC3339)}}).Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, second.Id, patched.Id)
	require.Equal(t, second.Start.DateTime, patched.OriginalStartTime.DateTime)
	require.NoError(t, b.cal.Events.Delete("primary", third.Id).Context(b.ctx).Do())

	changes, _ := listAll(t, b, b.cal.Events.List("primary").SingleEvents(true).SyncToken(token))
	require.Equal(t, []string{"Standup", "Standup (cancelled)"}, summaries(changes))
	require.Equal(t, []string{second.Id, third.Id}, []string{changes[0].Id, changes[1].Id})

	after, _ := listAll(t, b, b.cal.Events.List("primary").SingleEvents(true).Q("standup"))
	require.Len(t, after, 4)
	require.Equal(t, moved.Format(time.RFC3339), after[1].Start.DateTime)

	_, err = b.cal.Events.Get("primary", second.RecurringEventId+"_20990101T000000Z").Context(b.ctx).Do()
	apiErr(t, err, 404)
}

func TestCalendarStaleSyncTokenAnswers410(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, agenda())
	_, token := listAll(t, b, b.cal.Events.List("primary"))

	_, err := b.cal.Events.List("primary").SyncToken("garbage").Context(b.ctx).Do()
	gerr := apiErr(t, err, 410)
	require.Equal(t, "fullSyncRequired", gerr.Errors[0].Reason)

	require.NoError(t, b.srv.ResetHistory(alice))
	_, err = b.cal.Events.List("primary").SyncToken(token).Context(b.ctx).Do()
	apiErr(t, err, 410)

	_, err = b.cal.Events.List("primary").SyncToken(token).TimeMin(base.Format(time.RFC3339)).Context(b.ctx).Do()
	apiErr(t, err, 400)
}

func TestCalendarInsertValidates(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, emulator.Workspace{})
	start := &calendar.EventDateTime{DateTime: base.Format(time.RFC3339)}
	_, err := b.cal.Events.Insert("primary", &calendar.Event{Summary: "no end", Start: start}).Context(b.ctx).Do()
	apiErr(t, err, 400)
	_, err = b.cal.Events.Insert("primary", &calendar.Event{Id: "Bad-ID!", Summary: "x", Start: start, End: start}).Context(b.ctx).Do()
	apiErr(t, err, 400)
	_, err = b.cal.Events.Insert("other@example.com", &calendar.Event{Summary: "x", Start: start, End: start}).Context(b.ctx).Do()
	apiErr(t, err, 404)
}
