package llm_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/llm"
	"github.com/workspace-orchestrator/orchestrator/adapter/llm/llmtest"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

// provider is a value of llm.Config.Provider with what sets its protocol
// apart, as the shared tests assert it.
type provider struct {
	name string
	// jsonFormat is the response format CompleteJSON asks for. langchaingo's
	// anthropic client has no JSON mode: the prompt alone asks for JSON.
	jsonFormat string
	// jsonStreamed: CompleteJSON's answer comes streamed. langchaingo leaves
	// out Ollama's "stream":false and Ollama streams by default; the client
	// joins the chunks.
	jsonStreamed bool
}

var providers = []provider{
	{name: "openai", jsonFormat: "json_object"},
	{name: "anthropic"},
	{name: "ollama", jsonFormat: "json", jsonStreamed: true},
}

// eachProvider runs test in parallel subtests, one per provider; each starts
// its own loopback server, which speaks every provider's protocol.
func eachProvider(t *testing.T, test func(t *testing.T, p provider)) {
	t.Parallel()
	for _, p := range providers {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			test(t, p)
		})
	}
}

func newClient(t *testing.T, p provider, baseURL string, timeout time.Duration) *llm.Client {
	t.Helper()
	c, err := llm.New(llm.Config{Provider: p.name, BaseURL: baseURL, APIKey: "x", Model: "test-model", Timeout: timeout})
	require.NoError(t, err)
	return c
}

func TestCompleteJSON(t *testing.T) {
	eachProvider(t, func(t *testing.T, p provider) {
		srv := llmtest.New(t, func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Content: `{"ok": true}`} })
		out, err := newClient(t, p, srv.BaseURL(p.name), time.Second).CompleteJSON(context.Background(), "be json", "hello")
		require.NoError(t, err)
		require.JSONEq(t, `{"ok":true}`, out)
		require.Equal(t, []llmtest.Request{{Provider: p.name, Model: "test-model", System: "be json", User: "hello",
			Stream: p.jsonStreamed, ResponseFormat: p.jsonFormat}}, srv.Requests())
	})
}

func TestStreamEmitsChunksInOrder(t *testing.T) {
	eachProvider(t, func(t *testing.T, p provider) {
		srv := llmtest.New(t, func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Content: "one two three four"} })
		var chunks []string
		full, err := newClient(t, p, srv.BaseURL(p.name), time.Second).Stream(context.Background(), "s", "u", func(c string) { chunks = append(chunks, c) })
		require.NoError(t, err)
		require.Equal(t, "one two three four", full)
		require.Greater(t, len(chunks), 1)
		require.Equal(t, full, strings.Join(chunks, ""))
		require.Equal(t, []llmtest.Request{{Provider: p.name, Model: "test-model", System: "s", User: "u", Stream: true}}, srv.Requests())
	})
}

func TestErrorsMapToSentinels(t *testing.T) {
	eachProvider(t, func(t *testing.T, p provider) {
		slow := llmtest.New(t, func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Delay: time.Second} })
		_, err := newClient(t, p, slow.BaseURL(p.name), 50*time.Millisecond).CompleteJSON(context.Background(), "s", "u")
		require.ErrorIs(t, err, domain.ErrUnavailable)

		limited := llmtest.New(t, func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Status: http.StatusTooManyRequests} })
		_, err = newClient(t, p, limited.BaseURL(p.name), time.Second).CompleteJSON(context.Background(), "s", "u")
		require.ErrorIs(t, err, domain.ErrRateLimited)

		broken := llmtest.New(t, func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Status: http.StatusInternalServerError} })
		_, err = newClient(t, p, broken.BaseURL(p.name), time.Second).Stream(context.Background(), "s", "u", func(string) {})
		require.ErrorIs(t, err, domain.ErrUnavailable)
	})
}

// An error without a body (from a proxy in front of the model, say) is still
// an error.
func TestBodilessErrorIsAnError(t *testing.T) {
	eachProvider(t, func(t *testing.T, p provider) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) }))
		t.Cleanup(srv.Close)
		c := newClient(t, p, srv.URL, time.Second)
		_, err := c.CompleteJSON(context.Background(), "s", "u")
		require.ErrorIs(t, err, domain.ErrUnavailable)
		_, err = c.Stream(context.Background(), "s", "u", func(string) {})
		require.ErrorIs(t, err, domain.ErrUnavailable)
	})
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	_, err := llm.New(llm.Config{Provider: "gpt"})
	require.ErrorContains(t, err, "Config.Provider")
	for _, p := range []string{"openai", "anthropic"} {
		_, err = llm.New(llm.Config{Provider: p})
		require.ErrorContains(t, err, "Config.APIKey")
	}
	_, err = llm.New(llm.Config{Provider: "ollama"})
	require.NoError(t, err, "a local Ollama needs no key")
	for _, p := range providers {
		_, err = llm.New(llm.Config{Provider: p.name, APIKey: "x", BaseURL: "http://[::1"})
		require.ErrorContains(t, err, "Config.BaseURL")
	}
}

// TestCircuitOpensWhenTheProviderKeepsFailing: after repeated failures the
// client stops calling a provider that is down, so asks fall back at once
// instead of waiting for the timeout each, and it tries again later.
func TestCircuitOpensWhenTheProviderKeepsFailing(t *testing.T) {
	eachProvider(t, func(t *testing.T, p provider) {
		var mu sync.Mutex
		calls, down := 0, true
		srv := llmtest.New(t, func(llmtest.Request) llmtest.Reply {
			mu.Lock()
			defer mu.Unlock()
			calls++
			if down {
				return llmtest.Reply{Status: http.StatusInternalServerError}
			}
			return llmtest.Reply{Content: `{"ok": true}`}
		})
		c, err := llm.New(llm.Config{Provider: p.name, BaseURL: srv.BaseURL(p.name), APIKey: "x", Model: "m",
			Timeout: time.Second, BreakerFailures: 2, BreakerOpen: 300 * time.Millisecond})
		require.NoError(t, err)
		for range 4 {
			_, err := c.CompleteJSON(context.Background(), "s", "u")
			require.ErrorIs(t, err, domain.ErrUnavailable)
		}
		mu.Lock()
		require.Equal(t, 2, calls, "an open circuit calls nobody")
		down = false
		mu.Unlock()
		require.Eventually(t, func() bool {
			_, err := c.CompleteJSON(context.Background(), "s", "u")
			return err == nil
		}, 5*time.Second, 50*time.Millisecond, "the provider is tried again once the circuit half-opens")
	})
}
