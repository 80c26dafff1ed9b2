package synth_test

import (
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

func searched(svc domain.Service, order intent.Order, items ...agent.Item) (intent.Step, executor.Result) {
	step := intent.Step{ID: "s1", Service: svc, Operation: intent.OpSearch, Params: intent.Params{}}
	if order != "" {
		step.Params[intent.ParamOrder] = string(order)
	}
	return step, executor.Result{StepID: "s1", Service: svc, Operation: intent.OpSearch, Status: executor.StatusSucceeded, Output: agent.Output{Items: items}}
}

func TestOfflineWriterAnswersTheQuestionFirst(t *testing.T) {
	t.Parallel()
	pt, err := time.LoadLocation("America/Los_Angeles")
	require.NoError(t, err)
	at := time.Date(2026, 12, 8, 18, 0, 0, 0, time.UTC)
	node := agent.Item{Service: domain.ServiceCalendar, Kind: "event", ID: "e1", Title: "SIG Node:  Main\tMeeting", At: at, End: at.Add(time.Hour)}
	later := agent.Item{Service: domain.ServiceCalendar, Kind: "event", ID: "e2", Title: "SIG Node CI", At: at.AddDate(0, 0, 1), End: at.AddDate(0, 0, 1).Add(time.Hour)}
	step, res := searched(domain.ServiceCalendar, intent.OrderUpcoming, node, later)
	in := synth.Input{Query: "when is my next SIG Node meeting?", Location: pt,
		Intent: intent.Intent{Question: intent.QuestionWhen, Steps: []intent.Step{step}}, Results: []executor.Result{res}}
	ans, _ := write(t, in)
	first := strings.SplitN(ans.Text, "\n", 2)[0]
	require.Equal(t, `The next event is "SIG Node: Main Meeting", on Tue Dec 8 2026 10:00–11:00 PST [1].`, first,
		"the date and time in the user's zone, the title clean")
	require.Contains(t, ans.Text, `2. "SIG Node CI", Wed Dec 9 2026 10:00–11:00 PST [2]`, "every item listed, none hidden")

	in.Intent.Question = intent.QuestionCount
	ans, _ = write(t, in)
	require.True(t, strings.HasPrefix(ans.Text, "There are 2 matching events:\n1. "), ans.Text)
	require.Equal(t, 1, strings.Count(ans.Text, "2 matching"), "the count is said once: %s", ans.Text)

	// Am I free: the time asked decides, not the whole day searched.
	in.Intent = intent.Intent{Question: intent.QuestionFree, Steps: []intent.Step{step},
		Entities: intent.Entities{Times: []time.Time{at.Add(-2 * time.Hour)}}}
	ans, _ = write(t, in)
	require.True(t, strings.HasPrefix(ans.Text, "Yes, you're free on Tue Dec 8 2026 08:00–08:30 PST"), ans.Text)
	in.Intent.Entities.Times = []time.Time{at.Add(30 * time.Minute)}
	ans, _ = write(t, in)
	require.True(t, strings.HasPrefix(ans.Text, "No, you're busy on Tue Dec 8 2026 10:30–11:00 PST:\n1. \"SIG Node: Main Meeting\""), ans.Text)
	require.NotContains(t, ans.Text, "you're free")
	_, none := searched(domain.ServiceCalendar, "")
	in.Results = []executor.Result{none}
	ans, _ = write(t, in)
	require.Contains(t, ans.Text, "Yes, you're free")

	// The latest email is named first, with its date.
	mail := func(id, title string, days int) agent.Item {
		return agent.Item{Service: domain.ServiceGmail, Kind: "email", ID: id, Title: title, People: []string{"karen.denne@enron.com"}, At: at.AddDate(0, 0, days)}
	}
	step, res = searched(domain.ServiceGmail, intent.OrderNewest, mail("m2", "revised draft release", 0), mail("m1", "Draft Press Release", -30))
	ans, _ = write(t, synth.Input{Intent: intent.Intent{Steps: []intent.Step{step}}, Results: []executor.Result{res}})
	require.True(t, strings.HasPrefix(ans.Text, `The latest email is "revised draft release" from karen.denne@enron.com, received on Tue Dec 8 2026 [1].`), ans.Text)
}

func TestOfflineWriterSummarisesWhatItRead(t *testing.T) {
	t.Parallel()
	doc := `# KEP-2400: Node system swap support

- [Summary](#summary)
- [Motivation](#motivation)

## Summary

Kubernetes currently does not support the use of swap memory on Linux. This KEP adds swap support to nodes in a controlled, predictable manner so that workloads can use swap.

| Feature | Stage |
| --- | --- |

## Motivation

There are many use cases for swap: improved node stability, long running applications with memory spikes, and memory-constrained devices.

` + "```yaml\nswapBehavior: LimitedSwap\n```" + `

## Design Details

The kubelet configures swap through cgroups v2 only.`
	read := agent.Item{Service: domain.ServiceDrive, Kind: "file", ID: "f1", Title: "KEP-2400: Node system swap support", Body: doc}
	in := synth.Input{Intent: intent.Intent{Question: intent.QuestionSummarize}, Results: []executor.Result{
		{StepID: "s1", Service: domain.ServiceDrive, Operation: intent.OpSearch, Status: executor.StatusSucceeded, Output: agent.Output{Items: []agent.Item{read, {Service: domain.ServiceDrive, ID: "f2", Title: "Other"}}}},
		{StepID: "s2", Service: domain.ServiceDrive, Operation: intent.OpRead, Status: executor.StatusSucceeded, Output: agent.Output{Items: []agent.Item{read}}},
	}}
	ans, _ := write(t, in)
	require.True(t, strings.HasPrefix(ans.Text, `Summary of "KEP-2400: Node system swap support"`), ans.Text)
	require.Contains(t, ans.Text, "This KEP adds swap support to nodes")
	require.NotContains(t, ans.Text, "swapBehavior", "code is no prose")
	require.NotContains(t, ans.Text, "Other", "the read item answers; the search only led to it")
	require.Equal(t, []synth.Citation{{Service: domain.ServiceDrive, ItemID: "f1", Title: read.Title}}, ans.Citations)

	s := synth.Summary(doc, 2)
	require.Len(t, s, 2)
	require.Equal(t, "a b", synth.CleanTitle("  a \t b "))
	require.Equal(t, "(no subject)", synth.CleanTitle(" "))
}

func TestOfflineWriterNamesFoldersAndRealPeople(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)
	kep := agent.Item{Service: domain.ServiceDrive, Kind: "file", ID: "f1", Title: "KEP-2258: Node log query", Folder: "sig-windows", At: at,
		People: []string{"aravindhp@users.noreply.github.com"}}
	_, res := searched(domain.ServiceDrive, "", kep)
	ans, _ := write(t, synth.Input{Intent: intent.Intent{Question: intent.QuestionWhich}, Results: []executor.Result{res}})
	require.Contains(t, ans.Text, `"KEP-2258: Node log query" in sig-windows, modified Sat Oct 31 2026 [1]`)

	ev := agent.Item{Service: domain.ServiceCalendar, Kind: "event", ID: "e1", Title: "SIG Release meeting", At: at, End: at.Add(time.Hour),
		People: []string{":", "(pronouns):", "Marko Mudrinić"}}
	_, res = searched(domain.ServiceCalendar, "", ev)
	ans, _ = write(t, synth.Input{Intent: intent.Intent{Question: intent.QuestionWho}, Results: []executor.Result{res}})
	require.Contains(t, ans.Text, "UTC), with Marko Mudrinić [1].", "markup is no attendee")
}

func TestOfflineWriterReadsWhoCameFromTheNotes(t *testing.T) {
	t.Parallel()
	at := time.Date(2019, 12, 11, 18, 0, 0, 0, time.UTC)
	ev := agent.Item{Service: domain.ServiceCalendar, Kind: "event", ID: "e1", Title: "SIG Contributor Experience meeting", At: at, End: at.Add(time.Hour),
		People: []string{":"}, Body: "Agenda: mentoring.\n\n**Attendees**: Jorge Castro, Tim Pepper\n\n## Notes\nLots."}
	_, res := searched(domain.ServiceCalendar, "", ev)
	ans, _ := write(t, synth.Input{Intent: intent.Intent{Question: intent.QuestionWho}, Results: []executor.Result{res}})
	require.Contains(t, ans.Text, "the notes say Attendees: Jorge Castro, Tim Pepper")
}

func TestOfflineWriterAnswersWhenAndWhoOfAnItemRead(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 3, 11, 0, 0, 0, 0, time.UTC)
	doc := agent.Item{Service: domain.ServiceDrive, Kind: "file", ID: "f1", Title: "KEP-42: Quotas", At: at,
		People: []string{"ana@users.noreply.github.com"}, Body: "A long text about quotas."}
	read := executor.Result{StepID: "s1", Service: domain.ServiceDrive, Operation: intent.OpRead, Status: executor.StatusSucceeded, Output: agent.Output{Items: []agent.Item{doc}}}
	ans, _ := write(t, synth.Input{Intent: intent.Intent{Question: intent.QuestionWhen}, Results: []executor.Result{read}})
	require.Contains(t, ans.Text, `"KEP-42: Quotas", last modified on Tue Mar 11 2025 [1].`)
	require.NotContains(t, ans.Text, "long text", "the date answers, not the text")
	ans, _ = write(t, synth.Input{Intent: intent.Intent{Question: intent.QuestionWho}, Results: []executor.Result{read}})
	require.Contains(t, ans.Text, "owned by ana@users.noreply.github.com")
}

func TestOfflineWriterReadsWhatTheTextSaysAboutTheTopic(t *testing.T) {
	t.Parallel()
	doc := "<!--\nWhen your KEP is complete,\nremove these comments.\n-->\n- [x] KEP approvers have set the status\n\n## Summary\n\nThis KEP adds quotas to namespaces.\n\n" +
		"## Design\n\nThe controller counts objects per namespace.\n\nTemplates for quota objects are shared by every namespace and copied on creation.\n"
	kep := agent.Item{Service: domain.ServiceDrive, Kind: "file", ID: "f1", Title: "KEP-42: Namespace quotas", Body: doc}
	read := executor.Result{StepID: "s1", Service: domain.ServiceDrive, Operation: intent.OpRead, Status: executor.StatusSucceeded, Output: agent.Output{Items: []agent.Item{kep}}}
	ans, _ := write(t, synth.Input{Intent: intent.Intent{Question: intent.QuestionRead, Entities: intent.Entities{Topics: []string{"KEP-42 template"}}},
		Results: []executor.Result{read}})
	require.Contains(t, ans.Text, "Templates for quota objects are shared")
	require.NotContains(t, ans.Text, "counts objects", "only what it says about templates")

	ans, _ = write(t, synth.Input{Intent: intent.Intent{Question: intent.QuestionRead}, Results: []executor.Result{read}})
	require.Contains(t, ans.Text, "This KEP adds quotas")
	require.NotContains(t, ans.Text, "remove these comments", "comments are no text")
	require.NotContains(t, ans.Text, "approvers", "a checklist is no text")
}

func TestOfflineWriterCountsEachPartOfACompoundRequest(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 8, 18, 0, 0, 0, time.UTC)
	var mails []agent.Item
	for i := range 3 {
		mails = append(mails, agent.Item{Service: domain.ServiceGmail, Kind: "email", ID: fmt.Sprint("m", i), Title: fmt.Sprint("Budget ", i), At: at})
	}
	count, mailRes := searched(domain.ServiceGmail, "", mails...)
	count.Params[intent.ParamQuestion] = string(intent.QuestionCount)
	meeting := agent.Item{Service: domain.ServiceCalendar, Kind: "event", ID: "e1", Title: "Offsite", At: at, End: at.Add(time.Hour)}
	list, calRes := searched(domain.ServiceCalendar, "", meeting)
	list.ID, calRes.StepID = "s2", "s2"
	in := synth.Input{Query: "how many budget emails do I have, and show my meetings on Tuesday", Location: time.UTC,
		Intent: intent.Intent{Steps: []intent.Step{count, list}}, Results: []executor.Result{mailRes, calRes}}
	ans, _ := write(t, in)
	require.True(t, strings.HasPrefix(ans.Text, "There are 3 matching emails:\n"), ans.Text)
	require.Contains(t, ans.Text, "I found 1 matching event:", "the other part lists")

	// A count that stopped at its limit says so.
	count.Params[intent.ParamLimit] = 3
	in.Intent.Steps = []intent.Step{count, list}
	ans, _ = write(t, in)
	require.True(t, strings.HasPrefix(ans.Text, "There are at least 3 matching emails:"), ans.Text)
}
