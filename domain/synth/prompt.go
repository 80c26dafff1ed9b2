package synth

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/dates"
	"github.com/workspace-orchestrator/orchestrator/domain/executor"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
)

// Prompt is what an LLM writer sends to write one answer.
type Prompt struct {
	System string // instructions, the date and zone, numbered sources, failures, pending actions
	User   string // the request
}

const promptInstructions = `You answer a person's request about their own Gmail, Google Calendar and Google Drive.
Use only the sources and outcomes below; never invent emails, events, files or facts.
Cite every source you use as [n] right after the statement it supports.
Say plainly which steps failed or were skipped and why, and which declined parts of the request you cannot help with.
When actions await confirmation, list each one exactly as described and say that nothing has been changed yet.
Begin with a direct answer to the question in one sentence, grounded in the sources, then list the sources it rests on.
Give every date and time in the person's time zone (the sources already are).
List every source that matches the request; never hide any behind "and N more".
Be brief otherwise.`

// questionGuide says how the answer to each kind of question begins.
var questionGuide = map[intent.Question]string{
	intent.QuestionList:      "list the matching items.",
	intent.QuestionWhich:     "name which items match.",
	intent.QuestionWhen:      "give the date (and for an event the time) of the item asked about: the first source of its step.",
	intent.QuestionWho:       "name the people: the sender of a mail, the attendees of an event, the owners of a file.",
	intent.QuestionCount:     "give the number of matching items, as counted in Steps below.",
	intent.QuestionFree:      "say yes or no: free when no event overlaps the time asked, busy (naming the event) when one does.",
	intent.QuestionRead:      "say what the item says, quoting its text.",
	intent.QuestionSummarize: "summarise the item in two or three sentences taken from its text.",
}

var orderNames = map[intent.Order]string{
	intent.OrderNewest: "newest first", intent.OrderOldest: "oldest first", intent.OrderUpcoming: "soonest first, from now on",
}

// maxSourceText bounds each source's text in the prompt.
const maxSourceText = 1200

// BuildPrompt renders in for a model and returns the sources it may cite,
// numbered [1], [2], ... in plan order. When the intent asks a clarifying
// question or cannot be served, the prompt asks the model to say just that.
func BuildPrompt(in Input) (Prompt, []Citation) {
	loc := in.Location
	if loc == nil {
		loc = time.UTC
	}
	var b strings.Builder
	b.WriteString(promptInstructions)
	fmt.Fprintf(&b, "\n\nNow: %s, time zone %s.\n", in.Now.In(loc).Format(time.RFC1123), loc)
	switch {
	case in.Intent.Clarification != "":
		fmt.Fprintf(&b, "\nAsk the person exactly this question and nothing else: %s\n", in.Intent.Clarification)
		return Prompt{System: b.String(), User: in.Query}, []Citation{}
	case in.Intent.Unsupported != "":
		fmt.Fprintf(&b, "\nExplain that you cannot help with this: %s\n", in.Intent.Unsupported)
		return Prompt{System: b.String(), User: in.Query}, []Citation{}
	}
	q := questionOf(in)
	fmt.Fprintf(&b, "\nQuestion: %s: %s\n", q, questionGuide[q])
	writeEntities(&b, in.Intent.Entities, loc)
	writeSteps(&b, in, loc)
	sources := []Citation{}
	seen := map[string]bool{}
	b.WriteString("\nSources:\n")
	for _, r := range in.Results {
		for _, it := range r.Output.Items {
			k := string(it.Service) + "/" + it.ID
			if seen[k] {
				continue
			}
			seen[k] = true
			sources = append(sources, Citation{Service: it.Service, ItemID: it.ID, Title: it.Title, URL: it.URL})
			fmt.Fprintf(&b, "[%d] %s\n", len(sources), sourceLine(it, loc))
		}
	}
	if len(sources) == 0 {
		b.WriteString("(none found)\n")
	}
	for _, d := range in.Intent.Declined {
		fmt.Fprintf(&b, "Declined (outside mail, calendar and files): %s\n", d)
	}
	for _, r := range in.Results {
		switch r.Status {
		case executor.StatusFailed:
			fmt.Fprintf(&b, "Failed: %s: %s\n", task(r), r.Error)
		case executor.StatusSkipped:
			fmt.Fprintf(&b, "Skipped: %s, because the %s\n", task(r), r.Reason)
		case executor.StatusCancelled:
			fmt.Fprintf(&b, "Cancelled: %s\n", task(r))
		}
	}
	for _, a := range in.Actions {
		if a.Status == agent.ActionProposed {
			fmt.Fprintf(&b, "Awaiting confirmation: %s\n", a.Summary)
		}
	}
	return Prompt{System: b.String(), User: in.Query}, sources
}

// writeEntities gives the model what the request names, resolved against
// the person's workspace: people with every address they use, dates as the
// spans they mean, times, and the items referred to.
func writeEntities(b *strings.Builder, e intent.Entities, loc *time.Location) {
	var lines []string
	for _, p := range e.People {
		var addrs []string
		for _, a := range p.Addresses {
			addrs = append(addrs, a.Email)
		}
		line := "person: " + p.Name
		if len(addrs) > 0 {
			line += " <" + strings.Join(addrs, ">, <") + ">"
		}
		lines = append(lines, line)
	}
	for _, d := range e.Dates {
		lines = append(lines, fmt.Sprintf("date: %q = %s", d.Text, dates.Span(d.Range.Start, d.Range.End, loc)))
	}
	for _, t := range e.Times {
		lines = append(lines, "time: "+dates.Instant(t, loc))
	}
	for _, d := range e.Durations {
		lines = append(lines, "duration: "+d.String())
	}
	if len(e.Organisations) > 0 {
		lines = append(lines, "organisations: "+strings.Join(e.Organisations, ", "))
	}
	if len(e.Topics) > 0 {
		lines = append(lines, "topics: "+strings.Join(e.Topics, ", "))
	}
	for _, it := range e.Items {
		lines = append(lines, fmt.Sprintf("item referred to: %s %q", it.Service, it.Title))
	}
	if len(lines) > 0 {
		b.WriteString("Resolved from the request:\n- " + strings.Join(lines, "\n- ") + "\n")
	}
}

// writeSteps says what each step looked for and how many items it found, so
// counts and orders come from the steps, not from the model.
func writeSteps(b *strings.Builder, in Input, loc *time.Location) {
	steps := map[string]intent.Step{}
	for _, s := range in.Intent.Steps {
		steps[s.ID] = s
	}
	b.WriteString("Steps:\n")
	for _, r := range in.Results {
		s := steps[r.StepID]
		var what []string
		if q := s.Params.String(intent.ParamQuery); q != "" {
			what = append(what, fmt.Sprintf("words %q", q))
		}
		if from := s.Params.Strings(intent.ParamFrom); len(from) > 0 {
			what = append(what, "from "+strings.Join(from, ", "))
		}
		after, _, _ := s.Params.Time(intent.ParamAfter)
		before, _, _ := s.Params.Time(intent.ParamBefore)
		if !after.IsZero() || !before.IsZero() {
			what = append(what, "between "+dates.Span(after, before, loc))
		}
		if o := orderNames[intent.Order(s.Params.String(intent.ParamOrder))]; o != "" {
			what = append(what, "sorted "+o)
		}
		if q := questionGuide[intent.Question(s.Params.String(intent.ParamQuestion))]; q != "" {
			what = append(what, "answer: "+q) // one part of a compound request asks its own
		}
		line := fmt.Sprintf("- %s %s %s", r.StepID, strings.ToLower(string(r.Service)), r.Operation)
		if len(what) > 0 {
			line += " (" + strings.Join(what, "; ") + ")"
		}
		fmt.Fprintf(b, "%s: %s, %d item(s)\n", line, strings.ToLower(string(r.Status)), len(r.Output.Items))
	}
}

func sourceLine(it agent.Item, loc *time.Location) string {
	var parts []string
	parts = append(parts, fmt.Sprintf("%s %s %q", it.Service, it.Kind, CleanTitle(it.Title)))
	if len(it.People) > 0 {
		parts = append(parts, "people: "+strings.Join(it.People, ", "))
	}
	if !it.At.IsZero() {
		parts = append(parts, dates.Span(it.At, it.End, loc))
	}
	text := it.Body
	if text == "" {
		text = it.Snippet
	}
	if text = excerpt(strings.Join(strings.Fields(text), " "), maxSourceText); text != "" {
		parts = append(parts, text)
	}
	return strings.Join(parts, "; ")
}

var citeRE = regexp.MustCompile(`\[(\d+)\]`)

// Cited returns the sources text refers to as [n], in order of first mention.
func Cited(text string, sources []Citation) []Citation {
	out := []Citation{}
	seen := map[int]bool{}
	for _, m := range citeRE.FindAllStringSubmatch(text, -1) {
		n, _ := strconv.Atoi(m[1])
		if n >= 1 && n <= len(sources) && !seen[n] {
			seen[n] = true
			out = append(out, sources[n-1])
		}
	}
	return out
}
