package store_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/secret"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/storetest"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

type fixture struct {
	ctx   context.Context
	db    *store.DB
	store *store.Store
	user  domain.User
	other domain.User
	now   time.Time
	// keySpec is the keyring the store seals with (key id k1).
	keySpec string
}

func newKey(t testing.TB, id string) string {
	t.Helper()
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return id + ":" + base64.StdEncoding.EncodeToString(k)
}

// setup gives a test its own schema, a store with a fixed clock and two users.
func setup(t *testing.T) fixture { return setupB(t) }

func setupB(t testing.TB) fixture {
	t.Helper()
	ctx := context.Background()
	db := storetest.New(t)
	keySpec := newKey(t, "k1")
	keys, err := secret.ParseKeyring(keySpec)
	require.NoError(t, err)
	now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	s := store.New(db, keys, domain.FixedClock{T: now})
	user, err := s.UpsertUser(ctx, "ada@example.com")
	require.NoError(t, err)
	other, err := s.UpsertUser(ctx, "bob@example.com")
	require.NoError(t, err)
	return fixture{ctx: ctx, db: db, store: s, user: user, other: other, now: now, keySpec: keySpec}
}

func unitVector(seed int) []float32 {
	v := make([]float32, domain.EmbeddingDim)
	v[seed%domain.EmbeddingDim] = 1
	return v
}

func boolPtr(b bool) *bool { return &b }

func ids[T any](items []T, id func(T) uuid.UUID) []uuid.UUID {
	out := make([]uuid.UUID, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}
