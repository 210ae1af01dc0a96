package neo4j

import (
	"context"
	"fmt"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
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

// MustExec runs a write statement for a test's set-up or clean-up in an
// auto-commit transaction, so it may use CALL ... IN TRANSACTIONS.
func (db *DB) MustExec(tb testing.TB, cypher string, params map[string]any) {
	tb.Helper()
	ctx := context.Background()
	session := db.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db.database})
	defer session.Close(ctx)
	res, err := session.Run(ctx, cypher, params)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		tb.Fatal(err)
	}
}

// WriteGraphNaively writes g the way the batched writer replaces: one
// transaction per source, node and relationship, each a single MERGE. It
// exists to measure the batched writer against.
func (s *Store) WriteGraphNaively(ctx context.Context, g *cg.Graph) error {
	if err := g.Validate(); err != nil {
		return err
	}
	rows := rowsOf(g)
	one := func(cypher string, row map[string]any) error {
		return s.db.write(ctx, func(tx tx) error {
			_, err := s.exec(ctx, tx, cypher, []map[string]any{row}, nil)
			return err
		})
	}
	for _, row := range rows.sources {
		if err := one(`UNWIND $rows AS row MERGE (s:Source {id: row.id}) SET s += row.props, s:Entity`, row); err != nil {
			return err
		}
	}
	for l, nodes := range rows.nodes {
		for _, row := range nodes {
			if err := one(nodeStatement(l, false), row); err != nil {
				return err
			}
		}
	}
	for t, edges := range rows.edges {
		for _, row := range edges {
			if err := one(fmt.Sprintf(`UNWIND $rows AS row
				MATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})
				MERGE (a)-[r:%s]->(b) SET r.sources = row.sources`, quote(string(t))), row); err != nil {
				return err
			}
		}
	}
	for _, row := range rows.successions {
		if err := s.db.write(ctx, func(tx tx) error {
			return s.writeSuccessions(ctx, tx, []map[string]any{row}, &cg.ImportResult{})
		}); err != nil {
			return err
		}
	}
	return nil
}

// LinkLanes splits link rows into lanes that share no node.
var LinkLanes = linkLanes

// WasPublished is what publish concludes about the run id, which staged the
// entities ids, when the answer to its commit is lost.
func (s *Store) WasPublished(ctx context.Context, id string, ids ...string) bool {
	staged := &stagedRows{ids: map[string]bool{}}
	for _, i := range ids {
		staged.ids[i] = true
	}
	return s.wasPublished(ctx, &importRun{id: id}, staged)
}
