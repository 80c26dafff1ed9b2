package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/llm/llmtest"
	"github.com/workspace-orchestrator/orchestrator/cmd/orchestrator/askeval"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
)

// casesPerCategory is how many judged dev cases of each category run
// through the LLM paths: the first ones of each, follow-ups included.
const casesPerCategory = 3

// The judged ask cases run through the LLM classifier and the LLM writer
// (langchaingo's OpenAI client against the loopback fake, wired from the
// environment as `orchestrator all` wires it) as they run offline:
//
//   - the classifier's prompt carries what the request names, resolved in
//     the workspace (every address of a person, date spans) and, in a
//     follow-up, the ids of the items the earlier turn showed;
//   - the writer's prompt carries the resolved people and dates and the
//     numbered sources; the answer is the model's text, and what it cites
//     are items the steps found;
//   - every sampled case the offline path passes passes on the LLM path,
//     judged by eval-ask's checker on everything but the wording (a fake
//     model writes no direct answers, so answer-text checks are left out).
//
// The fake model understands a request as the offline understanding does
// (the same conversation, read through the offline stack's Classify) and
// answers by listing and citing the sources it was given.
func TestAskCasesRunThroughTheLLMPaths(t *testing.T) {
	t.Parallel()
	f := setupDemo(t)
	ctx := t.Context()

	var (
		mu      sync.Mutex
		replies = map[string]string{} // writer prompt -> the model's answer
		failed  []string              // requests the fake could not classify
	)
	fake := llmtest.New(t, func(r llmtest.Request) llmtest.Reply {
		if r.Stream {
			text := groundedReply(r.System)
			mu.Lock()
			replies[r.System] = text
			mu.Unlock()
			return llmtest.Reply{Content: text}
		}
		// The request is asked in the user's most recently active
		// conversation (the cases run one turn at a time).
		convs, _, err := f.a.store.Conversations(context.Background(), f.user.ID, domain.Page{First: 1, NoTotal: true})
		if err == nil && len(convs) == 0 {
			err = errors.New("no conversation")
		}
		var in intent.Intent
		if err == nil {
			in, _, err = f.st.orch.Classify(context.Background(), f.user.ID, convs[0].ID, r.User)
		}
		if err != nil {
			mu.Lock()
			failed = append(failed, fmt.Sprintf("%q: %v", r.User, err))
			mu.Unlock()
			return llmtest.Reply{Status: 500}
		}
		b, _ := json.Marshal(in)
		return llmtest.Reply{Content: string(b)}
	})
	// Two servers on the synced workspace and one clock (the fake classifies
	// on the offline stack): offline, and with the model. Request budgets
	// are off: eval-ask polls, and the user's free plan has 100 units an hour.
	withVars := func(vars map[string]string) *cmdEnv {
		e := *f.cmdEnv
		e.vars = maps.Clone(f.vars)
		e.vars["RATE_LIMITS"] = "off"
		maps.Copy(e.vars, vars)
		return &e
	}
	oa, ost := withVars(nil).startApp(t, f.a.clock)
	la, lst := withVars(map[string]string{
		"LLM_PROVIDER": "openai", "LLM_BASE_URL": fake.BaseURL("openai"), "LLM_API_KEY": "test-key", "LLM_TIMEOUT": "20s",
	}).startApp(t, f.a.clock)

	cases := sampleCases(t, filepath.Join("..", "..", "demo", "data", "eval", "ask-dev.jsonl"))
	run := func(a *app, st *stack) map[string]askeval.Result {
		h, err := a.handler(st)
		require.NoError(t, err)
		srv := httptest.NewServer(h)
		defer srv.Close()
		out := filepath.Join(t.TempDir(), "results.json")
		var log strings.Builder
		require.NoError(t, askeval.Run(ctx, askeval.Options{Cases: cases, URL: srv.URL, Email: askUser, JSONOut: out},
			askeval.Deps{Token: a.mintToken, Now: a.clock.Now}, &log))
		t.Log(log.String())
		raw, err := os.ReadFile(out)
		require.NoError(t, err)
		var res struct{ Results []askeval.Result }
		require.NoError(t, json.Unmarshal(raw, &res))
		byID := map[string]askeval.Result{}
		for _, r := range res.Results {
			byID[r.ID] = r
		}
		return byID
	}
	offline := run(oa, ost)
	before := map[uuid.UUID]bool{}
	for _, m := range userMessages(t, f) {
		before[m.ID] = true
	}
	onLLM := run(la, lst)

	passed := 0
	for id, off := range offline {
		if off.Passed {
			passed++
			require.True(t, onLLM[id].Passed, "%s passes offline but not on the LLM paths: %v", id, onLLM[id].Reasons)
		}
	}
	require.Positive(t, passed)

	// The prompts, turn by turn. Every intent was the model's: none failed
	// or was sent back (an invalid one is retried with the error shown).
	require.Empty(t, failed)
	reqs := fake.Requests()
	for _, r := range reqs {
		require.NotContains(t, r.User, "rejected", "the model's intent was valid")
	}
	prompt := func(stream bool, query string) (string, bool) {
		for _, r := range reqs {
			if r.Stream == stream && r.User == query {
				return r.System, true
			}
		}
		return "", false
	}
	msgs := slices.DeleteFunc(userMessages(t, f), func(m domain.Message) bool { return before[m.ID] })
	require.Len(t, msgs, countTurns(onLLM))
	var people, dates, followups, written int
	for i, m := range msgs {
		require.Equal(t, domain.MessageDone, m.Status, m.Query)
		rec, err := orchestrator.RecordOf(m)
		require.NoError(t, err)
		classify, ok := prompt(false, m.Query)
		require.True(t, ok, "%q was classified by the model", m.Query)
		for _, p := range rec.Intent.Entities.People {
			people++
			for _, a := range p.Addresses {
				require.Contains(t, classify, `"Email":"`+a.Email+`"`, "%q: the classifier's prompt has %s's addresses", m.Query, p.Name)
			}
		}
		for _, d := range rec.Intent.Entities.Dates {
			dates++
			start, _ := json.Marshal(d.Range.Start)
			require.Contains(t, classify, `"text":`+quote(d.Text), m.Query)
			require.Contains(t, classify, string(start), "%q: the classifier's prompt has the span of %q", m.Query, d.Text)
		}
		if i > 0 && m.ConversationID == msgs[i-1].ConversationID {
			prev, err := orchestrator.RecordOf(msgs[i-1])
			require.NoError(t, err)
			for _, c := range prev.Citations {
				followups++
				require.Contains(t, classify, `"id":"`+c.ItemID+`"`, "%q: the classifier's prompt has the earlier turn's item %q", m.Query, c.Title)
			}
		}
		write, ok := prompt(true, m.Query)
		if !ok { // a clarification, a refusal or small talk: fixed wording, no model
			require.True(t, rec.Intent.Clarification != "" || rec.Intent.Unsupported != "" || rec.Intent.Reply != "", "%q was written by the model", m.Query)
			continue
		}
		written++
		mu.Lock()
		reply := replies[write]
		mu.Unlock()
		require.Equal(t, reply, m.Response, "%q: the answer is the model's", m.Query)
		for _, p := range rec.Intent.Entities.People {
			require.Contains(t, write, "person: "+p.Name, m.Query)
			for _, a := range p.Addresses {
				require.Contains(t, write, "<"+a.Email+">", "%q: the writer's prompt has %s's addresses", m.Query, p.Name)
			}
		}
		for _, d := range rec.Intent.Entities.Dates {
			require.Contains(t, write, "date: "+quote(d.Text)+" = ", m.Query)
		}
		found := map[string]bool{}
		for _, r := range rec.StepResults {
			for _, it := range r.Output.Items {
				found[string(it.Service)+"/"+it.ID] = true
			}
		}
		for _, a := range rec.Actions {
			if a.Item != nil {
				found[string(a.Item.Service)+"/"+a.Item.ID] = true
			}
		}
		for _, c := range rec.Citations {
			require.True(t, found[string(c.Service)+"/"+c.ItemID], "%q cites %q, which no step found", m.Query, c.Title)
			require.Contains(t, write, quote(c.Title), "%q: %q is among the writer's sources", m.Query, c.Title)
		}
	}
	t.Logf("LLM paths: %d turns (%d written by the model), %d people, %d dates, %d earlier items checked in the prompts; %d/%d sampled cases pass offline",
		len(msgs), written, people, dates, followups, passed, len(offline))
	require.Positive(t, people)
	require.Positive(t, dates)
	require.Positive(t, followups)
	require.Positive(t, written)
}

// sampleCases writes the first casesPerCategory cases of each category of
// the judged file to a file of their own, without the expectations on the
// answer's wording, and returns its path.
func sampleCases(t *testing.T, path string) string {
	t.Helper()
	in, err := os.Open(path)
	require.NoError(t, err)
	defer in.Close()
	var out strings.Builder
	taken := map[string]int{}
	sc := bufio.NewScanner(in)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &c))
		cat, _ := c["category"].(string)
		if taken[cat] >= casesPerCategory {
			continue
		}
		taken[cat]++
		for _, turn := range c["turns"].([]any) {
			withoutWording(turn.(map[string]any)["expect"].(map[string]any))
		}
		b, err := json.Marshal(c)
		require.NoError(t, err)
		out.Write(append(b, '\n'))
	}
	require.NoError(t, sc.Err())
	require.Len(t, taken, len(askeval.Categories), "every category is sampled")
	p := filepath.Join(t.TempDir(), "cases.jsonl")
	require.NoError(t, os.WriteFile(p, []byte(out.String()), 0o644))
	return p
}

// withoutWording drops the expectations only a model writing direct answers
// can meet: words the answer must contain, and oracle checks of what it
// mentions (a count, the first or latest title, free or busy).
func withoutWording(exp map[string]any) {
	for k := range exp {
		if strings.HasPrefix(k, "answer_") {
			delete(exp, k)
		}
	}
	o, ok := exp["oracle"].(map[string]any)
	if !ok {
		return
	}
	var keep []any
	for _, e := range asSlice(o["expect"]) {
		if s, _ := e.(string); !strings.HasPrefix(s, "answer_") && s != "free_busy" {
			keep = append(keep, e)
		}
	}
	if len(keep) == 0 {
		delete(exp, "oracle")
		return
	}
	o["expect"] = keep
}

func asSlice(v any) []any {
	if s, ok := v.([]any); ok {
		return s
	}
	return []any{v}
}

var sourceRE = regexp.MustCompile(`(?m)^\[(\d+)\] \S+ \S+ ("(?:[^"\\]|\\.)*")`)

// groundedReply is the fake model's answer to a writer prompt: each source
// by its title, cited.
func groundedReply(system string) string {
	var parts []string
	for _, m := range sourceRE.FindAllStringSubmatch(system, -1) {
		var title string
		if json.Unmarshal([]byte(m[2]), &title) != nil {
			title = m[2]
		}
		parts = append(parts, fmt.Sprintf("%s [%s]", title, m[1]))
	}
	if len(parts) == 0 {
		return "I found nothing that matches."
	}
	return "Here is what I found: " + strings.Join(parts, "; ") + "."
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// userMessages are the demo user's messages, oldest first.
func userMessages(t *testing.T, f *askEnv) []domain.Message {
	t.Helper()
	ctx := t.Context()
	convs, _, err := f.a.store.Conversations(ctx, f.user.ID, domain.Page{First: 100, NoTotal: true})
	require.NoError(t, err)
	var out []domain.Message
	for _, c := range convs {
		ms, _, err := f.a.store.Messages(ctx, f.user.ID, c.ID, domain.Page{First: 100, NoTotal: true})
		require.NoError(t, err)
		out = append(out, ms...)
	}
	slices.SortFunc(out, func(a, b domain.Message) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out
}

func countTurns(rs map[string]askeval.Result) int {
	n := 0
	for _, r := range rs {
		n += len(r.Turns)
	}
	return n
}
