package commissioning

import (
	"context"
	"time"
)

// Change is one entry of the audit trail: who changed which entity or
// relationship, when, by which operation, and the values before and after of
// what changed. It is written in the same transaction as the change itself.
type Change struct {
	ID        string
	At        time.Time
	Actor     string
	Role      Role
	Operation ChangeOperation
	// EntityID is the entity changed; for a link or unlink, its start.
	EntityID string
	Label    Label
	// RelType and ToID name the relationship of a link or unlink.
	RelType *RelType
	ToID    *string
	Fields  []FieldChange
}

// FieldChange is the value of one property before and after a change, each
// as JSON (null when absent).
type FieldChange struct {
	Name   string
	Before string
	After  string
}

// ChangeFilter selects changes; empty fields select everything.
type ChangeFilter struct {
	// EntityID selects the changes of one entity, including the links and
	// unlinks that it is either end of.
	EntityID string
	Actor    string
	Since    *time.Time
	Until    *time.Time
	// After is the id of the last change of the previous page.
	After string
	Limit int
}

// ChangeStore reads the audit trail.
type ChangeStore interface {
	// FindChanges returns changes in the order they were made, oldest first.
	FindChanges(ctx context.Context, f ChangeFilter) ([]*Change, error)
}
