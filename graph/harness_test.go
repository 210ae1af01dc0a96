package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/commissioning-graph/cgraph/graph"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
)

// api is the GraphQL handler over the real, seeded Neo4j, run in-process:
// operations go through gqlgen's client, raw bodies (too large, not UTF-8)
// straight to the handler. The end-to-end tests of cmd/cgraph query the
// real binary over HTTP.
type api struct {
	t  testing.TB
	db *neo4j.DB
	h  http.Handler
	c  *client.Client
}

// answer is a response's status and body as the handler wrote them; each
// request carries its own in its context.
type answer struct {
	status int
	body   []byte
}

type answerKey struct{}

// keep makes the handler's answer to a request reach into a.
func keep(into *answer) client.Option {
	return func(r *client.Request) {
		r.HTTP = r.HTTP.WithContext(context.WithValue(r.HTTP.Context(), answerKey{}, into))
	}
}

func newAPI(t testing.TB, opts graph.Options) *api {
	db := neo4jtest.MustOpen(t)
	a := &api{t: t, db: db, h: graph.NewHandler(neo4j.NewStore(db), opts)}
	// The client gives no status, and no body at all for a status of 400 or
	// more; the handler's answer is kept for the result, and the client
	// sees it as 200.
	a.c = client.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		a.h.ServeHTTP(rec, r)
		if into, ok := r.Context().Value(answerKey{}).(*answer); ok {
			*into = answer{status: rec.Code, body: rec.Body.Bytes()}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		_, _ = w.Write(rec.Body.Bytes())
	}))
	return a
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// result is a GraphQL response with the status it came with.
type result struct {
	Data   map[string]any `json:"data"`
	Errors []gqlError     `json:"errors"`
	Status int
	Raw    string
}

func (a *api) decode(status int, raw []byte) result {
	a.t.Helper()
	r := result{Status: status, Raw: string(raw)}
	if err := json.Unmarshal(raw, &r); err != nil {
		a.t.Fatalf("response is not JSON (%v): %.300s", err, raw)
	}
	return r
}

// post sends a raw request body, as a client that does not build it from
// a query would.
func (a *api) post(body []byte) result {
	a.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	raw, _ := io.ReadAll(rec.Body)
	return a.decode(rec.Code, raw)
}

// send runs an operation with a bearer token (none when empty) and extra
// headers.
func (a *api) send(token string, headers map[string]string, q string, vars map[string]any) result {
	a.t.Helper()
	var got answer
	opts := []client.Option{keep(&got)}
	for k, v := range vars {
		opts = append(opts, client.Var(k, v))
	}
	if token != "" {
		opts = append(opts, client.AddHeader("Authorization", "Bearer "+token))
	}
	for k, v := range headers {
		opts = append(opts, client.AddHeader(k, v))
	}
	if _, err := a.c.RawPost(q, opts...); err != nil {
		a.t.Fatalf("%v: %.300s", err, got.body)
	}
	return a.decode(got.status, got.body)
}

// query runs an operation anonymously.
func (a *api) query(q string, vars map[string]any) result {
	a.t.Helper()
	return a.send("", nil, q, vars)
}

// mustQuery runs q and fails on any error.
func (a *api) mustQuery(q string, vars map[string]any) map[string]any {
	a.t.Helper()
	r := a.query(q, vars)
	if len(r.Errors) > 0 {
		a.t.Fatalf("errors: %+v", r.Errors)
	}
	return r.Data
}
