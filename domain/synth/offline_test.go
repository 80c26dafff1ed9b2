package synth_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/executor"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/synth"
)

func write(t *testing.T, in synth.Input) (synth.Answer, []string) {
	t.Helper()
	var chunks []string
	ans, err := synth.Offline{}.Write(context.Background(), in, func(s string) { chunks = append(chunks, s) })
	require.NoError(t, err)
	require.Equal(t, ans.Text, strings.Join(chunks, ""))
	return ans, chunks
}

func TestOfflineWriter(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 6, 12, 9, 0, 0, 0, time.UTC)
	mails := []agent.Item{
		{Service: domain.ServiceGmail, Kind: "email", ID: "m2", Title: "Budget v2", People: []string{"sarah@example.com"}, At: at},
		{Service: domain.ServiceGmail, Kind: "email", ID: "m1", Title: "Budget v1", People: []string{"sarah@example.com"}, At: at.AddDate(0, 0, -2)},
	}
	ans, chunks := write(t, synth.Input{
		Query: "budget emails and events, and cancel the review",
		Results: []executor.Result{
			{StepID: "s1", Service: domain.ServiceGmail, Operation: intent.OpSearch, Status: executor.StatusSucceeded, Output: agent.Output{Items: mails}},
			{StepID: "s2", Service: domain.ServiceDrive, Operation: intent.OpSearch, Status: executor.StatusFailed, Error: "upstream unavailable", Err: errors.New("x")},
			{StepID: "s3", Service: domain.ServiceDrive, Operation: intent.OpShare, Status: executor.StatusSkipped, Reason: "step s2 it depends on failed"},
			{StepID: "s4", Service: domain.ServiceCalendar, Operation: intent.OpDelete, Status: executor.StatusSucceeded},
		},
		Actions: []agent.Action{{ID: "s4-a1", Status: agent.ActionProposed, Summary: `Delete the event "Review" on Thu Jun 18 2026 10:00–11:00 from your calendar`}},
	})
	require.Equal(t, `I found 2 matching emails:
1. "Budget v2" from sarah@example.com, Fri Jun 12 2026 [1]
2. "Budget v1" from sarah@example.com, Wed Jun 10 2026 [2]

I couldn't search your Drive: upstream unavailable.

I didn't share the file because the step s2 it depends on failed.

Nothing has been changed yet. Please confirm or reject:
- Delete the event "Review" on Thu Jun 18 2026 10:00–11:00 from your calendar.`, ans.Text)
	require.Equal(t, []synth.Citation{
		{Service: domain.ServiceGmail, ItemID: "m2", Title: "Budget v2"}, {Service: domain.ServiceGmail, ItemID: "m1", Title: "Budget v1"},
	}, ans.Citations)
	require.Greater(t, len(chunks), 3, "the answer streams in pieces")

	ans, _ = write(t, synth.Input{Intent: intent.Intent{Clarification: "Which John do you mean?"}})
	require.Equal(t, "Which John do you mean?", ans.Text)
	require.Empty(t, ans.Citations)
}

func TestOfflineWriterNamesPeopleWhenAskedWho(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 6, 18, 10, 0, 0, 0, time.UTC)
	ev := agent.Item{Service: domain.ServiceCalendar, Kind: "event", ID: "e1", Title: "Review", At: at, End: at.Add(time.Hour),
		People: []string{"a@x.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com", "f@x.com", "g@x.com"}}
	in := synth.Input{Query: "who is attending the review?", Results: []executor.Result{{StepID: "s1", Service: domain.ServiceCalendar,
		Operation: intent.OpSearch, Status: executor.StatusSucceeded, Output: agent.Output{Items: []agent.Item{ev}}}}}
	ans, _ := write(t, in)
	require.Contains(t, ans.Text, "with a@x.com, b@x.com, c@x.com, d@x.com, e@x.com and 2 others [1]")
	in.Query = "the review"
	ans, _ = write(t, in)
	require.NotContains(t, ans.Text, "a@x.com", "nobody asked who")
}

func TestOfflineWriterSaysWhatItDeclined(t *testing.T) {
	t.Parallel()
	ans, _ := write(t, synth.Input{
		Intent:  intent.Intent{Declined: []string{"what's the weather"}},
		Results: []executor.Result{{StepID: "s1", Service: domain.ServiceCalendar, Operation: intent.OpSearch, Status: executor.StatusSucceeded}},
	})
	require.Contains(t, ans.Text, `I can't help with "what's the weather": I only work with your mail, calendar and files.`)
	p, _ := synth.BuildPrompt(synth.Input{Intent: intent.Intent{Declined: []string{"what's the weather"}}})
	require.Contains(t, p.System, "Declined (outside mail, calendar and files): what's the weather")
}

func TestOfflineWriterStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := synth.Offline{}.Write(ctx, synth.Input{Intent: intent.Intent{Unsupported: "no"}}, func(string) {})
	require.ErrorIs(t, err, context.Canceled)
}

// A step that found nothing to act on says so once, without the name of the
// error it wraps.
func TestOfflineWriterSaysWhyAnActionFailedPlainly(t *testing.T) {
	t.Parallel()
	ans, _ := write(t, synth.Input{
		Query: "share the Q3 budget spreadsheet with Bob",
		Results: []executor.Result{
			{StepID: "s2", Service: domain.ServiceDrive, Operation: intent.OpShare, Status: executor.StatusFailed,
				Error: fmt.Errorf("found no file: %w", agent.ErrNothingFound).Error(), Err: agent.ErrNothingFound},
		},
	})
	require.Equal(t, "I couldn't share the file: found no file.", ans.Text)
}

// A search that found nothing says what it looked for: the person can tell
// a wrong reading of the request from an empty mailbox.
func TestOfflineWriterSaysWhatFoundNothing(t *testing.T) {
	t.Parallel()
	yes := true
	for _, c := range []struct {
		params intent.Params
		want   string
	}{
		{intent.Params{}, "I found no matching emails."},
		{intent.Params{intent.ParamUnread: yes}, "I found no unread emails."},
		{intent.Params{intent.ParamFrom: []string{"jeff@example.com"}, intent.ParamQuery: "budget"}, `I found no emails from jeff@example.com about "budget".`},
		{intent.Params{intent.ParamAfter: "2026-12-06T00:00:00Z", intent.ParamBefore: "2026-12-07T00:00:00Z"}, "I found no emails on Sun Dec 6 2026."},
		{intent.Params{intent.ParamAfter: "2026-12-07T00:00:00Z", intent.ParamBefore: "2026-12-14T00:00:00Z"}, "I found no emails from Mon Dec 7 2026 to Sun Dec 13 2026."},
	} {
		ans, _ := write(t, synth.Input{
			Intent:  intent.Intent{Steps: []intent.Step{{ID: "s1", Service: domain.ServiceGmail, Operation: intent.OpSearch, Params: c.params}}},
			Results: []executor.Result{{StepID: "s1", Service: domain.ServiceGmail, Operation: intent.OpSearch, Status: executor.StatusSucceeded}},
		})
		require.Equal(t, c.want, ans.Text, "%v", c.params)
	}
}

// Beside what one service's search found, the services whose searches found
// nothing are said once, together, after it.
func TestOfflineWriterSaysTheEmptyServicesOnce(t *testing.T) {
	t.Parallel()
	mail := agent.Item{Service: domain.ServiceGmail, Kind: "email", ID: "m1", Title: "Company aircraft", People: []string{"cindy@example.com"},
		At: time.Date(2026, 6, 12, 9, 0, 0, 0, time.UTC)}
	search := func(id string, s domain.Service, items ...agent.Item) executor.Result {
		return executor.Result{StepID: id, Service: s, Operation: intent.OpSearch, Status: executor.StatusSucceeded, Output: agent.Output{Items: items}}
	}
	ans, _ := write(t, synth.Input{
		Query:   "what Cindy said about company aircraft",
		Results: []executor.Result{search("s1", domain.ServiceGmail, mail), search("s2", domain.ServiceCalendar), search("s3", domain.ServiceDrive)},
	})
	require.Equal(t, `I found 1 matching email:
1. "Company aircraft" from cindy@example.com, Fri Jun 12 2026 [1]

No events or files matched.`, ans.Text)
}
