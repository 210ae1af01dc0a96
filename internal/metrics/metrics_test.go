package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/commissioning-graph/cgraph/internal/obs"
)

func TestObserver(t *testing.T) {
	m := New()
	req := &obs.Request{ID: "r"}
	ctx := obs.NewContext(context.Background(), req)

	done := m.Statement(ctx, "read", "RETURN 1", nil)
	if got := testutil.ToFloat64(m.statementsActive.WithLabelValues("read")); got != 1 {
		t.Errorf("in flight = %v, want 1", got)
	}
	done(nil)
	m.Statement(ctx, "write", "CREATE ()", nil)(errors.New("boom"))
	end := m.WriteTransaction(ctx)
	if got := testutil.ToFloat64(m.transactionsActive); got != 1 {
		t.Errorf("write transactions in flight = %v, want 1", got)
	}
	end([]string{"bm:1", "bm:2"}, nil)
	m.WriteTransaction(ctx)(nil, errors.New("boom"))
	m.Wrote(ctx, 120)
	m.Wrote(context.Background(), 30)

	for _, tc := range []struct {
		name string
		got  float64
		want float64
	}{
		{"reads ok", testutil.ToFloat64(m.statements.WithLabelValues("read", "ok")), 1},
		{"writes failed", testutil.ToFloat64(m.statements.WithLabelValues("write", "error")), 1},
		{"in flight after", testutil.ToFloat64(m.statementsActive.WithLabelValues("read")), 0},
		{"committed", testutil.ToFloat64(m.transactions.WithLabelValues("committed")), 1},
		{"failed", testutil.ToFloat64(m.transactions.WithLabelValues("failed")), 1},
		{"rows", testutil.ToFloat64(m.rowsWritten), 150},
		{"transactions in flight after", testutil.ToFloat64(m.transactionsActive), 0},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if s := req.Summary(); s.Statements != 2 || s.Bookmark != "bm:2" {
		t.Errorf("request summary = %+v, want 2 statements and the last bookmark", s)
	}
}

func TestRequestCounts(t *testing.T) {
	m := New()
	m.Request("/graphql", "POST", 200, 20*time.Millisecond, true, obs.Summary{Operation: "Team", OpType: "query"})
	m.Request("/graphql", "POST", 200, 5*time.Millisecond, true, obs.Summary{OpType: "query", Codes: []string{"NOT_FOUND", "NOT_FOUND"}})
	m.Request("/graphql", "OPTIONS", 204, time.Millisecond, true, obs.Summary{})
	m.Request("GET /healthz", "GET", 200, time.Millisecond, false, obs.Summary{})
	for _, tc := range []struct {
		name string
		got  float64
		want float64
	}{
		{"Team ok", testutil.ToFloat64(m.gqlRequests.WithLabelValues("Team", "query", "ok")), 1},
		{"anonymous not found", testutil.ToFloat64(m.gqlRequests.WithLabelValues("anonymous", "query", "NOT_FOUND")), 1},
		{"errors by code", testutil.ToFloat64(m.gqlErrors.WithLabelValues("NOT_FOUND")), 2},
		{"http graphql", testutil.ToFloat64(m.httpRequests.WithLabelValues("/graphql", "POST", "200")), 2},
		{"http preflight", testutil.ToFloat64(m.httpRequests.WithLabelValues("/graphql", "OPTIONS", "204")), 1},
		{"http healthz", testutil.ToFloat64(m.httpRequests.WithLabelValues("GET /healthz", "GET", "200")), 1},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if n := testutil.CollectAndCount(m.gqlRequests); n != 2 {
		t.Errorf("%d GraphQL request series, want 2 (preflights and other routes are not operations)", n)
	}
}

// Clients choose operation names, so only the first MaxOperations get
// series of their own.
func TestOperationNamesBounded(t *testing.T) {
	m := New()
	for i := range MaxOperations + 50 {
		m.Request("/graphql", "POST", 200, time.Millisecond, true, obs.Summary{Operation: fmt.Sprintf("Op%d", i), OpType: "query"})
	}
	if n := testutil.CollectAndCount(m.gqlRequests); n != MaxOperations+1 {
		t.Errorf("%d series, want %d and other", n, MaxOperations)
	}
	if got := testutil.ToFloat64(m.gqlRequests.WithLabelValues("other", "query", "ok")); got != 50 {
		t.Errorf("other = %v, want 50", got)
	}
	// A name seen before the bound keeps its series.
	m.Request("/graphql", "POST", 200, time.Millisecond, true, obs.Summary{Operation: "Op3", OpType: "query"})
	if got := testutil.ToFloat64(m.gqlRequests.WithLabelValues("Op3", "query", "ok")); got != 2 {
		t.Errorf("Op3 = %v, want 2", got)
	}
}

func TestHandlerServesRuntimeMetrics(t *testing.T) {
	m := New()
	m.SetPoolSize(42)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{"go_goroutines ", "go_gc_duration_seconds", "process_cpu_seconds_total", "cgraph_neo4j_pool_max_connections 42"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the metrics lack %q", want)
		}
	}
}
