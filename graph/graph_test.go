package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/commissioning-graph/cgraph/graph"
	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/generate"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
	"github.com/commissioning-graph/cgraph/internal/seed"
)

// at walks decoded JSON: at(v, "a", 0, "b").
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func ids(edges any) []string {
	var out []string
	for _, e := range edges.([]any) {
		out = append(out, at(e, "node", "id").(string))
	}
	return out
}

// withGenerated writes a small synthetic graph with at least 500 contracts
// and no metrics, and forgets it when the test ends.
func withGenerated(t testing.TB, a *api) {
	t.Helper()
	o := generate.Options{Seed: 9001, Authorities: 90}
	neo4jtest.ForgetGeneratedAtEnd(t, o)
	if err := neo4j.NewStore(a.db).WriteGraph(t.Context(), generate.Batch(o, 0, o.Authorities)); err != nil {
		t.Fatal(err)
	}
}

// The Cypher round trips of a request depend on the shape of the query,
// not on how many rows it returns.
func TestRoundTripsDoNotGrowWithRows(t *testing.T) {
	a := newAPI(t, graph.Options{})
	withGenerated(t, a)
	q := `query($n: Int!) {
		contracts(first: $n, filter: {id: {startsWith: "contract:syn9001-"}}) {
			edges { node {
				id
				provider { name contracts { id } }
				service { name team { name } authority { name } }
			} }
		}
	}`
	trips := func(n int) int64 {
		before := a.db.Queries()
		data := a.mustQuery(q, map[string]any{"n": n})
		after := a.db.Queries()
		if got := len(at(data, "contracts", "edges").([]any)); got != n {
			t.Fatalf("first: %d returned %d contracts", n, got)
		}
		return after - before
	}
	one, many := trips(1), trips(500)
	t.Logf("round trips: %d for 1 contract, %d for 500", one, many)
	if one != many {
		t.Errorf("round trips = %d for 1 contract but %d for 500: they must not grow with rows", one, many)
	}
	// One page, then one statement per relationship field of each level.
	if one > 7 {
		t.Errorf("%d round trips for a three-level query, want at most 7", one)
	}
}

func TestPagesWalkBothWays(t *testing.T) {
	a := newAPI(t, graph.Options{})
	withGenerated(t, a)
	const q = `query($first: Int, $after: String, $last: Int, $before: String) {
		contracts(filter: {id: {startsWith: "contract:syn9001-"}, value: {gte: 1000000}}, orderBy: {field: END_DATE, direction: DESC},
		          first: $first, after: $after, last: $last, before: $before) {
			totalCount
			edges { cursor node { id endDate } }
			pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
		}
	}`
	all := a.mustQuery(q, map[string]any{"first": 500})
	want := ids(at(all, "contracts", "edges"))
	total := int(at(all, "contracts", "totalCount").(float64))
	if total != len(want) || total < 50 {
		t.Fatalf("totalCount %d, %d in one page; want equal and at least 50", total, len(want))
	}
	for i := 1; i < len(want); i++ { // sorted by end date, latest first
		prev, cur := at(all, "contracts", "edges", i-1, "node", "endDate"), at(all, "contracts", "edges", i, "node", "endDate")
		if prev.(string) < cur.(string) {
			t.Fatalf("not sorted by end date descending at %d: %v then %v", i, prev, cur)
		}
	}

	var forward []string
	vars := map[string]any{"first": 7}
	for {
		page := a.mustQuery(q, vars)
		forward = append(forward, ids(at(page, "contracts", "edges"))...)
		if !at(page, "contracts", "pageInfo", "hasNextPage").(bool) {
			break
		}
		vars = map[string]any{"first": 7, "after": at(page, "contracts", "pageInfo", "endCursor")}
	}
	var backward []string
	vars = map[string]any{"last": 7}
	for {
		page := a.mustQuery(q, vars)
		backward = append(ids(at(page, "contracts", "edges")), backward...)
		if !at(page, "contracts", "pageInfo", "hasPreviousPage").(bool) {
			break
		}
		vars = map[string]any{"last": 7, "before": at(page, "contracts", "pageInfo", "startCursor")}
	}
	if fmt.Sprint(forward) != fmt.Sprint(want) {
		t.Errorf("walking forward in pages of 7 gave %d ids, not the list of %d", len(forward), len(want))
	}
	if fmt.Sprint(backward) != fmt.Sprint(want) {
		t.Errorf("walking backward in pages of 7 gave %d ids, not the list of %d", len(backward), len(want))
	}
}

func TestFilters(t *testing.T) {
	a := newAPI(t, graph.Options{})
	for _, tt := range []struct {
		name, filter string
		want         []string
	}{
		{"across a relationship", `{provider: {name: {startsWith: "barn"}}}`,
			[]string{"contract:bromley-cse-barnardos-2017", "contract:bromley-cse-barnardos-2017-18"}},
		{"date range", `{endDate: {gt: "2017-09-30", lte: "2018-09-30"}, synthetic: false}`,
			[]string{"contract:bromley-cse-barnardos-2017-18"}},
		{"unknown start", `{startDate: {isNull: true}, synthetic: false}`,
			[]string{"contract:bromley-cse-barnardos-2017"}},
		{"OR and NOT", `{synthetic: false, OR: [{procurementMethod: {eq: LIMITED}}, {status: {in: [ACTIVE]}}], NOT: {id: {eq: "contract:bromley-cse-barnardos-2017"}}}`,
			[]string{"contract:bromley-cse-barnardos-2017-18"}},
		{"two hops", `{service: {team: {name: {contains: "ATLAS"}}}, awardedBy: {urgent: true}}`,
			[]string{"contract:bromley-cse-barnardos-2017-18"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// Among the minute's contracts: tests running beside this one
			// import others that some of these filters would match.
			data := a.mustQuery(`{ contracts(filter: {AND: [{id: {startsWith: "contract:bromley-"}}, `+tt.filter+`]}) { edges { node { id } } } }`, nil)
			if got := ids(at(data, "contracts", "edges")); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSearchFindsTheAtlasTeamAndWhatRestsOnIt(t *testing.T) {
	a := newAPI(t, graph.Options{})
	data := a.mustQuery(`{ search(text: "Atlas", first: 30) { score node { __typename id } via { passage } } }`, nil)
	found := map[string]bool{}
	for _, h := range at(data, "search").([]any) {
		found[at(h, "node", "id").(string)] = true
	}
	for _, id := range []string{"team:bromley-atlas", "service:bromley-cse-recovery", "review:bromley-atlas-team", seed.SourceID(seed.Integrated)} {
		if !found[id] {
			t.Errorf("search for Atlas did not find %s", id)
		}
	}
}

func TestNeighbourhoodAndPaths(t *testing.T) {
	a := newAPI(t, graph.Options{})
	data := a.mustQuery(`{
		neighbourhood(id: "service:bromley-cse-recovery", depth: 1, types: [INTEGRATED_INTO, FOR_SERVICE]) {
			nodes { id } relationships { type from to sources { id } } truncated
			edges { type from to sources { id } }
		}
		paths(from: "provider:barnardos", to: "team:bromley-atlas", maxHops: 3) {
			length relationships { from { id } type direction to { id } }
			steps { from { id } type direction to { id } }
		}
	}`, nil)
	// The fields deprecated for their names answer as the new ones do.
	if rels, edges := fmt.Sprint(at(data, "neighbourhood", "relationships")), fmt.Sprint(at(data, "neighbourhood", "edges")); rels != edges {
		t.Errorf("neighbourhood edges = %s, want them as relationships: %s", edges, rels)
	}
	for _, p := range at(data, "paths").([]any) {
		if rels, steps := fmt.Sprint(at(p, "relationships")), fmt.Sprint(at(p, "steps")); rels != steps {
			t.Errorf("path steps = %s, want them as relationships: %s", steps, rels)
		}
	}
	nodes := fmt.Sprint(at(data, "neighbourhood", "nodes"))
	for _, id := range []string{"team:bromley-atlas", "contract:bromley-cse-barnardos-2017", "contract:bromley-cse-barnardos-2017-18", "intention:bromley-cse-future"} {
		if !strings.Contains(nodes, id) {
			t.Errorf("neighbourhood lacks %s: %s", id, nodes)
		}
	}
	if n := len(at(data, "neighbourhood", "relationships").([]any)); n != 4 {
		t.Errorf("%d relationships, want 4 (INTEGRATED_INTO, FOR_SERVICE from two contracts and the intention)", n)
	}
	// Barnardo's -> contract -> service -> Atlas Team is one of the shortest.
	var viaService bool
	for _, p := range at(data, "paths").([]any) {
		if at(p, "length").(float64) != 3 {
			t.Errorf("path of length %v, want 3", at(p, "length"))
		}
		if at(p, "relationships", 2, "type") == "INTEGRATED_INTO" && at(p, "relationships", 2, "direction") == "OUTGOING" {
			viaService = true
		}
	}
	if !viaService {
		t.Errorf("no path reaches the Atlas Team through the service: %v", at(data, "paths"))
	}
}

func TestCommissioningAnalytics(t *testing.T) {
	a := newAPI(t, graph.Options{})
	withGenerated(t, a)
	data := a.mustQuery(`{
		bromley: endingContracts(from: "2017-01-01", months: 24, authority: "authority:bromley") {
			contract { id } endDate approvalDeadline status successor { id }
		}
		breaches: approvalBreaches { status approvalDeadline approvedOn daysLate }
		cse: deliveryComparison(serviceType: "CSE_SUPPORT", sortBy: COST_PER_CHILD, groupBy: DELIVERY_MODEL) {
			rows { authority { name } deliveryModel costPerChild childrenSupported }
			groups { key count }
			caveat
		}
	}`, nil)
	want := `[map[approvalDeadline:2017-03-31 contract:map[id:contract:bromley-cse-barnardos-2017] endDate:2017-09-30 status:UNKNOWN successor:map[id:contract:bromley-cse-barnardos-2017-18]] map[approvalDeadline:2018-03-31 contract:map[id:contract:bromley-cse-barnardos-2017-18] endDate:2018-09-30 status:NOT_YET_APPROVED successor:<nil>]]`
	if got := fmt.Sprint(at(data, "bromley")); got != want {
		t.Errorf("Bromley's ending contracts:\n got %s\nwant %s", got, want)
	}
	breaches := at(data, "breaches").([]any)
	if len(breaches) == 0 {
		t.Fatal("the generated graph has late approvals, but none were found")
	}
	for _, b := range breaches {
		if at(b, "status") != "APPROVED_LATE" || at(b, "approvedOn").(string) <= at(b, "approvalDeadline").(string) || at(b, "daysLate").(float64) < 1 {
			t.Errorf("not a breach: %v", b)
		}
	}
	rows := at(data, "cse", "rows").([]any)
	if len(rows) < 91 {
		t.Fatalf("%d rows, want Bromley and 90 generated authorities", len(rows))
	}
	var prev float64
	for i, r := range rows { // sorted by cost per child, unknown last
		c, ok := at(r, "costPerChild").(float64)
		if !ok {
			for _, rest := range rows[i:] {
				if at(rest, "costPerChild") != nil {
					t.Fatalf("a known cost after an unknown one")
				}
			}
			break
		}
		if c < prev {
			t.Fatalf("row %d: cost %.0f after %.0f", i, c, prev)
		}
		prev = c
	}
	if len(at(data, "cse", "groups").([]any)) < 4 {
		t.Errorf("groups: %v, want the several delivery models", at(data, "cse", "groups"))
	}
}

// A page that follows a cursor is the same after an entity is added before
// the cursor: keyset cursors do not shift with inserts.
func TestCursorsAreStableUnderInserts(t *testing.T) {
	a := newAPI(t, graph.Options{})
	withGenerated(t, a)
	const q = `query($after: String) {
		contracts(filter: {id: {startsWith: "contract:syn9001-"}}, orderBy: {field: END_DATE}, first: 5, after: $after) {
			edges { node { id } } pageInfo { endCursor }
		}
	}`
	first := a.mustQuery(q, nil)
	cursor := at(first, "contracts", "pageInfo", "endCursor")
	before := ids(at(a.mustQuery(q, map[string]any{"after": cursor}), "contracts", "edges"))

	store := neo4j.NewStore(a.db)
	admin := cg.Principal{Subject: "test", Role: cg.RoleAdmin}
	early := cg.MustParseDate("1990-01-01")
	added, err := store.CreateEntity(t.Context(), admin, &cg.Contract{ID: "contract:syn9001-zz-stability", Title: "Added while paging", EndDate: &early}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { neo4jtest.MustForget(t, added.EntityID()) })

	after := ids(at(a.mustQuery(q, map[string]any{"after": cursor}), "contracts", "edges"))
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the page after the cursor moved when a contract was added before it:\nbefore %v\nafter  %v", before, after)
	}
	if got := ids(at(a.mustQuery(q, nil), "contracts", "edges")); got[0] != "contract:syn9001-zz-stability" {
		t.Errorf("the new contract is not first from the start: %v", got)
	}
}
