// Package embed implements domain.Embedder: an offline default in pure Go
// (GloVe word vectors with SIF weights plus hashed word and character
// n-grams) and remote providers through langchaingo (OpenAI-compatible
// servers and Ollama). Every embedder returns unit vectors of
// domain.EmbeddingDim.
package embed
