package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/googleauth"
	"github.com/workspace-orchestrator/orchestrator/cmd/orchestrator/config"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/web/auth"
)

// googleBaseURL is where the Google APIs and OAuth endpoints are served:
// GOOGLE_URL, or the built-in emulator on EMULATOR_ADDR when that is empty.
func googleBaseURL(cfg config.Config) string {
	if cfg.GoogleURL != "" {
		return strings.TrimRight(cfg.GoogleURL, "/")
	}
	return "http://" + cfg.EmulatorAddr
}

// googleAuth is the OAuth client of the Google endpoint in use; tokens are
// kept sealed in the store.
func (a *app) googleAuth() (*googleauth.Auth, error) {
	return googleauth.New(googleauth.Config{
		ClientID:     a.cfg.GoogleClientID,
		ClientSecret: a.cfg.GoogleClientSecret,
		RedirectURL:  a.publicURL() + auth.CallbackPath,
		BaseURL:      googleBaseURL(a.cfg),
	}, a.store, a.clock, a.log)
}

// connectGoogle makes sure the user exists and holds working Google tokens
// for the endpoint in use. Tokens that still authorise a request are kept;
// otherwise it runs the OAuth code flow with login_hint, which the Workspace
// emulator approves without a browser, and stores the exchanged tokens.
// Calling it again is harmless.
func (a *app) connectGoogle(ctx context.Context, email string) (domain.User, error) {
	u, err := a.store.UpsertUser(ctx, email)
	if err != nil {
		return domain.User{}, fmt.Errorf("connect %s: %w", email, err)
	}
	ga, err := a.googleAuth()
	if err != nil {
		return domain.User{}, fmt.Errorf("connect %s: %w", email, err)
	}
	if !u.NeedsReauth {
		err := a.probeGoogle(ctx, ga, u)
		if err == nil {
			return u, nil
		}
		a.log.DebugContext(ctx, "stored Google tokens do not work; connecting again", "user", u.Email, "err", err)
	}
	code, verifier, err := authorize(ctx, ga, u.Email)
	if err != nil {
		return domain.User{}, fmt.Errorf("connect %s: %w", email, err)
	}
	if err := ga.Connect(ctx, u.ID, code, verifier); err != nil {
		return domain.User{}, fmt.Errorf("connect %s: %w", email, err)
	}
	u.NeedsReauth = false
	a.log.InfoContext(ctx, "connected Google account", "user", u.Email, "google", googleBaseURL(a.cfg))
	return u, nil
}

// probeGoogle asks the userinfo endpoint who the stored tokens belong to
// (refreshing them when they have expired).
func (a *app) probeGoogle(ctx context.Context, ga *googleauth.Auth, u domain.User) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, googleBaseURL(a.cfg)+"/oauth2/v2/userinfo", nil)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: ga.Transport(u.ID, nil), Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var info struct {
		Email string `json:"email"`
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("userinfo: HTTP %d", resp.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&info); err != nil {
		return fmt.Errorf("userinfo: %w", err)
	}
	if !strings.EqualFold(info.Email, u.Email) {
		return fmt.Errorf("userinfo: the tokens belong to %q", info.Email)
	}
	return nil
}

// authorize answers the consent screen as the user would (emulator.Approve)
// and returns the code from its redirect with its PKCE verifier: only the
// Workspace emulator can be connected this way; people use /auth/google/login.
func authorize(ctx context.Context, ga *googleauth.Auth, email string) (code, verifier string, err error) {
	state, verifier := rand.Text(), oauth2.GenerateVerifier()
	loc, err := emulator.Approve(ctx, &http.Client{Timeout: 10 * time.Second}, ga.AuthCodeURL(state, verifier, email, true))
	if err != nil {
		return "", "", fmt.Errorf("authorize: %w: %w", err, domain.ErrInvalidInput)
	}
	q := loc.Query()
	switch {
	case q.Get("error") != "":
		return "", "", fmt.Errorf("authorize: %s: %w", q.Get("error"), domain.ErrInvalidInput)
	case q.Get("state") != state:
		return "", "", fmt.Errorf("authorize: the redirect carries another state: %w", domain.ErrInvalidInput)
	case q.Get("code") == "":
		return "", "", fmt.Errorf("authorize: the redirect carries no code: %w", domain.ErrInvalidInput)
	}
	return q.Get("code"), verifier, nil
}

// publicURL is this server's base URL as browsers and Google reach it:
// PUBLIC_URL, or http://HTTP_ADDR.
func (a *app) publicURL() string {
	if a.cfg.PublicURL != "" {
		return strings.TrimRight(a.cfg.PublicURL, "/")
	}
	return "http://" + a.cfg.HTTPAddr
}
