package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Codes of errors about how a request was sent rather than what it asked.
const (
	codeBadRequest           = "BAD_REQUEST"
	codeUnsupportedTransport = "UNSUPPORTED_TRANSPORT"
	codeOperationNotAllowed  = "OPERATION_NOT_ALLOWED"
)

type streamingKey struct{}

// streams reports whether the answer to the request is a stream: a
// websocket upgrade, SSE (Accept: text/event-stream), or incremental
// delivery of @defer (Accept: multipart/mixed).
func streams(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket") ||
		strings.Contains(accept, "text/event-stream") || strings.Contains(accept, "multipart/mixed")
}

// markStreaming records streams(r) in the request's context.
func markStreaming(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), streamingKey{}, streams(r))))
	})
}

// compressAnswers compresses whole answers (gzip, zstd, brotli, as the
// client accepts); streams are left alone, since a compressor holds events
// back until it has enough bytes to decide.
func compressAnswers(compress func(http.Handler) http.Handler, next http.Handler) http.Handler {
	compressed := compress(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if streams(r) {
			next.ServeHTTP(w, r)
			return
		}
		compressed.ServeHTTP(w, r)
	})
}

// streamOnly refuses a subscription sent over plain POST or GET, which
// would otherwise answer its first event as if it were a query.
type streamOnly struct{}

var _ graphql.OperationContextMutator = streamOnly{}

func (streamOnly) ExtensionName() string                   { return "StreamOnly" }
func (streamOnly) Validate(graphql.ExecutableSchema) error { return nil }
func (streamOnly) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || oc.Operation.Operation != ast.Subscription {
		return nil
	}
	if streaming, ok := ctx.Value(streamingKey{}).(bool); !ok || streaming {
		return nil
	}
	return &gqlerror.Error{
		Message:    "a subscription needs a stream: open a websocket (graphql-transport-ws) or POST with Accept: text/event-stream (SSE)",
		Extensions: map[string]any{"code": codeOperationNotAllowed},
	}
}

// codeTransportErrors gives the errors gqlgen's transports write themselves
// (an unsupported method or content type, a mutation over GET) the
// extensions.code every other error has, and says what would work.
// Only answers of 400 and above are held back to be rewritten; streams
// are never touched.
func codeTransportErrors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &codingWriter{ResponseWriter: w}
		next.ServeHTTP(cw, r)
		cw.finish()
	})
}

type codingWriter struct {
	http.ResponseWriter
	status int
	held   *bytes.Buffer // the body of an error answer, nil otherwise
}

func (c *codingWriter) WriteHeader(status int) {
	if c.status != 0 {
		return
	}
	c.status = status
	if status >= 400 {
		c.held = &bytes.Buffer{}
		return
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *codingWriter) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.WriteHeader(http.StatusOK)
	}
	if c.held != nil {
		return c.held.Write(p)
	}
	return c.ResponseWriter.Write(p)
}

// Flush keeps SSE streaming through the wrapper.
func (c *codingWriter) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok && c.held == nil {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController and the websocket upgrade reach the connection.
func (c *codingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

func (c *codingWriter) finish() {
	if c.held == nil {
		return
	}
	body := c.held.Bytes()
	var resp struct {
		Errors []map[string]any `json:"errors"`
		Data   any              `json:"data"`
	}
	if json.Unmarshal(body, &resp) == nil && len(resp.Errors) > 0 {
		for _, e := range resp.Errors {
			ext, _ := e["extensions"].(map[string]any)
			if ext == nil {
				ext = map[string]any{}
			}
			if ext["code"] == nil {
				ext["code"] = transportCode(c.status, e)
			}
			e["extensions"] = ext
		}
		if b, err := json.Marshal(resp); err == nil {
			body = b
			c.Header().Set("Content-Type", "application/json")
		}
	}
	c.Header().Del("Content-Length")
	c.ResponseWriter.WriteHeader(c.status)
	_, _ = c.ResponseWriter.Write(body)
}

// transportCode names what was wrong with the request, rewriting gqlgen's
// terse "transport not supported" into what the endpoint accepts.
func transportCode(status int, e map[string]any) string {
	msg, _ := e["message"].(string)
	switch {
	case msg == "transport not supported":
		e["message"] = "unsupported request: send POST with Content-Type: application/json, GET with ?query=, " +
			"POST with Accept: text/event-stream (SSE), or a websocket (graphql-transport-ws or graphql-ws)"
		return codeUnsupportedTransport
	case status == http.StatusNotAcceptable || status == http.StatusMethodNotAllowed:
		return codeOperationNotAllowed
	}
	return codeBadRequest
}
