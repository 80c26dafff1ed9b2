package playground_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/web/playground"
)

func TestPlaygroundAssetsAreCompressedForThoseWhoAccept(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(playground.Handler())
	t.Cleanup(srv.Close)
	get := func(gz bool) *http.Response {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/assets/graphiql.min.js", nil)
		require.NoError(t, err)
		if gz {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		resp, err := http.DefaultTransport.RoundTrip(req) // no transparent decompression
		require.NoError(t, err)
		t.Cleanup(func() { _ = resp.Body.Close() })
		require.Equal(t, http.StatusOK, resp.StatusCode)
		return resp
	}
	plain, err := io.ReadAll(get(false).Body)
	require.NoError(t, err)
	resp := get(true)
	require.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	require.Contains(t, resp.Header.Get("Cache-Control"), "max-age")
	zr, err := gzip.NewReader(resp.Body)
	require.NoError(t, err)
	unzipped, err := io.ReadAll(zr)
	require.NoError(t, err)
	require.Equal(t, plain, unzipped)
}

// GraphiQL introspects once per fetcher with the headers of that moment, so
// the page hands it a new fetcher when the Headers tab changes: a token
// pasted after the first screen brings the schema in without a reload.
func TestPlaygroundRefetchesTheSchemaWhenHeadersChange(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	playground.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	require.Equal(t, http.StatusOK, w.Code)
	page := w.Body.String()
	require.Contains(t, page, "onEditHeaders: onEditHeaders", "GraphiQL tells the page about header edits")
	require.Contains(t, page, "render(schemaFetcher())", "and is rendered again with a new fetcher")
	require.Contains(t, page, "defaultHeaders: '{}'", "no placeholder header that fails introspection")
}
