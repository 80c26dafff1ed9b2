package auth

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Session lifetimes.
const (
	// DefaultAccessTTL is how long an access token lasts: short, because it
	// cannot be revoked; the refresh token renews it.
	DefaultAccessTTL = 15 * time.Minute
	// DefaultRefreshTTL is how long an unused refresh token lasts.
	DefaultRefreshTTL = 30 * 24 * time.Hour
)

// SessionConfig tunes Sessions. Zero fields take their defaults.
type SessionConfig struct {
	// AccessTTL is the access token's lifetime. Defaults to DefaultAccessTTL.
	AccessTTL time.Duration
	// RefreshTTL is the refresh token's lifetime. Defaults to DefaultRefreshTTL.
	RefreshTTL time.Duration
}

// WithDefaults returns c with zero fields set to their defaults.
func (c SessionConfig) WithDefaults() SessionConfig {
	c.AccessTTL = cmp.Or(c.AccessTTL, DefaultAccessTTL)
	c.RefreshTTL = cmp.Or(c.RefreshTTL, DefaultRefreshTTL)
	return c
}

func (c SessionConfig) validate() error {
	switch {
	case c.AccessTTL < 0:
		return fmt.Errorf("auth: SessionConfig.AccessTTL is %s, want > 0", c.AccessTTL)
	case c.RefreshTTL < c.AccessTTL:
		return fmt.Errorf("auth: SessionConfig.RefreshTTL is %s, want at least AccessTTL (%s)", c.RefreshTTL, c.AccessTTL)
	}
	return nil
}

// Sessions signs people in: a short-lived access JWT plus a refresh token
// that is used once and replaced by the next (rotation); a spent token
// presented again revokes the whole session, since one of its holders is not
// its owner. Refresh tokens are stored only as SHA-256 hashes.
type Sessions struct {
	cfg   SessionConfig
	keys  *Keyset
	store domain.SessionStore
	clock domain.Clock
}

// NewSessions returns Sessions that sign with keys and keep refresh tokens in store.
func NewSessions(cfg SessionConfig, keys *Keyset, store domain.SessionStore, clock domain.Clock) (*Sessions, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if keys == nil || store == nil || clock == nil {
		return nil, errors.New("auth: NewSessions needs keys, a store and a clock")
	}
	return &Sessions{cfg: cfg, keys: keys, store: store, clock: clock}, nil
}

// Tokens are what a sign-in or a refresh hands the client.
type Tokens struct {
	AccessToken      string
	AccessExpiresAt  time.Time
	RefreshToken     string
	RefreshExpiresAt time.Time
}

// Start opens a new session (a new token family) for u.
func (s *Sessions) Start(ctx context.Context, u domain.User) (Tokens, error) {
	t, next := s.next()
	next.UserID, next.FamilyID = u.ID, uuid.New()
	if err := s.store.CreateSession(ctx, next); err != nil {
		return Tokens{}, fmt.Errorf("start session: %w", err)
	}
	return s.withAccess(t, u)
}

// Refresh spends refresh and returns the session's next tokens. An unknown,
// expired, revoked or reused token wraps domain.ErrUnauthenticated.
func (s *Sessions) Refresh(ctx context.Context, refresh string) (Tokens, error) {
	if refresh == "" {
		return Tokens{}, fmt.Errorf("refresh: no refresh token: %w", domain.ErrUnauthenticated)
	}
	t, next := s.next()
	u, err := s.store.RotateSession(ctx, hashToken(refresh), next)
	if err != nil {
		return Tokens{}, fmt.Errorf("refresh: %w", err)
	}
	return s.withAccess(t, u)
}

// End revokes the session refresh belongs to (sign-out).
func (s *Sessions) End(ctx context.Context, refresh string) error {
	if refresh == "" {
		return nil
	}
	if err := s.store.RevokeSession(ctx, hashToken(refresh)); err != nil {
		return fmt.Errorf("sign out: %w", err)
	}
	return nil
}

// EndAll revokes every session of the user (sign-out everywhere). Access
// tokens already issued lapse within AccessTTL.
func (s *Sessions) EndAll(ctx context.Context, userID uuid.UUID) error {
	if err := s.store.RevokeUserSessions(ctx, userID); err != nil {
		return fmt.Errorf("sign out everywhere: %w", err)
	}
	return nil
}

// next draws a new refresh token and the session row that stores its hash.
func (s *Sessions) next() (Tokens, domain.Session) {
	now := s.clock.Now()
	t := Tokens{RefreshToken: rand.Text() + rand.Text(), RefreshExpiresAt: now.Add(s.cfg.RefreshTTL)}
	return t, domain.Session{TokenHash: hashToken(t.RefreshToken), ExpiresAt: t.RefreshExpiresAt}
}

func (s *Sessions) withAccess(t Tokens, u domain.User) (Tokens, error) {
	access, err := s.keys.Mint(u.ID, u.Email, s.cfg.AccessTTL)
	if err != nil {
		return Tokens{}, err
	}
	t.AccessToken, t.AccessExpiresAt = access, s.clock.Now().Add(s.cfg.AccessTTL)
	return t, nil
}

// hashToken is how a refresh token is stored: it has 256 random bits, so a
// plain hash (no salt, no stretching) cannot be reversed.
func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
