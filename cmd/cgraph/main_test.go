package main_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/commissioning-graph/cgraph/internal/generate"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
)

var update = flag.Bool("update", false, "rewrite docs/examples/*.json from the answers the API gives")

var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "cgraph-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "cgraph")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// api is a running cgraph binary.
type api struct {
	url    string
	admin  string // the admin listener's address, with its metrics and pprof
	cmd    *exec.Cmd
	mu     sync.Mutex
	output bytes.Buffer
}

// startAPI starts the real binary on a free port against the test Neo4j (or
// the URI given) and waits until it serves.
func startAPI(t *testing.T, env ...string) *api {
	t.Helper()
	c := neo4jtest.Config(t)
	cmd := exec.Command(binary, "serve", "-seed-if-empty")
	cmd.Env = append(os.Environ(), "PORT=0", "NEO4J_URI="+c.URI, "NEO4J_PASSWORD="+c.Password,
		"ADMIN_ADDR=127.0.0.1:0", "SHUTDOWN_DRAIN_DELAY=0s")
	cmd.Env = append(cmd.Env, env...)
	a := &api{cmd: cmd}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = &lockedWriter{a}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			t.Errorf("the API did not stop within 15s of an interrupt")
		}
	})
	served := regexp.MustCompile(`http://localhost:(\d+)/`)
	admin := regexp.MustCompile(`metrics at http://([0-9.:]+)/metrics`)
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if m := admin.FindStringSubmatch(lines.Text()); m != nil {
			a.admin = "http://" + m[1]
		}
		if m := served.FindStringSubmatch(lines.Text()); m != nil {
			a.url = "http://127.0.0.1:" + m[1]
			go io.Copy(io.Discard, stdout)
			return a
		}
	}
	t.Fatalf("the API stopped before serving:\n%s", a.logs())
	return nil
}

func (a *api) logs() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.output.String()
}

type lockedWriter struct{ a *api }

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.a.mu.Lock()
	defer w.a.mu.Unlock()
	return w.a.output.Write(p)
}

// response is a GraphQL response.
type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// reply is one HTTP answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request to the API with the given headers (name, value, ...):
// the one way these tests reach the binary over HTTP.
func (a *api) do(t *testing.T, method, path, body string, headers ...string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, a.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return reply{res.StatusCode, res.Header, b}
}

// gqlBody is a GraphQL request body.
func gqlBody(query string, vars map[string]any, ext map[string]any) string {
	m := map[string]any{}
	if query != "" {
		m["query"] = query
	}
	if vars != nil {
		m["variables"] = vars
	}
	if ext != nil {
		m["extensions"] = ext
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// post posts a request body to /graphql and decodes the GraphQL response.
func (a *api) post(t *testing.T, body string, headers ...string) (int, response) {
	t.Helper()
	res := a.do(t, http.MethodPost, "/graphql", body, headers...)
	var r response
	if err := json.Unmarshal(res.body, &r); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, res.body)
	}
	return res.status, r
}

// gql posts an operation with a bearer token (none when empty).
func (a *api) gql(t *testing.T, token, query string, vars map[string]any) response {
	t.Helper()
	var headers []string
	if token != "" {
		headers = []string{"Authorization", "Bearer " + token}
	}
	_, r := a.post(t, gqlBody(query, vars, nil), headers...)
	return r
}

// query posts an operation anonymously.
func (a *api) query(t *testing.T, q string) response {
	t.Helper()
	return a.gql(t, "", q, nil)
}

// get fetches path from the API and returns its status, body and headers.
func (a *api) get(t *testing.T, path string) (int, string, http.Header) {
	t.Helper()
	res := a.do(t, http.MethodGet, path, "")
	return res.status, string(res.body), res.header
}

// The README's examples, run against the seeded graph by the real binary.
func TestExamples(t *testing.T) {
	a := startAPI(t)
	files, err := filepath.Glob("../../docs/examples/*.graphql")
	if err != nil || len(files) < 10 {
		t.Fatalf("examples: %v, %v", files, err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			q, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r := a.query(t, string(q))
			if len(r.Errors) > 0 {
				t.Fatalf("errors: %+v", r.Errors)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, r.Data, "", "  "); err != nil {
				t.Fatal(err)
			}
			pretty.WriteString("\n")
			answer := strings.TrimSuffix(f, ".graphql") + ".json"
			if *update {
				if err := os.WriteFile(answer, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(answer)
			if err != nil {
				t.Fatal(err)
			}
			if pretty.String() != string(want) {
				t.Errorf("answer differs from %s:\ngot:\n%s", answer, pretty.String())
			}
			if !bytes.Contains(readme, q) || !bytes.Contains(readme, want) {
				t.Errorf("README.md does not show %s and its answer as they are", filepath.Base(f))
			}
		})
	}
}

func TestHealthAndReadiness(t *testing.T) {
	a := startAPI(t)
	for path, want := range map[string]string{"/healthz": `"status":"ok"`, "/readyz": `"status":"ready"`} {
		if status, body, _ := a.get(t, path); status != 200 || !strings.Contains(body, want) {
			t.Errorf("GET %s = %d %s, want 200 with %s", path, status, body, want)
		}
	}
	if status, body, _ := a.get(t, "/"); status != 200 || !strings.Contains(body, `<script src="graphiql/bootstrap.js">`) {
		t.Errorf("GET / = %d, want GraphiQL's page", status)
	}
	if status, body, _ := a.get(t, "/graphiql/bootstrap.js"); status != 200 || !strings.Contains(body, "new URL('graphql', document.baseURI)") {
		t.Errorf("GET /graphiql/bootstrap.js = %d, want GraphiQL started on /graphql", status)
	}
}

func TestGetQuery(t *testing.T) {
	a := startAPI(t)
	q := url.QueryEscape(`{ team(id: "team:bromley-atlas") { name launched } }`)
	_, body, _ := a.get(t, "/graphql?query="+q)
	if want := `{"data":{"team":{"name":"Atlas Team","launched":"2017-01"}}}`; string(body) != want {
		t.Errorf("GET /graphql = %s, want %s", body, want)
	}
}

func TestCORS(t *testing.T) {
	a := startAPI(t, "CORS_ALLOWED_ORIGINS=https://dashboard.example")
	for origin, allowed := range map[string]bool{"https://dashboard.example": true, "https://elsewhere.example": false} {
		res := a.do(t, http.MethodOptions, "/graphql", "", "Origin", origin,
			"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type")
		if got := res.header.Get("Access-Control-Allow-Origin") == origin; got != allowed {
			t.Errorf("preflight from %s: allowed = %v, want %v", origin, got, allowed)
		}
	}
}

func TestBadRequests(t *testing.T) {
	a := startAPI(t)
	for _, tt := range []struct {
		name, body, code, message string
	}{
		{"malformed", `{"query": "{ service(id: "}`, "GRAPHQL_PARSE_FAILED", ""},
		{"unknown field", `{"query": "{ service(id: \"service:bromley-cse-recovery\") { budget } }"}`, "GRAPHQL_VALIDATION_FAILED", `Cannot query field "budget"`},
		{"unknown id", `{"query": "{ service(id: \"service:nowhere\") { name } }"}`, "NOT_FOUND", `no Service has id "service:nowhere"`},
		{"id of another type", `{"query": "{ team(id: \"service:bromley-cse-recovery\") { name } }"}`, "NOT_FOUND", `no Team has id`},
		{"page too big", `{"query": "{ services(first: 501) { edges { node { name } } } }"}`, "INVALID", "first and last must be between 1 and 500"},
		{"negative page", `{"query": "{ services(first: -1) { edges { node { name } } } }"}`, "INVALID", "first and last must be between 1 and 500"},
		{"unknown relationship type", `{"query": "{ node(id: \"team:bromley-atlas\") { relationships(types: [DELETES]) { type } } }"}`, "GRAPHQL_VALIDATION_FAILED", ""},
		{"not JSON", `query { x }`, "", "json request body could not be decoded"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, r := a.post(t, tt.body)
			if len(r.Errors) == 0 {
				t.Fatalf("no error for %s", tt.body)
			}
			e := r.Errors[0]
			if tt.code != "" && e.Extensions["code"] != tt.code {
				t.Errorf("code = %v, want %s (%s)", e.Extensions["code"], tt.code, e.Message)
			}
			if !strings.Contains(e.Message, tt.message) {
				t.Errorf("message = %q, want it to contain %q", e.Message, tt.message)
			}
			for _, leak := range []string{"neo4j", "Neo4j", "MATCH", "bolt", "UNWIND"} {
				if strings.Contains(e.Message, leak) {
					t.Errorf("message leaks %q: %s", leak, e.Message)
				}
			}
		})
	}
}

// A Neo4j that is not there at start-up stops the binary with a clear
// message and a non-zero exit, quickly.
func TestNeo4jDownAtStart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(binary, "serve")
	cmd.Env = append(os.Environ(), "PORT=0", "NEO4J_URI=bolt://"+closed, "NEO4J_CONNECT_TIMEOUT=5s")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the binary served without a database:\n%s", out)
	}
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Errorf("exit code = %d, want 1", code)
	}
	if !strings.Contains(string(out), "cannot reach neo4j at bolt://"+closed) {
		t.Errorf("output does not say which database it could not reach:\n%s", out)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("took %s to give up", took)
	}
}

// A Neo4j that goes away while the API runs turns into UNAVAILABLE errors
// within the request timeout, and /readyz says so; nothing hangs or panics.
func TestNeo4jGoesAway(t *testing.T) {
	c := neo4jtest.Config(t)
	target := strings.TrimPrefix(strings.TrimPrefix(c.URI, "bolt://"), "neo4j://")
	p := startProxy(t, target)
	a := startAPI(t, "NEO4J_URI=bolt://"+p.addr(), "REQUEST_TIMEOUT=5s")

	if r := a.query(t, `{ team(id: "team:bromley-atlas") { name } }`); len(r.Errors) > 0 {
		t.Fatalf("through the proxy: %+v", r.Errors)
	}
	p.stop()

	start := time.Now()
	r := a.query(t, `{ service(id: "service:bromley-cse-recovery") { name team { name } } }`)
	if took := time.Since(start); took > 8*time.Second {
		t.Errorf("a request took %s with the database gone, want it bounded by the 5s timeout", took)
	}
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "UNAVAILABLE" {
		t.Fatalf("errors = %+v, want UNAVAILABLE", r.Errors)
	}
	if status, _, _ := a.get(t, "/readyz"); status != http.StatusServiceUnavailable {
		t.Errorf("/readyz = %d, want 503", status)
	}
	if strings.Contains(a.logs(), "panic") {
		t.Errorf("the API panicked:\n%s", a.logs())
	}
}

// proxy forwards TCP to Neo4j until stopped, then refuses and cuts every
// connection, as a database that went away would.
type proxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func startProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln}
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, in, out)
			p.mu.Unlock()
			go func() { io.Copy(out, in); out.Close() }()
			go func() { io.Copy(in, out); in.Close() }()
		}
	}()
	t.Cleanup(p.stop)
	return p
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) stop() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// cgraph generate writes a synthetic graph, and writing it again changes
// nothing.
func TestGenerate(t *testing.T) {
	c := neo4jtest.Config(t)
	neo4jtest.ForgetGeneratedAtEnd(t, generate.Options{Seed: 4242, Authorities: 3, Months: 2})
	gen := func() string {
		cmd := exec.Command(binary, "generate", "-authorities", "3", "-seed", "4242", "-months", "2", "-batch", "2")
		cmd.Env = append(os.Environ(), "NEO4J_URI="+c.URI, "NEO4J_PASSWORD="+c.Password)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("generate: %v\n%s", err, out)
		}
		return string(out)
	}
	first := gen()
	if !strings.Contains(first, "generated 3 synthetic authorities (seed 4242)") {
		t.Errorf("output: %s", first)
	}
	a := startAPI(t)
	count := `{ authorities(filter: {id: {startsWith: "authority:syn4242-"}, synthetic: true}) { totalCount }
		contracts(filter: {buyer: {id: {startsWith: "authority:syn4242-"}}}) { totalCount } }`
	before := a.query(t, count)
	gen()
	after := a.query(t, count)
	if string(before.Data) != string(after.Data) || !strings.Contains(string(before.Data), `"authorities":{"totalCount":3}`) {
		t.Errorf("before %s, after a second run %s; want 3 authorities and no change", before.Data, after.Data)
	}
}
