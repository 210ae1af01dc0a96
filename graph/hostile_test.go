package graph_test

import (
	"strings"
	"testing"
	"time"

	"github.com/commissioning-graph/cgraph/graph"
	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
)

// tokens is a Verifier that knows a fixed set of tokens.
type tokens map[string]cg.Principal

func (v tokens) Verify(token string) (cg.Principal, error) {
	if p, ok := v[token]; ok {
		return p, nil
	}
	return cg.Principal{}, cg.Errorf(cg.EUNAUTHORIZED, "unknown token")
}

var testTokens = tokens{
	"admin":  {Subject: "test-graph-admin", Role: cg.RoleAdmin},
	"admin2": {Subject: "test-graph-admin-2", Role: cg.RoleAdmin},
}

// nestedOr is a filter nested depth ORs deep.
func nestedOr(depth int) map[string]any {
	f := map[string]any{"id": map[string]any{"eq": "contract:none"}}
	for i := 0; i < depth; i++ {
		f = map[string]any{"OR": []any{f}}
	}
	return f
}

// Hostile input that the database used to fail on (and that came back
// INTERNAL, or held a connection until the timeout) is refused as INVALID
// before any Cypher runs, or, for search syntax, simply searched for.
func TestHostileInputIsInvalid(t *testing.T) {
	a := newAPI(t, graph.Options{Verifier: testTokens})
	defer neo4jtest.MustUnchanged(t, neo4jtest.Scope{IDs: []string{"team:test-hostile", "contract:test-hostile"},
		Actors: []string{"test-graph-admin"}})()

	t.Run("search syntax", func(t *testing.T) {
		for _, s := range []string{`*~"(( AND OR [ { \ /`, `AND`, `OR NOT`, `"`, `\`, `a && b || !c`, `title:x^2`, `/regex/`} {
			r := a.query(`query($s: String!) { search(text: $s) { score } }`, map[string]any{"s": s})
			if len(r.Errors) > 0 {
				t.Errorf("search(%q): %+v", s, r.Errors)
			}
		}
	})

	long := strings.Repeat("x", 100<<10)
	for _, tt := range []struct {
		name, query string
		vars        map[string]any
		msg         string
	}{
		{"100 KB name", `mutation($n: String!) { createTeam(id: "team:test-hostile", input: {name: $n}) { id } }`,
			map[string]any{"n": long}, "the limit is 8000"},
		{"9 KB name inline", `mutation { createTeam(id: "team:test-hostile", input: {name: "` + strings.Repeat("y", 9000) + `"}) { id } }`,
			nil, "the limit is 8000"},
		{"100 KB filter value", `query($s: String!) { contracts(filter: {title: {contains: $s}}) { totalCount } }`,
			map[string]any{"s": long}, "the limit is 8000"},
		{"100 KB id", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": long}, "the limit is 8000"},
		{"DateTime out of range inline", `{ changes(since: "2017-13-01T25:61:00Z") { id } }`, nil, "is not a date and time"},
		{"DateTime out of range in a variable", `query($t: DateTime) { changes(since: $t) { id } }`,
			map[string]any{"t": "2017-13-01T25:61:00Z"}, "is not a date and time"},
		{"DateTime without offset", `query($t: DateTime) { changes(since: $t) { id } }`,
			map[string]any{"t": "2017-01-01T10:00:00"}, "is not a date and time"},
		{"DateTime empty", `query($t: DateTime) { changes(since: $t) { id } }`, map[string]any{"t": ""}, "is not a date and time"},
		{"DateTime a number", `query($t: DateTime) { changes(since: $t) { id } }`, map[string]any{"t": 12}, "not a number"},
		{"Date a number", `query($d: Date!) { endingContracts(from: $d, months: 6) { status } }`, map[string]any{"d": 20170101}, "not a number"},
		{"release date out of range", `mutation($t: DateTime) { createContract(id: "contract:test-hostile", input: {title: "x", releaseDate: $t}) { id } }`,
			map[string]any{"t": "2017-02-30T10:00:00Z"}, "is not a date and time"},
		{"filter 200 ORs deep in a variable", `query($f: ContractFilter) { contracts(filter: $f) { totalCount } }`,
			map[string]any{"f": nestedOr(200)}, "nested more than 10 levels"},
		{"filter 11 levels deep in a variable", `query($f: ContractFilter) { contracts(filter: $f) { totalCount } }`,
			map[string]any{"f": nestedOr(10)}, "nested more than 10 levels"},
		{"filter with 2,000 values", `query($ids: [ID!]) { contracts(filter: {id: {in: $ids}}) { totalCount } }`,
			map[string]any{"ids": make([]string, 2000)}, "more than 1000 conditions"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r := a.send("admin", nil, tt.query, tt.vars)
			// Well short of the 10 s request timeout, which a request
			// held on the database would reach (with a generous margin
			// for a machine busy with other packages' tests).
			if took := time.Since(start); took > 8*time.Second {
				t.Errorf("took %v", took)
			}
			if len(r.Errors) == 0 {
				t.Fatalf("no error; data %v", r.Data)
			}
			e := r.Errors[0]
			if e.Extensions["code"] != "INVALID" || !strings.Contains(e.Message, tt.msg) {
				t.Errorf("error %q (%v), want INVALID containing %q", e.Message, e.Extensions["code"], tt.msg)
			}
			noLeak(t, r.Raw)
		})
	}
	t.Run("filter 10 levels deep is fine", func(t *testing.T) {
		r := a.query(`query($f: ContractFilter) { contracts(filter: $f) { totalCount } }`, map[string]any{"f": nestedOr(9)})
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
	})
}
