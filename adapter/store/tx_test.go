package store_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
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

// TestServerShutdownIsUnavailable: a connection PostgreSQL ends as it does
// when shutting down (pg_terminate_backend sends the same 57P01
// admin_shutdown) fails the transaction with domain.ErrUnavailable, so the
// edges answer UNAVAILABLE and jobs retry; so do starting up (57P03),
// crash shutdown (57P02) and refused or reset connections. Other SQL errors
// stay what they are.
func TestServerShutdownIsUnavailable(t *testing.T) {
	t.Parallel()
	f := setup(t)
	err := f.store.InTx(f.ctx, func(ctx context.Context) error {
		var pid int
		require.NoError(t, sqltx.From(ctx).QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid))
		_, err := f.db.Pool.Exec(f.ctx, "SELECT pg_terminate_backend($1)", pid)
		require.NoError(t, err)
		_, err = f.store.CreateConversation(ctx, f.user.ID, "cut short")
		return err
	})
	require.ErrorIs(t, err, domain.ErrUnavailable)
	require.Equal(t, "the service did not answer in time; try again shortly", domain.Explain(err))
	_, err = f.store.CreateConversation(f.ctx, f.user.ID, "after the cut")
	require.NoError(t, err, "the pool replaces the ended connection")

	err = f.store.InTx(f.ctx, func(ctx context.Context) error {
		_, err := sqltx.From(ctx).ExecContext(ctx, "SELEC 1")
		return err
	})
	require.Error(t, err)
	require.NotErrorIs(t, err, domain.ErrUnavailable, "a syntax error is no outage")

	for _, e := range []error{
		&pgconn.PgError{Severity: "FATAL", Code: "57P01", Message: "terminating connection due to administrator command"},
		&pgconn.PgError{Severity: "FATAL", Code: "57P02", Message: "terminating connection because of crash of another server process"},
		fmt.Errorf("connect: %w", &pgconn.PgError{Severity: "FATAL", Code: "57P03", Message: "the database system is starting up"}),
		&pgconn.PgError{Severity: "FATAL", Code: "08006", Message: "connection failure"},
		&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED},
		fmt.Errorf("read: %w", syscall.ECONNRESET),
		io.ErrUnexpectedEOF,
	} {
		require.ErrorIs(t, store.Unavailable(e), domain.ErrUnavailable, "%v", e)
		require.ErrorIs(t, store.Unavailable(e), e)
	}
	for _, e := range []error{
		&pgconn.PgError{Code: "57P04", Message: "database dropped"},
		&pgconn.PgError{Code: "23505", Message: "duplicate key"},
		errors.New("boom"),
	} {
		require.NotErrorIs(t, store.Unavailable(e), domain.ErrUnavailable, "%v", e)
	}
}
