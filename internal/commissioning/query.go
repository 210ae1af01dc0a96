package commissioning

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
	// Fetch, when set, is what to read of the page's entities and what to
	// follow from them; nil reads whole entities and follows nothing.
	Fetch *Fetch
	// Count asks for the number of entities that match Filter too.
	Count bool
	// NoRows, with Count, asks for the count alone: no page is read.
	NoRows bool
}

// Page is one page of entities with their cursors.
type Page struct {
	Entities        []Entity
	Cursors         []Cursor
	HasNextPage     bool
	HasPreviousPage bool
	// Total is the number of matching entities, when the query asked to count.
	Total int
	// Fetched is what the query's Fetch read beyond the entities.
	Fetched Fetched
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

// The typed filters of one property, one per kind; the generated XFilter
// types (entity_gen.go) hold one per property and turn it into conditions.

// IDFilter compares ids.
type IDFilter struct {
	Eq         *string  `prop:"eq"`
	In         []string `prop:"in"`
	StartsWith *string  `prop:"startsWith"`
}

// StringFilter compares text: Eq and In exactly, Contains and StartsWith
// ignoring case; IsNull true matches what the sources do not say.
type StringFilter struct {
	Eq         *string  `prop:"eq"`
	In         []string `prop:"in"`
	Contains   *string  `prop:"contains"`
	StartsWith *string  `prop:"startsWith"`
	IsNull     *bool    `prop:"isNull"`
}

// StringListFilter compares a list of text: Eq holds when the list holds
// the value, Contains when some value contains the text.
type StringListFilter struct {
	Eq       *string `prop:"eq"`
	Contains *string `prop:"contains"`
	IsNull   *bool   `prop:"isNull"`
}

// DateFilter compares dates.
type DateFilter struct {
	Eq     *Date `prop:"eq"`
	Lt     *Date `prop:"lt"`
	Lte    *Date `prop:"lte"`
	Gt     *Date `prop:"gt"`
	Gte    *Date `prop:"gte"`
	IsNull *bool `prop:"isNull"`
}

// IntFilter compares whole numbers.
type IntFilter struct {
	Eq     *int  `prop:"eq"`
	In     []int `prop:"in"`
	Lt     *int  `prop:"lt"`
	Lte    *int  `prop:"lte"`
	Gt     *int  `prop:"gt"`
	Gte    *int  `prop:"gte"`
	IsNull *bool `prop:"isNull"`
}

// FloatFilter compares numbers.
type FloatFilter struct {
	Eq     *float64 `prop:"eq"`
	Lt     *float64 `prop:"lt"`
	Lte    *float64 `prop:"lte"`
	Gt     *float64 `prop:"gt"`
	Gte    *float64 `prop:"gte"`
	IsNull *bool    `prop:"isNull"`
}

// condsOf collects the conditions on prop that f gives.
type condsOf struct {
	prop  string
	conds []Cond
}

func (c *condsOf) add(op Op, v any) { c.conds = append(c.conds, Cond{Prop: c.prop, Op: op, Value: v}) }

func addPtr[T any](c *condsOf, op Op, v *T) {
	if v != nil {
		c.add(op, *v)
	}
}

func addList[T any](c *condsOf, v []T) {
	if v == nil {
		return
	}
	items := make([]any, len(v))
	for i, x := range v {
		items[i] = x
	}
	c.add(OpIn, items)
}

// Conds returns the conditions f places on prop.
func (f *IDFilter) Conds(prop string) []Cond {
	if f == nil {
		return nil
	}
	c := &condsOf{prop: prop}
	addPtr(c, OpEq, f.Eq)
	addList(c, f.In)
	addPtr(c, OpStartsWith, f.StartsWith)
	return c.conds
}

// Conds returns the conditions f places on prop.
func (f *StringFilter) Conds(prop string) []Cond {
	if f == nil {
		return nil
	}
	c := &condsOf{prop: prop}
	addPtr(c, OpEq, f.Eq)
	addList(c, f.In)
	addPtr(c, OpContains, f.Contains)
	addPtr(c, OpStartsWith, f.StartsWith)
	addPtr(c, OpIsNull, f.IsNull)
	return c.conds
}

// Conds returns the conditions f places on prop.
func (f *StringListFilter) Conds(prop string) []Cond {
	if f == nil {
		return nil
	}
	c := &condsOf{prop: prop}
	addPtr(c, OpEq, f.Eq)
	addPtr(c, OpContains, f.Contains)
	addPtr(c, OpIsNull, f.IsNull)
	return c.conds
}

// Conds returns the conditions f places on prop.
func (f *DateFilter) Conds(prop string) []Cond {
	if f == nil {
		return nil
	}
	c := &condsOf{prop: prop}
	addPtr(c, OpEq, f.Eq)
	addPtr(c, OpLt, f.Lt)
	addPtr(c, OpLte, f.Lte)
	addPtr(c, OpGt, f.Gt)
	addPtr(c, OpGte, f.Gte)
	addPtr(c, OpIsNull, f.IsNull)
	return c.conds
}

// Conds returns the conditions f places on prop.
func (f *IntFilter) Conds(prop string) []Cond {
	if f == nil {
		return nil
	}
	c := &condsOf{prop: prop}
	addPtr(c, OpEq, f.Eq)
	addList(c, f.In)
	addPtr(c, OpLt, f.Lt)
	addPtr(c, OpLte, f.Lte)
	addPtr(c, OpGt, f.Gt)
	addPtr(c, OpGte, f.Gte)
	addPtr(c, OpIsNull, f.IsNull)
	return c.conds
}

// Conds returns the conditions f places on prop.
func (f *FloatFilter) Conds(prop string) []Cond {
	if f == nil {
		return nil
	}
	c := &condsOf{prop: prop}
	addPtr(c, OpEq, f.Eq)
	addPtr(c, OpLt, f.Lt)
	addPtr(c, OpLte, f.Lte)
	addPtr(c, OpGt, f.Gt)
	addPtr(c, OpGte, f.Gte)
	addPtr(c, OpIsNull, f.IsNull)
	return c.conds
}

// boolConds is the condition of a Boolean property's filter, which is the
// value itself.
func boolConds(prop string, v *bool) []Cond {
	if v == nil {
		return nil
	}
	return []Cond{{Prop: prop, Op: OpEq, Value: *v}}
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
