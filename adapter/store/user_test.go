package store_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/secret"
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
	require.NoError(t, f.store.MarkReauth(f.ctx, gone.ID, true))
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
	require.NoError(t, f.store.MarkReauth(f.ctx, f.user.ID, true))
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

	require.NoError(t, f.store.MarkReauth(f.ctx, f.user.ID, true))
	u, err = f.store.UserByID(f.ctx, f.user.ID)
	require.NoError(t, err)
	require.True(t, u.NeedsReauth)
	require.ErrorIs(t, f.store.MarkReauth(f.ctx, uuid.New(), true), domain.ErrNotFound)
	require.ErrorIs(t, f.store.SaveGoogleToken(f.ctx, uuid.New(), tok), domain.ErrNotFound)
}
