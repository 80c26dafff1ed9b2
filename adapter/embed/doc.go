// Package embed implements domain.Embedder three ways; New picks one from a
// Config. Every embedder returns unit vectors of domain.EmbeddingDim (256), so
// a change of provider changes rows' model name (and triggers re-embedding),
// never the schema.
//
//   - Offline (the default, pure Go, no network): the SIF-weighted average of
//     GloVe 6B 100-d word vectors in dims 0-99, signed feature hashing of word
//     unigrams, bigrams and character 3-5-grams in dims 100-255, each block
//     normalised and weighted, the whole L2-normalised. The vectors ship in
//     data/glove50k.bin.gz (50k words, int8; see data/ATTRIBUTION.md), built
//     by glovepack via `go generate ./adapter/embed`. Model:
//     "offline-glove-sif-hash-v3". About 75 µs of CPU for a 2 KB mail. It is
//     also a domain.Passager: Passages gives a text's passages of 32 words
//     (the title repeated in each) as sparse vectors of hashed word stems
//     (about 90 µs more for a 2 KB mail), which
//     search scores by the query words' rarity in the user's own items.
//   - "openai": langchaingo's OpenAI client against any /v1/embeddings
//     server, asking for `dimensions: 256` (text-embedding-3-small shortens
//     its Matryoshka embedding server-side). Model: "openai:MODEL@256".
//   - "ollama": langchaingo's Ollama client (/api/embed); vectors longer than
//     256 are truncated (Matryoshka models such as nomic-embed-text) or
//     randomly projected (Config.Reduce = "project", any model), then
//     renormalised; shorter ones are zero-padded. Model: "ollama:MODEL@256"
//     or "ollama:MODEL@256-project".
//
// Query embeddings are worth caching (adapter/embedcache); document
// embeddings are computed once at sync and stored.
package embed
