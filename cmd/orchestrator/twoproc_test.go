package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/cmd/askload/askclient"
	"github.com/workspace-orchestrator/orchestrator/cmd/orchestrator/config"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/web/auth"
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

	asker, err := askclient.Dial(ctx, urls[0], token, http.DefaultClient)
	require.NoError(t, err)
	defer asker.Close()
	follower, err := askclient.Dial(ctx, urls[1], token, http.DefaultClient)
	require.NoError(t, err)
	defer follower.Close()
	id, err := asker.Ask(ctx, "emails and files about the budget")
	require.NoError(t, err)
	var events []askclient.Event
	require.NoError(t, follower.Follow(ctx, id, func(ev askclient.Event) { events = append(events, ev) }))
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
