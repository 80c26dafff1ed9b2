// Package web embeds the static front end: the GraphiQL playground and its
// assets, so the binary serves it offline (nothing loads from a CDN).
package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed playground
var files embed.FS

// Playground serves GraphiQL (index.html at its root, scripts under assets/).
// Mount it with http.StripPrefix; the page talks to /graphql on the same host
// over HTTP and, for subscriptions, over a graphql-transport-ws websocket.
func Playground() http.Handler {
	sub, err := fs.Sub(files, "playground")
	if err != nil {
		panic(err) // the directory is embedded above; failing here is a build mistake
	}
	return http.FileServerFS(sub)
}
