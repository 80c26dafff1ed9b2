package server_test

// The abuse suite: each finding of the attack on the running service (issue
// "Nobody in, nobody starved") as a regression test with its bound, asserted
// as counts and limits (what was refused, how many searches ran) rather than
// wall-clock time, which flakes on a loaded machine. BenchmarkValidation*
// measures the CPU the largest accepted documents cost.

import (
	"context"
	"fmt"
	"github.com/redis/go-redis/v9"
	"github.com/workspace-orchestrator/orchestrator/adapter/ratelimit"
	"github.com/workspace-orchestrator/orchestrator/adapter/redistest"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/web/server"
)

// post sends a raw body to /graphql and returns the status and body.
func post(t *testing.T, h http.Handler, body string, header ...string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Code, w.Body.String()
}

func repeat(field string, n int) string {
	return strings.TrimSpace(strings.Repeat(field+" ", n))
}

// Finding 1: 8,000 repeated __typename (90 KB) took 8.7 s of validation CPU,
// anonymously, and a random comment defeated the query cache. Documents are
// now measured before validation: anonymously they are refused on size,
// authenticated on the width of a selection set; a fragment bomb on the
// fields it would expand to; a comment changes nothing.
func TestAbuseValidationIsBoundedBeforeItRuns(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for name, tc := range map[string]struct {
		query string
		as    bool
	}{
		"8000 repeated fields, anonymous":     {"{ " + repeat("__typename", 8000) + " }", false},
		"8000 repeated fields, authenticated": {"{ " + repeat("__typename", 8000) + " }", true},
		"101 repeated fields":                 {"# " + time.Now().String() + "\n{ " + repeat("__typename", server.DefaultMaxSelections+1) + " }", true},
		"repeats hidden in inline fragments":  {"{ " + repeat("... on Query { "+repeat("__typename", 20)+" }", 6) + " }", true},
		"repeats hidden in a fragment":        {"fragment F on Query { " + repeat("__typename", 60) + " } { ...F ...F __typename }", true},
		"fragment bomb":                       {fragmentBomb(24), true},
		"too many tokens":                     {"{ search(query: \"x\", services: [" + repeat("GMAIL", server.DefaultMaxQueryTokens) + "]) { text } }", true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var opts []string
			if tc.as {
				opts = []string{"Authorization", "Bearer " + b.aliceTok}
			}
			body := fmt.Sprintf(`{"query":%q}`, tc.query)
			_, resp := post(t, b.h, body, opts...)
			require.Contains(t, resp, `"code":"QUERY_TOO_LARGE"`, resp)
		})
	}
}

// fragmentBomb spreads each fragment twice in the one before it: n fragments
// expand to 2^n fields while the document stays tiny.
func fragmentBomb(n int) string {
	var sb strings.Builder
	sb.WriteString("{ ...F0 }\n")
	for i := range n {
		fmt.Fprintf(&sb, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&sb, "fragment F%d on Query { __typename }\n", n)
	return sb.String()
}

// GraphiQL's own introspection query must fit the anonymous limits, or the
// playground could not load a schema before a token is set.
func TestAbuseLimitsAdmitIntrospectionQuery(t *testing.T) {
	t.Parallel()
	b := setup(t)
	status, resp := post(t, b.h, fmt.Sprintf(`{"query":%q}`, introspectionQuery))
	require.Equal(t, http.StatusOK, status, resp)
	require.Contains(t, resp, `"queryType":{"name":"Query"}`)
}

// Finding 2: one request held 1,666 aliased searches. Aliases are capped, a
// search weighs what it costs in the complexity limit, and no search runs
// when the operation is refused.
func TestAbuseAliasedSearchesAreRefusedBeforeRunning(t *testing.T) {
	t.Parallel()
	b := setup(t)
	aliased := func(n int) string {
		var sb strings.Builder
		sb.WriteString("{")
		for i := range n {
			fmt.Fprintf(&sb, " s%d: search(query: \"budget %d\") { hits { score } }", i, i)
		}
		return sb.String() + " }"
	}
	errs := b.errorsOf(t, aliased(server.DefaultMaxAliases+1), b.asAlice)
	require.Equal(t, "QUERY_TOO_LARGE", codeOf(errs[0]), errs[0].Message)
	errs = b.errorsOf(t, aliased(server.DefaultMaxAliases), b.asAlice)
	require.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED", codeOf(errs[0]), errs[0].Message)
	require.Zero(t, b.searcher.calls(), "no search ran")

	// A few searches in one operation still work.
	var resp map[string]any
	b.c.MustPost(aliased(3), &resp, b.asAlice)
	require.Len(t, resp, 3)
}

// Finding 4: 250 aliased __schema fields cost 16 s and 14.5 MB, counted as
// nothing. Introspection is capped per operation and counted for complexity.
func TestAbuseIntrospectionIsCountedAndCapped(t *testing.T) {
	t.Parallel()
	b := setup(t)
	errs := b.errorsOf(t, "{ "+aliasedSchema(3)+" }")
	require.Equal(t, "QUERY_TOO_LARGE", codeOf(errs[0]), errs[0].Message)
	// Two fit the default limit; not a limit below what they cost.
	var resp map[string]any
	b.c.MustPost("{ "+aliasedSchema(2)+" }", &resp)
	small := setup(t, func(c *server.Config, _ *server.Deps) { c.ComplexityLimit = 2*server.IntrospectionCost - 1 })
	errs = small.errorsOf(t, "{ "+aliasedSchema(2)+" }")
	require.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED", codeOf(errs[0]), errs[0].Message)
}

func aliasedSchema(n int) string {
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, " s%d: __schema { queryType { name } }", i)
	}
	return sb.String()
}

// Finding 4: turning introspection off answered INTERNAL and still suggested
// field names. Production mode (DisableIntrospection) answers a code of its
// own and suggests nothing.
func TestAbuseIntrospectionOffInProduction(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *server.Config, _ *server.Deps) { c.DisableIntrospection = true })
	for _, q := range []string{`{ __schema { queryType { name } } }`, `{ __type(name: "User") { name } }`, introspectionQuery} {
		errs := b.errorsOf(t, q, b.asAlice)
		require.Equal(t, "INTROSPECTION_DISABLED", codeOf(errs[0]), errs[0].Message)
	}
	errs := b.errorsOf(t, `{ me { emal } }`, b.asAlice)
	require.NotContains(t, errs[0].Message, "Did you mean", "no field suggestions")
	require.NotContains(t, errs[0].Message, "email")

	// __typename is no introspection of the schema.
	var resp struct {
		Typename string `json:"__typename"`
	}
	b.c.MustPost(`{ __typename }`, &resp, b.asAlice)
	require.Equal(t, "Query", resp.Typename)

	// Development keeps suggestions.
	dev := setup(t)
	errs = dev.errorsOf(t, `{ me { emal } }`, dev.asAlice)
	require.Contains(t, errs[0].Message, "Did you mean")
}

// Finding 5: a 50 MB body was read whole and malformed JSON echoed back.
func TestAbuseBodyIsBoundedAndNeverEchoed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	big := `{"query":"{ me { email } }","variables":{"pad":"` + strings.Repeat("x", server.DefaultMaxBodyBytes) + `"}}`
	status, resp := post(t, b.h, big)
	require.Equal(t, http.StatusRequestEntityTooLarge, status)
	require.Contains(t, resp, `"code":"REQUEST_TOO_LARGE"`)

	// Without a Content-Length the limit holds while reading.
	req := httptest.NewRequest(http.MethodPost, "/graphql", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, req)
	require.Equal(t, http.StatusRequestEntityTooLarge, w.Code)

	status, resp = post(t, b.h, `{"query": "{ me { email } }" SECRET-MARKER-`+strings.Repeat("y", 1000))
	require.Equal(t, http.StatusBadRequest, status)
	require.NotContains(t, resp, "SECRET-MARKER")
	require.NotContains(t, resp, "yyyy")
	require.Contains(t, resp, "not valid")
}

// Finding 5: no ReadTimeout let a slow client hold a connection for 30 s+.
func TestAbuseHTTPServerHasTimeouts(t *testing.T) {
	t.Parallel()
	s := server.NewHTTPServer(http.NotFoundHandler())
	require.Equal(t, server.ReadHeaderTimeout, s.ReadHeaderTimeout)
	require.Equal(t, server.ReadTimeout, s.ReadTimeout)
	require.Equal(t, server.IdleTimeout, s.IdleTimeout)
	require.Positive(t, s.ReadTimeout)
	require.Positive(t, s.IdleTimeout)
}

// Subscriptions outlive ReadTimeout: the long-lived transports clear the
// connection's read deadline once their request is read.
func TestAbuseSubscriptionOutlivesReadTimeout(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *server.Config, _ *server.Deps) { c.KeepAlive = 50 * time.Millisecond })
	srv := httptest.NewUnstartedServer(b.h)
	// long enough for the request to reach the handler that clears it on a
	// loaded machine (300 ms failed once with the race detector under load)
	srv.Config.ReadTimeout = time.Second
	srv.Start()
	t.Cleanup(srv.Close)
	c := dialWS(t, srv.URL, protocols[0], map[string]any{"authorization": "Bearer " + b.aliceTok})
	c.mustNext("connection_ack")
	c.start("1", `subscription { serverTime }`)
	deadline := time.Now().Add(3 * time.Second) // three ReadTimeouts
	for time.Now().Before(deadline) {
		c.mustNext("next")
	}
}

// Finding 6: a websocket authenticated by its upgrade request's header
// ignored the token's expiry.
func TestAbuseWebsocketHeaderTokenExpires(t *testing.T) {
	t.Parallel()
	b := setup(t)
	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)
	short, err := b.keys.Mint(b.alice.ID, b.alice.Email, 2*time.Second)
	require.NoError(t, err)

	ctx := t.Context()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql", &websocket.DialOptions{
		Subprotocols: []string{protocols[0].name},
		HTTPHeader:   http.Header{"Authorization": {"Bearer " + short}},
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.CloseNow() })
	c := &wsClient{t: t, ctx: ctx, conn: conn, p: protocols[0], seen: map[string]int{}}
	c.send(wsMessage{Type: "connection_init"})
	c.mustNext("connection_ack")
	c.start("1", `subscription { serverTime }`)
	var err2 error
	for err2 == nil {
		_, err2 = c.next()
	}
	require.Equal(t, websocket.StatusNormalClosure, websocket.CloseStatus(err2), err2)
}

// Finding 8: tokens of deleted users were accepted.
func TestAbuseDeletedUserIsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.mem.deleteUser(b.alice.ID)
	status, resp := post(t, b.h, `{"query":"{ me { email } }"}`, "Authorization", "Bearer "+b.aliceTok)
	require.Equal(t, http.StatusUnauthorized, status)
	require.Contains(t, resp, `"code":"UNAUTHENTICATED"`)

	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)
	c := dialWS(t, srv.URL, protocols[0], map[string]any{"authorization": "Bearer " + b.aliceTok})
	_, err := c.next()
	require.Equal(t, websocket.StatusCode(4403), websocket.CloseStatus(err), err)
}

// introspectionQuery is graphql-js's getIntrospectionQuery(), which GraphiQL sends.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`

// Finding 9: a NUL byte in a string argument answered INTERNAL (PostgreSQL
// refuses it); every string, inline or in variables, answers BAD_USER_INPUT
// before a resolver runs.
func TestAbuseNULByteIsBadUserInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, q := range []string{
		`{ search(query: "budget\u0000") { text } }`,
		`mutation { ask(input: {query: "hi", clientRequestId: "a\u0000"}) { message { id } } }`,
		`{ emails(filter: {query: "x", from: ["a\u0000@b.c"]}) { totalCount } }`,
		`fragment F on Query { search(query: "\u0000") { text } } { ...F }`,
	} {
		errs := b.errorsOf(t, q, b.asAlice)
		require.Equal(t, "BAD_USER_INPUT", codeOf(errs[0]), q+": "+errs[0].Message)
	}
	_, resp := post(t, b.h, `{"query":"query($q: String!) { search(query: $q) { text } }","variables":{"q":"a\u0000b"}}`,
		"Authorization", "Bearer "+b.aliceTok)
	require.Contains(t, resp, `"code":"BAD_USER_INPUT"`, resp)
	require.Contains(t, resp, `$q`)
	_, resp = post(t, b.h, `{"query":"mutation($in: AskInput!) { ask(input: $in) { message { id } } }","variables":{"in":{"query":"x\u0000"}}}`,
		"Authorization", "Bearer "+b.aliceTok)
	require.Contains(t, resp, `"code":"BAD_USER_INPUT"`, resp)
	require.Zero(t, b.searcher.calls())
}

// countingSearcher records how many searches run at once.
type countingSearcher struct {
	inner          *memSearcher
	mu             sync.Mutex
	now, most, all int
}

func (c *countingSearcher) Search(ctx context.Context, req search.Request) (search.Result, error) {
	c.mu.Lock()
	c.now++
	c.all++
	c.most = max(c.most, c.now)
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.now--
		c.mu.Unlock()
	}()
	time.Sleep(5 * time.Millisecond) // hold the slot, so that searches overlap if they may
	return c.inner.Search(ctx, req)
}

// Finding 2: 300 aliased searches held the pool while another user's
// `me` waited. One user's searches run at most SearchConcurrency at a time;
// the others queue, and other users are not affected.
func TestAbuseSearchesPerUserAreBounded(t *testing.T) {
	t.Parallel()
	var cs *countingSearcher
	b := setup(t, func(c *server.Config, d *server.Deps) {
		c.SearchConcurrency = 2
		cs = &countingSearcher{inner: d.Resolver.Searcher.(*memSearcher)}
		d.Resolver.Searcher = cs
	})
	var sb strings.Builder
	sb.WriteString("{")
	for i := range 8 {
		fmt.Fprintf(&sb, " s%d: search(query: \"budget %d\", first: 1) { text }", i, i)
	}
	sb.WriteString(" }")
	var wg sync.WaitGroup
	for range 3 { // three requests at once: 24 searches
		wg.Add(1)
		go func() {
			defer wg.Done()
			var resp map[string]any
			b.c.MustPost(sb.String(), &resp, b.asAlice)
		}()
	}
	wg.Wait()
	cs.mu.Lock()
	defer cs.mu.Unlock()
	require.Equal(t, 24, cs.all)
	require.LessOrEqual(t, cs.most, 2, "never more than SearchConcurrency at once")
}

// Finding 3: answer subscriptions had no cap per socket or per user. Both
// are capped; a completed subscription frees its place.
func TestAbuseSubscriptionsAreCapped(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *server.Config, _ *server.Deps) {
		c.MaxSubscriptionsPerConnection = 2
		c.MaxSubscriptionsPerUser = 3
	})
	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)
	auth := map[string]any{"authorization": "Bearer " + b.aliceTok}

	c1 := dialWS(t, srv.URL, protocols[0], auth)
	c1.mustNext("connection_ack")
	c1.start("1", `subscription { serverTime }`)
	waitData(t, c1, "1")
	c1.start("2", `subscription { serverTime }`)
	waitData(t, c1, "2")
	c1.start("3", `subscription { serverTime }`)
	requireRefused(t, c1, "3")

	c2 := dialWS(t, srv.URL, protocols[0], auth)
	c2.mustNext("connection_ack")
	c2.start("1", `subscription { serverTime }`)
	waitData(t, c2, "1")
	c2.start("2", `subscription { serverTime }`)
	requireRefused(t, c2, "2") // the user's fourth

	// Completing one frees a place for the user.
	c1.send(wsMessage{ID: "1", Type: "complete"})
	require.Eventually(t, func() bool {
		c2.start("3", `subscription { serverTime }`)
		for {
			m := c2.mustNextAny()
			if m.ID != "3" {
				continue
			}
			if m.Type == "next" && !strings.Contains(string(m.Payload), "TOO_MANY") {
				return true
			}
			for m.Type != "complete" { // refused: drain to its end and retry
				m = c2.mustNextAny()
			}
			return false
		}
	}, 5*time.Second, 20*time.Millisecond)
}

// waitData reads until operation id sends data.
func waitData(t *testing.T, c *wsClient, id string) {
	t.Helper()
	for {
		m := c.mustNextAny()
		if m.ID == id {
			require.Equal(t, c.p.data, m.Type, string(m.Payload))
			return
		}
	}
}

// requireRefused reads until operation id answers, and wants it refused.
func requireRefused(t *testing.T, c *wsClient, id string) {
	t.Helper()
	for {
		m := c.mustNextAny()
		if m.ID != id {
			continue
		}
		require.Contains(t, string(m.Payload), "TOO_MANY_SUBSCRIPTIONS", m.Type)
		return
	}
}

// withRequestLimits gives the server a request limiter on the test Redis.
func withRequestLimits(t *testing.T, cfg ratelimit.RequestConfig) option {
	rdb, prefix := redistest.New(t)
	cfg.Prefix = prefix
	l, err := ratelimit.NewRequestLimiter(rdb, cfg)
	require.NoError(t, err)
	return func(_ *server.Config, d *server.Deps) { d.RateLimiter = l }
}

// Finding 10: only asks were limited. Every operation is charged by cost to
// its caller: per user by plan, per address without a token, and globally.
func TestAbuseEveryOperationIsRateLimited(t *testing.T) {
	t.Parallel()
	b := setup(t, withRequestLimits(t, ratelimit.RequestConfig{
		PerHour: map[domain.Plan]int{domain.PlanFree: 3, domain.PlanPro: 30}, AnonymousPerHour: 2,
	}))
	for range 3 {
		var resp map[string]any
		b.c.MustPost(`{ me { email } }`, &resp, b.asAlice)
	}
	errs := b.errorsOf(t, `{ me { email } }`, b.asAlice)
	require.Equal(t, "RATE_LIMITED", codeOf(errs[0]), errs[0].Message)
	require.Positive(t, errs[0].Extensions["retryAfterSeconds"])
	// Even a document that does not parse is refused before parsing.
	errs = b.errorsOf(t, `{ me {`, b.asAlice)
	require.Equal(t, "RATE_LIMITED", codeOf(errs[0]))

	// Bob is on the pro plan: a search of 50 hits (complexity > 1,000) costs
	// more than one unit, within his budget.
	b.mem.setPlan(b.bob.ID, domain.PlanPro)
	var resp map[string]any
	b.c.MustPost(`{ search(query: "budget", first: 50) { hits { score legs { rank } } } }`, &resp, b.asBob)

	// Anonymous callers share their address's budget.
	for range 2 {
		b.c.MustPost(`{ __typename }`, &resp)
	}
	errs = b.errorsOf(t, `{ __typename }`)
	require.Equal(t, "RATE_LIMITED", codeOf(errs[0]))
}

func TestAbuseCostIsChargedByComplexity(t *testing.T) {
	t.Parallel()
	b := setup(t, withRequestLimits(t, ratelimit.RequestConfig{PerHour: map[domain.Plan]int{domain.PlanFree: 4}}))
	// 3 searches of 10 hits: complexity ~ 3 * 270, two units; then 2 left.
	var resp map[string]any
	q := `{ a: search(query: "a") { text } b: search(query: "b") { text } c: search(query: "c") { text } }`
	b.c.MustPost(q, &resp, b.asAlice)
	b.c.MustPost(q, &resp, b.asAlice)
	errs := b.errorsOf(t, q, b.asAlice)
	require.Equal(t, "RATE_LIMITED", codeOf(errs[0]))
	require.Equal(t, 6, b.searcher.calls(), "the refused operation ran no search")
}

func TestAbuseGlobalLimit(t *testing.T) {
	t.Parallel()
	b := setup(t, withRequestLimits(t, ratelimit.RequestConfig{GlobalPerMinute: 3}))
	var resp map[string]any
	b.c.MustPost(`{ me { email } }`, &resp, b.asAlice)
	b.c.MustPost(`{ me { email } }`, &resp, b.asBob)
	b.c.MustPost(`{ __typename }`, &resp)
	errs := b.errorsOf(t, `{ me { email } }`, b.asBob)
	require.Equal(t, "RATE_LIMITED", codeOf(errs[0]))
}

// With Redis down the request limits fail open (documented in README and
// rateLimit): operations run and the failure is logged once.
func TestAbuseRateLimitsFailOpenWithoutRedis(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	dead := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	t.Cleanup(func() { _ = dead.Close() })
	l, err := ratelimit.NewRequestLimiter(dead, ratelimit.RequestConfig{})
	require.NoError(t, err)
	b := setup(t, func(_ *server.Config, d *server.Deps) { d.RateLimiter = l })
	for range 3 {
		var resp map[string]any
		b.c.MustPost(`{ me { email } }`, &resp, b.asAlice)
	}
	require.Equal(t, 1, strings.Count(b.logs.String(), "failing open"))
}

// BenchmarkValidation measures what a document costs the server with a fresh
// text each time (a comment defeats the query cache): the widest accepted
// selection (100 repeated fields, validated in pairs), GraphiQL's
// introspection query, and the 8,000 repeated fields of the attack, now
// refused before validation.
//
//	go test -run '^$' -bench BenchmarkValidation ./web/server/
func BenchmarkValidation(b *testing.B) {
	s := setup(b)
	for name, doc := range map[string]string{
		"widest accepted":     "{ " + repeat("__typename", server.DefaultMaxSelections) + " }",
		"introspection":       introspectionQuery,
		"8000 fields refused": "{ " + repeat("__typename", 8000) + " }",
	} {
		b.Run(name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				body := fmt.Sprintf(`{"query":%q}`, fmt.Sprintf("# %d\n%s", i, doc))
				req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+s.aliceTok)
				s.h.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}
