package neo4j

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// Store implements the domain's read stores over a DB.
type Store struct {
	db *DB
}

var _ cg.EntityStore = (*Store)(nil)

// NewStore returns a Store reading through db.
func NewStore(db *DB) *Store { return &Store{db: db} }

// FindEntity returns the entity with the given id, of any label.
func (s *Store) FindEntity(ctx context.Context, id string) (cg.Entity, error) {
	m, err := s.FindEntities(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	e, ok := m[id]
	if !ok {
		return nil, cg.Errorf(cg.ENOTFOUND, "no entity has id %q", id)
	}
	return e, nil
}

// FindEntities returns the entities with the given ids, keyed by id.
func (s *Store) FindEntities(ctx context.Context, ids []string) (map[string]cg.Entity, error) {
	res, err := s.db.read(ctx, `
		UNWIND $ids AS id
		MATCH (n:Entity {id: id})
		RETURN n`, map[string]any{"ids": ids})
	if err != nil {
		return nil, fmt.Errorf("find entities: %w", err)
	}
	out := make(map[string]cg.Entity, len(res.Records))
	for _, rec := range res.Records {
		e, err := decode(rec.Values[0].(dbtype.Node))
		if err != nil {
			return nil, fmt.Errorf("find entities: %w", err)
		}
		out[e.EntityID()] = e
	}
	return out, nil
}

// FindLinks follows hop from each of ids in one statement.
func (s *Store) FindLinks(ctx context.Context, hop cg.Hop, ids []string) (map[string][]cg.Relationship, error) {
	pattern, err := hopPattern(hop)
	if err != nil {
		return nil, err
	}
	return s.links(ctx, fmt.Sprintf(`
		UNWIND $ids AS id
		MATCH (a:Entity {id: id})%s
		RETURN id, type(r), startNode(r) = a, r.sources, b
		ORDER BY id, b.id`, pattern), map[string]any{"ids": ids})
}

// FindAllLinks returns every relationship but provenance of each of ids.
func (s *Store) FindAllLinks(ctx context.Context, ids []string, types []cg.RelType) (map[string][]cg.Relationship, error) {
	names := make([]string, 0, len(types))
	for _, t := range types {
		if !t.Valid() {
			return nil, cg.Errorf(cg.EINVALID, "unknown relationship type %q", t)
		}
		names = append(names, string(t))
	}
	return s.links(ctx, `
		UNWIND $ids AS id
		MATCH (a:Entity {id: id})-[r]-(b:Entity)
		WHERE type(r) <> 'SOURCED_FROM' AND (size($types) = 0 OR type(r) IN $types)
		RETURN id, type(r), startNode(r) = a, r.sources, b
		ORDER BY id, type(r), b.id`, map[string]any{"ids": ids, "types": names})
}

func (s *Store) links(ctx context.Context, cypher string, params map[string]any) (map[string][]cg.Relationship, error) {
	res, err := s.db.read(ctx, cypher, params)
	if err != nil {
		return nil, fmt.Errorf("find links: %w", err)
	}
	out := map[string][]cg.Relationship{}
	for _, rec := range res.Records {
		id := rec.Values[0].(string)
		e, err := decode(rec.Values[4].(dbtype.Node))
		if err != nil {
			return nil, fmt.Errorf("find links: %w", err)
		}
		dir := cg.Incoming
		if rec.Values[2].(bool) {
			dir = cg.Outgoing
		}
		out[id] = append(out[id], cg.Relationship{
			Type:      cg.RelType(rec.Values[1].(string)),
			Direction: dir,
			Node:      e,
			SourceIDs: stringList(rec.Values[3]),
		})
	}
	return out, nil
}

// FindApprovalRules returns the approval rule of each contract's buyer.
func (s *Store) FindApprovalRules(ctx context.Context, contractIDs []string) (map[string]*cg.Rule, error) {
	res, err := s.db.read(ctx, `
		UNWIND $ids AS id
		MATCH (:Contract {id: id})-[:BOUGHT_BY]->(:Authority)-[:HAS_RULE]->(r:Rule {kind: $kind})
		RETURN id, r ORDER BY r.id`,
		map[string]any{"ids": contractIDs, "kind": cg.RuleApprovalBeforeEnd})
	if err != nil {
		return nil, fmt.Errorf("find approval rules: %w", err)
	}
	out := map[string]*cg.Rule{}
	for _, rec := range res.Records {
		e, err := decode(rec.Values[1].(dbtype.Node))
		if err != nil {
			return nil, fmt.Errorf("find approval rules: %w", err)
		}
		id := rec.Values[0].(string)
		if _, seen := out[id]; !seen {
			out[id] = e.(*cg.Rule)
		}
	}
	return out, nil
}

// hopPattern renders the relationship pattern of a hop, after checking its
// type and label against the domain's allowlists.
func hopPattern(h cg.Hop) (string, error) {
	if !h.Type.Valid() {
		return "", cg.Errorf(cg.EINVALID, "unknown relationship type %q", h.Type)
	}
	node := "(b:Entity)"
	if h.Label != "" {
		if !h.Label.Valid() {
			return "", cg.Errorf(cg.EINVALID, "unknown entity label %q", h.Label)
		}
		node = fmt.Sprintf("(b:%s)", quote(string(h.Label)))
	}
	rel := fmt.Sprintf("[r:%s]", quote(string(h.Type)))
	switch h.Direction {
	case cg.Outgoing:
		return "-" + rel + "->" + node, nil
	case cg.Incoming:
		return "<-" + rel + "-" + node, nil
	}
	return "", cg.Errorf(cg.EINVALID, "unknown direction %q", h.Direction)
}

// quote backquotes an allowlisted label or type name for Cypher.
func quote(name string) string { return "`" + name + "`" }

func stringList(v any) []string {
	items, _ := v.([]any)
	out := make([]string, 0, len(items))
	for _, it := range items {
		if s, ok := it.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
