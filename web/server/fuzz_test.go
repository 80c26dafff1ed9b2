package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// FuzzGraphQL sends arbitrary documents and variables, as an anonymous and
// as an authenticated caller: the server never fails with 500 or INTERNAL
// (bad input gets a code that says so) and never echoes a body it could not
// decode. Corpus: testdata/fuzz/FuzzGraphQL; `make fuzz`.
func FuzzGraphQL(f *testing.F) {
	for _, s := range []struct{ q, vars string }{
		{`{ me { email } }`, `{}`},
		{`query($q: String!) { search(query: $q, first: 5) { text filters { from after } } }`, `{"q":"from:bob last week"}`},
		{`mutation($in: AskInput!) { ask(input: $in) { message { id status } } }`, `{"in":{"query":"hi","clientRequestId":"x"}}`},
		{`{ emails(filter: {query: "budget", from: ["a@b.c"]}, first: 3) { edges { node { subject } } } }`, `null`},
		{`{ node(id: "VXNlcjox") { id } }`, `{}`},
		{`fragment F on Query { __typename ...F } { ...F }`, `{}`},
		{`{ __schema { types { name } } }`, `{}`},
		{`{ search(query: "\u0000") { text } }`, `{}`},
		{`{`, `{"a":`},
	} {
		f.Add(s.q, s.vars)
	}
	b := setup(f)
	f.Fuzz(func(t *testing.T, q, vars string) {
		var v any
		if json.Unmarshal([]byte(vars), &v) != nil {
			v = nil
		}
		body, err := json.Marshal(map[string]any{"query": q, "variables": v})
		if err != nil {
			return
		}
		for _, header := range [][]string{nil, {"Authorization", "Bearer " + b.aliceTok}} {
			status, resp := post(t, b.h, string(body), header...)
			if status >= http.StatusInternalServerError || strings.Contains(resp, `"code":"INTERNAL"`) {
				t.Fatalf("query %q vars %s: %d %s", q, vars, status, resp)
			}
		}
	})
}
