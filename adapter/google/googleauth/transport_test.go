package googleauth_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/googleauth"
	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/secret/secrettest"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/storetest"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

const alice = "alice@example.com"

// fixture is alice's account connected through the emulator. A test may act
// while a refresh or revoke is in flight at the emulator, or just before the
// Auth records a mark.
type fixture struct {
	emu   *emulator.Server
	url   string
	store *store.Store
	auth  *googleauth.Auth
	user  uuid.UUID

	mu   sync.Mutex
	next *race
}

// race is what happens meanwhile at the next request to path (only refresh
// grants at the token endpoint; markAt for a mark): before the emulator
// answers it, or after, before the answer reaches the client.
type race struct {
	path      string
	after     bool
	meanwhile func() error
	done      chan error
}

func setup(t *testing.T) *fixture {
	t.Helper()
	emu := emulator.New(emulator.Config{})
	t.Cleanup(emu.Close)
	require.NoError(t, emu.AddWorkspace(alice, emulator.Workspace{}))
	f := &fixture{emu: emu, store: store.New(storetest.New(t), secrettest.Keyring(t), domain.SystemClock{})}
	hs := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(hs.Close)
	f.url = hs.URL
	var err error
	f.auth, err = googleauth.New(googleauth.Config{ClientID: "emulator-client", ClientSecret: "emulator-secret",
		BaseURL: hs.URL, RedirectURL: "http://127.0.0.1/oauth/callback"}, marks{f.store, f}, domain.SystemClock{}, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	u, err := f.store.UpsertUser(t.Context(), alice)
	require.NoError(t, err)
	f.user = u.ID
	require.NoError(t, f.connect(t.Context()))
	return f
}

// markAt names the moment before the Auth records a mark, for race.
const markAt = "mark"

// marks is the store as the Auth sees it, running the race set for markAt.
type marks struct {
	domain.TokenStore
	f *fixture
}

func (m marks) MarkReauth(ctx context.Context, userID uuid.UUID, refresh string) error {
	if rc := m.f.take(markAt); rc != nil {
		rc.done <- rc.meanwhile()
	}
	return m.TokenStore.MarkReauth(ctx, userID, refresh)
}

// take returns the race set for path, once.
func (f *fixture) take(path string) *race {
	f.mu.Lock()
	defer f.mu.Unlock()
	rc := f.next
	if rc == nil || rc.path != path {
		return nil
	}
	f.next = nil
	return rc
}

func (f *fixture) serve(w http.ResponseWriter, r *http.Request) {
	var rc *race
	if r.URL.Path != emulator.TokenPath || r.FormValue("grant_type") == "refresh_token" {
		rc = f.take(r.URL.Path)
	}
	switch {
	case rc == nil:
		f.emu.ServeHTTP(w, r)
	case !rc.after:
		rc.done <- rc.meanwhile()
		f.emu.ServeHTTP(w, r)
	default:
		rec := httptest.NewRecorder()
		f.emu.ServeHTTP(rec, r)
		rc.done <- rc.meanwhile()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}
}

// race arranges for meanwhile to run during the next request to path; its
// error arrives on the channel returned.
func (f *fixture) race(path string, after bool, meanwhile func() error) <-chan error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next = &race{path: path, after: after, meanwhile: meanwhile, done: make(chan error, 1)}
	return f.next.done
}

// connect has alice go through the consent screen and connect again: a new grant.
func (f *fixture) connect(ctx context.Context) error {
	verifier := oauth2.GenerateVerifier()
	back, err := emulator.Approve(ctx, http.DefaultClient, f.auth.AuthCodeURL("state", verifier, alice, true))
	if err != nil {
		return err
	}
	return f.auth.Connect(ctx, f.user, back.Query().Get("code"), verifier)
}

// profile calls Gmail as alice through a fresh transport and returns the
// access token the emulator accepted.
func (f *fixture) profile(t *testing.T) (string, error) {
	t.Helper()
	var used string
	rt := f.auth.Transport(f.user, roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used = r.Header.Get("Authorization")
		return http.DefaultTransport.RoundTrip(r)
	}))
	resp, err := (&http.Client{Transport: rt}).Get(f.url + "/gmail/v1/users/me/profile")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	return used, nil
}

func (f *fixture) state(t *testing.T) (domain.GoogleToken, bool) {
	t.Helper()
	tok, err := f.store.GoogleToken(t.Context(), f.user)
	require.NoError(t, err)
	u, err := f.store.UserByID(t.Context(), f.user)
	require.NoError(t, err)
	return tok, u.NeedsReauth
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (fn roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return fn(r) }

// Google refuses the old refresh token and alice reconnects before the
// refusal is recorded: her new grant is not marked, and the call goes on
// with it.
func TestRefusedRefreshGoesOnWithTheNewGrant(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.emu.RevokeTokens(alice)
	done := f.race(markAt, false, func() error { return f.connect(context.Background()) })
	used, err := f.profile(t)
	require.NoError(t, err)
	require.NoError(t, <-done)
	tok, reauth := f.state(t)
	require.False(t, reauth, "the new grant is not marked")
	require.Equal(t, "Bearer "+tok.AccessToken, used, "the call went on with the new grant")
}

// A refresh Google answers just before alice revokes access is not saved
// afterwards: the account stays marked and the call fails.
func TestRefreshAfterRevokeKeepsTheMark(t *testing.T) {
	t.Parallel()
	f := setup(t)
	before, _ := f.state(t)
	f.emu.ExpireTokens(alice)
	done := f.race(emulator.TokenPath, true, func() error { return f.auth.Revoke(context.Background(), f.user) })
	_, err := f.profile(t)
	require.ErrorIs(t, err, domain.ErrReauthRequired)
	require.NoError(t, <-done)
	tok, reauth := f.state(t)
	require.True(t, reauth)
	require.Equal(t, before, tok, "the refreshed token was not saved")
}

// A refresh of the old grant Google answers just before alice reconnects does
// not overwrite the new grant, and the call goes on with the new grant.
func TestRefreshAfterReconnectKeepsTheNewGrant(t *testing.T) {
	t.Parallel()
	f := setup(t)
	before, _ := f.state(t)
	f.emu.ExpireTokens(alice)
	done := f.race(emulator.TokenPath, true, func() error { return f.connect(context.Background()) })
	used, err := f.profile(t)
	require.NoError(t, err)
	require.NoError(t, <-done)
	tok, reauth := f.state(t)
	require.False(t, reauth)
	require.NotEqual(t, before.RefreshToken, tok.RefreshToken)
	require.Equal(t, "Bearer "+tok.AccessToken, used, "the new grant's access token is the one stored and used")
}

// Alice reconnects while her grant is being revoked: the new grant is revoked
// too, and the account is marked.
func TestRevokeDuringReconnectRevokesTheNewGrant(t *testing.T) {
	t.Parallel()
	f := setup(t)
	old, _ := f.state(t)
	done := f.race(emulator.RevokePath, false, func() error { return f.connect(context.Background()) })
	require.NoError(t, f.auth.Revoke(t.Context(), f.user))
	require.NoError(t, <-done)
	tok, reauth := f.state(t)
	require.True(t, reauth)
	require.NotEqual(t, old.RefreshToken, tok.RefreshToken)
	for _, rt := range []string{old.RefreshToken, tok.RefreshToken} {
		resp, err := http.PostForm(f.url+emulator.TokenPath, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, "both grants are revoked")
	}
}
