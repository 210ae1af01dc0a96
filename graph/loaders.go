package graph

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/vikstrous/dataloadgen"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// Loaders batch the store calls of one request: every relationship field at
// one level of a query becomes one store call, however many rows it covers.
type Loaders struct {
	entities *dataloadgen.Loader[string, cg.Entity]
	links    *dataloadgen.Loader[linkKey, []cg.Relationship]
	allLinks *dataloadgen.Loader[allLinksKey, []cg.Relationship]
	rules    *dataloadgen.Loader[string, *cg.Rule]
}

type linkKey struct {
	hop cg.Hop
	id  string
}

type allLinksKey struct {
	id    string
	types string // comma-separated, sorted
}

// batchWait is how long a loader waits to gather keys before calling the
// store. Prefetching answers the fields it can follow before resolvers ask,
// so the loaders only batch what is left, and a short wait suffices.
const batchWait = time.Millisecond

// NewLoaders returns the loaders for one request over store.
func NewLoaders(store cg.EntityStore) *Loaders {
	opts := []dataloadgen.Option{dataloadgen.WithWait(batchWait), dataloadgen.WithBatchCapacity(1000)}
	return &Loaders{
		entities: dataloadgen.NewMappedLoader(store.FindEntities, opts...),
		links: dataloadgen.NewMappedLoader(func(ctx context.Context, keys []linkKey) (map[linkKey][]cg.Relationship, error) {
			byHop := map[cg.Hop][]string{}
			for _, k := range keys {
				byHop[k.hop] = append(byHop[k.hop], k.id)
			}
			out := make(map[linkKey][]cg.Relationship, len(keys))
			for hop, ids := range byHop {
				m, err := store.FindLinks(ctx, hop, ids)
				if err != nil {
					return nil, err
				}
				for _, id := range ids {
					out[linkKey{hop, id}] = m[id]
				}
			}
			return out, nil
		}, opts...),
		allLinks: dataloadgen.NewMappedLoader(func(ctx context.Context, keys []allLinksKey) (map[allLinksKey][]cg.Relationship, error) {
			byTypes := map[string][]string{}
			for _, k := range keys {
				byTypes[k.types] = append(byTypes[k.types], k.id)
			}
			out := make(map[allLinksKey][]cg.Relationship, len(keys))
			for types, ids := range byTypes {
				var rts []cg.RelType
				if types != "" {
					for _, t := range strings.Split(types, ",") {
						rts = append(rts, cg.RelType(t))
					}
				}
				m, err := store.FindAllLinks(ctx, ids, rts)
				if err != nil {
					return nil, err
				}
				for _, id := range ids {
					out[allLinksKey{id, types}] = m[id]
				}
			}
			return out, nil
		}, opts...),
		rules: dataloadgen.NewMappedLoader(store.FindApprovalRules, opts...),
	}
}

type loadersKey struct{}

func loadersFrom(ctx context.Context) *Loaders {
	return ctx.Value(loadersKey{}).(*Loaders)
}

// linked returns the entities reached from id by hop.
func linked[T cg.Entity](ctx context.Context, id string, hop cg.Hop) ([]T, error) {
	links, err := loadersFrom(ctx).links.Load(ctx, linkKey{hop, id})
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(links))
	for _, l := range links {
		if t, ok := l.Node.(T); ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// linkedOne returns the first entity reached from id by hop, or nil.
func linkedOne[T cg.Entity](ctx context.Context, id string, hop cg.Hop) (T, error) {
	var zero T
	all, err := linked[T](ctx, id, hop)
	if err != nil || len(all) == 0 {
		return zero, err
	}
	return all[0], nil
}

// sources returns the passages entity id rests on.
func sources(ctx context.Context, id string) ([]*cg.Source, error) {
	return linked[*cg.Source](ctx, id, cg.Out(cg.RelSourcedFrom, cg.LabelSource))
}

// relationships returns every relationship of id, or those of the given types.
func relationships(ctx context.Context, id string, types []cg.RelType) ([]*cg.Relationship, error) {
	links, err := loadersFrom(ctx).allLinks.Load(ctx, allLinksKey{id, cg.RelTypesKey(types)})
	return pointers(links), err
}

// entitiesByID returns the entities with the given ids, in that order,
// skipping ids that have none.
func entitiesByID[T cg.Entity](ctx context.Context, ids []string) ([]T, error) {
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		e, err := loadersFrom(ctx).entities.Load(ctx, id)
		if errors.Is(err, dataloadgen.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		if t, ok := e.(T); ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// byID returns the entity with the given id and label (any label when
// empty), or ENOTFOUND, and what the query asks of it: in one statement
// when its selection compiles, else prefetched level by level.
func byID[T cg.Entity](ctx context.Context, r *Resolver, label cg.Label, id string) (T, error) {
	var zero T
	if fs := compiledFetches(ctx, label, fieldSelection(ctx)); fs != nil {
		tree, err := r.Store.FindTree(ctx, label, id, fs)
		if err != nil {
			return zero, err
		}
		prime(ctx, tree.Fetched)
		if f := fs[tree.Entity.EntityLabel()]; f == nil || f.Props == nil {
			loadersFrom(ctx).entities.Prime(id, tree.Entity)
		}
		t, _ := tree.Entity.(T) // FindTree found it by label
		return t, nil
	}
	found, err := r.Store.FindEntities(ctx, []string{id})
	if err != nil {
		return zero, err
	}
	if t, ok := found[id].(T); ok {
		loadersFrom(ctx).entities.Prime(id, t)
		return t, prefetch(ctx, r, []cg.Entity{t}, fieldSelection(ctx))
	}
	if label == "" {
		label = "entity"
	}
	return zero, cg.Errorf(cg.ENOTFOUND, "no %s has id %q", label, id)
}

// approvalRule returns the approval rule of the authority buying contract id.
func approvalRule(ctx context.Context, id string) (*cg.Rule, error) {
	rule, err := loadersFrom(ctx).rules.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	return rule, err
}

// approvalDeadline computes when a successor to c needed approval under its
// buyer's approval rule.
func approvalDeadline(ctx context.Context, c *cg.Contract) (*cg.Date, error) {
	rule, err := approvalRule(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	return rule.ApprovalDeadline(c.EndDate), nil
}
