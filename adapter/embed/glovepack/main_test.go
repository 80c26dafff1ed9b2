package main

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTokenLike(t *testing.T) {
	t.Parallel()
	for w, want := range map[string]bool{"budget": true, "q4": true, "zürich": true, "": false, ",": false, "e-mail": false, "Budget": false, "don't": false} {
		require.Equal(t, want, tokenLike(w), w)
	}
}

// After allButTheTop the vectors are centred and have no component left
// along the direction that dominated them.
func TestAllButTheTop(t *testing.T) {
	t.Parallel()
	var vecs [][]float64
	for i := range 200 {
		x := float64(i%17) - 8
		// A strong shared direction (1,1,0) plus small independent parts.
		vecs = append(vecs, []float64{5 + 3*x + math.Sin(float64(i)), 5 + 3*x + math.Cos(float64(i)), math.Sin(float64(3 * i))})
	}
	allButTheTop(vecs, 1)
	var mean [3]float64
	var along float64
	for _, v := range vecs {
		for j, x := range v {
			mean[j] += x / float64(len(vecs))
		}
		along += math.Abs(v[0]+v[1]) / math.Sqrt2
	}
	for _, m := range mean {
		require.InDelta(t, 0, m, 1e-9)
	}
	require.Less(t, along/float64(len(vecs)), 1.0, "the dominant (1,1,0) spread of ±24 is gone")
}
