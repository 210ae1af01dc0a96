package neo4j

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

var _ cg.QueryStore = (*Store)(nil)

// compiler turns domain filters into a Cypher predicate. Property names and
// labels are checked against the domain's allowlists before they are
// written; every value becomes a parameter.
type compiler struct {
	params map[string]any
	vars   int
}

func newCompiler() *compiler { return &compiler{params: map[string]any{}} }

func (c *compiler) param(v any) string {
	name := fmt.Sprintf("p%d", len(c.params))
	c.params[name] = v
	return "$" + name
}

// where compiles f for the node in variable v labelled l; "true" when f is empty.
func (c *compiler) where(v string, l cg.Label, f cg.Filter) (string, error) {
	var parts []string
	props := cg.Props(l)
	for _, cond := range f.Conds {
		kind, ok := props[cond.Prop]
		if !ok {
			return "", cg.Errorf(cg.EINVALID, "%s has no property %q", l, cond.Prop)
		}
		p, err := c.cond(v, cond, kind)
		if err != nil {
			return "", err
		}
		parts = append(parts, p)
	}
	for _, rf := range f.Rels {
		m, pattern, err := c.hop("m", rf.Hop, true)
		if err != nil {
			return "", err
		}
		sub, err := c.where(m, rf.Hop.Label, rf.Filter)
		if err != nil {
			return "", err
		}
		parts = append(parts, fmt.Sprintf("EXISTS { MATCH (%s)%s WHERE %s }", v, pattern, sub))
	}
	for _, sub := range f.And {
		p, err := c.where(v, l, sub)
		if err != nil {
			return "", err
		}
		parts = append(parts, p)
	}
	if len(f.Or) > 0 {
		var ors []string
		for _, sub := range f.Or {
			p, err := c.where(v, l, sub)
			if err != nil {
				return "", err
			}
			ors = append(ors, p)
		}
		parts = append(parts, "("+strings.Join(ors, " OR ")+")")
	}
	if f.Not != nil {
		p, err := c.where(v, l, *f.Not)
		if err != nil {
			return "", err
		}
		parts = append(parts, "NOT ("+p+")")
	}
	if len(parts) == 0 {
		return "true", nil
	}
	return "(" + strings.Join(parts, " AND ") + ")", nil
}

func (c *compiler) cond(v string, cond cg.Cond, kind cg.Kind) (string, error) {
	prop := fmt.Sprintf("%s.%s", v, quote(cond.Prop))
	if cond.Op == cg.OpIsNull {
		isNull, ok := cond.Value.(bool)
		if !ok {
			return "", cg.Errorf(cg.EINVALID, "isNull on %s takes true or false", cond.Prop)
		}
		if isNull {
			return prop + " IS NULL", nil
		}
		return prop + " IS NOT NULL", nil
	}
	val, err := toParam(cond.Value, kind, cond.Op == cg.OpIn)
	if err != nil {
		return "", cg.Errorf(cg.EINVALID, "%s %s: %s", cond.Prop, cond.Op, cg.ErrorMessage(err))
	}
	switch cond.Op {
	case cg.OpEq:
		if kind == cg.KindStrings {
			return c.param(val) + " IN " + prop, nil
		}
		return prop + " = " + c.param(val), nil
	case cg.OpIn:
		if kind == cg.KindStrings {
			return "any(x IN " + prop + " WHERE x IN " + c.param(val) + ")", nil
		}
		return prop + " IN " + c.param(val), nil
	case cg.OpContains, cg.OpStartsWith:
		if kind != cg.KindString && kind != cg.KindStrings {
			return "", cg.Errorf(cg.EINVALID, "%s on %s: only text can be searched", cond.Op, cond.Prop)
		}
		op := "CONTAINS"
		if cond.Op == cg.OpStartsWith {
			op = "STARTS WITH"
		}
		if kind == cg.KindStrings {
			return fmt.Sprintf("any(x IN %s WHERE toLower(x) %s toLower(%s))", prop, op, c.param(val)), nil
		}
		return fmt.Sprintf("toLower(%s) %s toLower(%s)", prop, op, c.param(val)), nil
	case cg.OpLt, cg.OpLte, cg.OpGt, cg.OpGte:
		if kind == cg.KindString || kind == cg.KindBool || kind == cg.KindStrings {
			return "", cg.Errorf(cg.EINVALID, "%s on %s: only dates and numbers have ranges", cond.Op, cond.Prop)
		}
		op := map[cg.Op]string{cg.OpLt: "<", cg.OpLte: "<=", cg.OpGt: ">", cg.OpGte: ">="}[cond.Op]
		return prop + " " + op + " " + c.param(val), nil
	}
	return "", cg.Errorf(cg.EINVALID, "unknown operator %q", cond.Op)
}

// hop renders the pattern of h from the node before it to a new variable
// named after prefix, which it returns. With labelled that end has the
// hop's label; without, it is the bare variable, for one that an earlier
// MATCH binds with its label.
func (c *compiler) hop(prefix string, h cg.Hop, labelled bool) (end, pattern string, err error) {
	if pattern, err = hopPattern(h); err != nil {
		return "", "", err
	}
	c.vars++
	end = fmt.Sprintf("%s%d", prefix, c.vars)
	// hopPattern names its ends r and b; give them this level's names.
	pattern = strings.Replace(pattern, "[r:", "[:", 1)
	if labelled {
		return end, strings.Replace(pattern, "(b", "("+end, 1), nil
	}
	return end, pattern[:strings.LastIndex(pattern, "(b")] + "(" + end + ")", nil
}

// toParam converts a filter value to the driver's type for a property kind.
func toParam(v any, kind cg.Kind, list bool) (any, error) {
	if list {
		items, ok := v.([]any)
		if !ok {
			return nil, cg.Errorf(cg.EINVALID, "want a list")
		}
		out := make([]any, len(items))
		for i, it := range items {
			x, err := toParam(it, kind, false)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	}
	switch kind {
	case cg.KindDate:
		switch x := v.(type) {
		case cg.Date:
			return neo4j.Date(x.Time()), nil
		case string:
			d, err := cg.ParseDate(x)
			if err != nil {
				return nil, err
			}
			return neo4j.Date(d.Time()), nil
		}
	case cg.KindInt, cg.KindFloat:
		switch x := v.(type) {
		case int:
			return int64(x), nil
		case int64:
			if kind == cg.KindFloat {
				return float64(x), nil
			}
			return x, nil
		case float64:
			return x, nil
		}
	case cg.KindBool:
		if x, ok := v.(bool); ok {
			return x, nil
		}
	case cg.KindString, cg.KindStrings, cg.KindDateTime:
		if x, ok := v.(string); ok {
			return x, nil
		}
	}
	return nil, cg.Errorf(cg.EINVALID, "%v is not a value of the right type", v)
}

// FindPage returns one page of a filtered, sorted list, using keyset
// cursors so that pages stay stable when entities are added.
func (s *Store) FindPage(ctx context.Context, l cg.Label, q cg.PageQuery) (*cg.Page, error) {
	if !l.Valid() {
		return nil, cg.Errorf(cg.EINVALID, "unknown entity label %q", l)
	}
	sortProp := q.Sort.Prop
	if sortProp == "" {
		sortProp = "id"
	}
	kind, ok := cg.Props(l)[sortProp]
	if !ok || kind == cg.KindStrings {
		return nil, cg.Errorf(cg.EINVALID, "%s cannot be sorted by %q", l, sortProp)
	}
	backward := q.Last > 0 || q.Before != nil
	limit, cursor := q.First, q.After
	if backward {
		limit, cursor = q.Last, q.Before
	}
	if limit <= 0 || limit > cg.MaxPage {
		return nil, cg.Errorf(cg.EINVALID, "a page holds 1 to %d entities, not %d", cg.MaxPage, limit)
	}
	desc := q.Sort.Desc != backward // reading backwards reverses the order

	if err := q.Filter.Check(); err != nil {
		return nil, err
	}
	c := newCompiler()
	match, filter, err := c.match("n", l, q.Filter)
	if err != nil {
		return nil, err
	}
	keyset := "true"
	if cursor != nil {
		if cursor.Sort != sortProp || cursor.Desc != q.Sort.Desc {
			return nil, cg.Errorf(cg.EINVALID, "the cursor belongs to another sort order")
		}
		if keyset, err = c.keyset(sortProp, kind, desc, cursor); err != nil {
			return nil, err
		}
	}
	if q.Count && q.NoRows { // a cursor is checked even then
		total, err := s.count(ctx, c, match, filter)
		if err != nil {
			return nil, fmt.Errorf("count %s: %w", l, err)
		}
		return &cg.Page{Total: total}, nil
	}
	proj, err := c.projection("n", l, q.Fetch, false)
	if err != nil {
		return nil, err
	}
	sortKey := "n." + quote(sortProp)
	// With a filter, Neo4j starts from the filter's index or entity, and
	// the nodes without the sort property are best found on the way.
	inOrder := q.Filter.IsZero() && slices.Contains(cg.IndexedProps(l), sortProp)
	head := ordered(match, filter+" AND "+keyset, sortKey, desc, inOrder, c.param(int64(limit+1)))
	cypher := fmt.Sprintf(`
		%s
		RETURN %s, %s`, head, sortKey, proj)
	if q.Count {
		// The page's rows become one list, so that the count is made once
		// beside them, also when the page is empty.
		cypher = fmt.Sprintf(`
		%s
		WITH collect([%s, %s]) AS rows
		CALL () {
			%s
			WHERE %s
			RETURN count(n) AS total
		}
		RETURN rows, total`, head, sortKey, proj, match, filter)
	}
	res, err := s.db.read(ctx, cypher, c.params)
	if err != nil {
		return nil, fmt.Errorf("find %s page: %w", l, err)
	}
	rows := make([][]any, 0, len(res.Records))
	page := &cg.Page{}
	if q.Count {
		for _, r := range res.Records[0].Values[0].([]any) {
			rows = append(rows, r.([]any))
		}
		page.Total = int(res.Records[0].Values[1].(int64))
	} else {
		for _, rec := range res.Records {
			rows = append(rows, rec.Values)
		}
	}
	t := newTreeReader()
	ids := make([]string, 0, len(rows))
	for i, row := range rows {
		if i == limit {
			if backward {
				page.HasPreviousPage = true
			} else {
				page.HasNextPage = true
			}
			break
		}
		id, err := t.read(l, row[1].(map[string]any), q.Fetch)
		if err != nil {
			return nil, fmt.Errorf("find %s page: %w", l, err)
		}
		ids = append(ids, id)
		page.Cursors = append(page.Cursors, cg.Cursor{Sort: sortProp, Desc: q.Sort.Desc, Value: cursorValue(row[0]), ID: id})
	}
	for _, id := range ids {
		e, err := t.entity(id)
		if err != nil {
			return nil, fmt.Errorf("find %s page: %w", l, err)
		}
		page.Entities = append(page.Entities, e)
	}
	if page.Fetched, err = t.fetched(); err != nil {
		return nil, fmt.Errorf("find %s page: %w", l, err)
	}
	if cursor != nil {
		// There is something on the other side of the cursor we came from.
		if backward {
			page.HasNextPage = true
		} else {
			page.HasPreviousPage = true
		}
	}
	if backward {
		reverse(page.Entities)
		reverse(page.Cursors)
	}
	return page, nil
}

// ordered returns the clauses that leave in n, in order, the first limit
// nodes that match and where select, sorted by sortKey (a property of n)
// and then by id, descending when desc.
//
// Neo4j reads a range index in order, and stops at the limit, only for
// nodes that have the property: so the order by id says so (every entity
// has an id), and an ascending order by an indexed property reads the
// nodes that have it from the index, and those without it, which sort
// last, only when there are too few of the others to fill the page.
func ordered(match, where, sortKey string, desc, inOrder bool, limit string) string {
	if sortKey == "n.`id`" {
		where += " AND n.id IS NOT NULL"
	}
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	if desc || !inOrder || sortKey == "n.`id`" {
		return fmt.Sprintf(`%s
		WHERE %s
		WITH n ORDER BY %s %s, n.id %s LIMIT %s`, match, where, sortKey, dir, dir, limit)
	}
	// The empty UNWIND keeps Neo4j from scanning for the nodes without
	// the property when the page is full: a filter on found alone is
	// applied after the scan.
	return fmt.Sprintf(`CALL () {
			%[1]s
			WHERE %[2]s AND %[3]s IS NOT NULL
			WITH n ORDER BY %[3]s ASC, n.id ASC LIMIT %[4]s
			RETURN collect(n) AS found
		}
		CALL (found) {
			UNWIND CASE WHEN size(found) < %[4]s THEN [true] ELSE [] END AS short
			CALL () {
				%[1]s
				WHERE %[2]s AND %[3]s IS NULL
				WITH n ORDER BY n.id ASC LIMIT %[4]s
				RETURN n
			}
			RETURN collect(n) AS more
		}
		UNWIND found + more AS n
		WITH n LIMIT %[4]s`, match, where, sortKey, limit)
}

// keyset returns the predicate for "after cursor" in the given order. Nulls
// sort last ascending and first descending, as Neo4j orders them.
func (c *compiler) keyset(prop string, kind cg.Kind, desc bool, cur *cg.Cursor) (string, error) {
	f, id := "n."+quote(prop), c.param(cur.ID)
	cmp := ">"
	if desc {
		cmp = "<"
	}
	if prop == "id" {
		return fmt.Sprintf("n.id %s %s", cmp, id), nil
	}
	if cur.Value == nil {
		if desc {
			return fmt.Sprintf("((%s IS NULL AND n.id < %s) OR %s IS NOT NULL)", f, id, f), nil
		}
		return fmt.Sprintf("(%s IS NULL AND n.id > %s)", f, id), nil
	}
	v, err := toParam(cur.Value, kind, false)
	if err != nil {
		return "", cg.Errorf(cg.EINVALID, "the cursor is not valid for this list")
	}
	p := c.param(v)
	tail := ""
	if !desc {
		tail = fmt.Sprintf(" OR %s IS NULL", f)
	}
	return fmt.Sprintf("(%s %s %s OR (%s = %s AND n.id %s %s)%s)", f, cmp, p, f, p, cmp, id, tail), nil
}

// cursorValue turns a property value into what a cursor carries.
func cursorValue(v any) any {
	switch x := v.(type) {
	case dbtype.Date:
		return cg.DateOf(x.Time()).String()
	case int64:
		return float64(x)
	}
	return v
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// CountEntities counts the entities labelled l that match f.
func (s *Store) CountEntities(ctx context.Context, l cg.Label, f cg.Filter) (int, error) {
	if !l.Valid() {
		return 0, cg.Errorf(cg.EINVALID, "unknown entity label %q", l)
	}
	if err := f.Check(); err != nil {
		return 0, err
	}
	c := newCompiler()
	match, filter, err := c.match("n", l, f)
	if err != nil {
		return 0, err
	}
	n, err := s.count(ctx, c, match, filter)
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", l, err)
	}
	return n, nil
}

// count runs the count of the nodes n that match and filter select. With
// no filter, Neo4j answers it from its count store.
func (s *Store) count(ctx context.Context, c *compiler, match, filter string) (int, error) {
	res, err := s.db.read(ctx, match+" WHERE "+filter+" RETURN count(n)", c.params)
	if err != nil {
		return 0, err
	}
	return int(res.Records[0].Values[0].(int64)), nil
}

// match returns the MATCH clause for the nodes in variable v labelled l
// that f selects, and the predicate left of f. A filter across a
// relationship to one entity given by id (the contracts of one buyer)
// starts from that entity, found by its index, and follows its
// relationships, instead of testing every node labelled l.
func (c *compiler) match(v string, l cg.Label, f cg.Filter) (match, filter string, err error) {
	match = fmt.Sprintf("MATCH (%s:%s)", v, quote(string(l)))
	for i, rf := range f.Rels {
		id, ok := idOnly(rf.Filter)
		if !ok || !rf.Hop.Label.Valid() {
			continue
		}
		m, pattern, err := c.hop("m", rf.Hop, false)
		if err != nil {
			return "", "", err
		}
		match = fmt.Sprintf("MATCH (%s:%s {id: %s})\n\t\tMATCH (%s:%s)%s\n\t\tWITH DISTINCT %s",
			m, quote(string(rf.Hop.Label)), c.param(id), v, quote(string(l)), pattern, v)
		rest := f
		rest.Rels = append(append([]cg.RelFilter{}, f.Rels[:i]...), f.Rels[i+1:]...)
		f = rest
		break
	}
	filter, err = c.where(v, l, f)
	return match, filter, err
}

// idOnly returns the id f asks for when f is exactly "id equals".
func idOnly(f cg.Filter) (string, bool) {
	if len(f.Conds) != 1 || len(f.Rels)+len(f.And)+len(f.Or) > 0 || f.Not != nil {
		return "", false
	}
	cond := f.Conds[0]
	id, ok := cond.Value.(string)
	return id, ok && cond.Prop == "id" && cond.Op == cg.OpEq
}
