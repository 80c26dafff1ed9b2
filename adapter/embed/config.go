package embed

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Providers New knows.
const (
	ProviderOffline = "offline"
	ProviderOpenAI  = "openai" // OpenAI or any server speaking its /v1/embeddings
	ProviderOllama  = "ollama"
)

// Ways to bring a remote model's vectors to domain.EmbeddingDim.
const (
	// ReduceTruncate keeps the first EmbeddingDim components and renormalises:
	// right for Matryoshka-trained models (OpenAI text-embedding-3-*,
	// nomic-embed-text v1.5, mxbai-embed-large), whose leading components
	// carry most of the meaning.
	ReduceTruncate = "truncate"
	// ReduceProject multiplies by a fixed random ±1 matrix (seeded, so stable
	// across restarts) and renormalises: a Johnson-Lindenstrauss projection
	// that roughly keeps cosines for any model, at some loss of precision.
	ReduceProject = "project"
)

// Config chooses and configures an embedder.
type Config struct {
	// Provider is "offline", "openai" or "ollama". Defaults to
	// DefaultProvider ("offline").
	Provider string
	// BaseURL is the provider's API root. Defaults to DefaultOpenAIBaseURL
	// (openai) or DefaultOllamaBaseURL (ollama); unused offline.
	BaseURL string
	// APIKey is the bearer token for openai; required there, unused otherwise.
	APIKey string
	// Model is the remote model. Defaults to DefaultOpenAIModel (openai) or
	// DefaultOllamaModel (ollama); unused offline.
	Model string
	// Reduce says how vectors longer than domain.EmbeddingDim are shortened:
	// ReduceTruncate or ReduceProject. Defaults to DefaultReduce. OpenAI is
	// asked for EmbeddingDim directly (its `dimensions` parameter), so this
	// only matters when a compatible server ignores that parameter.
	Reduce string
	// BatchSize is the most texts sent in one request. Defaults to
	// DefaultBatchSize (64), which
	// with MaxBytes keeps a request under OpenAI's 300k-token limit. Ollama's
	// native API is called once per text by langchaingo; for batched calls
	// use Provider "openai" with Ollama's OpenAI-compatible BaseURL
	// "http://127.0.0.1:11434/v1".
	BatchSize int
	// MaxBytes cuts each text to its first MaxBytes bytes (at a UTF-8
	// boundary) before sending: the head of a mail or document carries its
	// gist, and OpenAI rejects inputs over 8,191 tokens. Defaults to
	// DefaultMaxBytes (8000)
	// (about 2k tokens of prose).
	MaxBytes int
	// Timeout bounds each HTTP request. Defaults to DefaultTimeout (60s).
	Timeout time.Duration
	// HTTPClient makes the requests. Defaults to a client with Timeout.
	HTTPClient *http.Client
}

// Defaults of Config.
const (
	DefaultProvider      = ProviderOffline
	DefaultOpenAIBaseURL = "https://api.openai.com/v1"
	DefaultOpenAIModel   = "text-embedding-3-small"
	DefaultOllamaBaseURL = "http://127.0.0.1:11434"
	DefaultOllamaModel   = "nomic-embed-text"
	DefaultReduce        = ReduceTruncate
	DefaultBatchSize     = 64
	DefaultMaxBytes      = 8000
	DefaultTimeout       = 60 * time.Second
)

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	c.Provider = cmp.Or(c.Provider, DefaultProvider)
	switch c.Provider {
	case ProviderOpenAI:
		c.BaseURL = cmp.Or(c.BaseURL, DefaultOpenAIBaseURL)
		c.Model = cmp.Or(c.Model, DefaultOpenAIModel)
	case ProviderOllama:
		c.BaseURL = cmp.Or(c.BaseURL, DefaultOllamaBaseURL)
		c.Model = cmp.Or(c.Model, DefaultOllamaModel)
	}
	c.Reduce = cmp.Or(c.Reduce, DefaultReduce)
	c.BatchSize = cmp.Or(c.BatchSize, DefaultBatchSize)
	c.MaxBytes = cmp.Or(c.MaxBytes, DefaultMaxBytes)
	c.Timeout = cmp.Or(c.Timeout, DefaultTimeout)
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: c.Timeout}
	}
	return c
}

func (c Config) validate() error {
	switch c.Provider {
	case ProviderOffline:
		return nil
	case ProviderOpenAI, ProviderOllama:
	default:
		return fmt.Errorf("embed: Provider %q is not offline, openai or ollama: %w", c.Provider, domain.ErrInvalidInput)
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("embed: BaseURL %q is not an http(s) URL: %w", c.BaseURL, domain.ErrInvalidInput)
	}
	if c.Provider == ProviderOpenAI && c.APIKey == "" {
		return fmt.Errorf("embed: APIKey is required for provider openai: %w", domain.ErrInvalidInput)
	}
	if c.Reduce != ReduceTruncate && c.Reduce != ReduceProject {
		return fmt.Errorf("embed: Reduce %q is not truncate or project: %w", c.Reduce, domain.ErrInvalidInput)
	}
	if c.BatchSize < 1 || c.BatchSize > 2048 {
		return fmt.Errorf("embed: BatchSize %d is outside 1..2048: %w", c.BatchSize, domain.ErrInvalidInput)
	}
	if c.MaxBytes < 1 {
		return fmt.Errorf("embed: MaxBytes %d is not positive: %w", c.MaxBytes, domain.ErrInvalidInput)
	}
	if c.Timeout < 0 {
		return fmt.Errorf("embed: Timeout %s is negative: %w", c.Timeout, domain.ErrInvalidInput)
	}
	return nil
}

// New returns the embedder cfg describes (after WithDefaults).
func New(cfg Config) (domain.Embedder, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.Provider == ProviderOffline {
		return NewOffline()
	}
	return newRemote(cfg)
}
