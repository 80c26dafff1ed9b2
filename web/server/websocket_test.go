package server_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain/clocktest"
	"github.com/workspace-orchestrator/orchestrator/web/server"
)

// protocol is what differs between the two websocket subprotocols.
type protocol struct {
	name      string
	subscribe string // message type that starts an operation
	data      string // message type that carries a result
	keepAlive string // message type the server sends when idle
}

var protocols = []protocol{
	{name: "graphql-transport-ws", subscribe: "subscribe", data: "next", keepAlive: "ping"},
	{name: "graphql-ws", subscribe: "start", data: "data", keepAlive: "ka"},
}

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

type wsClient struct {
	t    *testing.T
	ctx  context.Context
	conn *websocket.Conn
	p    protocol
	seen map[string]int // message types read, for the keep-alive check
}

// dialWS opens a real websocket to srv and sends connection_init with payload.
func dialWS(t *testing.T, url string, p protocol, payload map[string]any) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	conn, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(url, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{p.name}})
	require.NoError(t, err)
	require.Equal(t, p.name, resp.Header.Get("Sec-WebSocket-Protocol"))
	t.Cleanup(func() { _ = conn.CloseNow() })
	c := &wsClient{t: t, ctx: ctx, conn: conn, p: p, seen: map[string]int{}}
	raw, err := json.Marshal(payload)
	require.NoError(t, err)
	c.send(wsMessage{Type: "connection_init", Payload: raw})
	return c
}

func (c *wsClient) send(m wsMessage) {
	c.t.Helper()
	require.NoError(c.t, wsjson.Write(c.ctx, c.conn, m))
}

// next reads the next message other than a keep-alive, answering pings.
func (c *wsClient) next() (wsMessage, error) {
	for {
		var m wsMessage
		if err := wsjson.Read(c.ctx, c.conn, &m); err != nil {
			return wsMessage{}, err
		}
		c.seen[m.Type]++
		switch m.Type {
		case "ka":
			continue
		case "ping":
			if err := wsjson.Write(c.ctx, c.conn, wsMessage{Type: "pong"}); err != nil {
				return wsMessage{}, err
			}
			continue
		}
		return m, nil
	}
}

// waitKeepAlives reads until n keep-alives came, answering pings.
func (c *wsClient) waitKeepAlives(n int) {
	c.t.Helper()
	for c.seen[c.p.keepAlive] < n {
		var m wsMessage
		require.NoError(c.t, wsjson.Read(c.ctx, c.conn, &m))
		c.seen[m.Type]++
		if m.Type == "ping" {
			c.send(wsMessage{Type: "pong"})
		}
	}
}

func (c *wsClient) mustNext(wantType string) wsMessage {
	c.t.Helper()
	m, err := c.next()
	require.NoError(c.t, err)
	require.Equal(c.t, wantType, m.Type, string(m.Payload))
	return m
}

func (c *wsClient) start(id, query string) {
	c.t.Helper()
	raw, err := json.Marshal(map[string]any{"query": query})
	require.NoError(c.t, err)
	c.send(wsMessage{ID: id, Type: c.p.subscribe, Payload: raw})
}

func TestWebsocketSubprotocols(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *server.Config, _ *server.Deps) { c.KeepAlive = 50 * time.Millisecond })
	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)

	for i, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			// Clients spell the key either way; both are read.
			key := []string{"authorization", "Authorization"}[i]
			c := dialWS(t, srv.URL, p, map[string]any{key: "Bearer " + b.aliceTok})
			c.mustNext("connection_ack")

			// A query runs as the user named in the init payload.
			c.start("me", `{ me { email } }`)
			m := c.mustNext(p.data)
			require.Equal(t, "me", m.ID)
			require.JSONEq(t, `{"data":{"me":{"email":"alice@example.com"}}}`, string(m.Payload))
			c.mustNext("complete")

			c.start("1", `subscription { serverTime }`)
			for range 3 {
				m := c.mustNext(p.data)
				require.Equal(t, "1", m.ID)
				require.JSONEq(t, `{"data":{"serverTime":"`+testNow.Format(time.RFC3339)+`"}}`, string(m.Payload))
			}
			stop := map[string]string{"graphql-transport-ws": "complete", "graphql-ws": "stop"}[p.name]
			c.send(wsMessage{ID: "1", Type: stop})

			// Idle, the server keeps the connection alive.
			c.waitKeepAlives(2)
		})
	}
}

func TestWebsocketAuth(t *testing.T) {
	t.Parallel()
	b := setup(t)
	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)

	for _, p := range protocols {
		t.Run(p.name+"/bad token", func(t *testing.T) {
			t.Parallel()
			c := dialWS(t, srv.URL, p, map[string]any{"authorization": "Bearer forged"})
			var closeErr websocket.CloseError
			for {
				m, err := c.next()
				if err != nil {
					require.ErrorAs(t, err, &closeErr)
					break
				}
				require.Equal(t, "connection_error", m.Type, "legacy clients get a reason first")
			}
			require.Equal(t, websocket.StatusCode(4403), closeErr.Code)
		})

		t.Run(p.name+"/no token", func(t *testing.T) {
			t.Parallel()
			c := dialWS(t, srv.URL, p, map[string]any{})
			c.mustNext("connection_ack")
			c.start("1", `subscription { serverTime }`)
			var m wsMessage
			for {
				m = c.mustNextAny()
				if m.Type != "complete" {
					break
				}
			}
			require.Contains(t, string(m.Payload), `"code":"UNAUTHENTICATED"`, m.Type)
		})
	}
}

func (c *wsClient) mustNextAny() wsMessage {
	c.t.Helper()
	m, err := c.next()
	require.NoError(c.t, err)
	return m
}

func TestWebsocketClosesWhenTokenExpires(t *testing.T) {
	t.Parallel()
	b := setup(t)
	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)
	// JWT times have whole seconds, so this token lives 1 to 2 seconds.
	short, err := b.keys.Mint(b.alice.ID, b.alice.Email, 2*time.Second)
	require.NoError(t, err)

	c := dialWS(t, srv.URL, protocols[0], map[string]any{"authorization": "Bearer " + short})
	c.mustNext("connection_ack")
	c.start("1", `subscription { serverTime }`)
	var err2 error
	for err2 == nil {
		_, err2 = c.next()
	}
	require.Equal(t, websocket.StatusNormalClosure, websocket.CloseStatus(err2), err2)
}

// serverTime ticks on the resolver's Clock, so a test clock moves it without
// waiting.
func TestServerTimeTicksOnClock(t *testing.T) {
	t.Parallel()
	clock := clocktest.New(testNow)
	b := setup(t, func(_ *server.Config, d *server.Deps) {
		d.Resolver.Clock, d.Resolver.TickEvery = clock, time.Hour
	})
	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)
	c := dialWS(t, srv.URL, protocols[0], map[string]any{"authorization": "Bearer " + b.aliceTok})
	c.mustNext("connection_ack")
	c.start("1", `subscription { serverTime }`)
	require.JSONEq(t, `{"data":{"serverTime":"`+testNow.Format(time.RFC3339)+`"}}`, string(c.mustNext("next").Payload))
	clock.WaitTimers(1)
	clock.Advance(time.Hour)
	require.JSONEq(t, `{"data":{"serverTime":"`+testNow.Add(time.Hour).Format(time.RFC3339)+`"}}`, string(c.mustNext("next").Payload))
}
