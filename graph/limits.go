package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/commissioning-graph/cgraph/graph/generated"
	"github.com/commissioning-graph/cgraph/graph/model"
	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/obs"
)

// fanOut is the cost multiplier of a relationship list with no page size:
// a guess at how many rows it returns.
const fanOut = 10

// The cost of a field that returns many rows is its children's cost times
// the rows it may return: first, last or limit when given (or their
// defaults), and fanOut for the unpaged lists of entities. Lists inside an
// answer already counted that way (a connection's edges, a subgraph's
// nodes) add nothing more. gqlgen's complexity limit then bounds the rows a
// query can ask for, not just its fields. The generated list fields get
// their costs in entities_gen.go; setCosts adds the hand-written ones.
func setCosts(c *generated.ComplexityRoot) {
	entityCosts(c)
	c.Query.Search = func(child int, _ string, _ []model.EntityType, first *int) int {
		return sizedCost(child, first, 20)
	}
	c.Query.Neighbourhood = func(child int, _ string, _ *int, _ []cg.RelType, limit *int) int {
		return sizedCost(child, limit, 200)
	}
	c.Query.Paths = func(child int, _, _ string, _ *int, first *int) int { return sizedCost(child, first, 5) }
	c.Query.Changes = func(child int, _, _ *string, _, _ *time.Time, first *int, _ *string) int {
		return sizedCost(child, first, 50)
	}
	c.Source.Supports = listCost
}

// pageCost is the cost of a page of first or last rows.
func pageCost(child int, first, last *int) int {
	if last != nil {
		return sizedCost(child, last, DefaultPage)
	}
	return sizedCost(child, first, DefaultPage)
}

// sizedCost is the cost of a list of n rows, def when n is not given.
func sizedCost(child int, n *int, def int) int {
	rows := def
	if n != nil {
		rows = *n
	}
	return 1 + child*max(rows, 1)
}

// listCost is the cost of an unpaged list of entities.
func listCost(child int) int { return 1 + child*fanOut }

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
