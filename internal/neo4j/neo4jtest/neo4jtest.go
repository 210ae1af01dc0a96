// Package neo4jtest connects tests to the real Neo4j that `make test` starts
// (or that NEO4J_URI names) and seeds it with the minute.
package neo4jtest

import (
	"context"
	"os"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/commissioning-graph/cgraph/internal/generate"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/seed"
)

// Config returns the connection settings from the environment. Tests need
// a real server: without NEO4J_URI they fail and say how to get one.
func Config(tb testing.TB) neo4j.Config {
	tb.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		tb.Fatal("NEO4J_URI is not set: run the tests with `make test`, which starts a project-local Neo4j, or point NEO4J_URI at a server")
	}
	c := neo4j.Config{URI: uri, User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")}
	if c.User == "" {
		c.User = "neo4j"
	}
	if c.Password == "" {
		c.Password = "commissioning-dev"
	}
	return c
}

// MustOpen connects to Neo4j, applies the schema and writes the seed, and
// closes the connection when the test ends.
func MustOpen(tb testing.TB) *neo4j.DB {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	db, err := neo4j.Open(ctx, Config(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close(context.Background()) })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	if _, err := seed.Write(ctx, neo4j.NewStore(db)); err != nil {
		tb.Fatal(err)
	}
	return db
}

// MustCount runs a counting statement against the test server and returns
// its single integer. It opens its own connection, so tests outside the
// neo4j package can check what a store call wrote.
func MustCount(tb testing.TB, cypher string, params map[string]any) int64 {
	tb.Helper()
	res := mustRun(tb, cypher, params)
	return res.Records[0].Values[0].(int64)
}

// MustStrings runs a statement against the test server and returns the
// strings of its first column.
func MustStrings(tb testing.TB, cypher string, params map[string]any) []string {
	tb.Helper()
	res := mustRun(tb, cypher, params)
	out := make([]string, 0, len(res.Records))
	for _, r := range res.Records {
		if s, ok := r.Values[0].(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// MustForget removes the entities with the given ids, their relationships
// and their audit records.
func MustForget(tb testing.TB, ids ...string) {
	tb.Helper()
	// In batches, so that forgetting what a benchmark wrote stays within
	// the server's transaction memory.
	for start := 0; start < len(ids); start += 5000 {
		batch := map[string]any{"ids": ids[start:min(start+5000, len(ids))]}
		mustRun(tb, "UNWIND $ids AS id MATCH (n:Entity {id: id}) DETACH DELETE n", batch)
		// One index seek per id: the same with WHERE c.entityId IN $ids OR
		// c.toId IN $ids exhausted a 2 GiB heap for 30,000 ids.
		mustRun(tb, "UNWIND $ids AS id MATCH (c:Change {entityId: id}) DETACH DELETE c", batch)
		mustRun(tb, "UNWIND $ids AS id MATCH (c:Change {toId: id}) DETACH DELETE c", batch)
	}
}

func mustRun(tb testing.TB, cypher string, params map[string]any) *driver.EagerResult {
	tb.Helper()
	c := Config(tb)
	d, err := driver.NewDriverWithContext(c.URI, driver.BasicAuth(c.User, c.Password, ""))
	if err != nil {
		tb.Fatal(err)
	}
	defer d.Close(context.Background())
	res, err := driver.ExecuteQuery(context.Background(), d, cypher, params, driver.EagerResultTransformer,
		driver.ExecuteQueryWithDatabase(c.Database))
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// MustRows runs a statement against the test server and returns the
// values of its records.
func MustRows(tb testing.TB, cypher string, params map[string]any) [][]any {
	tb.Helper()
	res := mustRun(tb, cypher, params)
	out := make([][]any, len(res.Records))
	for i, r := range res.Records {
		out[i] = r.Values
	}
	return out
}

// Scope is what belongs to one test, so that it can count what it wrote
// while other tests (and other packages) write beside it: the nodes with
// one of IDs, or whose id after its label ("test-w-crud" of
// "team:test-w-crud") starts with one of Names, the sources of one of
// Documents (a document's title or a file's name), and the audit records
// about those ids or made by one of Actors.
type Scope struct {
	IDs, Names, Documents, Actors []string
}

// Footprint is how much of the graph a scope holds: its nodes (entities
// and sources), the relationships that touch them, and its audit records.
type Footprint struct {
	Nodes, Rels, Changes int64
}

// MustFootprint counts what the scope holds now.
func MustFootprint(tb testing.TB, s Scope) Footprint {
	tb.Helper()
	return footprint(tb, s, false)
}

// MustUnchanged records the scope's footprint and the seeded minute's, and
// returns a check that fails the test when either has moved since: a
// refused or failed write wrote nothing, and nothing else was touched.
func MustUnchanged(tb testing.TB, s Scope) func() {
	tb.Helper()
	mine, minute := MustFootprint(tb, s), MustSeedFootprint(tb)
	return func() {
		tb.Helper()
		if now := MustFootprint(tb, s); now != mine {
			tb.Errorf("the test's part of the graph changed from %+v to %+v", mine, now)
		}
		if now := MustSeedFootprint(tb); now != minute {
			tb.Errorf("the seeded minute changed from %+v to %+v", minute, now)
		}
	}
}

// MustSeedFootprint counts the seeded minute: its entities and sources and
// the relationships between them (not those other tests add from their own
// entities to it). Tests may read the minute but never change it, so this
// stays the same while any number of tests run.
func MustSeedFootprint(tb testing.TB) Footprint {
	tb.Helper()
	// The minute, its passages and claims, and the entities resting on
	// its passages.
	var ids []string
	for _, r := range MustRows(tb, `
		MATCH (d:Document {id: $doc})
		OPTIONAL MATCH (p:Source)-[:PASSAGE_OF]->(d)
		OPTIONAL MATCH (e:Entity)-[:SOURCED_FROM]->(p)
		OPTIONAL MATCH (c:Claim)-[:CLAIMED_IN]->(d)
		WITH collect(DISTINCT d.id) + collect(DISTINCT p.id) + collect(DISTINCT e.id) + collect(DISTINCT c.id) AS ids
		UNWIND ids AS id RETURN DISTINCT id`, map[string]any{"doc": seed.DocumentID()}) {
		ids = append(ids, r[0].(string))
	}
	f := footprint(tb, Scope{IDs: ids}, true)
	f.Changes = 0 // other tests' links to the minute are audited under its ids
	return f
}

// footprint counts the scope's nodes, the relationships touching them (or,
// inside, only those between two of them) and its audit records.
func footprint(tb testing.TB, s Scope, inside bool) Footprint {
	tb.Helper()
	list := func(l []string) []string {
		if l == nil {
			return []string{}
		}
		return l
	}
	// Ids are looked up through the indexes, names by a scan.
	row := MustRows(tb, `
		CALL () {
			CALL () {
				UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN n
				UNION UNWIND $ids AS id MATCH (n:Source {id: id}) RETURN n
				UNION MATCH (n:Source) WHERE n.document IN $documents OR n.file IN $documents RETURN n
				UNION MATCH (n) WHERE size($names) > 0 AND NOT n:Change
					AND any(p IN $names WHERE substring(n.id, size(split(n.id, ':')[0]) + 1) STARTS WITH p) RETURN n
			}
			RETURN collect(n) AS ns
		}
		CALL (ns) {
			UNWIND ns AS n
			MATCH (n)-[r]-(m)
			WHERE NOT $inside OR m IN ns
			RETURN count(DISTINCT r) AS rels
		}
		CALL () {
			CALL () {
				UNWIND $ids AS id MATCH (c:Change {entityId: id}) RETURN c
				UNION UNWIND $ids AS id MATCH (c:Change {toId: id}) RETURN c
				UNION UNWIND $actors AS a MATCH (c:Change {actor: a}) RETURN c
				UNION MATCH (c:Change) WHERE size($names) > 0
					AND any(p IN $names WHERE substring(c.entityId, size(split(c.entityId, ':')[0]) + 1) STARTS WITH p
						OR substring(c.toId, size(split(c.toId, ':')[0]) + 1) STARTS WITH p) RETURN c
			}
			RETURN count(c) AS changes
		}
		RETURN size(ns), rels, changes`,
		map[string]any{"ids": list(s.IDs), "names": list(s.Names), "documents": list(s.Documents),
			"actors": list(s.Actors), "inside": inside})[0]
	return Footprint{Nodes: row[0].(int64), Rels: row[1].(int64), Changes: row[2].(int64)}
}

// MustIngested returns the ids of what was ingested or accepted for an
// authority: its documents, their passages and claims, and the entities
// that rest on those passages.
func MustIngested(tb testing.TB, authority string) []string {
	tb.Helper()
	var ids []string
	for _, q := range []string{
		`MATCH (d:Document)-[:ISSUED_BY]->(:Authority {id: $a}) RETURN d.id`,
		`MATCH (x)-[:PASSAGE_OF|CLAIMED_IN]->(:Document)-[:ISSUED_BY]->(:Authority {id: $a}) RETURN x.id`,
		`MATCH (e:Entity)-[:SOURCED_FROM]->(:Source)-[:PASSAGE_OF]->(:Document)-[:ISSUED_BY]->(:Authority {id: $a}) RETURN DISTINCT e.id`,
	} {
		ids = append(ids, MustStrings(tb, q, map[string]any{"a": authority})...)
	}
	return ids
}

// ForgetAuthorityAtEnd removes an authority and what was ingested for it
// (MustIngested) when the test ends.
func ForgetAuthorityAtEnd(tb testing.TB, authority string) {
	tb.Helper()
	tb.Cleanup(func() { MustForget(tb, append(MustIngested(tb, authority), authority)...) })
}

// ForgetGeneratedAtEnd removes, when the test ends, the synthetic graph
// that generate writes with the options given (every id of it is the
// seed's own: syn<seed>-…).
func ForgetGeneratedAtEnd(tb testing.TB, o generate.Options) {
	tb.Helper()
	g := generate.Batch(o, 0, o.Authorities)
	ids := make([]string, 0, len(g.Nodes)+len(g.Sources))
	for _, n := range g.Nodes {
		ids = append(ids, n.Entity.EntityID())
	}
	for _, s := range g.Sources {
		ids = append(ids, s.ID)
	}
	tb.Cleanup(func() { MustForget(tb, ids...) })
}

// MustForgetSources removes the sources of the documents named (those a
// test's writes cite by document and passage, whose ids are made from
// them) and their relationships.
func MustForgetSources(tb testing.TB, documents ...string) {
	tb.Helper()
	mustRun(tb, "MATCH (s:Source) WHERE s.document IN $docs DETACH DELETE s", map[string]any{"docs": documents})
}
