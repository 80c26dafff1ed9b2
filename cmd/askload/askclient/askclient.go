// Package askclient asks the server over GraphQL as a front end would: the
// ask mutation over HTTP and the answer subscription over one
// graphql-transport-ws websocket, on which many answers can be followed in
// turn. The load generator and the multi-process test use it.
package askclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

// Event is what the client reads of one answer event.
type Event struct {
	Type string `json:"type"`
	Seq  int    `json:"seq"`
}

// Client is one connection to a server.
type Client struct {
	url, token string
	http       *http.Client
	ws         *websocket.Conn
	next       int
}

// Dial opens the websocket of the server at baseURL ("http://host:port") and
// authenticates it with the bearer token.
func Dial(ctx context.Context, baseURL, token string, hc *http.Client) (*Client, error) {
	wsURL := "ws" + strings.TrimPrefix(baseURL, "http") + "/graphql"
	ws, _, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return nil, fmt.Errorf("websocket %s: %w", wsURL, err)
	}
	ws.SetReadLimit(1 << 20)
	if err := wsjson.Write(ctx, ws, map[string]any{"type": "connection_init", "payload": map[string]string{"authorization": "Bearer " + token}}); err != nil {
		return nil, err
	}
	var ack struct{ Type string }
	if err := wsjson.Read(ctx, ws, &ack); err != nil || ack.Type != "connection_ack" {
		_ = ws.Close(websocket.StatusPolicyViolation, "no ack")
		return nil, fmt.Errorf("websocket init: got %q, %v", ack.Type, err)
	}
	return &Client{url: baseURL, token: token, http: hc, ws: ws}, nil
}

// Close closes the websocket.
func (c *Client) Close() error { return c.ws.Close(websocket.StatusNormalClosure, "done") }

// Ask sends the ask mutation and returns the new message's id.
func (c *Client) Ask(ctx context.Context, query string) (string, error) {
	body, _ := json.Marshal(map[string]any{
		"query":     "mutation($q: String!) { ask(input: {query: $q}) { message { id } } }",
		"variables": map[string]string{"q": query},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url+"/graphql", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var r struct {
		Data struct {
			Ask struct{ Message struct{ ID string } }
		}
		Errors []struct{ Message string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return "", fmt.Errorf("ask: %w", err)
	}
	if len(r.Errors) > 0 {
		return "", fmt.Errorf("ask: %s", r.Errors[0].Message)
	}
	return r.Data.Ask.Message.ID, nil
}

// Follow subscribes to the message's answer and calls fn with each event
// until the server completes the subscription (after DONE or ERROR).
func (c *Client) Follow(ctx context.Context, messageID string, fn func(Event)) error {
	c.next++
	id := fmt.Sprint(c.next)
	if err := wsjson.Write(ctx, c.ws, map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{
		"query":     "subscription($id: ID!) { answer(messageId: $id) { type seq } }",
		"variables": map[string]string{"id": messageID},
	}}); err != nil {
		return err
	}
	for {
		var m struct {
			ID      string
			Type    string
			Payload json.RawMessage
		}
		if err := wsjson.Read(ctx, c.ws, &m); err != nil {
			return fmt.Errorf("answer: %w", err)
		}
		switch {
		case m.Type == "ping":
			if err := wsjson.Write(ctx, c.ws, map[string]string{"type": "pong"}); err != nil {
				return err
			}
		case m.ID != id: // keep-alives, earlier subscriptions
		case m.Type == "complete":
			return nil
		case m.Type == "error":
			return fmt.Errorf("answer: %s", m.Payload)
		case m.Type == "next":
			var p struct {
				Data struct{ Answer Event }
			}
			if err := json.Unmarshal(m.Payload, &p); err != nil {
				return fmt.Errorf("answer: %w", err)
			}
			fn(p.Data.Answer)
		default:
			return errors.New("answer: unexpected " + m.Type)
		}
	}
}
