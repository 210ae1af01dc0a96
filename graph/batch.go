package graph

import (
	"context"

	"github.com/commissioning-graph/cgraph/graph/model"
	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// batch converts a batch's operations and applies them as the request's
// principal.
func batch(ctx context.Context, w cg.BatchWriter, operations []*model.BatchOperation) ([]*cg.BatchResult, error) {
	ops := make([]cg.BatchOp, len(operations))
	for i, o := range operations {
		op, err := batchOp(o)
		if err != nil {
			return nil, cg.Errorf(cg.EINVALID, "operation %d: %s", i+1, cg.ErrorMessage(err))
		}
		ops[i] = op
	}
	res, err := w.ApplyBatch(ctx, cg.PrincipalFrom(ctx), ops)
	if err != nil {
		return nil, err
	}
	out := make([]*cg.BatchResult, len(res))
	for i := range res {
		out[i] = &res[i]
	}
	return out, nil
}

// batchOp turns one operation, of which exactly one field is set, into the
// domain's.
func batchOp(o *model.BatchOperation) (cg.BatchOp, error) {
	var ops []cg.BatchOp
	if c := o.Create; c != nil {
		e, err := oneEntity(batchCreateEntities(c))
		if err != nil {
			return cg.BatchOp{}, err
		}
		ops = append(ops, cg.BatchOp{Operation: cg.ChangeCreate, Entity: e, Source: c.Source})
	}
	if u := o.Update; u != nil {
		e, err := oneEntity(batchUpdateEntities(u))
		if err != nil {
			return cg.BatchOp{}, err
		}
		ops = append(ops, cg.BatchOp{Operation: cg.ChangeUpdate, Entity: e, Version: u.Version})
	}
	if d := o.Delete; d != nil {
		ops = append(ops, cg.BatchOp{Operation: cg.ChangeDelete, ID: d.ID, Version: d.Version})
	}
	if l := o.Link; l != nil {
		ops = append(ops, cg.BatchOp{Operation: cg.ChangeLink, Type: l.Type, From: l.From, To: l.To, Source: l.Source})
	}
	if l := o.Unlink; l != nil {
		ops = append(ops, cg.BatchOp{Operation: cg.ChangeUnlink, Type: l.Type, From: l.From, To: l.To})
	}
	if len(ops) != 1 {
		return cg.BatchOp{}, cg.Errorf(cg.EINVALID, "set exactly one of create, update, delete, link and unlink, not %d", len(ops))
	}
	return ops[0], nil
}

// oneEntity returns the one entity input a BatchCreate or BatchUpdate sets.
func oneEntity(found []cg.Entity) (cg.Entity, error) {
	if len(found) != 1 {
		return nil, cg.Errorf(cg.EINVALID, "give the fields of exactly one kind of entity, not %d", len(found))
	}
	return found[0], nil
}
