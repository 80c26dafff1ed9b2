package eval_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/eval"
)

func TestScore(t *testing.T) {
	t.Parallel()
	j := eval.Judgment{QID: "q", Type: "t", Query: "x", Relevant: []string{"<a>", "<b>", "<c>"}}
	dups := eval.Duplicates{"<a2>": "<a>"}

	// a merged mail carrying a duplicate's id counts; the same answer twice counts once
	s := eval.Score(j, [][]string{{"<z>"}, {"<y>", "<a2>"}, {"<a>"}, {"<c>"}}, dups, 10)
	require.InDelta(t, 2.0/3, s.P5, 1e-9)
	require.Equal(t, 1.0, s.Hit5)
	require.Equal(t, 0.5, s.MRR)
	require.InDelta(t, (1/1.5849625+1/2.3219281)/(1+1/1.5849625+0.5), s.NDCG, 1e-6)

	require.Equal(t, eval.Scores{}, eval.Score(j, nil, dups, 10))

	perfect := eval.Score(j, [][]string{{"<a>"}, {"<b>"}, {"<c>"}}, nil, 10)
	require.Equal(t, eval.Scores{P5: 1, Hit5: 1, MRR: 1, NDCG: 1}, perfect)

	// beyond k nothing counts
	require.Equal(t, eval.Scores{}, eval.Score(j, [][]string{{"<z>"}, {"<a>"}}, nil, 1))
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	sum := eval.Summarize([]eval.QueryResult{
		{QID: "1", Type: "a", Method: "hybrid", Scores: eval.Scores{P5: 1, Hit5: 1, MRR: 1, NDCG: 1}},
		{QID: "2", Type: "b", Method: "hybrid"},
	})
	require.Equal(t, 0.5, sum["hybrid"].P5)
	require.Equal(t, 2, sum["hybrid"].Queries)
	require.Equal(t, 1.0, sum["hybrid"].ByType["a"].MRR)
	require.Equal(t, []string{"a", "b"}, sum["hybrid"].Types())
}

func TestReadJudgmentsNamesTheLine(t *testing.T) {
	t.Parallel()
	good := `{"qid": "a", "type": "x", "query": "q", "relevant": ["<1>"], "notes": "ignored"}`
	js, err := eval.ReadJudgments(strings.NewReader(good+"\n\n"), "f.jsonl")
	require.NoError(t, err)
	require.Len(t, js, 1)

	for in, want := range map[string]string{
		good + "\n{oops":                    "f.jsonl:2: not a judgment object",
		`{"qid": "a", "query": "q"}`:        "f.jsonl:1: query a judges nothing relevant",
		`{"query": "q", "relevant": ["x"]}`: "f.jsonl:1: missing qid",
		good + "\n" + good:                  "f.jsonl:2: qid a already on line 1",
		`{"qid": "a", "relevant": ["x"]}`:   "f.jsonl:1: query a has no query text",
		"":                                  "f.jsonl: no queries",
	} {
		_, err := eval.ReadJudgments(strings.NewReader(in), "f.jsonl")
		require.ErrorIs(t, err, domain.ErrInvalidInput, in)
		require.ErrorContains(t, err, want)
	}
}
