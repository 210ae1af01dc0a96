package neo4j_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
	"github.com/commissioning-graph/cgraph/internal/ocds"
)

// visible counts the entities of g that readers see, and its audit records.
func visible(t *testing.T, store *neo4j.Store, g *cg.Graph) (entities, sources int64) {
	t.Helper()
	ids := make([]string, 0, len(g.Nodes))
	for _, n := range g.Nodes {
		ids = append(ids, n.Entity.EntityID())
	}
	sids := make([]string, 0, len(g.Sources))
	for _, s := range g.Sources {
		sids = append(sids, s.ID)
	}
	entities = neo4jtest.MustCount(t, "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN count(n)", map[string]any{"ids": ids})
	sources = neo4jtest.MustCount(t, "UNWIND $ids AS id MATCH (n:Source {id: id}) RETURN count(n)", map[string]any{"ids": sids})
	return entities, sources
}

// An import larger than one transaction that stops part-way (its context
// ends, as when the process is killed or the database goes away) leaves
// nothing readers can see: no entity, no Source, no audit record; what it
// staged is cleared. Before import runs, such an import left every Source
// it had written so far in the graph.
func TestImportStoppedPartWayShowsNothing(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	g := generated(t, "stopped", 3000)
	forgetGraph(t, g)
	by := cg.Principal{Subject: "test-neo4j-stopped", Role: cg.RoleAdmin}

	for _, after := range []time.Duration{300 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second} {
		ctx, cancel := context.WithTimeout(context.Background(), after)
		_, err := store.ImportGraph(ctx, by, g)
		cancel()
		e, s := visible(t, store, g)
		switch {
		case err == nil && (e != int64(len(g.Nodes)) || s != int64(len(g.Sources))):
			t.Fatalf("stopped after %v: import succeeded but readers see %d of %d entities, %d of %d sources", after, e, len(g.Nodes), s, len(g.Sources))
		case err == nil:
			t.Logf("stopped after %v: finished", after)
			forgetGraph(t, g)
			continue
		case e != 0 || s != 0:
			t.Fatalf("stopped after %v (%v): readers see %d entities and %d sources of it", after, err, e, s)
		}
		if n := neo4jtest.MustCount(t, "UNWIND $ids AS id MATCH (n:ImportStaged {id: id}) RETURN count(n)", map[string]any{"ids": graphIDs(g)}); n != 0 {
			t.Errorf("stopped after %v: %d staged nodes left behind", after, n)
		}
		changes, err := store.FindChanges(context.Background(), cg.ChangeFilter{Actor: by.Subject, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) != 0 {
			t.Errorf("stopped after %v: %d audit records visible, want none", after, len(changes))
		}
	}
	if _, err := store.ImportGraph(context.Background(), by, g); err != nil {
		t.Fatal(err)
	}
	if e, s := visible(t, store, g); e != int64(len(g.Nodes)) || s != int64(len(g.Sources)) {
		t.Errorf("after a full import readers see %d of %d entities and %d of %d sources", e, len(g.Nodes), s, len(g.Sources))
	}
	ids := make([]string, 0, len(g.Nodes))
	for _, n := range g.Nodes {
		ids = append(ids, n.Entity.EntityID())
	}
	if n := neo4jtest.MustCount(t, `UNWIND $ids AS id MATCH (n:Entity {id: id})
		WHERE count { (:Change {actor: $a})-[:CHANGED]->(n) } <> 1 RETURN count(n)`, map[string]any{"ids": ids, "a": by.Subject}); n != 0 {
		t.Errorf("%d of the %d entities the import created lack their one audit record", n, len(ids))
	}
}

// A run abandoned by a process that died is invisible and cleared by the
// next Sweep once its heartbeat is stale.
func TestSweepClearsAbandonedRuns(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	db.MustExec(t, `CREATE (:ImportRun {id: 'run:test-abandoned', beat: datetime() - duration('PT1H')})
		CREATE (:ImportStaged {importRun: 'run:test-abandoned', id: 'team:test-abandoned', importLabel: 'Team', name: 'x'})
		CREATE (:Change {id: 'change:test-abandoned', importRun: 'run:test-abandoned', entityId: 'team:test-abandoned', actor: 'test-sweep'})`, nil)
	if c, _ := store.FindChanges(context.Background(), cg.ChangeFilter{Actor: "test-sweep", Limit: 5}); len(c) != 0 {
		t.Errorf("the abandoned run's change is visible: %+v", c)
	}
	if err := store.Sweep(context.Background(), time.Minute); err != nil {
		t.Fatal(err)
	}
	if n := neo4jtest.MustCount(t, "MATCH (n) WHERE n.importRun = 'run:test-abandoned' OR n.id = 'run:test-abandoned' RETURN count(n)", nil); n != 0 {
		t.Errorf("%d nodes of the abandoned run left", n)
	}
}

// generated is ocds.Generate's package of n processes with tag in place of
// "synth" in every identifier (processes, buyers and suppliers), so that it
// shares no entity with what other packages' tests import from the
// generator while this one runs.
func generated(t *testing.T, tag string, n int) *cg.Graph {
	t.Helper()
	var buf bytes.Buffer
	if err := ocds.Generate(&buf, n); err != nil {
		t.Fatal(err)
	}
	doc := strings.NewReplacer(`"ocds-synth-`, `"ocds-`+tag+`-`, `"GB-SYNTH-`, `"GB-`+strings.ToUpper(tag)+`-`,
		`"GB-CHC-`, `"GB-CHC-`+strings.ToUpper(tag)+`-`, `"identifier":{"id":"`, `"identifier":{"id":"`+strings.ToUpper(tag)+`-`).
		Replace(buf.String())
	g, err := ocds.Parse(tag+".json", []byte(doc), ocds.DefaultMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range graphIDs(g) {
		if !strings.Contains(id, tag) && !strings.HasPrefix(id, "source:") {
			t.Fatalf("the generated %s still shares %s with other imports", tag, id)
		}
	}
	return g
}

// graphIDs returns the ids of g's entities and sources.
func graphIDs(g *cg.Graph) []string {
	ids := make([]string, 0, len(g.Nodes)+len(g.Sources))
	for _, n := range g.Nodes {
		ids = append(ids, n.Entity.EntityID())
	}
	for _, s := range g.Sources {
		ids = append(ids, s.ID)
	}
	return ids
}

func forgetGraph(t *testing.T, g *cg.Graph) {
	t.Helper()
	ids := graphIDs(g)
	neo4jtest.MustForget(t, ids...)
	t.Cleanup(func() { neo4jtest.MustForget(t, ids...) })
}

// When the answer to a publish's commit is lost, publish finds out whether
// it committed instead of reporting an unknown outcome for an import that
// took minutes: the run's node gone and its entities published means it
// did; the run still there, or cleared as abandoned, means it did not.
func TestLostPublishCommitIsResolved(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	ctx := context.Background()
	const run, id = "run:test-lost-commit", "team:test-lost-commit"
	neo4jtest.MustForget(t, id)
	t.Cleanup(func() {
		db.MustExec(t, "MATCH (n) WHERE n.id IN [$run, $id] DETACH DELETE n", map[string]any{"run": run, "id": id})
	})
	db.MustExec(t, `CREATE (:ImportRun {id: $run, beat: datetime()})
		CREATE (:ImportStaged {importRun: $run, id: $id, importLabel: 'Team', name: 'x'})`, map[string]any{"run": run, "id": id})
	if store.WasPublished(ctx, run, id) {
		t.Error("a run whose node is still there was taken for published")
	}
	db.MustExec(t, `MATCH (r:ImportRun {id: $run}) DELETE r WITH 1 AS one
		MATCH (n:ImportStaged {importRun: $run}) SET n:Team:Entity REMOVE n:ImportStaged, n.importRun, n.importLabel`,
		map[string]any{"run": run})
	if !store.WasPublished(ctx, run, id) {
		t.Error("a published run was taken for unpublished")
	}
	db.MustExec(t, "MATCH (n:Entity {id: $id}) DETACH DELETE n", map[string]any{"id": id})
	if store.WasPublished(ctx, run, id) {
		t.Error("a run cleared as abandoned was taken for published")
	}
}
