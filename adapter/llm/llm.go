// Package llm talks to chat models through langchaingo (OpenAI and
// OpenAI-compatible servers, Anthropic, Ollama): one-shot JSON completions for
// intent classification and streamed completions for answers.
package llm

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/sony/gobreaker/v2"
	"github.com/tmc/langchaingo/httputil"
	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/anthropic"
	"github.com/tmc/langchaingo/llms/ollama"
	"github.com/tmc/langchaingo/llms/openai"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Config chooses and configures the provider.
type Config struct {
	// Provider is "openai", "anthropic" or "ollama". Required.
	Provider string
	// BaseURL overrides the provider's endpoint: for openai and anthropic
	// the API root ending in /v1 (an OpenAI-compatible server,
	// https://api.anthropic.com/v1), for ollama the server's root
	// (http://localhost:11434). Defaults to the provider's own.
	BaseURL string
	// APIKey authenticates to openai and anthropic.
	APIKey string
	// Model is the chat model. Defaults to gpt-4o-mini, claude-3-5-haiku-latest
	// or llama3.1 by provider.
	Model string
	// Timeout bounds one call. Defaults to DefaultTimeout (5s).
	Timeout time.Duration
	// BreakerFailures is how many failed calls in a row open the circuit:
	// calls then fail at once, so the fallback answers without waiting for
	// Timeout on every ask. Defaults to DefaultBreakerFailures (3).
	BreakerFailures int
	// BreakerOpen is how long the circuit stays open before one call probes
	// the provider again. Defaults to DefaultBreakerOpen (30s).
	BreakerOpen time.Duration
}

// Defaults of Config.
const (
	DefaultTimeout         = 5 * time.Second
	DefaultBreakerFailures = 3
	DefaultBreakerOpen     = 30 * time.Second
)

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.Model == "" {
		c.Model = map[string]string{"openai": "gpt-4o-mini", "anthropic": "claude-3-5-haiku-latest", "ollama": "llama3.1"}[c.Provider]
	}
	c.BreakerFailures = cmp.Or(c.BreakerFailures, DefaultBreakerFailures)
	c.BreakerOpen = cmp.Or(c.BreakerOpen, DefaultBreakerOpen)
	c.Timeout = cmp.Or(c.Timeout, DefaultTimeout)
	return c
}

func (c Config) validate() error {
	switch c.Provider {
	case "openai", "anthropic":
		if c.APIKey == "" && c.BaseURL == "" {
			return fmt.Errorf("llm: Config.APIKey is required for provider %q", c.Provider)
		}
	case "ollama":
	default:
		return fmt.Errorf("llm: Config.Provider is %q, want openai, anthropic or ollama", c.Provider)
	}
	if c.BreakerFailures < 1 || c.BreakerOpen <= 0 {
		return fmt.Errorf("llm: Config.BreakerFailures (%d) must be >= 1 and BreakerOpen (%s) > 0", c.BreakerFailures, c.BreakerOpen)
	}
	if c.Timeout <= 0 {
		return fmt.Errorf("llm: Config.Timeout is %s, want > 0", c.Timeout)
	}
	// Checked here: langchaingo's ollama client exits the process on a URL
	// it cannot parse, and the others fail only on the first call.
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return fmt.Errorf("llm: Config.BaseURL is %q, want an http(s) URL", c.BaseURL)
		}
	}
	return nil
}

// Client is a chat model.
type Client struct {
	model   llms.Model
	cfg     Config
	jsonOpt llms.CallOption
	circuit *gobreaker.CircuitBreaker[*llms.ContentResponse]
}

// New returns a client for cfg.Provider.
func New(cfg Config) (*Client, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	var (
		m   llms.Model
		err error
	)
	switch cfg.Provider {
	case "openai":
		opts := []openai.Option{openai.WithModel(cfg.Model), openai.WithToken(orDefault(cfg.APIKey, "none"))}
		if cfg.BaseURL != "" {
			opts = append(opts, openai.WithBaseURL(cfg.BaseURL))
		}
		m, err = openai.New(opts...)
	case "anthropic":
		opts := []anthropic.Option{anthropic.WithModel(cfg.Model), anthropic.WithToken(orDefault(cfg.APIKey, "none"))}
		if cfg.BaseURL != "" {
			opts = append(opts, anthropic.WithBaseURL(cfg.BaseURL))
		}
		m, err = anthropic.New(opts...)
	case "ollama":
		opts := []ollama.Option{ollama.WithModel(cfg.Model),
			ollama.WithHTTPClient(&http.Client{Transport: ollamaStatus{httputil.DefaultTransport}})}
		if cfg.BaseURL != "" {
			opts = append(opts, ollama.WithServerURL(cfg.BaseURL))
		}
		m, err = ollama.New(opts...)
	}
	if err != nil {
		return nil, fmt.Errorf("llm: %s client: %w", cfg.Provider, err)
	}
	c := &Client{model: m, cfg: cfg, circuit: gobreaker.NewCircuitBreaker[*llms.ContentResponse](gobreaker.Settings{
		Name: cfg.Provider, MaxRequests: 1, Timeout: cfg.BreakerOpen,
		ReadyToTrip: func(n gobreaker.Counts) bool { return n.ConsecutiveFailures >= uint32(cfg.BreakerFailures) },
		// The asker going away says nothing of the provider.
		IsExcluded: func(err error) bool { return errors.Is(err, context.Canceled) },
	})}
	// Anthropic has no JSON mode; the prompt asks for JSON and the caller validates.
	if cfg.Provider != "anthropic" {
		c.jsonOpt = llms.WithJSONMode()
	}
	return c, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// ollamaStatus turns an error response into an error naming its HTTP status.
// langchaingo's ollama client reports only the body's "error" message, so a
// 429 would not read as a rate limit to mapErr, and takes a response without
// a body (from a proxy, say) for an empty success.
type ollamaStatus struct{ next http.RoundTripper }

func (o ollamaStatus) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := o.next.RoundTrip(r)
	if err != nil || resp.StatusCode < http.StatusBadRequest {
		return resp, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	msg := strings.TrimSpace(string(raw))
	var body struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(raw, &body) == nil && body.Error != "" {
		msg = body.Error
	}
	return nil, fmt.Errorf("ollama answered %s: %s", resp.Status, msg)
}

// Name identifies provider and model, e.g. for cache keys and logs.
func (c *Client) Name() string { return c.cfg.Provider + ":" + c.cfg.Model }

// CompleteJSON asks for a JSON object and returns the raw text.
func (c *Client) CompleteJSON(ctx context.Context, system, user string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	opts := []llms.CallOption{llms.WithTemperature(0)}
	if c.jsonOpt != nil {
		opts = append(opts, c.jsonOpt)
	}
	resp, err := c.generate(ctx, system, user, opts...)
	if err != nil {
		return "", err
	}
	if len(resp.Choices) == 0 {
		return "", fmt.Errorf("llm: %s returned no choices: %w", c.Name(), domain.ErrUnavailable)
	}
	return resp.Choices[0].Content, nil
}

// Stream generates a completion, calling emit with each chunk as it arrives,
// and returns the whole text. The timeout applies to the whole stream.
func (c *Client) Stream(ctx context.Context, system, user string, emit func(string)) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	var b strings.Builder
	_, err := c.generate(ctx, system, user,
		llms.WithTemperature(0.2),
		llms.WithStreamingFunc(func(_ context.Context, chunk []byte) error {
			if len(chunk) == 0 { // the last chunk is empty
				return nil
			}
			b.Write(chunk)
			emit(string(chunk))
			return nil
		}))
	if err != nil {
		return b.String(), err
	}
	return b.String(), nil
}

// generate calls the model through the circuit breaker: while it is open
// the call fails at once with ErrUnavailable, and the caller falls back.
func (c *Client) generate(ctx context.Context, system, user string, opts ...llms.CallOption) (*llms.ContentResponse, error) {
	resp, err := c.circuit.Execute(func() (*llms.ContentResponse, error) {
		return c.model.GenerateContent(ctx, messages(system, user), opts...)
	})
	switch {
	case errors.Is(err, gobreaker.ErrOpenState), errors.Is(err, gobreaker.ErrTooManyRequests):
		return nil, fmt.Errorf("llm: %s paused after repeated failures: %w", c.Name(), domain.ErrUnavailable)
	case err != nil:
		return nil, mapErr(err)
	}
	return resp, nil
}

func messages(system, user string) []llms.MessageContent {
	return []llms.MessageContent{
		llms.TextParts(llms.ChatMessageTypeSystem, system),
		llms.TextParts(llms.ChatMessageTypeHuman, user),
	}
}

// rateLimitedRE finds a 429 status or the words of one in a provider's
// error, but not "429" inside a URL's port or path ("127.0.0.1:42981" once
// made a 500 read as rate limited).
var rateLimitedRE = regexp.MustCompile(`(?i)(?:^|[\s(\[])429\b|too many requests|rate.?limit`)

// mapErr turns provider failures into domain sentinels so callers fall back.
func mapErr(err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("llm: timed out: %w", domain.ErrUnavailable)
	case rateLimitedRE.MatchString(err.Error()):
		return fmt.Errorf("llm: %v: %w", err, domain.ErrRateLimited)
	default:
		return fmt.Errorf("llm: %v: %w", err, domain.ErrUnavailable)
	}
}
