package graph

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"unicode"

	"github.com/99designs/gqlgen/graphql"

	"github.com/commissioning-graph/cgraph/graph/model"
	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// DefaultPage is the page size when neither first nor last is given.
const DefaultPage = 50

// connection answers a list field with a page of the generated connection
// type C (XConnection, whose Edges hold XEdge{Cursor, Node}); one helper
// serves every entity type.
func connection[C any](ctx context.Context, r *Resolver, label cg.Label,
	filter, orderBy map[string]any, first *int, after *string, last *int, before *string,
) (*C, error) {
	q := cg.PageQuery{First: DefaultPage}
	var err error
	if q.Filter, err = toFilter(label, filter); err != nil {
		return nil, err
	}
	if q.Sort, err = toSort(orderBy); err != nil {
		return nil, err
	}
	if first != nil && last != nil {
		return nil, cg.Errorf(cg.EINVALID, "give first or last, not both")
	}
	if last != nil {
		q.First, q.Last = 0, *last
	} else if first != nil {
		q.First = *first
	}
	for _, n := range []*int{first, last} {
		if n != nil && (*n < 1 || *n > cg.MaxPage) {
			return nil, cg.Errorf(cg.EINVALID, "first and last must be between 1 and %d, not %d", cg.MaxPage, *n)
		}
	}
	if after != nil {
		if q.After, err = r.decodeCursor(*after); err != nil {
			return nil, err
		}
	}
	if before != nil {
		if q.Before, err = r.decodeCursor(*before); err != nil {
			return nil, err
		}
		if last == nil {
			q.First, q.Last = 0, DefaultPage
		}
	}
	page, err := r.Store.FindPage(ctx, label, q)
	if err != nil {
		return nil, err
	}
	node, cursors := edgeSelection(ctx)
	if err := prefetch(ctx, r, page.Entities, node); err != nil {
		return nil, err
	}

	info := &model.PageInfo{HasNextPage: page.HasNextPage, HasPreviousPage: page.HasPreviousPage}
	conn := new(C)
	cv := reflect.ValueOf(conn).Elem()
	edges := cv.FieldByName("Edges")
	edgeType := edges.Type().Elem().Elem() // []*XEdge -> XEdge
	nodeField, _ := edgeType.FieldByName("Node")
	cursorField, _ := edgeType.FieldByName("Cursor")
	list := reflect.MakeSlice(edges.Type(), 0, len(page.Entities))
	for i, e := range page.Entities {
		edge := reflect.New(edgeType)
		edge.Elem().FieldByIndex(nodeField.Index).Set(reflect.ValueOf(e))
		list = reflect.Append(list, edge)
		if !cursors {
			continue
		}
		cursor := r.encodeCursor(page.Cursors[i])
		edge.Elem().FieldByIndex(cursorField.Index).SetString(cursor)
		if i == 0 {
			info.StartCursor = &cursor
		}
		info.EndCursor = &cursor
	}
	edges.Set(list)
	cv.FieldByName("PageInfo").Set(reflect.ValueOf(info))
	if selected(ctx, "totalCount") {
		n, err := r.Store.CountEntities(ctx, label, q.Filter)
		if err != nil {
			return nil, err
		}
		cv.FieldByName("TotalCount").SetInt(int64(n))
	}
	return conn, nil
}

// selected reports whether the current field's selection asks for name.
func selected(ctx context.Context, name string) bool {
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name == name {
			return true
		}
	}
	return false
}

// toFilter converts a GraphQL XFilter input, which gqlgen hands over as a
// map, into a domain filter. The schema has already checked its shape; the
// store checks property names against the domain.
func toFilter(label cg.Label, in map[string]any) (cg.Filter, error) {
	var f cg.Filter
	for key, raw := range in {
		if raw == nil {
			continue
		}
		switch key {
		case "AND", "OR":
			for _, item := range plain(raw).([]any) {
				sub, err := toFilter(label, item.(map[string]any))
				if err != nil {
					return f, err
				}
				if key == "AND" {
					f.And = append(f.And, sub)
				} else {
					f.Or = append(f.Or, sub)
				}
			}
		case "NOT":
			sub, err := toFilter(label, raw.(map[string]any))
			if err != nil {
				return f, err
			}
			f.Not = &sub
		default:
			if hop, ok := relFields[label][key]; ok {
				sub, err := toFilter(hop.Label, raw.(map[string]any))
				if err != nil {
					return f, err
				}
				f.Rels = append(f.Rels, cg.RelFilter{Hop: hop, Filter: sub})
				continue
			}
			ops, ok := raw.(map[string]any)
			if !ok { // a Boolean field such as synthetic
				if v := plain(raw); v != nil {
					f.Conds = append(f.Conds, cg.Cond{Prop: key, Op: cg.OpEq, Value: v})
				}
				continue
			}
			for op, v := range ops {
				if v == nil {
					continue
				}
				f.Conds = append(f.Conds, cg.Cond{Prop: key, Op: cg.Op(op), Value: plain(v)})
			}
		}
	}
	return f, nil
}

// plain turns what gqlgen hands over for a filter value (pointers for
// optional fields, typed slices, JSON numbers from variables) into plain
// values and []any.
func plain(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case int:
		return int64(x)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return nil
		}
		return plain(rv.Elem().Interface())
	case reflect.Slice:
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = plain(rv.Index(i).Interface())
		}
		return out
	}
	return v
}

// toSort converts an XOrder input: field is an enum such as END_DATE,
// which names the property endDate.
func toSort(in map[string]any) (cg.Sort, error) {
	if in == nil {
		return cg.Sort{}, nil
	}
	field := fmt.Sprint(plain(in["field"]))
	dir := fmt.Sprint(plain(in["direction"]))
	return cg.Sort{Prop: camel(field), Desc: dir == "DESC"}, nil
}

// camel turns END_DATE into endDate.
func camel(s string) string {
	parts := strings.Split(strings.ToLower(s), "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			r := []rune(parts[i])
			r[0] = unicode.ToUpper(r[0])
			parts[i] = string(r)
		}
	}
	return strings.Join(parts, "")
}

// Cursors are opaque to clients: the position as JSON, signed so that a
// tampered cursor is refused rather than followed.
func (r *Resolver) encodeCursor(c cg.Cursor) string {
	body, _ := json.Marshal(c)
	mac := hmac.New(sha256.New, r.CursorKey)
	mac.Write(body)
	return base64.RawURLEncoding.EncodeToString(append(mac.Sum(nil)[:16], body...))
}

func (r *Resolver) decodeCursor(s string) (*cg.Cursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) < 17 {
		return nil, cg.Errorf(cg.EINVALID, "the cursor is not one this API gave out")
	}
	sig, body := raw[:16], raw[16:]
	mac := hmac.New(sha256.New, r.CursorKey)
	mac.Write(body)
	if !hmac.Equal(sig, mac.Sum(nil)[:16]) {
		return nil, cg.Errorf(cg.EINVALID, "the cursor is not one this API gave out")
	}
	var c cg.Cursor
	if err := json.Unmarshal(body, &c); err != nil {
		return nil, cg.Errorf(cg.EINVALID, "the cursor is not one this API gave out")
	}
	return &c, nil
}
