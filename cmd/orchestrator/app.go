package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/redis/go-redis/v9"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/secret"
	"github.com/workspace-orchestrator/orchestrator/cmd/orchestrator/config"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

func (c *cli) config() (config.Config, error) { return config.Load(c.vars) }

func (c *cli) logger(cfg config.Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel)) // validated by config.Load
	return slog.New(slog.NewJSONHandler(c.stderr, &slog.HandlerOptions{Level: level}))
}

// app holds the connections and core services every long-running command shares.
type app struct {
	cfg   config.Config
	log   *slog.Logger
	clock domain.Clock
	db    *store.DB
	store *store.Store
	rdb   *redis.Client
}

// openApp connects to PostgreSQL and Redis; the caller closes it.
func (c *cli) openApp(ctx context.Context) (*app, error) {
	cfg, err := c.config()
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: c.logger(cfg), clock: c.clock}
	if a.clock == nil {
		a.clock = domain.SystemClock{}
	}
	if dev := cfg.DevSecrets(); len(dev) > 0 {
		a.log.Warn("using the public development secrets; set your own outside local use (ENV=production refuses them)", "variables", dev)
	}
	keys, err := secret.ParseKeyring(cfg.TokenKeys)
	if err != nil {
		return nil, fmt.Errorf("TOKEN_KEYS: %w", err)
	}
	a.db, err = store.Open(ctx, store.Config{URL: cfg.DatabaseURL, MaxConns: cfg.DatabaseMaxConns})
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	a.store = store.New(a.db, keys, a.clock)
	ropts, err := redis.ParseURL(cfg.RedisURL)
	if err != nil {
		a.db.Close()
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	a.rdb = redis.NewClient(ropts)
	if err := a.rdb.Ping(ctx).Err(); err != nil {
		a.Close()
		return nil, fmt.Errorf("REDIS_URL: redis %s: %w", ropts.Addr, err)
	}
	return a, nil
}

// Close releases the connections.
func (a *app) Close() {
	if a.rdb != nil {
		_ = a.rdb.Close()
	}
	if a.db != nil {
		a.db.Close()
	}
}
