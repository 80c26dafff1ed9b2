package server_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/pubsub"
	"github.com/workspace-orchestrator/orchestrator/adapter/redistest"
	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/secret/secrettest"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/storetest"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
	"github.com/workspace-orchestrator/orchestrator/domain/synth"
	"github.com/workspace-orchestrator/orchestrator/resolvers"
	"github.com/workspace-orchestrator/orchestrator/web/auth"
	"github.com/workspace-orchestrator/orchestrator/web/server"
)

// TestTwoInstancesShareTheAnswer runs two API instances over one PostgreSQL
// store and one Redis: the ask goes to the first, the answer is followed on
// the second through the Redis Stream, and the stored message reads the same
// from either.
func TestTwoInstancesShareTheAnswer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ring := secrettest.Keyring(t)
	st := store.New(storetest.New(t), ring, domain.SystemClock{})
	alice, err := st.UpsertUser(ctx, "alice@example.com")
	require.NoError(t, err)
	require.NoError(t, st.SaveSyncStatus(ctx, domain.SyncStatus{UserID: alice.ID, Service: domain.ServiceGmail,
		State: domain.SyncIdle, ItemCount: 42, LastSyncAt: testNow}))

	rdb, prefix := redistest.New(t)
	streams, err := pubsub.New(rdb, pubsub.Config{Prefix: prefix, Block: 100 * time.Millisecond})
	require.NoError(t, err)
	answers := pubsub.NewAnswers(streams)

	keys, err := auth.ParseKeyset("k1:"+strings.Repeat("s", 32), domain.SystemClock{})
	require.NoError(t, err)
	tok, err := keys.Mint(alice.ID, alice.Email, time.Hour)
	require.NoError(t, err)
	instance := func() (http.Handler, *httptest.Server) {
		orch, err := orchestrator.New(orchestrator.Config{}, orchestrator.Deps{
			Classifier: intent.NewOffline(nil), Writer: synth.Offline{},
			Conversations: st, Publisher: answers, Users: st, Logger: slog.New(slog.DiscardHandler),
		})
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, orch.Close(context.Background())) })
		h, err := server.New(server.Config{}, server.Deps{
			Resolver: resolvers.Resolver{
				Users: st, Workspace: st, ConversationStore: st, ConversationBatch: st,
				Asker: orch, Answers: answers, SyncStatuses: st,
			},
			Keys: keys, Ready: func(context.Context) error { return nil }, Logger: slog.New(slog.DiscardHandler),
		})
		require.NoError(t, err)
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return h, srv
	}
	one, _ := instance()
	two, twoSrv := instance()
	asAlice := client.AddHeader("Authorization", "Bearer "+tok)
	first := client.New(one, client.Path("/graphql"))
	second := client.New(two, client.Path("/graphql"))

	var resp askResp
	first.MustPost(askMutation, &resp, asAlice, client.Var("in", map[string]any{"query": "what is the weather today?"}))
	require.Equal(t, "PENDING", resp.Ask.Message.Status)

	c := dialWS(t, twoSrv.URL, protocols[0], map[string]any{"authorization": "Bearer " + tok})
	c.mustNext("connection_ack")
	c.subscribeAnswer("1", resp.Ask.Message.ID)
	got := c.collectAnswer("1")

	// What Redis holds, read on its own, is exactly what the subscriber got.
	_, msgID, err := parseNodeID(resp.Ask.Message.ID)
	require.NoError(t, err)
	var stored []orchestrator.Event
	require.NoError(t, answers.Follow(ctx, msgID, func(ev orchestrator.Event) bool {
		stored = append(stored, ev)
		return true
	}))
	requireWholeStream(t, got, stored)

	// The stored message, read through the other instance.
	var n struct {
		Node struct {
			Status, Response string
			Intent           map[string]any
			Plan             []struct{ ID string }
			Timings          *struct{ TotalMs float64 }
		}
	}
	second.MustPost(`query($id: ID!) { node(id: $id) { ... on Message { status response intent plan { id } timings { totalMs } } } }`,
		&n, asAlice, client.Var("id", resp.Ask.Message.ID))
	require.Equal(t, "DONE", n.Node.Status)
	require.Equal(t, *got[len(got)-1].Text, n.Node.Response)
	require.NotNil(t, n.Node.Intent)
	require.Empty(t, n.Node.Plan, "nothing to look up for the weather")
	require.NotNil(t, n.Node.Timings)

	var s struct{ SyncStatus []syncStatus }
	first.MustPost(`{ syncStatus { service state itemCount } }`, &s, asAlice)
	require.Equal(t, []syncStatus{
		{Service: "GMAIL", State: "IDLE", ItemCount: 42},
		{Service: "CALENDAR", State: "NEVER_SYNCED"},
		{Service: "DRIVE", State: "NEVER_SYNCED"},
	}, s.SyncStatus)
}
