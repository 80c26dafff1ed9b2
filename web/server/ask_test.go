package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/executor"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
	"github.com/workspace-orchestrator/orchestrator/domain/plan"
	"github.com/workspace-orchestrator/orchestrator/domain/synth"
)

const askMutation = `mutation($in: AskInput!) {
	ask(input: $in) {
		message { id status query clientRequestId conversation { id } }
		conversation { id title }
	}
}`

type askResp struct {
	Ask struct {
		Message struct {
			ID, Status, Query, ClientRequestID string
			Conversation                       struct{ ID string }
		}
		Conversation struct{ ID, Title string }
	}
}

func TestAskReturnsAtOnceAndAnswers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var resp askResp
	b.c.MustPost(askMutation, &resp, b.asAlice,
		client.Var("in", map[string]any{"query": "what's the weather tomorrow?", "clientRequestId": "r1"}))
	m := resp.Ask.Message
	require.Equal(t, "PENDING", m.Status)
	require.Equal(t, "what's the weather tomorrow?", m.Query)
	require.Equal(t, "r1", m.ClientRequestID)
	require.Equal(t, resp.Ask.Conversation.ID, m.Conversation.ID)
	require.Equal(t, "what's the weather tomorrow?", resp.Ask.Conversation.Title)

	// The same idempotency key returns the same message.
	var again askResp
	b.c.MustPost(askMutation, &again, b.asAlice,
		client.Var("in", map[string]any{"query": "something else", "clientRequestId": "r1"}))
	require.Equal(t, m.ID, again.Ask.Message.ID)

	// A follow-up continues the conversation.
	var follow askResp
	b.c.MustPost(askMutation, &follow, b.asAlice,
		client.Var("in", map[string]any{"query": "and next week?", "conversationId": m.Conversation.ID}))
	require.Equal(t, m.Conversation.ID, follow.Ask.Message.Conversation.ID)
	require.NotEqual(t, m.ID, follow.Ask.Message.ID)

	// The answer is stored once the pipeline ends.
	require.Eventually(t, func() bool {
		var n struct {
			Node struct{ Status, Response string }
		}
		b.c.MustPost(`query($id: ID!) { node(id: $id) { ... on Message { status response } } }`, &n, b.asAlice, client.Var("id", m.ID))
		return n.Node.Status == "DONE" && n.Node.Response != ""
	}, 5*time.Second, 10*time.Millisecond)
}

func TestAskErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ask := func(in map[string]any, opts ...client.Option) []gqlError {
		t.Helper()
		q := `mutation { ask(input: ` + gqlInput(t, in) + `) { message { id } } }`
		return b.errorsOf(t, q, opts...)
	}
	require.Equal(t, "UNAUTHENTICATED", codeOf(ask(map[string]any{"query": "hi"})[0]))
	require.Equal(t, "BAD_USER_INPUT", codeOf(ask(map[string]any{"query": "   "}, b.asAlice)[0]))
	errs := ask(map[string]any{"query": "hi", "conversationId": "not-an-id"}, b.asAlice)
	require.Equal(t, "BAD_USER_INPUT", codeOf(errs[0]))
	// Bob's conversation is not Alice's to continue.
	bobConv := nodeID("Conversation", b.mem.conversations[len(b.mem.conversations)-1].ID)
	require.Equal(t, "NOT_FOUND", codeOf(ask(map[string]any{"query": "hi", "conversationId": bobConv}, b.asAlice)[0]))
}

// gqlInput writes an input object literal.
func gqlInput(t *testing.T, in map[string]any) string {
	t.Helper()
	out := "{"
	for k, v := range in {
		raw, err := json.Marshal(v)
		require.NoError(t, err)
		out += k + ": " + string(raw) + " "
	}
	return out + "}"
}

func TestAskRateLimited(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.limiter.limit = 2
	for range 2 {
		var resp askResp
		b.c.MustPost(askMutation, &resp, b.asAlice, client.Var("in", map[string]any{"query": "hello"}))
	}
	errs := b.errorsOf(t, `mutation { ask(input: {query: "hello"}) { message { id } } }`, b.asAlice)
	require.Equal(t, "RATE_LIMITED", codeOf(errs[0]))
	require.EqualValues(t, 1200, errs[0].Extensions["retryAfterSeconds"])
	// Bob has his own budget.
	var resp askResp
	b.c.MustPost(askMutation, &resp, b.asBob, client.Var("in", map[string]any{"query": "hello"}))
}

// Finding 10: empty or invalid asks and idempotent retries spent the ask
// budget. Only a valid new ask does.
func TestAskBudgetSpentOnlyByNewValidAsks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.errorsOf(t, `mutation { ask(input: {query: "   "}) { message { id } } }`, b.asAlice)
	b.errorsOf(t, `mutation { ask(input: {query: "`+strings.Repeat("x", domain.MaxQueryLen+1)+`"}) { message { id } } }`, b.asAlice)
	b.errorsOf(t, `mutation { ask(input: {query: "hi", conversationId: "nope"}) { message { id } } }`, b.asAlice)
	require.Zero(t, b.limiter.spent(b.alice.ID))

	var first, retry askResp
	in := client.Var("in", map[string]any{"query": "hello", "clientRequestId": "r-1"})
	b.c.MustPost(askMutation, &first, b.asAlice, in)
	b.c.MustPost(askMutation, &retry, b.asAlice, in)
	require.Equal(t, first.Ask.Message.ID, retry.Ask.Message.ID)
	require.Equal(t, 1, b.limiter.spent(b.alice.ID))
}

// seedAnswered stores a finished message of u with everything the pipeline records.
func seedAnswered(t *testing.T, b *bundle, u domain.User, actions ...agent.Action) domain.Message {
	t.Helper()
	ctx := context.Background()
	c, err := b.mem.CreateConversation(ctx, u.ID, "trip")
	require.NoError(t, err)
	raw := func(v any) json.RawMessage {
		out, err := json.Marshal(v)
		require.NoError(t, err)
		return out
	}
	step := intent.Step{ID: "s1", Service: domain.ServiceCalendar, Operation: intent.OpDelete,
		Params: intent.Params{"query": "flight"}, DependsOn: []string{}, SideEffect: true}
	rowID := uuid.New()
	msg := domain.Message{
		ID: uuid.New(), ConversationID: c.ID, UserID: u.ID, Query: "cancel my flight", Status: domain.MessageDone,
		Intent: raw(intent.Intent{Steps: []intent.Step{step}, Confidence: 0.9}),
		Plan:   raw(plan.Plan{Steps: []intent.Step{step}, Groups: [][]string{{"s1"}}}),
		StepResults: raw([]executor.Result{{StepID: "s1", Service: domain.ServiceCalendar, Operation: intent.OpDelete,
			Status: executor.StatusSucceeded, Duration: 1500 * time.Microsecond,
			Output: agent.Output{Items: []agent.Item{{Service: domain.ServiceCalendar, Kind: "event", ID: "ev1", RowID: rowID, Title: "Flight TK1", At: testNow}}, Actions: actions}}}),
		Actions:   raw(actions),
		Citations: raw([]synth.Citation{{Service: domain.ServiceCalendar, ItemID: "ev1", Title: "Flight TK1"}}),
		Timings:   raw(orchestrator.Timings{ClassifyMS: 1, TotalMS: 12.5}),
		Response:  "I can delete Flight TK1 once you confirm.",
		CreatedAt: testNow, UpdatedAt: testNow,
	}
	_, _, err = b.mem.CreateMessage(ctx, msg)
	require.NoError(t, err)
	return msg
}

func deleteAction(id, target string) agent.Action {
	return agent.Action{ID: id, StepID: "s1", Kind: agent.ActionDeleteEvent, Service: domain.ServiceCalendar,
		Summary: "Delete the event " + target, Targets: []string{target}, Status: agent.ActionProposed}
}

func TestMessageRecordsThePipeline(t *testing.T) {
	t.Parallel()
	b := setup(t)
	msg := seedAnswered(t, b, b.alice, deleteAction("s1-a1", "ev1"))
	var resp struct {
		Node struct {
			Intent map[string]any
			Plan   []struct {
				ID, Service, Operation string
				Params                 map[string]any
				DependsOn              []string
				SideEffect             bool
			}
			Actions []struct {
				ID, Kind, Service, Summary, Status string
				Targets                            []string
			}
			StepResults []struct {
				StepID, Status string
				DurationMs     float64
				Items          []struct{ ItemID, Title, NodeID, At string }
				Actions        []struct{ ID string }
			}
			Citations []struct{ Service, ItemID, Title string }
			Timings   struct{ ClassifyMs, TotalMs float64 }
		}
	}
	b.c.MustPost(`query($id: ID!) { node(id: $id) { ... on Message {
		intent
		plan { id service operation params dependsOn sideEffect }
		actions { id kind service summary status targets }
		stepResults { stepId status durationMs items { itemId title nodeId at } actions { id } }
		citations { service itemId title }
		timings { classifyMs totalMs }
	} } }`, &resp, b.asAlice, client.Var("id", nodeID("Message", msg.ID)))
	n := resp.Node
	require.InDelta(t, 0.9, n.Intent["confidence"], 1e-9)
	require.Len(t, n.Plan, 1)
	require.Equal(t, "CALENDAR", n.Plan[0].Service)
	require.Equal(t, "delete", n.Plan[0].Operation)
	require.Equal(t, map[string]any{"query": "flight"}, n.Plan[0].Params)
	require.True(t, n.Plan[0].SideEffect)
	require.Equal(t, "DELETE_EVENT", n.Actions[0].Kind)
	require.Equal(t, "PROPOSED", n.Actions[0].Status)
	require.Equal(t, []string{"ev1"}, n.Actions[0].Targets)
	require.Equal(t, "SUCCEEDED", n.StepResults[0].Status)
	require.InDelta(t, 1.5, n.StepResults[0].DurationMs, 1e-9)
	require.Equal(t, "Flight TK1", n.StepResults[0].Items[0].Title)
	require.NotEmpty(t, n.StepResults[0].Items[0].NodeID)
	require.Equal(t, testNow.Format(time.RFC3339), n.StepResults[0].Items[0].At)
	require.Equal(t, "s1-a1", n.StepResults[0].Actions[0].ID)
	require.Equal(t, "ev1", n.Citations[0].ItemID)
	require.InDelta(t, 12.5, n.Timings.TotalMs, 1e-9)

	// A new message answers these fields without errors at any stage.
	var p struct {
		Node struct {
			Intent  any
			Plan    []any
			Timings any
		}
	}
	var asked askResp
	b.c.MustPost(askMutation, &asked, b.asAlice, client.Var("in", map[string]any{"query": "hello there"}))
	pendingID := asked.Ask.Message.ID
	b.c.MustPost(`query($id: ID!) { node(id: $id) { ... on Message { intent plan { id } timings { totalMs } } } }`, &p, b.asAlice,
		client.Var("id", pendingID))
	require.NotNil(t, p.Node.Plan)
}

const decideMutation = `mutation($m: ID!, $a: String!) {
	%s(messageId: $m, actionId: $a) { message { id status } action { id status result error } }
}`

func TestConfirmAndRejectActions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	msg := seedAnswered(t, b, b.alice, deleteAction("s1-a1", "ev1"), deleteAction("s1-a2", "ev2"), deleteAction("s1-a3", "fails"))
	id := nodeID("Message", msg.ID)
	type action struct{ ID, Status, Result, Error string }
	var c struct {
		ConfirmAction struct {
			Message struct{ ID, Status string }
			Action  action
		}
	}
	b.c.MustPost(sprintf(decideMutation, "confirmAction"), &c, b.asAlice, client.Var("m", id), client.Var("a", "s1-a1"))
	require.Equal(t, action{ID: "s1-a1", Status: "EXECUTED", Result: "deleted ev1"}, c.ConfirmAction.Action)

	var r struct {
		RejectAction struct {
			Message struct{ ID, Status string }
			Action  action
		}
	}
	b.c.MustPost(sprintf(decideMutation, "rejectAction"), &r, b.asAlice, client.Var("m", id), client.Var("a", "s1-a2"))
	require.Equal(t, "REJECTED", r.RejectAction.Action.Status)

	decide := func(field, actionID string, as client.Option) gqlError {
		t.Helper()
		return b.errorsOf(t, `mutation { `+field+`(messageId: "`+id+`", actionId: "`+actionID+`") { action { id } } }`, as)[0]
	}
	// A rejected action cannot run, an executed one cannot be rejected.
	require.Equal(t, "CONFLICT", codeOf(decide("confirmAction", "s1-a2", b.asAlice)))
	require.Equal(t, "CONFLICT", codeOf(decide("rejectAction", "s1-a1", b.asAlice)))
	require.Equal(t, "NOT_FOUND", codeOf(decide("confirmAction", "nope", b.asAlice)))
	// Bob cannot decide on Alice's actions.
	require.Equal(t, "NOT_FOUND", codeOf(decide("confirmAction", "s1-a1", b.asBob)))
	require.Equal(t, "UNAUTHENTICATED", codeOf(b.errorsOf(t, `mutation { cancelAsk(messageId: "`+id+`") { message { id } } }`)[0]))
	// A failing agent's error keeps its code, and the message records the failure.
	reauth := decide("confirmAction", "s1-a3", b.asAlice)
	require.Equal(t, "REAUTH_REQUIRED", codeOf(reauth))
	require.Equal(t, "/auth/google/login", reauth.Extensions["loginUrl"])
	var n struct{ Node struct{ Actions []action } }
	b.c.MustPost(`query($id: ID!) { node(id: $id) { ... on Message { actions { id status result error } } } }`, &n, b.asAlice, client.Var("id", id))
	require.Equal(t, "FAILED", n.Node.Actions[2].Status)
	require.Equal(t, domain.Explain(domain.ErrReauthRequired), n.Node.Actions[2].Error, "explained, without internals")
	// A finished ask cannot be cancelled.
	require.Equal(t, "CONFLICT", codeOf(b.errorsOf(t, `mutation { cancelAsk(messageId: "`+id+`") { message { id } } }`, b.asAlice)[0]))
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func TestCancelAsk(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// An ask running on another instance is marked cancelled in the store.
	msg := seedAnswered(t, b, b.alice)
	msg.Status = domain.MessageRunning
	require.NoError(t, b.mem.UpdateMessage(context.Background(), msg))
	id := nodeID("Message", msg.ID)
	require.Equal(t, "NOT_FOUND", codeOf(b.errorsOf(t, `mutation { cancelAsk(messageId: "`+id+`") { message { id } } }`, b.asBob)[0]))
	var resp struct {
		CancelAsk struct {
			Message struct{ ID, Status, Error string }
		}
	}
	b.c.MustPost(`mutation($id: ID!) { cancelAsk(messageId: $id) { message { id status error } } }`, &resp, b.asAlice, client.Var("id", id))
	require.Equal(t, id, resp.CancelAsk.Message.ID)
	require.Equal(t, "CANCELLED", resp.CancelAsk.Message.Status)
	require.Equal(t, "BAD_USER_INPUT", codeOf(b.errorsOf(t, `mutation { cancelAsk(messageId: "`+nodeID("Conversation", msg.ID)+`") { message { id } } }`, b.asAlice)[0]))
}
