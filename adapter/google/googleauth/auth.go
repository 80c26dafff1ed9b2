// Package googleauth authorises the Google API clients: the OAuth 2.0
// configuration (whose endpoints may point at Google or at the emulator), the
// code exchange that connects an account, and per-user HTTP transports whose
// tokens refresh and are persisted, encrypted, through domain.TokenStore.
package googleauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/oauth2"
	"google.golang.org/api/calendar/v3"
	"google.golang.org/api/drive/v3"
	"google.golang.org/api/gmail/v1"

	"github.com/workspace-orchestrator/orchestrator/adapter/google/oidc"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Google's own OAuth 2.0 endpoints.
const (
	GoogleAuthURL   = "https://accounts.google.com/o/oauth2/auth"
	GoogleTokenURL  = "https://oauth2.googleapis.com/token"
	GoogleRevokeURL = "https://oauth2.googleapis.com/revoke"
	// GoogleUserinfoURL is Google's OpenID Connect userinfo endpoint.
	GoogleUserinfoURL = "https://openidconnect.googleapis.com/v1/userinfo"
)

// Scopes that name who signs in (OpenID Connect), asked for with the
// services' scopes.
var identityScopes = []string{"openid", "email", "profile"}

// Config configures an Auth.
type Config struct {
	// ClientID is the OAuth client id. Required.
	ClientID string
	// ClientSecret is the OAuth client secret. Defaults to "".
	ClientSecret string
	// RedirectURL receives the authorisation code. Defaults to "".
	RedirectURL string
	// BaseURL, when set, serves the OAuth endpoints at BaseURL/o/oauth2/auth,
	// BaseURL/token, BaseURL/revoke, BaseURL/oauth2/v3/userinfo and the id_token keys at BaseURL/oauth2/v3/certs (the
	// emulator's layout). Defaults to "" (Google's endpoints).
	BaseURL string
	// Scopes requested when connecting an account, besides openid, email and
	// profile. Defaults to Gmail modify, Calendar and Drive.
	Scopes []string
	// HTTPClient talks to the token endpoint. Defaults to http.DefaultClient.
	HTTPClient *http.Client
}

// WithDefaults fills zero fields with their defaults.
func (c Config) WithDefaults() Config {
	if len(c.Scopes) == 0 {
		c.Scopes = []string{gmail.GmailModifyScope, calendar.CalendarScope, drive.DriveScope}
	}
	if c.HTTPClient == nil {
		c.HTTPClient = http.DefaultClient
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return c
}

func (c Config) validate() error {
	if c.ClientID == "" {
		return fmt.Errorf("googleauth: ClientID is required: %w", domain.ErrInvalidInput)
	}
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Errorf("googleauth: BaseURL %q is not an absolute URL: %w", c.BaseURL, domain.ErrInvalidInput)
		}
	}
	return nil
}

// Auth issues per-user authorised transports and connects accounts.
type Auth struct {
	cfg         Config
	oauth       *oauth2.Config
	revokeURL   string
	userinfoURL string
	ids         *oidc.Verifier // checks sign-ins' id_tokens
	tokens      domain.TokenStore
	clock       domain.Clock
	log         *slog.Logger
}

// New returns an Auth that keeps tokens in tokens.
func New(cfg Config, tokens domain.TokenStore, clock domain.Clock, log *slog.Logger) (*Auth, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	ep := oauth2.Endpoint{AuthURL: GoogleAuthURL, TokenURL: GoogleTokenURL, AuthStyle: oauth2.AuthStyleInParams}
	revoke, userinfo, certs := GoogleRevokeURL, GoogleUserinfoURL, oidc.GoogleCertsURL
	if cfg.BaseURL != "" {
		ep.AuthURL, ep.TokenURL = cfg.BaseURL+"/o/oauth2/auth", cfg.BaseURL+"/token"
		revoke, userinfo, certs = cfg.BaseURL+"/revoke", cfg.BaseURL+"/oauth2/v3/userinfo", cfg.BaseURL+"/oauth2/v3/certs"
	}
	return &Auth{
		cfg: cfg,
		oauth: &oauth2.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: ep, Scopes: append(slices.Clone(identityScopes), cfg.Scopes...),
		},
		revokeURL: revoke, userinfoURL: userinfo, tokens: tokens, clock: clock, log: log,
		ids: &oidc.Verifier{Audience: cfg.ClientID, CertsURL: certs, Client: cfg.HTTPClient, Now: clock.Now},
	}, nil
}

// AuthCodeURL is where to send a person to sign in and connect their
// account: offline access, the S256 challenge of verifier (PKCE), state to
// check on return; loginHint, when not empty, names the account to
// preselect; consent forces the consent screen, without which Google issues
// no new refresh token.
func (a *Auth) AuthCodeURL(state, verifier, loginHint string, consent bool) string {
	opts := []oauth2.AuthCodeOption{oauth2.AccessTypeOffline, oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("include_granted_scopes", "true")}
	if consent {
		opts = append(opts, oauth2.ApprovalForce)
	}
	if loginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", loginHint))
	}
	return a.oauth.AuthCodeURL(state, opts...)
}

// exchange trades an authorisation code (and its PKCE verifier) for tokens.
func (a *Auth) exchange(ctx context.Context, code, verifier string) (*oauth2.Token, error) {
	t, err := a.oauth.Exchange(a.clientCtx(ctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500 {
			return nil, fmt.Errorf("exchange authorisation code: %w: %s", domain.ErrInvalidInput, re.ErrorCode)
		}
		return nil, fmt.Errorf("exchange authorisation code: %w: %w", domain.ErrUnavailable, err)
	}
	return t, nil
}

// SignIn exchanges the code for tokens and reads whose they are from the
// OpenID Connect id_token (its signature checked against the provider's
// keys, its audience and issuer), or from the userinfo endpoint when none
// came. The token may lack a refresh token when Google showed no consent
// screen (the one stored is then kept).
func (a *Auth) SignIn(ctx context.Context, code, verifier string) (domain.GoogleIdentity, domain.GoogleToken, error) {
	t, err := a.exchange(ctx, code, verifier)
	if err != nil {
		return domain.GoogleIdentity{}, domain.GoogleToken{}, err
	}
	var id domain.GoogleIdentity
	if raw, _ := t.Extra("id_token").(string); raw != "" {
		id, err = a.idToken(ctx, raw)
	} else {
		id, err = a.userinfo(ctx, t)
	}
	if err != nil {
		return domain.GoogleIdentity{}, domain.GoogleToken{}, err
	}
	return id, fromOAuth(t), nil
}

func (a *Auth) idToken(ctx context.Context, raw string) (domain.GoogleIdentity, error) {
	c, err := a.ids.Verify(ctx, raw)
	switch {
	case err != nil:
		return domain.GoogleIdentity{}, fmt.Errorf("id_token: %w: %w", domain.ErrInvalidInput, err)
	case c.Email == "":
		return domain.GoogleIdentity{}, fmt.Errorf("id_token: no email (the email scope was not granted): %w", domain.ErrInvalidInput)
	}
	return domain.GoogleIdentity{Subject: c.Subject, Email: c.Email, EmailVerified: c.EmailVerified, Name: c.Name}, nil
}

func (a *Auth) userinfo(ctx context.Context, t *oauth2.Token) (domain.GoogleIdentity, error) {
	resp, err := a.oauth.Client(a.clientCtx(ctx), t).Get(a.userinfoURL)
	if err != nil {
		return domain.GoogleIdentity{}, fmt.Errorf("userinfo: %w: %w", domain.ErrUnavailable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return domain.GoogleIdentity{}, fmt.Errorf("userinfo: %w: HTTP %d", domain.ErrUnavailable, resp.StatusCode)
	}
	var info struct {
		Sub           string `json:"sub"`
		Email         string `json:"email"`
		EmailVerified bool   `json:"email_verified"`
		Name          string `json:"name"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&info); err != nil {
		return domain.GoogleIdentity{}, fmt.Errorf("userinfo: %w: %w", domain.ErrUnavailable, err)
	}
	if info.Email == "" {
		return domain.GoogleIdentity{}, fmt.Errorf("userinfo: no email (the email scope was not granted): %w", domain.ErrInvalidInput)
	}
	return domain.GoogleIdentity{Subject: info.Sub, Email: info.Email, EmailVerified: info.EmailVerified, Name: info.Name}, nil
}

// Connect exchanges an authorisation code for tokens and stores them for
// userID as a new grant, which clears any need for re-authorisation.
func (a *Auth) Connect(ctx context.Context, userID uuid.UUID, code, verifier string) error {
	t, err := a.exchange(ctx, code, verifier)
	if err != nil {
		return err
	}
	if t.RefreshToken == "" {
		return fmt.Errorf("exchange authorisation code: no refresh token (offline access not granted): %w", domain.ErrInvalidInput)
	}
	if err := a.tokens.SaveGoogleToken(ctx, userID, fromOAuth(t)); err != nil {
		return fmt.Errorf("store token: %w", err)
	}
	return nil
}

// Revoke revokes the user's refresh token at the provider and marks the
// account as needing re-authorisation. Should the user reconnect meanwhile,
// the new grant is revoked too.
func (a *Auth) Revoke(ctx context.Context, userID uuid.UUID) error {
	for {
		t, err := a.tokens.GoogleToken(ctx, userID)
		if err != nil {
			return fmt.Errorf("revoke: load token: %w", err)
		}
		if err := a.revoke(ctx, t.RefreshToken); err != nil {
			return err
		}
		err = a.tokens.MarkReauth(ctx, userID, t.RefreshToken)
		if errors.Is(err, domain.ErrConflict) {
			continue
		}
		if err != nil {
			return fmt.Errorf("revoke: mark reauth: %w", err)
		}
		return nil
	}
}

// revoke revokes a refresh token at the provider.
func (a *Auth) revoke(ctx context.Context, refreshToken string) error {
	form := url.Values{"token": {refreshToken}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.revokeURL, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("revoke: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := a.cfg.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("revoke: %w: %w", domain.ErrUnavailable, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	// 400 means the token was already invalid: revoked as far as we care.
	if resp.StatusCode >= 500 {
		return fmt.Errorf("revoke: %w: HTTP %d", domain.ErrUnavailable, resp.StatusCode)
	}
	return nil
}

// Transport returns a RoundTripper that authorises every request as userID
// over base. It loads the stored token once, refreshes it when it expires or
// when Google answers 401 (then retries the request once), and persists each
// refreshed token. A refresh Google refuses with invalid_grant, or a 401 right
// after a refresh, marks the account as needing re-authorisation and fails the
// request with an error wrapping domain.ErrReauthRequired; so does a refresh
// that lands after the account was marked. When the user reconnected since
// the token was loaded, the transport goes on with the new grant instead.
func (a *Auth) Transport(userID uuid.UUID, base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{a: a, userID: userID, base: base}
}

// clientCtx makes the oauth2 package use the configured HTTP client.
func (a *Auth) clientCtx(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, a.cfg.HTTPClient)
}

func fromOAuth(t *oauth2.Token) domain.GoogleToken {
	scope, _ := t.Extra("scope").(string)
	return domain.GoogleToken{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, Expiry: t.Expiry, Scopes: strings.Fields(scope)}
}

// expiryDelta refreshes tokens this long before they expire, so a token does
// not lapse in flight.
const expiryDelta = time.Minute
