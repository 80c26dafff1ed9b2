package synctest

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/workers"
)

func TestConnectStoresTokensEncryptedAndRefreshesPersist(t *testing.T) {
	t.Parallel()
	e := setup(t, options{workspace: map[string]emulator.Workspace{alice: workspace()}})
	ctx := context.Background()
	u, err := e.store.UpsertUser(ctx, alice)
	require.NoError(t, err)

	// The consent screen redirects back with a code, which Connect exchanges.
	verifier := oauth2.GenerateVerifier()
	back, err := emulator.Approve(ctx, http.DefaultClient, e.auth.AuthCodeURL("state-1", verifier, alice, true))
	require.NoError(t, err)
	require.Equal(t, "state-1", back.Query().Get("state"))
	require.NoError(t, e.auth.Connect(ctx, u.ID, back.Query().Get("code"), verifier))

	first, err := e.store.GoogleToken(ctx, u.ID)
	require.NoError(t, err)
	require.NotEmpty(t, first.AccessToken)
	require.NotEmpty(t, first.RefreshToken)

	// Google refuses the access token before its expiry: the transport
	// refreshes, retries, and persists the new token.
	e.emu.ExpireTokens(alice)
	e.sync(t, u, domain.ServiceDrive)
	second, err := e.store.GoogleToken(ctx, u.ID)
	require.NoError(t, err)
	require.NotEqual(t, first.AccessToken, second.AccessToken)
	require.Equal(t, first.RefreshToken, second.RefreshToken)

	// At rest, neither token appears in plain text.
	var access, refresh []byte
	var keyID string
	require.NoError(t, e.db.SQL.QueryRowContext(ctx,
		"SELECT google_access_token, google_refresh_token, token_key_id FROM users WHERE id = $1", u.ID).
		Scan(&access, &refresh, &keyID))
	require.Equal(t, "k1", keyID)
	for _, sealed := range [][]byte{access, refresh} {
		require.NotEmpty(t, sealed)
		require.False(t, bytes.Contains(sealed, []byte(second.AccessToken)))
		require.False(t, bytes.Contains(sealed, []byte(second.RefreshToken)))
	}
}

func TestRevokedAccountNeedsReauthAndIsSkipped(t *testing.T) {
	t.Parallel()
	const bob = "bob@example.com"
	e := setup(t, options{workspace: map[string]emulator.Workspace{alice: workspace(), bob: workspace()}})
	ua, ub := e.connect(t, alice), e.connect(t, bob)
	ctx := context.Background()

	e.emu.RevokeTokens(alice)
	err := e.syncer.Sync(ctx, ua.ID, domain.ServiceGmail)
	require.ErrorIs(t, err, domain.ErrReauthRequired)
	var cancel *river.JobCancelError
	require.True(t, errors.As(workers.Outcome(err), &cancel), "the job is cancelled, not retried")

	got, err := e.store.UserByID(ctx, ua.ID)
	require.NoError(t, err)
	require.True(t, got.NeedsReauth)
	require.Equal(t, domain.SyncReauth, e.status(t, ua, domain.ServiceGmail).State)

	// Later syncs of alice stop before calling Google; bob is unaffected.
	require.ErrorIs(t, e.syncer.Sync(ctx, ua.ID, domain.ServiceCalendar), domain.ErrReauthRequired)
	e.sync(t, ub, domain.ServiceGmail)
	require.Len(t, e.emails(t, ub), 3)
}
