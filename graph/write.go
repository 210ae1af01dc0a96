package graph

import (
	"context"
	"errors"
	"time"

	"github.com/vikstrous/dataloadgen"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/ocds"
)

// create writes a new entity as the request's principal.
func create[T cg.Entity](ctx context.Context, w cg.EntityWriter, e T, src *cg.Provenance) (T, error) {
	out, err := w.CreateEntity(ctx, cg.PrincipalFrom(ctx), e, src)
	if err != nil {
		var zero T
		return zero, err
	}
	return out.(T), nil
}

// update replaces an entity's fields as the request's principal.
func update[T cg.Entity](ctx context.Context, w cg.EntityWriter, e T, version int) (T, error) {
	out, err := w.UpdateEntity(ctx, cg.PrincipalFrom(ctx), e, version)
	if err != nil {
		var zero T
		return zero, err
	}
	return out.(T), nil
}

// link adds a relationship as the request's principal.
func link(ctx context.Context, w cg.EntityWriter, t cg.RelType, from, to string, src *cg.Provenance) (*cg.Relationship, error) {
	l, err := w.LinkEntities(ctx, cg.PrincipalFrom(ctx), t, from, to, src)
	if err != nil {
		return nil, err
	}
	return &l, nil
}

// importOCDS maps an OCDS document and imports it as the request's
// principal; with skipInvalid the processes that have problems are left
// out and listed. The role is checked before the document is parsed, so a
// refused caller learns nothing about the document.
func importOCDS(ctx context.Context, w cg.EntityWriter, name, document string, maxBytes int64, skipInvalid bool) (*cg.ImportResult, error) {
	by := cg.PrincipalFrom(ctx)
	if err := by.MayAdminister(); err != nil {
		return nil, err
	}
	read, err := ocds.Read(name, []byte(document), ocds.Options{MaxBytes: maxBytes, SkipInvalid: skipInvalid})
	if err != nil {
		return nil, err
	}
	res, err := w.ImportGraph(ctx, by, read.Graph)
	if err != nil {
		return nil, err
	}
	res.Skipped = append(res.Skipped, read.Skipped...)
	if res.Skipped == nil {
		res.Skipped = []cg.SkippedProcess{}
	}
	return &res, nil
}

// changes reads a page of the audit trail. It names the people who made
// each change, so it needs a token even where reads are open.
func changes(ctx context.Context, s cg.ChangeStore, entityID, actor *string, since, until *time.Time, first *int, after *string) ([]*cg.Change, error) {
	if err := cg.PrincipalFrom(ctx).MayRead(); err != nil {
		return nil, cg.Errorf(cg.EUNAUTHORIZED, "the audit trail needs a bearer token of any role")
	}
	f := cg.ChangeFilter{Since: since, Until: until, Limit: 50}
	if first != nil {
		f.Limit = *first
	}
	if f.Limit < 1 || f.Limit > cg.MaxPage {
		return nil, cg.Errorf(cg.EINVALID, "first must be between 1 and %d, not %d", cg.MaxPage, f.Limit)
	}
	for dst, src := range map[*string]*string{&f.EntityID: entityID, &f.Actor: actor, &f.After: after} {
		if src != nil {
			*dst = *src
		}
	}
	return s.FindChanges(ctx, f)
}

// entityOrNil returns the entity with the given id, or nil when there is
// none (it was deleted).
func entityOrNil(ctx context.Context, id string) (cg.Entity, error) {
	e, err := loadersFrom(ctx).entities.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	return e, err
}

// duplicateCandidates lists likely duplicate organisations; admins only,
// since it is what mergeEntities acts on.
func duplicateCandidates(ctx context.Context, m cg.EntityMerger, label string, first *int) ([]*cg.DuplicateCandidate, error) {
	if err := cg.PrincipalFrom(ctx).MayAdminister(); err != nil {
		return nil, err
	}
	limit := 50
	if first != nil {
		limit = *first
	}
	found, err := m.FindDuplicateCandidates(ctx, cg.Label(label), limit)
	if err != nil {
		return nil, err
	}
	out := make([]*cg.DuplicateCandidate, len(found))
	for i := range found {
		out[i] = &found[i]
	}
	return out, nil
}
