package llm_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/llm"
	"github.com/workspace-orchestrator/orchestrator/adapter/llm/llmtest"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/dates"
	"github.com/workspace-orchestrator/orchestrator/domain/executor"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/synth"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fallback records that it was used; it stands for the offline parser/writer.
type fallback struct{ used atomic.Int32 }

func (f *fallback) Classify(context.Context, intent.Request) (intent.Intent, error) {
	f.used.Add(1)
	return intent.Intent{Unsupported: "offline"}, nil
}

func (f *fallback) Write(_ context.Context, _ synth.Input, emit func(string)) (synth.Answer, error) {
	f.used.Add(1)
	emit("offline answer")
	return synth.Answer{Text: "offline answer"}, nil
}

const validIntent = `{"services":["gmail"],"operations":["search"],"entities":{},"steps":[{"id":"s1","service":"gmail","operation":"search","params":{"query":"budget"},"dependsOn":[]}],"confidence":0.9}`

func TestClassifierStructuredOutput(t *testing.T) {
	eachProvider(t, func(t *testing.T, p provider) {
		srv := llmtest.New(t, func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Content: validIntent} })
		fb := &fallback{}
		k := llm.NewClassifier(newClient(t, p, srv.BaseURL(p.name), time.Second), fb, quiet)
		in, err := k.Classify(context.Background(), intent.Request{Query: "emails about the budget", Now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)})
		require.NoError(t, err)
		require.Len(t, in.Steps, 1)
		require.Equal(t, intent.OpSearch, in.Steps[0].Operation)
		require.Zero(t, fb.used.Load())
		req := srv.Requests()[0]
		require.Contains(t, req.System, "2026-11-27", "today's date is in the prompt")
		require.Equal(t, "emails about the budget", req.User)
		require.Equal(t, p.jsonFormat, req.ResponseFormat, "JSON mode where the provider has one")
	})
}

func TestClassifierVersionNamesTheModelAndTheRules(t *testing.T) {
	eachProvider(t, func(t *testing.T, p provider) {
		srv := llmtest.New(t, func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Content: validIntent} })
		c := newClient(t, p, srv.BaseURL(p.name), time.Second)
		require.Equal(t, c.Name(), llm.NewClassifier(c, &fallback{}, quiet).Version())
		require.Equal(t, c.Name()+"+"+intent.NewOffline(nil).Version(), llm.NewClassifier(c, intent.NewOffline(nil), quiet).Version())
	})
}

func TestClassifierRetriesInvalidJSONOnceThenFallsBack(t *testing.T) {
	eachProvider(t, func(t *testing.T, p provider) {
		var calls atomic.Int32
		srv := llmtest.New(t, func(llmtest.Request) llmtest.Reply {
			calls.Add(1)
			return llmtest.Reply{Content: `{"services":["weather"]`}
		})
		fb := &fallback{}
		in, err := llm.NewClassifier(newClient(t, p, srv.BaseURL(p.name), time.Second), fb, quiet).Classify(context.Background(), intent.Request{Query: "x"})
		require.NoError(t, err)
		require.Equal(t, "offline", in.Unsupported)
		require.EqualValues(t, 2, calls.Load())
		require.EqualValues(t, 1, fb.used.Load())
		require.Contains(t, srv.Requests()[1].User, "rejected", "the retry shows the model its error")
	})
}

func TestClassifierRetryCanSucceed(t *testing.T) {
	eachProvider(t, func(t *testing.T, p provider) {
		var calls atomic.Int32
		srv := llmtest.New(t, func(llmtest.Request) llmtest.Reply {
			if calls.Add(1) == 1 {
				return llmtest.Reply{Content: `{"steps":[{"id":"s1","service":"gmail","operation":"teleport"}]}`}
			}
			return llmtest.Reply{Content: validIntent}
		})
		fb := &fallback{}
		in, err := llm.NewClassifier(newClient(t, p, srv.BaseURL(p.name), time.Second), fb, quiet).Classify(context.Background(), intent.Request{Query: "x"})
		require.NoError(t, err)
		require.Len(t, in.Steps, 1)
		require.Zero(t, fb.used.Load())
	})
}

func TestClassifierTimeoutFallsBack(t *testing.T) {
	eachProvider(t, func(t *testing.T, p provider) {
		srv := llmtest.New(t, func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Delay: time.Second, Content: validIntent} })
		fb := &fallback{}
		in, err := llm.NewClassifier(newClient(t, p, srv.BaseURL(p.name), 50*time.Millisecond), fb, quiet).Classify(context.Background(), intent.Request{Query: "x"})
		require.NoError(t, err)
		require.Equal(t, "offline", in.Unsupported)
	})
}

func TestWriterStreamsAndCites(t *testing.T) {
	eachProvider(t, func(t *testing.T, p provider) {
		srv := llmtest.New(t, func(llmtest.Request) llmtest.Reply {
			return llmtest.Reply{Content: "Sarah sent the budget [2]; see also [1] and [2]. Nothing else [9]."}
		})
		fb := &fallback{}
		w := llm.NewWriter(newClient(t, p, srv.BaseURL(p.name), time.Second), fb, quiet)
		in := synth.Input{Query: "budget mail", Results: []executor.Result{{
			StepID: "s1", Service: domain.ServiceGmail, Operation: intent.OpSearch, Status: executor.StatusSucceeded,
			Output: agent.Output{Items: []agent.Item{
				{Service: domain.ServiceGmail, Kind: "email", ID: "m1", Title: "Lunch"},
				{Service: domain.ServiceGmail, Kind: "email", ID: "m2", Title: "Q4 budget"},
			}},
		}}}
		var chunks []string
		ans, err := w.Write(context.Background(), in, func(c string) { chunks = append(chunks, c) })
		require.NoError(t, err)
		require.Equal(t, ans.Text, strings.Join(chunks, ""))
		require.Len(t, ans.Citations, 2)
		require.Equal(t, "m2", ans.Citations[0].ItemID)
		require.Equal(t, "m1", ans.Citations[1].ItemID)
		require.Zero(t, fb.used.Load())
		req := srv.Requests()[0]
		require.Contains(t, req.System, "[2]", "the sources are numbered in the prompt")
		require.True(t, req.Stream)
	})
}

func TestWriterFailureBeforeFirstTokenFallsBack(t *testing.T) {
	eachProvider(t, func(t *testing.T, p provider) {
		srv := llmtest.New(t, func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Status: 500} })
		fb := &fallback{}
		var got string
		ans, err := llm.NewWriter(newClient(t, p, srv.BaseURL(p.name), time.Second), fb, quiet).Write(context.Background(), synth.Input{Query: "x"}, func(c string) { got += c })
		require.NoError(t, err)
		require.Equal(t, "offline answer", ans.Text)
		require.Equal(t, "offline answer", got)
	})
}

// The LLM writer is grounded like the offline one: the prompt carries the
// question's kind, what the request names resolved (a person's every
// address, dates as spans), each step's count and order, and the sources in
// the person's zone.
func TestWriterPromptCarriesTheResolvedEntities(t *testing.T) {
	eachProvider(t, func(t *testing.T, p provider) {
		srv := llmtest.New(t, func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Content: "Two [1]."} })
		w := llm.NewWriter(newClient(t, p, srv.BaseURL(p.name), time.Second), &fallback{}, quiet)
		pt, err := time.LoadLocation("America/Los_Angeles")
		require.NoError(t, err)
		at := time.Date(2026, 12, 8, 18, 0, 0, 0, time.UTC)
		step := intent.Step{ID: "s1", Service: domain.ServiceGmail, Operation: intent.OpSearch, Params: intent.Params{
			intent.ParamFrom: []string{"elizabeth.lay@enron.com", "lizard_ar@yahoo.com"}, intent.ParamOrder: "newest",
			intent.ParamAfter: "2026-11-30T08:00:00Z", intent.ParamBefore: "2026-12-07T08:00:00Z"}}
		in := synth.Input{Query: "how many emails did Elizabeth Lay send me last week?", Now: at, Location: pt,
			Intent: intent.Intent{Question: intent.QuestionCount, Steps: []intent.Step{step}, Entities: intent.Entities{
				People: []intent.Person{{Name: "Elizabeth Lay", Addresses: []domain.Address{{Email: "elizabeth.lay@enron.com"}, {Email: "lizard_ar@yahoo.com"}}}},
				Dates:  []intent.DateRef{{Text: "last week", Range: dates.Range{Start: time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)}}},
			}},
			Results: []executor.Result{{StepID: "s1", Service: domain.ServiceGmail, Operation: intent.OpSearch, Status: executor.StatusSucceeded,
				Output: agent.Output{Items: []agent.Item{
					{Service: domain.ServiceGmail, Kind: "email", ID: "m1", Title: "Christmas in\tAspen", People: []string{"lizard_ar@yahoo.com"}, At: at},
					{Service: domain.ServiceGmail, Kind: "email", ID: "m2", Title: "Job Search", People: []string{"elizabeth.lay@enron.com"}, At: at.Add(-time.Hour)},
				}}}}}
		_, err = w.Write(context.Background(), in, func(string) {})
		require.NoError(t, err)
		sys := srv.Requests()[0].System
		for _, want := range []string{
			"Question: count: give the number of matching items",
			"person: Elizabeth Lay <elizabeth.lay@enron.com>, <lizard_ar@yahoo.com>",
			`date: "last week" = Mon Nov 30 2026 00:00 – Mon Dec 7 2026 00:00 PST`,
			"- s1 gmail search (from elizabeth.lay@enron.com, lizard_ar@yahoo.com; between Mon Nov 30 2026 00:00 – Mon Dec 7 2026 00:00 PST; sorted newest first): succeeded, 2 item(s)",
			`[1] gmail email "Christmas in Aspen"; people: lizard_ar@yahoo.com; Tue Dec 8 2026 10:00 PST`,
		} {
			require.Contains(t, sys, want)
		}
	})
}
