package auth_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/web/auth"
)

var (
	now     = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	secretA = strings.Repeat("a", 32)
	secretB = strings.Repeat("b", 40)
)

func keyset(t *testing.T, spec string, at time.Time) *auth.Keyset {
	t.Helper()
	ks, err := auth.ParseKeyset(spec, domain.FixedClock{T: at})
	require.NoError(t, err)
	return ks
}

func TestMintVerify(t *testing.T) {
	t.Parallel()
	ks := keyset(t, "k1:"+secretA, now)
	id := uuid.New()
	tok, err := ks.Mint(id, "ada@example.com", time.Hour)
	require.NoError(t, err)

	c, err := ks.Verify(tok)
	require.NoError(t, err)
	require.Equal(t, id, c.UserID)
	require.Equal(t, "ada@example.com", c.Email)
	require.Equal(t, now.Add(time.Hour), c.ExpiresAt.UTC())
}

func TestRotation(t *testing.T) {
	t.Parallel()
	old := keyset(t, "k1:"+secretA, now)
	tok, err := old.Mint(uuid.New(), "a@example.com", time.Hour)
	require.NoError(t, err)

	// k2 now signs; k1 still verifies the tokens it signed.
	rotated := keyset(t, "k2:"+secretB+",k1:"+secretA, now)
	_, err = rotated.Verify(tok)
	require.NoError(t, err)

	// Once k1 is removed its tokens stop working.
	retired := keyset(t, "k2:"+secretB, now)
	_, err = retired.Verify(tok)
	require.ErrorIs(t, err, domain.ErrUnauthenticated)
}

func TestVerifyRefuses(t *testing.T) {
	t.Parallel()
	ks := keyset(t, "k1:"+secretA, now)
	tok, err := ks.Mint(uuid.New(), "a@example.com", time.Minute)
	require.NoError(t, err)

	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{
		"sub": uuid.NewString(), "iss": auth.Issuer, "exp": now.Add(time.Hour).Unix(),
	}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err)

	otherIssuer := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": uuid.NewString(), "iss": "someone-else", "exp": now.Add(time.Hour).Unix(),
	})
	otherIssuer.Header["kid"] = "k1"
	foreign, err := otherIssuer.SignedString([]byte(secretA))
	require.NoError(t, err)

	signed := func(claims jwt.MapClaims) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
		tok.Header["kid"] = "k1"
		s, err := tok.SignedString([]byte(secretA))
		require.NoError(t, err)
		return s
	}
	claims := func(iat, exp time.Time) jwt.MapClaims {
		c := jwt.MapClaims{"sub": uuid.NewString(), "iss": auth.Issuer, "exp": exp.Unix()}
		if !iat.IsZero() {
			c["iat"] = iat.Unix()
		}
		return c
	}

	for name, tc := range map[string]struct {
		ks    *auth.Keyset
		token string
	}{
		"future iat":     {ks, signed(claims(now.Add(time.Hour), now.Add(2*time.Hour)))},
		"no iat":         {ks, signed(claims(time.Time{}, now.Add(time.Hour)))},
		"lives too long": {ks, signed(claims(now.Add(-time.Hour), now.Add(auth.MaxTokenLifetime)))},
		"expired":        {keyset(t, "k1:"+secretA, now.Add(2*time.Minute)), tok},
		"wrong secret":   {keyset(t, "k1:"+secretB, now), tok},
		"alg none":       {ks, none},
		"other issuer":   {ks, foreign},
		"tampered":       {ks, tok[:len(tok)-2] + "xx"},
		"not a jwt":      {ks, "hello"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := tc.ks.Verify(tc.token)
			require.ErrorIs(t, err, domain.ErrUnauthenticated)
		})
	}
}

func TestVerifyAllowsSmallClockSkew(t *testing.T) {
	t.Parallel()
	// Minted by a server whose clock runs 30s ahead.
	tok, err := keyset(t, "k1:"+secretA, now.Add(30*time.Second)).Mint(uuid.New(), "a@example.com", time.Hour)
	require.NoError(t, err)
	_, err = keyset(t, "k1:"+secretA, now).Verify(tok)
	require.NoError(t, err)
}

func TestMintBoundsLifetime(t *testing.T) {
	t.Parallel()
	ks := keyset(t, "k1:"+secretA, now)
	_, err := ks.Mint(uuid.New(), "a@example.com", auth.MaxTokenLifetime+time.Second)
	require.ErrorIs(t, err, domain.ErrInvalidInput)
	_, err = ks.Mint(uuid.New(), "a@example.com", auth.MaxTokenLifetime)
	require.NoError(t, err)
}

func TestParseKeysetErrors(t *testing.T) {
	t.Parallel()
	for spec, want := range map[string]string{
		"":                                 "key 1",
		"k1":                               "key 1",
		":" + secretA:                      "key 1",
		"k1:short":                         `key "k1": secret has 5 bytes`,
		"k1:" + secretA + ",k1:" + secretB: `key "k1": duplicate`,
	} {
		_, err := auth.ParseKeyset(spec, domain.SystemClock{})
		require.ErrorContains(t, err, want, spec)
		require.ErrorIs(t, err, domain.ErrInvalidInput)
	}
}

func TestMiddleware(t *testing.T) {
	t.Parallel()
	ks := keyset(t, "k1:"+secretA, now)
	id := uuid.New()
	tok, err := ks.Mint(id, "a@example.com", time.Hour)
	require.NoError(t, err)

	h := ks.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := auth.UserID(r.Context())
		if ok {
			_, _ = w.Write([]byte(got.String()))
			return
		}
		_, _ = w.Write([]byte("anonymous"))
	}))
	call := func(header string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		if header != "" {
			r.Header.Set("Authorization", header)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}

	require.Equal(t, id.String(), call("Bearer "+tok).Body.String())
	require.Equal(t, id.String(), call("bearer "+tok).Body.String())
	require.Equal(t, "anonymous", call("").Body.String())

	for _, bad := range []string{"Bearer nope", "Basic abc", tok} {
		w := call(bad)
		require.Equal(t, http.StatusUnauthorized, w.Code, bad)
		require.Contains(t, w.Body.String(), `"code":"UNAUTHENTICATED"`)
	}
}
