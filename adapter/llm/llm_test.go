package llm_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/llm"
	"github.com/workspace-orchestrator/orchestrator/adapter/llm/llmtest"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

func newClient(t *testing.T, srv *llmtest.Server, timeout time.Duration) *llm.Client {
	t.Helper()
	c, err := llm.New(llm.Config{Provider: "openai", BaseURL: srv.URL, APIKey: "x", Model: "test-model", Timeout: timeout})
	require.NoError(t, err)
	return c
}

func TestCompleteJSONUsesJSONMode(t *testing.T) {
	t.Parallel()
	srv := llmtest.New(t, func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Content: `{"ok":true}`} })
	out, err := newClient(t, srv, time.Second).CompleteJSON(context.Background(), "be json", "hello")
	require.NoError(t, err)
	require.JSONEq(t, `{"ok":true}`, out)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	require.Equal(t, "json_object", reqs[0].ResponseFormat)
	require.Equal(t, "be json", reqs[0].System)
	require.Equal(t, "hello", reqs[0].User)
}

func TestStreamEmitsChunksInOrder(t *testing.T) {
	t.Parallel()
	srv := llmtest.New(t, func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Content: "one two three four"} })
	var chunks []string
	full, err := newClient(t, srv, time.Second).Stream(context.Background(), "s", "u", func(c string) { chunks = append(chunks, c) })
	require.NoError(t, err)
	require.Equal(t, "one two three four", full)
	require.Greater(t, len(chunks), 1)
	require.Equal(t, full, strings.Join(chunks, ""))
}

func TestErrorsMapToSentinels(t *testing.T) {
	t.Parallel()
	slow := llmtest.New(t, func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Delay: time.Second} })
	_, err := newClient(t, slow, 50*time.Millisecond).CompleteJSON(context.Background(), "s", "u")
	require.ErrorIs(t, err, domain.ErrUnavailable)

	limited := llmtest.New(t, func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Status: 429} })
	_, err = newClient(t, limited, time.Second).CompleteJSON(context.Background(), "s", "u")
	require.ErrorIs(t, err, domain.ErrRateLimited)
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	_, err := llm.New(llm.Config{Provider: "gpt"})
	require.ErrorContains(t, err, "Config.Provider")
	_, err = llm.New(llm.Config{Provider: "openai"})
	require.ErrorContains(t, err, "Config.APIKey")
}
