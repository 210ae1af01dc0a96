// Package server is the HTTP edge: it mounts the GraphQL endpoint, GraphiQL,
// the dashboard, health and readiness checks, and applies CORS with rs/cors.
package server

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/rs/cors"

	"github.com/commissioning-graph/cgraph/internal/dashboard"
)

// Pinger reports whether the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Config is what the HTTP edge needs to know.
type Config struct {
	// AllowedOrigins are the origins browsers may call the API from; "*"
	// allows any. Empty means same-origin only.
	AllowedOrigins []string
	// Playground serves GraphiQL at / when true.
	Playground bool
	// Dashboard serves the commissioning managers' dashboard at /dashboard/
	// when true.
	Dashboard bool
}

// New returns the handler for every route of the service.
func New(c Config, graphql http.Handler, db Pinger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphql", graphql)
	if c.Playground {
		mux.Handle("GET /{$}", playground.Handler("Commissioning graph", "/graphql"))
	}
	if c.Dashboard {
		mux.Handle("GET /dashboard/", http.StripPrefix("/dashboard", dashboard.Handler()))
		// The page loads its modules by relative paths, so it needs the
		// trailing slash; keep the query, which may name the API to use.
		mux.HandleFunc("GET /dashboard", func(w http.ResponseWriter, r *http.Request) {
			to := "/dashboard/"
			if r.URL.RawQuery != "" {
				to += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, to, http.StatusMovedPermanently)
		})
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := db.Ping(ctx); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "neo4j": "not answering"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "neo4j": "answering"})
	})
	return cors.New(cors.Options{
		AllowedOrigins: c.AllowedOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Content-Type", "Authorization", "Idempotency-Key"},
		MaxAge:         600,
	}).Handler(mux)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
