package graph

import (
	"context"
	"net/http"

	"github.com/99designs/gqlgen/graphql"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// IdempotencyHeader names the request header that makes a request's
// mutations exactly-once. One key covers the request: each mutation field
// gets the key combined with its response name (its alias, or its name),
// so a document with several mutation fields retried with the same key
// replays each of them, and no field's key is another's.
const IdempotencyHeader = "Idempotency-Key"

type idempotencyHeader struct{}

// readIdempotencyKey puts the request's key, when it sent one, in ctx; ok
// is false (and the request refused) when the key is malformed.
func readIdempotencyKey(w http.ResponseWriter, r *http.Request, ctx context.Context) (context.Context, bool) {
	key := r.Header.Get(IdempotencyHeader)
	if key == "" {
		return ctx, true
	}
	if err := cg.ValidateIdempotencyKey(key); err != nil {
		refuse(w, r, http.StatusBadRequest, "INVALID", cg.ErrorMessage(err))
		return ctx, false
	}
	return context.WithValue(ctx, idempotencyHeader{}, key), true
}

// keyMutations gives each mutation field of a request with an
// Idempotency-Key its own key.
func keyMutations(ctx context.Context, next graphql.Resolver) (any, error) {
	if key, _ := ctx.Value(idempotencyHeader{}).(string); key != "" {
		if fc := graphql.GetFieldContext(ctx); fc != nil && fc.Object == "Mutation" && fc.Field.Field != nil {
			ctx = cg.WithIdempotencyKey(ctx, key+"\x00"+fc.Field.Alias)
		}
	}
	return next(ctx)
}
