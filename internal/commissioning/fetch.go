package commissioning

import (
	"slices"
	"strings"
)

// A Fetch is what a query asks of the entities of one label that it
// reaches: their properties and the relationship fields to follow, each
// with what it asks of the entities there. A store answers an entity or a
// page and its whole Fetch in one statement.
type Fetch struct {
	// Props are the properties to read; nil reads them all. The id is
	// always read.
	Props []string
	// Links are the relationship fields to follow, one per hop.
	Links []LinkFetch
	// Rule, when set, asks for the approval rule of a contract's buyer and
	// what the query asks of it.
	Rule *Fetch
	// Rels are the relationships fields to read.
	Rels []RelsFetch
}

// RelsFetch asks for the relationships of the given types of an entity
// (every type but provenance when none), Nodes of the entities at their
// other ends, and the sources each cites when Sources is set.
type RelsFetch struct {
	Types   []RelType
	Nodes   Fetches
	Sources bool
}

// RelsFrom names the relationships of one entity that a RelsFetch reads;
// Types is RelTypesKey of its types.
type RelsFrom struct {
	ID, Types string
}

// RelTypesKey names a set of relationship types: sorted, comma-separated.
func RelTypesKey(types []RelType) string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = string(t)
	}
	slices.Sort(names)
	return strings.Join(slices.Compact(names), ",")
}

// Fetches are what a query asks of the entities it reaches by a field
// that may reach any label: a Fetch for each label its fragments name
// relationship fields of. Entities of other labels are read whole.
type Fetches map[Label]*Fetch

// LinkFetch follows Hop and fetches Next of the entities it reaches, or,
// when the hop reaches any label, Any.
type LinkFetch struct {
	Hop  Hop
	Next *Fetch
	Any  Fetches
}

// HopFrom names the links followed from one entity along one hop.
type HopFrom struct {
	Hop Hop
	ID  string
}

// Fetched is what a store read for a Fetch beyond the entities asked for:
// the links followed from each entity reached (an empty list where there
// are none) and the approval rule of each contract asked for (nil where
// there is none).
type Fetched struct {
	Links map[HopFrom][]Relationship
	Rules map[string]*Rule
	// Rels are the relationships read, and Sources the sources they cite,
	// by id.
	Rels    map[RelsFrom][]Relationship
	Sources map[string]*Source
}

// Tree is an entity and what was fetched with it.
type Tree struct {
	Entity  Entity
	Fetched Fetched
}
