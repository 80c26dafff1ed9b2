package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/auth"
	"github.com/workspace-orchestrator/orchestrator/config"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

// TestAnswerFollowedFromAnotherProcess runs two `orchestrator serve`
// processes on one database and one Redis: the ask goes to the first, the
// answer is followed on the second over a websocket, and every event arrives
// once and in order, ending with DONE.
func TestAnswerFollowedFromAnotherProcess(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	e := setupCmd(t)
	bin := filepath.Join(t.TempDir(), "orchestrator")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	urls := make([]string, 2)
	for i := range urls {
		urls[i] = "http://" + startServe(ctx, t, bin, e.vars)
	}

	u, err := e.store.UpsertUser(ctx, "two@example.com")
	require.NoError(t, err)
	keys, err := auth.ParseKeyset(config.DevJWTKeys, domain.SystemClock{})
	require.NoError(t, err)
	token, err := keys.Mint(u.ID, u.Email, time.Hour)
	require.NoError(t, err)

	id := askOver(ctx, t, urls[0], token, "emails and files about the budget")
	events := followOver(ctx, t, urls[1], token, id)
	require.NotEmpty(t, events)
	for i, ev := range events {
		require.Equal(t, i+1, ev.Seq, "event %d of %v", i, events)
	}
	require.Equal(t, "DONE", events[len(events)-1].Type)
}

// startServe runs `orchestrator serve` on a free loopback port until the
// test ends and returns its address once /readyz answers.
func startServe(ctx context.Context, t *testing.T, bin string, vars map[string]string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	cmd := exec.CommandContext(ctx, bin, "serve")
	cmd.Env = os.Environ()
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "HTTP_ADDR="+addr)
	var logs bytes.Buffer
	cmd.Stderr = &logs
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("serve %s:\n%s", addr, logs.String())
		}
	})
	require.Eventually(t, func() bool {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, time.Minute, 100*time.Millisecond, "serve on %s never became ready", addr)
	return addr
}

func askOver(ctx context.Context, t *testing.T, url, token, q string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"query":     "mutation($q: String!) { ask(input: {query: $q}) { message { id } } }",
		"variables": map[string]string{"q": q},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/graphql", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var r struct {
		Data struct {
			Ask struct{ Message struct{ ID string } }
		}
		Errors []struct{ Message string }
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
	require.Empty(t, r.Errors)
	return r.Data.Ask.Message.ID
}

type wireEvent struct {
	Type string
	Seq  int
}

// followOver subscribes to the message's answer over graphql-transport-ws
// and returns its events until the server completes the subscription.
func followOver(ctx context.Context, t *testing.T, url, token, messageID string) []wireEvent {
	t.Helper()
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(url, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	require.NoError(t, err)
	defer ws.Close(websocket.StatusNormalClosure, "")
	require.NoError(t, wsjson.Write(ctx, ws, map[string]any{"type": "connection_init", "payload": map[string]string{"authorization": "Bearer " + token}}))
	require.NoError(t, wsjson.Write(ctx, ws, map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query":     "subscription($id: ID!) { answer(messageId: $id) { type seq } }",
		"variables": map[string]string{"id": messageID},
	}}))
	var events []wireEvent
	for {
		var m struct {
			Type    string
			Payload json.RawMessage
		}
		require.NoError(t, wsjson.Read(ctx, ws, &m))
		switch m.Type {
		case "connection_ack", "ka":
		case "ping":
			require.NoError(t, wsjson.Write(ctx, ws, map[string]string{"type": "pong"}))
		case "next":
			var p struct {
				Data struct{ Answer wireEvent }
			}
			require.NoError(t, json.Unmarshal(m.Payload, &p))
			events = append(events, p.Data.Answer)
		case "complete":
			return events
		default:
			require.Fail(t, fmt.Sprintf("unexpected %s: %s", m.Type, m.Payload))
		}
	}
}
