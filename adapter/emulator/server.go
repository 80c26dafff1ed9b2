// Package emulator is a loopback Google Workspace: an http.Handler that speaks
// the Gmail v1, Calendar v3, Drive v3 and OAuth 2.0 REST wire formats for many
// users at once, in memory, so the real google.golang.org/api clients can be
// tested and demonstrated without Google. JSON is produced from the clients'
// own generated structs and errors use Google's error JSON, so
// googleapi.CheckResponse parses them into *googleapi.Error (with Header, for
// Retry-After).
//
// Point the real clients at it with option.WithEndpoint: Gmail at base+"/",
// Calendar at base+"/calendar/v3/" and Drive at base+"/drive/v3/" (Calendar and
// Drive routes are also served without their prefix, so base+"/" works too),
// and golang.org/x/oauth2 at base+AuthPath and base+TokenPath.
//
// Routes:
//
//	/gmail/v1/users/{userId}/...      Gmail; {userId} is "me" or the token's own email (403 otherwise)
//	/upload/gmail/v1/users/{userId}/  media uploads (uploadType=media|multipart)
//	/calendar/v3/...                  Calendar, primary calendar only ("primary" or the user's email)
//	/drive/v3/...                     Drive, My Drive only
//	/o/oauth2/auth, /token, /revoke   OAuth 2.0; /oauth2/v2/userinfo
//	/emulator/...                     admin JSON endpoints (see routeAdmin in admin.go)
//
// Semantics worth knowing:
//   - Every change bumps the user's Gmail historyId and records history; only
//     the last Config.HistoryRetention records are kept, and history.list with
//     an older startHistoryId (or one from before ResetHistory) answers 404.
//   - Calendar sync tokens name a change sequence number; deleted events stay
//     as status "cancelled" tombstones; an unknown or reset token answers 410
//     with reason fullSyncRequired. A listing's nextSyncToken is taken when its
//     first page was served, so changes made while paging are sent again.
//     With singleEvents, series (RRULE/EXDATE) expand to instances with ids
//     "<series>_<YYYYMMDDTHHMMSSZ>" that can be got, patched and deleted
//     (becoming exceptions); cancelling a series cancels every instance.
//   - Drive page tokens are change sequence numbers; changes show the file as
//     it is now, or removed=true once deleted for good. Drive answers only the
//     requested fields, and without fields only Drive's default set.
//   - Ids are deterministic per server: Gmail 16 hex digits, drafts r…, user
//     labels Label_N, events emu…, files 1Emu….
package emulator

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Config configures a Server.
type Config struct {
	// Clock stamps dates, token expiries and change times. Defaults to domain.SystemClock{}.
	Clock domain.Clock
	// Logger receives one debug line per request and delivery errors. Defaults to a discarding logger.
	Logger *slog.Logger
	// TokenTTL is the lifetime of issued access tokens. Defaults to
	// DefaultTokenTTL (1h).
	TokenTTL time.Duration
	// HistoryRetention is how many Gmail history records are kept per user; a
	// startHistoryId older than the oldest one answers 404. Defaults to
	// DefaultHistoryRetention (1000).
	HistoryRetention int
	// MaxBodyBytes bounds a request body. Defaults to DefaultMaxBodyBytes
	// (64 MiB).
	MaxBodyBytes int64
	// PushClient delivers watch notifications. Defaults to an *http.Client with a 5s timeout.
	PushClient *http.Client
	// GmailPushURL, when set, receives a Pub/Sub push message for every Gmail
	// change of a user with an active users.watch. Defaults to "" (no Gmail push).
	GmailPushURL string
	// GmailPushAudience is the aud claim of the OIDC token (RS256, keys at
	// CertsPath) sent as the push's bearer token. Defaults to GmailPushURL.
	GmailPushAudience string
}

// Defaults of Config.
const (
	DefaultTokenTTL         = time.Hour
	DefaultHistoryRetention = 1000
	DefaultMaxBodyBytes     = 64 << 20
)

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	if c.Clock == nil {
		c.Clock = domain.SystemClock{}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	c.TokenTTL = cmp.Or(c.TokenTTL, DefaultTokenTTL)
	c.HistoryRetention = cmp.Or(c.HistoryRetention, DefaultHistoryRetention)
	c.MaxBodyBytes = cmp.Or(c.MaxBodyBytes, DefaultMaxBodyBytes)
	if c.PushClient == nil {
		c.PushClient = &http.Client{Timeout: 5 * time.Second}
	}
	c.GmailPushAudience = cmp.Or(c.GmailPushAudience, c.GmailPushURL)
	return c
}

func (c Config) validate() error {
	switch {
	case c.TokenTTL < 0:
		return fmt.Errorf("emulator config: TokenTTL must be positive: %w", domain.ErrInvalidInput)
	case c.HistoryRetention < 0:
		return fmt.Errorf("emulator config: HistoryRetention must be positive: %w", domain.ErrInvalidInput)
	case c.MaxBodyBytes < 0:
		return fmt.Errorf("emulator config: MaxBodyBytes must be positive: %w", domain.ErrInvalidInput)
	}
	return nil
}

// Server is the emulated Workspace. It is safe for concurrent use; one mutex
// guards all state because every request is short and in memory.
type Server struct {
	cfg Config
	mux *http.ServeMux

	mu       sync.Mutex
	users    map[string]*user // by lower-case email
	auth     authState
	faults   []*faultRule
	channels map[string]*channel
	zones    map[string]*time.Location
	nextID   uint64

	push *notifier
	keys signer
}

// New returns a Server with cfg's defaults applied. It panics when cfg is
// invalid (a negative duration or size), which is a programming error.
// Call Close to stop watch-notification delivery.
func New(cfg Config) *Server {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		panic(err)
	}
	s := &Server{
		cfg:      cfg,
		mux:      http.NewServeMux(),
		users:    map[string]*user{},
		auth:     newAuthState(),
		channels: map[string]*channel{},
		zones:    map[string]*time.Location{},
	}
	s.push = newNotifier(cfg.PushClient, cfg.Logger)
	s.routeGmail()
	s.routeCalendar()
	s.routeDrive()
	s.routeOAuth()
	s.routeAdmin()
	// Google answers unknown paths in its error JSON; naming the route shows what the emulator lacks.
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &apiError{code: http.StatusNotFound, reason: "notFound",
			message: "The Workspace emulator does not serve " + r.Method + " " + r.URL.Path})
	})
	return s
}

// Close stops delivering watch notifications. The handler keeps answering.
func (s *Server) Close() { s.push.close() }

// ServeHTTP applies any matching fault, then routes the request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.cfg.Logger.Debug("emulator request", "method", r.Method, "path", r.URL.Path)
	if !strings.HasPrefix(r.URL.Path, "/emulator/") && s.applyFault(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// apiError is a Google JSON error. Its JSON is what googleapi.CheckResponse parses.
type apiError struct {
	code    int
	reason  string
	message string
	domain  string
	header  http.Header
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.code, e.reason, e.message) }

func errNotFound(what string) *apiError {
	return &apiError{code: http.StatusNotFound, reason: "notFound", message: what + " not found"}
}

func errInvalid(msg string) *apiError {
	return &apiError{code: http.StatusBadRequest, reason: "invalid", message: msg}
}

// canonicalStatus is the google.rpc.Code name Google puts beside the HTTP code.
func canonicalStatus(code int) string {
	switch code {
	case 400:
		return "INVALID_ARGUMENT"
	case 401:
		return "UNAUTHENTICATED"
	case 403:
		return "PERMISSION_DENIED"
	case 404:
		return "NOT_FOUND"
	case 409:
		return "ALREADY_EXISTS"
	case 412:
		return "FAILED_PRECONDITION"
	case 429:
		return "RESOURCE_EXHAUSTED"
	case 500:
		return "INTERNAL"
	case 501:
		return "UNIMPLEMENTED"
	case 503:
		return "UNAVAILABLE"
	}
	return "" // 410 Gone has no canonical code; Calendar sends none.
}

func writeError(w http.ResponseWriter, e *apiError) {
	for k, vs := range e.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	dom := e.domain
	if dom == "" {
		dom = "global"
	}
	body := map[string]any{"error": map[string]any{
		"code":    e.code,
		"message": e.message,
		"errors":  []map[string]string{{"message": e.message, "domain": dom, "reason": e.reason}},
	}}
	if st := canonicalStatus(e.code); st != "" {
		body["error"].(map[string]any)["status"] = st
	}
	writeJSON(w, e.code, body)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	_, _ = w.Write(b)
}

// media is a handler result written as raw bytes (alt=media, files.export).
type media struct {
	contentType string
	data        []byte
}

// call is one authenticated API request, read in full before the lock is taken.
type call struct {
	r    *http.Request
	body []byte
	u    *user
	now  time.Time
}

func (c *call) query(name string) string { return c.r.URL.Query().Get(name) }

func (c *call) decode(v any) *apiError {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return errInvalid("request body is empty")
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		return errInvalid("invalid JSON payload: " + err.Error())
	}
	return nil
}

type apiFunc func(c *call) (any, *apiError)

// handle registers fn under each pattern; fn runs under the server lock with
// the user that the bearer token names. A nil result answers 204.
func (s *Server) handle(fn apiFunc, patterns ...string) {
	h := func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
		if err != nil {
			writeError(w, &apiError{code: http.StatusRequestEntityTooLarge, reason: "uploadTooLarge", message: err.Error()})
			return
		}
		res, aerr := s.serveCall(r, body, fn)
		if aerr != nil { // checked first: a typed nil result is not a nil interface
			writeError(w, aerr)
			return
		}
		switch v := res.(type) {
		case nil:
			w.WriteHeader(http.StatusNoContent)
		case media:
			w.Header().Set("Content-Type", v.contentType)
			w.Header().Set("Content-Length", strconv.Itoa(len(v.data)))
			_, _ = w.Write(v.data)
		default:
			writeJSON(w, http.StatusOK, v)
		}
	}
	for _, p := range patterns {
		s.mux.HandleFunc(p, h)
	}
}

func (s *Server) serveCall(r *http.Request, body []byte, fn apiFunc) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Clock.Now()
	u, aerr := s.authenticate(r, now)
	if aerr != nil {
		return nil, aerr
	}
	if id := r.PathValue("userId"); id != "" && id != "me" && !strings.EqualFold(id, u.email) {
		return nil, &apiError{code: http.StatusForbidden, reason: "forbidden", message: "Delegation denied for " + u.email}
	}
	return fn(&call{r: r, body: body, u: u, now: now})
}

// page cuts one page out of keys sorted ascending. The page token is the last
// key returned, so a page boundary survives inserts and deletes between calls.
func page(keys []string, token string, size int) (from, to int, next string, aerr *apiError) {
	if token != "" {
		raw, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil {
			return 0, 0, "", errInvalid("Invalid pageToken")
		}
		from = sort.SearchStrings(keys, string(raw))
		if from < len(keys) && keys[from] == string(raw) {
			from++
		}
	}
	to = min(from+size, len(keys))
	if to < len(keys) {
		next = base64.RawURLEncoding.EncodeToString([]byte(keys[to-1]))
	}
	return from, to, next, nil
}

// pageSize reads a maxResults/pageSize parameter, clamped to [1, maxSize].
func pageSize(c *call, param string, def, maxSize int) (int, *apiError) {
	v := c.query(param)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errInvalid("Invalid value for " + param + ": " + v)
	}
	if n == 0 {
		return def, nil
	}
	return min(n, maxSize), nil
}

// newID returns a server-wide unique sequence number for generated ids.
func (s *Server) newID() uint64 {
	s.nextID++
	return s.nextID
}

// errUnknownUser is returned by admin helpers for an email never added.
func errUnknownUser(email string) error {
	return fmt.Errorf("emulator user %q: %w", email, domain.ErrNotFound)
}
