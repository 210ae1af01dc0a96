// Package neo4jtest connects tests to the real Neo4j that `make test` starts
// (or that NEO4J_URI names) and seeds it with the minute.
package neo4jtest

import (
	"context"
	"os"
	"testing"
	"time"

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
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := neo4j.Open(ctx, Config(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close(context.Background()) })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	if err := neo4j.NewStore(db).WriteGraph(ctx, seed.Graph()); err != nil {
		tb.Fatal(err)
	}
	return db
}
