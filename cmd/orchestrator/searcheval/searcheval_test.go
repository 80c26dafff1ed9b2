package searcheval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/cmd/orchestrator/searcheval"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
)

type users map[string]domain.User

func (u users) UserByEmail(_ context.Context, email string) (domain.User, error) {
	if x, ok := u[email]; ok {
		return x, nil
	}
	return domain.User{}, fmt.Errorf("user %s: %w", email, domain.ErrNotFound)
}

// answers is a Searcher that knows the answer to "budget" only.
type answers struct{}

func (answers) Search(_ context.Context, req search.Request) (search.Result, error) {
	if req.Query != "budget" {
		return search.Result{}, nil
	}
	hit := func(ids ...string) search.Hit {
		return search.Hit{Item: search.Item{Service: domain.ServiceGmail, MessageIDs: ids}}
	}
	hits := []search.Hit{hit("<x>"), hit("<b-copy>", "<other>")}
	if len(req.Legs) == 0 { // the hybrid finds it first
		hits = hits[1:]
	}
	return search.Result{Hits: hits}, nil
}

func files(m map[string]string) func(string) (io.ReadCloser, error) {
	return func(name string) (io.ReadCloser, error) {
		s, ok := m[name]
		if !ok {
			return nil, fmt.Errorf("open %s: no such file", name)
		}
		return io.NopCloser(strings.NewReader(s)), nil
	}
}

func setup(t *testing.T) searcheval.Deps {
	t.Helper()
	return searcheval.Deps{
		Users:  users{"demo@example.com": {ID: uuid.New(), Email: "demo@example.com", TimeZone: "America/Los_Angeles"}},
		Search: answers{},
		Open: files(map[string]string{
			"q.jsonl":   `{"qid": "q1", "type": "topic", "query": "budget", "relevant": ["<b>"]}` + "\n" + `{"qid": "q2", "type": "topic", "query": "nothing", "relevant": ["<c>"]}`,
			"dups.json": `{"<b-copy>": "<b>"}`,
			"bad.jsonl": `{"qid": "q1", "query": "budget", "relevant": ["<b>"]}` + "\n" + `not json`,
		}),
	}
}

func TestRunEvalJSON(t *testing.T) {
	t.Parallel()
	d := setup(t)
	var out bytes.Buffer
	err := searcheval.RunEval(context.Background(), []string{"--user", "demo@example.com", "--queries", "q.jsonl", "--duplicates", "dups.json", "--methods", "hybrid,fulltext", "--json"}, &out, d)
	require.NoError(t, err)
	var rep struct {
		Methods map[string]map[string]any `json:"methods"`
		Queries []map[string]any          `json:"queries"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep))
	require.Equal(t, 0.5, rep.Methods["hybrid"]["mrr@10"])
	require.Equal(t, 0.25, rep.Methods["fulltext"]["mrr@10"])
	require.Equal(t, 0.5, rep.Methods["hybrid"]["by_type"].(map[string]any)["topic"].(map[string]any)["hit@5"])
	require.Len(t, rep.Queries, 4)
	require.Equal(t, []any{"<b-copy>"}, rep.Queries[0]["results"])
	require.Equal(t, 0.0, rep.Queries[1]["p@5"], "a query with no results scores zero")
}

func TestRunEvalTable(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, searcheval.RunEval(context.Background(), []string{"--user", "demo@example.com", "--queries", "q.jsonl"}, &out, setup(t)))
	require.Contains(t, out.String(), "MRR@10")
	require.Regexp(t, `hybrid\s+all\s+2\s+0\.000\s+0\.000\s+0\.000`, out.String(), "without the duplicates map a copy does not count")
}

func TestRunEvalErrors(t *testing.T) {
	t.Parallel()
	d := setup(t)
	for args, want := range map[string]string{
		"--user nobody@example.com --queries q.jsonl":              "unknown user nobody@example.com",
		"--user demo@example.com --queries bad.jsonl":              "bad.jsonl:2: not a judgment object",
		"--user demo@example.com --queries none.jsonl":             "cannot read none.jsonl",
		"--user demo@example.com --queries q.jsonl --methods bm25": `unknown method "bm25"`,
		"--queries q.jsonl": "--user and --queries are required",
	} {
		err := searcheval.RunEval(context.Background(), strings.Fields(args), io.Discard, d)
		require.ErrorContains(t, err, want, args)
	}
}
