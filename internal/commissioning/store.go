package commissioning

import "context"

// EntityStore reads entities and the links between them. Every method that
// takes many ids answers them in one round trip to the store, so callers can
// batch per GraphQL field rather than per row.
type EntityStore interface {
	// FindEntity returns the entity with the given id, of any label.
	// Returns ENOTFOUND if there is none.
	FindEntity(ctx context.Context, id string) (Entity, error)

	// FindEntities returns the entities with the given ids, keyed by id;
	// ids with no entity are absent from the map.
	FindEntities(ctx context.Context, ids []string) (map[string]Entity, error)

	// FindLinks follows hop from each of ids and returns what it reaches,
	// keyed by the id it started from, ordered by the id of the node reached.
	FindLinks(ctx context.Context, hop Hop, ids []string) (map[string][]Relationship, error)

	// FindAllLinks returns every relationship of each of ids, in both
	// directions, except provenance (SOURCED_FROM). When types is not empty
	// only those types are returned.
	FindAllLinks(ctx context.Context, ids []string, types []RelType) (map[string][]Relationship, error)

	// FindApprovalRules returns, for each contract id, the approval rule of
	// the authority that buys it; contracts with none are absent.
	FindApprovalRules(ctx context.Context, contractIDs []string) (map[string]*Rule, error)
}

// GraphWriter writes a graph of entities, links and sources idempotently:
// writing the same graph twice leaves the store as after the first time.
type GraphWriter interface {
	WriteGraph(ctx context.Context, g *Graph) error
}

// Graph is a set of entities and relationships with their provenance,
// ready to write.
type Graph struct {
	Sources     []Source
	Nodes       []Node
	Edges       []RelationshipBetween
	Successions []Succession
}

// Succession says that a contract of g follows the contracts of an earlier
// procurement process known by its OCDS ocid, which may be in g or already
// in the store. It becomes a SUCCEEDS link to each such contract; an ocid
// with no contract yet links nothing.
type Succession struct {
	Contract  string
	PriorOCID string
	SourceIDs []string
}

// Node is an entity to write with the ids of the sources it rests on.
type Node struct {
	Entity    Entity
	SourceIDs []string
	// Release, when set, orders the statements of one entity by the
	// release they come from (for OCDS: release date, release id, then a
	// digest of what it says): the store keeps the one whose Release sorts
	// last, whatever the order they are written in, and an import of an
	// older one changes nothing.
	Release string
	// Aliases are other names the entity is known by (for an
	// organisation: publishers' ids for it, its identifiers, its
	// normalised name). The store keeps, as the property aliases, every
	// alias any write gave, sorted.
	Aliases []string
	// Facts are properties the entity's type does not declare, kept as a
	// source states them (an org-id identifier, a status outside a
	// codelist), by property name. A declared property of the same name
	// wins.
	Facts map[string]string
}

// Validate checks that g is well formed: ids present and unique, every edge
// joining two nodes of g by a type allowed between their labels, and every
// cited source present in g.
func (g *Graph) Validate() error {
	sources := map[string]bool{}
	for _, s := range g.Sources {
		if s.ID == "" {
			return Errorf(EINVALID, "source with empty id")
		}
		if sources[s.ID] {
			return Errorf(EINVALID, "duplicate source id %q", s.ID)
		}
		if s.Passage == "" {
			return Errorf(EINVALID, "source %q has no passage", s.ID)
		}
		sources[s.ID] = true
	}
	labels := map[string]Label{}
	for _, n := range g.Nodes {
		id := n.Entity.EntityID()
		if id == "" {
			return Errorf(EINVALID, "%s with empty id", n.Entity.EntityLabel())
		}
		if _, dup := labels[id]; dup || sources[id] {
			return Errorf(EINVALID, "duplicate id %q", id)
		}
		if err := ValidateEntity(n.Entity); err != nil {
			return err
		}
		labels[id] = n.Entity.EntityLabel()
		if err := checkSources(id, n.SourceIDs, sources); err != nil {
			return err
		}
	}
	for _, e := range g.Edges {
		from, okFrom := labels[e.From]
		to, okTo := labels[e.To]
		// A passage is linked to its document, and a claim to its passage.
		if !okFrom && sources[e.From] {
			from, okFrom = LabelSource, true
		}
		if !okTo && sources[e.To] {
			to, okTo = LabelSource, true
		}
		if !okFrom || !okTo {
			return Errorf(EINVALID, "%s link %q -> %q: both ends must be in the graph", e.Type, e.From, e.To)
		}
		if !e.Type.Allows(from, to) {
			return Errorf(EINVALID, "%s may not join %s to %s", e.Type, from, to)
		}
		if err := checkSources(e.From+" "+string(e.Type)+" "+e.To, e.SourceIDs, sources); err != nil {
			return err
		}
	}
	for _, s := range g.Successions {
		if labels[s.Contract] != LabelContract || s.PriorOCID == "" {
			return Errorf(EINVALID, "succession of %q: want a contract of the graph and an ocid", s.Contract)
		}
		if err := checkSources(s.Contract+" follows "+s.PriorOCID, s.SourceIDs, sources); err != nil {
			return err
		}
	}
	return nil
}

func checkSources(what string, ids []string, known map[string]bool) error {
	for _, id := range ids {
		if !known[id] {
			return Errorf(EINVALID, "%s cites unknown source %q", what, id)
		}
	}
	return nil
}

// QueryStore answers the analyst's questions: pages of filtered, sorted
// lists, search, neighbourhoods and paths, and commissioning analytics.
type QueryStore interface {
	// FindPage returns one page of the entities labelled l that match q.
	FindPage(ctx context.Context, l Label, q PageQuery) (*Page, error)

	// CountEntities counts the entities labelled l that match f.
	CountEntities(ctx context.Context, l Label, f Filter) (int, error)

	// FindTree returns the entity with the given id and label (any label
	// when empty) and what f asks of an entity of its label, or ENOTFOUND.
	FindTree(ctx context.Context, l Label, id string, f Fetches) (*Tree, error)

	// Search finds entities whose names, descriptions or passages match
	// text, best first; labels, when given, restrict the kinds searched.
	Search(ctx context.Context, text string, labels []Label, limit int) ([]SearchHit, error)

	// Neighbourhood returns the entities within depth hops of id and the
	// relationships between them, leaving out provenance; types, when
	// given, restrict the relationships followed.
	Neighbourhood(ctx context.Context, id string, depth int, types []RelType, limit int) (*Subgraph, error)

	// ShortestPaths returns up to limit shortest paths of at most maxHops
	// relationships between two entities, leaving out provenance.
	ShortestPaths(ctx context.Context, from, to string, maxHops, limit int) ([]Path, error)

	// FindEndingContracts returns the contracts ending within the window of
	// f, soonest first, with what is needed to judge their approval.
	FindEndingContracts(ctx context.Context, f EndingFilter) ([]*ContractDeadline, error)

	// FindSucceededContracts returns every contract that has a successor,
	// with what is needed to judge its approval; authorityID, when not
	// empty, restricts them to one buyer.
	FindSucceededContracts(ctx context.Context, authorityID string) ([]*ContractDeadline, error)

	// FindDeliveryRows returns one row per service of the given type.
	FindDeliveryRows(ctx context.Context, serviceType string) ([]*DeliveryRow, error)
}

// SearchHit is an entity found by a search, with its relevance score.
type SearchHit struct {
	Entity Entity
	Score  float64
	// Via is the matching passage the entity rests on, when it was found
	// through its source rather than its own text.
	Via *Source
}

// Subgraph is a set of entities and the relationships among them.
type Subgraph struct {
	Nodes         []Entity
	Relationships []RelationshipBetween
	// Truncated is true when the limit cut the neighbourhood short.
	Truncated bool
}

// RelationshipBetween is a relationship between two entities by their ids,
// with the ids of the sources it rests on: as a subgraph or a path holds
// it, and as a graph to write holds it.
type RelationshipBetween struct {
	Type      RelType
	From, To  string
	SourceIDs []string
}

// Path is a chain of entities: Relationships[i] joins Nodes[i] and
// Nodes[i+1], in either direction (see its From and To).
type Path struct {
	Nodes         []Entity
	Relationships []RelationshipBetween
}

// Length is the number of relationships in the path.
func (p *Path) Length() int { return len(p.Relationships) }

// PathRelationship is one relationship of a path as the path reads it, one
// hop from an entity to the next, with the direction of the relationship
// relative to that order.
type PathRelationship struct {
	From, To  Entity
	Type      RelType
	Direction Direction
	SourceIDs []string
}

// InOrder returns the path's relationships in reading order.
func (p *Path) InOrder() []*PathRelationship {
	steps := make([]*PathRelationship, len(p.Relationships))
	for i, e := range p.Relationships {
		s := &PathRelationship{From: p.Nodes[i], To: p.Nodes[i+1], Type: e.Type, Direction: Outgoing, SourceIDs: e.SourceIDs}
		if e.From != p.Nodes[i].EntityID() {
			s.Direction = Incoming
		}
		steps[i] = s
	}
	return steps
}

// DocumentStore keeps ingested documents and the claims proposed from
// them, and writes what accepted claims state.
type DocumentStore interface {
	// FindNamed returns up to 200 entities of a label whose property
	// contains word, ignoring case, within an authority (any when empty).
	FindNamed(ctx context.Context, l Label, prop, word, authority string) ([]Entity, error)
	// LatestDocument returns the newest version of the page at url.
	LatestDocument(ctx context.Context, url string) (*Document, error)
	// FindClaims returns claims by id with their documents.
	FindClaims(ctx context.Context, ids []string) ([]ClaimInfo, error)
	// DocumentClaims returns a document's claims, of one status unless empty.
	DocumentClaims(ctx context.Context, document, status string) ([]ClaimInfo, error)
	// MatchContracts returns the contracts a provider holds and a buyer
	// buys that run exactly from start to end.
	MatchContracts(ctx context.Context, provider, buyer string, start, end Date) ([]*Contract, error)
	// ApplyGraph writes a graph for a principal that may write, in the
	// audit trail and within the authority rule.
	ApplyGraph(ctx context.Context, by Principal, g *Graph) (ImportResult, error)
}

// OlderRelease reports whether a statement ordered by its Release, now,
// was read from an older release than the stored statement, was: such a
// statement changes nothing. A statement without a Release is never older.
func OlderRelease(was, now string) bool {
	return was != "" && now != "" && was > now
}
