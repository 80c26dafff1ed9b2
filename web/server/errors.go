package server

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"log/slog"
	"net"
	"regexp"
	"strings"
	"syscall"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/web/auth"
)

// extensions.code values of resolver errors.
const (
	codeUnauthenticated = "UNAUTHENTICATED"
	codeForbidden       = "FORBIDDEN"
	codeNotFound        = "NOT_FOUND"
	codeBadUserInput    = "BAD_USER_INPUT"
	codeRateLimited     = "RATE_LIMITED"
	codeCancelled       = "CANCELLED"
	codeReauthRequired  = "REAUTH_REQUIRED"
	codeConflict        = "CONFLICT"
	codeInvalidCursor   = "INVALID_CURSOR"
	codeUnavailable     = "UNAVAILABLE"
	codeInternal        = "INTERNAL"
)

// presentError maps an error to what the client sees. gqlgen's own errors
// (parse, validation, complexity, depth) already carry a code and a message
// meant for the client and pass through. Resolver errors are matched against
// the domain sentinels; only input errors show their wrapped message (it says
// what was wrong), and anything unknown is logged with the request id and
// answered with a bare INTERNAL, so internal details never leak.
func presentError(log *slog.Logger, loginURL string) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) && gqlErr.Err == nil {
			// gqlgen's transports quote a body they cannot decode whole
			// ("... body:<the body>"): never echo a request back.
			if msg, _, found := strings.Cut(gqlErr.Message, " body:"); found && strings.HasPrefix(msg, "json request body could not be decoded") {
				gqlErr.Message = strings.Replace(msg, "json request body could not be decoded", "the request body is not valid GraphQL-over-HTTP JSON", 1)
			}
			if gqlErr.Extensions["code"] == nil {
				gqlErr.Extensions = withCode(gqlErr.Extensions, codeBadUserInput)
			}
			return gqlErr
		}

		out := graphql.DefaultErrorPresenter(ctx, err) // path and locations
		code, msg := classify(err)
		if code == codeBadUserInput || code == codeConflict {
			msg = clientMessage(ctx, err)
		}
		ext := map[string]any{"code": code}
		var ra *domain.RetryAfterError
		if errors.As(err, &ra) && ra.RetryAfter > 0 {
			ext["retryAfterSeconds"] = ra.RetryAfter
		}
		if code == codeReauthRequired {
			ext["loginUrl"] = loginURL
		}
		if code == codeInternal {
			id := RequestID(ctx)
			log.ErrorContext(ctx, "graphql error", "request_id", id, "path", out.Path.String(), "err", err)
			if id != "" {
				ext["requestId"] = id
			}
		}
		return &gqlerror.Error{
			Err:        err,
			Message:    msg,
			Path:       out.Path,
			Locations:  out.Locations,
			Extensions: ext,
		}
	}
}

func classify(err error) (code, message string) {
	switch {
	case errors.Is(err, domain.ErrUnauthenticated):
		return codeUnauthenticated, "authentication required: send Authorization: Bearer <token>"
	case errors.Is(err, domain.ErrReauthRequired):
		return codeReauthRequired, "your Google account needs to be connected again: sign in with Google at extensions.loginUrl"
	case errors.Is(err, domain.ErrForbidden):
		return codeForbidden, "forbidden"
	case errors.Is(err, domain.ErrNotFound):
		return codeNotFound, "not found"
	case errors.Is(err, domain.ErrInvalidCursor):
		return codeInvalidCursor, "the cursor is not one this list handed out: start again without after/before"
	case errors.Is(err, domain.ErrConflict):
		return codeConflict, err.Error()
	case errors.Is(err, domain.ErrInvalidInput):
		return codeBadUserInput, err.Error()
	case errors.Is(err, domain.ErrRateLimited):
		return codeRateLimited, "rate limited, retry later"
	case errors.Is(err, domain.ErrCancelled):
		return codeCancelled, domain.Explain(err)
	case errors.Is(err, domain.ErrUnavailable), unreachable(err):
		return codeUnavailable, "temporarily unavailable (a database, cache or Google did not answer); retry shortly"
	}
	return codeInternal, "internal error"
}

// layerPrefixes are the leading "what failed: " parts of a wrapped error
// that name code rather than what the client sent ("store: ", "confirm
// action: "): one to three words, no digits or quotes.
var layerPrefixes = regexp.MustCompile(`^(?:[a-z]+(?: [a-z]+){0,2}: )+`)

// clientMessage is an input or conflict error written for the client:
// without gqlgen's "input:L:C: " (the locations say where), without the
// prefixes that name internal layers, and without the caller's user id.
// What the core wrote after the sentinel ("invalid input: cursor ... is
// not ...") is the message when there is such a part.
func clientMessage(ctx context.Context, err error) string {
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) && gqlErr.Err != nil {
		err = gqlErr.Err
	}
	msg := err.Error()
	for _, sentinel := range []error{domain.ErrInvalidInput, domain.ErrConflict} {
		s := sentinel.Error()
		if i := strings.LastIndex(msg, s+": "); i >= 0 {
			msg = msg[i+len(s)+2:]
			break
		}
		msg = strings.TrimSuffix(msg, ": "+s)
	}
	msg = layerPrefixes.ReplaceAllString(msg, "")
	if id, ok := auth.UserID(ctx); ok {
		msg = strings.ReplaceAll(msg, id.String(), "your account")
	}
	return msg
}

// unreachable reports an error of a dependency that did not answer (a
// refused or broken connection, a timeout, PostgreSQL shutting down or
// starting up: SQLSTATE class 57P and 08) that no adapter wrapped in
// domain.ErrUnavailable. The request may well succeed when retried, so it is
// no internal error.
func unreachable(err error) bool {
	var ne net.Error
	var sqlErr interface{ SQLState() string } // pgconn.PgError's, without importing the driver
	if errors.As(err, &sqlErr) {
		code := sqlErr.SQLState()
		return code == "57P01" || code == "57P02" || code == "57P03" || strings.HasPrefix(code, "08")
	}
	return errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, context.DeadlineExceeded)
}

func withCode(ext map[string]any, code string) map[string]any {
	if ext == nil {
		ext = map[string]any{}
	}
	ext["code"] = code
	return ext
}
