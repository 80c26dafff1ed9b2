// Package auth mints and verifies the service's JWT bearer tokens (HS256 with
// a key id, so keys rotate) and carries the caller's user id in a context.
package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Issuer is the `iss` claim of every token; Verify refuses others.
const Issuer = "workspace-orchestrator"

// MinSecretLen is the shortest HS256 secret accepted: RFC 7518 §3.2 asks for
// a key at least as long as the hash output.
const MinSecretLen = 32

// MaxTokenLifetime bounds a token's lifetime (exp - iat): Mint refuses a
// longer ttl and Verify refuses a token that claims one, so a leaked token
// cannot be good for years even when signed with a real key.
const MaxTokenLifetime = 30 * 24 * time.Hour

// clockSkew is how far in the future a token's iat may be: servers'
// clocks differ by a little, not by minutes.
const clockSkew = time.Minute

// Claims is what a verified token says.
type Claims struct {
	UserID    uuid.UUID
	Email     string
	IssuedAt  time.Time
	ExpiresAt time.Time
}

type tokenClaims struct {
	Email string `json:"email"`
	jwt.RegisteredClaims
}

// Keyset holds the HS256 keys by key id. The first key signs; every key
// verifies, so a new key can be put first while tokens signed with the old
// one stay valid until it is removed.
type Keyset struct {
	signKID string
	keys    map[string][]byte
	clock   domain.Clock
}

// ParseKeyset reads "kid1:secret1,kid2:secret2" (the first key signs). Key
// ids must be unique and non-empty; secrets at least MinSecretLen bytes.
func ParseKeyset(spec string, clock domain.Clock) (*Keyset, error) {
	ks := &Keyset{keys: map[string][]byte{}, clock: clock}
	for i, entry := range strings.Split(spec, ",") {
		kid, secret, ok := strings.Cut(strings.TrimSpace(entry), ":")
		switch {
		case !ok || kid == "":
			return nil, fmt.Errorf("key %d: want kid:secret: %w", i+1, domain.ErrInvalidInput)
		case len(secret) < MinSecretLen:
			return nil, fmt.Errorf("key %q: secret has %d bytes, want at least %d: %w", kid, len(secret), MinSecretLen, domain.ErrInvalidInput)
		case ks.keys[kid] != nil:
			return nil, fmt.Errorf("key %q: duplicate key id: %w", kid, domain.ErrInvalidInput)
		}
		if i == 0 {
			ks.signKID = kid
		}
		ks.keys[kid] = []byte(secret)
	}
	return ks, nil
}

// Mint signs a token for the user that expires after ttl (at most
// MaxTokenLifetime).
func (k *Keyset) Mint(userID uuid.UUID, email string, ttl time.Duration) (string, error) {
	if ttl <= 0 || ttl > MaxTokenLifetime {
		return "", fmt.Errorf("token lifetime %s, want more than 0 and at most %s: %w", ttl, MaxTokenLifetime, domain.ErrInvalidInput)
	}
	now := k.clock.Now()
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, tokenClaims{
		Email: email,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    Issuer,
			Subject:   userID.String(),
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
	})
	tok.Header["kid"] = k.signKID
	s, err := tok.SignedString(k.keys[k.signKID])
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return s, nil
}

// Verify checks the token's signature (with the key its `kid` names), issuer,
// expiry, that it was issued (iat, required) no later than now and that it
// lives at most MaxTokenLifetime. Every failure wraps
// domain.ErrUnauthenticated.
func (k *Keyset) Verify(token string) (Claims, error) {
	var tc tokenClaims
	_, err := jwt.ParseWithClaims(token, &tc, k.key,
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(Issuer),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(k.clock.Now),
	)
	if err != nil {
		return Claims{}, fmt.Errorf("verify token: %w: %w", err, domain.ErrUnauthenticated)
	}
	switch {
	case tc.IssuedAt == nil:
		return Claims{}, fmt.Errorf("verify token: no iat: %w", domain.ErrUnauthenticated)
	case tc.IssuedAt.After(k.clock.Now().Add(clockSkew)):
		return Claims{}, fmt.Errorf("verify token: issued in the future: %w", domain.ErrUnauthenticated)
	case tc.ExpiresAt.Sub(tc.IssuedAt.Time) > MaxTokenLifetime:
		return Claims{}, fmt.Errorf("verify token: lives longer than %s: %w", MaxTokenLifetime, domain.ErrUnauthenticated)
	}
	id, err := uuid.Parse(tc.Subject)
	if err != nil {
		return Claims{}, fmt.Errorf("verify token: subject is not a user id: %w", domain.ErrUnauthenticated)
	}
	return Claims{UserID: id, Email: tc.Email, IssuedAt: tc.IssuedAt.Time, ExpiresAt: tc.ExpiresAt.Time}, nil
}

// VerifyBearer verifies an Authorization value of the form "Bearer <token>".
// ok is false when the value is empty (an anonymous caller, not an error).
func (k *Keyset) VerifyBearer(authorization string) (c Claims, ok bool, err error) {
	if strings.TrimSpace(authorization) == "" {
		return Claims{}, false, nil
	}
	scheme, token, found := strings.Cut(strings.TrimSpace(authorization), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return Claims{}, false, fmt.Errorf("authorization is not \"Bearer <token>\": %w", domain.ErrUnauthenticated)
	}
	c, err = k.Verify(strings.TrimSpace(token))
	return c, err == nil, err
}

// key finds the key a token's `kid` names.
func (k *Keyset) key(t *jwt.Token) (any, error) {
	kid, _ := t.Header["kid"].(string)
	key, ok := k.keys[kid]
	if !ok {
		return nil, fmt.Errorf("unknown key id %q", kid)
	}
	return key, nil
}

type userIDKey struct{}

type claimsKey struct{}

// WithUserID returns ctx carrying the authenticated caller's id.
func WithUserID(ctx context.Context, id uuid.UUID) context.Context {
	return context.WithValue(ctx, userIDKey{}, id)
}

// WithClaims returns ctx carrying a verified token's claims and its user id,
// so a long-lived connection opened with it can end when it expires.
func WithClaims(ctx context.Context, c Claims) context.Context {
	return context.WithValue(WithUserID(ctx, c.UserID), claimsKey{}, c)
}

// ClaimsFrom returns the claims WithClaims stored, if any.
func ClaimsFrom(ctx context.Context) (Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(Claims)
	return c, ok
}

// UserID returns the authenticated caller's id, if any.
func UserID(ctx context.Context) (uuid.UUID, bool) {
	id, ok := ctx.Value(userIDKey{}).(uuid.UUID)
	return id, ok
}

// RequireUserID returns the caller's id or an error wrapping
// domain.ErrUnauthenticated.
func RequireUserID(ctx context.Context) (uuid.UUID, error) {
	id, ok := UserID(ctx)
	if !ok {
		return uuid.Nil, fmt.Errorf("no bearer token: %w", domain.ErrUnauthenticated)
	}
	return id, nil
}

// stateAudience marks the tokens that carry a sign-in's OAuth state. Access
// tokens have no audience and state tokens no subject, so neither passes
// for the other.
const stateAudience = "oauth-state"

// loginState is what the browser keeps, signed, between the redirect to
// Google and the callback.
type loginState struct {
	State    string `json:"st"`
	Verifier string `json:"cv"` // the PKCE code verifier
	ReturnTo string `json:"rt,omitempty"`
	Native   bool   `json:"nat,omitempty"`
	jwt.RegisteredClaims
}

func (k *Keyset) mintState(s loginState, ttl time.Duration) (string, error) {
	now := k.clock.Now()
	s.RegisteredClaims = jwt.RegisteredClaims{
		Issuer: Issuer, Audience: jwt.ClaimStrings{stateAudience},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, s)
	tok.Header["kid"] = k.signKID
	return tok.SignedString(k.keys[k.signKID])
}

func (k *Keyset) verifyState(token string) (loginState, error) {
	var s loginState
	_, err := jwt.ParseWithClaims(token, &s, k.key,
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(stateAudience),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(k.clock.Now),
	)
	if err != nil {
		return loginState{}, fmt.Errorf("sign-in state: %w: %w", err, domain.ErrUnauthenticated)
	}
	return s, nil
}
