package app_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/web/app"
)

func serve(t *testing.T, cfg app.Config) *httptest.Server {
	t.Helper()
	h, err := app.Handler(cfg)
	require.NoError(t, err)
	mux := http.NewServeMux()
	for _, p := range app.Patterns {
		mux.Handle(p, h)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(b)
}

func TestIndexAndBundle(t *testing.T) {
	srv := serve(t, app.Config{})
	res, body := get(t, srv.URL+"/")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "no-cache", res.Header.Get("Cache-Control"))
	require.Contains(t, res.Header.Get("Content-Security-Policy"), "default-src 'self'")
	require.NotContains(t, body, "orchestrator-demo-user")

	// Every script and style the page names is served, from this origin, cached for good.
	refs := regexp.MustCompile(`(?:src|href)="(/assets/[^"]+)"`).FindAllStringSubmatch(body, -1)
	require.NotEmpty(t, refs, "index.html names no bundle")
	for _, m := range refs {
		res, _ := get(t, srv.URL+m[1])
		require.Equal(t, http.StatusOK, res.StatusCode, m[1])
		require.Contains(t, res.Header.Get("Cache-Control"), "immutable")
	}
	require.NotRegexp(t, `(?:src|href)="https?://`, body, "the page must load nothing from another origin")

	res, _ = get(t, srv.URL+"/assets/missing.js")
	require.Equal(t, http.StatusNotFound, res.StatusCode)
}

func TestDemoUserIsEscaped(t *testing.T) {
	srv := serve(t, app.Config{DemoUser: `demo"<x>@example.com`})
	_, body := get(t, srv.URL+"/")
	require.Contains(t, body, `<meta name="orchestrator-demo-user" content="demo&#34;&lt;x&gt;@example.com" />`)
	require.Equal(t, 1, strings.Count(body, "orchestrator-demo-user"))
}
