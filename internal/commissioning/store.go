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

	// FindEntitiesByLabel returns up to limit entities labelled l in order of
	// id, starting after the id after ("" from the start).
	FindEntitiesByLabel(ctx context.Context, l Label, after string, limit int) ([]Entity, error)

	// FindLinks follows hop from each of ids and returns what it reaches,
	// keyed by the id it started from, ordered by the id of the node reached.
	FindLinks(ctx context.Context, hop Hop, ids []string) (map[string][]Link, error)

	// FindAllLinks returns every relationship of each of ids, in both
	// directions, except provenance (SOURCED_FROM). When types is not empty
	// only those types are returned.
	FindAllLinks(ctx context.Context, ids []string, types []RelType) (map[string][]Link, error)

	// FindApprovalRules returns, for each contract id, the approval rule of
	// the authority that buys it; contracts with none are absent.
	FindApprovalRules(ctx context.Context, contractIDs []string) (map[string]*Rule, error)
}

// GraphWriter writes a graph of entities, links and sources idempotently:
// writing the same graph twice leaves the store as after the first time.
type GraphWriter interface {
	WriteGraph(ctx context.Context, g *Graph) error
}

// Graph is a set of entities and links with their provenance, ready to write.
type Graph struct {
	Sources     []Source
	Nodes       []Node
	Edges       []Edge
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
}

// Edge is a relationship to write between two entity ids, with the ids of
// the sources it rests on.
type Edge struct {
	Type      RelType
	From, To  string
	SourceIDs []string
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
