package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// CostUnit is how much complexity one request unit buys: a plain query or a
// search of ten hits costs 1, the heaviest operation the default complexity
// limit admits costs 10.
const CostUnit = 500

// unitsOf is what an operation of complexity n costs, at least 1.
func unitsOf(n int) int { return max(1, (n+CostUnit-1)/CostUnit) }

// rateLimit charges every operation to the caller's budget in two steps: one
// unit before the document is even parsed (so that a flood of documents,
// valid or not, is refused cheaply) and the rest of its cost once validation
// has measured its complexity. Budgets: per user by plan, per client address
// without a token, and global (adapter/ratelimit).
//
// When Redis fails the limiter fails open: operations run, the failure is
// logged (at most once a minute), and the bounds that need no Redis still
// hold (document shape, complexity, a user's concurrent searches and
// subscriptions). Refusing every request because a counter is unreachable
// would turn a Redis outage into a full one for reads that PostgreSQL serves.
type rateLimit struct {
	limiter domain.RequestLimiter
	log     *slog.Logger
	warned  *atomic.Int64 // unix second of the last "failing open" warning
}

// chargeEntry is the first step; it runs before the shape limits.
type chargeEntry struct{ rateLimit }

// chargeCost is the second; it runs after the complexity limit.
type chargeCost struct{ rateLimit }

var (
	_ graphql.OperationParameterMutator = chargeEntry{}
	_ graphql.OperationContextMutator   = chargeCost{}
	_ graphql.RootFieldInterceptor      = chargeCost{}
)

// operationCharge names the operation's charge in its stats, where both
// steps add to it and InterceptRootField hands it to the resolvers.
const operationCharge = "RateLimitCharge"

func (chargeEntry) ExtensionName() string                   { return "RateLimitEntry" }
func (chargeEntry) Validate(graphql.ExecutableSchema) error { return nil }
func (chargeCost) ExtensionName() string                    { return "RateLimitCost" }
func (chargeCost) Validate(graphql.ExecutableSchema) error  { return nil }

func (r chargeEntry) MutateOperationParameters(ctx context.Context, _ *graphql.RawParams) *gqlerror.Error {
	return r.charge(ctx, 1)
}

func (r chargeCost) MutateOperationContext(ctx context.Context, _ *graphql.OperationContext) *gqlerror.Error {
	stats := extension.GetComplexityStats(ctx)
	if stats == nil {
		return nil
	}
	if rest := unitsOf(stats.Complexity) - 1; rest > 0 {
		return r.charge(ctx, rest)
	}
	return nil
}

// InterceptRootField puts the operation's charge in the context of its
// root fields, for the rateLimit field (resolvers read it from the domain).
func (chargeCost) InterceptRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	if graphql.HasOperationContext(ctx) {
		if c, ok := graphql.GetOperationContext(ctx).Stats.GetExtension(operationCharge).(domain.RateCharge); ok {
			ctx = domain.WithRateCharge(ctx, c)
		}
	}
	return next(ctx)
}

func (r rateLimit) charge(ctx context.Context, units int) *gqlerror.Error {
	u, _ := domain.UserFrom(ctx)
	budget, err := r.limiter.Charge(ctx, domain.Caller{UserID: u.ID, Plan: u.Plan, IP: callerFrom(ctx).ip}, units)
	if err == nil || errors.Is(err, domain.ErrRateLimited) {
		if st, ok := ctx.Value(rateStateKey{}).(*rateState); ok {
			st.record(units, budget)
		}
		if graphql.HasOperationContext(ctx) {
			stats := &graphql.GetOperationContext(ctx).Stats
			prev, _ := stats.GetExtension(operationCharge).(domain.RateCharge)
			stats.SetExtension(operationCharge, domain.RateCharge{Cost: prev.Cost + units, Budget: budget})
		}
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, domain.ErrRateLimited):
		e := gqlerror.Errorf("rate limited (%s); retry later", strings.TrimSuffix(err.Error(), ": "+domain.ErrRateLimited.Error()))
		e.Extensions = map[string]any{"code": codeRateLimited}
		var ra *domain.RetryAfterError
		if errors.As(err, &ra) {
			e.Extensions["retryAfterSeconds"] = ra.RetryAfter
		}
		return e
	}
	if now := time.Now().Unix(); r.warned.Load() < now-60 {
		r.warned.Store(now)
		r.log.WarnContext(ctx, "rate limits unavailable, failing open", "request_id", RequestID(ctx), "err", err)
	}
	return nil
}

// rateState is what the operations of one HTTP request were charged, for
// the X-RateLimit-* headers of its answer (as GitHub's API sends them).
type rateState struct {
	mu     sync.Mutex
	cost   int
	budget domain.Budget
	set    bool
}

type rateStateKey struct{}

func (s *rateState) record(units int, b domain.Budget) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cost += units
	s.budget, s.set = b, true
}

// rateHeaders sends X-RateLimit-Limit, -Remaining, -Used (this request's
// cost) and -Reset (Unix seconds) with every answer whose operation was
// charged; the charge happens before the answer is written.
func rateHeaders(clock domain.Clock, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &rateState{}
		rw := &rateWriter{ResponseWriter: w, st: st, clock: clock}
		next.ServeHTTP(rw, r.WithContext(context.WithValue(r.Context(), rateStateKey{}, st)))
	})
}

type rateWriter struct {
	http.ResponseWriter
	st      *rateState
	clock   domain.Clock
	written bool
}

func (w *rateWriter) headers() {
	if w.written {
		return
	}
	w.written = true
	w.st.mu.Lock()
	defer w.st.mu.Unlock()
	if !w.st.set {
		return
	}
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(w.st.budget.Limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(0, w.st.budget.Remaining)))
	h.Set("X-RateLimit-Used", strconv.Itoa(w.st.cost))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(w.clock.Now().Add(w.st.budget.Reset).Unix(), 10))
}

func (w *rateWriter) WriteHeader(status int) {
	w.headers()
	w.ResponseWriter.WriteHeader(status)
}

func (w *rateWriter) Write(p []byte) (int, error) {
	w.headers()
	return w.ResponseWriter.Write(p)
}

// Flush keeps SSE and multipart answers streaming through the wrapper.
func (w *rateWriter) Flush() {
	w.headers()
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController and the websocket upgrade reach the connection.
func (w *rateWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
