package graph

import (
	"context"
	"reflect"

	"github.com/99designs/gqlgen/graphql"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// DefaultMaxStringBytes bounds each string argument when
// Options.MaxStringBytes is zero: the same bound the domain puts on text
// fields, below what Neo4j can index.
const DefaultMaxStringBytes = cg.MaxTextBytes

// unbounded lists the arguments that carry a whole document, bounded by a
// limit of their own (Options.ImportMaxBytes), as Object.field.argument.
var unbounded = map[string]bool{"Mutation.importOcds.document": true, "Mutation.ingestDocument.input": true}

// boundStrings refuses, before the resolver runs, a field whose arguments
// hold a string longer than limit bytes, wherever the string sits: in the
// query text or in a variable, at the top or deep inside an input object
// or list.
func boundStrings(limit int) graphql.FieldMiddleware {
	return func(ctx context.Context, next graphql.Resolver) (any, error) {
		fc := graphql.GetFieldContext(ctx)
		if fc != nil && fc.IsResolver && len(fc.Args) > 0 {
			for name, v := range fc.Args {
				if unbounded[fc.Object+"."+fc.Field.Name+"."+name] {
					continue
				}
				if n := longestString(reflect.ValueOf(v), 0); n > limit {
					return nil, cg.Errorf(cg.EINVALID, "argument %s of %s holds a text of %d bytes; the limit is %d", name, fc.Field.Name, n, limit)
				}
			}
		}
		return next(ctx)
	}
}

// longestString returns the length of the longest string in v, looking
// through pointers, interfaces, structs, slices and maps (to a depth that
// any real input stays within).
func longestString(v reflect.Value, depth int) int {
	if depth > 64 || !v.IsValid() {
		return 0
	}
	longest := 0
	switch v.Kind() {
	case reflect.String:
		return v.Len()
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return longestString(v.Elem(), depth+1)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				longest = max(longest, longestString(v.Field(i), depth+1))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			longest = max(longest, longestString(v.Index(i), depth+1))
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			longest = max(longest, longestString(it.Key(), depth+1), longestString(it.Value(), depth+1))
		}
	}
	return longest
}
