package searcheval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/embed"
	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/storetest"
	"github.com/workspace-orchestrator/orchestrator/cmd/orchestrator/searcheval"
	"github.com/workspace-orchestrator/orchestrator/demo"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/eval"
)

// loadedDemo is a store holding the demo user. SEARCH_EVAL_URL names a
// database (its search_path set to a schema of its own) kept between runs
// for tuning: loaded once, reused after.
func loadedDemo(t *testing.T, ctx context.Context, emb domain.Embedder) (*store.DB, *store.Store) {
	t.Helper()
	var db *store.DB
	if url := os.Getenv("SEARCH_EVAL_URL"); url != "" {
		var err error
		db, err = store.Open(ctx, store.Config{URL: url})
		require.NoError(t, err)
		t.Cleanup(db.Close)
		require.NoError(t, store.Migrate(ctx, db, slog.New(slog.DiscardHandler)))
	} else {
		db = storetest.New(t)
	}
	st := newStore(t, db)
	if _, err := st.UserByEmail(ctx, "demo@example.com"); err == nil {
		return db, st
	}
	start := time.Now()
	u := loadInto(t, ctx, st, emb, "demo@example.com", loadDemo(t))
	t.Logf("loaded the demo workspace in %s", time.Since(start))
	// The judgments date mail by its Date header, US Pacific time.
	_, err := db.Pool.Exec(ctx, `UPDATE users SET time_zone = 'America/Los_Angeles' WHERE id = $1`, u.ID)
	require.NoError(t, err)
	_, err = db.Pool.Exec(ctx, `ANALYZE`)
	require.NoError(t, err)
	return db, st
}

// TestDemoEval loads the demo workspace (original dates) and runs every
// judged set through `orchestrator eval`, printing the tables. EVAL_JSON=dir
// also writes each set's --json report there.
func TestDemoEval(t *testing.T) {
	if testing.Short() {
		t.Skip("loads and embeds the whole demo workspace")
	}
	ctx := context.Background()
	emb, err := embed.NewOffline()
	require.NoError(t, err)
	db, st := loadedDemo(t, ctx, emb)
	deps := searcheval.Deps{Users: st, Search: newEngine(t, store.NewSearch(db), emb, demo.Now())}

	sets, err := filepath.Glob("../../../demo/data/eval/*.jsonl")
	require.NoError(t, err)
	for _, set := range sets {
		if strings.HasPrefix(filepath.Base(set), "ask-") {
			continue // judged asks (make eval-ask), not searches
		}
		args := []string{"--user", "demo@example.com", "--queries", set, "--duplicates", "../../../demo/data/eval/enron-lay-duplicates.json"}
		var out bytes.Buffer
		start := time.Now()
		require.NoError(t, searcheval.RunEval(ctx, args, &out, deps), set)
		t.Logf("%s (%s)\n%s", set, time.Since(start), out.String())
		out.Reset()
		require.NoError(t, searcheval.RunEval(ctx, append(args, "--json"), &out, deps))
		if dir := os.Getenv("EVAL_JSON"); dir != "" {
			require.NoError(t, os.WriteFile(filepath.Join(dir, filepath.Base(set)+".json"), out.Bytes(), 0o644))
		}
		var rep searcheval.Report
		require.NoError(t, json.Unmarshal(out.Bytes(), &rep))
		if strings.HasSuffix(filepath.Base(set), "-heldout.jsonl") {
			reportHeldOut(t, filepath.Base(set), rep.Methods)
			continue
		}
		requireTargets(t, filepath.Base(set), rep.Methods)
	}
}

// requireTargets holds the quality targets on the judged sets: the hybrid
// is never below any single method on any metric; sender+month P@5 >= 0.95;
// thread hit@5 >= 0.95; the natural set's MRR@10 >= 0.87. The fusion
// (search.OfflineProfile) was chosen on the thread set and both natural sets
// together, from a region of settings that all meet the first, so that a
// change breaking it is caught here rather than tuned around.
func requireTargets(t *testing.T, set string, m map[string]eval.Summary) {
	t.Helper()
	h := m["hybrid"]
	for _, single := range []string{"fulltext", "vector", "filtered"} {
		s := m[single]
		for _, c := range []struct {
			metric      string
			hybrid, leg float64
		}{{"P@5", h.P5, s.P5}, {"hit@5", h.Hit5, s.Hit5}, {"MRR@10", h.MRR, s.MRR}, {"nDCG@10", h.NDCG, s.NDCG}} {
			require.GreaterOrEqual(t, c.hybrid+1e-9, c.leg, "%s: hybrid %s below %s", set, c.metric, single)
		}
	}
	switch set {
	case "enron-lay-sender-month.jsonl":
		require.GreaterOrEqual(t, h.P5, 0.95, "sender+month P@5")
	case "enron-lay-subject-thread.jsonl":
		require.GreaterOrEqual(t, h.Hit5, 0.95, "thread hit@5")
	case "natural.jsonl":
		require.GreaterOrEqual(t, h.MRR, 0.87, "natural MRR@10")
	}
}

// reportHeldOut logs issue 11's held-out check (hybrid MRR@10 >= full text
// + 0.01, hybrid P@5 >= 0.8) without failing: a held-out set is a check on
// whether tuning generalises, never a target to tune against, so missing it
// must not stop the other sets from being measured.
func reportHeldOut(t *testing.T, set string, m map[string]eval.Summary) {
	t.Helper()
	h, ft := m["hybrid"], m["fulltext"]
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT met"
	}
	t.Logf("%s (held out, reported only): hybrid MRR@10 %.3f vs fulltext %.3f + 0.01: %s; hybrid P@5 %.3f >= 0.8: %s",
		set, h.MRR, ft.MRR, verdict(h.MRR >= ft.MRR+0.01), h.P5, verdict(h.P5 >= 0.8))
}
