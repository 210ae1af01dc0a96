package neo4j

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// The full-text index behind Search covers every entity label and every
// searched property. It is eventually consistent: a commit does not wait
// for Lucene to take in what it wrote (on a large import that wait was the
// bulk of its last transaction, run on one core); Search waits instead, in
// its own statement, for the index to hold every committed write, so a
// search still finds what was written before it.
const fullTextName = "entity_text"

// fullTextLabels and fullTextProps are what the index covers, in order.
func fullTextLabels() []string {
	labels := make([]string, 0, len(cg.Labels))
	for _, l := range cg.Labels {
		labels = append(labels, string(l))
	}
	return labels
}

func fullTextProps() []string { return cg.SearchedProps() }

// fullTextIndex creates the index.
func fullTextIndex() string {
	labels := fullTextLabels()
	for i, l := range labels {
		labels[i] = quote(l)
	}
	searched := fullTextProps()
	props := make([]string, len(searched))
	for i, p := range searched {
		props[i] = "n." + quote(p)
	}
	return fmt.Sprintf("CREATE FULLTEXT INDEX %s IF NOT EXISTS FOR (n:%s) ON EACH [%s] OPTIONS {indexConfig: {`fulltext.eventually_consistent`: true}}",
		fullTextName, strings.Join(labels, "|"), strings.Join(props, ", "))
}

// sameFullTextIndex reports whether a stored full-text index covers labels
// and props and is eventually consistent, as fullTextIndex makes it.
func sameFullTextIndex(labels, props []string, config map[string]any) bool {
	eventual, _ := config["fulltext.eventually_consistent"].(bool)
	return eventual && sameSet(labels, fullTextLabels()) && sameSet(props, fullTextProps())
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]bool{}
	for _, x := range a {
		seen[x] = true
	}
	for _, x := range b {
		if !seen[x] {
			return false
		}
	}
	return true
}

// MaxSearchText is the longest search text accepted.
const MaxSearchText = 200

// luceneQuery turns what a person typed into a Lucene query that matches
// any of its words, the last one also as a prefix, with every character
// that Lucene treats as syntax escaped.
func luceneQuery(text string) (string, error) {
	words := strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) })
	if len(words) == 0 {
		return "", cg.Errorf(cg.EINVALID, "search text is empty")
	}
	if len([]rune(text)) > MaxSearchText {
		return "", cg.Errorf(cg.EINVALID, "search text is longer than %d characters", MaxSearchText)
	}
	var terms []string
	for i, w := range words {
		var b strings.Builder
		for _, r := range w {
			if strings.ContainsRune(`+-&|!(){}[]^"~*?:\/`, r) {
				b.WriteRune('\\')
			}
			b.WriteRune(r)
		}
		// Lowercase, so that AND, OR and NOT are words, not operators
		// (the index's analyzer lowercases what it stores anyway).
		t := strings.ToLower(b.String())
		terms = append(terms, t)
		if i == len(words)-1 && !strings.HasSuffix(t, "\\") {
			terms = append(terms, t+"*")
		}
	}
	return strings.Join(terms, " "), nil
}

// Search finds entities by the full-text index, best first.
func (s *Store) Search(ctx context.Context, text string, labels []cg.Label, limit int) ([]cg.SearchHit, error) {
	q, err := luceneQuery(text)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(labels))
	for _, l := range labels {
		if !l.Valid() {
			return nil, cg.Errorf(cg.EINVALID, "unknown entity label %q", l)
		}
		names = append(names, string(l))
	}
	// A passage that matches also finds the entities resting on it, at half
	// its score: "Atlas" finds the service said to be integrated into the
	// Atlas Team through the sentence that says so.
	// With types, hits of other types are left out before the page is cut,
	// and more of the index is read: passages may lead to entities of the
	// types asked for, so they stay, and the page is cut at the end.
	scan := limit
	if len(names) > 0 {
		scan = min(limit*10, 5000)
	}
	res, err := s.db.read(ctx, `
		CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()
		CALL db.index.fulltext.queryNodes('`+fullTextName+`', $q) YIELD node, score
		WITH node, score
		WHERE size($labels) = 0 OR node:Source OR any(l IN labels(node) WHERE l IN $labels)
		WITH node, score ORDER BY score DESC LIMIT $scan
		CALL (node, score) {
			RETURN node AS hit, score AS hitScore, null AS via
			UNION
			MATCH (e:Entity)-[:SOURCED_FROM]->(node:Source)
			RETURN e AS hit, score / 2 AS hitScore, node AS via
		}
		WITH hit, hitScore, via
		WHERE size($labels) = 0 OR any(l IN labels(hit) WHERE l IN $labels)
		WITH hit, max(hitScore) AS best, collect([hitScore, via]) AS found
		WITH hit, best, [f IN found WHERE f[0] = best][0][1] AS via
		RETURN hit, best, via ORDER BY best DESC, hit.id LIMIT $limit`,
		map[string]any{"q": q, "labels": names, "limit": int64(limit), "scan": int64(scan)})
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	hits := make([]cg.SearchHit, 0, len(res.Records))
	for _, rec := range res.Records {
		e, err := decode(rec.Values[0].(dbtype.Node))
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		hit := cg.SearchHit{Entity: e, Score: rec.Values[1].(float64)}
		if n, ok := rec.Values[2].(dbtype.Node); ok {
			if v, err := decode(n); err == nil {
				hit.Via, _ = v.(*cg.Source)
			}
		}
		hits = append(hits, hit)
	}
	return hits, nil
}

// typeAlternation renders types (or, when empty, every type but provenance)
// as a Cypher relationship type alternation, after checking the allowlist.
func typeAlternation(types []cg.RelType) (string, error) {
	var names []string
	if len(types) == 0 {
		for _, t := range cg.RelTypes {
			names = append(names, quote(string(t)))
		}
	}
	for _, t := range types {
		if !t.Valid() || t == cg.RelSourcedFrom {
			return "", cg.Errorf(cg.EINVALID, "cannot follow relationship type %q", t)
		}
		names = append(names, quote(string(t)))
	}
	sort.Strings(names)
	return strings.Join(names, "|"), nil
}

// MaxNeighbourhoodDepth is the deepest neighbourhood; MaxHops the longest path.
const (
	MaxNeighbourhoodDepth = 3
	MaxHops               = 6
)

// Neighbourhood returns what lies within depth hops of id.
func (s *Store) Neighbourhood(ctx context.Context, id string, depth int, types []cg.RelType, limit int) (*cg.Subgraph, error) {
	if depth < 1 || depth > MaxNeighbourhoodDepth {
		return nil, cg.Errorf(cg.EINVALID, "depth must be between 1 and %d, not %d", MaxNeighbourhoodDepth, depth)
	}
	alt, err := typeAlternation(types)
	if err != nil {
		return nil, err
	}
	// depth is a checked integer: Cypher cannot take a path length as a parameter.
	res, err := s.db.read(ctx, fmt.Sprintf(`
		MATCH (a:Entity {id: $id})
		CALL (a) {
			MATCH (a)-[:%[1]s*1..%[2]d]-(b:Entity)
			WHERE b <> a
			RETURN DISTINCT b LIMIT $limit
		}
		WITH a, b ORDER BY b.id
		WITH a, collect(b) AS others
		WITH [a] + others AS nodes, size(others) AS reached
		CALL (nodes) {
			UNWIND nodes AS x
			MATCH (x)-[r:%[1]s]->(y)
			WHERE y IN nodes
			WITH r, x, y ORDER BY type(r), x.id, y.id
			RETURN collect([type(r), x.id, y.id, r.sources]) AS edges
		}
		RETURN nodes, edges, reached`, alt, depth),
		map[string]any{"id": id, "limit": int64(limit + 1)})
	if err != nil {
		return nil, fmt.Errorf("neighbourhood: %w", err)
	}
	if len(res.Records) == 0 {
		return nil, cg.Errorf(cg.ENOTFOUND, "no entity has id %q", id)
	}
	rec := res.Records[0]
	sub := &cg.Subgraph{Truncated: rec.Values[2].(int64) > int64(limit)}
	keep := map[string]bool{}
	for i, n := range rec.Values[0].([]any) {
		if i > limit {
			break
		}
		e, err := decode(n.(dbtype.Node))
		if err != nil {
			return nil, fmt.Errorf("neighbourhood: %w", err)
		}
		sub.Nodes = append(sub.Nodes, e)
		keep[e.EntityID()] = true
	}
	for _, raw := range rec.Values[1].([]any) {
		e := raw.([]any)
		rel := cg.RelationshipBetween{Type: cg.RelType(e[0].(string)), From: e[1].(string), To: e[2].(string), SourceIDs: stringList(e[3])}
		if keep[rel.From] && keep[rel.To] {
			sub.Relationships = append(sub.Relationships, rel)
		}
	}
	return sub, nil
}

// ShortestPaths returns the shortest paths between two entities.
func (s *Store) ShortestPaths(ctx context.Context, from, to string, maxHops, limit int) ([]cg.Path, error) {
	if maxHops < 1 || maxHops > MaxHops {
		return nil, cg.Errorf(cg.EINVALID, "maxHops must be between 1 and %d, not %d", MaxHops, maxHops)
	}
	if from == to {
		return nil, cg.Errorf(cg.EINVALID, "a path needs two different entities")
	}
	alt, err := typeAlternation(nil)
	if err != nil {
		return nil, err
	}
	found, err := s.FindEntities(ctx, []string{from, to})
	if err != nil {
		return nil, err
	}
	for _, id := range []string{from, to} {
		if found[id] == nil {
			return nil, cg.Errorf(cg.ENOTFOUND, "no entity has id %q", id)
		}
	}
	res, err := s.db.read(ctx, fmt.Sprintf(`
		MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
		MATCH p = allShortestPaths((a)-[:%s*..%d]-(b))
		RETURN p ORDER BY [n IN nodes(p) | n.id] LIMIT $limit`, alt, maxHops),
		map[string]any{"from": from, "to": to, "limit": int64(limit)})
	if err != nil {
		return nil, fmt.Errorf("paths: %w", err)
	}
	paths := make([]cg.Path, 0, len(res.Records))
	for _, rec := range res.Records {
		p := rec.Values[0].(dbtype.Path)
		ids := map[string]string{} // element id -> our id
		var path cg.Path
		for _, n := range p.Nodes {
			e, err := decode(n)
			if err != nil {
				return nil, fmt.Errorf("paths: %w", err)
			}
			ids[n.ElementId] = e.EntityID()
			path.Nodes = append(path.Nodes, e)
		}
		for _, r := range p.Relationships {
			path.Relationships = append(path.Relationships, cg.RelationshipBetween{
				Type: cg.RelType(r.Type), From: ids[r.StartElementId], To: ids[r.EndElementId],
				SourceIDs: stringList(r.Props["sources"]),
			})
		}
		paths = append(paths, path)
	}
	return paths, nil
}
