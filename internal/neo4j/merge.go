package neo4j

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

var _ cg.EntityMerger = (*Store)(nil)

// mergeable are the labels whose entities may be merged: organisations,
// which publishers name in ways an importer cannot always tell apart.
var mergeable = []cg.Label{cg.LabelAuthority, cg.LabelProvider}

// FindDuplicateCandidates lists the sets of organisations of label that
// share an alias, largest first.
func (s *Store) FindDuplicateCandidates(ctx context.Context, label cg.Label, limit int) ([]cg.DuplicateCandidate, error) {
	if !slices.Contains(mergeable, label) {
		return nil, cg.Errorf(cg.EINVALID, "duplicates are found among %s and %s, not %s", cg.LabelAuthority, cg.LabelProvider, label)
	}
	if limit <= 0 || limit > cg.MaxPage {
		return nil, cg.Errorf(cg.EINVALID, "first must be between 1 and %d, not %d", cg.MaxPage, limit)
	}
	res, err := s.db.read(ctx, fmt.Sprintf(`
		MATCH (n:%s) WHERE n.aliases IS NOT NULL
		UNWIND n.aliases AS alias
		WITH alias, n.id AS id ORDER BY id
		WITH alias, collect(id) AS ids WHERE size(ids) > 1
		WITH ids, collect(alias) AS aliases
		RETURN ids, aliases ORDER BY size(ids) DESC, ids[0] LIMIT $limit`, quote(string(label))), map[string]any{"limit": limit})
	if err != nil {
		return nil, fmt.Errorf("find duplicate candidates: %w", err)
	}
	out := make([]cg.DuplicateCandidate, 0, len(res.Records))
	for _, rec := range res.Records {
		var reasons []string
		for _, a := range stringList(rec.Values[1]) {
			switch {
			case strings.HasPrefix(a, "name:"):
				parts := strings.SplitN(a, ":", 3)
				where := "in no known country"
				if parts[1] != "" {
					where = "in " + strings.ToUpper(parts[1])
				}
				reasons = append(reasons, fmt.Sprintf("the same name, %q once folded, %s", parts[2], where))
			case strings.HasPrefix(a, "merged:"):
				reasons = append(reasons, "both were merged from "+strings.TrimPrefix(a, "merged:"))
			case strings.Contains(a, "/"):
				reasons = append(reasons, "the same publisher's id "+a)
			default:
				reasons = append(reasons, "the same identifier "+a)
			}
		}
		out = append(out, cg.DuplicateCandidate{Label: label, IDs: stringList(rec.Values[0]), Reason: strings.Join(reasons, "; ")})
	}
	return out, nil
}

// MergeEntities merges the entities from into the entity into.
func (s *Store) MergeEntities(ctx context.Context, by cg.Principal, into string, from []string) (cg.Entity, error) {
	if err := by.MayAdminister(); err != nil {
		return nil, err
	}
	if len(from) == 0 {
		return nil, cg.Errorf(cg.EINVALID, "name at least one entity to merge into %s", into)
	}
	if slices.Contains(from, into) {
		return nil, cg.Errorf(cg.EINVALID, "%s cannot be merged into itself", into)
	}
	var out cg.Entity
	err := s.db.write(ctx, func(tx tx) error {
		res, err := s.db.run(ctx, tx, `
			UNWIND $ids AS id
			OPTIONAL MATCH (n:Entity {id: id})
			RETURN id, n`, map[string]any{"ids": append([]string{into}, from...)})
		if err != nil {
			return err
		}
		recs, err := res.Collect(ctx)
		if err != nil {
			return err
		}
		nodes := map[string]dbtype.Node{}
		for _, rec := range recs {
			n, ok := rec.Values[1].(dbtype.Node)
			if !ok {
				return cg.Errorf(cg.ENOTFOUND, "no entity %v", rec.Values[0])
			}
			nodes[rec.Values[0].(string)] = n
		}
		label := entityLabel(nodes[into].Labels)
		if !slices.Contains(mergeable, label) {
			return cg.Errorf(cg.EINVALID, "only organisations (%s, %s) are merged, and %s is a %s", cg.LabelAuthority, cg.LabelProvider, into, label)
		}
		var changes []changeRow
		aliases := stringList(nodes[into].Props["aliases"])
		merged := stringList(nodes[into].Props["mergedIds"])
		for _, id := range from {
			if l := entityLabel(nodes[id].Labels); l != label {
				return cg.Errorf(cg.EINVALID, "%s is a %s and %s a %s: only entities of one label are merged", id, l, into, label)
			}
			aliases = append(aliases, stringList(nodes[id].Props["aliases"])...)
			aliases = append(aliases, "merged:"+id)
			merged = append(append(merged, id), stringList(nodes[id].Props["mergedIds"])...)
			if err := s.moveLinks(ctx, tx, id, into); err != nil {
				return err
			}
			fields := diff(nodes[id].Props, nil)
			fields = append(fields, cg.FieldChange{Name: "mergedInto", Before: "null", After: jsonOf(into)})
			changes = append(changes, changeRow{entityID: id, label: label, op: cg.ChangeMerge, fields: fields})
		}
		slices.Sort(aliases)
		slices.Sort(merged)
		after, err := s.single(ctx, tx, `
			MATCH (f:Entity) WHERE f.id IN $from DETACH DELETE f
			WITH count(*) AS gone
			MATCH (n:Entity {id: $into})
			SET n.aliases = $aliases, n.mergedIds = $merged, n.version = n.version + 1, n:`+mergedLabel+`
			RETURN n`, map[string]any{"from": from, "into": into, "aliases": slices.Compact(aliases), "merged": slices.Compact(merged)})
		if err != nil {
			return err
		}
		if out, err = decode(after); err != nil {
			return err
		}
		changes = append(changes, changeRow{entityID: into, label: label, op: cg.ChangeMerge, fields: diff(nodes[into].Props, after.Props)})
		return s.recordChanges(ctx, tx, by, changes)
	})
	if err != nil {
		return nil, fmt.Errorf("merge into %s: %w", into, err)
	}
	return out, nil
}

// moveLinks moves every relationship of the entity from onto into, keeping
// their properties and uniting their sources with those of a relationship
// into already has; relationships between the two go. The audit trail's
// links follow too, so into's history shows from's.
func (s *Store) moveLinks(ctx context.Context, tx tx, from, into string) error {
	params := map[string]any{"from": from, "into": into}
	for t := range cg.RelEnds() {
		for _, pattern := range []string{"(f)-[r:%[1]s]->(o)", "(o)-[r:%[1]s]->(f)"} {
			create := "(i)-[n:%[1]s]->(o)"
			if strings.HasPrefix(pattern, "(o)") {
				create = "(o)-[n:%[1]s]->(i)"
			}
			cypher := fmt.Sprintf(`
				MATCH (f:Entity {id: $from}), (i:Entity {id: $into})
				MATCH `+pattern+` WHERE o <> i AND o <> f
				MERGE `+create+`
				ON CREATE SET n = properties(r)
				SET n.sources = reduce(acc = coalesce(n.sources, []), sid IN coalesce(r.sources, []) |
					CASE WHEN sid IN acc THEN acc ELSE acc + sid END)
				DELETE r`, quote(string(t)))
			if _, err := s.db.run(ctx, tx, cypher, params); err != nil {
				return fmt.Errorf("move %s links: %w", t, err)
			}
		}
	}
	_, err := s.db.run(ctx, tx, `
		MATCH (c:Change)-[:CHANGED]->(:Entity {id: $from}), (i:Entity {id: $into})
		MERGE (c)-[:CHANGED]->(i)`, params)
	return err
}

// mergedLabel marks the organisations others were merged into, so that an
// import finds them without scanning every organisation. It is not an
// entity label.
const mergedLabel = "MergedInto"

// mergedInto returns, for every organisation merged into another, the
// other.
func (s *Store) mergedInto(ctx context.Context) (map[string]string, error) {
	res, err := s.db.read(ctx, `
		MATCH (n:`+mergedLabel+`)
		UNWIND n.mergedIds AS merged
		RETURN merged, n.id`, nil)
	if err != nil {
		return nil, fmt.Errorf("find merged organisations: %w", err)
	}
	out := map[string]string{}
	for _, rec := range res.Records {
		out[rec.Values[0].(string)] = rec.Values[1].(string)
	}
	return out, nil
}

// withMerged returns g with the organisations merged into others written
// as those others.
func (s *Store) withMerged(ctx context.Context, g *cg.Graph) (*cg.Graph, error) {
	orgs := false
	for _, n := range g.Nodes {
		orgs = orgs || slices.Contains(mergeable, n.Entity.EntityLabel())
	}
	if !orgs {
		return g, nil
	}
	to, err := s.mergedInto(ctx)
	if err != nil || len(to) == 0 {
		return g, err
	}
	hit := false
	for _, n := range g.Nodes {
		_, ok := to[n.Entity.EntityID()]
		hit = hit || ok
	}
	if !hit {
		return g, nil
	}
	out := &cg.Graph{Sources: g.Sources, Successions: g.Successions}
	seen := map[string]int{}
	for _, n := range g.Nodes {
		if into, ok := to[n.Entity.EntityID()]; ok {
			var e cg.Entity
			switch x := n.Entity.(type) {
			case *cg.Authority:
				c := *x
				c.ID = into
				e = &c
			case *cg.Provider:
				c := *x
				c.ID = into
				e = &c
			}
			n.Entity = e
		}
		id := n.Entity.EntityID()
		if i, ok := seen[id]; ok { // two merged ids in one graph
			out.Nodes[i].SourceIDs = append(out.Nodes[i].SourceIDs, n.SourceIDs...)
			out.Nodes[i].Aliases = append(out.Nodes[i].Aliases, n.Aliases...)
			continue
		}
		seen[id] = len(out.Nodes)
		out.Nodes = append(out.Nodes, n)
	}
	for _, e := range g.Edges {
		if into, ok := to[e.From]; ok {
			e.From = into
		}
		if into, ok := to[e.To]; ok {
			e.To = into
		}
		out.Edges = append(out.Edges, e)
	}
	return out, nil
}
