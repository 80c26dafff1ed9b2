package embed_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/embed"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

func sparseDot(a, b domain.Sparse) float64 {
	var s float64
	for i, x := range a.Indices {
		if j, ok := slices.BinarySearch(b.Indices, x); ok {
			s += float64(a.Values[i]) * float64(b.Values[j])
		}
	}
	return s
}

func TestPassagesSplitTextsAndRepeatTheTitle(t *testing.T) {
	t.Parallel()
	o := newOffline(t)
	body := strings.Repeat("alpha beta gamma delta ", 2*embed.PassageWords/4) + "pension fund"
	ps := o.Passages([]string{"Pension Plan\n" + body, "", "  ", "Zürich ÉTÉ"})
	require.Len(t, ps, 4)
	require.Len(t, ps[0], 3, "2 title words and 2*PassageWords+2 body words in passages of PassageWords")
	require.Nil(t, ps[1], "no words, no passages")
	require.Nil(t, ps[2])
	require.Len(t, ps[3], 1)
	for _, p := range ps[0] {
		require.True(t, slices.IsSorted(p.Indices))
		require.Len(t, p.Values, len(p.Indices))
		for _, x := range p.Indices {
			require.GreaterOrEqual(t, x, int32(0))
			require.Less(t, x, int32(domain.PassageDim))
		}
		require.InDelta(t, 1, math.Sqrt(sparseDot(p, p)), 1e-5)
	}

	q := o.QueryWords("the PENSION plan")
	require.Len(t, q.Indices, 3)
	require.Equal(t, []float32{1, 1, 1}, q.Values, "weights before rarity: 1+ln(1)")
	last := ps[0][2]
	require.Greater(t, sparseDot(q, last), sparseDot(q, ps[0][1]),
		"the last passage holds the title and 'pension': it matches best")
	require.Greater(t, sparseDot(q, ps[0][1]), 0.0, "every passage holds the title's words")

	again := newOffline(t).Passages([]string{"Pension Plan\n" + body})
	require.Equal(t, ps[0], again[0], "deterministic")
	twice := o.QueryWords("plan plan")
	require.Len(t, twice.Indices, 1)
	require.InDelta(t, 1+math.Ln2, twice.Values[0], 1e-6)
}

func TestPassagesLimitLongTexts(t *testing.T) {
	t.Parallel()
	ps := newOffline(t).Passages([]string{strings.Repeat("word ", embed.PassageWords*(embed.MaxPassages+10))})
	require.Len(t, ps[0], embed.MaxPassages)
}

// BenchmarkPassagesMail2KB is the passage side of embedding one mail (sync
// runs it beside Embed for every item).
func BenchmarkPassagesMail2KB(b *testing.B) {
	benchMail2KB(b, func(o *embed.Offline, text []string) { o.Passages(text) })
}
