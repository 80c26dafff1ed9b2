package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store/sqltx"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

func TestInTxRollbackLeavesNothing(t *testing.T) {
	t.Parallel()
	f := setup(t)
	boom := errors.New("boom")

	err := f.store.InTx(f.ctx, func(ctx context.Context) error {
		_, err := f.store.CreateConversation(ctx, f.user.ID, "doomed")
		require.NoError(t, err)
		require.NoError(t, f.store.UpsertEmails(ctx, f.user.ID, []domain.Email{testEmail(1, f.now)}))
		// A nested InTx joins the outer transaction.
		require.NoError(t, f.store.InTx(ctx, func(ctx context.Context) error {
			return f.store.SaveSyncStatus(ctx, domain.SyncStatus{UserID: f.user.ID, Service: domain.ServiceGmail, State: domain.SyncIdle})
		}))
		// The job queue writes through the *sql.Tx carried by ctx.
		tx := sqltx.From(ctx)
		require.NotNil(t, tx)
		_, err = tx.ExecContext(ctx, "UPDATE users SET display_name = 'changed' WHERE id = $1", f.user.ID)
		require.NoError(t, err)
		// Inside, the transaction sees its own writes.
		list, _, err := f.store.Emails(ctx, f.user.ID, domain.Filter{}, domain.Page{})
		require.NoError(t, err)
		require.Len(t, list, 1)
		return boom
	})
	require.ErrorIs(t, err, boom)

	convs, _, err := f.store.Conversations(f.ctx, f.user.ID, domain.Page{})
	require.NoError(t, err)
	require.Empty(t, convs)
	mails, _, err := f.store.Emails(f.ctx, f.user.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	require.Empty(t, mails)
	st, err := f.store.SyncStatus(f.ctx, f.user.ID, domain.ServiceGmail)
	require.NoError(t, err)
	require.Equal(t, domain.SyncNeverSynced, st.State)
	v, err := f.store.DataVersion(f.ctx, f.user.ID)
	require.NoError(t, err)
	require.Zero(t, v)
	u, err := f.store.UserByID(f.ctx, f.user.ID)
	require.NoError(t, err)
	require.Empty(t, u.DisplayName)
	require.Nil(t, sqltx.From(f.ctx))

	require.NoError(t, f.store.InTx(f.ctx, func(ctx context.Context) error {
		_, err := f.store.CreateConversation(ctx, f.user.ID, "kept")
		return err
	}))
	convs, _, err = f.store.Conversations(f.ctx, f.user.ID, domain.Page{})
	require.NoError(t, err)
	require.Len(t, convs, 1)
}

func TestInTxHonoursContext(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx, cancel := context.WithTimeout(f.ctx, 50*time.Millisecond)
	defer cancel()
	err := f.store.InTx(ctx, func(ctx context.Context) error {
		_, err := f.store.CreateConversation(ctx, f.user.ID, "slow")
		require.NoError(t, err)
		<-ctx.Done()
		return ctx.Err()
	})
	require.Error(t, err)
	convs, _, err := f.store.Conversations(f.ctx, f.user.ID, domain.Page{})
	require.NoError(t, err)
	require.Empty(t, convs)
}
