// Package playground embeds the static front end: the GraphiQL playground and its
// assets, so the binary serves it offline (nothing loads from a CDN).
package playground

import (
	"embed"
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

//go:embed index.html assets LICENSES
var files embed.FS

// Handler serves GraphiQL (index.html at its root, scripts under assets/).
// Mount it with http.StripPrefix; the page talks to /graphql on the same host
// over HTTP and, for subscriptions, over a graphql-transport-ws websocket.
func Handler() http.Handler {
	files := http.FileServerFS(files)
	// Compressed for browsers that accept it: GraphiQL's 3.5 MB script
	// travels as about 1 MB.
	return gzhttp.GzipHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The bundles are large (GraphiQL is 3.5 MB) and change only with the
		// binary, so browsers may keep them for a day.
		if strings.HasPrefix(r.URL.Path, "/assets/") {
			w.Header().Set("Cache-Control", "public, max-age=86400")
		}
		files.ServeHTTP(w, r)
	}))
}
