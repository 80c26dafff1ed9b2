package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
	"github.com/workspace-orchestrator/orchestrator/domain/plan"
)

func classifyCmd(c *cli) *cobra.Command {
	var (
		email  string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   `classify [--user EMAIL] [--json] "query"`,
		Short: "Print the intent and plan of a query without running it",
		Long: "Classifies the query as an ask would (the configured LLM, or the offline parser) and prints\n" +
			"the services, steps with their dependencies, entities, confidence and any clarifying question.\n" +
			"With --user, people are resolved against that user's own mail and events.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withStack(cmd.Context(), func(ctx context.Context, a *app, st *stack) error {
				userID, err := a.userID(ctx, email, false)
				if err != nil {
					return err
				}
				in, p, err := st.orch.Classify(ctx, userID, uuid.Nil, args[0])
				if err != nil {
					return err
				}
				if asJSON {
					return printClassifyJSON(c.stdout, in, p)
				}
				printClassify(c.stdout, in, p)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&email, "user", "", "resolve people against this user's workspace")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

func printClassifyJSON(w io.Writer, in intent.Intent, p plan.Plan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		intent.Intent
		Groups [][]string `json:"groups"`
	}{in, p.Groups})
}

func printClassify(w io.Writer, in intent.Intent, p plan.Plan) {
	switch {
	case in.Unsupported != "":
		fmt.Fprintf(w, "no steps: %s\n", in.Unsupported)
	case in.Clarification != "":
		fmt.Fprintf(w, "clarification: %s\n", in.Clarification)
	}
	for _, d := range in.Declined {
		fmt.Fprintf(w, "declined: %q (outside mail, calendar and files)\n", d)
	}
	fmt.Fprintf(w, "confidence: %.2f\n", in.Confidence)
	for i, g := range p.Groups {
		fmt.Fprintf(w, "group %d (concurrent):\n", i+1)
		for _, id := range g {
			s, _ := p.Step(id)
			params, _ := json.Marshal(s.Params)
			dep := ""
			if len(s.DependsOn) > 0 {
				dep = " after " + strings.Join(s.DependsOn, ", ")
			}
			side := ""
			if s.SideEffect {
				side = " [side effect: proposed, runs only when confirmed]"
			}
			fmt.Fprintf(w, "  %s %s.%s%s %s%s\n", s.ID, s.Service, s.Operation, dep, params, side)
		}
	}
}

func askCmd(c *cli) *cobra.Command {
	var (
		email string
		conv  string
	)
	cmd := &cobra.Command{
		Use:   `ask --user EMAIL [--conversation ID] "query"`,
		Short: "Ask as the user and print the answer as it streams",
		Long: "Runs the whole pipeline (classify, plan, execute, synthesize) on the user's synced workspace\n" +
			"and prints the streamed answer, each step's outcome and the actions awaiting confirmation.\n" +
			"Nothing with a side effect runs: confirm proposed actions through GraphQL (confirmAction).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			convID := uuid.Nil
			if conv != "" {
				var err error
				if convID, err = uuid.Parse(conv); err != nil {
					return fmt.Errorf("--conversation: %q is not a conversation id", conv)
				}
			}
			return c.withStack(cmd.Context(), func(ctx context.Context, a *app, st *stack) error {
				userID, err := a.userID(ctx, email, true)
				if err != nil {
					return err
				}
				msg, err := st.orch.Ask(ctx, orchestrator.AskInput{UserID: userID, ConversationID: convID, Query: args[0]})
				if err != nil {
					return err
				}
				return followAnswer(ctx, c.stdout, st, msg)
			})
		},
	}
	cmd.Flags().StringVar(&email, "user", "", "the user's email address (required)")
	cmd.Flags().StringVar(&conv, "conversation", "", "continue this conversation (id printed by an earlier ask)")
	_ = cmd.MarkFlagRequired("user")
	return cmd
}

// followAnswer prints the message's events until DONE or ERROR.
func followAnswer(ctx context.Context, w io.Writer, st *stack, msg domain.Message) error {
	var failed error
	err := st.answers.Follow(ctx, msg.ID, func(ev orchestrator.Event) bool {
		switch ev.Type {
		case orchestrator.EventStatus:
			if ev.Status == orchestrator.StatusStepFinished || ev.Status == orchestrator.StatusStepStarted {
				return true
			}
			fmt.Fprintf(w, "· %s\n", orDash(ev.Detail, ev.Status))
		case orchestrator.EventStepResult:
			if r := ev.Step; r != nil {
				line := fmt.Sprintf("· step %s %s.%s: %s, %d items", r.StepID, r.Service, r.Operation, r.Status, len(r.Output.Items))
				if r.Error != "" {
					line += " (" + r.Error + ")"
				}
				fmt.Fprintln(w, line)
			}
		case orchestrator.EventToken:
			fmt.Fprint(w, ev.Token)
		case orchestrator.EventActionProposed:
			if ev.Action != nil {
				fmt.Fprintf(w, "\n· proposed action %s: %s (awaiting confirmation)\n", ev.Action.ID, ev.Action.Summary)
			}
		case orchestrator.EventDone:
			fmt.Fprintf(w, "\n\nmessage %s in conversation %s\n", msg.ID, msg.ConversationID)
		case orchestrator.EventError:
			failed = fmt.Errorf("ask failed: %s", ev.Error)
		}
		return true
	})
	if failed != nil {
		return failed
	}
	return err
}

func orDash(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// withStack runs fn on the wired application without workers, for the
// one-shot commands (classify, ask, eval), and shuts it down after.
func (c *cli) withStack(ctx context.Context, fn func(ctx context.Context, a *app, st *stack) error) error {
	a, err := c.openApp(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	st, err := a.buildStack(ctx, false)
	if err != nil {
		return err
	}
	defer closeWithin(a, "asks", st.orch.Close)
	return fn(ctx, a, st)
}

// userID finds the user by email; "" is no user unless required.
func (a *app) userID(ctx context.Context, email string, required bool) (uuid.UUID, error) {
	if email == "" {
		if required {
			return uuid.Nil, fmt.Errorf("--user: required")
		}
		return uuid.Nil, nil
	}
	u, err := a.store.UserByEmail(ctx, email)
	if err != nil {
		return uuid.Nil, fmt.Errorf("--user %s: %w", email, err)
	}
	return u.ID, nil
}
