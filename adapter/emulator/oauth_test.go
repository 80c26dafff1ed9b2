package emulator_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	gmail "google.golang.org/api/gmail/v1"
	"google.golang.org/api/option"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/emulatortest"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/oidc"
)

// authorize answers the consent screen for email and returns the code.
func authorize(t *testing.T, cfg *oauth2.Config, email string, opts ...oauth2.AuthCodeOption) string {
	t.Helper()
	authURL := cfg.AuthCodeURL("st4te", append(opts, oauth2.AccessTypeOffline, oauth2.SetAuthURLParam("login_hint", email))...)
	res, err := http.Get(authURL)
	require.NoError(t, err)
	page, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, string(page), "Allow access to "+strings.ToLower(email), "a consent screen, not an automatic grant")

	loc, err := emulator.Approve(t.Context(), http.DefaultClient, authURL)
	require.NoError(t, err)
	require.Equal(t, "st4te", loc.Query().Get("state"))
	return loc.Query().Get("code")
}

func TestPKCE(t *testing.T) {
	t.Parallel()
	_, hs := emulatortest.New(t, nil)
	cfg := emulatortest.OAuthConfig(hs)
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, hs.Client())
	verifier := oauth2.GenerateVerifier()

	var rerr *oauth2.RetrieveError
	code := authorize(t, cfg, "pk@example.com", oauth2.S256ChallengeOption(verifier))
	_, err := cfg.Exchange(ctx, code)
	require.True(t, errors.As(err, &rerr))
	require.Equal(t, "invalid_grant", rerr.ErrorCode)
	require.Equal(t, "Missing code verifier.", rerr.ErrorDescription)

	code = authorize(t, cfg, "pk@example.com", oauth2.S256ChallengeOption(verifier))
	_, err = cfg.Exchange(ctx, code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
	require.True(t, errors.As(err, &rerr))
	require.Equal(t, "Invalid code verifier.", rerr.ErrorDescription)

	code = authorize(t, cfg, "pk@example.com", oauth2.S256ChallengeOption(verifier))
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	require.NoError(t, err)
	require.NotEmpty(t, tok.RefreshToken)
}

func TestConsentDenied(t *testing.T) {
	t.Parallel()
	_, hs := emulatortest.New(t, nil)
	authURL := emulatortest.OAuthConfig(hs).AuthCodeURL("st", oauth2.SetAuthURLParam("login_hint", "no@example.com"))
	u, _ := url.Parse(authURL)
	form := u.Query()
	form.Set("consent", "deny")
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.PostForm(hs.URL+emulator.ApprovePath, form)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	loc, err := res.Location()
	require.NoError(t, err)
	require.Equal(t, "access_denied", loc.Query().Get("error"))
	require.Equal(t, "st", loc.Query().Get("state"))
	require.Empty(t, loc.Query().Get("code"))
}

func TestOAuthCodeExchangeRefreshAndRevoke(t *testing.T) {
	t.Parallel()
	srv, hs := emulatortest.New(t, nil)
	cfg := emulatortest.OAuthConfig(hs)
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, hs.Client())

	code := authorize(t, cfg, "Zoe@Example.com")
	tok, err := cfg.Exchange(ctx, code)
	require.NoError(t, err)
	require.NotEmpty(t, tok.RefreshToken)
	require.WithinDuration(t, time.Now().Add(time.Hour), tok.Expiry, time.Minute)
	_, err = cfg.Exchange(ctx, code)
	var rerr *oauth2.RetrieveError
	require.True(t, errors.As(err, &rerr))
	require.Equal(t, "invalid_grant", rerr.ErrorCode)

	// An expired token in the client's hands is refreshed through /token.
	srv.ExpireTokens("zoe@example.com")
	tok.Expiry = time.Now().Add(-time.Minute)
	src := cfg.TokenSource(ctx, tok)
	gm, err := gmail.NewService(ctx, option.WithTokenSource(src), option.WithEndpoint(hs.URL+"/"))
	require.NoError(t, err)
	p, err := gm.Users.GetProfile("me").Do()
	require.NoError(t, err)
	require.Equal(t, "zoe@example.com", p.EmailAddress)
	fresh, err := src.Token()
	require.NoError(t, err)
	require.NotEqual(t, tok.AccessToken, fresh.AccessToken)

	// An access token that expires early answers 401 in Google's format.
	srv.ExpireTokens("zoe@example.com")
	_, err = gm.Users.GetProfile("me").Do()
	gerr := apiErr(t, err, 401)
	require.Equal(t, "authError", gerr.Errors[0].Reason)

	// Revoking the grant breaks refresh with invalid_grant.
	res, err := hs.Client().PostForm(hs.URL+emulator.RevokePath, url.Values{"token": {tok.RefreshToken}})
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	require.Equal(t, http.StatusOK, res.StatusCode)
	_, err = cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	require.True(t, errors.As(err, &rerr))
	require.Equal(t, "invalid_grant", rerr.ErrorCode)
}

func TestAuthorizeWithoutLoginHintListsAccounts(t *testing.T) {
	t.Parallel()
	_, hs := emulatortest.New(t, map[string]emulator.Workspace{alice: {}})
	res, err := http.Get(emulatortest.OAuthConfig(hs).AuthCodeURL("s"))
	require.NoError(t, err)
	page, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, string(page), "login_hint=alice%40example.com")
}

func TestRevokedTokensAnswer401(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, emulator.Workspace{})
	b.srv.RevokeTokens(alice)
	_, err := b.gm.Users.GetProfile("me").Context(b.ctx).Do()
	require.Error(t, err)
	// The oauth2 client only refreshes an expired token, so the revoked one reaches the API.
	apiErr(t, err, 401)

	res, err := http.Get(b.hs.URL + "/gmail/v1/users/me/profile")
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
}

// Asked for openid, the token endpoint answers an id_token as Google does:
// RS256 with a key at CertsPath, for the client, about the account.
func TestOpenIDIDToken(t *testing.T) {
	t.Parallel()
	_, hs := emulatortest.New(t, nil)
	cfg := emulatortest.OAuthConfig(hs)
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, hs.Client())

	plain, err := cfg.Exchange(ctx, authorize(t, cfg, "id@example.com"))
	require.NoError(t, err)
	require.Nil(t, plain.Extra("id_token"), "no openid scope, no id_token")

	withID := *cfg
	withID.Scopes = append([]string{"openid", "email"}, cfg.Scopes...)
	tok, err := withID.Exchange(ctx, authorize(t, &withID, "id@example.com"))
	require.NoError(t, err)
	raw, _ := tok.Extra("id_token").(string)
	require.NotEmpty(t, raw)

	v := &oidc.Verifier{Audience: cfg.ClientID, CertsURL: hs.URL + emulator.CertsPath, Client: hs.Client()}
	c, err := v.Verify(t.Context(), raw)
	require.NoError(t, err)
	require.Equal(t, "id@example.com", c.Email)
	require.True(t, c.EmailVerified)
	require.Equal(t, "id@example.com", c.Subject)
	require.NotNil(t, c.IssuedAt)
	require.NotNil(t, c.ExpiresAt)

	_, err = (&oidc.Verifier{Audience: "another-client", CertsURL: hs.URL + emulator.CertsPath, Client: hs.Client()}).Verify(t.Context(), raw)
	require.Error(t, err, "another client's token")
	_, err = v.Verify(t.Context(), raw[:len(raw)-4]+"AAAA")
	require.Error(t, err, "a forged signature")
}
