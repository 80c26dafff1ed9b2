package emulator

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
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
	clientID                  string // the aud of its id_token
	// challenge and method are the PKCE code_challenge (RFC 7636); the token
	// request must then bring the verifier.
	challenge, method string
	expires           time.Time
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
	// ApprovePath receives the consent screen's form.
	ApprovePath = "/o/oauth2/approve"
)

func (s *Server) routeOAuth() {
	s.mux.HandleFunc("GET "+AuthPath, s.authorize)
	s.mux.HandleFunc("GET /o/oauth2/v2/auth", s.authorize)
	s.mux.HandleFunc("POST "+ApprovePath, s.approve)
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

// authorize checks the request as Google does and shows the consent screen
// for login_hint (the account chooser without one). Nothing is granted until
// the person answers the consent form (approve).
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if msg := checkAuthRequest(q); msg != "" {
		http.Error(w, msg, http.StatusBadRequest)
		return
	}
	if strings.TrimSpace(q.Get("login_hint")) == "" {
		s.chooseAccount(w, r)
		return
	}
	type field struct{ Name, Value string }
	var fields []field
	for name, vs := range q {
		for _, v := range vs {
			fields = append(fields, field{name, v})
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	err := consentPage.Execute(w, map[string]any{
		"Email": strings.ToLower(strings.TrimSpace(q.Get("login_hint"))), "Scopes": strings.Fields(q.Get("scope")),
		"Action": ApprovePath, "Fields": fields,
	})
	if err != nil {
		s.cfg.Logger.Warn("emulator consent page", "err", err)
	}
}

// checkAuthRequest is Google's validation of an authorization request; ""
// when it is acceptable.
func checkAuthRequest(q url.Values) string {
	target, err := url.Parse(q.Get("redirect_uri"))
	switch {
	case q.Get("redirect_uri") == "" || err != nil || !target.IsAbs():
		return "Error 400: invalid_request: redirect_uri is missing or invalid"
	case q.Get("response_type") != "code":
		return "Error 400: unsupported_response_type: the emulator supports response_type=code"
	case q.Get("code_challenge") != "" && q.Get("code_challenge_method") != "S256" && q.Get("code_challenge_method") != "plain":
		return "Error 400: invalid_request: Invalid code_challenge_method"
	}
	return ""
}

// consentPage stands in for Google's consent screen: the request's
// parameters ride in hidden fields to approve.
var consentPage = template.Must(template.New("consent").Parse(`<!doctype html>
<title>Sign in - Workspace emulator</title>
<h1>Allow access to {{.Email}}?</h1>
<p>The application asks for:</p>
<ul>{{range .Scopes}}<li>{{.}}</li>{{end}}</ul>
<form method="post" action="{{.Action}}">
{{range .Fields}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<button name="consent" value="allow">Allow</button> <button name="consent" value="deny">Cancel</button>
</form>`))

// approve answers the consent form: Allow redirects back with a code (bound
// to the PKCE challenge) and the state; Cancel with error=access_denied.
func (s *Server) approve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Error 400: invalid_request", http.StatusBadRequest)
		return
	}
	q := r.PostForm
	email := strings.ToLower(strings.TrimSpace(q.Get("login_hint")))
	if msg := checkAuthRequest(q); msg != "" || email == "" {
		http.Error(w, cmp.Or(msg, "Error 400: invalid_request: no account chosen"), http.StatusBadRequest)
		return
	}
	target, _ := url.Parse(q.Get("redirect_uri"))
	tq := target.Query()
	if q.Get("consent") != "allow" {
		tq.Set("error", "access_denied")
	} else {
		code := newToken("4/emu-")
		s.mu.Lock()
		s.auth.codes[code] = authCode{email: email, redirectURI: q.Get("redirect_uri"), scope: q.Get("scope"), clientID: q.Get("client_id"),
			challenge: q.Get("code_challenge"), method: q.Get("code_challenge_method"),
			expires: s.cfg.Clock.Now().Add(10 * time.Minute)}
		s.mu.Unlock()
		tq.Set("code", code)
		tq.Set("scope", q.Get("scope"))
	}
	if st := q.Get("state"); st != "" {
		tq.Set("state", st)
	}
	target.RawQuery = tq.Encode()
	http.Redirect(w, r, target.String(), http.StatusFound)
}

// Approve answers the consent screen at authURL (an authorization request
// with login_hint) as a person clicking Allow would, and returns the
// redirect it leads to (redirect_uri with code and state). Tests and
// `orchestrator` connect accounts to the emulator with it; Google itself
// cannot be answered this way.
func Approve(ctx context.Context, client *http.Client, authURL string) (*url.URL, error) {
	u, err := url.Parse(authURL)
	if err != nil {
		return nil, fmt.Errorf("approve: %w", err)
	}
	form := u.Query()
	form.Set("consent", "allow")
	approve := u.Scheme + "://" + u.Host + ApprovePath
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, approve, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("approve: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	noFollow := *client
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noFollow.Do(req)
	if err != nil {
		return nil, fmt.Errorf("approve: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	loc, err := resp.Location()
	if resp.StatusCode != http.StatusFound || err != nil {
		return nil, fmt.Errorf("approve: %s answered HTTP %d instead of redirecting with a code (only the Workspace emulator can be approved this way): %s",
			u.Host, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	return loc, nil
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
		if msg := checkVerifier(c, r.PostForm.Get("code_verifier")); msg != "" {
			oauthError(w, http.StatusBadRequest, "invalid_grant", msg)
			return
		}
		access, refresh, exp := s.issueLocked(c.email, c.scope, now)
		out := map[string]any{"access_token": access, "refresh_token": refresh,
			"expires_in": exp, "token_type": "Bearer", "scope": c.scope}
		if slices.Contains(strings.Fields(c.scope), "openid") { // OpenID Connect: who signed in, signed (keys at CertsPath)
			id, err := s.keys.token(c.clientID, c.email, c.email, now)
			if err != nil {
				oauthError(w, http.StatusInternalServerError, "server_error", err.Error())
				return
			}
			out["id_token"] = id
		}
		writeJSON(w, http.StatusOK, out)
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

// checkVerifier is PKCE's check at the token endpoint (RFC 7636 §4.6), with
// Google's messages; "" when the verifier matches or none was asked for.
func checkVerifier(c authCode, verifier string) string {
	switch {
	case c.challenge == "":
		return ""
	case verifier == "":
		return "Missing code verifier."
	case c.method == "S256":
		sum := sha256.Sum256([]byte(verifier))
		if base64.RawURLEncoding.EncodeToString(sum[:]) == c.challenge {
			return ""
		}
	case verifier == c.challenge: // plain
		return ""
	}
	return "Invalid code verifier."
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
	name, _, _ := strings.Cut(c.u.email, "@")
	return map[string]any{"id": c.u.email, "sub": c.u.email, "email": c.u.email, "verified_email": true, "email_verified": true,
		"name": name}, nil
}
