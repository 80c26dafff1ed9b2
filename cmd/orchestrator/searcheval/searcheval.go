// Package searcheval is the `orchestrator eval` command: it runs judged queries
// through the search engine, one method at a time, and prints P@5, hit@5,
// MRR@10 and nDCG@10 overall, per query type and (with --json) per query.
package searcheval

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/eval"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
)

// Searcher runs one search (search.Engine does).
type Searcher interface {
	Search(ctx context.Context, req search.Request) (search.Result, error)
}

// Users finds the user the queries are run for.
type Users interface {
	UserByEmail(ctx context.Context, email string) (domain.User, error)
}

// Deps are what RunEval needs; Open defaults to os.Open.
type Deps struct {
	Users  Users
	Search Searcher
	Open   func(name string) (io.ReadCloser, error)
}

// methods maps a method name to the legs it runs; the hybrid runs all.
var methods = map[string][]search.Leg{
	"hybrid":   nil,
	"fulltext": {search.LegFullText},
	"vector":   {search.LegVector},
	"filtered": {search.LegFiltered},
}

const usage = "orchestrator eval --user EMAIL --queries FILE.jsonl [--duplicates FILE.json] [--methods hybrid,fulltext,vector,filtered] [--k 10] [--json]"

// Report is the --json output.
type Report struct {
	Methods map[string]eval.Summary `json:"methods"`
	Queries []eval.QueryResult      `json:"queries"`
}

// RunEval runs `orchestrator eval` with args (without the subcommand name).
func RunEval(ctx context.Context, args []string, stdout io.Writer, d Deps) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	user := fs.String("user", "", "email of the user whose workspace is searched")
	queries := fs.String("queries", "", "JSON lines of judged queries")
	dupFile := fs.String("duplicates", "", "JSON object mapping a Message-ID to its canonical one")
	methodList := fs.String("methods", "hybrid,fulltext,vector,filtered", "comma-separated methods")
	k := fs.Int("k", 10, "results per query; MRR and nDCG are cut here")
	asJSON := fs.Bool("json", false, "print one JSON object with per-query results")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("eval: %v (usage: %s): %w", err, usage, domain.ErrInvalidInput)
	}
	switch {
	case *user == "" || *queries == "":
		return fmt.Errorf("eval: --user and --queries are required (usage: %s): %w", usage, domain.ErrInvalidInput)
	case *k < 5:
		return fmt.Errorf("eval: --k must be at least 5, got %d: %w", *k, domain.ErrInvalidInput)
	case fs.NArg() > 0:
		return fmt.Errorf("eval: unexpected argument %q (usage: %s): %w", fs.Arg(0), usage, domain.ErrInvalidInput)
	}
	var names []string
	for _, m := range strings.Split(*methodList, ",") {
		m = strings.TrimSpace(m)
		if _, ok := methods[m]; !ok {
			return fmt.Errorf("eval: unknown method %q (want hybrid, fulltext, vector or filtered): %w", m, domain.ErrInvalidInput)
		}
		if !slices.Contains(names, m) {
			names = append(names, m)
		}
	}
	open := d.Open
	if open == nil {
		open = func(name string) (io.ReadCloser, error) { return os.Open(name) }
	}
	judgments, err := readWith(open, *queries, eval.ReadJudgments)
	if err != nil {
		return err
	}
	var dups eval.Duplicates
	if *dupFile != "" {
		if dups, err = readWith(open, *dupFile, eval.ReadDuplicates); err != nil {
			return err
		}
	}
	u, err := d.Users.UserByEmail(ctx, *user)
	if errors.Is(err, domain.ErrNotFound) {
		return fmt.Errorf("eval: unknown user %s: %w", *user, err)
	}
	if err != nil {
		return fmt.Errorf("eval: look up user %s: %w", *user, err)
	}
	loc, _ := domain.NewZones(nil, time.UTC).Of(u) // UTC when the user's zone is unknown

	var results []eval.QueryResult
	for _, m := range names {
		for _, j := range judgments {
			r, err := d.Search.Search(ctx, search.Request{UserID: u.ID, Query: j.Query, First: *k, Location: loc, Legs: methods[m]})
			if err != nil {
				return fmt.Errorf("eval: %s query %s (%q): %w", m, j.QID, j.Query, err)
			}
			ids := make([][]string, len(r.Hits))
			firsts := make([]string, len(r.Hits))
			for i, h := range r.Hits {
				ids[i] = h.MessageIDs
				if h.Service != domain.ServiceGmail || len(ids[i]) == 0 {
					ids[i] = []string{h.ExternalID}
				}
				firsts[i] = ids[i][0]
			}
			results = append(results, eval.QueryResult{QID: j.QID, Type: j.Type, Method: m, Results: firsts, Scores: eval.Score(j, ids, dups, *k)})
		}
	}
	sum := eval.Summarize(results)
	if *asJSON {
		rep := Report{Methods: sum, Queries: results}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return printTable(stdout, names, sum, *k)
}

func readWith[T any](open func(string) (io.ReadCloser, error), name string, read func(io.Reader, string) (T, error)) (T, error) {
	var zero T
	f, err := open(name)
	if err != nil {
		return zero, fmt.Errorf("eval: cannot read %s: %w", name, err)
	}
	defer f.Close()
	v, err := read(f, name)
	if err != nil {
		return zero, fmt.Errorf("eval: %w", err)
	}
	return v, nil
}

func printTable(w io.Writer, names []string, sum map[string]eval.Summary, k int) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "method\ttype\tqueries\tP@5\thit@5\tMRR@%d\tnDCG@%d\t\n", k, k)
	row := func(m, typ string, n int, s eval.Scores) {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t\n", m, typ, n, s.P5, s.Hit5, s.MRR, s.NDCG)
	}
	for _, m := range names {
		s := sum[m]
		row(m, "all", s.Queries, s.Scores)
		for _, t := range s.Types() {
			row(m, t, s.TypeQueries[t], s.ByType[t])
		}
	}
	return tw.Flush()
}
