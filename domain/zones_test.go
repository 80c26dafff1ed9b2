package domain_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

type users map[uuid.UUID]domain.User

func (u users) UserByID(_ context.Context, id uuid.UUID) (domain.User, error) {
	if x, ok := u[id]; ok {
		return x, nil
	}
	return domain.User{}, domain.ErrNotFound
}

func TestZones(t *testing.T) {
	t.Parallel()
	ny, paris, mars, none := uuid.New(), uuid.New(), uuid.New(), uuid.New()
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	z := domain.NewZones(users{
		ny: {ID: ny, TimeZone: "America/New_York"}, paris: {ID: paris}, mars: {ID: mars, TimeZone: "Mars/Olympus"},
	}, berlin)
	ctx := context.Background()

	loc, err := z.Location(ctx, ny)
	require.NoError(t, err)
	require.Equal(t, "America/New_York", loc.String())
	loc, err = z.Location(ctx, paris)
	require.NoError(t, err)
	require.Equal(t, berlin, loc, "no zone: the default")
	loc, err = z.Location(ctx, mars)
	require.ErrorIs(t, err, domain.ErrInvalidInput)
	require.ErrorContains(t, err, "Mars/Olympus")
	require.Equal(t, berlin, loc)
	loc, err = z.Location(ctx, none)
	require.ErrorIs(t, err, domain.ErrNotFound)
	require.Equal(t, berlin, loc)

	loc, err = domain.NewZones(nil, nil).Location(ctx, ny)
	require.NoError(t, err)
	require.Equal(t, time.UTC, loc, "without users everyone is in the default, UTC unless given")

	// The user the request loaded answers for itself, with no lookup (none
	// is unknown to users); another user is still looked up.
	asker := domain.WithUser(ctx, domain.User{ID: none, TimeZone: "Asia/Tokyo"})
	loc, err = z.Location(asker, none)
	require.NoError(t, err)
	require.Equal(t, "Asia/Tokyo", loc.String())
	loc, err = z.Location(asker, ny)
	require.NoError(t, err)
	require.Equal(t, "America/New_York", loc.String())
}

func TestCheckQuery(t *testing.T) {
	t.Parallel()
	q, err := domain.CheckQuery("  emails from Sarah ")
	require.NoError(t, err)
	require.Equal(t, "emails from Sarah", q)
	_, err = domain.CheckQuery(" \n")
	require.ErrorIs(t, err, domain.ErrInvalidInput)
	_, err = domain.CheckQuery(strings.Repeat("é", domain.MaxQueryLen))
	require.NoError(t, err, "the limit counts characters, not bytes")
	_, err = domain.CheckQuery(strings.Repeat("a", domain.MaxQueryLen+1))
	require.ErrorContains(t, err, "longer than 2000 characters")
}
