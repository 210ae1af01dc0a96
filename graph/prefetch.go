package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// prefetch loads, level by level, every relationship field that sel asks of
// ents and primes the request's loaders with the answers, so that the
// resolvers that follow find them there: the path of selections that do
// not compile (see compile), at one store call per relationship field per
// level, whether a page holds one row or five hundred; the loaders' own
// batching is the fallback for fields reached in ways prefetch does not
// follow.
func prefetch(ctx context.Context, r *Resolver, ents []cg.Entity, sel ast.SelectionSet) error {
	if len(ents) == 0 || len(sel) == 0 {
		return nil
	}
	op := graphql.GetOperationContext(ctx)
	loaders := loadersFrom(ctx)
	byLabel := map[cg.Label][]string{}
	for _, e := range ents {
		byLabel[e.EntityLabel()] = append(byLabel[e.EntityLabel()], e.EntityID())
	}
	for label, ids := range byLabel {
		for _, f := range graphql.CollectFields(op, sel, []string{string(label), "Node"}) {
			var hop cg.Hop
			switch f.Name {
			case "sources":
				hop = cg.Out(cg.RelSourcedFrom, cg.LabelSource)
			case "relationships":
				if err := prefetchRelationships(ctx, r, op, ids, f); err != nil {
					return err
				}
				continue
			case "approvalRule", "approvalDeadline":
				rules, err := r.Store.FindApprovalRules(ctx, ids)
				if err != nil {
					return err
				}
				var found []cg.Entity
				for _, id := range ids {
					loaders.rules.Prime(id, rules[id])
					if rules[id] != nil {
						found = append(found, rules[id])
					}
				}
				if err := prefetch(ctx, r, found, f.Selections); err != nil {
					return err
				}
				continue
			default:
				var ok bool
				if hop, ok = cg.RelField(label, f.Name); !ok {
					continue
				}
			}
			links, err := r.Store.FindLinks(ctx, hop, ids)
			if err != nil {
				return err
			}
			var reached []cg.Entity
			for _, id := range ids {
				loaders.links.Prime(linkKey{hop, id}, links[id])
				for _, l := range links[id] {
					reached = append(reached, l.Node)
				}
			}
			if err := prefetch(ctx, r, reached, f.Selections); err != nil {
				return err
			}
		}
	}
	return nil
}

// prefetchRelationships loads the relationships field of ids and what its
// selection asks of the entities and sources they reach.
func prefetchRelationships(ctx context.Context, r *Resolver, op *graphql.OperationContext, ids []string, f graphql.CollectedField) error {
	types := typesArg(op, f)
	key := cg.RelTypesKey(types)
	links, err := r.Store.FindAllLinks(ctx, ids, types)
	if err != nil {
		return err
	}
	loaders := loadersFrom(ctx)
	var reached []cg.Entity
	var sourceIDs []string
	for _, id := range ids {
		loaders.allLinks.Prime(allLinksKey{id, key}, links[id])
		for _, l := range links[id] {
			reached = append(reached, l.Node)
			sourceIDs = append(sourceIDs, l.SourceIDs...)
		}
	}
	for _, sub := range graphql.CollectFields(op, f.Selections, []string{"Relationship"}) {
		switch sub.Name {
		case "node":
			if err := prefetch(ctx, r, reached, sub.Selections); err != nil {
				return err
			}
		case "sources":
			found, err := r.Store.FindEntities(ctx, sourceIDs)
			if err != nil {
				return err
			}
			for id, e := range found {
				loaders.entities.Prime(id, e)
			}
		}
	}
	return nil
}

// edgeSelection returns what the connection field being resolved asks of
// its edges: the selection under edges { node { ... } }, and whether it asks
// for cursors, on the edges or in pageInfo. Cursors are signed, so they are
// made only when asked for.
func edgeSelection(ctx context.Context) (node ast.SelectionSet, cursors bool) {
	op := graphql.GetOperationContext(ctx)
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		switch f.Name {
		case "edges":
			for _, e := range graphql.CollectFields(op, f.Selections, nil) {
				switch e.Name {
				case "node":
					node = append(node, e.Selections...)
				case "cursor":
					cursors = true
				}
			}
		case "pageInfo":
			for _, p := range graphql.CollectFields(op, f.Selections, nil) {
				cursors = cursors || p.Name == "startCursor" || p.Name == "endCursor"
			}
		}
	}
	return node, cursors
}

// fieldSelection returns the selection of the field being resolved.
func fieldSelection(ctx context.Context) ast.SelectionSet {
	return graphql.GetFieldContext(ctx).Field.Selections
}

// plainString reads a RelType argument as ArgumentMap gives it: a string,
// or an enum value already turned into a RelType.
func plainString(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case cg.RelType:
		return string(s)
	}
	return ""
}

// compile returns what sel asks of the entities labelled l it applies to,
// for the store to answer with them in one statement; false when sel asks
// for what only prefetch follows: relationship fields of the sources of
// relationships (relationships { sources { supports { ... } } }).
// With partial, only the properties selected are read; otherwise whole
// entities, since what is primed in the loaders is shared by every field
// of the request and a loader keeps the first answer it is given.
func compile(op *graphql.OperationContext, l cg.Label, sel ast.SelectionSet, partial bool) (*cg.Fetch, bool) {
	f := &cg.Fetch{}
	if partial {
		f.Props = []string{}
	}
	props := cg.Props(l)
	all := !partial
	for _, field := range graphql.CollectFields(op, sel, []string{string(l), "Node"}) {
		var hop cg.Hop
		switch field.Name {
		case "__typename":
			continue
		case "relationships":
			rf, ok := compileRels(op, field, partial)
			if !ok {
				return nil, false
			}
			f.Rels = addRels(f.Rels, rf)
			continue
		case "approvalRule", "approvalDeadline":
			if l != cg.LabelContract {
				return nil, false
			}
			rule := &cg.Fetch{} // the deadline is computed from the whole rule
			if field.Name == "approvalRule" {
				var ok bool
				if rule, ok = compile(op, cg.LabelRule, field.Selections, partial); !ok {
					return nil, false
				}
			} else {
				f.Props = append(f.Props, "endDate")
			}
			if f.Rule == nil {
				f.Rule = rule
			} else {
				f.Rule = mergeFetch(f.Rule, rule)
			}
			continue
		case "sources":
			hop = cg.Out(cg.RelSourcedFrom, cg.LabelSource)
		default:
			if _, ok := props[field.Name]; ok {
				f.Props = append(f.Props, field.Name)
				continue
			}
			var ok bool
			if hop, ok = cg.RelField(l, field.Name); !ok {
				// Computed from the entity by a resolver: read all of it.
				all = true
				continue
			}
		}
		lf := cg.LinkFetch{Hop: hop}
		var ok bool
		if hop.Label == "" {
			lf.Any, ok = compileAny(op, field.Selections, partial)
		} else {
			lf.Next, ok = compile(op, hop.Label, field.Selections, partial)
		}
		if !ok {
			return nil, false
		}
		f.Links = addLink(f.Links, lf)
	}
	if all {
		f.Props = nil
	}
	return f, true
}

// typesArg reads the types argument of a relationships field.
func typesArg(op *graphql.OperationContext, f graphql.CollectedField) []cg.RelType {
	var types []cg.RelType
	if v, ok := f.ArgumentMap(op.Variables)["types"].([]any); ok {
		for _, t := range v {
			types = append(types, cg.RelType(plainString(t)))
		}
	}
	return types
}

// compileRels returns what a relationships field asks for.
func compileRels(op *graphql.OperationContext, f graphql.CollectedField, partial bool) (cg.RelsFetch, bool) {
	rf := cg.RelsFetch{Types: typesArg(op, f)}
	for _, sub := range graphql.CollectFields(op, f.Selections, []string{"Relationship"}) {
		var ok bool
		switch sub.Name {
		case "node":
			if rf.Nodes, ok = compileAny(op, sub.Selections, partial); !ok {
				return rf, false
			}
		case "sources":
			// The sources are read whole: their fields follow nothing.
			src, ok := compile(op, cg.LabelSource, sub.Selections, partial)
			if !ok || len(src.Links) > 0 || len(src.Rels) > 0 {
				return rf, false
			}
			rf.Sources = true
		}
	}
	return rf, true
}

// compileAny returns what sel asks of an entity of any label: the fetch
// of each label whose fragments follow relationships; the others are read
// whole.
func compileAny(op *graphql.OperationContext, sel ast.SelectionSet, partial bool) (cg.Fetches, bool) {
	fs := cg.Fetches{}
	for _, l := range cg.Labels {
		f, ok := compile(op, l, sel, partial)
		if !ok {
			return nil, false
		}
		if len(f.Links) > 0 || f.Rule != nil || len(f.Rels) > 0 {
			fs[l] = f
		}
	}
	return fs, true
}

// addRels adds rf to rels, merged with the one of the same types.
func addRels(rels []cg.RelsFetch, rf cg.RelsFetch) []cg.RelsFetch {
	for i := range rels {
		if cg.RelTypesKey(rels[i].Types) == cg.RelTypesKey(rf.Types) {
			rels[i].Sources = rels[i].Sources || rf.Sources
			rels[i].Nodes = mergeFetches(rels[i].Nodes, rf.Nodes)
			return rels
		}
	}
	return append(rels, rf)
}

// addLink adds lf to links, merged with the fetch of the same hop when
// there is one (a field asked twice under different aliases).
func addLink(links []cg.LinkFetch, lf cg.LinkFetch) []cg.LinkFetch {
	for i := range links {
		if links[i].Hop == lf.Hop {
			if lf.Hop.Label == "" {
				links[i].Any = mergeFetches(links[i].Any, lf.Any)
			} else {
				links[i].Next = mergeFetch(links[i].Next, lf.Next)
			}
			return links
		}
	}
	return append(links, lf)
}

// mergeFetches returns the fetches that ask for what a and b ask.
func mergeFetches(a, b cg.Fetches) cg.Fetches {
	out := cg.Fetches{}
	for l, f := range a {
		out[l] = f
	}
	for l, f := range b {
		if out[l] == nil {
			out[l] = f
		} else {
			out[l] = mergeFetch(out[l], f)
		}
	}
	return out
}

// mergeFetch returns the fetch that asks for what a and b ask.
func mergeFetch(a, b *cg.Fetch) *cg.Fetch {
	out := &cg.Fetch{Links: append([]cg.LinkFetch{}, a.Links...), Rule: a.Rule}
	if a.Props != nil && b.Props != nil {
		out.Props = append(append([]string{}, a.Props...), b.Props...)
	}
	for _, lf := range b.Links {
		out.Links = addLink(out.Links, lf)
	}
	out.Rels = append([]cg.RelsFetch{}, a.Rels...)
	for _, rf := range b.Rels {
		out.Rels = addRels(out.Rels, rf)
	}
	switch {
	case out.Rule == nil:
		out.Rule = b.Rule
	case b.Rule != nil:
		out.Rule = mergeFetch(out.Rule, b.Rule)
	}
	return out
}

// compiling is whether selections are compiled; tests turn it off to
// compare answers with the level-by-level path.
var compiling = true

// compiledFetch returns the fetch for the entities labelled l that the
// field being resolved returns, with the selection sel asked of each; nil
// when the selection cannot be compiled.
func compiledFetch(ctx context.Context, l cg.Label, sel ast.SelectionSet) *cg.Fetch {
	op := graphql.GetOperationContext(ctx)
	f, ok := compile(op, l, sel, singleRoot(op))
	if !ok || !compiling {
		return nil
	}
	return f
}

// compiledFetches returns what the field being resolved, which returns an
// entity labelled l (of any label when l is empty), asks of it with sel;
// nil when sel cannot be compiled.
func compiledFetches(ctx context.Context, l cg.Label, sel ast.SelectionSet) cg.Fetches {
	if l != "" {
		if f := compiledFetch(ctx, l, sel); f != nil {
			return cg.Fetches{l: f}
		}
		return nil
	}
	op := graphql.GetOperationContext(ctx)
	fs, ok := compileAny(op, sel, singleRoot(op))
	if !ok || !compiling {
		return nil
	}
	return fs
}

// singleRoot reports whether the operation has one root field: only then
// are partial entities primed, see compile.
func singleRoot(op *graphql.OperationContext) bool {
	return len(graphql.CollectFields(op, op.Operation.SelectionSet, nil)) == 1
}

// prime gives the request's loaders what a compiled fetch read, so that
// the resolvers below find every answer there.
func prime(ctx context.Context, fetched cg.Fetched) {
	loaders := loadersFrom(ctx)
	for k, links := range fetched.Links {
		loaders.links.Prime(linkKey{k.Hop, k.ID}, links)
	}
	for id, rule := range fetched.Rules {
		loaders.rules.Prime(id, rule)
	}
	for k, links := range fetched.Rels {
		loaders.allLinks.Prime(allLinksKey{k.ID, k.Types}, links)
	}
	for id, src := range fetched.Sources {
		loaders.entities.Prime(id, src)
	}
}
