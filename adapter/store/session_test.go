package store_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

func TestSessionRotation(t *testing.T) {
	t.Parallel()
	f := setup(t)
	family := uuid.New()
	session := func(hash string, ttl time.Duration) domain.Session {
		return domain.Session{UserID: f.user.ID, FamilyID: family, TokenHash: []byte(hash), ExpiresAt: f.now.Add(ttl)}
	}
	require.NoError(t, f.store.CreateSession(f.ctx, session("t1", time.Hour)))

	u, err := f.store.RotateSession(f.ctx, []byte("t1"), domain.Session{TokenHash: []byte("t2"), ExpiresAt: f.now.Add(time.Hour)})
	require.NoError(t, err)
	require.Equal(t, f.user.ID, u.ID)

	_, err = f.store.RotateSession(f.ctx, []byte("unknown"), domain.Session{TokenHash: []byte("x"), ExpiresAt: f.now.Add(time.Hour)})
	require.ErrorIs(t, err, domain.ErrUnauthenticated)

	// t1 is spent: presenting it again revokes t2 too.
	_, err = f.store.RotateSession(f.ctx, []byte("t1"), domain.Session{TokenHash: []byte("t3"), ExpiresAt: f.now.Add(time.Hour)})
	require.ErrorIs(t, err, domain.ErrSessionReused)
	require.ErrorIs(t, err, domain.ErrUnauthenticated)
	_, err = f.store.RotateSession(f.ctx, []byte("t2"), domain.Session{TokenHash: []byte("t4"), ExpiresAt: f.now.Add(time.Hour)})
	require.ErrorIs(t, err, domain.ErrUnauthenticated)

	// Expired tokens and revoked families are refused.
	family = uuid.New()
	require.NoError(t, f.store.CreateSession(f.ctx, session("old", -time.Second)))
	_, err = f.store.RotateSession(f.ctx, []byte("old"), domain.Session{TokenHash: []byte("t5"), ExpiresAt: f.now.Add(time.Hour)})
	require.ErrorIs(t, err, domain.ErrUnauthenticated)

	family = uuid.New()
	require.NoError(t, f.store.CreateSession(f.ctx, session("live", time.Hour)))
	require.NoError(t, f.store.RevokeSession(f.ctx, []byte("live")))
	require.NoError(t, f.store.RevokeSession(f.ctx, []byte("live")), "signing out twice is harmless")
	_, err = f.store.RotateSession(f.ctx, []byte("live"), domain.Session{TokenHash: []byte("t6"), ExpiresAt: f.now.Add(time.Hour)})
	require.ErrorIs(t, err, domain.ErrUnauthenticated)

	family = uuid.New()
	require.NoError(t, f.store.CreateSession(f.ctx, session("a", time.Hour)))
	require.NoError(t, f.store.RevokeUserSessions(f.ctx, f.user.ID))
	_, err = f.store.RotateSession(f.ctx, []byte("a"), domain.Session{TokenHash: []byte("t7"), ExpiresAt: f.now.Add(time.Hour)})
	require.ErrorIs(t, err, domain.ErrUnauthenticated)
}

func TestDeleteUser(t *testing.T) {
	t.Parallel()
	f := setup(t)
	require.NoError(t, f.store.CreateSession(f.ctx, domain.Session{UserID: f.user.ID, FamilyID: uuid.New(), TokenHash: []byte("h"), ExpiresAt: f.now.Add(time.Hour)}))
	_, err := f.store.CreateConversation(f.ctx, f.user.ID, "hello")
	require.NoError(t, err)

	require.NoError(t, f.store.DeleteUser(f.ctx, f.user.ID))
	_, err = f.store.UserByID(f.ctx, f.user.ID)
	require.ErrorIs(t, err, domain.ErrNotFound)
	require.ErrorIs(t, f.store.DeleteUser(f.ctx, f.user.ID), domain.ErrNotFound)
	_, err = f.store.UserByID(f.ctx, f.other.ID)
	require.NoError(t, err, "other users stay")
}
