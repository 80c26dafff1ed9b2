package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

func TestConnectGoogleRunsTheCodeFlowOnce(t *testing.T) {
	t.Parallel()
	e := setupCmd(t)
	ctx := context.Background()
	c := &cli{vars: e.vars, stdout: &lockedBuffer{}, stderr: &lockedBuffer{}}
	a, err := c.openApp(ctx)
	require.NoError(t, err)
	defer a.Close()

	u, err := a.connectGoogle(ctx, "Dana@Example.com")
	require.NoError(t, err)
	first, err := e.store.GoogleToken(ctx, u.ID)
	require.NoError(t, err)
	require.NotEmpty(t, first.RefreshToken)
	require.Contains(t, e.emu.Users(), "dana@example.com")

	again, err := a.connectGoogle(ctx, "dana@example.com")
	require.NoError(t, err)
	require.Equal(t, u.ID, again.ID)
	kept, err := e.store.GoogleToken(ctx, u.ID)
	require.NoError(t, err)
	require.Equal(t, first.RefreshToken, kept.RefreshToken, "working tokens are kept")

	// Revoked at the provider (or an emulator that restarted): connect anew.
	e.emu.RevokeTokens("dana@example.com")
	_, err = a.connectGoogle(ctx, "dana@example.com")
	require.NoError(t, err)
	fresh, err := e.store.GoogleToken(ctx, u.ID)
	require.NoError(t, err)
	require.NotEqual(t, first.RefreshToken, fresh.RefreshToken)
	reloaded, err := e.store.UserByID(ctx, u.ID)
	require.NoError(t, err)
	require.False(t, reloaded.NeedsReauth)
}

func TestConnectGoogleNeedsAnEmulator(t *testing.T) {
	t.Parallel()
	e := setupCmd(t)
	consent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("<html>Choose an account</html>")) // Google's consent page
	}))
	t.Cleanup(consent.Close)
	e.vars["GOOGLE_URL"] = consent.URL
	c := &cli{vars: e.vars, stdout: &lockedBuffer{}, stderr: &lockedBuffer{}}
	a, err := c.openApp(context.Background())
	require.NoError(t, err)
	defer a.Close()
	_, err = a.connectGoogle(context.Background(), "dana@example.com")
	require.ErrorIs(t, err, domain.ErrInvalidInput)
	require.ErrorContains(t, err, "only the Workspace emulator can be approved")
}
