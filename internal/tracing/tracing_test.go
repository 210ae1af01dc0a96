package tracing

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/commissioning-graph/cgraph/internal/obs"
)

// record installs a tracer provider that keeps every span in memory.
func record(t *testing.T) *tracetest.InMemoryExporter {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	prev, prevProp := otel.GetTracerProvider(), otel.GetTextMapPropagator()
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	t.Cleanup(func() { otel.SetTracerProvider(prev); otel.SetTextMapPropagator(prevProp) })
	return exp
}

type counting struct{ statements, commits, rows int }

func (c *counting) Statement(context.Context, string, string, map[string]any) func(error) {
	c.statements++
	return func(error) {}
}
func (c *counting) WriteTransaction(context.Context) func([]string, error) {
	return func([]string, error) { c.commits++ }
}
func (c *counting) Wrote(_ context.Context, n int) { c.rows += n }

func attrs(s tracetest.SpanStub) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, a := range s.Attributes {
		m[a.Key] = a.Value
	}
	return m
}

// A request's span is the child of the caller's trace, named by its route;
// a statement's span is the request's child, with the Cypher and the names
// of its parameters and none of their values.
func TestSpans(t *testing.T) {
	exp := record(t)
	next := &counting{}
	o := Observer{Next: next, Database: "neo4j"}
	h := Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		done := o.Statement(r.Context(), "read", "MATCH (n:Entity {id: $id}) RETURN n", map[string]any{"id": "team:secret-value", "limit": 5})
		done(nil)
		o.Statement(r.Context(), "write", "CREATE (n)", nil)(errors.New("Node(1) already exists with id = 'team:secret-value'"))
		obs.FromContext(r.Context()).SetRoute("/graphql")
		w.WriteHeader(http.StatusTeapot)
	}))
	req := httptest.NewRequest("POST", "/graphql", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	req = req.WithContext(obs.NewContext(req.Context(), &obs.Request{ID: "req-1", Client: "192.0.2.7"}))
	h.ServeHTTP(httptest.NewRecorder(), req)

	spans := exp.GetSpans()
	if len(spans) != 3 {
		t.Fatalf("%d spans, want 3: %+v", len(spans), spans)
	}
	read, write, http := spans[0], spans[1], spans[2]
	if http.Name != "/graphql" || http.SpanContext.TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" ||
		http.Parent.SpanID().String() != "00f067aa0ba902b7" {
		t.Errorf("request span %q in trace %s under %s", http.Name, http.SpanContext.TraceID(), http.Parent.SpanID())
	}
	ha := attrs(http)
	if ha["request.id"].AsString() != "req-1" || ha["client.address"].AsString() != "192.0.2.7" || ha["http.response.status_code"].AsInt64() != 418 {
		t.Errorf("request span attributes = %v", ha)
	}
	if read.Name != "neo4j read" || read.Parent.SpanID() != http.SpanContext.SpanID() {
		t.Errorf("statement span %q under %s, want under the request's %s", read.Name, read.Parent.SpanID(), http.SpanContext.SpanID())
	}
	ra := attrs(read)
	if got := ra["db.query.text"].AsString(); got != "MATCH (n:Entity {id: $id}) RETURN n" {
		t.Errorf("db.query.text = %q", got)
	}
	if got := ra["db.query.parameter.names"].AsStringSlice(); strings.Join(got, ",") != "id,limit" {
		t.Errorf("parameter names = %v", got)
	}
	if write.Status.Code != codes.Error {
		t.Errorf("a failed statement's span has status %v", write.Status)
	}
	for _, s := range spans {
		for _, a := range s.Attributes {
			if strings.Contains(a.Value.Emit(), "secret-value") {
				t.Errorf("span %s holds a value: %s=%s", s.Name, a.Key, a.Value.Emit())
			}
		}
		if strings.Contains(s.Status.Description, "secret-value") {
			t.Errorf("span %s's status holds a value: %s", s.Name, s.Status.Description)
		}
		for _, e := range s.Events {
			for _, a := range e.Attributes {
				if strings.Contains(a.Value.Emit(), "secret-value") {
					t.Errorf("span %s's event holds a value", s.Name)
				}
			}
		}
	}
	if next.statements != 2 {
		t.Errorf("the next observer was told of %d statements, want 2", next.statements)
	}
}

func TestEnabled(t *testing.T) {
	for env, want := range map[string]bool{"": false, "OTEL_EXPORTER_OTLP_ENDPOINT": true, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": true} {
		got := Enabled(func(k string) string {
			if k == env {
				return "http://127.0.0.1:4318"
			}
			return ""
		})
		if got != want {
			t.Errorf("with %q set: Enabled = %v", env, got)
		}
	}
}
