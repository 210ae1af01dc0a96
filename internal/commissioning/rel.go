package commissioning

// RelType names a kind of relationship; it is the relationship type in the graph.
type RelType string

// RelSourcedFrom links any entity to a Source it rests on; the other
// relationship types are declared in Types (see entity_gen.go).
const RelSourcedFrom RelType = "SOURCED_FROM"

// Ends is a pair of labels a relationship type may join, in its direction.
type Ends struct {
	From, To Label
}

// Valid reports whether t is a known relationship type.
func (t RelType) Valid() bool {
	_, ok := RelEnds()[t]
	return ok
}

// Allows reports whether a relationship of type t may run from a node
// labelled from to one labelled to.
func (t RelType) Allows(from, to Label) bool {
	ends, ok := RelEnds()[t]
	if !ok {
		return false
	}
	if t == RelSourcedFrom {
		return to == LabelSource && from != LabelSource
	}
	for _, e := range ends {
		if e.From == from && e.To == to {
			return true
		}
	}
	return false
}

// Direction is the way a relationship is followed from a node.
type Direction string

// Directions.
const (
	Outgoing Direction = "OUTGOING"
	Incoming Direction = "INCOMING"
)

// Hop is one step from a node along relationships of one type, in one
// direction, to nodes of one label (or of any label when Label is empty).
type Hop struct {
	Type      RelType
	Direction Direction
	Label     Label
}

// Out is the hop along outgoing t relationships to nodes labelled l.
func Out(t RelType, l Label) Hop { return Hop{Type: t, Direction: Outgoing, Label: l} }

// In is the hop along incoming t relationships from nodes labelled l.
func In(t RelType, l Label) Hop { return Hop{Type: t, Direction: Incoming, Label: l} }

// Relationship is a relationship between two entities seen from one of its
// ends: its type, the direction it runs from that end, the entity at the
// other end and its sources. RelationshipBetween is the same relationship
// seen from outside, by the ids of its ends, and PathRelationship as a path
// reads it.
type Relationship struct {
	Type      RelType
	Direction Direction
	Node      Entity
	SourceIDs []string
}
