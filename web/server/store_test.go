package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/secret/secrettest"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/storetest"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/resolvers"
	"github.com/workspace-orchestrator/orchestrator/web/auth"
	"github.com/workspace-orchestrator/orchestrator/web/server"
)

// TestOnRealStore runs the GraphQL API over the PostgreSQL store (a schema of
// its own): the same contract the in-memory ports stand in for elsewhere.
func TestOnRealStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ring := secrettest.Keyring(t)
	db := storetest.New(t)
	st := store.New(db, ring, domain.FixedClock{T: testNow})

	alice, err := st.UpsertUser(ctx, "alice@example.com")
	require.NoError(t, err)
	bob, err := st.UpsertUser(ctx, "bob@example.com")
	require.NoError(t, err)

	var mails []domain.Email
	for i := range 5 {
		mails = append(mails, domain.Email{
			EmailID: fmt.Sprintf("gm-%d", i), ThreadID: "t", Subject: fmt.Sprintf("Report %d", i),
			From: domain.Address{Email: "boss@example.com"}, Labels: []string{"INBOX"},
			ReceivedAt: testNow.Add(-time.Duration(i) * time.Hour),
		})
	}
	require.NoError(t, st.UpsertEmails(ctx, alice.ID, mails))
	require.NoError(t, st.UpsertEmails(ctx, bob.ID, mails[:1]))
	for i := range 3 {
		c, err := st.CreateConversation(ctx, alice.ID, fmt.Sprintf("Chat %d", i))
		require.NoError(t, err)
		for range i {
			_, _, err := st.CreateMessage(ctx, domain.Message{ConversationID: c.ID, UserID: alice.ID, Query: "q"})
			require.NoError(t, err)
		}
	}

	keys, err := auth.ParseKeyset("k1:"+strings.Repeat("s", 32), domain.SystemClock{})
	require.NoError(t, err)
	h, err := server.New(server.Config{}, server.Deps{
		Resolver: resolvers.Resolver{Users: st, Workspace: st, ConversationStore: st, ConversationBatch: st},
		Keys:     keys,
		Ready:    func(context.Context) error { return nil },
		Logger:   slog.New(slog.DiscardHandler),
	})
	require.NoError(t, err)
	c := client.New(h, client.Path("/graphql"))
	tok, err := keys.Mint(alice.ID, alice.Email, time.Hour)
	require.NoError(t, err)
	asAlice := client.AddHeader("Authorization", "Bearer "+tok)

	var me struct{ Me struct{ Email string } }
	c.MustPost(`{ me { email } }`, &me, asAlice)
	require.Equal(t, "alice@example.com", me.Me.Email)
	// A request is activity: the periodic sync now keeps Alice's cache
	// fresh, and not Bob's, who asked nothing.
	active, err := st.ActiveUsers(ctx, time.Now().Add(-time.Minute))
	require.NoError(t, err)
	require.Len(t, active, 1)
	require.Equal(t, alice.ID, active[0].ID)

	// Page through the emails two at a time, newest first.
	var subjects []string
	var after *string
	for {
		var resp emailPage
		c.MustPost(`query($after: String) { emails(first: 2, after: $after, filter: {from: ["boss@example.com"]}) {
			edges { cursor node { id subject } } pageInfo { hasNextPage endCursor } totalCount } }`,
			&resp, asAlice, client.Var("after", after))
		require.Equal(t, 5, resp.Emails.TotalCount)
		for _, e := range resp.Emails.Edges {
			subjects = append(subjects, e.Node.Subject)
		}
		if !resp.Emails.PageInfo.HasNextPage {
			break
		}
		after = resp.Emails.PageInfo.EndCursor
	}
	require.Equal(t, []string{"Report 0", "Report 1", "Report 2", "Report 3", "Report 4"}, subjects)

	// And back from the end, two at a time (Relay's last/before).
	var back []string
	var before *string
	for {
		var resp emailPage
		c.MustPost(`query($before: String) { emails(last: 2, before: $before, filter: {from: ["boss@example.com"]}) {
			edges { cursor node { id subject } } pageInfo { hasPreviousPage startCursor } } }`,
			&resp, asAlice, client.Var("before", before))
		var page []string
		for _, e := range resp.Emails.Edges {
			page = append(page, e.Node.Subject)
		}
		back = append(page, back...)
		if !resp.Emails.PageInfo.HasPreviousPage {
			break
		}
		before = resp.Emails.PageInfo.StartCursor
	}
	require.Equal(t, subjects, back)

	// Bob's copy of an email is not Alice's to read.
	bobs, _, err := st.Emails(ctx, bob.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	bobsEmailID := nodeID("Email", bobs[0].ID)
	resp, err := c.RawPost(`query($id: ID!) { node(id: $id) { id } }`, asAlice, client.Var("id", bobsEmailID))
	require.NoError(t, err)
	require.Contains(t, string(resp.Errors), `"code":"NOT_FOUND"`)

	resp, err = c.RawPost(`{ emails(after: "bm90LWEtY3Vyc29y") { totalCount } }`, asAlice)
	require.NoError(t, err)
	require.Contains(t, string(resp.Errors), `"code":"INVALID_CURSOR"`)
	require.NotContains(t, string(resp.Errors), "bm90LWEtY3Vyc29y", "the message is written for the client")

	// Nested fields through the store's batch queries.
	var convs struct {
		Conversations struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Title        string
					MessageCount int
					Messages     struct {
						Edges []struct {
							Node struct{ Conversation struct{ Title string } }
						}
					}
				}
			}
		}
	}
	c.MustPost(`{ conversations { totalCount edges { node { title messageCount messages { edges { node { conversation { title } } } } } } } }`, &convs, asAlice)
	require.Equal(t, 3, convs.Conversations.TotalCount)
	counts := map[string]int{}
	for _, e := range convs.Conversations.Edges {
		counts[e.Node.Title] = e.Node.MessageCount
		for _, m := range e.Node.Messages.Edges {
			require.Equal(t, e.Node.Title, m.Node.Conversation.Title)
		}
	}
	require.Equal(t, map[string]int{"Chat 0": 0, "Chat 1": 1, "Chat 2": 2}, counts)
}
