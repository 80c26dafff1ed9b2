package store

import (
	"database/sql/driver"
	"fmt"
	"slices"
	"strconv"
	"strings"

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

func domainVector(v *pgvector.Vector, model string, ps *passages) domain.Vector {
	if v == nil {
		return domain.Vector{Model: model}
	}
	out := domain.Vector{Values: v.Slice(), Model: model}
	if ps != nil {
		out.Passages = ps.list
	}
	return out
}

// passages is the passages column (sparsevec[]): NULL when the embedder
// gave none. A struct, so that bun writes it through Value rather than as
// an array of its own.
type passages struct{ list []domain.Sparse }

// passagesOf is the passages column's value: NULL (nil) for none.
func passagesOf(ps []domain.Sparse) *passages {
	if ps == nil {
		return nil
	}
	return &passages{ps}
}

// passageWords are the distinct words of passages, numbered as sparsevec
// indices (from 1), ascending: the passage_words column; nil for none.
func passageWords(ps []domain.Sparse) []int32 {
	if ps == nil {
		return nil
	}
	var out []int32
	for _, p := range ps {
		for _, x := range p.Indices {
			out = append(out, x+1)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// intArray is the array literal of ws, "" for nil (NULL).
func intArray(ws []int32) string {
	if ws == nil {
		return ""
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(int(w)))
	}
	b.WriteByte('}')
	return b.String()
}

// Value writes the array literal: {"{i:v,...}/dim",...}, sparsevec indices
// counting from 1.
func (ps passages) Value() (driver.Value, error) {
	if ps.list == nil {
		return nil, nil
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, p := range ps.list {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"{`)
		for j, x := range p.Indices {
			if x < 0 || x >= domain.PassageDim || (j > 0 && x <= p.Indices[j-1]) {
				return nil, fmt.Errorf("%w: passage %d: index %d out of order or outside 0..%d", domain.ErrInvalidInput, i, x, domain.PassageDim-1)
			}
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(int(x) + 1))
			b.WriteByte(':')
			b.WriteString(strconv.FormatFloat(float64(p.Values[j]), 'g', -1, 32))
		}
		b.WriteString(`}/`)
		b.WriteString(strconv.Itoa(domain.PassageDim))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String(), nil
}

// Scan reads the array literal Value writes.
func (ps *passages) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
		*ps = passages{}
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("store: passages: cannot scan %T", src)
	}
	out := []domain.Sparse{}
	for _, el := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}"), `","`) {
		el = strings.Trim(el, `"`)
		if el == "" {
			continue
		}
		var sv pgvector.SparseVector
		if err := sv.Parse(el); err != nil {
			return fmt.Errorf("store: passages: %w", err)
		}
		out = append(out, domain.Sparse{Indices: sv.Indices(), Values: sv.Values()})
	}
	*ps = passages{out}
	return nil
}
