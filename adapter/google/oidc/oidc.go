// Package oidc verifies OpenID Connect tokens Google signs (sign-in id_tokens,
// Pub/Sub push tokens) against the keys its JWKS endpoint publishes.
package oidc

import (
	"cmp"
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// GoogleCertsURL serves the keys Google signs its OIDC tokens with (JWKS).
const GoogleCertsURL = "https://www.googleapis.com/oauth2/v3/certs"

// GoogleIssuer is the iss claim of Google's OIDC tokens.
const GoogleIssuer = "https://accounts.google.com"

// certsTTL is how long fetched keys are trusted before they are fetched
// again; an unknown key id fetches them at once (Google rotates keys).
const certsTTL = time.Hour

// Claims are what Google's OIDC tokens say about their subject.
type Claims struct {
	Email         string `json:"email"`
	EmailVerified bool   `json:"email_verified"`
	Name          string `json:"name"`
	jwt.RegisteredClaims
}

// Verifier checks a token is RS256-signed by a key of CertsURL, issued by
// GoogleIssuer, for Audience and unexpired.
type Verifier struct {
	Audience string
	// CertsURL is the JWKS. Defaults to GoogleCertsURL.
	CertsURL string
	// Client fetches the keys. Defaults to http.DefaultClient.
	Client *http.Client
	// Now is the time tokens are checked at. Defaults to time.Now.
	Now func() time.Time

	mu      sync.Mutex
	keys    map[string]*rsa.PublicKey
	fetched time.Time
}

// Verify parses raw and answers its claims when it passes every check.
func (v *Verifier) Verify(ctx context.Context, raw string) (Claims, error) {
	var claims Claims
	_, err := jwt.ParseWithClaims(raw, &claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		return v.key(ctx, kid)
	},
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithAudience(v.Audience),
		jwt.WithIssuer(GoogleIssuer),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(v.now),
		jwt.WithLeeway(time.Minute),
	)
	if err != nil {
		return Claims{}, err
	}
	return claims, nil
}

func (v *Verifier) now() time.Time {
	if v.Now == nil {
		return time.Now()
	}
	return v.Now()
}

// key returns the public key kid names, fetching the key set when it is
// stale or does not hold kid.
func (v *Verifier) key(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if k, ok := v.keys[kid]; ok && v.now().Sub(v.fetched) < certsTTL {
		return k, nil
	}
	keys, err := fetchKeys(ctx, cmp.Or(v.Client, http.DefaultClient), cmp.Or(v.CertsURL, GoogleCertsURL))
	if err != nil {
		return nil, err
	}
	v.keys, v.fetched = keys, v.now()
	k, ok := keys[kid]
	if !ok {
		return nil, fmt.Errorf("unknown key id %q", kid)
	}
	return k, nil
}

type jwks struct {
	Keys []struct {
		Kid string `json:"kid"`
		Kty string `json:"kty"`
		N   string `json:"n"`
		E   string `json:"e"`
	} `json:"keys"`
}

func fetchKeys(ctx context.Context, client *http.Client, url string) (map[string]*rsa.PublicKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("oidc certs: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("oidc certs: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("oidc certs: HTTP %d", resp.StatusCode)
	}
	var set jwks
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		return nil, fmt.Errorf("oidc certs: %w", err)
	}
	keys := make(map[string]*rsa.PublicKey, len(set.Keys))
	for _, k := range set.Keys {
		if k.Kty != "RSA" {
			continue
		}
		n, errN := base64.RawURLEncoding.DecodeString(k.N)
		e, errE := base64.RawURLEncoding.DecodeString(k.E)
		if errN != nil || errE != nil || len(e) == 0 || len(e) > 4 {
			continue
		}
		keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	return keys, nil
}
