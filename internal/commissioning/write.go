package commissioning

import "context"

// Provenance is the passage a written entity or link rests on. The store
// keeps one Source per document and passage, so citing the same passage twice
// reuses it.
type Provenance struct {
	Document    string
	DocumentRef *string
	File        *string
	Passage     string
}

// Validate checks that p names a document and a passage.
func (p *Provenance) Validate() error {
	if p == nil {
		return nil
	}
	if p.Document == "" || p.Passage == "" {
		return Errorf(EINVALID, "a source needs a document and a passage")
	}
	for name, v := range map[string]*string{"document": &p.Document, "documentRef": p.DocumentRef, "file": p.File, "passage": &p.Passage} {
		if v != nil && len(*v) > MaxTextBytes {
			return Errorf(EINVALID, "the source's %s is %d bytes long; the limit is %d", name, len(*v), MaxTextBytes)
		}
	}
	return nil
}

// EntityWriter changes the graph on behalf of a principal. Each method is one
// transaction: it checks the principal may make the change (see the authority
// rule at BelongsUp), validates it, makes it and records it in the audit
// trail, or does none of these.
type EntityWriter interface {
	// CreateEntity writes a new entity with version 1. Returns ECONFLICT when
	// the id is taken.
	CreateEntity(ctx context.Context, by Principal, e Entity, src *Provenance) (Entity, error)

	// UpdateEntity replaces the properties of the entity with e's id by e's;
	// a nil field removes the property. version is the version the client
	// read: ECONFLICT when the entity has changed since.
	UpdateEntity(ctx context.Context, by Principal, e Entity, version int) (Entity, error)

	// DeleteEntity removes the entity and its relationships; version as for
	// UpdateEntity.
	DeleteEntity(ctx context.Context, by Principal, id string, version int) error

	// LinkEntities adds the relationship t from one entity to another.
	// Returns ENOTFOUND when an end does not exist, EINVALID when t may not
	// join their labels and ECONFLICT when the relationship exists.
	LinkEntities(ctx context.Context, by Principal, t RelType, from, to string, src *Provenance) (Relationship, error)

	// UnlinkEntities removes the relationship t from one entity to another.
	UnlinkEntities(ctx context.Context, by Principal, t RelType, from, to string) error

	// ImportGraph writes g like GraphWriter (idempotently, merging on ids)
	// and records a change for every entity it creates or changes. Only
	// admins may import.
	ImportGraph(ctx context.Context, by Principal, g *Graph) (ImportResult, error)
}

// ImportResult counts what an import did.
type ImportResult struct {
	Sources          int
	EntitiesCreated  int
	EntitiesUpdated  int
	EntitiesSame     int
	LinksCreated     int
	LinksSame        int
	PredecessorsLost int // SUCCEEDS links whose earlier contract is not in the graph
	// LinksRemoved counts links a newer statement of a contract no longer
	// makes (a buyer or supplier it no longer names), removed.
	LinksRemoved int
	// EntitiesRemoved counts tender-stage contracts removed because the
	// process now has awarded contracts.
	EntitiesRemoved int
	// Skipped lists the processes left out because they have problems.
	Skipped []SkippedProcess
}

// Problem is one thing wrong with an imported document: where it is (the
// file and a JSON path) and why.
type Problem struct {
	File   string
	Path   string
	Reason string
}

// SkippedProcess is a procurement process an import left out, and its
// problems. OCID is empty for problems outside any process.
type SkippedProcess struct {
	File     string
	OCID     string
	Problems []Problem
}

// Add adds what another part of the same import did.
func (r *ImportResult) Add(o ImportResult) {
	r.Sources += o.Sources
	r.EntitiesCreated += o.EntitiesCreated
	r.EntitiesUpdated += o.EntitiesUpdated
	r.EntitiesSame += o.EntitiesSame
	r.LinksCreated += o.LinksCreated
	r.LinksSame += o.LinksSame
	r.PredecessorsLost += o.PredecessorsLost
	r.LinksRemoved += o.LinksRemoved
	r.EntitiesRemoved += o.EntitiesRemoved
	r.Skipped = append(r.Skipped, o.Skipped...)
}
