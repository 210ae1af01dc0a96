package neo4j

import (
	"context"
	"fmt"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

var _ cg.BatchWriter = (*Store)(nil)

// ApplyBatch applies ops in order in one transaction, each as its own
// mutation would (the same checks of scope and version, the same audit
// records), so an entity created early in the list is there for the
// operations after it. Under an idempotency key the batch is one request:
// a retry answers with what each operation produced.
func (s *Store) ApplyBatch(ctx context.Context, by cg.Principal, ops []cg.BatchOp) ([]cg.BatchResult, error) {
	if err := by.MayWrite(); err != nil {
		return nil, err
	}
	if len(ops) == 0 || len(ops) > cg.MaxBatch {
		return nil, cg.Errorf(cg.EINVALID, "a batch holds 1 to %d operations, not %d", cg.MaxBatch, len(ops))
	}
	for i, op := range ops {
		if err := checkOp(by, op); err != nil {
			return nil, batchError(i, op, err)
		}
	}
	var out []cg.BatchResult
	err := s.db.write(ctx, func(tx tx) error {
		out = make([]cg.BatchResult, len(ops))
		key, err := s.claim(ctx, tx, by, "BATCH", ops)
		if err != nil {
			return err
		}
		for i, op := range ops {
			r := cg.BatchResult{Operation: op.Operation}
			var err error
			switch {
			case op.Operation == cg.ChangeCreate && key != nil && key.done, op.Operation == cg.ChangeUpdate && key != nil && key.done:
				n, nerr := s.node(ctx, tx, op.Entity.EntityID())
				if nerr != nil {
					return nerr
				}
				if n == nil {
					return cg.Errorf(cg.ENOTFOUND, "the batch with this Idempotency-Key was applied, but %s has since been deleted", op.Entity.EntityID())
				}
				r.Node, err = decode(*n)
			case op.Operation == cg.ChangeLink && key != nil && key.done:
				var l cg.Relationship
				l, err = s.replayedLink(ctx, tx, op.Type, op.From, op.To)
				r.Relationship = &l
			case key != nil && key.done:
				r.ID = op.ID
				if op.Operation == cg.ChangeUnlink {
					r.ID = op.From
				}
			case op.Operation == cg.ChangeCreate:
				r.Node, err = s.createIn(ctx, tx, by, op.Entity, op.Source)
			case op.Operation == cg.ChangeUpdate:
				r.Node, err = s.updateIn(ctx, tx, by, op.Entity, op.Version)
			case op.Operation == cg.ChangeDelete:
				r.ID, err = op.ID, s.deleteIn(ctx, tx, by, op.ID, op.Version)
			case op.Operation == cg.ChangeLink:
				var l cg.Relationship
				l, err = s.linkIn(ctx, tx, by, op.Type, op.From, op.To, op.Source)
				r.Relationship = &l
			case op.Operation == cg.ChangeUnlink:
				r.ID, err = op.From, s.unlinkIn(ctx, tx, by, op.Type, op.From, op.To)
			}
			if err != nil {
				return batchError(i, op, err)
			}
			out[i] = r
		}
		if key != nil && !key.done {
			return s.settle(ctx, tx, key, "batch", "")
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	return out, nil
}

// checkOp checks what can be checked of an operation before the
// transaction.
func checkOp(by cg.Principal, op cg.BatchOp) error {
	switch op.Operation {
	case cg.ChangeCreate:
		if op.Entity == nil {
			return cg.Errorf(cg.EINVALID, "a create needs the entity's input")
		}
		return checkCreate(by, op.Entity, op.Source)
	case cg.ChangeUpdate:
		if op.Entity == nil {
			return cg.Errorf(cg.EINVALID, "an update needs the entity's input")
		}
		return cg.ValidateEntity(op.Entity)
	case cg.ChangeDelete:
		return nil
	case cg.ChangeLink:
		return op.Source.Validate()
	case cg.ChangeUnlink:
		return nil
	}
	return cg.Errorf(cg.EINVALID, "unknown operation %q", op.Operation)
}

// batchError says which operation of a batch failed, keeping the code.
func batchError(i int, op cg.BatchOp, err error) error {
	return &wrapped{cg.Errorf(cg.ErrorCode(err), "operation %d (%s): %s; nothing of the batch was applied", i+1, op.Operation, cg.ErrorMessage(err)), err}
}
