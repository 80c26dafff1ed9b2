package store_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/storetest"
)

func TestMigrateRollbackRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t)

	pending, err := store.MigrationStatus(ctx, db)
	require.NoError(t, err)
	require.Empty(t, pending)

	var schema, vectorSchema string
	require.NoError(t, db.Pool.QueryRow(ctx, "SELECT current_schema()").Scan(&schema))
	require.NoError(t, db.Pool.QueryRow(ctx,
		"SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'vector'").Scan(&vectorSchema))
	require.Equal(t, "public", vectorSchema, "the extension must not move into the test schema")

	// Roll back every group: application tables and then River's go away.
	for range 10 {
		require.NoError(t, store.Rollback(ctx, db))
	}
	pending, err = store.MigrationStatus(ctx, db)
	require.NoError(t, err)
	require.Contains(t, pending, "20260101000000_create_core")
	require.Contains(t, pending, "20260101000100_create_data_version")
	var tables int
	require.NoError(t, db.Pool.QueryRow(ctx,
		"SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND tablename NOT LIKE 'bun_%'", schema).Scan(&tables))
	require.Zero(t, tables)

	require.NoError(t, store.Migrate(ctx, db, slog.New(slog.DiscardHandler)))
	pending, err = store.MigrationStatus(ctx, db)
	require.NoError(t, err)
	require.Empty(t, pending)
}

func TestOpenValidates(t *testing.T) {
	t.Parallel()
	_, err := store.Open(context.Background(), store.Config{})
	require.ErrorContains(t, err, "Config.URL")
	_, err = store.Open(context.Background(), store.Config{URL: storetest.URL(), MaxConns: -1})
	require.ErrorContains(t, err, "Config.MaxConns")
}
