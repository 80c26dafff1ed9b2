package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/workspace-orchestrator/orchestrator/cmd/orchestrator/askeval"
)

func evalAskCmd(c *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "eval-ask --cases FILE.jsonl [--url URL] [--email ADDR] [--json OUT.json] [--only ID]... [--validate]",
		Short: "Run judged ask cases against a running server and print pass rates per category",
		Long: "Asks each case's turns (the ask mutation, then polling the Message) on a running server as the\n" +
			"user, checks every expectation and prints a FAIL line per failing case with its reasons, the pass\n" +
			"rate per category and \"ask golden: P/N passed\". Nothing is ever confirmed. --validate asks\n" +
			"nothing: it checks that the cases' matchers and oracles find items in the workspace. The case\n" +
			"format is demo/data/eval/ASK-EVAL.md; --url defaults to http://HTTP_ADDR, --email to DEMO_USER.",
		Example:            "  orchestrator eval-ask --cases demo/data/eval/ask-dev.jsonl\n  orchestrator eval-ask --cases demo/data/eval/ask-own.jsonl --only own-cal-03 --json /tmp/out.json",
		DisableFlagParsing: true, // askeval parses its own flags and names the bad one
		RunE: func(cmd *cobra.Command, args []string) error {
			if wantsHelp(args) {
				return cmd.Help()
			}
			cfg, err := c.config()
			if err != nil {
				return err
			}
			email := cfg.DemoUser
			if email == "" || strings.EqualFold(email, "none") {
				email = "demo@example.com"
			}
			o, err := askeval.ParseArgs(args, "http://"+cfg.HTTPAddr, email)
			if err != nil {
				return err
			}
			a, err := c.openApp(cmd.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			return askeval.Run(cmd.Context(), o, askeval.Deps{
				Token: func(ctx context.Context, email string) (string, error) { return a.mintToken(ctx, email) },
				Now:   a.clock.Now,
			}, c.stdout)
		},
	}
}
