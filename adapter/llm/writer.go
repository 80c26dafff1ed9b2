package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/synth"
)

// Writer streams answers from a chat model, grounded in the step results it
// is given as numbered sources; the sources the text cites as [n] become the
// answer's citations. When the model fails before its first token, the
// fallback (the offline writer) writes the answer instead.
type Writer struct {
	c        *Client
	fallback synth.Writer
	log      *slog.Logger
}

// NewWriter returns a Writer; fallback is required.
func NewWriter(c *Client, fallback synth.Writer, log *slog.Logger) *Writer {
	return &Writer{c: c, fallback: fallback, log: log}
}

const writerInstructions = `You are the assistant of a person's Google Workspace (Gmail, Calendar, Drive).
Answer the request in a few short sentences or a short list, using ONLY the sources below.
Cite every source you use as [n] with its number. Never invent emails, events or files.
Say plainly which steps failed or were skipped and why.
If actions await confirmation, list each one exactly as summarised and say that nothing happens until the person confirms it.
If the request needs clarification, ask the one question given.`

// Write implements synth.Writer.
func (w *Writer) Write(ctx context.Context, in synth.Input, emit func(string)) (synth.Answer, error) {
	if in.Intent.Clarification != "" || in.Intent.Unsupported != "" {
		return w.fallback.Write(ctx, in, emit) // fixed wording; no model needed
	}
	sources, prompt := writerPrompt(in)
	emitted := false
	text, err := w.c.Stream(ctx, writerInstructions, prompt, func(chunk string) {
		emitted = true
		emit(chunk)
	})
	if err != nil {
		if !emitted {
			w.log.WarnContext(ctx, "llm answer failed; using the offline writer", "model", w.c.Name(), "err", err)
			return w.fallback.Write(ctx, in, emit)
		}
		return synth.Answer{Text: text, Citations: cited(text, sources)}, fmt.Errorf("llm: answer stream broke: %w", err)
	}
	return synth.Answer{Text: text, Citations: cited(text, sources)}, nil
}

// writerPrompt numbers every item the steps returned and renders the request,
// the step outcomes and the proposed actions.
func writerPrompt(in synth.Input) ([]agent.Item, string) {
	var (
		b       strings.Builder
		sources []agent.Item
	)
	fmt.Fprintf(&b, "Request: %s\nNow: %s\n\nSteps:\n", in.Query, in.Now.Format("Monday 2 January 2006 15:04 MST"))
	for _, r := range in.Results {
		fmt.Fprintf(&b, "- %s %s on %s: %s", r.StepID, r.Operation, r.Service, r.Status)
		if r.Error != "" {
			fmt.Fprintf(&b, " (error: %s)", r.Error)
		}
		if r.Reason != "" {
			fmt.Fprintf(&b, " (%s)", r.Reason)
		}
		b.WriteString("\n")
		for _, it := range r.Output.Items {
			sources = append(sources, it)
			line, _ := json.Marshal(struct {
				Kind, Title, Snippet, Body string
				People                     []string
				At, End                    string
			}{it.Kind, it.Title, it.Snippet, excerpt(it.Body, 1500), it.People, stamp(it.At), stamp(it.End)})
			fmt.Fprintf(&b, "  [%d] %s\n", len(sources), line)
		}
	}
	if len(in.Actions) > 0 {
		b.WriteString("\nActions awaiting confirmation:\n")
		for _, a := range in.Actions {
			fmt.Fprintf(&b, "- %s\n", a.Summary)
		}
	}
	return sources, b.String()
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func excerpt(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

var citeRef = regexp.MustCompile(`\[(\d+)\]`)

// cited returns the sources the text refers to, in order of first mention.
func cited(text string, sources []agent.Item) []synth.Citation {
	out := []synth.Citation{}
	seen := map[int]bool{}
	for _, m := range citeRef.FindAllStringSubmatch(text, -1) {
		n, _ := strconv.Atoi(m[1])
		if n < 1 || n > len(sources) || seen[n] {
			continue
		}
		seen[n] = true
		it := sources[n-1]
		out = append(out, synth.Citation{Service: it.Service, ItemID: it.ID, Title: it.Title, URL: it.URL})
	}
	return out
}
