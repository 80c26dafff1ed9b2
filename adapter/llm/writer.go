package llm

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/workspace-orchestrator/orchestrator/domain/synth"
)

// Writer streams answers from a chat model, grounded in the numbered sources
// of synth.BuildPrompt; the sources the text cites as [n] become the answer's
// citations. When the model fails before its first token, the fallback (the
// offline writer) writes the answer instead.
type Writer struct {
	c        *Client
	fallback synth.Writer
	log      *slog.Logger
}

// NewWriter returns a Writer; fallback is required.
func NewWriter(c *Client, fallback synth.Writer, log *slog.Logger) *Writer {
	return &Writer{c: c, fallback: fallback, log: log}
}

// Write implements synth.Writer.
func (w *Writer) Write(ctx context.Context, in synth.Input, emit func(string)) (synth.Answer, error) {
	if in.Intent.Clarification != "" || in.Intent.Unsupported != "" || in.Intent.Reply != "" {
		return w.fallback.Write(ctx, in, emit) // fixed wording; no model needed
	}
	p, sources := synth.BuildPrompt(in)
	emitted := false
	text, err := w.c.Stream(ctx, p.System, p.User, func(chunk string) {
		emitted = true
		emit(chunk)
	})
	ans := synth.Answer{Text: text, Citations: synth.Cited(text, sources)}
	if err != nil {
		if !emitted {
			w.log.WarnContext(ctx, "llm answer failed; using the offline writer", "model", w.c.Name(), "err", err)
			return w.fallback.Write(ctx, in, emit)
		}
		return ans, fmt.Errorf("llm: answer stream broke: %w", err)
	}
	return ans, nil
}
