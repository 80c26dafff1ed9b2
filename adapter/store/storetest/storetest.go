// Package storetest gives each test a migrated PostgreSQL schema of its own.
// Import it only from _test.go files.
//
// Creating and migrating a schema costs about a second of DDL, so schemas are
// pooled: a test holds its schema through a session advisory lock, and the
// next test to take it finds its data wiped. The pool's names carry a hash of
// the migrations, so editing a migration gives fresh schemas.
package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
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

// New returns a pool on an empty, fully migrated schema that no other test
// (in any process) uses until this test ends. Its connections use
// search_path=<schema>,public; the extensions live in public.
func New(t testing.TB) *store.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := URL()

	// This connection lives as long as the test: its session holds the
	// schema's lock.
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("storetest: connect %s (run scripts/services.sh): %v", base, err)
	}
	release := func() { _ = admin.Close(context.Background()) }
	if err := createExtensions(ctx, admin); err != nil {
		release()
		t.Fatalf("storetest: extensions: %v", err)
	}
	prefix := "tp_" + migrationsHash()
	if err := sweepStale(ctx, admin, prefix); err != nil {
		t.Logf("storetest: sweeping stale schemas: %v", err)
	}
	schema, err := lockFreeSchema(ctx, admin, prefix)
	if err != nil {
		release()
		t.Fatalf("storetest: %v", err)
	}

	u, err := url.Parse(base)
	if err != nil {
		release()
		t.Fatalf("storetest: parse %s: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	// Test data need not survive a crash; skipping the WAL flush per commit
	// makes DDL and writes cheaper.
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()

	db, err := store.Open(ctx, store.Config{URL: u.String(), MaxConns: 4})
	if err != nil {
		release()
		t.Fatalf("storetest: open: %v", err)
	}
	t.Cleanup(func() {
		// pgxpool.Close waits for every connection to come back; a test
		// that leaked one would hang here until the go test timeout.
		closed := make(chan struct{})
		go func() { db.Close(); close(closed) }()
		select {
		case <-closed:
			release()
		case <-time.After(10 * time.Second):
			// The schema stays locked: the leaked connection may still use it.
			t.Errorf("storetest: schema %s: a connection was still in use 10s after the test (rows, a transaction or a client left open?)", schema)
		}
	})
	if err := prepare(ctx, admin, db, schema); err != nil {
		t.Fatalf("storetest: prepare schema %s: %v", schema, err)
	}
	return db
}

// createExtensions creates the extensions in public once, under a lock, so
// the migration's CREATE EXTENSION IF NOT EXISTS finds them instead of
// putting a copy in a test schema, and parallel first runs do not race.
func createExtensions(ctx context.Context, conn *pgx.Conn) error {
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		for _, q := range []string{
			"SELECT pg_advisory_xact_lock(hashtext('orchestrator.storetest.extensions'))",
			"CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public",
			"CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
			"CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public",
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
}

// lockFreeSchema takes the first pool schema no other session holds.
func lockFreeSchema(ctx context.Context, conn *pgx.Conn, prefix string) (string, error) {
	for n := 0; n < 1000; n++ {
		schema := fmt.Sprintf("%s_%d", prefix, n)
		var ok bool
		if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock(hashtext($1))", schema).Scan(&ok); err != nil {
			return "", fmt.Errorf("lock schema %s: %w", schema, err)
		}
		if ok {
			return schema, nil
		}
	}
	return "", errors.New("no free schema among 1000")
}

// prepare leaves schema empty and migrated: created and migrated when new,
// wiped when reused, rebuilt when a test left it off the current migrations.
func prepare(ctx context.Context, admin *pgx.Conn, db *store.DB, schema string) error {
	ident := pgx.Identifier{schema}.Sanitize()
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1)", schema).Scan(&exists); err != nil {
		return err
	}
	if exists {
		pending, err := store.MigrationStatus(ctx, db)
		if err == nil && len(pending) == 0 {
			return wipe(ctx, admin, schema)
		}
		if _, err := admin.Exec(ctx, "DROP SCHEMA "+ident+" CASCADE"); err != nil {
			return err
		}
	}
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+ident); err != nil {
		return err
	}
	return store.Migrate(ctx, db, slog.New(slog.DiscardHandler))
}

// wipe deletes every row of the schema's tables except the migration
// bookkeeping. Triggers and foreign keys are skipped meanwhile
// (session_replication_role, superuser only), so the order does not matter;
// without that right it falls back to TRUNCATE, which costs more.
func wipe(ctx context.Context, conn *pgx.Conn, schema string) error {
	rows, err := conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = $1
		AND tablename NOT IN ('bun_migrations', 'bun_migration_locks', 'river_migration')`, schema)
	if err != nil {
		return err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) == 0 {
		return err
	}
	names := make([]string, len(tables))
	var b strings.Builder
	b.WriteString("BEGIN; SET LOCAL session_replication_role = replica;")
	for i, tbl := range tables {
		names[i] = pgx.Identifier{schema, tbl}.Sanitize()
		b.WriteString("DELETE FROM " + names[i] + ";")
	}
	b.WriteString("COMMIT;")
	if _, err := conn.Exec(ctx, b.String()); err == nil {
		return nil
	}
	_, err = conn.Exec(ctx, "ROLLBACK; TRUNCATE "+strings.Join(names, ", "))
	return err
}

// migrationsHash names the schema generation: the SQL migration files found
// from the working directory up to the module root, and River's version.
// Without the files, a fresh random generation is used (no reuse).
func migrationsHash() string {
	h := sha256.New()
	if dir, ok := migrationsDir(); ok {
		_ = fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".sql") {
				return err
			}
			b, err := os.ReadFile(filepath.Join(dir, p))
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s\x00%d\x00", p, len(b))
			h.Write(b)
			return nil
		})
	} else {
		fmt.Fprintf(h, "%d-%d", os.Getpid(), time.Now().UnixNano())
	}
	// River's migrations ship in its driver; every binary linking the
	// store links this one.
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if dep.Path == "github.com/riverqueue/river/riverdriver/riverpgxv5" {
				fmt.Fprintf(h, "%s@%s\x00", dep.Path, dep.Version)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:10]
}

func migrationsDir() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			m := filepath.Join(dir, "migrations")
			_, err := os.Stat(m)
			return m, err == nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// sweepStale drops pool schemas of other migration generations that no
// session holds (and schemas of the older t_<random> scheme). One process
// sweeps at a time; the others skip.
func sweepStale(ctx context.Context, conn *pgx.Conn, prefix string) error {
	var locked bool
	const key = "hashtext('orchestrator.storetest.sweep')"
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock("+key+")").Scan(&locked); err != nil || !locked {
		return err
	}
	defer func() { _, _ = conn.Exec(ctx, "SELECT pg_advisory_unlock("+key+")") }()
	rows, err := conn.Query(ctx, `SELECT nspname FROM pg_namespace
		WHERE (nspname LIKE 'tp\_%' AND nspname NOT LIKE $1 || '\_%')
		   OR obj_description(oid, 'pg_namespace') ~ '^storetest [0-9]+$'`, prefix)
	if err != nil {
		return err
	}
	stale, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, s := range stale {
		var ok bool
		if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock(hashtext($1))", s).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			continue // in use by a test of another generation
		}
		_, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{s}.Sanitize()+" CASCADE")
		_, _ = conn.Exec(ctx, "SELECT pg_advisory_unlock(hashtext($1))", s)
		if err != nil {
			return err
		}
	}
	return nil
}
