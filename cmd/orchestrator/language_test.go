package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/llm/llmtest"
	"github.com/workspace-orchestrator/orchestrator/cmd/orchestrator/config"
	"github.com/workspace-orchestrator/orchestrator/domain/synth"
)

// The wired chain asks LLM_PROVIDER, then LLM_FALLBACK_PROVIDER, then the
// offline writer: a failing primary is answered by the fallback, and with
// both failing the offline writer still answers.
func TestLanguageChainFallsBackInOrder(t *testing.T) {
	t.Parallel()
	failing := llmtest.New(t, func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Status: 503} })
	working := llmtest.New(t, func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Content: "From the fallback."} })
	chain := func(t *testing.T, fallbackURL string) synth.Writer {
		a := &app{log: slog.New(slog.NewTextHandler(io.Discard, nil)), cfg: config.Config{
			LLMProvider: "openai", LLMBaseURL: failing.BaseURL("openai"), LLMAPIKey: "k", LLMTimeout: time.Second,
			LLMFallbackProvider: "anthropic", LLMFallbackBaseURL: fallbackURL, LLMFallbackAPIKey: "k",
		}}
		_, w, err := a.language(nil)
		require.NoError(t, err)
		return w
	}

	ans, err := chain(t, working.BaseURL("anthropic")).Write(context.Background(), synth.Input{Query: "hello"}, func(string) {})
	require.NoError(t, err)
	require.Equal(t, "From the fallback.", ans.Text)
	require.NotEmpty(t, failing.Requests(), "the primary was asked first")
	require.Equal(t, "anthropic", working.Requests()[0].Provider)

	ans, err = chain(t, failing.BaseURL("anthropic")).Write(context.Background(), synth.Input{Query: "hello"}, func(string) {})
	require.NoError(t, err)
	require.NotEmpty(t, ans.Text, "the offline writer answers when both providers fail")
	require.NotEqual(t, "From the fallback.", ans.Text)
}
