package server_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
)

const answerSubscription = `subscription($id: ID!) { answer(messageId: $id) {
	type seq at status detail stepId token text messageStatus error
	step { stepId status items { title } }
	action { id kind status summary }
	citations { itemId }
} }`

type answerEvent struct {
	Type, At                                   string
	Seq                                        int
	Status, Detail, StepID, Token, Text, Error *string
	MessageStatus                              *string
	Step                                       *struct{ StepID, Status string }
	Action                                     *struct{ ID, Kind, Status, Summary string }
	Citations                                  []struct{ ItemID string }
}

// subscribeAnswer starts the answer subscription on c as operation opID.
func (c *wsClient) subscribeAnswer(opID, messageID string) {
	c.t.Helper()
	raw, err := json.Marshal(map[string]any{"query": answerSubscription, "variables": map[string]any{"id": messageID}})
	require.NoError(c.t, err)
	c.send(wsMessage{ID: opID, Type: c.p.subscribe, Payload: raw})
}

// collectAnswer reads operation opID's events until the server completes it.
func (c *wsClient) collectAnswer(opID string) []answerEvent {
	c.t.Helper()
	var out []answerEvent
	for {
		m := c.mustNextAny()
		require.Equal(c.t, opID, m.ID, string(m.Payload))
		switch m.Type {
		case "complete":
			return out
		case c.p.data:
			var p struct {
				Data   struct{ Answer answerEvent }
				Errors []gqlError
			}
			require.NoError(c.t, json.Unmarshal(m.Payload, &p))
			require.Empty(c.t, p.Errors)
			out = append(out, p.Data.Answer)
		default:
			c.t.Fatalf("unexpected %s: %s", m.Type, m.Payload)
		}
	}
}

// requireWholeStream checks every event came once, in order, ending with DONE.
func requireWholeStream(t *testing.T, got []answerEvent, want []orchestrator.Event) {
	t.Helper()
	require.Len(t, got, len(want))
	for i, ev := range got {
		require.Equal(t, i+1, ev.Seq)
		require.Equal(t, string(want[i].Type), ev.Type)
	}
	require.Equal(t, "DONE", got[len(got)-1].Type)
}

func TestAnswerOverWebsocket(t *testing.T) {
	t.Parallel()
	b := setup(t)
	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)

	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			c := dialWS(t, srv.URL, p, map[string]any{"authorization": "Bearer " + b.aliceTok})
			c.mustNext("connection_ack")

			// An ask through the real orchestrator, subscribed right after.
			var resp askResp
			b.c.MustPost(askMutation, &resp, b.asAlice, client.Var("in", map[string]any{"query": "find emails about the budget"}))
			c.subscribeAnswer("1", resp.Ask.Message.ID)
			got := c.collectAnswer("1")
			_, msgID, err := parseNodeID(resp.Ask.Message.ID)
			require.NoError(t, err)
			requireWholeStream(t, got, b.answers.list(msgID))
			require.Equal(t, "classifying", *got[0].Status)
			last := got[len(got)-1]
			require.Equal(t, "DONE", *last.MessageStatus)
			require.NotEmpty(t, *last.Text)
			var text string
			for _, ev := range got {
				if ev.Type == "TOKEN" {
					text += *ev.Token
				}
			}
			require.Equal(t, *last.Text, text, "the tokens make the whole answer")

			// A late subscriber on the same connection replays everything.
			c.subscribeAnswer("2", resp.Ask.Message.ID)
			requireWholeStream(t, c.collectAnswer("2"), b.answers.list(msgID))
		})
	}
}

// TestAnswerFollowsLiveEvents publishes events while two subscribers (one
// per subprotocol) follow, one of them joining halfway.
func TestAnswerFollowsLiveEvents(t *testing.T) {
	t.Parallel()
	b := setup(t)
	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)
	msg := seedAnswered(t, b, b.alice)
	msg.Status = domain.MessageRunning
	require.NoError(t, b.mem.UpdateMessage(context.Background(), msg))
	id := nodeID("Message", msg.ID)

	ctx := context.Background()
	publish := func(seq int, ev orchestrator.Event) {
		ev.Seq, ev.At = seq, testNow.Add(time.Duration(seq)*time.Millisecond)
		require.NoError(t, b.answers.Publish(ctx, msg.ID, ev))
	}
	first := dialWS(t, srv.URL, protocols[0], map[string]any{"authorization": "Bearer " + b.aliceTok})
	first.mustNext("connection_ack")
	first.subscribeAnswer("a", id)
	require.Eventually(t, func() bool {
		b.answers.mu.Lock()
		defer b.answers.mu.Unlock()
		return b.answers.follows == 1
	}, 5*time.Second, time.Millisecond)

	publish(1, orchestrator.Event{Type: orchestrator.EventStatus, Status: orchestrator.StatusClassifying})
	publish(2, orchestrator.Event{Type: orchestrator.EventActionProposed, StepID: "s1",
		Action: &agent.Action{ID: "s1-a1", Kind: agent.ActionDeleteEvent, Service: domain.ServiceCalendar, Summary: "Delete Flight TK1", Targets: []string{"ev1"}, Status: agent.ActionProposed}})
	second := dialWS(t, srv.URL, protocols[1], map[string]any{"authorization": "Bearer " + b.aliceTok})
	second.mustNext("connection_ack")
	second.subscribeAnswer("b", id)
	for i := 3; i <= 20; i++ {
		publish(i, orchestrator.Event{Type: orchestrator.EventToken, Token: fmt.Sprintf("w%d ", i)})
	}
	publish(21, orchestrator.Event{Type: orchestrator.EventDone, Text: "done", MessageStatus: domain.MessageDone})
	// Nothing after DONE reaches anyone.
	publish(22, orchestrator.Event{Type: orchestrator.EventToken, Token: "late"})

	for _, c := range []struct {
		ws *wsClient
		op string
	}{{first, "a"}, {second, "b"}} {
		got := c.ws.collectAnswer(c.op)
		requireWholeStream(t, got, b.answers.list(msg.ID)[:21])
		require.Equal(t, "DELETE_EVENT", got[1].Action.Kind)
		require.Equal(t, "Delete Flight TK1", got[1].Action.Summary)
		require.Equal(t, "w20 ", *got[19].Token)
	}
}

// TestAnswerNeverEndsInSilence: whatever is lost on the way (the last event
// of an ask whose instance died, the whole stream while Redis is down), the
// subscriber ends with the stored outcome; an event published twice by a
// retry arrives once.
func TestAnswerNeverEndsInSilence(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, c := range []struct {
		name      string
		redisDown bool
		want      []string
	}{
		{"last event lost", false, []string{"STATUS", "DONE"}},
		{"redis down", true, []string{"DONE"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			srv := httptest.NewServer(b.h)
			t.Cleanup(srv.Close)
			msg := seedAnswered(t, b, b.alice)
			done := msg
			msg.Status = domain.MessageRunning
			require.NoError(t, b.mem.UpdateMessage(ctx, msg))
			if c.redisDown {
				b.answers.down = errors.New("dial tcp 127.0.0.1:6379: connection refused")
			}
			status := orchestrator.Event{Type: orchestrator.EventStatus, Seq: 1, Status: orchestrator.StatusClassifying}
			require.NoError(t, b.answers.Publish(ctx, msg.ID, status, status)) // a retried publish repeats it

			ws := dialWS(t, srv.URL, protocols[0], map[string]any{"authorization": "Bearer " + b.aliceTok})
			ws.mustNext("connection_ack")
			ws.subscribeAnswer("a", nodeID("Message", msg.ID))
			time.Sleep(300 * time.Millisecond) // still running: nothing more to say
			require.NoError(t, b.mem.UpdateMessage(ctx, done))
			var types []string
			for _, ev := range ws.collectAnswer("a") {
				types = append(types, ev.Type)
			}
			require.Equal(t, c.want, types)
		})
	}
}

func TestAnswerErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	msg := seedAnswered(t, b, b.alice)
	id := nodeID("Message", msg.ID)
	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)

	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			// Bob cannot follow Alice's message, nor a message that does not exist.
			c := dialWS(t, srv.URL, p, map[string]any{"authorization": "Bearer " + bobToken(t, b)})
			c.mustNext("connection_ack")
			for i, target := range []string{id, nodeID("Message", uuid.New())} {
				op := fmt.Sprint(i)
				c.subscribeAnswer(op, target)
				m := c.mustNextAny()
				for m.Type == "complete" { // of the previous operation
					m = c.mustNextAny()
				}
				require.Equal(t, op, m.ID)
				require.Contains(t, string(m.Payload), `"code":"NOT_FOUND"`, m.Type)
			}
		})
	}

	t.Run("stream expired", func(t *testing.T) {
		t.Parallel()
		// A finished message whose stream is gone gets its last event rebuilt.
		c := dialWS(t, srv.URL, protocols[0], map[string]any{"authorization": "Bearer " + b.aliceTok})
		c.mustNext("connection_ack")
		c.subscribeAnswer("x", id)
		got := c.collectAnswer("x")
		require.Len(t, got, 1)
		require.Equal(t, "DONE", got[0].Type)
		require.Equal(t, 0, got[0].Seq)
		require.Equal(t, msg.Response, *got[0].Text)
		require.Equal(t, "ev1", got[0].Citations[0].ItemID)
	})
}

func bobToken(t *testing.T, b *bundle) string {
	t.Helper()
	tok, err := b.keys.Mint(b.bob.ID, b.bob.Email, time.Hour)
	require.NoError(t, err)
	return tok
}

// parseNodeID reads a global id back into its type and row id.
func parseNodeID(id string) (string, uuid.UUID, error) {
	raw, err := base64.StdEncoding.DecodeString(id)
	if err != nil {
		return "", uuid.Nil, err
	}
	typ, rest, _ := strings.Cut(string(raw), ":")
	u, err := uuid.Parse(rest)
	return typ, u, err
}
