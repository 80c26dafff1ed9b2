package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/workspace-orchestrator/orchestrator/adapter/jobqueue"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

// syncCmd connects a user's Google account when it is not yet (through the
// emulator's consent screen: GOOGLE_URL, or the built-in emulator) and
// queues a sync of every service, as syncNow does for a signed-in user.
func syncCmd(c *cli) *cobra.Command {
	var email string
	cmd := &cobra.Command{
		Use:   "sync --user EMAIL",
		Short: "Connect the user's Google account if needed and queue a sync of every service; a worker runs them",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			email, err := emailFlag("--user", email)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			a, err := c.openApp(ctx)
			if err != nil {
				return err
			}
			defer a.Close()
			u, err := a.connectGoogle(ctx, email)
			if err != nil {
				return err
			}
			q, err := jobqueue.New(a.db.SQL, jobqueue.Config{Logger: a.log})
			if err != nil {
				return err
			}
			w := &syncWait{q: q, a: a, user: u, out: c.stdout, opts: importOptions{User: email, NoWait: true}}
			for _, s := range domain.Services {
				if err := w.enqueue(ctx, s); err != nil {
					return err
				}
			}
			fmt.Fprintf(c.stdout, "queued %s sync of %s\n", joinServices(domain.Services), u.Email)
			return nil
		},
	}
	cmd.Flags().StringVar(&email, "user", "", "the user's email address (required)")
	_ = cmd.MarkFlagRequired("user")
	return cmd
}
