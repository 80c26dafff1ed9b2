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
Be brief: a few sentences or a short list.`

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

func sourceLine(it agent.Item, loc *time.Location) string {
	var parts []string
	parts = append(parts, fmt.Sprintf("%s %s %q", it.Service, it.Kind, it.Title))
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
