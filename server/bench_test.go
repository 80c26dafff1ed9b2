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
