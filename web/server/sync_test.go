package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/resolvers"
	"github.com/workspace-orchestrator/orchestrator/web/server"
)

type syncStatus struct {
	Service, State, Error string
	LastSyncAt, UpdatedAt *string
	ItemCount             int
}

func TestSyncStatusAndSyncNow(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.syncs.set(domain.SyncStatus{UserID: b.alice.ID, Service: domain.ServiceCalendar, State: domain.SyncFailed,
		Error: "503 from Google", ItemCount: 7, LastSyncAt: testNow, UpdatedAt: testNow})
	b.syncs.set(domain.SyncStatus{UserID: b.bob.ID, Service: domain.ServiceGmail, State: domain.SyncRunning})

	var resp struct{ SyncStatus []syncStatus }
	b.c.MustPost(`{ syncStatus { service state lastSyncAt itemCount error updatedAt } }`, &resp, b.asAlice)
	at := testNow.Format(time.RFC3339)
	require.Equal(t, []syncStatus{
		{Service: "GMAIL", State: "NEVER_SYNCED"},
		{Service: "CALENDAR", State: "FAILED", Error: "503 from Google", ItemCount: 7, LastSyncAt: &at, UpdatedAt: &at},
		{Service: "DRIVE", State: "NEVER_SYNCED"},
	}, resp.SyncStatus, "Bob's running gmail sync is not Alice's")

	var now struct{ SyncNow syncStatus }
	b.c.MustPost(`mutation { syncNow(service: CALENDAR) { service state itemCount error lastSyncAt updatedAt } }`, &now, b.asAlice)
	require.Equal(t, "FAILED", now.SyncNow.State)
	require.Equal(t, []string{b.alice.ID.String() + " calendar 1"}, b.syncs.enqueuedJobs(), "urgent priority")

	require.Equal(t, "UNAUTHENTICATED", codeOf(b.errorsOf(t, `{ syncStatus { state } }`)[0]))
	require.Equal(t, "UNAUTHENTICATED", codeOf(b.errorsOf(t, `mutation { syncNow(service: GMAIL) { state } }`)[0]))
	require.Equal(t, "GRAPHQL_VALIDATION_FAILED", codeOf(b.errorsOf(t, `mutation { syncNow(service: DROPBOX) { state } }`, b.asAlice)[0]))

	// An account that needs re-authorisation cannot sync.
	b.mem.mu.Lock()
	u := b.mem.users[b.bob.ID]
	u.NeedsReauth = true
	b.mem.users[b.bob.ID] = u
	b.mem.mu.Unlock()
	require.Equal(t, "REAUTH_REQUIRED", codeOf(b.errorsOf(t, `mutation { syncNow(service: GMAIL) { state } }`, b.asBob)[0]))
	require.Len(t, b.syncs.enqueuedJobs(), 1)
}

func TestSyncProgressOverWebsocket(t *testing.T) {
	t.Parallel()
	b := setup(t)
	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)
	b.syncs.set(domain.SyncStatus{UserID: b.alice.ID, Service: domain.ServiceGmail, State: domain.SyncIdle, ItemCount: 3, UpdatedAt: testNow})

	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			c := dialWS(t, srv.URL, p, map[string]any{"authorization": "Bearer " + b.aliceTok})
			c.mustNext("connection_ack")
			c.start("1", `subscription { syncProgress { service state itemCount } }`)
			next := func() syncStatus {
				t.Helper()
				m := c.mustNext(p.data)
				var payload struct {
					Data struct{ SyncProgress syncStatus }
				}
				require.NoError(t, json.Unmarshal(m.Payload, &payload))
				return payload.Data.SyncProgress
			}
			// Every service at once, then only what changes.
			require.Equal(t, syncStatus{Service: "GMAIL", State: "IDLE", ItemCount: 3}, next())
			require.Equal(t, syncStatus{Service: "CALENDAR", State: "NEVER_SYNCED"}, next())
			require.Equal(t, syncStatus{Service: "DRIVE", State: "NEVER_SYNCED"}, next())
			for i := range 2 {
				b.syncs.set(domain.SyncStatus{UserID: b.alice.ID, Service: domain.ServiceDrive, State: domain.SyncRunning,
					ItemCount: 10 * (i + 1), UpdatedAt: testNow.Add(time.Duration(i+1) * time.Second)})
				require.Equal(t, syncStatus{Service: "DRIVE", State: "RUNNING", ItemCount: 10 * (i + 1)}, next())
			}
			stop := map[string]string{"graphql-transport-ws": "complete", "graphql-ws": "stop"}[p.name]
			c.send(wsMessage{ID: "1", Type: stop})
			// Reset for the other subprotocol.
			b.syncs.mu.Lock()
			b.syncs.statuses[b.alice.ID] = b.syncs.statuses[b.alice.ID][:1]
			b.syncs.mu.Unlock()
		})
	}
}

func TestMountsBypassBearerAuth(t *testing.T) {
	t.Parallel()
	hook := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hook %s %s", r.Method, r.URL.Path)
	})
	b := setup(t, func(_ *server.Config, d *server.Deps) {
		d.Mounts = map[string]http.Handler{"/webhooks/": http.StripPrefix("/webhooks", hook)}
	})
	// No token, or even a bad one, still reaches the handler: it checks its own.
	for _, auth := range []string{"", "Bearer forged"} {
		req := httptest.NewRequest(http.MethodPost, "/webhooks/calendar", strings.NewReader("{}"))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		b.h.ServeHTTP(w, req)
		require.Equal(t, http.StatusOK, w.Code)
		body, _ := io.ReadAll(w.Body)
		require.Equal(t, "hook POST /calendar", string(body))
		require.NotEmpty(t, w.Header().Get("X-Request-ID"))
	}

	for _, mounts := range []map[string]http.Handler{
		{"/graphql": hook}, // the server's own path
		{"/x/": nil},       // no handler
		{"/x/{bad": hook},  // malformed
	} {
		_, err := server.New(server.Config{}, server.Deps{
			Resolver: resolvers.Resolver{Users: b.mem, Workspace: b.mem, ConversationStore: b.mem}, Keys: b.keys, Ready: func(context.Context) error { return nil }, Mounts: mounts,
		})
		require.ErrorContains(t, err, "Mounts", mounts)
	}
}

// TestPlaygroundExamplesAreValid runs the playground's default document, so
// its examples keep up with the schema.
func TestPlaygroundExamplesAreValid(t *testing.T) {
	t.Parallel()
	b := setup(t)
	req := httptest.NewRequest(http.MethodGet, "/playground/", nil)
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, req)
	page := w.Body.String()
	_, rest, ok := strings.Cut(page, "defaultQuery: '")
	require.True(t, ok)
	literal, _, ok := strings.Cut(rest, "',\n")
	require.True(t, ok)
	doc := strings.NewReplacer(`\n`, "\n", `\'`, "'", `\\`, `\`).Replace(literal)
	require.Contains(t, doc, "subscription Answer")

	var resp struct {
		Me struct {
			Email, TimeZone string
			NeedsReauth     bool
		}
		SyncStatus []map[string]any
	}
	b.c.MustPost(doc, &resp, b.asAlice, client.Operation("Me"))
	require.Equal(t, "alice@example.com", resp.Me.Email)
	var search map[string]any
	b.c.MustPost(doc, &search, b.asAlice, client.Operation("Search"))
}
