package googleauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

type transport struct {
	a      *Auth
	userID uuid.UUID
	base   http.RoundTripper

	mu  sync.Mutex
	tok *domain.GoogleToken // nil until first loaded
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	tok, err := t.token(ctx, false)
	if err != nil {
		return nil, err
	}
	resp, err := t.base.RoundTrip(authorised(req, tok.AccessToken))
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	// The access token was refused before its expiry (revoked, or the clock
	// is off): refresh and try once more, if the body can be sent again.
	if req.Body != nil && req.GetBody == nil {
		return resp, nil
	}
	resp.Body.Close()
	if tok, err = t.token(ctx, true); err != nil {
		return nil, err
	}
	retry := authorised(req, tok.AccessToken)
	if req.GetBody != nil {
		if retry.Body, err = req.GetBody(); err != nil {
			return nil, fmt.Errorf("replay request body: %w", err)
		}
	}
	resp, err = t.base.RoundTrip(retry)
	if err == nil && resp.StatusCode == http.StatusUnauthorized {
		// Not marked if a new grant replaced this one meanwhile: the next
		// request goes on with it (its refresh finds the stored token changed).
		_ = t.a.markReauth(ctx, t.userID, tok.RefreshToken, "401 after a token refresh")
	}
	return resp, err
}

// token returns a valid token, refreshing when it is about to expire or when
// force is set.
func (t *transport) token(ctx context.Context, force bool) (domain.GoogleToken, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for {
		if t.tok == nil {
			tok, err := t.a.tokens.GoogleToken(ctx, t.userID)
			if errors.Is(err, domain.ErrNotFound) {
				return domain.GoogleToken{}, fmt.Errorf("google token of %s: none stored: %w", t.userID, domain.ErrReauthRequired)
			}
			if err != nil {
				return domain.GoogleToken{}, fmt.Errorf("google token of %s: %w", t.userID, err)
			}
			t.tok = &tok
		}
		if !force && t.tok.AccessToken != "" && t.a.clock.Now().Add(expiryDelta).Before(t.tok.Expiry) {
			return *t.tok, nil
		}
		nt, err := t.a.refresh(ctx, t.userID, t.tok.RefreshToken)
		if errors.Is(err, domain.ErrConflict) {
			// The user reconnected since t.tok was loaded: go on with the new
			// grant, whose access token is not the one refused.
			t.tok, force = nil, false
			continue
		}
		if err != nil {
			return domain.GoogleToken{}, err
		}
		t.tok = &nt
		return nt, nil
	}
}

// refresh trades a refresh token for a new access token and persists it. It
// answers ErrConflict when a new grant replaced refreshToken meanwhile, and
// ErrReauthRequired when Google refused it or the account is marked.
func (a *Auth) refresh(ctx context.Context, userID uuid.UUID, refreshToken string) (domain.GoogleToken, error) {
	if refreshToken == "" {
		return domain.GoogleToken{}, a.markReauth(ctx, userID, "", "none stored")
	}
	t, err := a.oauth.TokenSource(a.clientCtx(ctx), &oauth2.Token{RefreshToken: refreshToken}).Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && (re.ErrorCode == "invalid_grant" || re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized) {
			return domain.GoogleToken{}, a.markReauth(ctx, userID, refreshToken, "refused: "+re.ErrorCode)
		}
		return domain.GoogleToken{}, fmt.Errorf("refresh token of %s: %w: %w", userID, domain.ErrUnavailable, err)
	}
	nt := fromOAuth(t)
	if err := a.tokens.SaveRefreshed(ctx, userID, refreshToken, nt); err != nil {
		return domain.GoogleToken{}, fmt.Errorf("store refreshed token of %s: %w", userID, err)
	}
	return nt, nil
}

// markReauth marks the account as needing re-authorisation, since refresh
// (its refresh token when loaded) no longer works, and returns an error
// wrapping ErrReauthRequired that says why; or one wrapping ErrConflict,
// leaving the account unmarked, when a new grant replaced refresh meanwhile.
func (a *Auth) markReauth(ctx context.Context, userID uuid.UUID, refresh, why string) error {
	err := a.tokens.MarkReauth(context.WithoutCancel(ctx), userID, refresh)
	if errors.Is(err, domain.ErrConflict) {
		return fmt.Errorf("refresh token of %s: %s: %w", userID, why, err)
	}
	a.log.WarnContext(ctx, "google account needs re-authorisation", "user", userID, "why", why)
	if err != nil {
		a.log.ErrorContext(ctx, "marking account for re-authorisation", "user", userID, "err", err)
	}
	return fmt.Errorf("refresh token of %s: %s: %w", userID, why, domain.ErrReauthRequired)
}

// authorised returns a shallow copy of req carrying the bearer token; a
// RoundTripper must not modify the request it was given.
func authorised(req *http.Request, access string) *http.Request {
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+access)
	return r
}
