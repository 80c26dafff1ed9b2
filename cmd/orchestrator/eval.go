package main

import (
	"context"
	"slices"

	"github.com/spf13/cobra"

	"github.com/workspace-orchestrator/orchestrator/cmd/orchestrator/searcheval"
)

func evalCmd(c *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "eval --user EMAIL --queries FILE.jsonl [--duplicates FILE.json] [--methods hybrid,fulltext,vector,filtered] [--k 10] [--json]",
		Short: "Measure search quality (P@5, hit@5, MRR@10, nDCG@10) on judged queries",
		Long: "Runs each judged query through the search engine once per method (the hybrid and each leg\n" +
			"alone) for the user's synced workspace, and prints the metrics overall and per query type.\n" +
			"Input lines: {\"qid\", \"type\", \"query\", \"relevant\": [ids]}; ids are RFC 822 Message-IDs for mail.",
		DisableFlagParsing: true, // searcheval parses its own flags and names the bad line or flag
		RunE: func(cmd *cobra.Command, args []string) error {
			if wantsHelp(args) {
				return cmd.Help()
			}
			return c.withStack(cmd.Context(), func(ctx context.Context, a *app, st *stack) error {
				return searcheval.RunEval(ctx, args, c.stdout, searcheval.Deps{Users: a.store, Search: st.search})
			})
		},
	}
}

// wantsHelp says whether a command that parses its own flags was asked for
// its help.
func wantsHelp(args []string) bool {
	return slices.Contains(args, "--help") || slices.Contains(args, "-h")
}
