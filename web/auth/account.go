package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// GoogleRevoker revokes a user's Google grant at Google
// (adapter/google/googleauth.Auth).
type GoogleRevoker interface {
	Revoke(ctx context.Context, userID uuid.UUID) error
}

// JobDeleter deletes every queued job of a user, in ctx's transaction
// (adapter/jobqueue.Queue).
type JobDeleter interface {
	DeleteUserJobs(ctx context.Context, userID uuid.UUID) error
}

// Accounts ends a user's sessions and deletes accounts; it serves the
// signOutEverywhere and deleteAccount mutations.
type Accounts struct {
	Sessions *Sessions
	Google   GoogleRevoker
	Users    domain.AccountDeleter
	Jobs     JobDeleter
	Tx       domain.TxRunner
}

// SignOutEverywhere revokes every session of the user.
func (a Accounts) SignOutEverywhere(ctx context.Context, userID uuid.UUID) error {
	return a.Sessions.EndAll(ctx, userID)
}

// DeleteAccount revokes the user's Google grant, then deletes their jobs and
// every row of theirs in one transaction. A grant Google cannot be reached
// to revoke fails the deletion (to be retried) rather than outlive it.
func (a Accounts) DeleteAccount(ctx context.Context, userID uuid.UUID) error {
	if err := a.Google.Revoke(ctx, userID); err != nil && !errors.Is(err, domain.ErrNotFound) {
		return fmt.Errorf("revoke google grant: %w", err)
	}
	return a.Tx.InTx(ctx, func(ctx context.Context) error {
		if err := a.Jobs.DeleteUserJobs(ctx, userID); err != nil {
			return err
		}
		return a.Users.DeleteUser(ctx, userID)
	})
}
