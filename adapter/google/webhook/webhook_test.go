package webhook_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/google/webhook"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

// users knows one user; queue records what was enqueued (fakes of domain ports).
type users struct {
	domain.UserStore
	u domain.User
}

func (s users) UserByEmail(_ context.Context, email string) (domain.User, error) {
	if strings.EqualFold(email, s.u.Email) {
		return s.u, nil
	}
	return domain.User{}, domain.ErrNotFound
}

type queue struct {
	mu   sync.Mutex
	jobs []string
}

func (q *queue) EnqueueSync(_ context.Context, userID uuid.UUID, s domain.Service, _ int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.jobs = append(q.jobs, userID.String()+"/"+string(s))
	return nil
}

const audience = "https://hooks.example.com/webhooks/gmail"

type bundle struct {
	h     *webhook.Handler
	q     *queue
	user  domain.User
	key   *rsa.PrivateKey
	clock domain.FixedClock
}

func setup(t *testing.T) bundle {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	certs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{
			"kid": "k1", "kty": "RSA", "alg": "RS256", "use": "sig",
			"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
			"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes()),
		}}})
	}))
	t.Cleanup(certs.Close)
	b := bundle{q: &queue{}, user: domain.User{ID: uuid.New(), Email: "alice@example.com"}, key: key,
		clock: domain.FixedClock{T: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}}
	b.h, err = webhook.New(webhook.Config{
		Secret: []byte("0123456789abcdef"), PushAudience: audience, PushServiceAccount: "push@proj.iam.gserviceaccount.com",
		PushCertsURL: certs.URL, Clock: b.clock,
	}, users{u: b.user}, b.q, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	return b
}

func (b bundle) token(t *testing.T, key *rsa.PrivateKey, edit func(jwt.MapClaims)) string {
	t.Helper()
	claims := jwt.MapClaims{
		"iss": "https://accounts.google.com", "aud": audience, "email": "push@proj.iam.gserviceaccount.com",
		"email_verified": true, "iat": b.clock.T.Unix(), "exp": b.clock.T.Add(time.Hour).Unix(),
	}
	if edit != nil {
		edit(claims)
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = "k1"
	s, err := tok.SignedString(key)
	require.NoError(t, err)
	return s
}

func (b bundle) push(token, email string) int {
	data := base64.StdEncoding.EncodeToString([]byte(`{"emailAddress":"` + email + `","historyId":9}`))
	req := httptest.NewRequest(http.MethodPost, "/gmail", strings.NewReader(`{"message":{"data":"`+data+`"}}`))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, req)
	return w.Code
}

func TestGmailPushChecksTheSignedToken(t *testing.T) {
	t.Parallel()
	b := setup(t)
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)

	require.Equal(t, http.StatusNoContent, b.push(b.token(t, b.key, nil), "alice@example.com"))
	require.Equal(t, []string{b.user.ID.String() + "/gmail"}, b.q.jobs)

	for name, tok := range map[string]string{
		"no token":       "",
		"other audience": b.token(t, b.key, func(c jwt.MapClaims) { c["aud"] = "https://elsewhere.example.com" }),
		"expired":        b.token(t, b.key, func(c jwt.MapClaims) { c["exp"] = b.clock.T.Add(-time.Hour).Unix() }),
		"other issuer":   b.token(t, b.key, func(c jwt.MapClaims) { c["iss"] = "https://evil.example.com" }),
		"other account":  b.token(t, b.key, func(c jwt.MapClaims) { c["email"] = "someone@evil.example.com" }),
		"forged":         b.token(t, other, nil),
	} {
		require.Equal(t, http.StatusUnauthorized, b.push(tok, "alice@example.com"), name)
	}
	// A push for an unknown mailbox is acknowledged, so Pub/Sub stops retrying it.
	require.Equal(t, http.StatusNoContent, b.push(b.token(t, b.key, nil), "nobody@example.com"))
	require.Len(t, b.q.jobs, 1)
}

func TestChannelNotifications(t *testing.T) {
	t.Parallel()
	b := setup(t)
	send := func(path, token, state string) int {
		req := httptest.NewRequest(http.MethodPost, path, nil)
		req.Header.Set("X-Goog-Channel-Token", token)
		req.Header.Set("X-Goog-Resource-State", state)
		w := httptest.NewRecorder()
		b.h.ServeHTTP(w, req)
		return w.Code
	}
	cal := b.h.ChannelToken(b.user.ID, domain.ServiceCalendar)
	require.Equal(t, http.StatusNoContent, send("/calendar", cal, "sync"))
	require.Empty(t, b.q.jobs, "the sync message of a new channel changes nothing")
	require.Equal(t, http.StatusNoContent, send("/calendar", cal, "exists"))
	require.Equal(t, http.StatusUnauthorized, send("/drive", cal, "change"))
	require.Equal(t, http.StatusBadRequest, send("/calendar", cal, "bogus"))
	require.Equal(t, []string{b.user.ID.String() + "/calendar"}, b.q.jobs)

	// Tokens made apart from the Handler, as the worker opening channels
	// makes them, are the ones it accepts.
	tokens, err := webhook.NewTokens([]byte("0123456789abcdef"))
	require.NoError(t, err)
	require.Equal(t, http.StatusNoContent, send("/drive", tokens.ChannelToken(b.user.ID, domain.ServiceDrive), "change"))
	require.Equal(t, b.h.GmailPushToken(), tokens.GmailPushToken())
	_, err = webhook.NewTokens([]byte("short"))
	require.ErrorIs(t, err, domain.ErrInvalidInput)
}
