package graph

import (
	"context"
	"encoding/json"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// DefaultMaxStringBytes bounds each string argument when
// Options.MaxStringBytes is zero: the same bound the domain puts on text
// fields, below what Neo4j can index.
const DefaultMaxStringBytes = cg.MaxTextBytes

// wholeDocuments are the arguments of mutations that carry a whole
// document, bounded by limits of their own (ImportMaxBytes,
// IngestMaxBytes): per field, the argument and, for an input object, the
// fields of it that hold the document ("" for the argument itself).
var wholeDocuments = map[string]map[string][]string{
	"importOcds":     {"document": {""}},
	"ingestDocument": {"input": {"content", "contentBase64"}},
}

// stringBound refuses, before anything runs, an operation that holds a
// string longer than limit bytes anywhere in its arguments: in the query
// text or in a variable, at the top or deep inside an input object or
// list. It reads the parsed document and the decoded variables, once per
// operation.
type stringBound struct{ limit int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = stringBound{}

func (stringBound) ExtensionName() string                          { return "StringBound" }
func (stringBound) Validate(schema graphql.ExecutableSchema) error { return nil }

func (b stringBound) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	c := &boundCheck{limit: b.limit, exempt: map[string]map[string]bool{}, seen: map[string]bool{}}
	c.selections(op.Operation.SelectionSet, op.Operation.Operation == ast.Mutation)
	if c.err == nil {
		for name, v := range op.Variables {
			if keys, ok := c.exempt[name]; ok && keys[""] {
				continue
			}
			if n := longestIn(v, c.exempt[name]); n > b.limit {
				c.fail("variable $%s holds a text of %d bytes; the limit is %d", name, n, b.limit)
				break
			}
		}
	}
	return c.err
}

type boundCheck struct {
	limit int
	// exempt holds, per variable, the keys of it that carry a whole
	// document ("" for the whole variable).
	exempt map[string]map[string]bool
	seen   map[string]bool // fragments walked
	err    *gqlerror.Error
}

func (c *boundCheck) fail(format string, args ...any) {
	if c.err == nil {
		c.err = gqlerror.Errorf(format, args...)
		c.err.Extensions = map[string]any{"code": "INVALID"}
	}
}

func (c *boundCheck) selections(set ast.SelectionSet, top bool) {
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			for _, a := range s.Arguments {
				var keys []string
				if top {
					keys = wholeDocuments[s.Name][a.Name]
				}
				c.value(s.Name, a.Name, a.Value, keys)
			}
			c.selections(s.SelectionSet, false)
		case *ast.InlineFragment:
			c.selections(s.SelectionSet, top)
		case *ast.FragmentSpread:
			if s.Definition != nil && !c.seen[s.Name] {
				c.seen[s.Name] = true
				c.selections(s.Definition.SelectionSet, top)
			}
		}
	}
}

// value checks the strings written in v, an argument's value, and notes
// the variables that carry a whole document: exempt are the keys of v
// that may ("" for v itself).
func (c *boundCheck) value(field, arg string, v *ast.Value, exempt []string) {
	if v == nil {
		return
	}
	whole := contains(exempt, "")
	switch v.Kind {
	case ast.Variable:
		if len(exempt) > 0 {
			if c.exempt[v.Raw] == nil {
				c.exempt[v.Raw] = map[string]bool{}
			}
			for _, k := range exempt {
				c.exempt[v.Raw][k] = true
			}
		}
	case ast.StringValue, ast.BlockValue:
		if !whole && len(v.Raw) > c.limit {
			c.fail("argument %s of %s holds a text of %d bytes; the limit is %d", arg, field, len(v.Raw), c.limit)
		}
	case ast.ListValue:
		for _, child := range v.Children {
			c.value(field, arg, child.Value, nil)
		}
	case ast.ObjectValue:
		for _, child := range v.Children {
			var sub []string
			if whole || contains(exempt, child.Name) {
				sub = []string{""}
			}
			c.value(field, arg, child.Value, sub)
		}
	}
}

// longestIn returns the length of the longest string in a decoded JSON
// variable, leaving out the top-level keys skip.
func longestIn(v any, skip map[string]bool) int {
	switch x := v.(type) {
	case string:
		return len(x)
	case json.Number:
		return len(x)
	case []any:
		n := 0
		for _, e := range x {
			n = max(n, longestIn(e, nil))
		}
		return n
	case map[string]any:
		n := 0
		for k, e := range x {
			if skip[k] {
				continue
			}
			n = max(n, len(k), longestIn(e, nil))
		}
		return n
	}
	return 0
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}
