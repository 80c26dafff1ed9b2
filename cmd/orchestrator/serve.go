package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/workspace-orchestrator/orchestrator/adapter/google/googleauth"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/webhook"
	"github.com/workspace-orchestrator/orchestrator/adapter/ratelimit"
	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
	"github.com/workspace-orchestrator/orchestrator/resolvers"
	webapp "github.com/workspace-orchestrator/orchestrator/web/app"
	"github.com/workspace-orchestrator/orchestrator/web/auth"
	"github.com/workspace-orchestrator/orchestrator/web/server"
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
// gracefully: in-flight requests and asks finish, running jobs are handed back.
// With no GOOGLE_URL it first starts the built-in Workspace emulator with the
// demo workspace, and connects and syncs the demo user.
func (a *app) serve(ctx context.Context, r role) error {
	if a.cfg.DebugAddr != "" {
		stop, err := a.serveDebug()
		if err != nil {
			return err
		}
		defer stop()
	}
	if a.cfg.GoogleURL == "" && r&roleServe != 0 {
		emu, err := startEmulator(ctx, emulatorOptions{Addr: a.cfg.EmulatorAddr, Demo: a.cfg.DemoUser != "", DemoUser: a.cfg.DemoUser, Shift: true}, a.clock, a.log)
		if err != nil {
			return err
		}
		defer closeWithin(a, "emulator", emu.Close)
	}
	st, err := a.buildStack(ctx, r&roleWorker != 0)
	if err != nil {
		return err
	}
	defer closeWithin(a, "asks", st.orch.Close)
	if r&roleWorker != 0 {
		if err := st.queue.Start(ctx); err != nil {
			return err
		}
		defer closeWithin(a, "workers", st.queue.Stop)
	}
	if a.cfg.GoogleURL == "" && a.cfg.DemoUser != "" && r&roleServe != 0 {
		if err := a.syncDemo(ctx, st); err != nil {
			return err
		}
	}
	if r&roleServe == 0 {
		<-ctx.Done()
		return nil
	}
	h, err := a.handler(st)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR: %w", err)
	}
	srv := server.NewHTTPServer(h)
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

// serveDebug serves Go's profiler on DEBUG_ADDR, away from the API's
// listener so that it is never exposed with it.
func (a *app) serveDebug() (stop func(), err error) {
	ln, err := net.Listen("tcp", a.cfg.DebugAddr)
	if err != nil {
		return nil, fmt.Errorf("DEBUG_ADDR: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	a.log.Info("profiler", "url", "http://"+ln.Addr().String()+"/debug/pprof/")
	return func() { _ = srv.Close() }, nil
}

// closeWithin runs a shutdown step with a deadline of its own (the serving
// context is already done), logging rather than failing on error.
func closeWithin(a *app, what string, close func(context.Context) error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := close(ctx); err != nil {
		a.log.Warn("shutdown", "what", what, "err", err)
	}
}

// syncDemo connects the demo user to the built-in emulator and enqueues a
// sync of each service (a no-op when one is already queued or running).
func (a *app) syncDemo(ctx context.Context, st *stack) error {
	u, err := a.connectGoogle(ctx, a.cfg.DemoUser)
	if err != nil {
		return fmt.Errorf("demo user %s: %w", a.cfg.DemoUser, err)
	}
	// The demo is for trying everything (the web app pages through lists,
	// eval-ask and bench-ask send hundreds of requests): the free plan's 100
	// units an hour would run out within minutes.
	if err := a.store.SetPlan(ctx, u.ID, domain.PlanEnterprise); err != nil {
		return fmt.Errorf("demo user %s: %w", a.cfg.DemoUser, err)
	}
	for _, s := range domain.Services {
		if err := st.syncs.EnqueueSync(ctx, u.ID, s, ingest.PriorityUrgent); err != nil {
			return fmt.Errorf("demo user %s: %w", a.cfg.DemoUser, err)
		}
	}
	a.log.Info("demo user syncing", "user", a.cfg.DemoUser, "token", "orchestrator token --email "+a.cfg.DemoUser)
	return nil
}

// handler builds the HTTP handler of the server role: GraphQL over the
// stack, the web app, the playground, probes and Google's push webhooks.
func (a *app) handler(st *stack) (http.Handler, error) {
	keys, err := auth.ParseKeyset(a.cfg.JWTKeys, a.clock)
	if err != nil {
		return nil, fmt.Errorf("JWT_KEYS: %w", err)
	}
	asks, err := ratelimit.NewAskLimiter(a.rdb, ratelimit.AskConfig{PerHour: a.cfg.AskRatePerHour})
	if err != nil {
		return nil, err
	}
	sessions, err := auth.NewSessions(auth.SessionConfig{}, keys, a.store, a.clock)
	if err != nil {
		return nil, err
	}
	google, err := a.googleAuth()
	if err != nil {
		return nil, err
	}
	var requests domain.RequestLimiter // nil leaves operations unlimited
	if a.cfg.RateLimits == "on" {
		if requests, err = ratelimit.NewRequestLimiter(a.rdb, ratelimit.RequestConfig{}); err != nil {
			return nil, err
		}
	}
	hooks, err := webhook.New(webhook.Config{Secret: []byte(a.cfg.WebhookToken), Clock: a.clock}, a.store, st.syncs, a.log)
	if err != nil {
		return nil, fmt.Errorf("WEBHOOK_TOKEN: %w", err)
	}
	// Demo mode (the built-in emulator with its demo user, never in
	// production) offers a one-click entry.
	var demo string
	if a.cfg.GoogleURL == "" && !a.cfg.Production() {
		demo = a.cfg.DemoUser
	}
	signIn, err := a.signIn(keys, sessions, google, demo, st)
	if err != nil {
		return nil, err
	}
	page, err := webapp.Handler(webapp.Config{DemoUser: demo})
	if err != nil {
		return nil, err
	}
	mounts := map[string]http.Handler{webhooksPath + "/": http.StripPrefix(webhooksPath, hooks), "/auth/": signIn}
	for _, p := range webapp.Patterns {
		mounts[p] = page
	}
	return server.New(server.Config{DisableIntrospection: a.cfg.Production(), CORSOrigins: a.cfg.CORSOrigins,
		LoginURL: a.publicURL() + auth.LoginPath}, server.Deps{
		Resolver: resolvers.Resolver{
			Users:             a.store.AccountStore,
			Workspace:         a.store,
			ConversationStore: a.store.ConversationStore,
			Clock:             a.clock,
			Asker:             st.orch,
			Answers:           st.answers,
			AskLimiter:        asks,
			Searcher:          st.search,
			SyncStatuses:      a.store.SyncStore,
			SyncQueue:         st.syncs,
			Accounts: auth.Accounts{
				Sessions: sessions, Google: google, Users: a.store, Jobs: st.queue, Tx: a.store,
			},
			Logger: a.log,
		},
		Keys:        keys,
		RateLimiter: requests,
		Ready:       a.ready,
		Logger:      a.log,
		Mounts:      mounts,
	})
}

// signIn builds the sign-in endpoints (/auth/...): Google's flow against
// the endpoint in use, sessions, and the one-click sign-in as demo (when
// not empty). Cookies are Secure in production and behind an HTTPS PUBLIC_URL.
func (a *app) signIn(keys *auth.Keyset, sessions *auth.Sessions, google *googleauth.Auth, demo string, st *stack) (http.Handler, error) {
	secure := a.cfg.Production() || strings.HasPrefix(a.cfg.PublicURL, "https://")
	return auth.NewHandler(auth.HandlerConfig{DemoUser: demo, SecureCookies: secure, ReturnOrigins: a.cfg.CORSOrigins}, auth.HandlerDeps{
		Keys: keys, Sessions: sessions, Users: a.store, Tokens: a.store, Tx: a.store, Sync: st.syncs,
		Google: google, Logger: a.log,
	})
}

// webhooksPath is where the server mounts Google's push webhooks; the
// renew_watches job points Calendar and Drive channels under it.
const webhooksPath = "/webhooks"

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
