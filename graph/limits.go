package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/commissioning-graph/cgraph/graph/generated"
	"github.com/commissioning-graph/cgraph/internal/obs"
)

// fanOut is the cost multiplier of a relationship list with no page size:
// a guess at how many rows it returns.
const fanOut = 10

// costByPageSize makes the cost of a field that returns many rows its
// children's cost times the rows it may return: first, last or limit when
// given (or their defaults), and fanOut for the unpaged relationship lists
// of entities. Lists inside an answer already counted that way (a
// connection's edges, a subgraph's nodes) add nothing more. gqlgen's
// complexity limit then bounds the rows a query can ask for, not just its
// fields.
func costByPageSize(cfg *generated.Config, schema *ast.Schema) {
	root := reflect.ValueOf(&cfg.Complexity).Elem()
	for _, def := range schema.Types {
		typ := root.FieldByName(def.Name)
		if !typ.IsValid() || typ.Kind() != reflect.Struct {
			continue
		}
		entity := slices.Contains(def.Interfaces, "Node")
		for _, field := range def.Fields {
			fn := typ.FieldByName(goName(field.Name))
			if !fn.IsValid() || fn.Kind() != reflect.Func {
				continue
			}
			size := pageSizeArg(field)
			if size < 0 && (field.Type.Elem == nil || !entity) {
				continue // one object, or a list already paid for
			}
			fn.Set(reflect.MakeFunc(fn.Type(), func(args []reflect.Value) []reflect.Value {
				child := int(args[0].Int())
				n := fanOut
				if size >= 0 {
					n = DefaultPage
					if d := field.Arguments[size].DefaultValue; d != nil {
						fmt.Sscan(d.Raw, &n)
					}
					if p, ok := args[1+size].Interface().(*int); ok && p != nil {
						n = *p
					}
				}
				return []reflect.Value{reflect.ValueOf(1 + child*max(n, 1))}
			}))
		}
	}
}

// pageSizeArg returns the position of a field's first, last or limit
// argument, or -1.
func pageSizeArg(f *ast.FieldDefinition) int {
	for i, a := range f.Arguments {
		if a.Name == "first" || a.Name == "limit" {
			return i
		}
	}
	for i, a := range f.Arguments {
		if a.Name == "last" {
			return i
		}
	}
	return -1
}

func goName(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// depthLimit refuses operations nested deeper than max fields.
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                          { return "DepthLimit" }
func (depthLimit) Validate(schema graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if depth := selectionDepth(op.Operation.SelectionSet); depth > d.max {
		err := gqlerror.Errorf("the query is %d fields deep; the limit is %d", depth, d.max)
		errcode.Set(err, "DEPTH_LIMIT_EXCEEDED")
		return err
	}
	return nil
}

// selectionDepth is the deepest chain of fields in set, through fragments
// (which validation has already checked for cycles).
func selectionDepth(set ast.SelectionSet) int {
	deepest := 0
	for _, s := range set {
		var d int
		switch s := s.(type) {
		case *ast.Field:
			d = 1 + selectionDepth(s.SelectionSet)
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				d = selectionDepth(s.Definition.SelectionSet)
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// checkBody reads the request body within the size limit and refuses one
// that is too large or not UTF-8 before gqlgen sees it, so both get a clear
// error instead of a decoding failure or silently replaced characters.
func checkBody(w http.ResponseWriter, r *http.Request, limit int64) bool {
	if r.Method == http.MethodGet {
		if !utf8.ValidString(r.URL.RawQuery) || !utf8.ValidString(r.URL.Query().Get("query")) {
			refuse(w, r, http.StatusBadRequest, "INVALID", "the query is not valid UTF-8")
			return false
		}
		return true
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		refuse(w, r, http.StatusRequestEntityTooLarge, "REQUEST_TOO_LARGE", fmt.Sprintf("the request body is larger than %d bytes", limit))
		return false
	case err != nil:
		refuse(w, r, http.StatusBadRequest, "INVALID", "the request body could not be read")
		return false
	case !utf8.Valid(body):
		refuse(w, r, http.StatusBadRequest, "INVALID", "the request body is not valid UTF-8")
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return true
}

func refuse(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	obs.FromContext(r.Context()).AddError(code)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []any{map[string]any{"message": message, "extensions": map[string]any{"code": code}}},
	})
}

// noIntrospection refuses schema queries with a code when introspection is
// switched off (gqlgen would otherwise fail them without one).
type noIntrospection struct{}

func (noIntrospection) ExtensionName() string                          { return "NoIntrospection" }
func (noIntrospection) Validate(schema graphql.ExecutableSchema) error { return nil }

func (noIntrospection) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	for _, f := range graphql.CollectFields(op, op.Operation.SelectionSet, nil) {
		if f.Name == "__schema" || f.Name == "__type" {
			err := gqlerror.Errorf("introspection is switched off on this server")
			errcode.Set(err, "INTROSPECTION_DISABLED")
			return err
		}
	}
	return nil
}
