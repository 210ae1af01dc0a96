package commissioning

import "context"

// DuplicateCandidate is a set of entities of one label that are likely one
// thing, and why.
type DuplicateCandidate struct {
	Label  Label
	IDs    []string
	Reason string
}

// EntityMerger finds and merges entities that are one thing the importer
// could not tell apart, such as an organisation named by an org-id in one
// file and only by name in another.
type EntityMerger interface {
	// FindDuplicateCandidates lists sets of organisations (Authority or
	// Provider, as label says) that share an alias: the same normalised
	// name in a country, or a publisher's id.
	FindDuplicateCandidates(ctx context.Context, label Label, limit int) ([]DuplicateCandidate, error)

	// MergeEntities moves every relationship of the entities from onto the
	// entity into (of the same label), keeps their ids and aliases as
	// into's aliases, deletes them and records the merge in the audit
	// trail, in one transaction. Later imports that name a merged id write
	// to into. Only admins may merge.
	MergeEntities(ctx context.Context, by Principal, into string, from []string) (Entity, error)
}
