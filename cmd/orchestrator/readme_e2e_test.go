package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// readmeSession is the GraphQL block after "A session in the playground" in
// the project's README, one operation a line.
func readmeSession(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(raw), "A session in the playground")
	require.True(t, ok, "README has no playground session")
	_, rest, ok = strings.Cut(rest, "```graphql\n")
	require.True(t, ok)
	block, _, ok := strings.Cut(rest, "```")
	require.True(t, ok)
	return strings.Split(strings.TrimSpace(block), "\n")
}

// The README's playground session runs as written against a server on the
// demo workspace: each operation answers without errors, "<message id>" and
// "<action id>" being what the ask and its answer returned (the README says so).
func TestReadmeSessionRunsOnTheDemo(t *testing.T) {
	t.Parallel()
	f := setupDemo(t)
	h, err := f.a.handler(f.st)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	tok, err := f.a.mintToken(t.Context(), askUser) // on the app's clock, pinned to the demo's now
	require.NoError(t, err)

	post := func(ctx context.Context, op, accept string) *http.Response {
		body, _ := json.Marshal(map[string]string{"query": op})
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		return resp
	}
	type result struct {
		Data   map[string]any
		Errors []any
	}
	var messageID, actionID string
	for _, op := range readmeSession(t) {
		op = strings.ReplaceAll(op, "<message id>", messageID)
		op = strings.ReplaceAll(op, "<action id>", actionID)
		if !strings.HasPrefix(op, "subscription") {
			resp := post(t.Context(), op, "")
			var r result
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
			resp.Body.Close()
			require.Empty(t, r.Errors, op)
			require.NotEmpty(t, r.Data, op)
			if ask, ok := r.Data["ask"].(map[string]any); ok {
				messageID = ask["message"].(map[string]any)["id"].(string)
			}
			if s, ok := r.Data["search"].(map[string]any); ok {
				require.NotEmpty(t, s["hits"], "the demo data answers %s", op)
			}
			if c, ok := r.Data["confirmAction"].(map[string]any); ok {
				require.Equal(t, "EXECUTED", c["action"].(map[string]any)["status"], op)
			}
			continue
		}
		// A subscription over SSE, read to the answer's end.
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
		resp := post(ctx, op, "text/event-stream")
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		done := false
		for !done && sc.Scan() {
			d, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var r result
			require.NoError(t, json.Unmarshal([]byte(d), &r), d)
			require.Empty(t, r.Errors, op)
			ev := r.Data["answer"].(map[string]any)
			if a, ok := ev["action"].(map[string]any); ok {
				actionID = a["id"].(string)
			}
			done = ev["type"] == "DONE" || ev["type"] == "ERROR"
			require.NotEqual(t, "ERROR", ev["type"], d)
		}
		resp.Body.Close()
		cancel()
		require.True(t, done, "the answer ended")
		require.NotEmpty(t, actionID, "the ask proposed an action to confirm")
	}
}
