package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/web/server"
)

// A front end on another origin: listed origins get CORS answers with
// credentials, over HTTP and websockets; others get none.
func TestCORSFromASecondOrigin(t *testing.T) {
	t.Parallel()
	const app, stranger = "https://app.example.com", "https://evil.example.net"
	b := setup(t, func(c *server.Config, _ *server.Deps) { c.CORSOrigins = []string{app, "http://localhost:5173"} })

	preflight := func(origin string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
		r.Header.Set("Origin", origin)
		r.Header.Set("Access-Control-Request-Method", http.MethodPost)
		r.Header.Set("Access-Control-Request-Headers", "authorization,content-type") // as browsers send it: sorted, no spaces
		w := httptest.NewRecorder()
		b.h.ServeHTTP(w, r)
		return w
	}
	w := preflight(app)
	require.Less(t, w.Code, 300)
	require.Equal(t, app, w.Header().Get("Access-Control-Allow-Origin"))
	require.Equal(t, "true", w.Header().Get("Access-Control-Allow-Credentials"))
	require.Contains(t, strings.ToLower(w.Header().Get("Access-Control-Allow-Headers")), "authorization")
	w = preflight(stranger)
	require.Empty(t, w.Header().Get("Access-Control-Allow-Origin"))
	require.Empty(t, w.Header().Get("Access-Control-Allow-Credentials"))

	post := func(origin string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ me { email } }"}`))
		r.Header.Set("Origin", origin)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+b.aliceTok)
		w := httptest.NewRecorder()
		b.h.ServeHTTP(w, r)
		return w
	}
	w = post(app)
	require.Equal(t, http.StatusOK, w.Code)
	require.Equal(t, app, w.Header().Get("Access-Control-Allow-Origin"))
	require.Contains(t, w.Header().Get("Access-Control-Expose-Headers"), "X-Request-Id")
	require.Contains(t, w.Body.String(), "alice@example.com")
	require.Empty(t, post(stranger).Header().Get("Access-Control-Allow-Origin"))

	// Websockets: the same list.
	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)
	dial := func(origin string) error {
		c, resp, err := websocket.Dial(context.Background(), "ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql",
			&websocket.DialOptions{HTTPHeader: http.Header{"Origin": {origin}}, Subprotocols: []string{"graphql-transport-ws"}})
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		if err == nil {
			c.CloseNow()
		}
		return err
	}
	require.NoError(t, dial(app))
	require.NoError(t, dial("http://localhost:5173"))
	require.Error(t, dial(stranger))
}

func TestCORSOriginsAreChecked(t *testing.T) {
	t.Parallel()
	_, err := server.New(server.Config{CORSOrigins: []string{"app.example.com"}}, server.Deps{})
	require.ErrorContains(t, err, "CORSOrigins")
}
