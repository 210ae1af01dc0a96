package ocds_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
	"github.com/commissioning-graph/cgraph/internal/ocds"
)

// classFiles are the hand-written fixtures, read as graphs.
func classGraphs(t *testing.T, files ...string) []*cg.Graph {
	t.Helper()
	var out []*cg.Graph
	for _, f := range files {
		res, err := ocds.ReadPath("testdata/classes/"+f, ocds.Options{SkipInvalid: true})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, res.Graph)
	}
	return out
}

// graphIDs are the ids of every node and source of the graphs.
func graphIDs(gs []*cg.Graph) []string {
	var ids []string
	for _, g := range gs {
		for _, n := range g.Nodes {
			ids = append(ids, n.Entity.EntityID())
		}
		for _, s := range g.Sources {
			ids = append(ids, s.ID)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// forgetAll removes what the graphs would write, now and when the test
// ends.
func forgetAll(t *testing.T, gs []*cg.Graph) {
	t.Helper()
	ids := graphIDs(gs)
	neo4jtest.MustForget(t, ids...)
	t.Cleanup(func() { neo4jtest.MustForget(t, ids...) })
}

// snapshot describes what the store holds of the graphs: every node with
// its properties (but version and recordedAt, which count and date
// writes), and every relationship between them with its sources.
func snapshot(t *testing.T, gs []*cg.Graph) string {
	t.Helper()
	rows := neo4jtest.MustRows(t, `
		UNWIND $ids AS id MATCH (n:Entity {id: id})
		OPTIONAL MATCH (n)-[r]->(m:Entity)
		WITH n, r, m ORDER BY type(r), m.id
		RETURN n.id, properties(n), collect([type(r), m.id, r.sources])`, map[string]any{"ids": graphIDs(gs)})
	var lines []string
	for _, r := range rows {
		props := r[1].(map[string]any)
		delete(props, "version")
		delete(props, "recordedAt")
		lines = append(lines, fmt.Sprint(r[0], " ", props, " ", r[2])) // fmt sorts map keys
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func changesOf(t *testing.T, gs []*cg.Graph) int64 {
	t.Helper()
	return neo4jtest.MustCount(t, `UNWIND $ids AS id MATCH (c:Change {entityId: id}) RETURN count(c)`, map[string]any{"ids": graphIDs(gs)})
}

func mustImport(t *testing.T, store *neo4j.Store, gs ...*cg.Graph) cg.ImportResult {
	t.Helper()
	var total cg.ImportResult
	for _, g := range gs {
		res, err := store.ImportGraph(context.Background(), admin, g)
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		total.Add(res)
	}
	return total
}

// A release date with a numeric offset is written (it used to fail in the
// database), as the instant in UTC.
func TestImportClassOffsets(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	gs := classGraphs(t, "offsets.json", "blanks.json", "parties-roles.json")
	forgetAll(t, gs)
	mustImport(t, store, gs...)
	got := neo4jtest.MustRows(t, `MATCH (c:Contract {id: 'contract:ocds-cls-off-1/a1'}) RETURN toString(c.releaseDate)`, nil)
	if len(got) != 1 || !strings.HasPrefix(got[0][0].(string), "2017-05-27T04:00:00Z") {
		t.Errorf("release date = %v, want 2017-05-27T04:00:00Z", got)
	}
}

// The links of a contract are those of its newest release: a buyer and a
// supplier an earlier release named go, whatever the order of the files.
func TestImportClassLinksFollowTheNewestRelease(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	gs := classGraphs(t, "relink/earlier.json", "relink/later.json")
	want := "[BOUGHT_BY authority:ocds-gb-lac-e07000002 HOLDS_CONTRACT provider:ocds-gb-coh-00000002]"
	for _, order := range [][]*cg.Graph{{gs[0], gs[1]}, {gs[1], gs[0]}} {
		forgetAll(t, gs)
		res := mustImport(t, store, order...)
		got := neo4jtest.MustRows(t, `
			MATCH (c:Contract {id: 'contract:ocds-cls-relink/a1'})-[r:BOUGHT_BY|HOLDS_CONTRACT]-(o)
			WITH type(r) + ' ' + o.id AS l ORDER BY l RETURN collect(l)`, nil)
		if fmt.Sprint(got[0][0]) != want {
			t.Errorf("links = %v, want %v", got[0][0], want)
		}
		if order[0] != gs[0] {
			continue
		}
		if res.LinksRemoved != 2 {
			t.Errorf("result = %+v, want the two old links removed", res)
		}
		// The removal is in the audit trail.
		if n := neo4jtest.MustCount(t, `MATCH (c:Change {operation: 'UNLINK', entityId: 'contract:ocds-cls-relink/a1', relType: 'BOUGHT_BY', toId: 'authority:ocds-gb-lac-e07000001'}) RETURN count(c)`, nil); n != 1 {
			t.Errorf("%d unlink changes recorded, want 1", n)
		}
	}
}

// Two releases of the same date (the same instant, written with different
// offsets) and different content: the one with the greater release id
// wins in either order, and importing them again changes nothing.
func TestImportClassSameDateReleasesDoNotAlternate(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	gs := classGraphs(t, "tie/release-a.json", "tie/release-b.json")
	var snaps []string
	for _, order := range [][]*cg.Graph{{gs[0], gs[1]}, {gs[1], gs[0]}} {
		forgetAll(t, gs)
		mustImport(t, store, order...)
		changes := changesOf(t, gs)
		snap := snapshot(t, gs)
		res := mustImport(t, store, order...)
		if res.EntitiesCreated+res.EntitiesUpdated+res.LinksCreated+res.LinksRemoved != 0 || changesOf(t, gs) != changes || snapshot(t, gs) != snap {
			t.Errorf("importing again = %+v, %d changes (was %d)", res, changesOf(t, gs), changes)
		}
		snaps = append(snaps, snap)
	}
	if snaps[0] != snaps[1] {
		t.Errorf("the order of the files shows:\n%s\n---\n%s", snaps[0], snaps[1])
	}
	if !strings.Contains(snaps[0], "title:Laundry, as B says") {
		t.Errorf("want release tie-b to win:\n%s", snaps[0])
	}
}

// A tender imported before or after its award gives one contract, the
// awarded one.
func TestImportClassTenderGivesWayToAward(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	gs := classGraphs(t, "stages/tender.json", "stages/award.json")
	var snaps []string
	for _, order := range [][]*cg.Graph{{gs[0], gs[1]}, {gs[1], gs[0]}} {
		forgetAll(t, gs)
		mustImport(t, store, order...)
		got := neo4jtest.MustRows(t, `MATCH (c:Contract {ocid: 'ocds-cls-stage'}) RETURN collect(c.id)`, nil)
		if fmt.Sprint(got[0][0]) != "[contract:ocds-cls-stage/award-1]" {
			t.Errorf("contracts = %v, want the awarded one only", got[0][0])
		}
		changes := changesOf(t, gs)
		mustImport(t, store, order...)
		if n := changesOf(t, gs); n != changes {
			t.Errorf("importing again recorded %d changes", n-changes)
		}
		snaps = append(snaps, snapshot(t, gs))
	}
	if snaps[0] != snaps[1] {
		t.Errorf("the order of the files shows:\n%s\n---\n%s", snaps[0], snaps[1])
	}
}

// Two publishers' ids for one organisation make one node, which keeps both
// as aliases.
func TestImportClassOneOrganisationOneNode(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	gs := classGraphs(t, "identity/publisher-one.json", "identity/publisher-two.json")
	forgetAll(t, gs)
	mustImport(t, store, gs...)
	got := neo4jtest.MustRows(t, `MATCH (a:Authority {id: 'authority:ocds-gb-lac-e09000099'})<-[:BOUGHT_BY]-(c) RETURN a.aliases, count(c)`, nil)
	if len(got) != 1 || fmt.Sprint(got[0][0]) != "[GB-LAC-E09000099 name:gb:classfield london borough ocds-clsone/ORG-17 ocds-clstwo/9f3c2a]" || got[0][1] != int64(3) {
		t.Errorf("authority = %v, want one with both publishers' ids, buying the three contracts", got)
	}
	if n := neo4jtest.MustCount(t, `MATCH (p:Provider)-[:HOLDS_CONTRACT]->(:Contract) WHERE p.id IN ['provider:ocds-gb-coh-01234567', 'provider:ocds-name-gb-caring-trust'] RETURN count(DISTINCT p)`, nil); n != 2 {
		t.Errorf("%d providers, want 2", n)
	}
}

// Every fixture, real and hand-written, imported in one order and then in
// the reverse, gives the same graph; importing again changes nothing and
// records nothing.
func TestImportIsTheSameInAnyOrder(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	var gs []*cg.Graph
	for _, f := range fixtures(t) {
		g, err := ocds.ReadFile(f, ocds.DefaultMaxBytes)
		if err != nil {
			t.Fatal(err)
		}
		gs = append(gs, g)
	}
	gs = append(gs, classGraphs(t, "offsets.json", "blanks.json", "one-bad-release.json", "parties-roles.json",
		"identity/publisher-one.json", "identity/publisher-two.json", "relink/earlier.json", "relink/later.json",
		"tie/release-a.json", "tie/release-b.json", "stages/tender.json", "stages/award.json",
		"publisher-a/8.json", "publisher-b/8.json")...)
	reversed := slices.Clone(gs)
	slices.Reverse(reversed)
	var snaps []string
	for _, order := range [][]*cg.Graph{gs, reversed} {
		forgetAll(t, gs)
		mustImport(t, store, order...)
		snap, before := snapshot(t, gs), written(t, gs...)
		res := mustImport(t, store, order...)
		if res.EntitiesCreated+res.EntitiesUpdated+res.LinksCreated+res.LinksRemoved+res.EntitiesRemoved != 0 {
			t.Errorf("second import = %+v, want nothing written", res)
		}
		if after := written(t, gs...); after != before || snapshot(t, gs) != snap {
			t.Errorf("second import: %+v; want %+v", after, before)
		}
		snaps = append(snaps, snap)
	}
	if snaps[0] != snaps[1] {
		a, b := strings.Split(snaps[0], "\n"), strings.Split(snaps[1], "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Errorf("the order of the files shows:\n%s\n%s", a[i], b[i])
				break
			}
		}
		t.Errorf("%d and %d lines", len(a), len(b))
	}
}

// An organisation named by org-id in one file and only by name in another
// is two nodes; duplicateCandidates finds them with why, mergeEntities
// makes them one (audited), and importing the files again writes to the
// merged node, never bringing the other back.
func TestImportClassMergeDuplicates(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	ctx := context.Background()
	gs := classGraphs(t, "identity/publisher-one.json", "identity/publisher-three.json")
	const named, identified = "provider:ocds-name-gb-acme-care", "provider:ocds-gb-coh-01234567"
	forgetAll(t, gs)
	mustImport(t, store, gs...)
	found, err := store.FindDuplicateCandidates(ctx, cg.LabelProvider, 100)
	if err != nil {
		t.Fatal(err)
	}
	var cand *cg.DuplicateCandidate
	for i := range found {
		if slices.Contains(found[i].IDs, named) {
			cand = &found[i]
		}
	}
	if cand == nil || fmt.Sprint(cand.IDs) != fmt.Sprint([]string{identified, named}) ||
		cand.Reason != `the same name, "acme care" once folded, in GB` {
		t.Fatalf("candidates = %+v", found)
	}
	if _, err := store.MergeEntities(ctx, cg.Principal{Subject: "viewer", Role: cg.RoleViewer}, identified, []string{named}); cg.ErrorCode(err) != cg.EFORBIDDEN {
		t.Errorf("a viewer's merge = %v, want forbidden", err)
	}
	if _, err := store.MergeEntities(ctx, admin, identified, []string{"authority:ocds-gb-lac-e09000099"}); cg.ErrorCode(err) != cg.EINVALID {
		t.Errorf("merging an authority into a provider = %v, want invalid", err)
	}
	e, err := store.MergeEntities(ctx, admin, identified, []string{named})
	if err != nil {
		t.Fatal(err)
	}
	if p := e.(*cg.Provider); p.ID != identified || p.Version != 2 {
		t.Errorf("merged = %+v", p)
	}
	got := neo4jtest.MustRows(t, `MATCH (p:Provider {id: $id})-[:HOLDS_CONTRACT]->(c) WITH p, c ORDER BY c.id RETURN collect(c.id), p.mergedIds`, map[string]any{"id": identified})
	if fmt.Sprint(got) != "[[[contract:ocds-clsone-id-1/a1 contract:ocds-clsone-id-3/a1 contract:ocds-clsthree-id-4/c1] [provider:ocds-name-gb-acme-care]]]" {
		t.Errorf("after the merge: %v", got)
	}
	if n := neo4jtest.MustCount(t, `MATCH (c:Change {operation: 'MERGE'}) WHERE c.entityId IN [$a, $b] RETURN count(c)`, map[string]any{"a": named, "b": identified}); n != 2 {
		t.Errorf("%d MERGE changes, want 2", n)
	}
	// The first import after the merge may update the provider: the
	// merged-away node's newer release now states it.
	mustImport(t, store, gs[1])
	changes := neo4jtest.MustCount(t, `MATCH (c:Change) WHERE c.entityId IN [$a, $b] RETURN count(c)`, map[string]any{"a": named, "b": identified})
	res := mustImport(t, store, gs...)
	if res.EntitiesCreated+res.EntitiesUpdated+res.LinksCreated != 0 {
		t.Errorf("importing again after the merge = %+v, want nothing written", res)
	}
	if n := neo4jtest.MustCount(t, `MATCH (p:Entity {id: $id}) RETURN count(p)`, map[string]any{"id": named}); n != 0 {
		t.Errorf("the merged provider came back")
	}
	if n := neo4jtest.MustCount(t, `MATCH (c:Change) WHERE c.entityId IN [$a, $b] RETURN count(c)`, map[string]any{"a": named, "b": identified}); n != changes {
		t.Errorf("importing again recorded %d changes", n-changes)
	}
}
