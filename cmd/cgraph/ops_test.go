package main_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/commissioning-graph/cgraph/graph"
	"github.com/commissioning-graph/cgraph/internal/dashboard/browsertest"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
)

// Every route answers with the security headers; GraphiQL's and the
// dashboard's pages with policies that allow only this server.
func TestSecurityHeaders(t *testing.T) {
	a := startAPI(t)
	for _, tc := range []struct{ method, path, body, csp string }{
		{"GET", "/", "", "script-src 'self'"},
		{"GET", "/graphiql/bootstrap.js", "", "script-src 'self'"},
		{"GET", "/graphiql/vendor/graphiql.min.js", "", "script-src 'self'"},
		{"GET", "/graphiql/examples.json", "", "connect-src 'self'"},
		{"GET", "/dashboard/", "", "default-src 'self'"},
		{"GET", "/dashboard/js/api.js", "", "default-src 'self'"},
		{"GET", "/graphql?query=%7B__typename%7D", "", "default-src 'none'"},
		{"POST", "/graphql", `{"query":"{ __typename }"}`, "default-src 'none'"},
		{"GET", "/healthz", "", "default-src 'none'"},
		{"GET", "/readyz", "", "default-src 'none'"},
		{"GET", "/no-such-page", "", "default-src 'none'"},
	} {
		r := a.do(t, tc.method, tc.path, tc.body)
		h := r.header
		if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s %s: X-Content-Type-Options = %q", tc.method, tc.path, got)
		}
		if got := h.Get("Referrer-Policy"); got != "no-referrer" {
			t.Errorf("%s %s: Referrer-Policy = %q", tc.method, tc.path, got)
		}
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, tc.csp) || strings.Contains(csp, "unsafe") {
			t.Errorf("%s %s: Content-Security-Policy = %q, want frame-ancestors 'none' and %s, nothing unsafe", tc.method, tc.path, csp, tc.csp)
		}
		if h.Get("X-Request-Id") == "" {
			t.Errorf("%s %s: no X-Request-Id", tc.method, tc.path)
		}
	}
	// GraphiQL's page runs no inline script: every script is a file.
	page := string(a.do(t, "GET", "/", "").body)
	if n, files := strings.Count(page, "<script"), strings.Count(page, `<script src="graphiql/`); n != files || n != 4 {
		t.Errorf("GraphiQL's page has %d scripts, %d of them files of this server, want 4 and 4:\n%s", n, files, page)
	}
	for _, f := range []string{"LICENSE.graphiql", "LICENSE.react", "LICENSE.react-dom"} {
		if r := a.do(t, "GET", "/graphiql/vendor/"+f, ""); r.status != 200 || !bytes.Contains(r.body, []byte("MIT License")) {
			t.Errorf("GET /graphiql/vendor/%s = %d, want the MIT licence", f, r.status)
		}
	}
}

// logLines are the JSON log lines the API wrote with msg.
func logLines(t *testing.T, a *api, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(a.logs(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

// waitLog waits for a log line with msg whose request_id is id.
func waitLog(t *testing.T, a *api, msg, id string) map[string]any {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, l := range logLines(t, a, msg) {
			if l["request_id"] == id {
				return l
			}
		}
	}
	t.Fatalf("no %q log line for request %s in:\n%s", msg, id, a.logs())
	return nil
}

// A request id sent by the client comes back and names the request's log
// line, which says what the request did; an id that is not sane is
// replaced; refusals are logged with the id and the client's address.
func TestRequestIDAndLogs(t *testing.T) {
	a := startAPI(t, "AUTH_JWT_SECRET="+testSecret)
	r := a.do(t, "POST", "/graphql", gqlBody(`query AtlasTeam { team(id: "team:bromley-atlas") { name services { name } } }`, nil, nil),
		"X-Request-Id", "test-request-42")
	if got := r.header.Get("X-Request-Id"); got != "test-request-42" {
		t.Errorf("X-Request-Id = %q, want the one sent", got)
	}
	l := waitLog(t, a, "request", "test-request-42")
	if l["operation"] != "AtlasTeam" || l["type"] != "query" || l["outcome"] != "ok" || l["status"] != 200.0 ||
		l["client"] != "127.0.0.1" || l["path"] != "/graphql" {
		t.Errorf("log line = %v", l)
	}
	if n, _ := l["statements"].(float64); n < 1 {
		t.Errorf("log line counts %v statements, want at least 1", l["statements"])
	}
	if d, ok := l["duration_ms"].(float64); !ok || d <= 0 {
		t.Errorf("log line duration_ms = %v", l["duration_ms"])
	}

	for _, bad := range []string{"has space", strings.Repeat("x", 200), "<script>"} {
		r := a.do(t, "GET", "/healthz", "", "X-Request-Id", bad)
		if got := r.header.Get("X-Request-Id"); got == bad || !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(got) {
			t.Errorf("X-Request-Id %q came back as %q, want a new id", bad, got)
		}
	}

	// A write without a token is refused, and the refusal logged with both.
	r = a.do(t, "POST", "/graphql", gqlBody(`mutation { createTeam(id: "team:test-refused", input: {name: "No"}) { id } }`, nil, nil),
		"X-Request-Id", "test-refused-1")
	if !bytes.Contains(r.body, []byte("UNAUTHORIZED")) {
		t.Fatalf("an anonymous write answered %s", r.body)
	}
	l = waitLog(t, a, "refused", "test-refused-1")
	if l["client"] != "127.0.0.1" || l["code"] != "unauthorized" && l["code"] != "UNAUTHORIZED" {
		t.Errorf("refusal log line = %v", l)
	}
	l = waitLog(t, a, "request", "test-refused-1")
	if l["outcome"] != "UNAUTHORIZED" || l["type"] != "mutation" {
		t.Errorf("request log line = %v", l)
	}

	// Behind a trusted proxy the client is the one it forwarded for; a
	// proxy that is not trusted is not believed.
	behind := startAPI(t, "TRUSTED_PROXIES=127.0.0.0/8")
	anon := gqlBody(`mutation { createTeam(id: "team:test-refused", input: {name: "No"}) { id } }`, nil, nil)
	behind.do(t, "POST", "/graphql", anon, "X-Request-Id", "test-proxied-1", "X-Forwarded-For", "1.2.3.4, 198.51.100.9")
	if l := waitLog(t, behind, "refused", "test-proxied-1"); l["client"] != "198.51.100.9" {
		t.Errorf("refusal behind a trusted proxy names client %v, want 198.51.100.9", l["client"])
	}
	a.do(t, "POST", "/graphql", anon, "X-Request-Id", "test-proxied-2", "X-Forwarded-For", "198.51.100.9")
	if l := waitLog(t, a, "refused", "test-proxied-2"); l["client"] != "127.0.0.1" {
		t.Errorf("refusal through an untrusted proxy names client %v, want 127.0.0.1", l["client"])
	}
}

// metricValue is the value of the sample named by series (name{labels} as
// the text format writes it), or -1 when there is none.
func metricValue(text, series string) float64 {
	for _, l := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(l, series+" "); ok {
			var v float64
			fmt.Sscan(rest, &v)
			return v
		}
	}
	return -1
}

// After known requests the metrics say what they were; the metrics and
// the profiles are on the admin listener only.
func TestMetrics(t *testing.T) {
	a := startAPI(t)
	if a.admin == "" {
		t.Fatal("the API printed no admin address")
	}
	for range 3 {
		a.do(t, "POST", "/graphql", gqlBody(`query MetricsTeam { team(id: "team:bromley-atlas") { name } }`, nil, nil))
	}
	a.do(t, "POST", "/graphql", gqlBody(`query MetricsMissing { team(id: "team:nowhere") { name } }`, nil, nil))
	a.do(t, "POST", "/graphql", gqlBody(`{ nosuchfield }`, nil, nil))

	res, err := http.Get(a.admin + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	text := string(raw)
	for series, want := range map[string]float64{
		`cgraph_graphql_requests_total{operation="MetricsTeam",outcome="ok",type="query"}`:                     3,
		`cgraph_graphql_requests_total{operation="MetricsMissing",outcome="NOT_FOUND",type="query"}`:           1,
		`cgraph_graphql_requests_total{operation="anonymous",outcome="GRAPHQL_VALIDATION_FAILED",type="none"}`: 1,
		`cgraph_graphql_request_duration_seconds_count{operation="MetricsTeam",type="query"}`:                  3,
		`cgraph_graphql_errors_total{code="NOT_FOUND"}`:                                                        1,
		`cgraph_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}`:                                        1,
		`cgraph_http_requests_total{method="POST",route="/graphql",status="200"}`:                              5,
		`cgraph_neo4j_pool_max_connections`:                                                                    100,
		`cgraph_neo4j_statements_in_flight{mode="read"}`:                                                       0,
		`cgraph_neo4j_write_transactions_in_flight`:                                                            0,
		`cgraph_import_rows_written_total`:                                                                     0,
	} {
		if got := metricValue(text, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	// Each of the four executed queries sent at least one statement.
	if got := metricValue(text, `cgraph_neo4j_statements_total{mode="read",outcome="ok"}`); got < 4 {
		t.Errorf("read statements = %v, want at least 4", got)
	}
	if got := metricValue(text, `cgraph_neo4j_statement_duration_seconds_count{mode="read"}`); got < 4 {
		t.Errorf("read statement latencies observed = %v, want at least 4", got)
	}
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes", `cgraph_http_request_duration_seconds_bucket{route="/graphql",le="+Inf"}`} {
		if metricValue(text, name) < 0 && !strings.Contains(text, name) {
			t.Errorf("no %s in the metrics", name)
		}
	}

	res, err = http.Get(a.admin + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(raw), "goroutine profile") {
		t.Errorf("pprof goroutine profile = %d %.100s", res.StatusCode, raw)
	}
	for _, p := range []string{"/metrics", "/debug/pprof/"} {
		if r := a.do(t, "GET", p, ""); r.status != 404 {
			t.Errorf("GET %s on the public listener = %d, want 404", p, r.status)
		}
	}
}

// A client sends a query's hash first; the server asks for the query once,
// then serves the hash alone.
func TestPersistedQueries(t *testing.T) {
	a := startAPI(t)
	q := `query PersistedTeam { team(id: "team:bromley-atlas") { name } }`
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": sha(q)}}
	want := `{"data":{"team":{"name":"Atlas Team"}}}`

	r := a.do(t, "POST", "/graphql", gqlBody("", nil, ext))
	if !bytes.Contains(r.body, []byte("PERSISTED_QUERY_NOT_FOUND")) {
		t.Fatalf("an unknown hash answered %s, want PERSISTED_QUERY_NOT_FOUND", r.body)
	}
	if r = a.do(t, "POST", "/graphql", gqlBody(q, nil, ext)); string(r.body) != want {
		t.Fatalf("the query with its hash answered %s", r.body)
	}
	if r = a.do(t, "POST", "/graphql", gqlBody("", nil, ext)); string(r.body) != want {
		t.Errorf("the hash alone answered %s, want %s", r.body, want)
	}
	// GET too, as a CDN could cache it.
	enc, _ := json.Marshal(ext)
	if r = a.do(t, "GET", "/graphql?extensions="+urlQuery(string(enc)), ""); string(r.body) != want {
		t.Errorf("GET with the hash answered %s", r.body)
	}
	// A hash that is not the query's is refused.
	bad := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": sha("other")}}
	if r = a.do(t, "POST", "/graphql", gqlBody(q, nil, bad)); !bytes.Contains(r.body, []byte("provided APQ hash does not match query")) {
		t.Errorf("a wrong hash answered %s", r.body)
	}
}

// With ALLOWED_OPERATIONS only the listed documents are served, by hash or
// in full; anything else is FORBIDDEN.
func TestAllowedOperations(t *testing.T) {
	dir := t.TempDir()
	known, err := os.ReadFile("../../docs/examples/01-service-team.graphql")
	if err != nil {
		t.Fatal(err)
	}
	list, _ := json.Marshal(map[string]string{sha(string(known)): string(known)})
	path := filepath.Join(dir, "allowed.json")
	if err := os.WriteFile(path, list, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, from := range []string{path, "../../docs/examples"} {
		t.Run(filepath.Base(from), func(t *testing.T) {
			a := startAPI(t, "ALLOWED_OPERATIONS="+from)
			ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": sha(string(known))}}
			for name, body := range map[string]string{"hash alone": gqlBody("", nil, ext), "full text": gqlBody(string(known), nil, nil)} {
				if r := a.do(t, "POST", "/graphql", body); !bytes.Contains(r.body, []byte(`"name":"Atlas Team"`)) {
					t.Errorf("%s: an allowed operation answered %s", name, r.body)
				}
			}
			r := a.do(t, "POST", "/graphql", gqlBody(`{ team(id: "team:bromley-atlas") { name } }`, nil, nil), "X-Request-Id", "test-not-allowed")
			if !bytes.Contains(r.body, []byte(`"code":"FORBIDDEN"`)) || bytes.Contains(r.body, []byte("Atlas")) {
				t.Errorf("an operation not in the list answered %s", r.body)
			}
			if l := waitLog(t, a, "refused", "test-not-allowed"); l["client"] != "127.0.0.1" {
				t.Errorf("refusal log = %v", l)
			}
		})
	}
}

// The GraphQL-over-HTTP spec's server audits (the graphql-http package)
// pass with no failure, no warning and no notice. `make test` installs the
// package.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed: the GraphQL-over-HTTP audit runs on Node.js (Debian: apt-get install -y nodejs npm; .ci/run does this)")
	}
	if _, err := os.Stat("../../tools/http-audit/node_modules/graphql-http"); err != nil {
		t.Fatal("graphql-http is not installed: run `make http-audit-deps` (make test does)")
	}
	a := startAPI(t)
	out, err := exec.Command(node, "../../tools/http-audit/audit.mjs", a.url+"/graphql").CombinedOutput()
	if err != nil {
		t.Fatalf("audit: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`\d+ audits: \d+ ok, 0 notices, 0 warnings, 0 errors`).Match(out) {
		t.Errorf("audit output:\n%s", out)
	}
	t.Logf("%s", bytes.TrimSpace(out[bytes.LastIndexByte(bytes.TrimSpace(out), '\n')+1:]))
}

// On SIGTERM under a load of writes, the API goes unready first, keeps
// serving through the drain delay, then stops; every write it acknowledged
// is in the graph.
func TestShutdownUnderLoad(t *testing.T) {
	a := startAPI(t, "AUTH_JWT_SECRET="+testSecret, "SHUTDOWN_DRAIN_DELAY=1s", "SHUTDOWN_TIMEOUT=10s")
	admin := mint(t, "-sub", "e2e-shutdown", "-role", "admin")
	client := &http.Client{Timeout: 20 * time.Second}

	var mu sync.Mutex
	var acked []string
	var ackedAfterSignal, unanswered, otherErrors int
	var signalled time.Time
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id := fmt.Sprintf("service:test-shutdown-%d-%d", w, i)
				body := gqlBody(`mutation($id: ID!) { createService(id: $id, input: {name: "Shutdown test"}) { id } }`, map[string]any{"id": id}, nil)
				req, _ := http.NewRequest("POST", a.url+"/graphql", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+admin)
				res, err := client.Do(req)
				if err != nil {
					var op *net.OpError
					mu.Lock()
					if errors.As(err, &op) && op.Op == "dial" {
						mu.Unlock()
						return // the server has stopped listening
					}
					unanswered++ // never acknowledged
					mu.Unlock()
					continue
				}
				raw, err := io.ReadAll(res.Body)
				res.Body.Close()
				mu.Lock()
				if err == nil && res.StatusCode == 200 && bytes.Contains(raw, []byte(`"createService":{"id":"`+id+`"}`)) {
					acked = append(acked, id)
					if !signalled.IsZero() {
						ackedAfterSignal++
					}
				} else {
					otherErrors++
					t.Errorf("write %s answered %d %s (%v)", id, res.StatusCode, raw, err)
				}
				mu.Unlock()
			}
		}()
	}
	t.Cleanup(func() {
		mu.Lock()
		ids := append([]string(nil), acked...)
		mu.Unlock()
		neo4jtest.MustForget(t, ids...)
	})

	time.Sleep(1500 * time.Millisecond)
	mu.Lock()
	signalled = time.Now()
	mu.Unlock()
	if err := a.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Unready within the drain delay, while still answering.
	sawUnready := false
	for deadline := time.Now().Add(900 * time.Millisecond); time.Now().Before(deadline) && !sawUnready; time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(a.url + "/readyz"); err == nil {
			sawUnready = res.StatusCode == http.StatusServiceUnavailable
			res.Body.Close()
		}
	}
	exited := make(chan error, 1)
	go func() { exited <- a.cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("the API exited with %v\n%s", err, a.logs())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the API did not stop within 15s of SIGTERM")
	}
	took := time.Since(signalled)
	close(stop)
	wg.Wait()

	if !sawUnready {
		t.Error("/readyz did not answer 503 while the API drained")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(acked) < 10 || ackedAfterSignal == 0 {
		t.Errorf("%d writes acknowledged, %d of them after SIGTERM: too few to show anything", len(acked), ackedAfterSignal)
	}
	if got := neo4jtest.MustCount(t, "UNWIND $ids AS id MATCH (s:Service {id: id}) RETURN count(s)", map[string]any{"ids": acked}); got != int64(len(acked)) {
		t.Errorf("%d of %d acknowledged writes are in the graph", got, len(acked))
	}
	if took < time.Second {
		t.Errorf("the API stopped %v after SIGTERM, before its 1s drain delay", took)
	}
	t.Logf("%d writes acknowledged (%d after SIGTERM), %d sent and not answered, stopped %v after SIGTERM",
		len(acked), ackedAfterSignal, unanswered, took.Round(time.Millisecond))
}

func sha(s string) string {
	return graph.QueryHash(s)
}

func urlQuery(s string) string { return url.QueryEscape(s) }

// metrics fetches the API's metrics.
func (a *api) metrics(t *testing.T) string {
	t.Helper()
	res, err := http.Get(a.admin + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return string(raw)
}

// The dashboard sends hashes: each of its documents is sent in full once,
// then by hash alone.
func TestDashboardUsesPersistedQueries(t *testing.T) {
	a := startAPI(t)
	b := browsertest.MustStart(t)
	notFound := `cgraph_graphql_errors_total{code="PERSISTED_QUERY_NOT_FOUND"}`
	requests := func(text string) float64 {
		return metricValue(text, `cgraph_http_requests_total{method="POST",route="/graphql",status="200"}`)
	}
	visit(t, browsertest.NewTab(t, b), a.url+"/dashboard/#/contracts", `main[data-ready="contracts"] #ending-contracts`)
	first := a.metrics(t)
	docs := metricValue(first, notFound)
	if docs < 2 || requests(first) != 2*docs {
		t.Fatalf("first visit: %v documents not known, %v requests; want each sent by hash, then in full", docs, requests(first))
	}
	visit(t, browsertest.NewTab(t, b), a.url+"/dashboard/#/contracts", `main[data-ready="contracts"] #ending-contracts`)
	second := a.metrics(t)
	if got := metricValue(second, notFound); got != docs {
		t.Errorf("second visit: %v hashes not known, want still %v", got, docs)
	}
	if got := requests(second) - requests(first); got != docs {
		t.Errorf("second visit sent %v requests, want %v (one per document, by hash)", got, docs)
	}
}

// A write through one API process answers with its bookmark; a read
// through another that sends it back is served once the write is visible,
// and sees it. A bookmark Neo4j never gave is INVALID.
func TestBookmarksAcrossProcesses(t *testing.T) {
	const svc = "service:test-bookmark"
	neo4jtest.MustForget(t, svc)
	t.Cleanup(func() { neo4jtest.MustForget(t, svc) })
	writer := startAPI(t, "AUTH_JWT_SECRET="+testSecret)
	reader := startAPI(t, "AUTH_JWT_SECRET="+testSecret)
	admin := mint(t, "-sub", "e2e-bookmarks", "-role", "admin")

	var answer struct {
		Data       json.RawMessage
		Errors     []any
		Extensions map[string]any
	}
	r := writer.do(t, "POST", "/graphql", gqlBody(`mutation($id: ID!) { createService(id: $id, input: {name: "Bookmarked"}) { id } }`,
		map[string]any{"id": svc}, nil), "Authorization", "Bearer "+admin)
	if err := json.Unmarshal(r.body, &answer); err != nil || len(answer.Errors) > 0 {
		t.Fatalf("write: %v %s", err, r.body)
	}
	bookmark, _ := answer.Extensions["neo4jBookmark"].(string)
	if bookmark == "" {
		t.Fatalf("the write's answer carries no bookmark: %s", r.body)
	}

	read := gqlBody(`query($id: ID!) { service(id: $id) { name } }`, map[string]any{"id": svc}, nil)
	r = reader.do(t, "POST", "/graphql", read, "X-Neo4j-Bookmark", bookmark)
	if want := `{"data":{"service":{"name":"Bookmarked"}}}`; string(r.body) != want {
		t.Errorf("the read through the other process with the bookmark = %s, want %s", r.body, want)
	}
	// A read carries no bookmark of its own.
	if bytes.Contains(r.body, []byte("neo4jBookmark")) {
		t.Errorf("a read answered with a bookmark: %s", r.body)
	}
	// Writes wait for a bookmark too, and give their own.
	r = reader.do(t, "POST", "/graphql", gqlBody(`mutation($id: ID!) { updateService(id: $id, version: 1, input: {name: "Bookmarked twice"}) { version } }`,
		map[string]any{"id": svc}, nil), "Authorization", "Bearer "+admin, "X-Neo4j-Bookmark", bookmark)
	answer.Extensions = nil
	if err := json.Unmarshal(r.body, &answer); err != nil || len(answer.Errors) > 0 {
		t.Fatalf("update: %v %s", err, r.body)
	}
	if next, _ := answer.Extensions["neo4jBookmark"].(string); next == "" || next == bookmark {
		t.Errorf("the second write's bookmark = %q, want a new one", next)
	}

	r = reader.do(t, "POST", "/graphql", read, "X-Neo4j-Bookmark", "not-a-bookmark")
	if !bytes.Contains(r.body, []byte(`"code":"INVALID"`)) || bytes.Contains(r.body, []byte("Neo")) {
		t.Errorf("a made-up bookmark answered %s, want INVALID without the driver's words", r.body)
	}
}

// With persisted queries off the dashboard still works: it sends the
// document when the server does not take the hash alone.
func TestDashboardWithoutPersistedQueries(t *testing.T) {
	a := startAPI(t, "APQ_CACHE_SIZE=0")
	b := browsertest.MustStart(t)
	visit(t, browsertest.NewTab(t, b), a.url+"/dashboard/#/contracts", `main[data-ready="contracts"] #ending-contracts tr[data-id="contract:bromley-cse-barnardos-2017"]`)
	if got := metricValue(a.metrics(t), `cgraph_graphql_errors_total{code="PERSISTED_QUERY_NOT_FOUND"}`); got != -1 {
		t.Errorf("PERSISTED_QUERY_NOT_FOUND counted %v times with persisted queries off", got)
	}
}

// With an OTLP endpoint configured, a request's spans reach the collector:
// the request, its operation, its top-level resolver and its Cypher, with
// the parameters' names and not their values.
func TestTracesSentToCollector(t *testing.T) {
	var mu sync.Mutex
	var sent bytes.Buffer
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		if r.URL.Path == "/v1/traces" {
			sent.Write(b)
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer collector.Close()
	a := startAPI(t, "OTEL_EXPORTER_OTLP_ENDPOINT="+collector.URL, "OTEL_BSP_SCHEDULE_DELAY=50", "OTEL_SERVICE_NAME=cgraph-test")
	a.do(t, "POST", "/graphql", gqlBody(`query TracedTeam($id: ID!) { team(id: $id) { name services { name } } }`,
		map[string]any{"id": "team:bromley-atlas"}, nil), "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")

	wants := []string{"cgraph-test", "/graphql", "graphql query TracedTeam", "Query.team", "neo4j read", "db.query.text", "MATCH", "db.query.parameter.names",
		string([]byte{0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6})} // the caller's trace id
	var got string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		got = sent.String()
		mu.Unlock()
		missing := false
		for _, w := range wants {
			missing = missing || !strings.Contains(got, w)
		}
		if !missing {
			break
		}
	}
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("the spans sent lack %q", w)
		}
	}
	if strings.Contains(got, "team:bromley-atlas") {
		t.Error("the spans sent hold a parameter's value")
	}
}

// A second signal ends a draining API at once.
func TestSecondSignalStops(t *testing.T) {
	a := startAPI(t, "SHUTDOWN_DRAIN_DELAY=60s")
	if err := a.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if r := a.do(t, "GET", "/readyz", ""); r.status == http.StatusServiceUnavailable {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("/readyz did not go unready after SIGTERM")
		}
	}
	exited := make(chan struct{})
	go func() { a.cmd.Wait(); close(exited) }()
	if err := a.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Half the drain delay: a busy machine may take seconds to stop the
	// process, but one that waited out the drain would take a minute.
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		t.Fatal("the API kept draining after a second SIGTERM")
	}
}
