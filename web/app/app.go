// Package app embeds the web app, built by Vite from this directory's
// TypeScript sources into dist/, and serves it: index.html at "/" and the
// content-hashed scripts and styles under /assets/. The bundle is committed,
// so building the binary needs no Node; `make web` rebuilds it.
package app

import (
	"bytes"
	"embed"
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

//go:embed dist
var dist embed.FS

// Patterns are the http.ServeMux patterns Handler answers.
var Patterns = []string{"GET /{$}", "GET /assets/"}

// Config tunes what the page offers.
type Config struct {
	// DemoUser is the address the sign-in page offers a one-click entry as
	// (demo mode, with the built-in emulator). Defaults to none: no such button.
	DemoUser string
}

// Handler serves the app. index.html is never cached (it names the current
// bundle); the bundle's files carry a content hash, so browsers keep them.
func Handler(cfg Config) (http.Handler, error) {
	files, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, err
	}
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		return nil, fmt.Errorf("app: the bundle is missing (run make web): %w", err)
	}
	if cfg.DemoUser != "" {
		meta := fmt.Sprintf(`<meta name="orchestrator-demo-user" content="%s" />`, html.EscapeString(cfg.DemoUser))
		index = bytes.Replace(index, []byte("</head>"), []byte(meta+"</head>"), 1)
	}
	static := http.FileServerFS(files)
	return gzhttp.GzipHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			static.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		// The page loads only its own scripts and talks only to its own origin.
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		_, _ = w.Write(index)
	})), nil
}
