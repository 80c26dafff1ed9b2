package store

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/uptrace/bun/migrate"

	"github.com/workspace-orchestrator/orchestrator/migrations"
)

func newMigrator(db *DB) *migrate.Migrator {
	// Marking a migration applied only after it succeeded lets a failed one run again.
	return migrate.NewMigrator(db.Bun, migrations.Migrations, migrate.WithMarkAppliedOnSuccess(true))
}

// newRiverMigrator targets the current schema explicitly: left to the search
// path, River would take another schema's river_migration (e.g. public's) as
// its own.
func newRiverMigrator(ctx context.Context, db *DB, logger *slog.Logger) (*rivermigrate.Migrator[pgx.Tx], error) {
	var schema string
	if err := db.Pool.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return nil, fmt.Errorf("store: current schema: %w", err)
	}
	m, err := rivermigrate.New(riverpgxv5.New(db.Pool), &rivermigrate.Config{Logger: logger, Schema: schema})
	if err != nil {
		return nil, fmt.Errorf("store: river migrator: %w", err)
	}
	return m, nil
}

// withMigrationLock serialises migrations of one schema across processes with
// a session advisory lock; bun's own lock row would stay behind after a crash.
func withMigrationLock(ctx context.Context, db *DB, fn func() error) error {
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("store: migration lock: %w", err)
	}
	defer conn.Release()
	const key = "SELECT hashtext('orchestrator.migrate.' || current_schema())"
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(("+key+"))"); err != nil {
		return fmt.Errorf("store: migration lock: %w", err)
	}
	defer func() {
		// A fresh context: the lock must be released even when ctx is done.
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(("+key+"))")
	}()
	return fn()
}

// Migrate applies every pending migration: the application's (package
// migrations, through bun) and then River's.
func Migrate(ctx context.Context, db *DB, logger *slog.Logger) error {
	var hadVector bool
	if err := db.Pool.QueryRow(ctx, "SELECT to_regtype('vector') IS NOT NULL").Scan(&hadVector); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	err := withMigrationLock(ctx, db, func() error {
		m := newMigrator(db)
		if err := m.Init(ctx); err != nil {
			return fmt.Errorf("store: migrate: init bun tables: %w", err)
		}
		group, err := m.Migrate(ctx)
		if err != nil {
			return fmt.Errorf("store: migrate up: %w", err)
		}
		if !group.IsZero() {
			logger.InfoContext(ctx, "applied migrations", "group", group.ID, "migrations", group.Migrations.String())
		}
		rm, err := newRiverMigrator(ctx, db, logger)
		if err != nil {
			return err
		}
		res, err := rm.Migrate(ctx, rivermigrate.DirectionUp, nil)
		if err != nil {
			return fmt.Errorf("store: river migrate up: %w", err)
		}
		for _, v := range res.Versions {
			logger.InfoContext(ctx, "applied river migration", "version", v.Version, "name", v.Name)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !hadVector {
		// Connections opened before the extension existed lack the vector codec.
		db.Pool.Reset()
	}
	return nil
}

// Rollback undoes the last group of application migrations; once none is left
// applied it also removes River's tables.
func Rollback(ctx context.Context, db *DB) error {
	return withMigrationLock(ctx, db, func() error {
		m := newMigrator(db)
		if err := m.Init(ctx); err != nil {
			return fmt.Errorf("store: rollback: init bun tables: %w", err)
		}
		if _, err := m.Rollback(ctx); err != nil {
			return fmt.Errorf("store: rollback: %w", err)
		}
		applied, err := m.AppliedMigrations(ctx)
		if err != nil {
			return fmt.Errorf("store: rollback: %w", err)
		}
		if len(applied) > 0 {
			return nil
		}
		rm, err := newRiverMigrator(ctx, db, slog.New(slog.DiscardHandler))
		if err != nil {
			return err
		}
		if _, err := rm.Migrate(ctx, rivermigrate.DirectionDown, &rivermigrate.MigrateOpts{TargetVersion: -1}); err != nil {
			return fmt.Errorf("store: river migrate down: %w", err)
		}
		return nil
	})
}

// MigrationStatus names the migrations not applied yet (River's prefixed
// "river:"); empty means the schema is current.
func MigrationStatus(ctx context.Context, db *DB) (pending []string, err error) {
	var hasTable bool
	if err := db.Pool.QueryRow(ctx, "SELECT to_regclass(format('%I.bun_migrations', current_schema())) IS NOT NULL").Scan(&hasTable); err != nil {
		return nil, fmt.Errorf("store: migration status: %w", err)
	}
	if hasTable {
		ms, err := newMigrator(db).MigrationsWithStatus(ctx)
		if err != nil {
			return nil, fmt.Errorf("store: migration status: %w", err)
		}
		for _, m := range ms.Unapplied() {
			pending = append(pending, m.String())
		}
	} else {
		for _, m := range migrations.Migrations.Sorted() {
			pending = append(pending, m.String())
		}
	}
	rm, err := newRiverMigrator(ctx, db, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, err
	}
	existing, err := rm.ExistingVersions(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: river migration status: %w", err)
	}
	applied := make(map[int]bool, len(existing))
	for _, v := range existing {
		applied[v.Version] = true
	}
	for _, v := range rm.AllVersions() {
		if !applied[v.Version] {
			pending = append(pending, fmt.Sprintf("river:%03d_%s", v.Version, v.Name))
		}
	}
	return pending, nil
}
