package store_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/secret"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/sqltx"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

func TestUsers(t *testing.T) {
	t.Parallel()
	f := setup(t)

	again, err := f.store.UpsertUser(f.ctx, "ADA@example.com")
	require.NoError(t, err)
	require.Equal(t, f.user.ID, again.ID, "emails match case-insensitively")
	require.Equal(t, "ada@example.com", again.Email)
	require.Equal(t, "UTC", again.TimeZone)
	require.Equal(t, domain.PlanFree, again.Plan, "new users are on the free plan")

	byID, err := f.store.UserByID(f.ctx, f.user.ID)
	require.NoError(t, err)
	require.Equal(t, f.user, byID)
	byEmail, err := f.store.UserByEmail(f.ctx, "Ada@Example.com")
	require.NoError(t, err)
	require.Equal(t, f.user.ID, byEmail.ID)

	_, err = f.store.UserByID(f.ctx, uuid.New())
	require.ErrorIs(t, err, domain.ErrNotFound)

	// Operators set plans in SQL; only the three plans are allowed.
	_, err = f.db.Pool.Exec(f.ctx, `UPDATE users SET plan = 'pro' WHERE id = $1`, f.other.ID)
	require.NoError(t, err)
	other, err := f.store.UserByID(f.ctx, f.other.ID)
	require.NoError(t, err)
	require.Equal(t, domain.PlanPro, other.Plan)
	require.NoError(t, f.store.SetPlan(f.ctx, f.other.ID, domain.PlanEnterprise))
	other, err = f.store.UserByID(f.ctx, f.other.ID)
	require.NoError(t, err)
	require.Equal(t, domain.PlanEnterprise, other.Plan)
	require.ErrorIs(t, f.store.SetPlan(f.ctx, uuid.New(), domain.PlanPro), domain.ErrNotFound)
	_, err = f.db.Pool.Exec(f.ctx, `UPDATE users SET plan = 'gold' WHERE id = $1`, f.other.ID)
	require.ErrorContains(t, err, "users_plan_check")
	_, err = f.store.UserByEmail(f.ctx, "nobody@example.com")
	require.ErrorIs(t, err, domain.ErrNotFound)
	_, err = f.store.UpsertUser(f.ctx, "not-an-address")
	require.ErrorIs(t, err, domain.ErrInvalidInput)

	at := time.Date(2026, 3, 3, 8, 0, 0, 0, time.UTC)
	require.NoError(t, f.store.TouchUser(f.ctx, f.user.ID, at))
	byID, err = f.store.UserByID(f.ctx, f.user.ID)
	require.NoError(t, err)
	require.True(t, at.Equal(byID.LastActiveAt))
	require.ErrorIs(t, f.store.TouchUser(f.ctx, uuid.New(), at), domain.ErrNotFound)

	later, err := f.store.UpsertUser(f.ctx, "later@example.com")
	require.NoError(t, err)
	require.NoError(t, f.store.TouchUser(f.ctx, later.ID, at.Add(time.Hour)))
	gone, err := f.store.UpsertUser(f.ctx, "gone@example.com")
	require.NoError(t, err)
	require.NoError(t, f.store.TouchUser(f.ctx, gone.ID, at.Add(2*time.Hour)))
	require.NoError(t, f.store.MarkReauth(f.ctx, gone.ID, ""))
	active, err := f.store.ActiveUsers(f.ctx, at)
	require.NoError(t, err)
	require.Len(t, active, 2, "users who must reconnect are not synced")
	require.Equal(t, []uuid.UUID{later.ID, f.user.ID}, []uuid.UUID{active[0].ID, active[1].ID}, "most recent first")
	active, err = f.store.ActiveUsers(f.ctx, at.Add(time.Minute))
	require.NoError(t, err)
	require.Len(t, active, 1)
}

func TestGoogleTokensAreSealed(t *testing.T) {
	t.Parallel()
	f := setup(t)

	_, err := f.store.GoogleToken(f.ctx, f.user.ID)
	require.ErrorIs(t, err, domain.ErrNotFound, "no token before the user connects Google")

	expiry := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	tok := domain.GoogleToken{AccessToken: "ya29.access-SECRET", RefreshToken: "1//refresh-SECRET", Expiry: expiry}
	require.NoError(t, f.store.MarkReauth(f.ctx, f.user.ID, ""))
	require.NoError(t, f.store.SaveGoogleToken(f.ctx, f.user.ID, tok))

	got, err := f.store.GoogleToken(f.ctx, f.user.ID)
	require.NoError(t, err)
	require.Equal(t, tok.AccessToken, got.AccessToken)
	require.Equal(t, tok.RefreshToken, got.RefreshToken)
	require.True(t, expiry.Equal(got.Expiry))
	u, err := f.store.UserByID(f.ctx, f.user.ID)
	require.NoError(t, err)
	require.False(t, u.NeedsReauth, "saving a token clears needs_reauth")

	// What is in the table is ciphertext under a named key.
	var access, refresh []byte
	var keyID string
	require.NoError(t, f.db.Pool.QueryRow(f.ctx,
		"SELECT google_access_token, google_refresh_token, token_key_id FROM users WHERE id = $1", f.user.ID).
		Scan(&access, &refresh, &keyID))
	require.Equal(t, "k1", keyID)
	require.False(t, bytes.Contains(access, []byte("SECRET")))
	require.False(t, bytes.Contains(refresh, []byte("SECRET")))
	var plainRows int
	require.NoError(t, f.db.Pool.QueryRow(f.ctx,
		"SELECT count(*) FROM users WHERE encode(google_access_token, 'escape') LIKE '%SECRET%' OR encode(google_refresh_token, 'escape') LIKE '%SECRET%'").
		Scan(&plainRows))
	require.Zero(t, plainRows)

	// Google omits the refresh token on refresh: the stored one stays, and
	// after a key rotation both are sealed under the new primary key.
	keys, err := secret.ParseKeyring(newKey(t, "k2") + "," + f.keySpec)
	require.NoError(t, err)
	rotated := store.New(f.db, keys, domain.FixedClock{T: f.now})
	require.NoError(t, rotated.SaveGoogleToken(f.ctx, f.user.ID, domain.GoogleToken{AccessToken: "ya29.new"}))
	got, err = rotated.GoogleToken(f.ctx, f.user.ID)
	require.NoError(t, err)
	require.Equal(t, "ya29.new", got.AccessToken)
	require.Equal(t, tok.RefreshToken, got.RefreshToken)
	require.True(t, got.Expiry.IsZero())
	require.NoError(t, f.db.Pool.QueryRow(f.ctx, "SELECT token_key_id FROM users WHERE id = $1", f.user.ID).Scan(&keyID))
	require.Equal(t, "k2", keyID)

	require.NoError(t, rotated.MarkReauth(f.ctx, f.user.ID, tok.RefreshToken))
	u, err = f.store.UserByID(f.ctx, f.user.ID)
	require.NoError(t, err)
	require.True(t, u.NeedsReauth)
	require.ErrorIs(t, f.store.MarkReauth(f.ctx, uuid.New(), ""), domain.ErrNotFound)
	require.ErrorIs(t, f.store.SaveGoogleToken(f.ctx, uuid.New(), tok), domain.ErrNotFound)
}

// A refresh races with the user reconnecting (a new grant) and revoking
// access (a mark): in every order, what the stale refresh decides afterwards
// does not land.
func TestStaleRefreshLosesToNewerGrantOrMark(t *testing.T) {
	t.Parallel()
	f := setup(t)
	old := domain.GoogleToken{AccessToken: "ya29.a1", RefreshToken: "1//r1", Expiry: f.now.Add(time.Hour)}
	grant := domain.GoogleToken{AccessToken: "ya29.a2", RefreshToken: "1//r2", Expiry: f.now.Add(time.Hour)}
	// What refreshing old answers; Google omits the refresh token.
	refreshed := domain.GoogleToken{AccessToken: "ya29.a1-refreshed", Expiry: f.now.Add(2 * time.Hour)}
	n := 0
	connected := func() uuid.UUID {
		n++
		u, err := f.store.UpsertUser(f.ctx, fmt.Sprintf("race%d@example.com", n))
		require.NoError(t, err)
		require.NoError(t, f.store.SaveGoogleToken(f.ctx, u.ID, old))
		return u.ID
	}
	state := func(id uuid.UUID) (domain.GoogleToken, bool) {
		tok, err := f.store.GoogleToken(f.ctx, id)
		require.NoError(t, err)
		u, err := f.store.UserByID(f.ctx, id)
		require.NoError(t, err)
		return tok, u.NeedsReauth
	}

	// In time, a refresh stores its access token and keeps the refresh token.
	id := connected()
	require.NoError(t, f.store.SaveRefreshed(f.ctx, id, old.RefreshToken, refreshed))
	tok, reauth := state(id)
	require.Equal(t, refreshed.AccessToken, tok.AccessToken)
	require.Equal(t, old.RefreshToken, tok.RefreshToken)
	require.True(t, refreshed.Expiry.Equal(tok.Expiry))
	require.False(t, reauth)
	require.ErrorIs(t, f.store.SaveRefreshed(f.ctx, uuid.New(), old.RefreshToken, refreshed), domain.ErrNotFound)

	// Refused, then the user reconnects before the refusal is recorded: the
	// new grant is not marked.
	id = connected()
	require.NoError(t, f.store.SaveGoogleToken(f.ctx, id, grant))
	require.ErrorIs(t, f.store.MarkReauth(f.ctx, id, old.RefreshToken), domain.ErrConflict)
	tok, reauth = state(id)
	require.Equal(t, grant.RefreshToken, tok.RefreshToken)
	require.False(t, reauth)

	// Refreshed, then the user revokes access before the refresh is saved:
	// the mark stays and the late save does not land.
	id = connected()
	require.NoError(t, f.store.MarkReauth(f.ctx, id, old.RefreshToken))
	require.ErrorIs(t, f.store.SaveRefreshed(f.ctx, id, old.RefreshToken, refreshed), domain.ErrReauthRequired)
	tok, reauth = state(id)
	require.Equal(t, old.AccessToken, tok.AccessToken)
	require.True(t, reauth)

	// Refreshed, then the user reconnects before the refresh is saved: the
	// new grant is kept whole.
	id = connected()
	require.NoError(t, f.store.SaveGoogleToken(f.ctx, id, grant))
	require.ErrorIs(t, f.store.SaveRefreshed(f.ctx, id, old.RefreshToken, refreshed), domain.ErrConflict)
	tok, reauth = state(id)
	require.Equal(t, grant.AccessToken, tok.AccessToken)
	require.Equal(t, grant.RefreshToken, tok.RefreshToken)
	require.False(t, reauth)

	// The same two races with the first writer's transaction still open when
	// the second reads: the second waits for it and decides on what it wrote.
	id = connected()
	err := afterCommitOf(t, f,
		func(ctx context.Context) error { return f.store.SaveGoogleToken(ctx, id, grant) },
		func() error { return f.store.MarkReauth(f.ctx, id, old.RefreshToken) })
	require.ErrorIs(t, err, domain.ErrConflict)
	_, reauth = state(id)
	require.False(t, reauth)

	id = connected()
	err = afterCommitOf(t, f,
		func(ctx context.Context) error { return f.store.MarkReauth(ctx, id, old.RefreshToken) },
		func() error { return f.store.SaveRefreshed(f.ctx, id, old.RefreshToken, refreshed) })
	require.ErrorIs(t, err, domain.ErrReauthRequired)
	tok, reauth = state(id)
	require.Equal(t, old.AccessToken, tok.AccessToken)
	require.True(t, reauth)

	// A sign-in without a new refresh token (no consent screen) keeps the
	// refused one, and so the mark; one with a new refresh token clears it.
	require.NoError(t, f.store.SaveGoogleToken(f.ctx, id, domain.GoogleToken{AccessToken: "ya29.signed-in"}))
	tok, reauth = state(id)
	require.Equal(t, old.RefreshToken, tok.RefreshToken)
	require.True(t, reauth)
	require.NoError(t, f.store.SaveGoogleToken(f.ctx, id, grant))
	_, reauth = state(id)
	require.False(t, reauth)
}

// afterCommitOf runs first in a transaction that commits only once second,
// started meanwhile, waits on a lock that transaction holds; it returns
// second's error.
func afterCommitOf(t *testing.T, f fixture, first func(ctx context.Context) error, second func() error) error {
	t.Helper()
	done := make(chan error, 1)
	require.NoError(t, f.store.InTx(f.ctx, func(ctx context.Context) error {
		require.NoError(t, first(ctx))
		var pid int
		require.NoError(t, sqltx.From(ctx).QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid))
		go func() { done <- second() }()
		require.Eventually(t, func() bool {
			var waits bool
			err := f.db.Pool.QueryRow(f.ctx,
				"SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE $1::int = ANY(pg_blocking_pids(pid)))", pid).Scan(&waits)
			return err == nil && waits
		}, 30*time.Second, 5*time.Millisecond, "second waits for first's transaction")
		return nil
	}))
	return <-done
}
