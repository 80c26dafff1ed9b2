package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/emulatortest"
	"github.com/workspace-orchestrator/orchestrator/web/auth"
)

// browser is a cookie-keeping HTTP client that stops at redirects, so each
// step of the sign-in flow is seen and checked.
type browser struct {
	t      *testing.T
	client *http.Client
	server string
}

func newBrowser(t *testing.T, server string) *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &browser{t: t, server: server, client: &http.Client{
		Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (b *browser) do(method, target, contentType, body string) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	require.NoError(b.t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := b.client.Do(req)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(b.t, err)
	return resp, string(raw)
}

func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.server + "/auth/refresh")
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

type gqlResult struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// graphql posts a query with the browser's cookies and no Authorization header.
func (b *browser) graphql(query string) gqlResult {
	b.t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	resp, raw := b.do(http.MethodPost, b.server+"/graphql", "application/json", string(body))
	var out gqlResult
	require.NoError(b.t, json.Unmarshal([]byte(raw), &out), "HTTP %d: %s", resp.StatusCode, raw)
	return out
}

type me struct {
	Email           string
	NeedsReauth     bool
	GoogleConnected bool
	Scopes          []string
	LastSyncAt      *time.Time
}

func (b *browser) me() me {
	b.t.Helper()
	r := b.graphql(`{ me { email needsReauth googleConnected scopes lastSyncAt } }`)
	require.Empty(b.t, r.Errors)
	var out struct{ Me me }
	require.NoError(b.t, json.Unmarshal(r.Data, &out))
	return out.Me
}

// signIn walks Google's flow as a person: /auth/google/login, the consent
// screen (answered Allow), and the callback, which sets the session cookies.
// It returns the authorization request the server sent the browser to.
func (b *browser) signIn(email string) url.Values {
	b.t.Helper()
	resp, _ := b.do(http.MethodGet, b.server+auth.LoginPath+"?return_to=/app/", "", "")
	require.Equal(b.t, http.StatusFound, resp.StatusCode)
	authURL, err := resp.Location()
	require.NoError(b.t, err)
	q := authURL.Query()
	if q.Get("login_hint") == "" { // the person picks their account
		q.Set("login_hint", email)
		authURL.RawQuery = q.Encode()
	}
	resp, page := b.do(http.MethodGet, authURL.String(), "", "")
	require.Equal(b.t, http.StatusOK, resp.StatusCode)
	require.Contains(b.t, page, "Allow access to "+email)

	callback, err := emulator.Approve(context.Background(), http.DefaultClient, authURL.String())
	require.NoError(b.t, err)
	require.Equal(b.t, b.server+auth.CallbackPath, callback.Scheme+"://"+callback.Host+callback.Path)
	resp, body := b.do(http.MethodGet, callback.String(), "", "")
	require.Equal(b.t, http.StatusSeeOther, resp.StatusCode, body)
	require.Equal(b.t, "/app/", resp.Header.Get("Location"))
	require.NotEmpty(b.t, b.cookie(auth.RefreshCookie))
	return q
}

func TestSignInWithGoogleEndToEnd(t *testing.T) {
	t.Parallel()
	e := setupCmd(t)
	ctx := context.Background()
	const email = "erin@example.com"
	day := time.Now().Add(-24 * time.Hour)
	require.NoError(t, e.emu.AddWorkspace(email, emulator.Workspace{Messages: []emulator.Message{
		emulatortest.Mail("sarah@example.com", email, "Budget review", "The Q3 budget", day, "INBOX"),
		emulatortest.Mail("omar@example.com", email, "Offsite", "Plans for the offsite", day, "INBOX"),
	}}))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	e.vars["HTTP_ADDR"] = ln.Addr().String() // the OAuth redirect URI is built from it
	a, st := e.startApp(t, nil)
	h, err := a.handler(st)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	b := newBrowser(t, srv.URL)

	// Anonymous: no session.
	r := b.graphql(`{ me { email } }`)
	require.Equal(t, "UNAUTHENTICATED", r.Errors[0].Extensions["code"])

	// Login redirect -> consent -> callback -> cookie.
	asked := b.signIn(email)
	require.Equal(t, "S256", asked.Get("code_challenge_method"))
	require.NotEmpty(t, asked.Get("code_challenge"))
	require.NotEmpty(t, asked.Get("state"))
	require.Equal(t, "offline", asked.Get("access_type"))
	require.Equal(t, "consent", asked.Get("prompt"), "no refresh token is held yet")
	for _, s := range []string{"openid", "email", "https://www.googleapis.com/auth/gmail.modify",
		"https://www.googleapis.com/auth/calendar", "https://www.googleapis.com/auth/drive"} {
		require.Contains(t, strings.Fields(asked.Get("scope")), s)
	}

	// GraphQL me, then the first sync, which the callback enqueued.
	m := b.me()
	require.Equal(t, email, m.Email)
	require.True(t, m.GoogleConnected)
	require.Contains(t, m.Scopes, "https://www.googleapis.com/auth/gmail.modify")
	// Waits read the store: polling the API would spend the user's hourly
	// request budget.
	u, err := e.store.UserByEmail(ctx, email)
	require.NoError(t, err)
	lastSyncAt := func() time.Time {
		sts, err := e.store.SyncStatuses(ctx, u.ID)
		require.NoError(t, err)
		var last time.Time
		for _, st := range sts {
			if st.LastSyncAt.After(last) {
				last = st.LastSyncAt
			}
		}
		return last
	}
	require.Eventually(t, func() bool { return !lastSyncAt().IsZero() }, 60*time.Second, 100*time.Millisecond)
	require.NotNil(t, b.me().LastSyncAt)
	emailCount := func() int {
		var n int
		require.NoError(t, e.db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM gmail_cache WHERE user_id = $1`, u.ID).Scan(&n))
		return n
	}
	require.Eventually(t, func() bool { return emailCount() == 2 }, 60*time.Second, 100*time.Millisecond)

	// Refresh rotation: the cookie's token is spent and replaced.
	first := b.cookie(auth.RefreshCookie)
	resp, body := b.do(http.MethodPost, srv.URL+auth.RefreshPath, "", "")
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	require.NotContains(t, body, first, "the web app's refresh token stays in its cookie")
	second := b.cookie(auth.RefreshCookie)
	require.NotEqual(t, first, second)
	require.Equal(t, email, b.me().Email)

	// Reuse detection: the spent token, presented again (as a thief would),
	// is refused and ends the whole session, including its successor.
	thief := newBrowser(t, srv.URL)
	resp, body = thief.do(http.MethodPost, srv.URL+auth.RefreshPath, "application/json", `{"refreshToken":"`+first+`"}`)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	require.Contains(t, body, "already used")
	resp, _ = thief.do(http.MethodPost, srv.URL+auth.RefreshPath, "application/json", `{"refreshToken":"`+second+`"}`)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	// Signed in again, now without the consent screen: a working refresh
	// token is held. Sign-out revokes the session and clears the cookies.
	asked = b.signIn(email)
	require.Empty(t, asked.Get("prompt"))
	require.Equal(t, email, asked.Get("login_hint"))
	third := b.cookie(auth.RefreshCookie)
	resp, _ = b.do(http.MethodPost, srv.URL+auth.LogoutPath, "", "")
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	require.Empty(t, b.cookie(auth.RefreshCookie))
	r = b.graphql(`{ me { email } }`)
	require.Equal(t, "UNAUTHENTICATED", r.Errors[0].Extensions["code"])
	resp, _ = thief.do(http.MethodPost, srv.URL+auth.RefreshPath, "application/json", `{"refreshToken":"`+third+`"}`)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	// Access revoked at Google: the next sync marks the account, and the API
	// says REAUTH_REQUIRED with where to sign in.
	b.signIn(email)
	e.emu.RevokeTokens(email)
	r = b.graphql(`mutation { syncNow(service: GMAIL) { state } }`)
	require.Empty(t, r.Errors)
	// A sync the sign-in started with the token from before the revocation
	// may still be running (syncNow is then a duplicate): asking again is
	// what a person would do.
	require.Eventually(t, func() bool {
		got, err := e.store.UserByID(ctx, u.ID)
		require.NoError(t, err)
		if !got.NeedsReauth {
			b.graphql(`mutation { syncNow(service: GMAIL) { state } }`)
		}
		return got.NeedsReauth
	}, 60*time.Second, 500*time.Millisecond)
	m = b.me()
	require.False(t, m.GoogleConnected)
	r = b.graphql(`mutation { syncNow(service: GMAIL) { state } }`)
	require.Equal(t, "REAUTH_REQUIRED", r.Errors[0].Extensions["code"])
	require.Equal(t, srv.URL+auth.LoginPath, r.Errors[0].Extensions["loginUrl"])
	require.NotContains(t, r.Errors[0].Message, u.ID.String())

	// Reconnecting asks for consent again and resumes sync on the kept cache.
	// (A person takes longer than River to record the failed jobs; a sync
	// still recorded as running when the reconnect enqueues is not doubled.)
	jobsIdle := func() bool {
		var n int
		require.NoError(t, e.db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM river_job
			WHERE args->>'user_id' = $1::text AND state IN ('available', 'running', 'retryable', 'scheduled')`, u.ID).Scan(&n))
		return n == 0
	}
	require.Eventually(t, jobsIdle, 30*time.Second, 50*time.Millisecond)
	lastSync := lastSyncAt()
	asked = b.signIn(email)
	require.Equal(t, "consent", asked.Get("prompt"))
	m = b.me()
	require.True(t, m.GoogleConnected)
	require.False(t, m.NeedsReauth)
	require.Equal(t, 2, emailCount(), "the cache survived")
	require.Eventually(t, func() bool { return lastSyncAt().After(lastSync) }, 60*time.Second, 100*time.Millisecond)

	// deleteAccount revokes the grant at Google and leaves no row behind. (A
	// job running at that moment is cancelled and left to River's cleaner.)
	require.Eventually(t, jobsIdle, 30*time.Second, 50*time.Millisecond)
	grant, err := e.store.GoogleToken(ctx, u.ID)
	require.NoError(t, err)
	_, err = e.store.CreateConversation(ctx, u.ID, "kept until deleted")
	require.NoError(t, err)
	require.NotZero(t, rowsOf(t, e, u.ID)["gmail_cache"])
	r = b.graphql(`mutation { deleteAccount { deletedUserId } }`)
	require.Empty(t, r.Errors)
	for table, n := range rowsOf(t, e, u.ID) {
		require.Zero(t, n, "rows of the deleted user left in %s", table)
	}
	resp, body = b.do(http.MethodPost, e.hs.URL+emulator.TokenPath, "application/x-www-form-urlencoded",
		url.Values{"grant_type": {"refresh_token"}, "refresh_token": {grant.RefreshToken}}.Encode())
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.Contains(t, body, "invalid_grant")
}

// rowsOf counts the user's rows in every table that has a user_id column
// (whatever migrations add later), the users table and River's jobs.
func rowsOf(t *testing.T, e *cmdEnv, userID uuid.UUID) map[string]int {
	t.Helper()
	ctx := context.Background()
	rows, err := e.db.SQL.QueryContext(ctx, `SELECT table_name FROM information_schema.columns
		WHERE column_name = 'user_id' AND table_schema = current_schema()`)
	require.NoError(t, err)
	var tables []string
	for rows.Next() {
		var name string
		require.NoError(t, rows.Scan(&name))
		tables = append(tables, name)
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	require.Contains(t, tables, "sessions")
	counts := map[string]int{}
	count := func(name, query string) {
		var n int
		require.NoError(t, e.db.SQL.QueryRowContext(ctx, query, userID).Scan(&n), name)
		counts[name] = n
	}
	for _, table := range tables {
		count(table, `SELECT count(*) FROM `+table+` WHERE user_id = $1`)
	}
	count("users", `SELECT count(*) FROM users WHERE id = $1`)
	count("river_job", `SELECT count(*) FROM river_job WHERE args->>'user_id' = $1::text`)
	return counts
}
