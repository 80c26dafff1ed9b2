package server_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
	"github.com/workspace-orchestrator/orchestrator/domain/synth"
	"github.com/workspace-orchestrator/orchestrator/resolvers"
	"github.com/workspace-orchestrator/orchestrator/web/auth"
	"github.com/workspace-orchestrator/orchestrator/web/server"
)

var testNow = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

// syncBuffer collects log lines written from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type bundle struct {
	h          http.Handler
	c          *client.Client
	mem        *memStore
	answers    *memAnswers
	searcher   *memSearcher
	syncs      *memSyncs
	limiter    *memLimiter
	keys       *auth.Keyset
	alice, bob domain.User
	aliceTok   string
	asAlice    client.Option
	asBob      client.Option
	logs       *syncBuffer
}

type option func(*server.Config, *server.Deps)

func setup(t testing.TB, opts ...option) *bundle {
	t.Helper()
	clock := domain.FixedClock{T: testNow}
	mem := newMemStore(clock)
	ctx := context.Background()
	alice, err := mem.UpsertUser(ctx, "alice@example.com")
	require.NoError(t, err)
	bob, err := mem.UpsertUser(ctx, "bob@example.com")
	require.NoError(t, err)
	mem.seed(alice, 5)
	mem.seed(bob, 1)

	keys, err := auth.ParseKeyset("k1:"+strings.Repeat("s", 32), domain.SystemClock{})
	require.NoError(t, err)
	aliceTok, err := keys.Mint(alice.ID, alice.Email, time.Hour)
	require.NoError(t, err)
	bobTok, err := keys.Mint(bob.ID, bob.Email, time.Hour)
	require.NoError(t, err)

	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	answers := newMemAnswers()
	orch, err := orchestrator.New(orchestrator.Config{}, orchestrator.Deps{
		Classifier: intent.NewOffline(nil), Writer: synth.Offline{}, Agents: []agent.Agent{calendarAgent{}},
		Conversations: mem, Publisher: answers, Users: mem, Clock: clock, Logger: log,
	})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, orch.Close(context.Background())) })
	searcher := &memSearcher{mem: mem}
	syncs := &memSyncs{statuses: map[uuid.UUID][]domain.SyncStatus{}}
	limiter := &memLimiter{limit: 5, used: map[uuid.UUID]int{}}
	cfg := server.Config{}
	deps := server.Deps{
		Resolver: resolvers.Resolver{
			Users: mem, Workspace: mem, ConversationStore: mem, ConversationBatch: mem,
			Clock: clock, TickEvery: 10 * time.Millisecond,
			Asker: orch, Answers: answers, AskLimiter: limiter, Searcher: searcher,
			SyncStatuses: syncs, SyncQueue: syncs, SyncPollEvery: 10 * time.Millisecond,
			ReplayWait: 100 * time.Millisecond, Logger: log,
		},
		Keys:   keys,
		Ready:  func(context.Context) error { return nil },
		Logger: log,
	}
	for _, o := range opts {
		o(&cfg, &deps)
	}
	h, err := server.New(cfg, deps)
	require.NoError(t, err)
	return &bundle{
		h: h, c: client.New(h, client.Path("/graphql")), mem: mem, keys: keys,
		answers: answers, searcher: searcher, syncs: syncs, limiter: limiter,
		alice: alice, bob: bob, aliceTok: aliceTok,
		asAlice: client.AddHeader("Authorization", "Bearer "+aliceTok),
		asBob:   client.AddHeader("Authorization", "Bearer "+bobTok),
		logs:    logs,
	}
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// errorsOf posts a query and returns its errors, whatever the HTTP status
// (parse and validation failures answer 422).
func (b *bundle) errorsOf(t *testing.T, query string, opts ...client.Option) []gqlError {
	t.Helper()
	rec := httptest.NewRecorder()
	recording := client.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.h.ServeHTTP(rec, r)
		w.WriteHeader(http.StatusOK)
	}), client.Path("/graphql"))
	_, _ = recording.RawPost(query, opts...)
	var resp struct{ Errors []gqlError }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp), rec.Body.String())
	require.NotEmpty(t, resp.Errors, "want errors for %s", query)
	return resp.Errors
}

func codeOf(e gqlError) string {
	code, _ := e.Extensions["code"].(string)
	return code
}

func nodeID(typ string, id uuid.UUID) string {
	return base64.StdEncoding.EncodeToString([]byte(typ + ":" + id.String()))
}

func TestMe(t *testing.T) {
	t.Parallel()
	b := setup(t)

	var resp struct {
		Me struct {
			ID, Email, TimeZone string
			NeedsReauth         bool
			CreatedAt           string
		}
	}
	b.c.MustPost(`{ me { id email timeZone needsReauth createdAt } }`, &resp, b.asAlice)
	require.Equal(t, "alice@example.com", resp.Me.Email)
	require.Equal(t, nodeID("User", b.alice.ID), resp.Me.ID)
	require.Equal(t, "Europe/Istanbul", resp.Me.TimeZone)
	require.Equal(t, testNow.Format(time.RFC3339), resp.Me.CreatedAt)

	errs := b.errorsOf(t, `{ me { email } }`)
	require.Equal(t, "UNAUTHENTICATED", codeOf(errs[0]))
	require.Equal(t, []any{"me"}, errs[0].Path)
}

func TestBadTokenIsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, header := range []string{"Bearer not-a-jwt", "Basic YTpi", "Bearer " + b.aliceTok + "x"} {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ me { email } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", header)
		w := httptest.NewRecorder()
		b.h.ServeHTTP(w, req)
		require.Equal(t, http.StatusUnauthorized, w.Code, header)
		require.Contains(t, w.Body.String(), `"code":"UNAUTHENTICATED"`)
	}
}

type pageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

type emailPage struct {
	Emails struct {
		Edges []struct {
			Cursor string
			Node   struct{ ID, Subject string }
		}
		PageInfo   pageInfo
		TotalCount int
	}
}

func TestEmailsPaginate(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const q = `query($after: String) {
		emails(first: 2, after: $after) {
			edges { cursor node { id subject } }
			pageInfo { hasNextPage endCursor }
			totalCount
		}
	}`
	var subjects []string
	var after *string
	for range 10 {
		var resp emailPage
		b.c.MustPost(q, &resp, b.asAlice, client.Var("after", after))
		require.Equal(t, 5, resp.Emails.TotalCount)
		for _, e := range resp.Emails.Edges {
			subjects = append(subjects, e.Node.Subject)
		}
		if n := len(resp.Emails.Edges); n > 0 {
			require.Equal(t, *resp.Emails.PageInfo.EndCursor, resp.Emails.Edges[n-1].Cursor)
		}
		if !resp.Emails.PageInfo.HasNextPage {
			break
		}
		after = resp.Emails.PageInfo.EndCursor
	}
	require.Equal(t, []string{"Report 0", "Report 1", "Report 2", "Report 3", "Report 4"}, subjects)

	// A middle edge's cursor resumes right after it.
	var first, rest emailPage
	b.c.MustPost(q, &first, b.asAlice)
	b.c.MustPost(q, &rest, b.asAlice, client.Var("after", first.Emails.Edges[0].Cursor))
	require.Equal(t, "Report 1", rest.Emails.Edges[0].Node.Subject)
}

func TestFiltersReachThePorts(t *testing.T) {
	t.Parallel()
	b := setup(t)

	var emails emailPage
	b.c.MustPost(`{ emails(filter: {from: ["s1@example.com"], unread: false}) { edges { node { id subject } } totalCount } }`, &emails, b.asAlice)
	require.Equal(t, 2, emails.Emails.TotalCount) // Report 1 and 3

	b.c.MustPost(`query($f: EmailFilter) { emails(filter: $f) { totalCount } }`, &emails, b.asAlice,
		client.Var("f", map[string]any{"after": testNow.Add(-2 * time.Hour).Format(time.RFC3339)}))
	require.Equal(t, 3, emails.Emails.TotalCount) // received now, 1h and 2h ago

	var events struct {
		Events struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Title     string
					Attendees []struct{ Email, ResponseStatus string }
				}
			}
		}
	}
	b.c.MustPost(`{ events(filter: {attendees: ["ayse@example.com"]}, first: 1) { totalCount edges { node { title attendees { email responseStatus } } } } }`, &events, b.asAlice)
	require.Equal(t, 5, events.Events.TotalCount)
	require.Equal(t, "accepted", events.Events.Edges[0].Node.Attendees[0].ResponseStatus)

	var files struct {
		Files struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Name       string
					Properties []struct{ Key, Value string }
				}
			}
		}
	}
	b.c.MustPost(`{ files(filter: {mimeTypes: ["application/pdf"]}, first: 1) { totalCount edges { node { name properties { key value } } } } }`, &files, b.asAlice)
	require.Equal(t, 5, files.Files.TotalCount)
	require.Equal(t, "a", files.Files.Edges[0].Node.Properties[0].Key) // sorted by key
}

func TestNodeScopedToCaller(t *testing.T) {
	t.Parallel()
	b := setup(t)
	aliceEmail := b.mem.emails[0]
	bobEmail := b.mem.emails[len(b.mem.emails)-1]
	require.Equal(t, b.bob.ID, bobEmail.UserID)

	var resp struct {
		Node struct {
			Typename string `json:"__typename"`
			ID       string
			Subject  string
		}
	}
	b.c.MustPost(`query($id: ID!) { node(id: $id) { __typename id ... on Email { subject } } }`, &resp, b.asAlice,
		client.Var("id", nodeID("Email", aliceEmail.ID)))
	require.Equal(t, "Email", resp.Node.Typename)
	require.Equal(t, aliceEmail.Subject, resp.Node.Subject)

	for name, id := range map[string]string{
		"email":        nodeID("Email", bobEmail.ID),
		"user":         nodeID("User", b.bob.ID),
		"conversation": nodeID("Conversation", b.mem.conversations[len(b.mem.conversations)-1].ID),
		"message":      nodeID("Message", b.mem.messages[len(b.mem.messages)-1].ID),
		"missing":      nodeID("File", uuid.New()),
	} {
		errs := b.errorsOf(t, `query($id: ID!) { node(id: $id) { id } }`, b.asAlice, client.Var("id", id))
		require.Equal(t, "NOT_FOUND", codeOf(errs[0]), name)
		require.Equal(t, "not found", errs[0].Message, name)
	}

	bobConv := nodeID("Conversation", b.mem.conversations[len(b.mem.conversations)-1].ID)
	errs := b.errorsOf(t, `query($id: ID!) { conversation(id: $id) { title } }`, b.asAlice, client.Var("id", bobConv))
	require.Equal(t, "NOT_FOUND", codeOf(errs[0]))
	var conv struct{ Conversation struct{ Title string } }
	b.c.MustPost(`query($id: ID!) { conversation(id: $id) { title } }`, &conv, b.asBob, client.Var("id", bobConv))
	require.Equal(t, "Chat 0", conv.Conversation.Title)
}

func TestBadUserInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for name, q := range map[string]string{
		"cursor":      `{ emails(after: "garbage") { totalCount } }`,
		"datetime":    `{ emails(filter: {after: "yesterday"}) { totalCount } }`,
		"empty range": `{ events(filter: {after: "2026-11-28T10:00:00Z", before: "2026-11-28T09:00:00Z"}) { totalCount } }`,
		"first zero":  `{ files(first: 0) { totalCount } }`,
		"first big":   `{ conversations(first: 1000) { totalCount } }`,
		"node id":     `{ node(id: "!!!") { id } }`,
		"node type":   `{ node(id: "` + nodeID("Spaceship", uuid.New()) + `") { id } }`,
		"wrong type":  `{ conversation(id: "` + nodeID("Email", uuid.New()) + `") { id } }`,
	} {
		errs := b.errorsOf(t, q, b.asAlice)
		require.Equal(t, "BAD_USER_INPUT", codeOf(errs[0]), "%s: %+v", name, errs[0])
	}
	errs := b.errorsOf(t, `{ emails(filter: {after: "yesterday"}) { totalCount } }`, b.asAlice)
	require.Contains(t, errs[0].Message, "not RFC 3339")
	errs = b.errorsOf(t, `query($f: EmailFilter) { emails(filter: $f) { totalCount } }`, b.asAlice,
		client.Var("f", map[string]any{"before": "2026-13-01"}))
	require.Equal(t, "BAD_USER_INPUT", codeOf(errs[0]), "%+v", errs[0])
}

func TestParseAndValidationErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	errs := b.errorsOf(t, `{ me { email `, b.asAlice)
	require.Equal(t, "GRAPHQL_PARSE_FAILED", codeOf(errs[0]))

	errs = b.errorsOf(t, `{ me { shoeSize } }`, b.asAlice)
	require.Equal(t, "GRAPHQL_VALIDATION_FAILED", codeOf(errs[0]))
	require.Contains(t, errs[0].Message, "shoeSize")

	errs = b.errorsOf(t, `query($n: Int) { emails(first: $n) { totalCount } }`, b.asAlice, client.Var("n", "two"))
	require.Equal(t, "GRAPHQL_VALIDATION_FAILED", codeOf(errs[0]))
}

const deepQuery = `{ conversations(first: 2) { edges { node { messages(first: 2) { edges { node { conversation { messages(first: 2) { edges { node { query } } } } } } } } } } }`

func TestDepthAndComplexityLimits(t *testing.T) {
	t.Parallel()
	limited := setup(t, func(c *server.Config, _ *server.Deps) { c.DepthLimit = 8; c.ComplexityLimit = 30 })

	errs := limited.errorsOf(t, deepQuery, limited.asAlice)
	require.Equal(t, "DEPTH_LIMIT_EXCEEDED", codeOf(errs[0]))
	require.Contains(t, errs[0].Message, "11 levels")

	// The same depth through fragments counts the same.
	errs = limited.errorsOf(t, `{ conversations { ...C } } fragment C on ConversationConnection { edges { node { messages { edges { node { conversation { messages { edges { node { query } } } } } } } } } }`, limited.asAlice)
	require.Equal(t, "DEPTH_LIMIT_EXCEEDED", codeOf(errs[0]))

	errs = limited.errorsOf(t, `{ a: me { email } b: me { email } c: me { email } d: me { email } e: me { email }
		f: me { email } g: me { email } h: me { email } i: me { email } j: me { email } k: me { email }
		l: me { email } m: me { email } n: me { email } o: me { email } p: me { email } }`, limited.asAlice)
	require.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED", codeOf(errs[0]))

	// Lists weigh their page size: 1 + 3 fields x 9 rows fits in 30, x 100 does not.
	var ok map[string]any
	limited.c.MustPost(`{ emails(first: 9) { edges { node { subject } } } }`, &ok, limited.asAlice)
	errs = limited.errorsOf(t, `{ emails(first: 100) { edges { node { subject } } } }`, limited.asAlice)
	require.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED", codeOf(errs[0]))

	// The defaults allow the deep query, and GraphiQL's deep introspection query.
	b := setup(t)
	var resp map[string]any
	b.c.MustPost(deepQuery, &resp, b.asAlice)
	b.c.MustPost(`{ __schema { types { name fields { name type { kind ofType { kind ofType { kind ofType { kind ofType { kind ofType { name } } } } } } } } } }`, &resp)
}

// failing answers Files with an internal error and panics on Events.
type failing struct{ *memStore }

func (failing) Files(context.Context, uuid.UUID, domain.Filter, domain.Page) ([]domain.File, domain.PageInfo, error) {
	return nil, domain.PageInfo{}, errors.New("pq: password authentication failed for user secret_admin")
}

func (failing) Events(context.Context, uuid.UUID, domain.Filter, domain.Page) ([]domain.Event, domain.PageInfo, error) {
	panic("nil map in events")
}

func (failing) Emails(context.Context, uuid.UUID, domain.Filter, domain.Page) ([]domain.Email, domain.PageInfo, error) {
	return nil, domain.PageInfo{}, &domain.RetryAfterError{Err: domain.ErrRateLimited, RetryAfter: 7}
}

func TestInternalErrorsDoNotLeak(t *testing.T) {
	t.Parallel()
	b := setup(t, func(_ *server.Config, d *server.Deps) {
		d.Resolver.Workspace = failing{d.Resolver.Workspace.(*memStore)}
	})

	errs := b.errorsOf(t, `{ files { totalCount } }`, b.asAlice, client.AddHeader("X-Request-ID", "req-files-1"))
	require.Equal(t, "INTERNAL", codeOf(errs[0]))
	require.Equal(t, "internal error", errs[0].Message)
	require.Equal(t, "req-files-1", errs[0].Extensions["requestId"])
	require.Contains(t, b.logs.String(), "secret_admin")
	require.Contains(t, b.logs.String(), `"request_id":"req-files-1"`)

	errs = b.errorsOf(t, `{ events { totalCount } }`, b.asAlice)
	require.Equal(t, "INTERNAL", codeOf(errs[0]))
	require.Equal(t, "internal error", errs[0].Message)
	require.Contains(t, b.logs.String(), "nil map in events")

	errs = b.errorsOf(t, `{ emails { totalCount } }`, b.asAlice)
	require.Equal(t, "RATE_LIMITED", codeOf(errs[0]))
	require.EqualValues(t, 7, errs[0].Extensions["retryAfterSeconds"])

	// The server still answers after a panic.
	var me struct{ Me struct{ Email string } }
	b.c.MustPost(`{ me { email } }`, &me, b.asAlice)
	require.Equal(t, "alice@example.com", me.Me.Email)
}

func TestDataloadersBatchNestedFields(t *testing.T) {
	t.Parallel()
	// A long batch window so a slow run (-race) cannot split a batch.
	b := setup(t, func(_ *server.Config, d *server.Deps) { d.Resolver.BatchWait = 200 * time.Millisecond })
	var resp struct {
		Conversations struct {
			Edges []struct {
				Node struct {
					Title        string
					MessageCount int
					Messages     struct {
						TotalCount int
						Edges      []struct {
							Node struct {
								Query        string
								Status       string
								Conversation struct{ Title string }
							}
						}
					}
				}
			}
		}
	}
	b.c.MustPost(`{ conversations { edges { node { title messageCount messages { totalCount edges { node { query status conversation { title } } } } } } } }`, &resp, b.asAlice)
	require.Len(t, resp.Conversations.Edges, 5)
	for _, e := range resp.Conversations.Edges {
		require.Equal(t, 3, e.Node.MessageCount)
		require.Equal(t, 3, e.Node.Messages.TotalCount)
		for _, m := range e.Node.Messages.Edges {
			require.Equal(t, e.Node.Title, m.Node.Conversation.Title)
			require.Equal(t, "DONE", m.Node.Status)
		}
	}
	// 5 message counts and 15 message -> conversation lookups: one query per
	// parent would be 5 and 15 calls; batched, one each.
	require.EqualValues(t, 1, b.mem.batchCounts.Load())
	require.EqualValues(t, 1, b.mem.batchConversations.Load())
	require.Zero(t, b.mem.singleConversation.Load())
}

func TestCreateConversation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var resp struct {
		CreateConversation struct {
			Conversation struct {
				ID, Title    string
				MessageCount int
			}
		}
	}
	b.c.MustPost(`mutation { createConversation(input: {title: " Trip to Izmir "}) { conversation { id title messageCount } } }`, &resp, b.asAlice)
	require.Equal(t, "Trip to Izmir", resp.CreateConversation.Conversation.Title)
	require.Zero(t, resp.CreateConversation.Conversation.MessageCount)

	var node struct{ Node struct{ Title string } }
	b.c.MustPost(`query($id: ID!) { node(id: $id) { ... on Conversation { title } } }`, &node, b.asAlice,
		client.Var("id", resp.CreateConversation.Conversation.ID))
	require.Equal(t, "Trip to Izmir", node.Node.Title)
}

func TestAutomaticPersistedQueries(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const q = `{ me { email } }`
	hash := "sha256Hash"
	ext := func(h string) client.Option {
		return client.Extensions(map[string]any{"persistedQuery": map[string]any{"version": 1, hash: h}})
	}
	sum := sha256Hex(q)

	resp, err := b.c.RawPost("", b.asAlice, ext(sum))
	require.NoError(t, err)
	require.Contains(t, string(resp.Errors), "PersistedQueryNotFound")

	var me struct{ Me struct{ Email string } }
	require.NoError(t, b.c.Post(q, &me, b.asAlice, ext(sum)))
	require.NoError(t, b.c.Post("", &me, b.asAlice, ext(sum)))
	require.Equal(t, "alice@example.com", me.Me.Email)
}

func TestGETAndSSE(t *testing.T) {
	t.Parallel()
	b := setup(t)

	req := httptest.NewRequest(http.MethodGet, "/graphql?query=%7B%20me%20%7B%20email%20%7D%20%7D", nil)
	req.Header.Set("Authorization", "Bearer "+b.aliceTok)
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, req)
	require.Equal(t, http.StatusOK, w.Code)
	require.JSONEq(t, `{"data":{"me":{"email":"alice@example.com"}}}`, w.Body.String())

	// SSE over a real connection: the stream is endless, so read one event.
	srv := httptest.NewServer(b.h)
	defer srv.Close()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	sreq, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"subscription { serverTime }"}`))
	require.NoError(t, err)
	sreq.Header.Set("Content-Type", "application/json")
	sreq.Header.Set("Accept", "text/event-stream")
	sreq.Header.Set("Authorization", "Bearer "+b.aliceTok)
	sresp, err := srv.Client().Do(sreq)
	require.NoError(t, err)
	defer sresp.Body.Close()
	require.Equal(t, "text/event-stream", sresp.Header.Get("Content-Type"))
	sc := bufio.NewScanner(sresp.Body)
	var data string
	for sc.Scan() {
		if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			data = d
			break
		}
	}
	require.JSONEq(t, `{"data":{"serverTime":"`+testNow.Format(time.RFC3339)+`"}}`, data)
}

func TestProbesAndPlayground(t *testing.T) {
	t.Parallel()
	notReady := errors.New("migrations behind: 20260101000000")
	b := setup(t)
	down := setup(t, func(_ *server.Config, d *server.Deps) {
		d.Ready = func(context.Context) error { return notReady }
	})
	get := func(h http.Handler, path string, headers ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}

	require.Equal(t, http.StatusOK, get(b.h, "/healthz").Code)
	require.Equal(t, http.StatusOK, get(b.h, "/readyz").Code)
	w := get(down.h, "/readyz", "X-Request-ID", "probe-7")
	require.Equal(t, http.StatusServiceUnavailable, w.Code)
	require.NotContains(t, w.Body.String(), "migrations")
	require.Equal(t, "probe-7", w.Header().Get("X-Request-ID"))
	require.Contains(t, down.logs.String(), "migrations behind")
	require.Contains(t, down.logs.String(), `"request_id":"probe-7"`)

	// A request id is made up when the client sends none (or a bad one).
	generated := get(b.h, "/healthz", "X-Request-ID", "has space").Header().Get("X-Request-ID")
	_, err := uuid.Parse(generated)
	require.NoError(t, err)

	require.Equal(t, http.StatusMovedPermanently, get(b.h, "/playground").Code)
	page := get(b.h, "/playground/")
	require.Equal(t, http.StatusOK, page.Code)
	body := page.Body.String()
	require.Contains(t, body, "GraphiQL")
	require.NotContains(t, body, "https://") // everything from the binary, no CDN
	for _, asset := range []string{"graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js", "graphql-ws.min.js"} {
		require.Contains(t, body, "assets/"+asset)
		w := get(b.h, "/playground/assets/"+asset)
		require.Equal(t, http.StatusOK, w.Code, asset)
		require.Greater(t, w.Body.Len(), 1000, asset)
		require.Equal(t, "public, max-age=86400", w.Header().Get("Cache-Control"))
	}
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	_, err := server.New(server.Config{DepthLimit: -1}, server.Deps{})
	require.ErrorContains(t, err, "Config.DepthLimit")
	_, err = server.New(server.Config{}, server.Deps{})
	require.ErrorContains(t, err, "Deps.Keys")
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
