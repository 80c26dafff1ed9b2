package embed

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/tmc/langchaingo/embeddings"
	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/ollama"
	"github.com/tmc/langchaingo/llms/openai"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// remote embeds through langchaingo and brings every vector to
// domain.EmbeddingDim unit length.
type remote struct {
	provider string
	emb      *embeddings.EmbedderImpl
	model    string
	reduce   string
	maxBytes int
}

func newRemote(cfg Config) (*remote, error) {
	var client embeddings.EmbedderClient
	switch cfg.Provider {
	case ProviderOpenAI:
		c, err := openai.New(
			openai.WithBaseURL(cfg.BaseURL),
			openai.WithToken(cfg.APIKey),
			openai.WithEmbeddingModel(cfg.Model),
			// text-embedding-3-* shorten server-side (Matryoshka), which
			// beats anything done here; servers that ignore it get Reduce.
			openai.WithEmbeddingDimensions(domain.EmbeddingDim),
			openai.WithHTTPClient(cfg.HTTPClient),
		)
		if err != nil {
			return nil, fmt.Errorf("embed: openai client: %w", err)
		}
		client = c
	case ProviderOllama:
		// langchaingo's Ollama client posts one /api/embed request per text;
		// BatchSize still bounds how many texts each CreateEmbedding call takes.
		c, err := ollama.New(
			ollama.WithServerURL(cfg.BaseURL),
			ollama.WithModel(cfg.Model),
			ollama.WithHTTPClient(cfg.HTTPClient),
		)
		if err != nil {
			return nil, fmt.Errorf("embed: ollama client: %w", err)
		}
		client = c
	}
	emb, err := embeddings.NewEmbedder(client,
		embeddings.WithBatchSize(cfg.BatchSize),
		// Stripping newlines would rewrite the caller's slice in place, and
		// current models do not need it.
		embeddings.WithStripNewLines(false),
	)
	if err != nil {
		return nil, fmt.Errorf("embed: %w", err)
	}
	model := fmt.Sprintf("%s:%s@%d", cfg.Provider, cfg.Model, domain.EmbeddingDim)
	if cfg.Reduce == ReduceProject {
		model += "-" + ReduceProject
	}
	return &remote{provider: cfg.Provider, emb: emb, model: model, reduce: cfg.Reduce, maxBytes: cfg.MaxBytes}, nil
}

// Model is "provider:model@256", with "-project" when vectors are projected.
func (r *remote) Model() string { return r.model }

// Embed sends the non-blank texts, cut to maxBytes, in batches; blank texts
// (which OpenAI rejects) get a fixed unit vector.
func (r *remote) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	var send []string
	var at []int
	for i, t := range texts {
		if strings.TrimSpace(t) == "" {
			out[i] = make([]float32, domain.EmbeddingDim)
			out[i][0] = 1
			continue
		}
		send, at = append(send, headBytes(t, r.maxBytes)), append(at, i)
	}
	if len(send) == 0 {
		return out, nil
	}
	vecs, err := r.emb.EmbedDocuments(ctx, send)
	if err != nil {
		return nil, r.wrap(ctx, err)
	}
	if len(vecs) != len(send) {
		return nil, fmt.Errorf("embed %s: %d vectors for %d texts: %w", r.provider, len(vecs), len(send), domain.ErrUnavailable)
	}
	for k, v := range vecs {
		if len(v) == 0 {
			return nil, fmt.Errorf("embed %s: empty vector: %w", r.provider, domain.ErrUnavailable)
		}
		out[at[k]] = fit(v, r.reduce)
	}
	return out, nil
}

// headBytes returns the longest prefix of s of at most n bytes that ends on
// a rune boundary.
func headBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// wrap maps a langchaingo error onto the domain's sentinels.
func (r *remote) wrap(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("embed %s: %w", r.provider, ctxErr)
	}
	if llms.IsRateLimitError(openai.MapError(err)) {
		return fmt.Errorf("embed %s: %w: %w", r.provider, domain.ErrRateLimited, err)
	}
	var le *llms.Error
	if errors.As(openai.MapError(err), &le) && le.Code == llms.ErrCodeAuthentication {
		return fmt.Errorf("embed %s: %w: %w", r.provider, domain.ErrUnauthenticated, err)
	}
	return fmt.Errorf("embed %s: %w: %w", r.provider, domain.ErrUnavailable, err)
}

// fit returns v as a unit vector of domain.EmbeddingDim: shorter vectors are
// zero-padded (which keeps every cosine), longer ones reduced as configured.
func fit(v []float32, reduce string) []float32 {
	out := make([]float32, domain.EmbeddingDim)
	switch {
	case len(v) <= domain.EmbeddingDim:
		copy(out, v)
	case reduce == ReduceProject:
		project(v, out)
	default:
		copy(out, v[:domain.EmbeddingDim])
	}
	var s float64
	for _, x := range out {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		out[0] = 1
		return out
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range out {
		out[i] *= inv
	}
	return out
}

// project computes out = R v for a fixed random ±1 matrix R whose signs come
// from hashing (column, output block), so it needs no stored matrix and is
// the same in every process.
func project(v, out []float32) {
	for j, x := range v {
		for blk := 0; blk < domain.EmbeddingDim; blk += 64 {
			bits := mix(uint64(j)<<8 | uint64(blk/64) ^ seedWord)
			for i := range 64 {
				if bits>>i&1 == 1 {
					out[blk+i] += x
				} else {
					out[blk+i] -= x
				}
			}
		}
	}
}
