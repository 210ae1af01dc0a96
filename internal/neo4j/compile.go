package neo4j

import (
	"context"
	"fmt"
	"slices"
	"strings"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// A Fetch compiles into a map projection of the node it starts from: the
// properties asked for, and one COLLECT subquery per relationship field,
// each a projection of the nodes it reaches, to any depth. Neo4j plans the
// subqueries after the MATCH, ORDER BY and LIMIT around them, so it reads
// only what the answer holds, and the whole selection is one statement.

// Keys of a projection that are not properties; no property starts with "__".
const (
	keyLabels = "__labels"
	keyRule   = "__rule"
	keyLink   = "__l"
	keyRels   = "__r"
)

// projection renders what f asks of the node in variable v, labelled l.
// withLabels adds the node's labels, for when the query does not know them.
func (c *compiler) projection(v string, l cg.Label, f *cg.Fetch, withLabels bool) (string, error) {
	var items []string
	if f == nil || f.Props == nil {
		items = append(items, ".*")
	} else {
		items = append(items, ".id")
		props := cg.Props(l)
		for _, p := range f.Props {
			if _, ok := props[p]; !ok {
				return "", cg.Errorf(cg.EINVALID, "%s has no property %q", l, p)
			}
			if p != "id" {
				items = append(items, "."+quote(p))
			}
		}
	}
	if withLabels {
		items = append(items, keyLabels+": labels("+v+")")
	}
	if f != nil {
		for i, lf := range f.Links {
			b, pattern, err := c.hop("b", lf.Hop, true)
			if err != nil {
				return "", err
			}
			var sub string
			if lf.Hop.Label == "" {
				sub, err = c.anyProjection(b, lf.Any)
			} else {
				sub, err = c.projection(b, lf.Hop.Label, lf.Next, false)
			}
			if err != nil {
				return "", err
			}
			items = append(items, fmt.Sprintf("%s%d: COLLECT { MATCH (%s)%s WITH %s ORDER BY %s.id RETURN %s }",
				keyLink, i, v, pattern, b, b, sub))
		}
		for i, rf := range f.Rels {
			names := make([]string, 0, len(rf.Types))
			for _, t := range rf.Types {
				if !t.Valid() {
					return "", cg.Errorf(cg.EINVALID, "unknown relationship type %q", t)
				}
				names = append(names, string(t))
			}
			c.vars++
			b, r := fmt.Sprintf("b%d", c.vars), fmt.Sprintf("r%d", c.vars)
			sources := ""
			if rf.Sources {
				sources = fmt.Sprintf(", sources: COLLECT { MATCH (s:%s) WHERE s.id IN %s.sources RETURN s {.*} }", quote(string(cg.LabelSource)), r)
			}
			node, err := c.anyProjection(b, rf.Nodes)
			if err != nil {
				return "", err
			}
			types := c.param(names)
			items = append(items, fmt.Sprintf(`%s%d: COLLECT { MATCH (%s)-[%s]-(%s:Entity)
				WHERE type(%s) <> 'SOURCED_FROM' AND (size(%s) = 0 OR type(%s) IN %s)
				WITH %s, %s ORDER BY type(%s), %s.id
				RETURN {type: type(%s), out: startNode(%s) = %s, ids: %s.sources, node: %s%s} }`,
				keyRels, i, v, r, b, r, types, r, types, r, b, r, b, r, r, v, r, node, sources))
		}
		if f.Rule != nil {
			if l != cg.LabelContract {
				return "", cg.Errorf(cg.EINVALID, "only contracts have approval rules")
			}
			c.vars++
			r := fmt.Sprintf("r%d", c.vars)
			sub, err := c.projection(r, cg.LabelRule, f.Rule, false)
			if err != nil {
				return "", err
			}
			items = append(items, fmt.Sprintf(
				"%s: COLLECT { MATCH (%s)-[:%s]->(:%s)-[:%s]->(%s:%s {kind: %s}) WITH %s ORDER BY %s.id LIMIT 1 RETURN %s }",
				keyRule, v, quote(string(cg.RelBoughtBy)), quote(string(cg.LabelAuthority)), quote(string(cg.RelHasRule)),
				r, quote(string(cg.LabelRule)), c.param(cg.RuleApprovalBeforeEnd), r, r, sub))
		}
	}
	return v + " {" + strings.Join(items, ", ") + "}", nil
}

// anyProjection renders what fs asks of the node in variable v, of any
// label: the projection of its label's fetch, with its labels.
func (c *compiler) anyProjection(v string, fs cg.Fetches) (string, error) {
	labels := make([]cg.Label, 0, len(fs))
	for l := range fs {
		if !l.Valid() {
			return "", cg.Errorf(cg.EINVALID, "unknown entity label %q", l)
		}
		labels = append(labels, l)
	}
	slices.Sort(labels)
	whole, _ := c.projection(v, "", nil, true)
	if len(labels) == 0 {
		return whole, nil
	}
	var b strings.Builder
	b.WriteString("CASE")
	for _, l := range labels {
		p, err := c.projection(v, l, fs[l], true)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, " WHEN %s:%s THEN %s", v, quote(string(l)), p)
	}
	fmt.Fprintf(&b, " ELSE %s END", whole)
	return b.String(), nil
}

// treeReader gathers the rows of compiled projections. An entity reached
// in several places of one answer, with different properties asked of it,
// is one entity with all of them.
type treeReader struct {
	props   map[string]map[string]any
	labels  map[string]cg.Label
	links   map[cg.HopFrom][]string
	rules   map[string]string // contract id -> rule id, "" for none
	rels    map[cg.RelsFrom][]relRead
	sources []string
	built   map[string]cg.Entity
}

// relRead is a relationship read, its far end by id.
type relRead struct {
	typ     cg.RelType
	dir     cg.Direction
	node    string
	sources []string
}

func newTreeReader() *treeReader {
	return &treeReader{props: map[string]map[string]any{}, labels: map[string]cg.Label{},
		links: map[cg.HopFrom][]string{}, rules: map[string]string{}, rels: map[cg.RelsFrom][]relRead{}}
}

// read takes in the projection m of an entity labelled l (or labelled as m
// says, when l is empty) made for f, and returns its id.
func (t *treeReader) read(l cg.Label, m map[string]any, f *cg.Fetch) (string, error) {
	id, _ := m["id"].(string)
	if id == "" {
		return "", fmt.Errorf("a projection without an id")
	}
	t.labels[id] = l
	props := t.props[id]
	if props == nil {
		props = map[string]any{}
		t.props[id] = props
	}
	for k, v := range m {
		if !strings.HasPrefix(k, "__") {
			props[k] = v
		}
	}
	if f == nil {
		return id, nil
	}
	for i, lf := range f.Links {
		rows, _ := m[fmt.Sprintf("%s%d", keyLink, i)].([]any)
		ids := make([]string, 0, len(rows))
		for _, row := range rows {
			sub, ok := row.(map[string]any)
			if !ok {
				return "", fmt.Errorf("%s row of %T", lf.Hop.Type, row)
			}
			to, err := t.read(lf.Hop.Label, sub, lf.Next)
			if lf.Hop.Label == "" {
				to, err = t.readAny(sub, lf.Any)
			}
			if err != nil {
				return "", err
			}
			ids = append(ids, to)
		}
		t.links[cg.HopFrom{Hop: lf.Hop, ID: id}] = ids
	}
	for i, rf := range f.Rels {
		rows, _ := m[fmt.Sprintf("%s%d", keyRels, i)].([]any)
		read := make([]relRead, 0, len(rows))
		for _, row := range rows {
			rel, ok := row.(map[string]any)
			node, isMap := rel["node"].(map[string]any)
			if !ok || !isMap {
				return "", fmt.Errorf("relationship row of %T", row)
			}
			to, err := t.readAny(node, rf.Nodes)
			if err != nil {
				return "", err
			}
			r := relRead{typ: cg.RelType(fmt.Sprint(rel["type"])), dir: cg.Incoming, node: to, sources: stringList(rel["ids"])}
			if out, _ := rel["out"].(bool); out {
				r.dir = cg.Outgoing
			}
			srcs, _ := rel["sources"].([]any)
			for _, src := range srcs {
				sm, ok := src.(map[string]any)
				if !ok {
					return "", fmt.Errorf("source row of %T", src)
				}
				sid, err := t.read(cg.LabelSource, sm, nil)
				if err != nil {
					return "", err
				}
				t.sources = append(t.sources, sid)
			}
			read = append(read, r)
		}
		t.rels[cg.RelsFrom{ID: id, Types: cg.RelTypesKey(rf.Types)}] = read
	}
	if f.Rule != nil {
		t.rules[id] = ""
		rows, _ := m[keyRule].([]any)
		for _, row := range rows {
			sub, ok := row.(map[string]any)
			if !ok {
				return "", fmt.Errorf("rule row of %T", row)
			}
			rule, err := t.read(cg.LabelRule, sub, f.Rule)
			if err != nil {
				return "", err
			}
			t.rules[id] = rule
		}
	}
	return id, nil
}

// readAny takes in the projection m of an entity of any label, made for
// the fetch of its label in fs.
func (t *treeReader) readAny(m map[string]any, fs cg.Fetches) (string, error) {
	l := entityLabel(stringList(m[keyLabels]))
	return t.read(l, m, fs[l])
}

// entity returns the entity with the given id, built from every property
// read of it.
func (t *treeReader) entity(id string) (cg.Entity, error) {
	if e, ok := t.built[id]; ok {
		return e, nil
	}
	e, err := decodeProps(t.labels[id], t.props[id])
	if err != nil {
		return nil, err
	}
	if t.built == nil {
		t.built = map[string]cg.Entity{}
	}
	t.built[id] = e
	return e, nil
}

// fetched returns the links and rules read.
func (t *treeReader) fetched() (cg.Fetched, error) {
	out := cg.Fetched{Links: make(map[cg.HopFrom][]cg.Relationship, len(t.links)), Rules: make(map[string]*cg.Rule, len(t.rules))}
	for k, ids := range t.links {
		links := make([]cg.Relationship, len(ids))
		for i, id := range ids {
			e, err := t.entity(id)
			if err != nil {
				return cg.Fetched{}, err
			}
			links[i] = cg.Relationship{Type: k.Hop.Type, Direction: k.Hop.Direction, Node: e}
		}
		out.Links[k] = links
	}
	out.Rels = make(map[cg.RelsFrom][]cg.Relationship, len(t.rels))
	for k, read := range t.rels {
		links := make([]cg.Relationship, len(read))
		for i, r := range read {
			e, err := t.entity(r.node)
			if err != nil {
				return cg.Fetched{}, err
			}
			links[i] = cg.Relationship{Type: r.typ, Direction: r.dir, Node: e, SourceIDs: r.sources}
		}
		out.Rels[k] = links
	}
	out.Sources = make(map[string]*cg.Source, len(t.sources))
	for _, id := range t.sources {
		e, err := t.entity(id)
		if err != nil {
			return cg.Fetched{}, err
		}
		if src, ok := e.(*cg.Source); ok {
			out.Sources[id] = src
		}
	}
	for contract, id := range t.rules {
		if id == "" {
			out.Rules[contract] = nil
			continue
		}
		e, err := t.entity(id)
		if err != nil {
			return cg.Fetched{}, err
		}
		rule, _ := e.(*cg.Rule)
		out.Rules[contract] = rule
	}
	return out, nil
}

// FindTree returns the entity with the given id and label (any label when
// empty) and what f asks of an entity of its label, in one statement.
func (s *Store) FindTree(ctx context.Context, l cg.Label, id string, f cg.Fetches) (*cg.Tree, error) {
	what := "entity"
	where := "true"
	if l != "" {
		if !l.Valid() {
			return nil, cg.Errorf(cg.EINVALID, "unknown entity label %q", l)
		}
		what, where = string(l), "n:"+quote(string(l))
	}
	c := newCompiler()
	var proj string
	var err error
	if l != "" {
		proj, err = c.projection("n", l, f[l], true)
	} else {
		proj, err = c.anyProjection("n", f)
	}
	if err != nil {
		return nil, err
	}
	c.params["id"] = id
	res, err := s.db.read(ctx, fmt.Sprintf(`
		MATCH (n:Entity {id: $id})
		WHERE %s
		RETURN %s`, where, proj), c.params)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", what, err)
	}
	if len(res.Records) == 0 {
		return nil, cg.Errorf(cg.ENOTFOUND, "no %s has id %q", what, id)
	}
	t := newTreeReader()
	root, err := t.readAny(res.Records[0].Values[0].(map[string]any), f)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", what, err)
	}
	tree := &cg.Tree{}
	if tree.Entity, err = t.entity(root); err != nil {
		return nil, fmt.Errorf("find %s: %w", what, err)
	}
	if tree.Fetched, err = t.fetched(); err != nil {
		return nil, fmt.Errorf("find %s: %w", what, err)
	}
	return tree, nil
}
