package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/auth"
	"github.com/workspace-orchestrator/orchestrator/resolvers"
	"github.com/workspace-orchestrator/orchestrator/server"
)

type role int

const (
	roleServe role = 1 << iota
	roleWorker
)

func serveCmd(c *cli, use, short string, r role) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := c.openApp(cmd.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			return a.serve(cmd.Context(), r)
		},
	}
}

// serve runs the server and/or the workers until ctx ends, then shuts down
// gracefully: in-flight requests and asks finish, jobs are handed back.
func (a *app) serve(ctx context.Context, r role) error {
	if r&roleServe == 0 {
		<-ctx.Done()
		return nil
	}
	h, err := a.handler()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	a.log.Info("serving", "graphql", "http://"+ln.Addr().String()+"/graphql", "playground", "http://"+ln.Addr().String()+"/playground")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// handler builds the HTTP handler of the server role.
func (a *app) handler() (http.Handler, error) {
	keys, err := auth.ParseKeyset(a.cfg.JWTKeys, a.clock)
	if err != nil {
		return nil, fmt.Errorf("JWT_KEYS: %w", err)
	}
	return server.New(server.Config{}, server.Deps{
		Resolver: resolvers.Resolver{
			Users:             a.store,
			Workspace:         a.store,
			ConversationStore: a.store,
			Clock:             a.clock,
		},
		Keys:   keys,
		Ready:  a.ready,
		Logger: a.log,
	})
}

// ready is nil when PostgreSQL and Redis answer and the schema is current.
func (a *app) ready(ctx context.Context) error {
	if err := a.db.Pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgresql: %w", err)
	}
	if err := a.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis: %w", err)
	}
	pending, err := store.MigrationStatus(ctx, a.db)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if len(pending) > 0 {
		return fmt.Errorf("migrations: %d pending (run `orchestrator migrate up`)", len(pending))
	}
	return nil
}
