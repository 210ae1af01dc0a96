package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/commissioning-graph/cgraph/graph"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
)

// Every bad input is refused with a code and a clear message, never a
// panic or leaked Cypher or driver text, and changes nothing in the graph
// (the injections aim at the seeded minute; anonymous requests write
// nothing).
func TestBadInputIsRefused(t *testing.T) {
	a := newAPI(t, graph.Options{})
	defer neo4jtest.MustUnchanged(t, neo4jtest.Scope{Actors: []string{""}})()

	page := a.mustQuery(`{ contracts(first: 1) { pageInfo { endCursor } } }`, nil)
	cursor := at(page, "contracts", "pageInfo", "endCursor").(string)
	tampered := []byte(cursor)
	tampered[len(tampered)-3] ^= 0x01

	deep := `service(id: "service:bromley-cse-recovery") { ` + strings.Repeat("team { services { ", 25) + "id" + strings.Repeat(" } }", 25) + " }"
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&b, " a%d: __typename", i)
	}
	b.WriteString(" }")
	aliases := b.String()

	injections := []string{`' OR 1=1 //`, `"}) MATCH (n) DETACH DELETE n //`, "`) DETACH DELETE n //", "$ids", `\"; CALL dbms.shutdown() //`}

	for _, tt := range []struct {
		name, query string
		vars        map[string]any
		code, msg   string
	}{
		{"negative first", `{ contracts(first: -5) { totalCount } }`, nil, "INVALID", "first and last must be between 1 and 500"},
		{"huge first", `{ contracts(first: 1000000) { edges { node { id } } } }`, nil, "COMPLEXITY_LIMIT_EXCEEDED", "exceeds the limit"},
		{"first over the cap", `{ contracts(first: 501) { totalCount } }`, nil, "INVALID", "between 1 and 500"},
		{"first and last", `{ contracts(first: 5, last: 5) { totalCount } }`, nil, "INVALID", "first or last, not both"},
		{"tampered cursor", `query($c: String) { contracts(after: $c) { totalCount } }`, map[string]any{"c": string(tampered)}, "INVALID", "not one this API gave out"},
		{"garbage cursor", `{ contracts(after: "not-a-cursor!") { totalCount } }`, nil, "INVALID", "not one this API gave out"},
		{"cursor of another order", `query($c: String) { contracts(after: $c, orderBy: {field: END_DATE}) { totalCount } }`, map[string]any{"c": cursor}, "INVALID", "another sort order"},
		{"unknown enum value", `{ contracts(orderBy: {field: BUDGET}) { totalCount } }`, nil, "GRAPHQL_VALIDATION_FAILED", "BUDGET"},
		{"unknown enum in a variable", `query($f: ContractSortField!) { contracts(orderBy: {field: $f}) { totalCount } }`, map[string]any{"f": "DROP"}, "GRAPHQL_VALIDATION_FAILED", "DROP"},
		{"date that does not exist", `{ contracts(filter: {endDate: {lt: "2024-02-30"}}) { totalCount } }`, nil, "INVALID", `"2024-02-30" is not a date`},
		{"date that does not exist in a variable", `query($d: Date!) { endingContracts(from: $d, months: 6) { status } }`, map[string]any{"d": "2024-02-30"}, "INVALID", `"2024-02-30" is not a date`},
		{"range on text", `{ contracts(filter: {title: {contains: "x"}, status: {eq: ACTIVE}, NOT: {title: {eq: "y"}}}) { totalCount } }`, nil, "", ""},
		{"depth 50", "{ " + deep + " }", nil, "DEPTH_LIMIT_EXCEEDED", "the limit is 15"},
		{"10,000 aliases", aliases, nil, "", "token limit"},
		{"neighbourhood too deep", `{ neighbourhood(id: "team:bromley-atlas", depth: 4) { truncated } }`, nil, "INVALID", "depth must be between 1 and 3"},
		{"path too long", `{ paths(from: "provider:barnardos", to: "team:bromley-atlas", maxHops: 7) { length } }`, nil, "INVALID", "maxHops must be between 1 and 6"},
		{"empty search", `{ search(text: "   ") { score } }`, nil, "INVALID", "search text is empty"},
		{"months out of range", `{ endingContracts(from: "2017-01-01", months: -1) { status } }`, nil, "INVALID", "months must be between 0 and 120"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := a.query(tt.query, tt.vars)
			if tt.code == "" && tt.msg == "" {
				if len(r.Errors) > 0 {
					t.Fatalf("errors: %+v", r.Errors)
				}
				return
			}
			if len(r.Errors) == 0 {
				t.Fatalf("no error; data %v", r.Data)
			}
			e := r.Errors[0]
			if tt.code != "" && e.Extensions["code"] != tt.code {
				t.Errorf("code = %v, want %s (%s)", e.Extensions["code"], tt.code, e.Message)
			}
			if e.Extensions["code"] == nil {
				t.Errorf("no code: %s", e.Message)
			}
			if !strings.Contains(e.Message, tt.msg) {
				t.Errorf("message = %q, want it to contain %q", e.Message, tt.msg)
			}
			noLeak(t, r.Raw)
		})
	}

	for _, s := range injections {
		t.Run("injection "+s, func(t *testing.T) {
			r := a.query(`query($s: String!, $id: ID!) {
				contracts(filter: {title: {contains: $s}, OR: [{id: {eq: $id}}, {currency: {in: [$s]}}]}) { totalCount }
				search(text: $s) { score }
			}`, map[string]any{"s": s, "id": s})
			if len(r.Errors) > 0 {
				t.Errorf("errors: %+v", r.Errors)
			}
			if got := at(r.Data, "contracts", "totalCount"); got != float64(0) {
				t.Errorf("totalCount = %v, want 0", got)
			}
			r = a.query(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": s})
			if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "NOT_FOUND" {
				t.Errorf("node(id: %q): %+v, want NOT_FOUND", s, r.Errors)
			}
			r = a.query(`query($id: ID!) { neighbourhood(id: $id) { truncated } }`, map[string]any{"id": s})
			if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "NOT_FOUND" {
				t.Errorf("neighbourhood(id: %q): %+v, want NOT_FOUND", s, r.Errors)
			}
			for _, leak := range []string{"Neo4jError", "Neo.ClientError", "bolt://", "panic", "goroutine"} {
				if strings.Contains(r.Raw, leak) {
					t.Errorf("response leaks %q: %.300s", leak, r.Raw)
				}
			}
		})
	}

	t.Run("10 MB body", func(t *testing.T) {
		body, _ := json.Marshal(map[string]string{"query": "{ __typename }", "pad": strings.Repeat("x", 10<<20)})
		r := a.post(body)
		if r.Status != 413 || len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "REQUEST_TOO_LARGE" {
			t.Errorf("status %d, errors %+v; want 413 REQUEST_TOO_LARGE", r.Status, r.Errors)
		}
	})
	t.Run("invalid UTF-8", func(t *testing.T) {
		r := a.post([]byte("{\"query\": \"{ search(text: \\\"\xff\xfe\\\") { score } }\"}"))
		if r.Status != 400 || len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "INVALID" || !strings.Contains(r.Errors[0].Message, "UTF-8") {
			t.Errorf("status %d, errors %+v; want 400 INVALID about UTF-8", r.Status, r.Errors)
		}
	})
}

// The request timeout reaches the database: a request that cannot finish
// in time gets UNAVAILABLE, not a hang.
func TestRequestTimeout(t *testing.T) {
	a := newAPI(t, graph.Options{Timeout: time.Millisecond})
	r := a.query(`{ contracts(first: 500) { totalCount edges { node { id provider { name } } } } }`, nil)
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "UNAVAILABLE" {
		t.Fatalf("errors %+v, want UNAVAILABLE", r.Errors)
	}
	noLeak(t, r.Raw)
}

func TestIntrospectionCanBeSwitchedOff(t *testing.T) {
	q := `{ __schema { queryType { name } } }`
	if r := newAPI(t, graph.Options{Introspection: true}).query(q, nil); len(r.Errors) > 0 {
		t.Fatalf("with introspection on: %+v", r.Errors)
	}
	off := graph.DefaultOptions
	off.Introspection = false
	r := newAPI(t, off).query(q, nil)
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "INTROSPECTION_DISABLED" {
		t.Fatalf("with introspection off: %+v", r.Errors)
	}
}

func noLeak(t *testing.T, raw string) {
	t.Helper()
	for _, leak := range []string{"MATCH ", "UNWIND", "Neo4jError", "Neo.ClientError", "bolt://", "neo4j:", "panic", "goroutine"} {
		if bytes.Contains([]byte(raw), []byte(leak)) {
			t.Errorf("response leaks %q: %.300s", leak, raw)
		}
	}
}
