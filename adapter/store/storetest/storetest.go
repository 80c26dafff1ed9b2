// Package storetest gives each test its own migrated PostgreSQL schema.
// Import it only from _test.go files.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
)

// DefaultURL is used when TEST_DATABASE_URL is unset; scripts/services.sh creates it.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/orchestrator_test?sslmode=disable"

// URL is the test database: TEST_DATABASE_URL or DefaultURL.
func URL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// New creates a fresh schema t_<random>, opens a pool whose connections use
// search_path=t_<random>,public (extensions live in public), applies every
// migration in it and drops it when the test ends. Safe for parallel tests
// and packages.
func New(t testing.TB) *store.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	base := URL()

	var b [8]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])

	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("storetest: connect %s (run scripts/services.sh): %v", base, err)
	}
	defer admin.Close(ctx)
	// Create the extensions in public once, under a lock, so the migration's
	// CREATE EXTENSION IF NOT EXISTS finds them instead of creating a copy
	// in the test schema, and parallel first runs do not race.
	if err := pgx.BeginFunc(ctx, admin, func(tx pgx.Tx) error {
		for _, q := range []string{
			"SELECT pg_advisory_xact_lock(hashtext('orchestrator.storetest.extensions'))",
			"CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public",
			"CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
			"CREATE SCHEMA " + schema,
			fmt.Sprintf("COMMENT ON SCHEMA %s IS 'storetest %d'", schema, time.Now().Unix()),
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatalf("storetest: prepare schema %s: %v", schema, err)
	}
	t.Cleanup(func() { dropSchema(t, base, schema) })
	if err := sweepStale(ctx, admin); err != nil {
		t.Logf("storetest: sweeping stale schemas: %v", err)
	}

	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storetest: parse %s: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	// Test data need not survive a crash; skipping the WAL flush per commit
	// makes the migration DDL much cheaper.
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()

	db, err := store.Open(ctx, store.Config{URL: u.String(), MaxConns: 4})
	if err != nil {
		t.Fatalf("storetest: open: %v", err)
	}
	t.Cleanup(db.Close)
	if err := store.Migrate(ctx, db, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("storetest: migrate schema %s: %v", schema, err)
	}
	return db
}

// staleAfter is when a schema left by a killed test run is dropped; no test
// runs that long.
const staleAfter = 2 * time.Hour

// sweepStale drops schemas that test runs killed before their cleanup left
// behind. One process sweeps at a time; the others skip.
func sweepStale(ctx context.Context, conn *pgx.Conn) error {
	var locked bool
	const key = "hashtext('orchestrator.storetest.sweep')"
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock("+key+")").Scan(&locked); err != nil || !locked {
		return err
	}
	defer func() { _, _ = conn.Exec(ctx, "SELECT pg_advisory_unlock("+key+")") }()
	rows, err := conn.Query(ctx, `SELECT nspname FROM pg_namespace
		WHERE nspname LIKE 't\_%' AND obj_description(oid, 'pg_namespace') ~ '^storetest [0-9]+$'
		AND split_part(obj_description(oid, 'pg_namespace'), ' ', 2)::bigint < $1`,
		time.Now().Add(-staleAfter).Unix())
	if err != nil {
		return err
	}
	stale, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, s := range stale {
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{s}.Sanitize()+" CASCADE"); err != nil {
			return err
		}
	}
	return nil
}

func dropSchema(t testing.TB, base, schema string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Errorf("storetest: drop schema %s: %v", schema, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE"); err != nil {
		t.Errorf("storetest: drop schema %s: %v", schema, err)
	}
}
