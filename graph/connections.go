package graph

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"unicode"

	"github.com/99designs/gqlgen/graphql"

	"github.com/commissioning-graph/cgraph/graph/model"
	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// DefaultPage is the page size when neither first nor last is given.
const DefaultPage = 50

// page is one page of a list field, ready for its generated connection
// type: the entities, their cursors when selected, the page info and the
// total when selected.
type page struct {
	entities []cg.Entity
	cursors  []string
	info     *model.PageInfo
	total    int
}

// cursor returns the cursor of the i-th entity, or "" when the query does
// not ask for cursors.
func (p *page) cursor(i int) string {
	if p.cursors == nil {
		return ""
	}
	return p.cursors[i]
}

// page answers a list field of any entity type: it checks the arguments
// and reads one page, what the selection asks of its nodes and the total
// when selected, in one statement when the selection compiles (else the
// nodes' fields are prefetched); only the total when nothing else is
// selected. The generated resolver of each list field turns it into that
// type's connection.
func (r *Resolver) page(ctx context.Context, label cg.Label, filter cg.Filter, sort cg.Sort,
	first *int, after *string, last *int, before *string,
) (*page, error) {
	q := cg.PageQuery{First: DefaultPage, Filter: filter, Sort: sort}
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
	var err error
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
	q.Count = selected(ctx, "totalCount")
	q.NoRows = !selected(ctx, "edges") && !selected(ctx, "pageInfo")
	node, cursors := edgeSelection(ctx)
	q.Fetch = compiledFetch(ctx, label, node)
	found, err := r.Store.FindPage(ctx, label, q)
	if err != nil {
		return nil, err
	}
	if q.Fetch != nil {
		prime(ctx, found.Fetched)
	} else if err := prefetch(ctx, r, found.Entities, node); err != nil {
		return nil, err
	}
	p := &page{
		entities: found.Entities,
		info:     &model.PageInfo{HasNextPage: found.HasNextPage, HasPreviousPage: found.HasPreviousPage},
		total:    found.Total,
	}
	if cursors && len(found.Entities) > 0 {
		p.cursors = make([]string, len(found.Entities))
		for i := range found.Entities {
			p.cursors[i] = r.encodeCursor(found.Cursors[i])
		}
		p.info.StartCursor, p.info.EndCursor = &p.cursors[0], &p.cursors[len(p.cursors)-1]
	}
	return p, nil
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

// sortBy turns an XOrder input (field an enum such as END_DATE, which names
// the property endDate) into a sort.
func sortBy(field string, dir *model.SortDirection) cg.Sort {
	return cg.Sort{Prop: camel(field), Desc: dir != nil && *dir == model.SortDirectionDesc}
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
