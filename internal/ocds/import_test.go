package ocds_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
	"github.com/commissioning-graph/cgraph/internal/ocds"
)

var admin = cg.Principal{Subject: "test-importer", Role: cg.RoleAdmin}

// written counts what importing the graphs writes: their entities and
// sources (the audit records are counted apart), the relationships that
// touch them, and their audit records.
func written(tb testing.TB, gs ...*cg.Graph) neo4jtest.Footprint {
	tb.Helper()
	return neo4jtest.MustFootprint(tb, neo4jtest.Scope{IDs: graphIDs(gs)})
}

// forget removes what a graph would write, and its audit records, now and
// when the test ends.
func forget(t *testing.T, _ *neo4j.DB, g *cg.Graph) {
	t.Helper()
	var ids []string
	for _, n := range g.Nodes {
		ids = append(ids, n.Entity.EntityID())
	}
	for _, s := range g.Sources {
		ids = append(ids, s.ID)
	}
	neo4jtest.MustForget(t, ids...)
	t.Cleanup(func() { neo4jtest.MustForget(t, ids...) })
}

// Every fixture imports, and importing it again changes nothing.
func TestImportEveryFixtureIdempotently(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	ctx := context.Background()
	for _, f := range fixtures(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			g, err := ocds.ReadFile(f, ocds.DefaultMaxBytes)
			if err != nil {
				t.Fatal(err)
			}
			forget(t, db, g)
			first, err := store.ImportGraph(ctx, admin, g)
			if err != nil {
				t.Fatal(err)
			}
			if first.EntitiesCreated != len(g.Nodes) || first.LinksCreated != len(g.Edges) {
				t.Errorf("first import = %+v, want %d entities and %d links created", first, len(g.Nodes), len(g.Edges))
			}
			// Entities, sources, one change per entity; links, provenance
			// links and each change's link to its entity.
			provenance := 0
			for _, n := range g.Nodes {
				provenance += len(n.SourceIDs)
			}
			w1 := written(t, g)
			if want := (neo4jtest.Footprint{Nodes: int64(len(g.Nodes) + len(g.Sources)),
				Rels: int64(len(g.Edges) + provenance + len(g.Nodes)), Changes: int64(len(g.Nodes))}); w1 != want {
				t.Errorf("first import wrote %+v, want %+v", w1, want)
			}

			again, err := ocds.ReadFile(f, ocds.DefaultMaxBytes)
			if err != nil {
				t.Fatal(err)
			}
			second, err := store.ImportGraph(ctx, admin, again)
			if err != nil {
				t.Fatal(err)
			}
			if second.EntitiesCreated+second.EntitiesUpdated+second.LinksCreated != 0 || second.EntitiesSame != len(g.Nodes) {
				t.Errorf("second import = %+v, want nothing created or updated", second)
			}
			if w2 := written(t, g); w2 != w1 {
				t.Errorf("second import: %+v, want %+v", w2, w1)
			}
			changes, err := store.FindChanges(ctx, cg.ChangeFilter{EntityID: g.Nodes[0].Entity.EntityID(), Actor: admin.Subject})
			if err != nil {
				t.Fatal(err)
			}
			if len(changes) != 1 || changes[0].Operation != cg.ChangeImport || len(changes[0].Fields) == 0 {
				t.Errorf("changes of %s = %+v, want one import", g.Nodes[0].Entity.EntityID(), changes)
			}
		})
	}
}

// A newer release of a process updates its contract in place.
func TestImportNewerReleaseUpdatesInPlace(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	ctx := context.Background()
	older := `{"releases": [{"ocid": "ocds-test-upd", "date": "2020-01-01T00:00:00Z", "buyer": {"id": "GB-TEST-UPD", "name": "Test Council"},
		"contracts": [{"id": "c1", "title": "Day care", "status": "pending", "value": {"amount": 100, "currency": "GBP"}}]}]}`
	newer := `{"releases": [{"ocid": "ocds-test-upd", "date": "2021-01-01T00:00:00Z", "buyer": {"id": "GB-TEST-UPD", "name": "Test Council"},
		"contracts": [{"id": "c1", "title": "Day care", "status": "active", "value": {"amount": 120, "currency": "GBP"}}]}]}`
	g1, err := ocds.Parse("older.json", []byte(older), ocds.DefaultMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	g2, err := ocds.Parse("newer.json", []byte(newer), ocds.DefaultMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	forget(t, db, g1)
	forget(t, db, g2)
	if _, err := store.ImportGraph(ctx, admin, g1); err != nil {
		t.Fatal(err)
	}
	res, err := store.ImportGraph(ctx, admin, g2)
	if err != nil {
		t.Fatal(err)
	}
	// The buyer is restated by the newer release, which its release key
	// records.
	if res.EntitiesUpdated != 2 || res.EntitiesCreated != 0 || res.EntitiesSame != 0 {
		t.Errorf("newer import = %+v, want the contract and its buyer updated", res)
	}
	e, err := store.FindEntity(ctx, "contract:ocds-test-upd/c1")
	if err != nil {
		t.Fatal(err)
	}
	if c := e.(*cg.Contract); *c.Status != "active" || *c.Value != 120 || c.Version != 2 {
		t.Errorf("contract = %+v, want the newer status and value at version 2", c)
	}
	changes, _ := store.FindChanges(ctx, cg.ChangeFilter{EntityID: "contract:ocds-test-upd/c1"})
	// The status as published, the release date and key, the status and
	// the value changed, in that order.
	var names []string
	if len(changes) == 2 {
		for _, f := range changes[1].Fields {
			names = append(names, f.Name)
		}
	}
	if got := fmt.Sprint(names); len(changes) != 2 || got != "[ocdsStatus releaseDate releaseKey status value]" ||
		changes[1].Fields[3].Before != `"pending"` || changes[1].Fields[3].After != `"active"` {
		t.Errorf("changes = %v, fields %s", changes, got)
	}
}

// A release older than the one a contract was read from, imported after
// it, changes nothing.
func TestImportOlderReleaseChangesNothing(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	ctx := context.Background()
	release := func(date, status string, amount int) *cg.Graph {
		t.Helper()
		doc := fmt.Sprintf(`{"releases": [{"ocid": "ocds-test-old", "date": %q, "buyer": {"id": "GB-TEST-OLD", "name": "Test Council"},
			"contracts": [{"id": "c1", "title": "Day care", "status": %q, "value": {"amount": %d, "currency": "GBP"}}]}]}`, date, status, amount)
		g, err := ocds.Parse(date+".json", []byte(doc), ocds.DefaultMaxBytes)
		if err != nil {
			t.Fatal(err)
		}
		forget(t, db, g)
		return g
	}
	newer, older := release("2021-01-01T00:00:00Z", "active", 120), release("2020-01-01", "pending", 100)
	if _, err := store.ImportGraph(ctx, admin, newer); err != nil {
		t.Fatal(err)
	}
	res, err := store.ImportGraph(ctx, admin, older)
	if err != nil {
		t.Fatal(err)
	}
	if res.EntitiesUpdated != 0 || res.EntitiesCreated != 0 || res.EntitiesSame != 2 {
		t.Errorf("older import = %+v, want nothing created or updated", res)
	}
	e, err := store.FindEntity(ctx, "contract:ocds-test-old/c1")
	if err != nil {
		t.Fatal(err)
	}
	if c := e.(*cg.Contract); *c.Status != "active" || *c.Value != 120 || c.Version != 1 ||
		c.ReleaseDate == nil || !c.ReleaseDate.Equal(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("contract = %+v, want the newer release's status, value and date at version 1", c)
	}
	if changes, _ := store.FindChanges(ctx, cg.ChangeFilter{EntityID: "contract:ocds-test-old/c1"}); len(changes) != 1 {
		t.Errorf("%d changes, want the first import's only", len(changes))
	}
}

// Successors link to the contracts of the process they follow, found by
// ocid.
func TestImportLinksSuccessors(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	var buf bytes.Buffer
	if err := ocds.Generate(&buf, 4); err != nil {
		t.Fatal(err)
	}
	g, err := ocds.Parse("synthetic-4.json", buf.Bytes(), ocds.DefaultMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	forget(t, db, g)
	res, err := store.ImportGraph(context.Background(), admin, g)
	if err != nil {
		t.Fatal(err)
	}
	if res.PredecessorsLost != 0 {
		t.Errorf("result = %+v", res)
	}
	if n := neo4jtest.MustCount(t, `MATCH (:Contract {ocid: "ocds-synth-0000001"})-[r:SUCCEEDS]->(:Contract {ocid: "ocds-synth-0000000"})
		RETURN count(r)`, nil); n != 1 {
		t.Errorf("%d SUCCEEDS links, want 1", n)
	}
}

// An import too large for one transaction is written stage by stage, its
// sources and its nodes by parallel transactions: it writes exactly what
// one transaction would, and importing it again changes nothing.
func TestLargeImportWritesEveryRowOnce(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	ctx := context.Background()
	var buf bytes.Buffer
	if err := ocds.Generate(&buf, 5000); err != nil {
		t.Fatal(err)
	}
	g, err := ocds.Parse("synthetic-5000.json", buf.Bytes(), ocds.DefaultMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	// More sources and more nodes than one transaction writes (10,000
	// rows), so that both parallel stages run several transactions.
	if len(g.Sources) <= 10000 || len(g.Nodes) <= 10000 {
		t.Fatalf("%d sources and %d nodes: too few to need several transactions each", len(g.Sources), len(g.Nodes))
	}
	forget(t, db, g)
	provenance := 0
	for _, n := range g.Nodes {
		provenance += len(n.SourceIDs)
	}
	res, err := store.ImportGraph(ctx, admin, g)
	if err != nil {
		t.Fatal(err)
	}
	if res.EntitiesCreated != len(g.Nodes) || res.LinksCreated != len(g.Edges)+len(g.Successions) || res.PredecessorsLost != 0 {
		t.Errorf("import = %+v, want %d entities and %d links created", res, len(g.Nodes), len(g.Edges)+len(g.Successions))
	}
	// Entities, sources and a change per entity; links, successions,
	// provenance links and each change's link to its entity.
	w1 := written(t, g)
	if want := (neo4jtest.Footprint{Nodes: int64(len(g.Nodes) + len(g.Sources)),
		Rels: int64(len(g.Edges) + len(g.Successions) + provenance + len(g.Nodes)), Changes: int64(len(g.Nodes))}); w1 != want {
		t.Errorf("import wrote %+v, want %+v", w1, want)
	}
	again, err := store.ImportGraph(ctx, admin, g)
	if err != nil {
		t.Fatal(err)
	}
	if again.EntitiesCreated+again.EntitiesUpdated+again.LinksCreated != 0 || again.EntitiesSame != len(g.Nodes) {
		t.Errorf("second import = %+v, want nothing created or updated", again)
	}
	if w2 := written(t, g); w2 != w1 {
		t.Errorf("second import: %+v, want %+v", w2, w1)
	}
}

// An import that fails while writing writes nothing.
func TestImportIsAllOrNothing(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	ctx := context.Background()
	g, err := ocds.ReadFile("testdata/uk-contracts-finder/ocds-b5fd17-2d853beb-adc8-11e6-9901-0019b9f3037b-dcc-9n8k-yn0wxa.json", ocds.DefaultMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	forget(t, db, g)
	// A Team already holds the id the import would give its Service.
	clash := &cg.Team{ID: "service:ocds-b5fd17-2d853beb-adc8-11e6-9901-0019b9f3037b", Name: "Clash"}
	if err := store.WriteGraph(ctx, &cg.Graph{Nodes: []cg.Node{{Entity: clash}}}); err != nil {
		t.Fatal(err)
	}
	defer neo4jtest.MustUnchanged(t, neo4jtest.Scope{IDs: graphIDs([]*cg.Graph{g})})()
	if _, err := store.ImportGraph(ctx, admin, g); cg.ErrorCode(err) != cg.ECONFLICT {
		t.Fatalf("import = %v, want a conflict", err)
	}
}
