package embed_test

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/embed"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

// fakeVector is what the loopback servers answer: a bag of words hashed
// into n dims, so texts sharing words have a high cosine.
func fakeVector(text string, n int) []float32 {
	v := make([]float32, n)
	for _, w := range strings.Fields(strings.ToLower(text)) {
		h := fnv.New64a()
		h.Write([]byte(w))
		x := h.Sum64()
		for k := range 4 {
			slot := int((x >> (16 * k)) % uint64(n))
			if x>>(60-k)&1 == 1 {
				v[slot]++
			} else {
				v[slot]--
			}
		}
	}
	return v
}

func unit(v []float32) []float32 {
	out := make([]float32, len(v))
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	for i, x := range v {
		out[i] = float32(float64(x) / math.Sqrt(s))
	}
	return out
}

type openaiRequest struct {
	Model      string   `json:"model"`
	Input      []string `json:"input"`
	Dimensions int      `json:"dimensions"`
	Auth       string   `json:"-"`
}

// openaiServer speaks OpenAI's POST /v1/embeddings; nativeDim > 0 makes it
// ignore `dimensions` like some compatible servers do; status != 0 fails
// every call with that status and an OpenAI error body.
type openaiServer struct {
	nativeDim int
	status    int
	mu        sync.Mutex
	reqs      []openaiRequest
}

func (s *openaiServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/embeddings" {
		http.NotFound(w, r)
		return
	}
	var req openaiRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req.Auth = r.Header.Get("Authorization")
	s.mu.Lock()
	s.reqs = append(s.reqs, req)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if s.status != 0 {
		w.WriteHeader(s.status)
		msg := map[int]string{429: "Rate limit reached for requests", 401: "Incorrect API key provided"}[s.status]
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": "error"}})
		return
	}
	n := req.Dimensions
	switch {
	case s.nativeDim > 0:
		n = s.nativeDim
	case n == 0:
		n = 1536
	}
	type datum struct {
		Object    string    `json:"object"`
		Index     int       `json:"index"`
		Embedding []float32 `json:"embedding"`
	}
	data := make([]datum, len(req.Input))
	for i, t := range req.Input {
		data[i] = datum{Object: "embedding", Index: i, Embedding: unit(fakeVector(t, n))}
	}
	json.NewEncoder(w).Encode(map[string]any{
		"object": "list", "data": data, "model": req.Model,
		"usage": map[string]int{"prompt_tokens": 1, "total_tokens": 1},
	})
}

// ollamaServer speaks Ollama's POST /api/embed with 768-dim vectors.
type ollamaServer struct {
	mu     sync.Mutex
	models []string
}

func (s *ollamaServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/api/embed" {
		http.NotFound(w, r)
		return
	}
	var req struct {
		Model string          `json:"model"`
		Input json.RawMessage `json:"input"` // a string or a list of strings
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
		return
	}
	var inputs []string
	if err := json.Unmarshal(req.Input, &inputs); err != nil {
		var one string
		if err := json.Unmarshal(req.Input, &one); err != nil {
			http.Error(w, `{"error":"bad input"}`, http.StatusBadRequest)
			return
		}
		inputs = []string{one}
	}
	s.mu.Lock()
	s.models = append(s.models, req.Model)
	s.mu.Unlock()
	vecs := make([][]float32, len(inputs))
	for i, t := range inputs {
		vecs[i] = fakeVector(t, 768)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"model": req.Model, "embeddings": vecs})
}

type remoteBundle struct {
	openai *openaiServer
	ollama *ollamaServer
	oaURL  string
	olURL  string
}

func setup(t *testing.T) remoteBundle {
	t.Helper()
	b := remoteBundle{openai: &openaiServer{}, ollama: &ollamaServer{}}
	oa := httptest.NewServer(b.openai)
	ol := httptest.NewServer(b.ollama)
	t.Cleanup(oa.Close)
	t.Cleanup(ol.Close)
	b.oaURL, b.olURL = oa.URL+"/v1", ol.URL
	return b
}

var texts = []string{"quarterly budget review", "", "Q4 budget review meeting", "holiday party", "budget"}

func TestOpenAIRequestsDimensionsInBatches(t *testing.T) {
	t.Parallel()
	b := setup(t)
	e, err := embed.New(embed.Config{Provider: embed.ProviderOpenAI, BaseURL: b.oaURL, APIKey: "sk-test", BatchSize: 2})
	require.NoError(t, err)
	require.Equal(t, "openai:text-embedding-3-small@256", e.Model())

	vecs, err := e.Embed(context.Background(), texts)
	require.NoError(t, err)
	require.Len(t, vecs, len(texts))
	for i, v := range vecs {
		requireUnit(t, v)
		if texts[i] != "" {
			require.InDeltaSlice(t, unit(fakeVector(texts[i], domain.EmbeddingDim)), v, 1e-5)
		}
	}
	require.Len(t, b.openai.reqs, 2, "4 non-blank texts in batches of 2")
	for _, r := range b.openai.reqs {
		require.Equal(t, "text-embedding-3-small", r.Model)
		require.Equal(t, domain.EmbeddingDim, r.Dimensions)
		require.Equal(t, "Bearer sk-test", r.Auth)
		require.Len(t, r.Input, 2)
	}
}

func TestLongTextsAreCutAtARuneBoundary(t *testing.T) {
	t.Parallel()
	b := setup(t)
	e, err := embed.New(embed.Config{Provider: embed.ProviderOpenAI, BaseURL: b.oaURL, APIKey: "k", MaxBytes: 9})
	require.NoError(t, err)
	_, err = e.Embed(context.Background(), []string{"short", "budget für Zürich"})
	require.NoError(t, err)
	require.Equal(t, []string{"short", "budget f"}, b.openai.reqs[0].Input, "ü takes bytes 9 and 10")
}

func TestOpenAICompatibleServerIgnoringDimensionsIsTruncated(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.openai.nativeDim = 1024
	e, err := embed.New(embed.Config{Provider: embed.ProviderOpenAI, BaseURL: b.oaURL, APIKey: "k", Model: "bge-m3"})
	require.NoError(t, err)
	vecs, err := e.Embed(context.Background(), []string{"budget review"})
	require.NoError(t, err)
	want := unit(unit(fakeVector("budget review", 1024))[:domain.EmbeddingDim])
	require.InDeltaSlice(t, want, vecs[0], 1e-5)
}

func TestOllamaProjectsTo256(t *testing.T) {
	t.Parallel()
	b := setup(t)
	e, err := embed.New(embed.Config{Provider: embed.ProviderOllama, BaseURL: b.olURL, Model: "all-minilm", Reduce: embed.ReduceProject})
	require.NoError(t, err)
	require.Equal(t, "ollama:all-minilm@256-project", e.Model())
	vecs, err := e.Embed(context.Background(), texts)
	require.NoError(t, err)
	for _, v := range vecs {
		requireUnit(t, v)
	}
	again, err := e.Embed(context.Background(), texts[:1])
	require.NoError(t, err)
	require.Equal(t, vecs[0], again[0], "the projection is fixed")
	// The projection roughly keeps cosines.
	for _, p := range [][2]int{{0, 2}, {0, 3}, {0, 4}, {2, 3}} {
		native := cosine(unit(fakeVector(texts[p[0]], 768)), unit(fakeVector(texts[p[1]], 768)))
		require.InDelta(t, native, cosine(vecs[p[0]], vecs[p[1]]), 0.2, "pair %v", p)
	}
	require.Greater(t, cosine(vecs[0], vecs[2]), cosine(vecs[0], vecs[3]))
	require.Equal(t, []string{"all-minilm", "all-minilm", "all-minilm", "all-minilm", "all-minilm"}, b.ollama.models)
}

func TestOllamaDefaultTruncates(t *testing.T) {
	t.Parallel()
	b := setup(t)
	e, err := embed.New(embed.Config{Provider: embed.ProviderOllama, BaseURL: b.olURL})
	require.NoError(t, err)
	require.Equal(t, "ollama:nomic-embed-text@256", e.Model())
	vecs, err := e.Embed(context.Background(), []string{"budget review"})
	require.NoError(t, err)
	require.InDeltaSlice(t, unit(fakeVector("budget review", 768)[:domain.EmbeddingDim]), vecs[0], 1e-5)
}

func TestRemoteErrorsMapToSentinels(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]error{
		http.StatusTooManyRequests:     domain.ErrRateLimited,
		http.StatusUnauthorized:        domain.ErrUnauthenticated,
		http.StatusInternalServerError: domain.ErrUnavailable,
	} {
		b := setup(t)
		b.openai.status = status
		e, err := embed.New(embed.Config{Provider: embed.ProviderOpenAI, BaseURL: b.oaURL, APIKey: "k"})
		require.NoError(t, err)
		_, err = e.Embed(context.Background(), []string{"x"})
		require.ErrorIs(t, err, want, "status %d: %v", status, err)
	}
	// Nothing listens on port 1.
	e, err := embed.New(embed.Config{Provider: embed.ProviderOllama, BaseURL: "http://127.0.0.1:1"})
	require.NoError(t, err)
	_, err = e.Embed(context.Background(), []string{"x"})
	require.ErrorIs(t, err, domain.ErrUnavailable)
}

func TestConfigValidationNamesTheField(t *testing.T) {
	t.Parallel()
	for field, cfg := range map[string]embed.Config{
		"Provider":  {Provider: "cohere"},
		"BaseURL":   {Provider: embed.ProviderOllama, BaseURL: "localhost:11434"},
		"APIKey":    {Provider: embed.ProviderOpenAI},
		"Reduce":    {Provider: embed.ProviderOllama, Reduce: "pca"},
		"BatchSize": {Provider: embed.ProviderOpenAI, APIKey: "k", BatchSize: 5000},
		"MaxBytes":  {Provider: embed.ProviderOllama, MaxBytes: -1},
		"Timeout":   {Provider: embed.ProviderOllama, Timeout: -1},
	} {
		_, err := embed.New(cfg)
		require.ErrorIs(t, err, domain.ErrInvalidInput, field)
		require.ErrorContains(t, err, field)
	}
	e, err := embed.New(embed.Config{})
	require.NoError(t, err)
	require.Equal(t, embed.OfflineModel, e.Model())
}
