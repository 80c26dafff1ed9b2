package server

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/workspace-orchestrator/orchestrator/domain/search"
	"github.com/workspace-orchestrator/orchestrator/resolvers"
	"github.com/workspace-orchestrator/orchestrator/web/auth"
)

// userSlots holds at most n slots per user at a time, in this process. An
// idle user holds no memory.
type userSlots struct {
	n  int
	mu sync.Mutex
	by map[uuid.UUID]*slots
}

type slots struct {
	ch    chan struct{}
	users int // goroutines holding or waiting for a slot
}

func newUserSlots(n int) *userSlots { return &userSlots{n: n, by: map[uuid.UUID]*slots{}} }

func (u *userSlots) enter(id uuid.UUID) *slots {
	u.mu.Lock()
	defer u.mu.Unlock()
	s := u.by[id]
	if s == nil {
		s = &slots{ch: make(chan struct{}, u.n)}
		u.by[id] = s
	}
	s.users++
	return s
}

func (u *userSlots) leave(id uuid.UUID, s *slots) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if s.users--; s.users == 0 {
		delete(u.by, id)
	}
}

// acquire waits for one of the user's slots, or until ctx ends.
func (u *userSlots) acquire(ctx context.Context, id uuid.UUID) (release func(), err error) {
	s := u.enter(id)
	select {
	case s.ch <- struct{}{}:
		return func() { <-s.ch; u.leave(id, s) }, nil
	case <-ctx.Done():
		u.leave(id, s)
		return nil, ctx.Err()
	}
}

// tryAcquire takes one of the user's slots if one is free now.
func (u *userSlots) tryAcquire(id uuid.UUID) (release func(), ok bool) {
	s := u.enter(id)
	select {
	case s.ch <- struct{}{}:
		return func() { <-s.ch; u.leave(id, s) }, true
	default:
		u.leave(id, s)
		return nil, false
	}
}

// gatedSearcher runs at most Config.SearchConcurrency searches of one user
// at a time; the others wait their turn. A request's aliased searches (or a
// user's parallel requests) then take a bounded share of the database pool
// instead of all of it, so other users' requests are not starved.
type gatedSearcher struct {
	next  resolvers.Searcher
	slots *userSlots
}

func (g gatedSearcher) Search(ctx context.Context, req search.Request) (search.Result, error) {
	release, err := g.slots.acquire(ctx, req.UserID)
	if err != nil {
		return search.Result{}, err
	}
	defer release()
	return g.next.Search(ctx, req)
}

// codeTooManySubscriptions answers a subscription over a cap.
const codeTooManySubscriptions = "TOO_MANY_SUBSCRIPTIONS"

// subscriptionCaps bounds the subscriptions open at once on one websocket
// and for one user (over every websocket and SSE stream to this process):
// each follows a stream, and they are cheap to open.
type subscriptionCaps struct {
	perConnection int
	perUser       *userSlots
}

type connSubsKey struct{}

// withConnectionCount gives a websocket connection its subscription counter.
func withConnectionCount(ctx context.Context) context.Context {
	return context.WithValue(ctx, connSubsKey{}, new(atomic.Int64))
}

func (c subscriptionCaps) around(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Subscription {
		return next(ctx)
	}
	var releases []func()
	refuse := func(format string, args ...any) graphql.ResponseHandler {
		for _, r := range releases {
			r()
		}
		err := gqlerror.Errorf(format, args...)
		err.Extensions = map[string]any{"code": codeTooManySubscriptions}
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{err}})
	}
	if n, ok := ctx.Value(connSubsKey{}).(*atomic.Int64); ok {
		if n.Add(1) > int64(c.perConnection) {
			n.Add(-1)
			return refuse("more than %d subscriptions on one connection", c.perConnection)
		}
		releases = append(releases, func() { n.Add(-1) })
	}
	if id, ok := auth.UserID(ctx); ok {
		release, ok := c.perUser.tryAcquire(id)
		if !ok {
			return refuse("more than %d subscriptions open at once", c.perUser.n)
		}
		releases = append(releases, release)
	}
	var once sync.Once
	done := func() {
		once.Do(func() {
			for _, r := range releases {
				r()
			}
		})
	}
	// The operation's context ends when the client completes the
	// subscription or goes away, whether or not the stream ended first.
	context.AfterFunc(ctx, done)
	h := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		resp := h(ctx)
		if resp == nil {
			done()
		}
		return resp
	}
}
