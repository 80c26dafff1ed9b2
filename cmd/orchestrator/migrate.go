package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
)

func migrateCmd(c *cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:       "migrate up|down|status",
		Short:     "Apply, roll back or list the schema migrations (the application's and River's)",
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{"up", "down", "status"},
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := c.config()
			if err != nil {
				return err
			}
			db, err := store.Open(cmd.Context(), store.Config{URL: cfg.DatabaseURL, MaxConns: 2})
			if err != nil {
				return err
			}
			defer db.Close()
			switch args[0] {
			case "up":
				if err := store.Migrate(cmd.Context(), db, c.logger(cfg)); err != nil {
					return err
				}
				fmt.Fprintln(c.stdout, "migrations: up to date")
			case "down":
				if err := store.Rollback(cmd.Context(), db); err != nil {
					return err
				}
				fmt.Fprintln(c.stdout, "migrations: rolled back the last group")
			case "status":
				pending, err := store.MigrationStatus(cmd.Context(), db)
				if err != nil {
					return err
				}
				if len(pending) == 0 {
					fmt.Fprintln(c.stdout, "migrations: up to date")
					return nil
				}
				fmt.Fprintf(c.stdout, "migrations: %d pending\n  %s\n", len(pending), strings.Join(pending, "\n  "))
			default:
				return fmt.Errorf("migrate: unknown action %q, want up, down or status", args[0])
			}
			return nil
		},
	}
	return cmd
}
