package graph

import (
	"context"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

type authErrorKey struct{}

// authenticate reads the request's bearer token: a valid one puts its
// principal in the context, an invalid one the reason it was refused, and
// none leaves the request anonymous.
func authenticate(ctx context.Context, r *http.Request, v Verifier) context.Context {
	h := r.Header.Get("Authorization")
	if h == "" {
		return ctx
	}
	scheme, token, ok := strings.Cut(h, " ")
	var err error
	var p cg.Principal
	switch {
	case !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "":
		err = cg.Errorf(cg.EUNAUTHORIZED, `the Authorization header must be "Bearer <token>"`)
	case v == nil:
		err = cg.Errorf(cg.EUNAUTHORIZED, "this server accepts no tokens")
	default:
		p, err = v.Verify(strings.TrimSpace(token))
	}
	if err != nil {
		return context.WithValue(ctx, authErrorKey{}, err)
	}
	return cg.NewContext(ctx, p)
}

// authorize refuses, before anything is resolved, an operation whose token
// was refused, and a query without a token when reads need a viewer; the
// error presenter logs the refusal. The rights of each write are checked by
// the store, in its transaction.
func authorize(opts Options, present graphql.ErrorPresenterFunc) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		err, _ := ctx.Value(authErrorKey{}).(error)
		if err == nil && opts.ReadsNeedViewer && !isMutation(ctx) {
			err = cg.PrincipalFrom(ctx).MayRead()
		}
		if err == nil {
			return next(ctx)
		}
		return func(ctx context.Context) *graphql.Response {
			return &graphql.Response{Errors: gqlerror.List{present(ctx, err)}}
		}
	}
}

// isMutation reports whether ctx belongs to a mutation operation.
func isMutation(ctx context.Context) bool {
	if !graphql.HasOperationContext(ctx) {
		return false
	}
	op := graphql.GetOperationContext(ctx).Operation
	return op != nil && op.Operation == ast.Mutation
}
