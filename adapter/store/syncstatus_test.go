package store_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

func TestSyncStatus(t *testing.T) {
	t.Parallel()
	f := setup(t)

	st, err := f.store.SyncStatus(f.ctx, f.user.ID, domain.ServiceGmail)
	require.NoError(t, err)
	require.Equal(t, domain.SyncNeverSynced, st.State)

	last := time.Date(2026, 3, 1, 7, 0, 0, 0, time.UTC)
	want := domain.SyncStatus{UserID: f.user.ID, Service: domain.ServiceGmail, State: domain.SyncRunning,
		LastSyncAt: last, Token: "12345", Checkpoint: "page-2", StartToken: "12000", ItemCount: 40}
	require.NoError(t, f.store.SaveSyncStatus(f.ctx, want))
	want.State, want.Checkpoint, want.Error, want.ItemCount = domain.SyncFailed, "", "boom", 41
	require.NoError(t, f.store.SaveSyncStatus(f.ctx, want))

	st, err = f.store.SyncStatus(f.ctx, f.user.ID, domain.ServiceGmail)
	require.NoError(t, err)
	require.True(t, st.LastSyncAt.Equal(last))
	require.True(t, st.UpdatedAt.Equal(f.now))
	st.LastSyncAt, st.UpdatedAt = want.LastSyncAt, want.UpdatedAt
	require.Equal(t, want, st)

	all, err := f.store.SyncStatuses(f.ctx, f.user.ID)
	require.NoError(t, err)
	require.Len(t, all, 3)
	require.Equal(t, domain.SyncFailed, all[0].State)
	require.Equal(t, domain.ServiceCalendar, all[1].Service)
	require.Equal(t, domain.SyncNeverSynced, all[1].State)

	other, err := f.store.SyncStatus(f.ctx, f.other.ID, domain.ServiceGmail)
	require.NoError(t, err)
	require.Equal(t, domain.SyncNeverSynced, other.State, "statuses are per user")

	_, err = f.store.SyncStatus(f.ctx, f.user.ID, "fax")
	require.ErrorIs(t, err, domain.ErrInvalidInput)
	require.ErrorIs(t, f.store.SaveSyncStatus(f.ctx, domain.SyncStatus{UserID: f.user.ID, Service: domain.ServiceDrive}), domain.ErrInvalidInput)
}
