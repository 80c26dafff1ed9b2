package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/web/auth"
)

// The HTTP server's timeouts (NewHTTPServer). There is no write timeout: a
// subscription over SSE writes for as long as it lives; the context of each
// request ends when its client goes.
const (
	// ReadHeaderTimeout bounds how long a client may take to send the headers.
	ReadHeaderTimeout = 5 * time.Second
	// ReadTimeout bounds how long a client may take to send a whole request,
	// body included: a slow client cannot hold a connection open by trickling
	// bytes. Websockets and SSE clear it once their request is read.
	ReadTimeout = 15 * time.Second
	// IdleTimeout closes a keep-alive connection with no request after this long.
	IdleTimeout = 2 * time.Minute
)

// NewHTTPServer returns an http.Server for h with the timeouts above.
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		IdleTimeout:       IdleTimeout,
	}
}

const tooLargeBody = `{"errors":[{"message":"the request body is larger than the limit of %d bytes","extensions":{"code":"REQUEST_TOO_LARGE"}}]}`

// readBody reads a request's body up to max bytes before the GraphQL handler
// sees it: a larger one is refused with 413 without reading it all (gqlgen
// itself reads whatever comes). A websocket or SSE request then clears the
// connection's read deadline (http.Server.ReadTimeout), which would
// otherwise end a subscription ReadTimeout after it started.
func readBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			if r.ContentLength > max {
				writeJSON(w, http.StatusRequestEntityTooLarge, fmt.Sprintf(tooLargeBody, max))
				return
			}
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
			if err != nil {
				var tooLarge *http.MaxBytesError
				if errors.As(err, &tooLarge) {
					writeJSON(w, http.StatusRequestEntityTooLarge, fmt.Sprintf(tooLargeBody, max))
					return
				}
				writeJSON(w, http.StatusBadRequest, `{"errors":[{"message":"could not read the request body","extensions":{"code":"BAD_REQUEST"}}]}`)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		if longLived(r) {
			_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
		}
		next.ServeHTTP(w, r)
	})
}

// longLived reports whether r opens a websocket or an SSE stream.
func longLived(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket") ||
		strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

type callerKey struct{}

// caller is where a request came from: the client's address (the per-IP
// rate limit of anonymous requests). The authenticated user rides in the
// context as domain.WithUser.
type caller struct {
	ip string
}

func withCaller(ctx context.Context, c caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

func callerFrom(ctx context.Context) caller {
	c, _ := ctx.Value(callerKey{}).(caller)
	return c
}

// clientIP is the TCP peer's address. X-Forwarded-For is not trusted: behind
// a proxy every anonymous client shares the proxy's budget until the proxy
// itself limits them.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// userLoader reads the user a verified token names and records that they
// were active; domain.UserStore satisfies it.
type userLoader interface {
	UserByID(ctx context.Context, id uuid.UUID) (domain.User, error)
	TouchUser(ctx context.Context, id uuid.UUID, at time.Time) error
}

// touchEvery is how stale a user's last_active_at may get before a request
// writes it again: the periodic sync keeps users active in the last day in
// sync, so a minute's precision is plenty and most requests write nothing.
const touchEvery = time.Minute

// identify runs after bearer authentication: a token whose user no longer
// exists (deleted) is refused like an invalid one, before any GraphQL work,
// and the user (with its plan) rides in the context (domain.WithUser) for
// the rate limiter and the resolvers.
// The user's activity is recorded (see touchEvery), which is what the
// periodic sync schedules by.
func identify(users userLoader, clock domain.Clock, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := withCaller(r.Context(), caller{ip: clientIP(r)})
		if id, ok := auth.UserID(r.Context()); ok {
			u, err := users.UserByID(r.Context(), id)
			switch {
			case errors.Is(err, domain.ErrNotFound):
				refuseToken(w)
				return
			case err != nil:
				log.ErrorContext(r.Context(), "load the caller", "request_id", RequestID(r.Context()), "err", err)
				writeJSON(w, http.StatusServiceUnavailable, `{"errors":[{"message":"temporarily unavailable, retry later","extensions":{"code":"UNAVAILABLE"}}]}`)
				return
			}
			ctx = domain.WithUser(ctx, u)
			if now := clock.Now(); now.Sub(u.LastActiveAt) >= touchEvery {
				if err := users.TouchUser(r.Context(), id, now); err != nil {
					log.WarnContext(r.Context(), "record the caller's activity", "request_id", RequestID(r.Context()), "err", err)
				}
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// refuseToken answers as auth.Middleware does for a bad token.
func refuseToken(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	writeJSON(w, http.StatusUnauthorized, `{"errors":[{"message":"invalid or expired bearer token","extensions":{"code":"UNAUTHENTICATED"}}]}`)
}
