package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/workspace-orchestrator/orchestrator/domain/nlu"
)

// trainNLUCmd retrains the offline understanding from its template corpus.
func trainNLUCmd(c *cli) *cobra.Command {
	var (
		corpus, out string
		cfg         nlu.TrainConfig
		compare     bool
	)
	cmd := &cobra.Command{
		Use:   "train-nlu [--corpus FILE] [--out FILE] [--family perceptron|logistic] [--compare]",
		Short: "Retrain the offline intent classifier and slot tagger from the template corpus; prints held-out accuracy",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			text, err := os.ReadFile(corpus)
			if err != nil {
				return fmt.Errorf("--corpus: %w", err)
			}
			cp, err := nlu.ParseCorpus(string(text))
			if err != nil {
				return fmt.Errorf("--corpus %s: %w", corpus, err)
			}
			if compare {
				for _, fam := range []string{"perceptron", "logistic"} {
					f := cfg
					f.Family = fam
					_, rep, err := nlu.Train(cp, f, true)
					if err != nil {
						return err
					}
					fmt.Fprintf(c.stdout, "%s: %s\n", fam, rep)
				}
				return nil
			}
			m, rep, err := nlu.Train(cp, cfg, true)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "%s: %s\n", cfg.Family, rep)
			var b bytes.Buffer
			if err := m.Encode(&b); err != nil {
				return err
			}
			if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
				return fmt.Errorf("--out: %w", err)
			}
			fmt.Fprintf(c.stdout, "wrote %s (%d bytes)\n", out, b.Len())
			return nil
		},
	}
	cmd.Flags().StringVar(&corpus, "corpus", "domain/nlu/corpus.txt", "the template corpus")
	cmd.Flags().StringVar(&out, "out", "domain/nlu/model.gob.gz", "where the model is written")
	cmd.Flags().StringVar(&cfg.Family, "family", "perceptron", "intent classifier: perceptron (averaged) or logistic")
	cmd.Flags().IntVar(&cfg.PerTemplate, "per-template", 0, "sentences per template (default 60)")
	cmd.Flags().IntVar(&cfg.Epochs, "epochs", 0, "training epochs (default 15)")
	cmd.Flags().BoolVar(&compare, "compare", false, "measure each model family on held-out templates and write nothing")
	return cmd
}
