package store_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

func TestWatches(t *testing.T) {
	t.Parallel()
	f := setup(t)
	tok := domain.GoogleToken{AccessToken: "ya29.a", RefreshToken: "1//r", Expiry: f.now.Add(time.Hour)}
	require.NoError(t, f.store.SaveGoogleToken(f.ctx, f.user.ID, tok))
	lapsed, err := f.store.UpsertUser(f.ctx, "carol@example.com")
	require.NoError(t, err)
	require.NoError(t, f.store.SaveGoogleToken(f.ctx, lapsed.ID, tok))
	require.NoError(t, f.store.MarkReauth(f.ctx, lapsed.ID, tok.RefreshToken))
	all := []domain.Service{domain.ServiceGmail, domain.ServiceCalendar, domain.ServiceDrive}
	margin := f.now.Add(24 * time.Hour)

	// Only the connected user is due (f.other never connected, carol must
	// reconnect), for every service asked about.
	due, err := f.store.DueWatches(f.ctx, all, margin)
	require.NoError(t, err)
	require.Equal(t, []ingest.Watch{
		{UserID: f.user.ID, Service: domain.ServiceCalendar},
		{UserID: f.user.ID, Service: domain.ServiceDrive},
		{UserID: f.user.ID, Service: domain.ServiceGmail},
	}, due)

	week := f.now.Add(7 * 24 * time.Hour)
	soon := f.now.Add(time.Hour)
	first, second := ingest.Channel{ID: "chan-1", ResourceID: "res-1"}, ingest.Channel{ID: "chan-2", ResourceID: "res-2"}
	require.NoError(t, f.store.SaveWatch(f.ctx, ingest.Watch{UserID: f.user.ID, Service: domain.ServiceGmail, Expires: week}))
	require.NoError(t, f.store.SaveWatch(f.ctx, ingest.Watch{UserID: f.user.ID, Service: domain.ServiceCalendar, Expires: week, Channel: first}))
	require.NoError(t, f.store.SaveWatch(f.ctx, ingest.Watch{UserID: f.user.ID, Service: domain.ServiceCalendar, Expires: soon, Channel: second}))
	due, err = f.store.DueWatches(f.ctx, all, margin)
	require.NoError(t, err)
	require.Equal(t, []ingest.Watch{
		{UserID: f.user.ID, Service: domain.ServiceCalendar, Expires: soon.UTC(), Channel: second}, // a second save replaces the first
		{UserID: f.user.ID, Service: domain.ServiceDrive},
	}, due, "the week-long Gmail watch is not due")

	due, err = f.store.DueWatches(f.ctx, []domain.Service{domain.ServiceGmail}, margin)
	require.NoError(t, err)
	require.Empty(t, due, "only the services asked about")

	// Marking the account for re-authorisation lapses its watches, keeping
	// the channel to stop: once it reconnects, every service is due again.
	require.NoError(t, f.store.SaveWatch(f.ctx, ingest.Watch{UserID: f.user.ID, Service: domain.ServiceDrive, Expires: week, Channel: first}))
	require.NoError(t, f.store.MarkReauth(f.ctx, f.user.ID, tok.RefreshToken))
	due, err = f.store.DueWatches(f.ctx, all, margin)
	require.NoError(t, err)
	require.Empty(t, due)
	require.NoError(t, f.store.SaveGoogleToken(f.ctx, f.user.ID, tok))
	due, err = f.store.DueWatches(f.ctx, all, margin)
	require.NoError(t, err)
	lapsedAt := f.now.UTC()
	require.Equal(t, []ingest.Watch{
		{UserID: f.user.ID, Service: domain.ServiceCalendar, Expires: lapsedAt, Channel: second},
		{UserID: f.user.ID, Service: domain.ServiceDrive, Expires: lapsedAt, Channel: first},
		{UserID: f.user.ID, Service: domain.ServiceGmail, Expires: lapsedAt},
	}, due)

	for want, w := range map[string]ingest.Watch{
		`service "fax"`:           {UserID: f.user.ID, Service: "fax", Expires: week},
		"has no expiry":           {UserID: f.user.ID, Service: domain.ServiceGmail},
		"Gmail watches have none": {UserID: f.user.ID, Service: domain.ServiceGmail, Expires: week, Channel: first},
		`needs its channel id and resource id, got "" and ""`:       {UserID: f.user.ID, Service: domain.ServiceCalendar, Expires: week},
		`needs its channel id and resource id, got "chan-1" and ""`: {UserID: f.user.ID, Service: domain.ServiceDrive, Expires: week, Channel: ingest.Channel{ID: "chan-1"}},
	} {
		err := f.store.SaveWatch(f.ctx, w)
		require.ErrorIs(t, err, domain.ErrInvalidInput, want)
		require.ErrorContains(t, err, want)
	}
	require.ErrorIs(t, f.store.SaveWatch(f.ctx, ingest.Watch{UserID: uuid.New(), Service: domain.ServiceGmail, Expires: week}), domain.ErrNotFound)
	_, err = f.store.DueWatches(f.ctx, []domain.Service{"fax"}, margin)
	require.ErrorIs(t, err, domain.ErrInvalidInput)
}
