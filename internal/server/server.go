// Package server is the HTTP edge: it mounts the GraphQL endpoint, GraphiQL,
// the dashboard, health and readiness checks; gives every response the
// security headers, every request an id and one log line; and applies CORS
// with rs/cors.
package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/rs/cors"

	"github.com/commissioning-graph/cgraph/docs/examples"
	"github.com/commissioning-graph/cgraph/internal/dashboard"
	"github.com/commissioning-graph/cgraph/internal/graphiql"
	"github.com/commissioning-graph/cgraph/internal/obs"
)

// Pinger reports whether the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Recorder counts answered requests, for example in Prometheus metrics.
type Recorder interface {
	// Started is called as a request comes in; the function it returns is
	// called once it has been answered.
	Started() func()
	// Request is called once per answered request. route is the pattern
	// that served it ("" when none did); graphql says whether it was the
	// GraphQL endpoint, whose operation s describes.
	Request(route, method string, status int, took time.Duration, graphql bool, s obs.Summary)
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
	// Logger receives one line per request; nil logs nothing.
	Logger *slog.Logger
	// Recorder, when set, counts every request.
	Recorder Recorder
	// Draining, when set and true, makes /readyz answer 503 so that load
	// balancers stop sending requests before the server stops.
	Draining func() bool
	// TrustedProxies are the load balancers and proxies whose
	// X-Forwarded-For header is believed: a request from one of them is
	// logged with the address it forwarded for. Empty trusts none.
	TrustedProxies []netip.Prefix
	// Middleware, when set, wraps every route inside the request's id and
	// log line (for example to trace it).
	Middleware func(http.Handler) http.Handler
}

// Policy is the Content-Security-Policy of every response that sets none of
// its own (the API's JSON answers): it allows nothing to load and the
// response to be framed by no page.
const Policy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// graphqlPath is where the GraphQL endpoint is mounted.
const graphqlPath = "/graphql"

// New returns the handler for every route of the service.
func New(c Config, graphql http.Handler, db Pinger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(graphqlPath, graphql)
	if c.Playground {
		list, err := graphiql.Examples(examples.Files)
		if err != nil {
			panic("graphiql: the embedded examples cannot be read: " + err.Error())
		}
		page := graphiql.Handler(list)
		mux.Handle("GET /{$}", page)
		mux.Handle("GET /graphiql/", page)
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
		if c.Draining != nil && c.Draining() {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "draining"})
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := db.Ping(ctx); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "neo4j": "not answering"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "neo4j": "answering"})
	})
	// The route that served a request is known once the mux has chosen it.
	routes := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		obs.FromContext(r.Context()).SetRoute(r.Pattern)
	})
	var h http.Handler = cors.New(cors.Options{
		AllowedOrigins: c.AllowedOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Content-Type", "Authorization", "Idempotency-Key", "X-Request-Id", BookmarkHeader},
		ExposedHeaders: []string{"X-Request-Id"},
		MaxAge:         600,
	}).Handler(routes)
	if c.Middleware != nil {
		h = c.Middleware(h)
	}
	return secure(observe(c, h))
}

// BookmarkHeader is the request header that carries the bookmark of an
// earlier write, so that the request is served only once that write is
// visible.
const BookmarkHeader = "X-Neo4j-Bookmark"

// secure sets the security headers every response carries; handlers with a
// page to show (GraphiQL, the dashboard) replace the policy with their own.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", Policy)
		next.ServeHTTP(w, r)
	})
}

// observe gives the request an id (the client's X-Request-Id when it is
// sane), echoes it in the response, and once the request is answered logs
// one line and counts it.
func observe(c Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := &obs.Request{ID: obs.RequestID(r.Header.Get("X-Request-Id")), Client: ClientAddr(r, c.TrustedProxies), Start: time.Now()}
		w.Header().Set("X-Request-Id", req.ID)
		if b := r.Header.Get(BookmarkHeader); b != "" {
			req.SetWaitFor(b)
		}
		var finished func()
		if c.Recorder != nil {
			finished = c.Recorder.Started()
		}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(obs.NewContext(r.Context(), req)))
		took := time.Since(req.Start)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		isGraphQL := r.URL.Path == graphqlPath
		s := req.Summary()
		route := s.Route
		if route == "" && r.Method == http.MethodOptions {
			route = "preflight"
		}
		if c.Recorder != nil {
			finished()
			c.Recorder.Request(routeLabel(route), r.Method, sw.status, took, isGraphQL, s)
		}
		if c.Logger == nil {
			return
		}
		level := slog.LevelInfo
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			level = slog.LevelDebug
		}
		attrs := []slog.Attr{
			slog.String("request_id", req.ID),
			slog.String("client", req.Client),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.status),
			slog.Float64("duration_ms", float64(took.Microseconds())/1000),
		}
		if isGraphQL && r.Method != http.MethodOptions {
			attrs = append(attrs,
				slog.String("operation", s.Operation),
				slog.String("type", s.OpType),
				slog.Int("statements", s.Statements),
				slog.String("outcome", s.Outcome()))
			if len(s.Codes) > 0 {
				attrs = append(attrs, slog.Any("codes", s.Codes))
			}
		}
		c.Logger.LogAttrs(r.Context(), level, "request", attrs...)
	})
}

func routeLabel(pattern string) string {
	if pattern == "" {
		return "unmatched"
	}
	return pattern
}

// ClientAddr is the address the request came from, without its port. When
// the connection comes from a trusted proxy, it is the last address in
// X-Forwarded-For that is not itself a trusted proxy: the one the nearest
// untrusted hop connected from, which a client cannot forge.
func ClientAddr(r *http.Request, trusted []netip.Prefix) string {
	peer := r.RemoteAddr
	if host, _, err := net.SplitHostPort(peer); err == nil {
		peer = host
	}
	if len(trusted) == 0 || !isTrusted(peer, trusted) {
		return peer
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		for _, h := range strings.Split(v, ",") {
			hops = append(hops, strings.TrimSpace(h))
		}
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			return peer // a forged or broken header: keep what is known
		}
		if !isTrusted(a.String(), trusted) {
			return a.String()
		}
	}
	return peer
}

func isTrusted(addr string, trusted []netip.Prefix) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParsePrefixes reads a comma-separated list of addresses and CIDR
// prefixes, such as "10.0.0.0/8, 192.0.2.1".
func ParsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, err
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, err
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
