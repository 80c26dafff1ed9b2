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

	"github.com/workspace-orchestrator/orchestrator/adapter/google/googleauth"
	"github.com/workspace-orchestrator/orchestrator/cmd/orchestrator/config"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

// oauthCallbackPath is the redirect URI registered for the OAuth client. No
// handler serves it yet: connectGoogle reads the code from the redirect
// instead of following it.
const oauthCallbackPath = "/oauth/google/callback"

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
		RedirectURL:  "http://" + a.cfg.HTTPAddr + oauthCallbackPath,
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
	auth, err := a.googleAuth()
	if err != nil {
		return domain.User{}, fmt.Errorf("connect %s: %w", email, err)
	}
	if !u.NeedsReauth {
		err := a.probeGoogle(ctx, auth, u)
		if err == nil {
			return u, nil
		}
		a.log.DebugContext(ctx, "stored Google tokens do not work; connecting again", "user", u.Email, "err", err)
	}
	code, err := authorize(ctx, auth, u.Email)
	if err != nil {
		return domain.User{}, fmt.Errorf("connect %s: %w", email, err)
	}
	if err := auth.Connect(ctx, u.ID, code); err != nil {
		return domain.User{}, fmt.Errorf("connect %s: %w", email, err)
	}
	u.NeedsReauth = false
	a.log.InfoContext(ctx, "connected Google account", "user", u.Email, "google", googleBaseURL(a.cfg))
	return u, nil
}

// probeGoogle asks the userinfo endpoint who the stored tokens belong to
// (refreshing them when they have expired).
func (a *app) probeGoogle(ctx context.Context, auth *googleauth.Auth, u domain.User) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, googleBaseURL(a.cfg)+"/oauth2/v2/userinfo", nil)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: auth.Transport(u.ID, nil), Timeout: 10 * time.Second}
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

// authorize visits the authorization endpoint as the user's browser would and
// returns the code from its redirect. Google itself answers with a consent
// page, not a redirect: only the emulator can be connected this way.
func authorize(ctx context.Context, auth *googleauth.Auth, email string) (string, error) {
	state := rand.Text()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, auth.AuthCodeURL(state, email), nil)
	if err != nil {
		return "", fmt.Errorf("authorize: %w", err)
	}
	client := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("authorize: %w: %w", domain.ErrUnavailable, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	loc, err := resp.Location()
	if resp.StatusCode/100 != 3 || err != nil {
		return "", fmt.Errorf("authorize: %s answered HTTP %d instead of redirecting with a code; "+
			"accounts are connected without a browser only against the Workspace emulator: %w",
			req.URL.Host, resp.StatusCode, domain.ErrInvalidInput)
	}
	q := loc.Query()
	switch {
	case q.Get("error") != "":
		return "", fmt.Errorf("authorize: %s: %w", q.Get("error"), domain.ErrInvalidInput)
	case q.Get("state") != state:
		return "", fmt.Errorf("authorize: the redirect carries another state: %w", domain.ErrInvalidInput)
	case q.Get("code") == "":
		return "", fmt.Errorf("authorize: the redirect carries no code: %w", domain.ErrInvalidInput)
	}
	return q.Get("code"), nil
}
