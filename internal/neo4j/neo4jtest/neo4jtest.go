// Package neo4jtest connects tests to the real Neo4j that `make test` starts
// (or that NEO4J_URI names) and seeds it with the minute.
package neo4jtest

import (
	"context"
	"os"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

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

// MustCounts returns the number of nodes and relationships in the graph.
func MustCounts(tb testing.TB, db *neo4j.DB) (nodes, rels int64) {
	tb.Helper()
	nodes, rels, err := db.Counts(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return nodes, rels
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
