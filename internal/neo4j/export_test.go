package neo4j

import (
	"context"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// MustCount runs a counting statement and returns its single integer.
func (db *DB) MustCount(tb testing.TB, cypher string, params map[string]any) int64 {
	tb.Helper()
	res, err := db.read(context.Background(), cypher, params)
	if err != nil {
		tb.Fatal(err)
	}
	return res.Records[0].Values[0].(int64)
}

// MustDelete removes the entities with the given ids and their relationships.
func (db *DB) MustDelete(tb testing.TB, ids ...string) {
	tb.Helper()
	_, err := neo4j.ExecuteQuery(context.Background(), db.driver,
		"UNWIND $ids AS id MATCH (n:Entity {id: id}) DETACH DELETE n",
		map[string]any{"ids": ids}, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(db.database), neo4j.ExecuteQueryWithWritersRouting())
	if err != nil {
		tb.Fatal(err)
	}
}

// MustDeleteChanges removes the audit records of the given entity ids.
func (db *DB) MustDeleteChanges(tb testing.TB, ids ...string) {
	tb.Helper()
	_, err := neo4j.ExecuteQuery(context.Background(), db.driver,
		"MATCH (c:Change) WHERE c.entityId IN $ids OR c.toId IN $ids DETACH DELETE c",
		map[string]any{"ids": ids}, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(db.database), neo4j.ExecuteQueryWithWritersRouting())
	if err != nil {
		tb.Fatal(err)
	}
}
