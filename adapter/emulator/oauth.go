package emulator

import (
	"crypto/rand"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// authState holds OAuth grants. Any client id and secret are accepted: the
// emulator checks who the tokens belong to, not which app asks.
type authState struct {
	codes   map[string]authCode
	access  map[string]*accessToken
	refresh map[string]*refreshToken
}

type authCode struct {
	email, redirectURI, scope string
	expires                   time.Time
}

type accessToken struct {
	email   string
	expires time.Time
	refresh string // the grant it came from; revoking either revokes both
	revoked bool
}

type refreshToken struct {
	email, scope string
	revoked      bool
}

func newAuthState() authState {
	return authState{codes: map[string]authCode{}, access: map[string]*accessToken{}, refresh: map[string]*refreshToken{}}
}

// Paths of the OAuth endpoints, for golang.org/x/oauth2.Endpoint{AuthURL: base+AuthPath, TokenURL: base+TokenPath}.
const (
	AuthPath   = "/o/oauth2/auth"
	TokenPath  = "/token"
	RevokePath = "/revoke"
)

func (s *Server) routeOAuth() {
	s.mux.HandleFunc("GET "+AuthPath, s.authorize)
	s.mux.HandleFunc("GET /o/oauth2/v2/auth", s.authorize)
	s.mux.HandleFunc("POST "+TokenPath, s.token)
	s.mux.HandleFunc("POST /o/oauth2/token", s.token)
	s.mux.HandleFunc(RevokePath, s.revoke)
	s.mux.HandleFunc("/o/oauth2/revoke", s.revoke)
	s.handle(s.userinfo, "GET /oauth2/v2/userinfo", "GET /oauth2/v3/userinfo")
	s.mux.HandleFunc("GET "+CertsPath, s.certs)
}

func newToken(prefix string) string { return prefix + rand.Text() }

// issueLocked starts a grant for email and returns its first access token.
func (s *Server) issueLocked(email, scope string, now time.Time) (access, refresh string, expiresIn int64) {
	u := s.userLocked(email, true)
	refresh = newToken("1//emu-")
	s.auth.refresh[refresh] = &refreshToken{email: u.email, scope: scope}
	access = s.accessLocked(u.email, refresh, now)
	return access, refresh, int64(s.cfg.TokenTTL / time.Second)
}

func (s *Server) accessLocked(email, refresh string, now time.Time) string {
	tok := newToken("ya29.emu-")
	s.auth.access[tok] = &accessToken{email: email, expires: now.Add(s.cfg.TokenTTL), refresh: refresh}
	return tok
}

// IssueToken creates the account for email when needed and grants it an
// access token (valid for Config.TokenTTL) and a refresh token, as if the user
// had completed the consent screen.
func (s *Server) IssueToken(email string) (access, refresh string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	access, refresh, _ = s.issueLocked(email, "", s.cfg.Clock.Now())
	return access, refresh
}

// ExpireTokens makes every access token of email expired now; refresh tokens keep working.
func (s *Server) ExpireTokens(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Clock.Now()
	for _, t := range s.auth.access {
		if strings.EqualFold(t.email, email) {
			t.expires = now.Add(-time.Second)
		}
	}
}

// RevokeTokens revokes every grant of email, as when the user removes the app's
// access: API calls answer 401 and refreshes 400 invalid_grant.
func (s *Server) RevokeTokens(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.auth.refresh {
		if strings.EqualFold(t.email, email) {
			t.revoked = true
		}
	}
	for _, t := range s.auth.access {
		if strings.EqualFold(t.email, email) {
			t.revoked = true
		}
	}
}

// authenticate resolves the bearer token of r to its user.
func (s *Server) authenticate(r *http.Request, now time.Time) (*user, *apiError) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		tok = r.URL.Query().Get("access_token")
	}
	hdr := http.Header{"Www-Authenticate": {`Bearer realm="https://accounts.google.com/", error="invalid_token"`}}
	if tok == "" {
		return nil, &apiError{code: http.StatusUnauthorized, reason: "required", header: hdr,
			message: "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential."}
	}
	t, ok := s.auth.access[tok]
	if !ok || t.revoked || !now.Before(t.expires) {
		return nil, &apiError{code: http.StatusUnauthorized, reason: "authError", header: hdr,
			message: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential."}
	}
	return s.userLocked(t.email, true), nil
}

// tokenUserLocked names the user of r's bearer token without failing; faults use it.
func (s *Server) tokenUserLocked(r *http.Request) string {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if t, ok := s.auth.access[tok]; ok {
		return t.email
	}
	return ""
}

// authorize auto-approves the consent screen for login_hint and redirects with
// a code; without login_hint it shows a page to pick one of the known accounts.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	email, redirect := strings.ToLower(strings.TrimSpace(q.Get("login_hint"))), q.Get("redirect_uri")
	target, err := url.Parse(redirect)
	switch {
	case redirect == "" || err != nil:
		http.Error(w, "Error 400: invalid_request: redirect_uri is missing or invalid", http.StatusBadRequest)
		return
	case q.Get("response_type") != "code":
		http.Error(w, "Error 400: unsupported_response_type: the emulator supports response_type=code", http.StatusBadRequest)
		return
	case email == "":
		s.chooseAccount(w, r)
		return
	}
	code := newToken("4/emu-")
	s.mu.Lock()
	s.auth.codes[code] = authCode{email: email, redirectURI: redirect, scope: q.Get("scope"), expires: s.cfg.Clock.Now().Add(10 * time.Minute)}
	s.mu.Unlock()
	tq := target.Query()
	tq.Set("code", code)
	if st := q.Get("state"); st != "" {
		tq.Set("state", st)
	}
	tq.Set("scope", q.Get("scope"))
	target.RawQuery = tq.Encode()
	http.Redirect(w, r, target.String(), http.StatusFound)
}

// accountPage stands in for Google's account chooser: each known account links
// back to this request with login_hint set.
var accountPage = template.Must(template.New("accounts").Parse(`<!doctype html>
<title>Choose an account - Workspace emulator</title>
<h1>Choose an account</h1>
<ul>{{range .}}<li><a href="{{.URL}}">{{.Email}}</a></li>{{else}}<li>No accounts yet: add a workspace or pass login_hint.</li>{{end}}</ul>`))

func (s *Server) chooseAccount(w http.ResponseWriter, r *http.Request) {
	type account struct{ Email, URL string }
	var accounts []account
	for _, email := range s.Users() {
		q := r.URL.Query()
		q.Set("login_hint", email)
		accounts = append(accounts, account{Email: email, URL: r.URL.Path + "?" + q.Encode()})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := accountPage.Execute(w, accounts); err != nil {
		s.cfg.Logger.Warn("emulator account page", "err", err)
	}
}

func oauthError(w http.ResponseWriter, code int, kind, desc string) {
	writeJSON(w, code, map[string]string{"error": kind, "error_description": desc})
}

// token serves the authorization_code and refresh_token grants.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Clock.Now()
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		code := r.PostForm.Get("code")
		c, ok := s.auth.codes[code]
		delete(s.auth.codes, code) // codes are single use
		if !ok || now.After(c.expires) {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "Malformed auth code.")
			return
		}
		if ru := r.PostForm.Get("redirect_uri"); ru != "" && ru != c.redirectURI {
			oauthError(w, http.StatusBadRequest, "redirect_uri_mismatch", "Bad Request")
			return
		}
		access, refresh, exp := s.issueLocked(c.email, c.scope, now)
		writeJSON(w, http.StatusOK, map[string]any{"access_token": access, "refresh_token": refresh,
			"expires_in": exp, "token_type": "Bearer", "scope": c.scope})
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		t, ok := s.auth.refresh[rt]
		if !ok || t.revoked {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "Token has been expired or revoked.")
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"access_token": s.accessLocked(t.email, rt, now),
			"expires_in": int64(s.cfg.TokenTTL / time.Second), "token_type": "Bearer", "scope": t.scope})
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "Invalid grant_type: "+r.PostForm.Get("grant_type"))
	}
}

// revoke ends the grant of an access or refresh token.
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm() // a bad body leaves the token empty, answered below
	tok := r.Form.Get("token")
	s.mu.Lock()
	defer s.mu.Unlock()
	grant := ""
	if t, ok := s.auth.access[tok]; ok && !t.revoked {
		grant = t.refresh
		t.revoked = true
	} else if t, ok := s.auth.refresh[tok]; ok && !t.revoked {
		grant = tok
	} else {
		oauthError(w, http.StatusBadRequest, "invalid_token", "Token expired or revoked")
		return
	}
	if rt, ok := s.auth.refresh[grant]; ok {
		rt.revoked = true
	}
	for _, t := range s.auth.access {
		if grant != "" && t.refresh == grant {
			t.revoked = true
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

func (s *Server) userinfo(c *call) (any, *apiError) {
	return map[string]any{"id": c.u.email, "sub": c.u.email, "email": c.u.email, "verified_email": true, "email_verified": true}, nil
}
