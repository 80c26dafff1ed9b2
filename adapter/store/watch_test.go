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
	require.NoError(t, f.store.MarkReauth(f.ctx, lapsed.ID, true))
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
	require.NoError(t, f.store.SaveWatch(f.ctx, ingest.Watch{UserID: f.user.ID, Service: domain.ServiceGmail, Expires: week}))
	require.NoError(t, f.store.SaveWatch(f.ctx, ingest.Watch{UserID: f.user.ID, Service: domain.ServiceCalendar, Expires: week}))
	require.NoError(t, f.store.SaveWatch(f.ctx, ingest.Watch{UserID: f.user.ID, Service: domain.ServiceCalendar, Expires: soon}))
	due, err = f.store.DueWatches(f.ctx, all, margin)
	require.NoError(t, err)
	require.Len(t, due, 2, "the week-long Gmail watch is not due")
	require.Equal(t, domain.ServiceCalendar, due[0].Service)
	require.True(t, due[0].Expires.Equal(soon), "a second save replaces the first")
	require.Equal(t, domain.ServiceDrive, due[1].Service)
	require.True(t, due[1].Expires.IsZero())

	due, err = f.store.DueWatches(f.ctx, []domain.Service{domain.ServiceGmail}, margin)
	require.NoError(t, err)
	require.Empty(t, due, "only the services asked about")

	// Marking the account for re-authorisation forgets its watches: once it
	// reconnects, every service is due again.
	require.NoError(t, f.store.MarkReauth(f.ctx, f.user.ID, true))
	due, err = f.store.DueWatches(f.ctx, all, margin)
	require.NoError(t, err)
	require.Empty(t, due)
	require.NoError(t, f.store.SaveGoogleToken(f.ctx, f.user.ID, tok))
	due, err = f.store.DueWatches(f.ctx, all, margin)
	require.NoError(t, err)
	require.Len(t, due, 3)
	require.True(t, due[2].Expires.IsZero())

	require.ErrorIs(t, f.store.SaveWatch(f.ctx, ingest.Watch{UserID: f.user.ID, Service: "fax", Expires: week}), domain.ErrInvalidInput)
	require.ErrorIs(t, f.store.SaveWatch(f.ctx, ingest.Watch{UserID: f.user.ID, Service: domain.ServiceGmail}), domain.ErrInvalidInput)
	require.ErrorIs(t, f.store.SaveWatch(f.ctx, ingest.Watch{UserID: uuid.New(), Service: domain.ServiceGmail, Expires: week}), domain.ErrNotFound)
	_, err = f.store.DueWatches(f.ctx, []domain.Service{"fax"}, margin)
	require.ErrorIs(t, err, domain.ErrInvalidInput)
}
