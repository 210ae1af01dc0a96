package commissioning

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
}

// LinkFetch follows Hop and fetches Next of the entities it reaches.
type LinkFetch struct {
	Hop  Hop
	Next *Fetch
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
	Links map[HopFrom][]Link
	Rules map[string]*Rule
}

// Tree is an entity and what was fetched with it.
type Tree struct {
	Entity  Entity
	Fetched Fetched
}
