package commissioning

import (
	"reflect"
	"sync"
	"time"
)

// Op is a comparison in a filter condition.
type Op string

// Filter operators.
const (
	OpEq         Op = "eq"
	OpIn         Op = "in"
	OpContains   Op = "contains"   // text, ignoring case
	OpStartsWith Op = "startsWith" // text, ignoring case
	OpLt         Op = "lt"
	OpLte        Op = "lte"
	OpGt         Op = "gt"
	OpGte        Op = "gte"
	OpIsNull     Op = "isNull" // Value is a bool: true for "unknown"
)

// Filter selects entities: every condition and relationship filter must
// hold, every filter in And, at least one in Or, and Not must not.
type Filter struct {
	Conds []Cond
	Rels  []RelFilter
	And   []Filter
	Or    []Filter
	Not   *Filter
}

// IsZero reports whether f selects everything.
func (f Filter) IsZero() bool {
	return len(f.Conds) == 0 && len(f.Rels) == 0 && len(f.And) == 0 && len(f.Or) == 0 && f.Not == nil
}

// Cond compares one property with a value.
type Cond struct {
	Prop  string
	Op    Op
	Value any // string, int64, float64, bool, Date, []string ...
}

// RelFilter holds when some entity reached by Hop matches Filter.
type RelFilter struct {
	Hop    Hop
	Filter Filter
}

// Sort orders a list by one property, then by id.
type Sort struct {
	Prop string // "" or "id" for id order
	Desc bool
}

// Cursor is a position in a sorted list: the sort value and id of an entity.
type Cursor struct {
	Sort  string `json:"s"`
	Desc  bool   `json:"d,omitempty"`
	Value any    `json:"v"`
	ID    string `json:"id"`
}

// MaxPage is the largest page of a list.
const MaxPage = 500

// PageQuery asks for one page of a list: First after After, or Last before
// Before.
type PageQuery struct {
	Filter Filter
	Sort   Sort
	First  int
	After  *Cursor
	Last   int
	Before *Cursor
}

// Page is one page of entities with their cursors.
type Page struct {
	Entities        []Entity
	Cursors         []Cursor
	HasNextPage     bool
	HasPreviousPage bool
}

// Kind is the type of a property.
type Kind int

// Property kinds.
const (
	KindString Kind = iota + 1
	KindInt
	KindFloat
	KindBool
	KindDate
	KindDateTime
	KindStrings
)

var propsCache sync.Map // Label -> map[string]Kind

// Props returns the properties an entity of label l may have, with their
// kinds; it is the allowlist for property names in filters and sorts.
func Props(l Label) map[string]Kind {
	if m, ok := propsCache.Load(l); ok {
		return m.(map[string]Kind)
	}
	e, err := NewEntity(l)
	if err != nil {
		return nil
	}
	t := reflect.TypeOf(e).Elem()
	m := map[string]Kind{}
	for i := 0; i < t.NumField(); i++ {
		p := t.Field(i).Tag.Get("prop")
		if p == "" {
			continue
		}
		ft := t.Field(i).Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft == reflect.TypeOf(Date{}):
			m[p] = KindDate
		case ft == reflect.TypeOf(time.Time{}):
			m[p] = KindDateTime
		case ft.Kind() == reflect.String:
			m[p] = KindString
		case ft.Kind() == reflect.Int:
			m[p] = KindInt
		case ft.Kind() == reflect.Float64:
			m[p] = KindFloat
		case ft.Kind() == reflect.Bool:
			m[p] = KindBool
		case ft.Kind() == reflect.Slice:
			m[p] = KindStrings
		}
	}
	propsCache.Store(l, m)
	return m
}

// Bounds of a filter, whether it was written in the query or sent as a
// variable: a filter deeper than MaxFilterDepth (AND, OR, NOT and
// relationship filters each add a level) or with more than MaxFilterTerms
// conditions and list values in all is refused before any Cypher is
// built. A filter nested a few hundred levels deep would otherwise
// overflow the database's stack and hold a connection until it timed out.
const (
	MaxFilterDepth = 10
	MaxFilterTerms = 1000
)

// Check refuses a filter beyond MaxFilterDepth or MaxFilterTerms.
func (f Filter) Check() error {
	terms := 0
	var walk func(f Filter, depth int) error
	walk = func(f Filter, depth int) error {
		if depth > MaxFilterDepth {
			return Errorf(EINVALID, "the filter is nested more than %d levels deep", MaxFilterDepth)
		}
		for _, c := range f.Conds {
			terms++
			if items, ok := c.Value.([]any); ok {
				terms += len(items)
			}
		}
		if terms > MaxFilterTerms {
			return Errorf(EINVALID, "the filter has more than %d conditions and values", MaxFilterTerms)
		}
		for _, r := range f.Rels {
			if err := walk(r.Filter, depth+1); err != nil {
				return err
			}
		}
		for _, subs := range [][]Filter{f.And, f.Or} {
			for _, sub := range subs {
				if err := walk(sub, depth+1); err != nil {
					return err
				}
			}
		}
		if f.Not != nil {
			return walk(*f.Not, depth+1)
		}
		return nil
	}
	return walk(f, 1)
}
