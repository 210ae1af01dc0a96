package neo4j

import (
	"context"
	"fmt"
	"sort"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

var _ cg.GraphWriter = (*Store)(nil)

// WriteGraph validates g and writes it in one transaction: sources, then
// nodes one label at a time, then edges one type at a time, each as a single
// UNWIND ... MERGE on the id. Writing the same graph again changes nothing;
// a graph that fails validation or whose edges miss an end writes nothing.
func (s *Store) WriteGraph(ctx context.Context, g *cg.Graph) error {
	if err := g.Validate(); err != nil {
		return err
	}
	sources := make([]map[string]any, len(g.Sources))
	for i := range g.Sources {
		sources[i] = map[string]any{"id": g.Sources[i].ID, "props": encode(&g.Sources[i])}
	}
	nodes := map[cg.Label][]map[string]any{}
	for _, n := range g.Nodes {
		l := n.Entity.EntityLabel()
		nodes[l] = append(nodes[l], map[string]any{
			"id": n.Entity.EntityID(), "props": encode(n.Entity), "sources": nonNil(n.SourceIDs),
		})
	}
	edges := map[cg.RelType][]map[string]any{}
	for _, e := range g.Edges {
		edges[e.Type] = append(edges[e.Type], map[string]any{
			"from": e.From, "to": e.To, "sources": nonNil(e.SourceIDs),
		})
	}

	return s.db.write(ctx, func(tx neo4j.ManagedTransaction) error {
		if err := s.exec(ctx, tx, `
			UNWIND $rows AS row
			MERGE (s:Source {id: row.id})
			ON CREATE SET s.recordedAt = datetime()
			SET s += row.props, s:Entity`, sources, len(sources)); err != nil {
			return fmt.Errorf("write sources: %w", err)
		}
		for _, l := range sortedKeys(nodes) {
			rows := nodes[l]
			if err := s.exec(ctx, tx, fmt.Sprintf(`
				UNWIND $rows AS row
				MERGE (n:%s {id: row.id})
				ON CREATE SET n.recordedAt = datetime()
				SET n += row.props, n:Entity
				WITH n, row
				CALL (n, row) {
					UNWIND row.sources AS sid
					MATCH (s:Source {id: sid})
					MERGE (n)-[:SOURCED_FROM]->(s)
				}`, quote(string(l))), rows, len(rows)); err != nil {
				return fmt.Errorf("write %s nodes: %w", l, err)
			}
		}
		for _, t := range sortedKeys(edges) {
			rows := edges[t]
			if err := s.exec(ctx, tx, fmt.Sprintf(`
				UNWIND $rows AS row
				MATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})
				MERGE (a)-[r:%s]->(b)
				ON CREATE SET r.recordedAt = datetime()
				SET r.sources = reduce(acc = coalesce(r.sources, []), sid IN row.sources |
					CASE WHEN sid IN acc THEN acc ELSE acc + sid END)`, quote(string(t))), rows, len(rows)); err != nil {
				return fmt.Errorf("write %s edges: %w", t, err)
			}
		}
		return nil
	})
}

// exec runs one batched statement and checks that every row was written, so
// that a row whose ends are missing fails the whole transaction.
func (s *Store) exec(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, rows []map[string]any, want int) error {
	if want == 0 {
		return nil
	}
	res, err := s.db.run(ctx, tx, cypher+"\nRETURN count(*) AS written", map[string]any{"rows": rows})
	if err != nil {
		return err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return err
	}
	if got, _ := rec.Values[0].(int64); int(got) != want {
		return cg.Errorf(cg.EINVALID, "%d of %d rows refer to entities that do not exist", want-int(got), want)
	}
	return nil
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

func nonNil(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}
