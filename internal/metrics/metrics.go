// Package metrics counts what the service does in the Prometheus format:
// HTTP requests by route and status, GraphQL operations by name, type and
// outcome, errors by code, Cypher statements and write transactions, rows
// written by imports, and the Go runtime. It is also the Neo4j package's
// Observer, so that each statement is counted both here and in the request
// it was sent for.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/obs"
)

// MaxOperations bounds how many distinct operation names are counted:
// clients choose the names, so later ones are counted as "other".
const MaxOperations = 200

// Metrics holds the service's collectors, in a registry of their own.
type Metrics struct {
	registry *prometheus.Registry

	httpRequests       *prometheus.CounterVec
	httpDuration       *prometheus.HistogramVec
	httpInFlight       prometheus.Gauge
	gqlRequests        *prometheus.CounterVec
	gqlDuration        *prometheus.HistogramVec
	gqlErrors          *prometheus.CounterVec
	statements         *prometheus.CounterVec
	statementSeconds   *prometheus.HistogramVec
	statementsActive   *prometheus.GaugeVec
	transactions       *prometheus.CounterVec
	transactionsActive prometheus.Gauge
	rowsWritten        prometheus.Counter
	poolMax            prometheus.Gauge

	mu    sync.Mutex
	names map[string]bool
}

var _ neo4j.Observer = (*Metrics)(nil)

// New returns the service's metrics, with the Go runtime and process
// collectors registered beside them.
func New() *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry(), names: map[string]bool{}}
	buckets := []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
	f := func(c prometheus.Collector) { m.registry.MustRegister(c) }
	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cgraph_http_requests_total", Help: "HTTP requests answered, by route and status code.",
	}, []string{"route", "method", "status"})
	m.httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "cgraph_http_request_duration_seconds", Help: "Time to answer an HTTP request, by route.", Buckets: buckets,
	}, []string{"route"})
	m.httpInFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "cgraph_http_requests_in_flight", Help: "HTTP requests being answered.",
	})
	m.gqlRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cgraph_graphql_requests_total",
		Help: "GraphQL requests, by operation name, operation type and outcome (ok, or the first error's code).",
	}, []string{"operation", "type", "outcome"})
	m.gqlDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "cgraph_graphql_request_duration_seconds", Help: "Time to answer a GraphQL request, by operation name and type.", Buckets: buckets,
	}, []string{"operation", "type"})
	m.gqlErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cgraph_graphql_errors_total", Help: "Errors in GraphQL responses, by code.",
	}, []string{"code"})
	m.statements = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cgraph_neo4j_statements_total", Help: "Cypher statements sent, by mode (read, write) and outcome (ok, error).",
	}, []string{"mode", "outcome"})
	m.statementSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "cgraph_neo4j_statement_duration_seconds",
		Help: "Time for Neo4j to answer a statement, by mode (reads: the whole result; writes: until the statement is accepted).", Buckets: buckets,
	}, []string{"mode"})
	m.statementsActive = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "cgraph_neo4j_statements_in_flight", Help: "Statements sent and not yet answered, each holding a pooled connection.",
	}, []string{"mode"})
	m.transactions = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cgraph_neo4j_write_transactions_total", Help: "Write transactions, by outcome (committed, failed).",
	}, []string{"outcome"})
	m.transactionsActive = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "cgraph_neo4j_write_transactions_in_flight",
		Help: "Write transactions open, each holding a pooled connection until it ends.",
	})
	m.rowsWritten = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "cgraph_import_rows_written_total",
		Help: "Rows (sources, nodes, relationships) written by graph imports and seeds, counted when their transaction commits.",
	})
	m.poolMax = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "cgraph_neo4j_pool_max_connections", Help: "The most connections the Neo4j driver keeps open.",
	})
	for _, c := range []prometheus.Collector{m.httpRequests, m.httpDuration, m.httpInFlight, m.gqlRequests, m.gqlDuration,
		m.gqlErrors, m.statements, m.statementSeconds, m.statementsActive, m.transactions, m.transactionsActive, m.rowsWritten, m.poolMax,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})} {
		f(c)
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// Registry is where the metrics are registered, for tests and for more
// collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// SetPoolSize records the driver's connection pool bound.
func (m *Metrics) SetPoolSize(n int) { m.poolMax.Set(float64(n)) }

// Started counts a request coming in; call the function it returns when
// the request has been answered.
func (m *Metrics) Started() func() {
	m.httpInFlight.Inc()
	return m.httpInFlight.Dec
}

// Request counts one answered HTTP request; graphql says whether it was
// sent to the GraphQL endpoint, whose operation s describes.
func (m *Metrics) Request(route, method string, status int, took time.Duration, graphql bool, s obs.Summary) {
	m.httpRequests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.httpDuration.WithLabelValues(route).Observe(took.Seconds())
	if !graphql || method == http.MethodOptions {
		return
	}
	op, typ := m.operation(s.Operation), s.OpType
	if typ == "" {
		typ = "none" // refused before it was parsed
	}
	m.gqlRequests.WithLabelValues(op, typ, s.Outcome()).Inc()
	m.gqlDuration.WithLabelValues(op, typ).Observe(took.Seconds())
	for _, c := range s.Codes {
		m.gqlErrors.WithLabelValues(c).Inc()
	}
}

func (m *Metrics) operation(name string) string {
	if name == "" {
		return "anonymous"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.names[name] {
		return name
	}
	if len(m.names) >= MaxOperations {
		return "other"
	}
	m.names[name] = true
	return name
}

// Statement counts a Cypher statement here and in the request ctx carries.
func (m *Metrics) Statement(ctx context.Context, mode, cypher string, params map[string]any) func(error) {
	obs.FromContext(ctx).AddStatement()
	active := m.statementsActive.WithLabelValues(mode)
	active.Inc()
	start := time.Now()
	return func(err error) {
		active.Dec()
		m.statementSeconds.WithLabelValues(mode).Observe(time.Since(start).Seconds())
		outcome := "ok"
		if err != nil {
			outcome = "error"
		}
		m.statements.WithLabelValues(mode, outcome).Inc()
	}
}

// WriteTransaction counts a write transaction, open and then ended, and
// keeps its bookmark in the request ctx carries.
func (m *Metrics) WriteTransaction(ctx context.Context) func([]string, error) {
	m.transactionsActive.Inc()
	return func(bookmarks []string, err error) {
		m.transactionsActive.Dec()
		if err != nil {
			m.transactions.WithLabelValues("failed").Inc()
			return
		}
		m.transactions.WithLabelValues("committed").Inc()
		if len(bookmarks) > 0 {
			obs.FromContext(ctx).SetBookmark(bookmarks[len(bookmarks)-1])
		}
	}
}

// Wrote counts the rows a graph write committed.
func (m *Metrics) Wrote(ctx context.Context, rows int) { m.rowsWritten.Add(float64(rows)) }
