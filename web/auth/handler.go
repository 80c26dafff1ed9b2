package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

// Cookies the web app holds. Both are HttpOnly: scripts never see a token.
const (
	// AccessCookie carries the access JWT to every path.
	AccessCookie = "orchestrator_access"
	// RefreshCookie carries the refresh token, to /auth only.
	RefreshCookie = "orchestrator_refresh"
	// stateCookie carries a sign-in's OAuth state and PKCE verifier, signed,
	// between the redirect to Google and the callback.
	stateCookie = "orchestrator_oauth"
)

// Paths the Handler serves; mount it at "/auth/".
const (
	LoginPath    = "/auth/google/login"
	CallbackPath = "/auth/google/callback"
	RefreshPath  = "/auth/refresh"
	LogoutPath   = "/auth/logout"
	DemoPath     = "/auth/demo"
)

// stateTTL is how long a person may take on Google's consent screen.
const stateTTL = 10 * time.Minute

// GoogleSignIn is Google's OAuth client (adapter/google/googleauth.Auth).
type GoogleSignIn interface {
	// AuthCodeURL is Google's authorization endpoint for this sign-in: the
	// state, the S256 challenge of verifier, offline access, and the consent
	// screen forced when consent is set (Google then issues a refresh token).
	AuthCodeURL(state, verifier, loginHint string, consent bool) string
	// SignIn exchanges the code (with its PKCE verifier) for tokens and reads
	// who they belong to.
	SignIn(ctx context.Context, code, verifier string) (domain.GoogleIdentity, domain.GoogleToken, error)
}

// HandlerConfig tunes the sign-in endpoints. Zero fields take their defaults.
type HandlerConfig struct {
	// SecureCookies sends cookies over HTTPS only. Defaults to false;
	// production mode sets it.
	SecureCookies bool
	// DemoUser, when set, enables POST /auth/demo: one click signs in as
	// this user (the demo workspace). Defaults to "" (off); never in production.
	DemoUser string
	// AfterLogin is where the callback sends the browser when the login
	// named no return_to. Defaults to "/".
	AfterLogin string
	// ReturnOrigins are origins (scheme://host[:port]) a return_to may name
	// besides this server's own paths: the web app's (CORS_ORIGINS).
	// Defaults to none.
	ReturnOrigins []string
}

// HandlerDeps are what the endpoints call.
type HandlerDeps struct {
	Keys     *Keyset   // Required.
	Sessions *Sessions // Required.
	Users    domain.UserStore
	Tokens   domain.TokenStore
	Tx       domain.TxRunner
	// Sync enqueues the first sync of a signed-in account. Required with Google.
	Sync ingest.SyncQueue
	// Google serves /auth/google/*. Defaults to nil: those paths answer 404.
	Google GoogleSignIn
	// Logger receives failures the client only sees as a code. Defaults to slog.Default().
	Logger *slog.Logger
}

// Handler serves sign-in: Google's authorization-code flow with PKCE, the
// session's refresh and sign-out, and the demo sign-in.
type Handler struct {
	cfg  HandlerConfig
	deps HandlerDeps
	mux  *http.ServeMux
}

// NewHandler returns the sign-in endpoints.
func NewHandler(cfg HandlerConfig, deps HandlerDeps) (*Handler, error) {
	if cfg.AfterLogin == "" {
		cfg.AfterLogin = "/"
	}
	switch {
	case deps.Keys == nil || deps.Sessions == nil || deps.Users == nil:
		return nil, errors.New("auth: HandlerDeps.Keys, Sessions and Users are required")
	case deps.Google != nil && (deps.Tokens == nil || deps.Tx == nil || deps.Sync == nil):
		return nil, errors.New("auth: HandlerDeps.Google needs Tokens, Tx and Sync")
	}
	for _, o := range cfg.ReturnOrigins {
		if u, err := url.Parse(o); err != nil || u.Scheme == "" || u.Host == "" || u.Path != "" {
			return nil, fmt.Errorf("auth: HandlerConfig.ReturnOrigins: %q is not scheme://host[:port]", o)
		}
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	h := &Handler{cfg: cfg, deps: deps, mux: http.NewServeMux()}
	if deps.Google != nil {
		h.mux.HandleFunc("GET "+LoginPath, h.login)
		h.mux.HandleFunc("GET "+CallbackPath, h.callback)
	}
	h.mux.HandleFunc("POST "+RefreshPath, h.refresh)
	h.mux.HandleFunc("POST "+LogoutPath, h.logout)
	if cfg.DemoUser != "" {
		h.mux.HandleFunc("POST "+DemoPath, h.demo)
	}
	return h, nil
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store") // tokens must not be cached
	h.mux.ServeHTTP(w, r)
}

// login starts Google's authorization-code flow. Query: return_to (a path
// here or a URL on a ReturnOrigins origin; where the browser lands after
// the callback) and client=native (the callback then answers JSON with
// both tokens instead of setting cookies).
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	returnTo, err := h.returnTo(q.Get("return_to"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", err.Error())
		return
	}
	st := loginState{State: rand.Text(), Verifier: verifier(), ReturnTo: returnTo, Native: q.Get("client") == "native"}
	// The consent screen is skipped only for someone already signed in whose
	// working refresh token we hold: Google issues a refresh token only with it.
	hint, consent := q.Get("login_hint"), true
	if c, ok, _ := h.deps.Keys.fromRequest(r); ok {
		if u, err := h.deps.Users.UserByID(r.Context(), c.UserID); err == nil {
			hint, consent = u.Email, !u.GoogleConnected || u.NeedsReauth
		}
	}
	signed, err := h.deps.Keys.mintState(st, stateTTL)
	if err != nil {
		h.internal(w, r, "mint sign-in state", err)
		return
	}
	http.SetCookie(w, h.cookie(stateCookie, signed, "/auth/google", stateTTL, http.SameSiteLaxMode))
	http.Redirect(w, r, h.deps.Google.AuthCodeURL(st.State, st.Verifier, hint, consent), http.StatusFound)
}

// verifier draws a PKCE code verifier (RFC 7636 §4.1: 43 to 128 characters).
func verifier() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// callback finishes the flow: the state must match the browser's signed
// cookie; the code is exchanged with its verifier; the account is created or
// found, its Google tokens sealed and its first sync enqueued in one
// transaction; then the person is signed in.
func (h *Handler) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	http.SetCookie(w, h.cookie(stateCookie, "", "/auth/google", -1, http.SameSiteLaxMode))
	c, err := r.Cookie(stateCookie)
	if err != nil {
		writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", "this sign-in was not started in this browser, or took too long: sign in again")
		return
	}
	st, err := h.deps.Keys.verifyState(c.Value)
	if err != nil || subtle.ConstantTimeCompare([]byte(st.State), []byte(q.Get("state"))) != 1 {
		writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", "this sign-in was not started in this browser, or took too long: sign in again")
		return
	}
	if e := q.Get("error"); e != "" {
		writeError(w, http.StatusForbidden, "FORBIDDEN", "Google did not grant access ("+e+"): sign in again and allow access to continue")
		return
	}
	id, tok, err := h.deps.Google.SignIn(r.Context(), q.Get("code"), st.Verifier)
	switch {
	case errors.Is(err, domain.ErrInvalidInput):
		writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", "Google refused the sign-in code: sign in again")
		return
	case err != nil:
		h.deps.Logger.WarnContext(r.Context(), "google sign-in", "err", err)
		writeError(w, http.StatusBadGateway, "UNAVAILABLE", "Google did not answer: try again shortly")
		return
	case !id.EmailVerified:
		writeError(w, http.StatusForbidden, "FORBIDDEN", "this Google account's email address is not verified")
		return
	}
	u, err := h.connect(r.Context(), id, tok)
	if err != nil {
		h.internal(w, r, "connect google account", err)
		return
	}
	h.signIn(w, r, u, st.Native, st.ReturnTo)
}

// connect creates or finds the user, stores their Google tokens as a new
// grant (which, carrying a refresh token, clears any need to reconnect: the
// cache is kept and sync resumes) and enqueues a sync of every service, all
// in one transaction.
func (h *Handler) connect(ctx context.Context, id domain.GoogleIdentity, tok domain.GoogleToken) (domain.User, error) {
	var u domain.User
	err := h.deps.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if u, err = h.deps.Users.UpsertUser(ctx, id.Email); err != nil {
			return err
		}
		if err := h.deps.Tokens.SaveGoogleToken(ctx, u.ID, tok); err != nil {
			return err
		}
		if err := h.deps.Users.TouchUser(ctx, u.ID, h.deps.Sessions.clock.Now()); err != nil {
			return err
		}
		for _, s := range domain.Services {
			if err := h.deps.Sync.EnqueueSync(ctx, u.ID, s, ingest.PriorityUrgent); err != nil {
				return err
			}
		}
		u, err = h.deps.Users.UserByID(ctx, u.ID)
		return err
	})
	return u, err
}

// demo signs in as the demo user with one click (development only).
func (h *Handler) demo(w http.ResponseWriter, r *http.Request) {
	u, err := h.deps.Users.UserByEmail(r.Context(), h.cfg.DemoUser)
	if errors.Is(err, domain.ErrNotFound) {
		writeError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "the demo workspace is still being set up: try again in a moment")
		return
	}
	if err != nil {
		h.internal(w, r, "demo user", err)
		return
	}
	h.signIn(w, r, u, r.URL.Query().Get("client") == "native", "")
}

// signIn opens a session for u: cookies and a redirect to returnTo for a
// browser, or JSON with both tokens for a native client. With no returnTo
// the browser gets JSON too (the web app calling by fetch).
func (h *Handler) signIn(w http.ResponseWriter, r *http.Request, u domain.User, native bool, returnTo string) {
	t, err := h.deps.Sessions.Start(r.Context(), u)
	if err != nil {
		h.internal(w, r, "start session", err)
		return
	}
	if native {
		h.writeTokens(w, t, u, true)
		return
	}
	h.setSession(w, t)
	if returnTo != "" {
		http.Redirect(w, r, returnTo, http.StatusSeeOther)
		return
	}
	h.writeTokens(w, t, u, false)
}

// refreshBody is a native client's refresh or sign-out request.
type refreshBody struct {
	RefreshToken string `json:"refreshToken"`
}

// presented reads the refresh token from the JSON body (native clients) or
// the cookie (the web app).
func presented(r *http.Request) (token string, native bool, err error) {
	var b refreshBody
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if err := json.NewDecoder(io.LimitReader(r.Body, 4<<10)).Decode(&b); err != nil && !errors.Is(err, io.EOF) {
			return "", false, fmt.Errorf("body is not {\"refreshToken\": \"...\"}: %w", err)
		}
	}
	if b.RefreshToken != "" {
		return b.RefreshToken, true, nil
	}
	if c, err := r.Cookie(RefreshCookie); err == nil {
		return c.Value, false, nil
	}
	return "", false, nil
}

// refresh rotates the refresh token: the old one is spent, a new pair issued.
func (h *Handler) refresh(w http.ResponseWriter, r *http.Request) {
	tok, native, err := presented(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", err.Error())
		return
	}
	t, err := h.deps.Sessions.Refresh(r.Context(), tok)
	if errors.Is(err, domain.ErrUnauthenticated) {
		if !native {
			h.clearSession(w)
		}
		msg := "the session has ended: sign in again"
		if errors.Is(err, domain.ErrSessionReused) {
			msg = "this refresh token was already used, so the session was ended for safety: sign in again"
		}
		writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", msg)
		return
	}
	if err != nil {
		h.internal(w, r, "refresh session", err)
		return
	}
	if !native {
		h.setSession(w, t)
	}
	h.writeTokens(w, t, domain.User{}, native)
}

// logout ends the session the refresh token belongs to and clears the cookies.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	tok, _, err := presented(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", err.Error())
		return
	}
	if err := h.deps.Sessions.End(r.Context(), tok); err != nil {
		h.internal(w, r, "end session", err)
		return
	}
	h.clearSession(w)
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) setSession(w http.ResponseWriter, t Tokens) {
	now := h.deps.Sessions.clock.Now()
	http.SetCookie(w, h.cookie(AccessCookie, t.AccessToken, "/", t.AccessExpiresAt.Sub(now), http.SameSiteLaxMode))
	http.SetCookie(w, h.cookie(RefreshCookie, t.RefreshToken, "/auth", t.RefreshExpiresAt.Sub(now), http.SameSiteStrictMode))
}

func (h *Handler) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, h.cookie(AccessCookie, "", "/", -1, http.SameSiteLaxMode))
	http.SetCookie(w, h.cookie(RefreshCookie, "", "/auth", -1, http.SameSiteStrictMode))
}

// cookie builds an HttpOnly cookie; a negative ttl deletes it.
func (h *Handler) cookie(name, value, path string, ttl time.Duration, site http.SameSite) *http.Cookie {
	c := &http.Cookie{Name: name, Value: value, Path: path, HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: site}
	if ttl < 0 {
		c.MaxAge = -1
	} else {
		c.MaxAge = int(ttl / time.Second)
	}
	return c
}

// returnTo accepts a path on this server or a URL on an allowed origin.
func (h *Handler) returnTo(raw string) (string, error) {
	if raw == "" {
		return h.cfg.AfterLogin, nil
	}
	u, err := url.Parse(raw)
	if err == nil && u.Scheme == "" && u.Host == "" && strings.HasPrefix(u.Path, "/") && !strings.HasPrefix(raw, "//") && !strings.Contains(raw, `\`) {
		return raw, nil
	}
	if err == nil {
		for _, o := range h.cfg.ReturnOrigins {
			if strings.EqualFold(u.Scheme+"://"+u.Host, o) {
				return raw, nil
			}
		}
	}
	return "", fmt.Errorf("return_to %q is neither a path on this server nor on an allowed origin", raw)
}

// tokenResponse is the JSON of a sign-in or refresh. The refresh token is
// only in it for native clients; the web app's stays in its HttpOnly cookie.
type tokenResponse struct {
	AccessToken  string    `json:"accessToken"`
	TokenType    string    `json:"tokenType"`
	ExpiresAt    time.Time `json:"expiresAt"`
	ExpiresIn    int64     `json:"expiresIn"`
	RefreshToken string    `json:"refreshToken,omitempty"`
	Email        string    `json:"email,omitempty"`
}

func (h *Handler) writeTokens(w http.ResponseWriter, t Tokens, u domain.User, withRefresh bool) {
	out := tokenResponse{AccessToken: t.AccessToken, TokenType: "Bearer", ExpiresAt: t.AccessExpiresAt.UTC(),
		ExpiresIn: int64(t.AccessExpiresAt.Sub(h.deps.Sessions.clock.Now()).Round(time.Second) / time.Second), Email: u.Email}
	if withRefresh {
		out.RefreshToken = t.RefreshToken
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// writeError answers in GraphQL's error shape, so a client reads
// extensions.code the same way everywhere.
func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
		"message": message, "extensions": map[string]any{"code": code},
	}}})
}

func (h *Handler) internal(w http.ResponseWriter, r *http.Request, what string, err error) {
	h.deps.Logger.ErrorContext(r.Context(), "sign-in", "what", what, "err", err)
	writeError(w, http.StatusInternalServerError, "INTERNAL", "internal error")
}
