package auth

import (
	"net/http"
)

// unauthorizedBody is a GraphQL-shaped answer, so clients read the same
// extensions.code whether the token or a resolver refused them.
const unauthorizedBody = `{"errors":[{"message":"invalid or expired bearer token","extensions":{"code":"UNAUTHENTICATED"}}]}`

// Middleware reads "Authorization: Bearer <token>", or else the web app's
// access cookie. A valid token puts the user id in the request context; none
// leaves the request anonymous (resolvers then answer UNAUTHENTICATED); a bad
// or expired token is refused with 401 before any work is done, so the web
// app knows to call /auth/refresh.
func (k *Keyset) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok, err := k.fromRequest(r)
		if err != nil {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(unauthorizedBody))
			return
		}
		if ok {
			r = r.WithContext(WithClaims(r.Context(), c))
		}
		next.ServeHTTP(w, r)
	})
}

// fromRequest verifies the request's bearer token or, without one, its
// access cookie.
func (k *Keyset) fromRequest(r *http.Request) (c Claims, ok bool, err error) {
	if h := r.Header.Get("Authorization"); h != "" {
		return k.VerifyBearer(h)
	}
	cookie, err := r.Cookie(AccessCookie)
	if err != nil || cookie.Value == "" {
		return Claims{}, false, nil
	}
	c, err = k.Verify(cookie.Value)
	return c, err == nil, err
}
