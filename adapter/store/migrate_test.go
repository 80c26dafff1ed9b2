package store_test

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
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

// Another schema later on the search path that already has River's and bun's
// tables (as public may) must not be taken for this schema's.
func TestMigrateIgnoresOtherSchemasOnSearchPath(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	other := storetest.New(t) // fully migrated
	var otherSchema string
	require.NoError(t, other.Pool.QueryRow(ctx, "SELECT current_schema()").Scan(&otherSchema))

	fresh := "m_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	_, err := other.Pool.Exec(ctx, "CREATE SCHEMA "+fresh)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = other.Pool.Exec(context.Background(), "DROP SCHEMA "+fresh+" CASCADE") })

	u, err := url.Parse(storetest.URL())
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", fresh+","+otherSchema+",public")
	u.RawQuery = q.Encode()
	db, err := store.Open(ctx, store.Config{URL: u.String(), MaxConns: 2})
	require.NoError(t, err)
	t.Cleanup(db.Close)

	pending, err := store.MigrationStatus(ctx, db)
	require.NoError(t, err)
	require.Contains(t, pending, "20260101000000_create_core")
	require.Contains(t, pending, "river:001_create river migration")
	require.NoError(t, store.Migrate(ctx, db, slog.New(slog.DiscardHandler)))
	pending, err = store.MigrationStatus(ctx, db)
	require.NoError(t, err)
	require.Empty(t, pending)
	var n int
	require.NoError(t, db.Pool.QueryRow(ctx,
		"SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND tablename IN ('river_job', 'users', 'bun_migrations')", fresh).Scan(&n))
	require.Equal(t, 3, n)
}
