package store

import (
	"fmt"

	"github.com/pgvector/pgvector-go"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// vectorValue is the embedding column's value: NULL when not embedded yet.
func vectorValue(v domain.Vector, item string) (*pgvector.Vector, error) {
	if v.Values == nil {
		return nil, nil
	}
	if len(v.Values) != domain.EmbeddingDim {
		return nil, fmt.Errorf("%w: %s: embedding has %d values, want %d", domain.ErrInvalidInput, item, len(v.Values), domain.EmbeddingDim)
	}
	pv := pgvector.NewVector(v.Values)
	return &pv, nil
}

func domainVector(v *pgvector.Vector, model string) domain.Vector {
	if v == nil {
		return domain.Vector{Model: model}
	}
	return domain.Vector{Values: v.Slice(), Model: model}
}
