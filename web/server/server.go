// Package server builds the service's http.Handler: the gqlgen GraphQL
// endpoint with its transports and limits, bearer authentication, the
// embedded playground, health probes, request ids and JSON access logs.
package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/CAFxX/httpcompression"
	"github.com/coder/websocket"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/graph"
	"github.com/workspace-orchestrator/orchestrator/resolvers"
	"github.com/workspace-orchestrator/orchestrator/web/auth"
	"github.com/workspace-orchestrator/orchestrator/web/playground"
)

// Config tunes the GraphQL endpoint. Zero fields take their defaults.
type Config struct {
	// ComplexityLimit caps an operation's complexity: one per field, list
	// fields times their page size (resolvers.Complexity). Defaults to
	// DefaultComplexityLimit (5000).
	ComplexityLimit int
	// DepthLimit caps how deeply selections nest, introspection excepted.
	// Defaults to DefaultDepthLimit (12).
	DepthLimit int
	// QueryCacheSize is how many parsed and validated queries are kept (LRU).
	// Defaults to DefaultQueryCacheSize (1000).
	QueryCacheSize int
	// APQCacheSize is how many automatic persisted queries are kept (LRU).
	// Defaults to DefaultAPQCacheSize (1000).
	APQCacheSize int
	// KeepAlive is how often a websocket gets a keep-alive ("ka" on graphql-ws,
	// ping on graphql-transport-ws, where a client that misses two pongs is
	// dropped). Defaults to DefaultKeepAlive (10s).
	KeepAlive time.Duration
	// InitTimeout is how long a websocket may take to send connection_init.
	// Defaults to DefaultInitTimeout (10s).
	InitTimeout time.Duration
	// CORSOrigins are the origins (scheme://host[:port]) of front ends on other
	// origins that may call the API with credentials (cookies or bearer
	// tokens): HTTP requests get CORS headers and preflights answers, and
	// websockets from them are accepted. Others get no CORS headers, so
	// browsers keep their scripts from reading answers. Defaults to none.
	CORSOrigins []string
	// WebsocketOrigins are extra Origin host patterns (path.Match syntax) allowed
	// to open a websocket besides the server's own host. Defaults to none.
	WebsocketOrigins []string
	// DisableIntrospection turns schema introspection off (INTROSPECTION_DISABLED)
	// and with it the "did you mean" field suggestions of validation errors,
	// which would name the schema's fields anyway. Production mode sets it.
	// Defaults to false.
	DisableIntrospection bool

	// Bounds on one request, checked before the query is validated (limits.go).
	// Anonymous callers get a quarter of MaxQueryBytes, MaxQueryTokens and MaxFields.

	// MaxBodyBytes caps a request body; a larger one answers 413. Defaults to
	// DefaultMaxBodyBytes (256 KiB).
	MaxBodyBytes int64
	// MaxQueryBytes caps the query document. Defaults to DefaultMaxQueryBytes
	// (32 KiB).
	MaxQueryBytes int
	// MaxQueryTokens caps the query's lexical tokens. Defaults to
	// DefaultMaxQueryTokens (5000).
	MaxQueryTokens int
	// MaxFields caps the fields an operation selects, fragments counted each
	// time they are spread. Defaults to DefaultMaxFields (1000).
	MaxFields int
	// MaxSelections caps the fields of one selection set (fragments
	// flattened): validation compares same-named fields in pairs. Defaults to
	// DefaultMaxSelections (100).
	MaxSelections int
	// MaxAliases caps the aliases of a document. Defaults to DefaultMaxAliases (20).
	MaxAliases int

	// SearchConcurrency is how many searches of one user run at once in this
	// process; more wait their turn (gate.go). Defaults to
	// DefaultSearchConcurrency (2).
	SearchConcurrency int
	// MaxSubscriptionsPerConnection caps the subscriptions open at once on
	// one websocket (TOO_MANY_SUBSCRIPTIONS). Defaults to
	// DefaultMaxSubscriptionsPerConnection (10).
	MaxSubscriptionsPerConnection int
	// MaxSubscriptionsPerUser caps one user's subscriptions open at once in
	// this process, over every connection. Defaults to
	// DefaultMaxSubscriptionsPerUser (20).
	MaxSubscriptionsPerUser int
	// LoginURL is where a user whose Google account needs reconnecting signs
	// in again; REAUTH_REQUIRED errors carry it. Defaults to "/auth/google/login".
	LoginURL string
}

// Defaults of Config.
const (
	DefaultComplexityLimit               = 5000
	DefaultDepthLimit                    = 12
	DefaultQueryCacheSize                = 1000
	DefaultAPQCacheSize                  = 1000
	DefaultKeepAlive                     = 10 * time.Second
	DefaultInitTimeout                   = 10 * time.Second
	DefaultSearchConcurrency             = 2
	DefaultMaxSubscriptionsPerConnection = 10
	DefaultMaxSubscriptionsPerUser       = 20

	DefaultMaxBodyBytes   = 256 << 10
	DefaultMaxQueryBytes  = 32 << 10
	DefaultMaxQueryTokens = 5000
	DefaultMaxFields      = 1000
	DefaultMaxSelections  = 100
	DefaultMaxAliases     = 20
)

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	c.ComplexityLimit = cmp.Or(c.ComplexityLimit, DefaultComplexityLimit)
	c.DepthLimit = cmp.Or(c.DepthLimit, DefaultDepthLimit)
	c.QueryCacheSize = cmp.Or(c.QueryCacheSize, DefaultQueryCacheSize)
	c.APQCacheSize = cmp.Or(c.APQCacheSize, DefaultAPQCacheSize)
	c.KeepAlive = cmp.Or(c.KeepAlive, DefaultKeepAlive)
	c.InitTimeout = cmp.Or(c.InitTimeout, DefaultInitTimeout)
	c.MaxBodyBytes = cmp.Or(c.MaxBodyBytes, DefaultMaxBodyBytes)
	c.MaxQueryBytes = cmp.Or(c.MaxQueryBytes, DefaultMaxQueryBytes)
	c.MaxQueryTokens = cmp.Or(c.MaxQueryTokens, DefaultMaxQueryTokens)
	c.MaxFields = cmp.Or(c.MaxFields, DefaultMaxFields)
	c.MaxSelections = cmp.Or(c.MaxSelections, DefaultMaxSelections)
	c.MaxAliases = cmp.Or(c.MaxAliases, DefaultMaxAliases)
	c.SearchConcurrency = cmp.Or(c.SearchConcurrency, DefaultSearchConcurrency)
	c.MaxSubscriptionsPerConnection = cmp.Or(c.MaxSubscriptionsPerConnection, DefaultMaxSubscriptionsPerConnection)
	c.MaxSubscriptionsPerUser = cmp.Or(c.MaxSubscriptionsPerUser, DefaultMaxSubscriptionsPerUser)
	c.LoginURL = cmp.Or(c.LoginURL, auth.LoginPath)
	return c
}

func (c Config) validate() error {
	switch {
	case c.ComplexityLimit < 1:
		return fmt.Errorf("server: Config.ComplexityLimit is %d, want >= 1", c.ComplexityLimit)
	case c.DepthLimit < 1:
		return fmt.Errorf("server: Config.DepthLimit is %d, want >= 1", c.DepthLimit)
	case c.QueryCacheSize < 1:
		return fmt.Errorf("server: Config.QueryCacheSize is %d, want >= 1", c.QueryCacheSize)
	case c.APQCacheSize < 1:
		return fmt.Errorf("server: Config.APQCacheSize is %d, want >= 1", c.APQCacheSize)
	case c.KeepAlive < 0:
		return fmt.Errorf("server: Config.KeepAlive is %s, want > 0", c.KeepAlive)
	case c.InitTimeout < 0:
		return fmt.Errorf("server: Config.InitTimeout is %s, want > 0", c.InitTimeout)
	case c.MaxBodyBytes < 1:
		return fmt.Errorf("server: Config.MaxBodyBytes is %d, want >= 1", c.MaxBodyBytes)
	case c.MaxQueryBytes < 1 || int64(c.MaxQueryBytes) > c.MaxBodyBytes:
		return fmt.Errorf("server: Config.MaxQueryBytes is %d, want 1 to MaxBodyBytes (%d)", c.MaxQueryBytes, c.MaxBodyBytes)
	case c.MaxQueryTokens < 1:
		return fmt.Errorf("server: Config.MaxQueryTokens is %d, want >= 1", c.MaxQueryTokens)
	case c.MaxFields < 1:
		return fmt.Errorf("server: Config.MaxFields is %d, want >= 1", c.MaxFields)
	case c.MaxSelections < 1:
		return fmt.Errorf("server: Config.MaxSelections is %d, want >= 1", c.MaxSelections)
	case c.MaxAliases < 0:
		return fmt.Errorf("server: Config.MaxAliases is %d, want >= 0", c.MaxAliases)
	case c.SearchConcurrency < 1:
		return fmt.Errorf("server: Config.SearchConcurrency is %d, want >= 1", c.SearchConcurrency)
	case c.MaxSubscriptionsPerConnection < 1:
		return fmt.Errorf("server: Config.MaxSubscriptionsPerConnection is %d, want >= 1", c.MaxSubscriptionsPerConnection)
	case c.MaxSubscriptionsPerUser < 1:
		return fmt.Errorf("server: Config.MaxSubscriptionsPerUser is %d, want >= 1", c.MaxSubscriptionsPerUser)
	}
	for _, o := range c.CORSOrigins {
		if u, err := url.Parse(o); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" {
			return fmt.Errorf("server: Config.CORSOrigins: %q is not an origin (scheme://host[:port])", o)
		}
	}
	return nil
}

// Deps are what the handler calls.
type Deps struct {
	// Resolver holds the domain ports the GraphQL fields call. Required.
	Resolver resolvers.Resolver
	// Keys verify bearer tokens on HTTP and in the websocket init payload. Required.
	Keys *auth.Keyset
	// Ready answers /readyz: nil when PostgreSQL, Redis and the migrations are
	// current. Required.
	Ready func(ctx context.Context) error
	// Logger receives access logs and internal errors. Defaults to slog.Default().
	Logger *slog.Logger
	// RateLimiter charges each operation's cost to its caller's budget
	// (ratelimit.go; adapter/ratelimit.RequestLimiter). Defaults to none: nil
	// leaves operations unlimited.
	RateLimiter domain.RequestLimiter
	// Mounts are more handlers by path pattern (http.ServeMux syntax; a
	// pattern ending in "/" takes the whole subtree, e.g. "/webhooks/" for
	// Google's push notifications). They bypass bearer authentication: each
	// checks its own credentials (a channel token, say). They get request
	// ids and access logs like the rest. Defaults to none.
	Mounts map[string]http.Handler
}

func (d Deps) validate() error {
	switch {
	case d.Keys == nil:
		return errors.New("server: Deps.Keys is required")
	case d.Ready == nil:
		return errors.New("server: Deps.Ready is required")
	}
	for pattern, h := range d.Mounts {
		if h == nil {
			return fmt.Errorf("server: Deps.Mounts[%q] is nil", pattern)
		}
	}
	return d.Resolver.Validate()
}

// New builds the handler: /graphql (POST, GET, websocket, SSE), /playground,
// /healthz and /readyz, each request with a request id and an access log line.
func New(cfg Config, deps Deps) (http.Handler, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if err := deps.validate(); err != nil {
		return nil, err
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	res := deps.Resolver.WithDefaults()
	if res.Searcher != nil {
		res.Searcher = gatedSearcher{next: res.Searcher, slots: newUserSlots(cfg.SearchConcurrency)}
	}

	mux := http.NewServeMux()
	// Bearer token, then the user it names, then the body: a request is
	// authenticated and bounded before any GraphQL work.
	compress, err := httpcompression.DefaultAdapter(
		httpcompression.ContentTypes([]string{"application/json", "application/graphql-response+json"}, false))
	if err != nil {
		return nil, fmt.Errorf("server: compression: %w", err)
	}
	mux.Handle("/graphql", compressAnswers(compress, deps.Keys.Middleware(identify(res.Users, res.Clock, deps.Logger,
		readBody(cfg.MaxBodyBytes, codeTransportErrors(rateHeaders(res.Clock, markStreaming(graphQL(cfg, deps, &res)))))))))
	mux.Handle("/playground/", http.StripPrefix("/playground", playground.Handler()))
	mux.Handle("GET /playground", http.RedirectHandler("/playground/", http.StatusMovedPermanently))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, `{"status":"ok"}`)
	})
	mux.HandleFunc("GET /readyz", readyz(deps.Ready, deps.Logger))
	if err := mount(mux, deps.Mounts); err != nil {
		return nil, err
	}
	return withRequest(deps.Logger, allowOrigins(cfg.CORSOrigins, mux)), nil
}

// mount registers the extra handlers; a pattern that is malformed or
// conflicts with another (the server's own included) is an error, not a panic.
func mount(mux *http.ServeMux, mounts map[string]http.Handler) (err error) {
	for pattern, h := range mounts {
		func() {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("server: Deps.Mounts[%q]: %v", pattern, p)
				}
			}()
			mux.Handle(pattern, h)
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

func graphQL(cfg Config, deps Deps, res *resolvers.Resolver) http.Handler {
	keys, log := deps.Keys, deps.Logger
	srv := handler.New(graph.NewExecutableSchema(graph.Config{Resolvers: res, Complexity: resolvers.Complexity()}))

	// Order matters: SSE claims POSTs that accept text/event-stream before POST does.
	srv.AddTransport(transport.SSE{})
	// @defer is delivered incrementally to clients that accept multipart/mixed.
	srv.AddTransport(transport.MultipartMixed{})
	srv.AddTransport(transport.POST{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.Websocket{
		Implementation: transport.CoderWebsocketImplementation{
			AcceptOptions: websocket.AcceptOptions{OriginPatterns: append(slices.Clone(cfg.WebsocketOrigins), cfg.CORSOrigins...)},
		},
		// graphql-ws gets "ka" messages; graphql-transport-ws gets pings and
		// must answer pong within two intervals or is dropped as dead.
		KeepAlivePingInterval: cfg.KeepAlive,
		PingPongInterval:      cfg.KeepAlive,
		InitTimeout:           cfg.InitTimeout,
		InitFunc:              wsInit(keys, res.Users),
		CloseFunc:             wsClose,
		ErrorFunc: func(ctx context.Context, err error) {
			log.WarnContext(ctx, "websocket", "request_id", RequestID(ctx), "err", err)
		},
	})

	queries := lru.New[*ast.QueryDocument](cfg.QueryCacheSize)
	srv.SetQueryCache(queries)
	srv.SetParserTokenLimit(cfg.MaxQueryTokens)
	if !cfg.DisableIntrospection {
		srv.Use(extension.Introspection{})
	}
	srv.SetDisableSuggestion(cfg.DisableIntrospection)
	rl := rateLimit{limiter: deps.RateLimiter, log: log, warned: new(atomic.Int64)}
	if deps.RateLimiter != nil {
		srv.Use(chargeEntry{rl}) // first: a flood of documents is refused before any is parsed
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](cfg.APQCacheSize)})
	srv.Use(shapeLimits{cfg: cfg, cache: queries}) // after APQ, which may supply the query
	srv.Use(streamOnly{})
	srv.Use(depthLimit{max: cfg.DepthLimit}) // before complexity: cheaper, and names the real problem
	srv.Use(&complexityLimit{limit: cfg.ComplexityLimit})
	if deps.RateLimiter != nil {
		srv.Use(chargeCost{rl}) // after complexity, which it charges by
	}
	srv.Use(textInput{})

	srv.SetErrorPresenter(presentError(log, cfg.LoginURL))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "request_id", RequestID(ctx), "panic", p)
		return fmt.Errorf("panic: %v", p)
	})
	srv.AroundOperations(subscriptionCaps{
		perConnection: cfg.MaxSubscriptionsPerConnection,
		perUser:       newUserSlots(cfg.MaxSubscriptionsPerUser),
	}.around)
	// Fresh dataloaders per operation: a websocket lives long, an operation does not.
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(res.WithLoaders(ctx))
	})
	return srv
}

// wsInit authenticates a websocket from its connection_init payload
// ({"authorization": "Bearer …"} or "Authorization") or, with none there,
// from the upgrade request's Authorization header (already verified by
// auth.Middleware). No token leaves the connection anonymous, as on HTTP; a
// bad one, or one whose user is gone, refuses the connection; a good one
// holds it open until the token expires, whichever way it came.
func wsInit(keys *auth.Keyset, users userLoader) transport.WebsocketInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		ctx = withConnectionCount(ctx)
		refuse := func() (context.Context, *transport.InitPayload, error) {
			// 4403 is graphql-transport-ws's "Forbidden"; legacy graphql-ws
			// clients also get a connection_error message first.
			ctx = transport.WithWebsocketCloseCode(ctx, 4403)
			ctx = transport.AppendCloseReason(ctx, "invalid or expired bearer token")
			return ctx, nil, errors.New("invalid or expired bearer token")
		}
		c, ok, err := keys.VerifyBearer(p.Authorization())
		if err != nil {
			return refuse()
		}
		if ok {
			u, err := users.UserByID(ctx, c.UserID)
			if err != nil {
				return refuse()
			}
			ctx = auth.WithClaims(ctx, c)
			ctx = domain.WithUser(ctx, u)
		} else if c, ok = auth.ClaimsFrom(ctx); !ok {
			return ctx, nil, nil
		}
		// The connection must not outlive its token: at expiry it closes and
		// the client reconnects with a fresh one. wsClose releases the timer.
		ctx = transport.AppendCloseReason(ctx, "bearer token expired")
		ctx, cancel := context.WithDeadline(ctx, c.ExpiresAt)
		return context.WithValue(ctx, wsCancelKey{}, cancel), nil, nil
	}
}

type wsCancelKey struct{}

func wsClose(ctx context.Context, _ int) {
	if cancel, ok := ctx.Value(wsCancelKey{}).(context.CancelFunc); ok {
		cancel()
	}
}

func readyz(ready func(context.Context) error, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		if err := ready(ctx); err != nil {
			// The reason goes to the log only: probes are often public.
			log.WarnContext(ctx, "not ready", "request_id", RequestID(ctx), "err", err)
			writeJSON(w, http.StatusServiceUnavailable, `{"status":"unavailable"}`)
			return
		}
		writeJSON(w, http.StatusOK, `{"status":"ok"}`)
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// allowOrigins answers CORS for the listed origins with rs/cors:
// preflights, credentials, and the headers a client reads (request id, rate
// limits, Retry-After). Requests from other origins pass without CORS
// headers, so a browser keeps their scripts from reading the answer.
func allowOrigins(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next
	}
	return cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowCredentials: true,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders:   []string{"Authorization", "Content-Type", "Accept", "X-Request-Id"},
		ExposedHeaders: []string{"X-Request-Id", "Retry-After",
			"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Used", "X-RateLimit-Resource"},
		MaxAge: 600,
	}).Handler(next)
}
