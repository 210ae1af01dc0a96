package commissioning

import (
	"fmt"
	"slices"
	"sync"
)

// An entity type is declared once: its struct (below in entity.go, with a
// prop tag per property and a doc comment per field) and its entry in Types.
// `go generate ./...` makes the rest from the two: the label and id methods
// and typed filters of this package (entity_gen.go), the per-entity GraphQL
// schema and resolvers, the dashboard's field tables and the README's table
// of types. The stores and the GraphQL edge read the same declarations at
// run time through TypeOf, RelEnds and RelField.
//
// A field's cg tag says what its Go type cannot: "index" (a range index in
// Neo4j), "search" (in the full-text index), "month" (an ISO 8601 date of
// reduced precision such as 2017-01, shown as a month), "money" (shown as an
// amount), "readonly" (written by imports and merges only: shown, filtered
// on, never in an input). A property is required when its Go type is not a
// pointer or a slice; every string, number and date property can be sorted
// and filtered on. A property whose type is a codelist (see codelist.go) is
// an enum in GraphQL.

// TypeDecl declares one kind of entity beyond what its struct says.
type TypeDecl struct {
	// Label names the type: the node label, the struct and the GraphQL type.
	Label Label
	// Zero is the struct's zero value, such as Authority{}.
	Zero any
	// Plural names the root list field when "s" or "ies" would be wrong.
	Plural string
	// Naming are the properties that name an entity in lists, first first.
	Naming []string
	// ReadOnly types have no create and update mutations.
	ReadOnly bool
	// Unlisted types have no root list field of their own: they are read
	// through the fields of others (and node(id:)).
	Unlisted bool
	// Relationships are the relationship types that start at this type.
	Relationships []RelationshipDecl
}

// RelationshipDecl declares a relationship type between two entity types
// and the fields that follow it from each end.
type RelationshipDecl struct {
	// Type is the relationship type, from this entity type to To.
	Type RelType
	// To is the label at the other end.
	To Label
	// Field follows the relationship from this end; Many makes it a list.
	Field string
	Many  bool
	// Doc describes Field; empty gives a description made from the names.
	Doc string
	// Reverse follows it from the other end (none when empty), a list
	// unless ReverseOne.
	Reverse    string
	ReverseOne bool
	ReverseDoc string
	// Owner says which end owns the other for the authority rule: Up when
	// this entity belongs to the authority To belongs to, Down when To
	// belongs to this entity's authority.
	Owner Ownership
}

// Ownership is how a relationship carries belonging to an authority.
type Ownership int

// Ownerships.
const (
	// NoOwner: the relationship says nothing of belonging.
	NoOwner Ownership = iota
	// Up: the start belongs where the end belongs.
	Up
	// Down: the end belongs where the start belongs.
	Down
)

// PropInfo describes one property of an entity type, as its struct declares it.
type PropInfo struct {
	Name     string
	Kind     Kind
	Required bool
	Index    bool
	Search   bool
	ReadOnly bool
}

// RelFieldInfo is a field that follows a relationship from an entity type.
type RelFieldInfo struct {
	Name string
	Hop  Hop
	Many bool
	Doc  string
}

var declared = sync.OnceValue(func() *declarations {
	d := &declarations{
		types:  map[Label]*TypeDecl{},
		ends:   map[RelType][]Ends{RelSourcedFrom: nil},
		fields: map[Label][]RelFieldInfo{},
	}
	owner := map[RelType]Ownership{}
	for i := range Types {
		t := &Types[i]
		d.types[t.Label] = t
	}
	for i := range Types {
		t := &Types[i]
		for _, l := range t.Relationships {
			if _, ok := d.types[l.To]; !ok {
				panic(fmt.Sprintf("commissioning: %s links %s to unknown type %s", t.Label, l.Type, l.To))
			}
			if o, seen := owner[l.Type]; seen && o != l.Owner {
				panic(fmt.Sprintf("commissioning: %s is declared with two ownerships", l.Type))
			}
			owner[l.Type] = l.Owner
			d.ends[l.Type] = append(d.ends[l.Type], Ends{From: t.Label, To: l.To})
			d.addField(t.Label, RelFieldInfo{Name: l.Field, Hop: Out(l.Type, l.To), Many: l.Many, Doc: l.Doc})
			if l.Reverse != "" {
				d.addField(l.To, RelFieldInfo{Name: l.Reverse, Hop: In(l.Type, t.Label), Many: !l.ReverseOne, Doc: l.ReverseDoc})
			}
		}
	}
	for _, t := range RelTypes {
		switch owner[t] {
		case Up:
			d.up = append(d.up, t)
		case Down:
			d.down = append(d.down, t)
		}
	}
	d.addField(LabelSource, RelFieldInfo{Name: "supports", Hop: In(RelSourcedFrom, ""), Many: true,
		Doc: "Everything in the graph that rests on this passage."})
	return d
})

type declarations struct {
	types    map[Label]*TypeDecl
	ends     map[RelType][]Ends
	fields   map[Label][]RelFieldInfo
	up, down []RelType
}

// addField adds a relationship field; a second declaration of the same
// field to another label makes it reach any label (as Post.organization
// reaches authorities, departments and committees).
func (d *declarations) addField(l Label, f RelFieldInfo) {
	for i, g := range d.fields[l] {
		if g.Name != f.Name {
			continue
		}
		if g.Hop.Type != f.Hop.Type || g.Hop.Direction != f.Hop.Direction || g.Many != f.Many {
			panic(fmt.Sprintf("commissioning: %s.%s is declared twice, differently", l, f.Name))
		}
		d.fields[l][i].Hop.Label = ""
		return
	}
	d.fields[l] = append(d.fields[l], f)
}

// TypeOf returns the declaration of label l, or nil.
func TypeOf(l Label) *TypeDecl { return declared().types[l] }

// RelEnds lists, for every relationship type, the labels it may join. It is
// the allowlist for relationship types in queries and the check on writes.
func RelEnds() map[RelType][]Ends { return declared().ends }

// RelFields returns the fields that follow relationships from label l, in
// the order they are declared.
func RelFields(l Label) []RelFieldInfo { return declared().fields[l] }

// RelField returns the hop of the relationship field name of label l.
func RelField(l Label, name string) (Hop, bool) {
	for _, f := range declared().fields[l] {
		if f.Name == name {
			return f.Hop, true
		}
	}
	return Hop{}, false
}

// BelongsUp are the relationship types followed forwards, towards the
// owner, by the authority rule (see access.go).
func BelongsUp() []RelType { return declared().up }

// BelongsDown are the relationship types followed backwards, towards the
// owner.
func BelongsDown() []RelType { return declared().down }

// Props returns the properties an entity of label l may have, with their
// kinds; it is the allowlist for property names in filters and sorts.
func Props(l Label) map[string]Kind { return propKinds()[l] }

var propKinds = sync.OnceValue(func() map[Label]map[string]Kind {
	m := map[Label]map[string]Kind{}
	for l, props := range entityProps {
		m[l] = map[string]Kind{}
		for _, p := range props {
			m[l][p.Name] = p.Kind
		}
	}
	return m
})

// PropsOf returns the declared properties of label l in struct order.
func PropsOf(l Label) []PropInfo { return entityProps[l] }

// IndexedProps returns the properties of label l that have a range index.
func IndexedProps(l Label) []string {
	var out []string
	for _, p := range entityProps[l] {
		if p.Index {
			out = append(out, p.Name)
		}
	}
	return out
}

// SearchedProps returns every property name that the full-text index covers,
// across all labels, in a stable order.
func SearchedProps() []string {
	var out []string
	for _, l := range Labels {
		for _, p := range entityProps[l] {
			if p.Search && !slices.Contains(out, p.Name) {
				out = append(out, p.Name)
			}
		}
	}
	return out
}

// Valid reports whether l is one of Labels.
func (l Label) Valid() bool {
	_, ok := declared().types[l]
	return ok
}
