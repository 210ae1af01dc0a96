package dashboard

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var files embed.FS

// Static holds the dashboard's files, index.html at its root.
var Static, _ = fs.Sub(files, "static")

// policy lets the page load only its own files and call any GraphQL
// endpoint (the API may live on another origin); nothing else is fetched.
const policy = "default-src 'self'; connect-src *; img-src 'self' data:; " +
	"style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

// Handler serves the dashboard's files from the root of its path; mount it
// under a prefix with http.StripPrefix.
func Handler() http.Handler {
	fsrv := http.FileServerFS(Static)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", policy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		// The files change with the binary, which sets no modification
		// time on embedded files: ask browsers to check each time.
		h.Set("Cache-Control", "no-cache")
		fsrv.ServeHTTP(w, r)
	})
}
