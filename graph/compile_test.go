package graph_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/commissioning-graph/cgraph/graph"
)

// A lookup, a page or a count costs one statement however deep its
// selection, and answers what the level-by-level path answers.
func TestCompiledSelectionsAreOneStatement(t *testing.T) {
	a := newAPI(t, graph.Options{})
	withGenerated(t, a)
	first := func(q string, path ...any) string {
		t.Helper()
		id, _ := at(a.mustQuery(q, nil), path...).(string)
		if id == "" {
			t.Fatalf("no id from %s", q)
		}
		return id
	}
	authority := first(`{ authorities(filter: {id: {startsWith: "authority:syn9001-"}, synthetic: true}, first: 1) { edges { node { id } } } }`, "authorities", "edges", 0, "node", "id")
	contract := first(`{ contracts(filter: {id: {startsWith: "contract:syn9001-"}, synthetic: true, service: {name: {contains: ""}}}, first: 1) { edges { node { id } } } }`, "contracts", "edges", 0, "node", "id")
	const (
		twoLevels   = `{ id title endDate provider { id name sector } service { id name serviceType authority { id name } } }`
		threeLevels = `{ name services { name team { name } contracts { id endDate provider { name sector } } } }`
		deadline    = `{ id predecessor { endDate approvalRule { name text monthsBeforeEnd } approvalDeadline } approvalDeadline sources { id } }`
		aliased     = `{ id p: provider { name } q: provider { sector contracts { id } } ...F }`
		fragment    = ` fragment F on Contract { buyer { ... on Node { id } ... on Authority { name } } }`
		nested      = `{ id relationships(types: [FOR_SERVICE, HOLDS_CONTRACT]) { node { ... on Service { name authority { name } }
			... on Provider { name contracts { id } } } } }`
		rels = `{ id relationships { type direction node { id ... on Provider { name } ... on Service { name } } sources { id passage } }
			served: relationships(types: [FOR_SERVICE, BOUGHT_BY]) { type node { __typename id } } }`
	)
	for _, tt := range []struct {
		name, query string
		nonEmpty    []any // a list in the answer that must not be empty
		levels      bool  // not compiled: answered level by level
	}{
		{name: "lookup with two levels", query: `{ contract(id: "` + contract + `") ` + twoLevels + ` }`},
		{name: "lookup with three levels", query: `{ authority(id: "` + authority + `") ` + threeLevels + ` }`},
		{name: "approval rule and deadline", query: `{ contract(id: "contract:bromley-cse-barnardos-2017-18") ` + deadline + ` }`},
		{name: "aliases and fragments", query: `{ contract(id: "` + contract + `") ` + aliased + ` }` + fragment},
		{name: "relationships and their sources", query: `{ contract(id: "contract:bromley-cse-barnardos-2017-18") ` + rels + ` }`,
			nonEmpty: []any{"contract", "relationships", 0, "sources"}},
		{name: "what the sources support", query: `{ contract(id: "contract:bromley-cse-barnardos-2017-18") {
			sources { id supports { id ... on Contract { title provider { name } } ... on Provider { name } } } } }`,
			nonEmpty: []any{"contract", "sources", 0, "supports"}},
		{name: "what the sources of relationships support", levels: true, query: `{ contract(id: "contract:bromley-cse-barnardos-2017-18") {
			relationships { sources { id supports { id } } } } }`, nonEmpty: []any{"contract", "relationships", 0, "sources", 0, "supports"}},
		{name: "node with fragments", query: `{ node(id: "` + contract + `") { id ... on Contract { title provider { name } } } }`},
		{name: "relationships with fields of each label", query: `{ contract(id: "` + contract + `") ` + nested + ` }`,
			nonEmpty: []any{"contract", "relationships"}},
		{name: "page of a date range", query: `{ contracts(filter: {id: {startsWith: "contract:syn9001-"}, synthetic: true, endDate: {gte: "2019-01-01", lt: "2026-01-01"}},
			orderBy: {field: END_DATE}, first: 20) { edges { node { id title endDate value provider { name } service { name authority { name } } } } } }`},
		{name: "page of one buyer", query: `{ contracts(filter: {buyer: {id: {eq: "` + authority + `"}}}, orderBy: {field: END_DATE}, first: 20) {
			edges { node { id title startDate endDate value } } } }`},
		{name: "page with its total and cursors", query: `{ contracts(filter: {id: {startsWith: "contract:syn9001-"}, synthetic: true}, orderBy: {field: VALUE, direction: DESC}, first: 5) {
			totalCount edges { cursor node { id buyer { name } } } pageInfo { hasNextPage endCursor } } }`},
		{name: "count alone", query: `{ contracts(filter: {id: {startsWith: "contract:syn9001-"}, synthetic: true, endDate: {gte: "2020-01-01"}, value: {gte: 100000}}) { totalCount } }`},
		{name: "count of everything", query: `{ contracts { totalCount } }`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := a.db.Queries()
			data := a.mustQuery(tt.query, nil)
			if got := a.db.Queries() - before; got != 1 && !tt.levels {
				t.Errorf("%d statements, want 1", got)
			} else if got == 1 && tt.levels {
				t.Errorf("1 statement for a selection that is not compiled")
			}
			if l, _ := at(data, tt.nonEmpty...).([]any); tt.nonEmpty != nil && len(l) == 0 {
				t.Errorf("nothing at %v", tt.nonEmpty)
			}
			restore := graph.LevelByLevel()
			want := a.mustQuery(tt.query, nil)
			restore()
			got, _ := json.Marshal(data)
			exp, _ := json.Marshal(want)
			if string(got) != string(exp) {
				t.Errorf("compiled answer\n%s\nwant (level by level)\n%s", got, exp)
			}
		})
	}
}

// Every page holds what the one before it left, and the total is the same
// on each, when the page and its count come from one statement.
func TestCompiledCountMatchesPages(t *testing.T) {
	a := newAPI(t, graph.Options{})
	withGenerated(t, a)
	const q = `query($after: String) { contracts(filter: {id: {startsWith: "contract:syn9001-"}, synthetic: true, value: {gte: 500000}}, first: 50, after: $after) {
		totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`
	total := int(at(a.mustQuery(`{ contracts(filter: {id: {startsWith: "contract:syn9001-"}, synthetic: true, value: {gte: 500000}}) { totalCount } }`, nil), "contracts", "totalCount").(float64))
	seen := map[string]bool{}
	vars := map[string]any{}
	for {
		page := a.mustQuery(q, vars)
		if got := int(at(page, "contracts", "totalCount").(float64)); got != total {
			t.Fatalf("totalCount %d beside a page, %d alone", got, total)
		}
		for _, id := range ids(at(page, "contracts", "edges")) {
			if seen[id] {
				t.Fatalf("%s on two pages", id)
			}
			seen[id] = true
		}
		if !at(page, "contracts", "pageInfo", "hasNextPage").(bool) {
			break
		}
		vars = map[string]any{"after": at(page, "contracts", "pageInfo", "endCursor")}
	}
	if len(seen) != total || total == 0 {
		t.Errorf("%d contracts on the pages, totalCount %d", len(seen), total)
	}
}

// An ascending page sorted by an indexed property holds the entities that
// have it, from the index, then those without it: also when a page ends,
// or begins, where the first kind runs out.
func TestSortedPagesPutMissingValuesLast(t *testing.T) {
	a := newAPI(t, graph.Options{})
	withGenerated(t, a)
	const q = `query($first: Int!, $after: String) {
		providers(filter: {OR: [{id: {startsWith: "provider:syn9001-"}}, {id: {eq: "provider:barnardos"}}]}, orderBy: {field: SECTOR}, first: $first, after: $after) {
			edges { node { id sector } } pageInfo { hasNextPage endCursor } } }`
	all := a.mustQuery(q, map[string]any{"first": 500})
	edges := at(all, "providers", "edges").([]any)
	want := ids(edges)
	have := 0 // providers with a sector, which come first
	for i := range edges {
		sector, _ := at(edges, i, "node", "sector").(string)
		if sector == "" {
			break
		}
		if i > 0 && sector < at(edges, i-1, "node", "sector").(string) {
			t.Fatalf("not sorted by sector at %d", i)
		}
		have++
	}
	for i := have; i < len(edges); i++ {
		if s := at(edges, i, "node", "sector"); s != nil {
			t.Fatalf("provider %d has sector %v after providers without one", i, s)
		}
	}
	if have == 0 || have == len(edges) {
		t.Fatalf("%d of %d providers have a sector; the test needs both kinds", have, len(edges))
	}
	for _, n := range []int{have, have + 1, have - 1} {
		head := a.mustQuery(q, map[string]any{"first": n})
		tail := a.mustQuery(q, map[string]any{"first": 500, "after": at(head, "providers", "pageInfo", "endCursor")})
		got := append(ids(at(head, "providers", "edges")), ids(at(tail, "providers", "edges"))...)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("pages of %d and the rest = %v, want %v", n, got, want)
		}
		if next := at(head, "providers", "pageInfo", "hasNextPage").(bool); next != (n < len(edges)) {
			t.Errorf("first %d of %d: hasNextPage %v", n, len(edges), next)
		}
	}
}
