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
	access, err := t.token(ctx, false)
	if err != nil {
		return nil, err
	}
	resp, err := t.base.RoundTrip(authorised(req, access))
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	// The access token was refused before its expiry (revoked, or the clock
	// is off): refresh and try once more, if the body can be sent again.
	if req.Body != nil && req.GetBody == nil {
		return resp, nil
	}
	resp.Body.Close()
	if access, err = t.token(ctx, true); err != nil {
		return nil, err
	}
	retry := authorised(req, access)
	if req.GetBody != nil {
		if retry.Body, err = req.GetBody(); err != nil {
			return nil, fmt.Errorf("replay request body: %w", err)
		}
	}
	resp, err = t.base.RoundTrip(retry)
	if err == nil && resp.StatusCode == http.StatusUnauthorized {
		t.a.markReauth(ctx, t.userID, "401 after a token refresh")
	}
	return resp, err
}

// token returns a valid access token, refreshing when it is about to expire
// or when force is set.
func (t *transport) token(ctx context.Context, force bool) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tok == nil {
		tok, err := t.a.tokens.GoogleToken(ctx, t.userID)
		if errors.Is(err, domain.ErrNotFound) {
			return "", fmt.Errorf("google token of %s: none stored: %w", t.userID, domain.ErrReauthRequired)
		}
		if err != nil {
			return "", fmt.Errorf("google token of %s: %w", t.userID, err)
		}
		t.tok = &tok
	}
	if !force && t.tok.AccessToken != "" && t.a.clock.Now().Add(expiryDelta).Before(t.tok.Expiry) {
		return t.tok.AccessToken, nil
	}
	nt, err := t.a.refresh(ctx, t.userID, t.tok.RefreshToken)
	if err != nil {
		return "", err
	}
	t.tok = &nt
	return nt.AccessToken, nil
}

// refresh trades a refresh token for a new access token and persists it.
func (a *Auth) refresh(ctx context.Context, userID uuid.UUID, refreshToken string) (domain.GoogleToken, error) {
	if refreshToken == "" {
		a.markReauth(ctx, userID, "no refresh token")
		return domain.GoogleToken{}, fmt.Errorf("refresh token of %s: none stored: %w", userID, domain.ErrReauthRequired)
	}
	t, err := a.oauth.TokenSource(a.clientCtx(ctx), &oauth2.Token{RefreshToken: refreshToken}).Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && (re.ErrorCode == "invalid_grant" || re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized) {
			// The user may have reconnected since this token was loaded: a
			// job in flight then goes on with the new grant rather than
			// mark the fresh one as needing reconnection.
			if cur, err := a.tokens.GoogleToken(ctx, userID); err == nil && cur.RefreshToken != "" && cur.RefreshToken != refreshToken {
				return a.refresh(ctx, userID, cur.RefreshToken)
			}
			a.markReauth(ctx, userID, "refresh refused: "+re.ErrorCode)
			return domain.GoogleToken{}, fmt.Errorf("refresh token of %s: %s: %w", userID, re.ErrorCode, domain.ErrReauthRequired)
		}
		return domain.GoogleToken{}, fmt.Errorf("refresh token of %s: %w: %w", userID, domain.ErrUnavailable, err)
	}
	nt := fromOAuth(t)
	if err := a.tokens.SaveGoogleToken(ctx, userID, nt); err != nil {
		return domain.GoogleToken{}, fmt.Errorf("store refreshed token of %s: %w", userID, err)
	}
	return nt, nil
}

func (a *Auth) markReauth(ctx context.Context, userID uuid.UUID, why string) {
	a.log.WarnContext(ctx, "google account needs re-authorisation", "user", userID, "why", why)
	if err := a.tokens.MarkReauth(context.WithoutCancel(ctx), userID, true); err != nil {
		a.log.ErrorContext(ctx, "marking account for re-authorisation", "user", userID, "err", err)
	}
}

// authorised returns a shallow copy of req carrying the bearer token; a
// RoundTripper must not modify the request it was given.
func authorised(req *http.Request, access string) *http.Request {
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+access)
	return r
}
