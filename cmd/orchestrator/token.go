package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/workspace-orchestrator/orchestrator/web/auth"
)

func tokenCmd(c *cli) *cobra.Command {
	var email string
	cmd := &cobra.Command{
		Use:   "token --email ADDR",
		Short: "Mint a JWT for local use (creates the user if missing); prints only the token",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			email, err := emailFlag("--email", email)
			if err != nil {
				return err
			}
			a, err := c.openApp(cmd.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			tok, err := a.mintToken(cmd.Context(), email)
			if err != nil {
				return err
			}
			fmt.Fprintln(c.stdout, tok)
			return nil
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "the user's email address (required)")
	_ = cmd.MarkFlagRequired("email")
	return cmd
}

// mintToken mints a JWT for email, creating the user if missing.
func (a *app) mintToken(ctx context.Context, email string) (string, error) {
	keys, err := auth.ParseKeyset(a.cfg.JWTKeys, a.clock)
	if err != nil {
		return "", fmt.Errorf("JWT_KEYS: %w", err)
	}
	u, err := a.store.UpsertUser(ctx, email)
	if err != nil {
		return "", err
	}
	return keys.Mint(u.ID, u.Email, a.cfg.JWTTTL)
}
