package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Errors about how a request was sent carry a code like every other error.
func TestTransportErrorsHaveCodes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for name, tc := range map[string]struct {
		method, contentType, accept, url, body string
		code, says                             string
	}{
		"subscription over POST": {http.MethodPost, "application/json", "", "/graphql", `{"query":"subscription { serverTime }"}`,
			"OPERATION_NOT_ALLOWED", "a subscription needs a stream"},
		"mutation over GET": {http.MethodGet, "", "", "/graphql?query=mutation%7BsignOutEverywhere%7BsignedOutAt%7D%7D", "",
			"OPERATION_NOT_ALLOWED", "GET requests only allow query operations"},
		"unknown method": {http.MethodPut, "application/json", "", "/graphql", `{"query":"{ me { email } }"}`,
			"UNSUPPORTED_TRANSPORT", "send POST with Content-Type: application/json"},
		"form post": {http.MethodPost, "text/plain", "", "/graphql", `{"query":"{ me { email } }"}`,
			"UNSUPPORTED_TRANSPORT", "unsupported request"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(tc.method, tc.url, strings.NewReader(tc.body))
			if tc.contentType != "" {
				r.Header.Set("Content-Type", tc.contentType)
			}
			r.Header.Set("Authorization", "Bearer "+b.aliceTok)
			w := httptest.NewRecorder()
			b.h.ServeHTTP(w, r)
			require.Contains(t, w.Body.String(), `"code":"`+tc.code+`"`)
			require.Contains(t, w.Body.String(), tc.says)
			require.Equal(t, "application/json", w.Header().Get("Content-Type"))
		})
	}
}

// Messages are written for the client: no "input:L:C:" position, no
// internal layer names, no user ids.
func TestClientSafeMessages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	errs := b.errorsOf(t, `{ emails(filter: {query: "Report"}, after: "x") { totalCount } }`, b.asAlice)
	require.Equal(t, "INVALID_CURSOR", codeOf(errs[0]))
	errs = b.errorsOf(t, `mutation { ask(input: {query: "   "}) { message { id } } }`, b.asAlice)
	require.Equal(t, "BAD_USER_INPUT", codeOf(errs[0]))
	for _, e := range errs {
		require.NotRegexp(t, `input:\d+:\d+`, e.Message)
		require.NotContains(t, e.Message, "store:")
		require.NotContains(t, e.Message, "resolvers")
		require.NotContains(t, e.Message, b.alice.ID.String())
		require.NotEmpty(t, e.Message)
	}
}

// /graphql answers are compressed as the client accepts (zstd, gzip).
func TestCompressedAnswers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	query := `{"query":"{ emails(first: 5) { edges { node { id subject snippet } } } }"}`
	for _, enc := range []string{"zstd", "gzip"} {
		r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(query))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Accept-Encoding", enc)
		r.Header.Set("Authorization", "Bearer "+b.aliceTok)
		w := httptest.NewRecorder()
		b.h.ServeHTTP(w, r)
		require.Equal(t, http.StatusOK, w.Code)
		require.Equal(t, enc, w.Header().Get("Content-Encoding"))
		require.NotContains(t, w.Body.String(), `"edges"`, "the body is compressed")
	}
}

// The playground's first screen sends no Authorization header (its
// default headers are empty): introspection must answer it.
func TestAnonymousIntrospection(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ __schema { queryType { name } } }"}`))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, r)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Contains(t, w.Body.String(), `"Query"`)
}

// @defer is advertised, so it is delivered incrementally: the deferred
// fragment arrives in a later part of a multipart/mixed answer.
func TestDeferIsIncremental(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := httptest.NewRequest(http.MethodPost, "/graphql",
		strings.NewReader(`{"query":"{ me { email ... @defer(label: \"sync\") { lastSyncAt } } }"}`))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Accept", `multipart/mixed; deferSpec=20220824, application/json`)
	r.Header.Set("Authorization", "Bearer "+b.aliceTok)
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, r)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Contains(t, w.Header().Get("Content-Type"), "multipart/mixed")
	body := w.Body.String()
	require.Contains(t, body, `"hasNext":true`)
	require.Contains(t, body, `"label":"sync"`)
	require.Contains(t, body, `"hasNext":false`)
	require.Less(t, strings.Index(body, `"email"`), strings.Index(body, `"lastSyncAt"`), "the deferred field comes later")
}
