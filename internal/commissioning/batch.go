package commissioning

import "context"

// MaxBatch is the most operations one batch holds.
const MaxBatch = 200

// BatchOp is one operation of a batch: Operation is ChangeCreate or
// ChangeUpdate (of Entity), ChangeDelete (of ID at Version), ChangeLink or
// ChangeUnlink (of Type from From to To). Source cites the passage a create
// or a link rests on.
type BatchOp struct {
	Operation ChangeOperation
	Entity    Entity
	ID        string
	Version   int
	Type      RelType
	From      string
	To        string
	Source    *Provenance
}

// BatchResult is what one operation of a batch did: the entity created or
// updated, the link made, or the id deleted or unlinked from.
type BatchResult struct {
	Operation    ChangeOperation
	Node         Entity
	Relationship *Relationship
	ID           string
}

// BatchWriter applies several changes as one.
type BatchWriter interface {
	// ApplyBatch applies ops in order in one transaction: all of them, or
	// none when one fails (the error names which). An entity an earlier
	// operation creates can be updated, linked or deleted by a later one.
	ApplyBatch(ctx context.Context, by Principal, ops []BatchOp) ([]BatchResult, error)
}
