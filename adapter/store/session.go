package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

var _ domain.SessionStore = (*AccountStore)(nil)

type sessionRow struct {
	bun.BaseModel `bun:"table:sessions,alias:s"`

	ID        uuid.UUID  `bun:"id,pk,type:uuid"`
	UserID    uuid.UUID  `bun:"user_id,type:uuid"`
	FamilyID  uuid.UUID  `bun:"family_id,type:uuid"`
	TokenHash []byte     `bun:"token_hash"`
	ExpiresAt time.Time  `bun:"expires_at"`
	UsedAt    *time.Time `bun:"used_at"`
	RevokedAt *time.Time `bun:"revoked_at"`
	CreatedAt time.Time  `bun:"created_at"`
}

func (s *AccountStore) insertSession(ctx context.Context, in domain.Session) error {
	row := sessionRow{ID: uuid.Must(uuid.NewV7()), UserID: in.UserID, FamilyID: in.FamilyID,
		TokenHash: in.TokenHash, ExpiresAt: in.ExpiresAt.UTC(), CreatedAt: s.now()}
	_, err := s.idb(ctx).NewInsert().Model(&row).Exec(ctx)
	if err != nil {
		return userMissing(fmt.Errorf("store: create session of user %s: %w", in.UserID, err), in.UserID)
	}
	return nil
}

// CreateSession stores the first refresh token of a new session.
func (s *AccountStore) CreateSession(ctx context.Context, in domain.Session) error {
	return s.insertSession(ctx, in)
}

// RotateSession spends the token with hash old and stores next in its place.
// The row is locked, so of two concurrent rotations of one token exactly one
// succeeds and the other is taken for a reuse.
func (s *AccountStore) RotateSession(ctx context.Context, old []byte, next domain.Session) (domain.User, error) {
	var (
		u      domain.User
		reused bool
	)
	err := s.InTx(ctx, func(ctx context.Context) error {
		db := s.idb(ctx)
		var row sessionRow
		if err := db.NewSelect().Model(&row).Where("token_hash = ?", old).For("UPDATE").Scan(ctx); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("store: unknown refresh token: %w", domain.ErrUnauthenticated)
			}
			return fmt.Errorf("store: rotate session: %w", err)
		}
		now := s.now()
		switch {
		case row.RevokedAt != nil:
			return fmt.Errorf("store: refresh token revoked: %w", domain.ErrUnauthenticated)
		case row.UsedAt != nil:
			reused = true
			return s.revokeFamily(ctx, row.FamilyID)
		case !now.Before(row.ExpiresAt):
			return fmt.Errorf("store: refresh token expired: %w", domain.ErrUnauthenticated)
		}
		if _, err := db.NewUpdate().Model((*sessionRow)(nil)).Set("used_at = ?", now).Where("id = ?", row.ID).Exec(ctx); err != nil {
			return fmt.Errorf("store: rotate session: %w", err)
		}
		next.UserID, next.FamilyID = row.UserID, row.FamilyID
		if err := s.insertSession(ctx, next); err != nil {
			return err
		}
		var err error
		u, err = s.UserByID(ctx, row.UserID)
		return err
	})
	switch {
	case err != nil:
		return domain.User{}, err
	case reused: // the revocation above is committed; the caller is refused
		return domain.User{}, fmt.Errorf("store: %w", domain.ErrSessionReused)
	}
	return u, nil
}

func (s *AccountStore) revokeFamily(ctx context.Context, family uuid.UUID) error {
	_, err := s.idb(ctx).NewUpdate().Model((*sessionRow)(nil)).Set("revoked_at = ?", s.now()).
		Where("family_id = ? AND revoked_at IS NULL", family).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: revoke session family %s: %w", family, err)
	}
	return nil
}

// RevokeSession revokes the whole family of the token with this hash.
func (s *AccountStore) RevokeSession(ctx context.Context, tokenHash []byte) error {
	_, err := s.idb(ctx).NewUpdate().Model((*sessionRow)(nil)).Set("revoked_at = ?", s.now()).
		Where("revoked_at IS NULL AND family_id = (SELECT family_id FROM sessions WHERE token_hash = ?)", tokenHash).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: revoke session: %w", err)
	}
	return nil
}

// RevokeUserSessions revokes every session of the user.
func (s *AccountStore) RevokeUserSessions(ctx context.Context, userID uuid.UUID) error {
	_, err := s.idb(ctx).NewUpdate().Model((*sessionRow)(nil)).Set("revoked_at = ?", s.now()).
		Where("user_id = ? AND revoked_at IS NULL", userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: revoke sessions of user %s: %w", userID, err)
	}
	return nil
}
