package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// benchPost measures one POST /graphql through the whole handler (request id,
// auth, parse cache, execution, JSON) over the in-memory ports.
func benchPost(b *testing.B, query string) {
	env := setup(b)
	body := `{"query":` + jsonString(query) + `}`
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+env.aliceTok)
		w := httptest.NewRecorder()
		env.h.ServeHTTP(w, req)
		if w.Code != http.StatusOK || strings.Contains(w.Body.String(), `"errors"`) {
			b.Fatalf("%d %s", w.Code, w.Body.String())
		}
	}
}

func jsonString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`).Replace(s) + `"`
}

func BenchmarkMe(b *testing.B) { benchPost(b, `{ me { id email timeZone } }`) }

func BenchmarkConversationsNested(b *testing.B) {
	benchPost(b, `{ conversations { edges { node { title messageCount messages { edges { node { query conversation { title } } } } } } } }`)
}

// BenchmarkSearch measures the GraphQL side of a search (the engine is the
// in-memory fake): hits, legs, filters and each hit's item.
func BenchmarkSearch(b *testing.B) {
	benchPost(b, `{ search(query: "Report") { hits { score legs { leg rank score } item { __typename ... on Email { id subject from { email } } } } filters { from sources { field words } } timings { name ms } } }`)
}

// BenchmarkEmailsWithQuery measures a ranked list page through the engine.
func BenchmarkEmailsWithQuery(b *testing.B) {
	benchPost(b, `{ emails(filter: {query: "Report"}, first: 3) { edges { cursor node { subject } } totalCount } }`)
}
