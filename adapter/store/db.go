// Package store keeps the product's data in PostgreSQL with pgvector: users and
// their sealed Google tokens, conversations, the three workspace caches and
// sync status. Repository functions take a bun.IDB from the context, so they
// run inside a transaction opened by InTx or on the pool outside one.
package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	pgxvec "github.com/pgvector/pgvector-go/pgx"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Config says how to reach PostgreSQL.
type Config struct {
	// URL is a postgres:// connection string. Required. Unknown query
	// parameters (e.g. search_path) become session settings. Queries run in
	// the simple protocol unless the URL sets default_query_exec_mode.
	URL string
	// MaxConns caps the pool. Defaults to DefaultMaxConns (10).
	MaxConns int
	// MinConns is kept open while idle. Defaults to 0.
	MinConns int
	// ConnectTimeout bounds opening one connection. Defaults to
	// DefaultConnectTimeout (5s).
	ConnectTimeout time.Duration
}

// Defaults of Config.
const (
	DefaultMaxConns       = 10
	DefaultConnectTimeout = 5 * time.Second
)

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	c.MaxConns = cmp.Or(c.MaxConns, DefaultMaxConns)
	c.ConnectTimeout = cmp.Or(c.ConnectTimeout, DefaultConnectTimeout)
	return c
}

func (c Config) validate() error {
	switch {
	case c.URL == "":
		return errors.New("store: Config.URL is empty")
	case c.MaxConns < 1:
		return fmt.Errorf("store: Config.MaxConns is %d, want >= 1", c.MaxConns)
	case c.MinConns < 0 || c.MinConns > c.MaxConns:
		return fmt.Errorf("store: Config.MinConns is %d, want 0..MaxConns (%d)", c.MinConns, c.MaxConns)
	case c.ConnectTimeout < 0:
		return fmt.Errorf("store: Config.ConnectTimeout is %s, want > 0", c.ConnectTimeout)
	}
	return nil
}

// DB is one pgx pool seen three ways: pgx for pgx-native users (River's
// riverpgxv5), database/sql for riverdatabasesql and sqltx, and bun for the
// repositories. Closing DB closes all three.
type DB struct {
	Pool *pgxpool.Pool
	SQL  *sql.DB
	Bun  *bun.DB
}

// Open connects to PostgreSQL and checks that it answers.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	pc, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("store: Config.URL: %w", err)
	}
	pc.MaxConns = int32(cfg.MaxConns)
	pc.MinConns = int32(cfg.MinConns)
	pc.ConnConfig.ConnectTimeout = cfg.ConnectTimeout
	if !strings.Contains(cfg.URL, "default_query_exec_mode=") {
		// bun writes arguments into the SQL text, so nearly every statement
		// is new: pgx's default (prepare and cache each one) costs a second
		// round trip and a cache eviction per query for nothing.
		pc.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	}
	pc.AfterConnect = registerVector
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("store: open pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: ping %s@%s: %w", pc.ConnConfig.User, pc.ConnConfig.Host, err)
	}
	sqlDB := stdlib.OpenDBFromPool(pool)
	return &DB{Pool: pool, SQL: sqlDB, Bun: bun.NewDB(sqlDB, pgdialect.New())}, nil
}

// registerVector teaches pgx the vector types for pgx-native queries. Before
// the first migration the extension may not exist yet; Migrate resets the pool
// afterwards so new connections register it.
func registerVector(ctx context.Context, conn *pgx.Conn) error {
	var oid *uint32
	if err := conn.QueryRow(ctx, "SELECT to_regtype('vector')::oid").Scan(&oid); err != nil {
		return fmt.Errorf("store: look up vector type: %w", err)
	}
	if oid == nil {
		return nil
	}
	return pgxvec.RegisterTypes(ctx, conn)
}

// Close closes the pool (and so the database/sql and bun views of it).
func (db *DB) Close() {
	_ = db.Bun.Close() // closes SQL; the pool is closed below
	db.Pool.Close()
}
