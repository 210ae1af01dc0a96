package graph

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/commissioning-graph/cgraph/graph/generated"
	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/obs"
)

// Options are the limits and switches of the GraphQL endpoint.
type Options struct {
	// Timeout bounds each request, down to the Neo4j transaction.
	Timeout time.Duration
	// MaxBodyBytes bounds the size of a request body.
	MaxBodyBytes int64
	// ComplexityLimit bounds the cost of one operation (gqlgen's count of
	// fields, multiplied through lists).
	ComplexityLimit int
	// MaxFieldDepth bounds how deeply fields may nest.
	MaxFieldDepth int
	// TokenLimit bounds the tokens the parser reads from one query.
	TokenLimit int
	// Introspection lets clients such as GraphiQL read the schema.
	Introspection bool
	// Logger receives internal errors, recovered panics, and refused
	// tokens and writes.
	Logger *slog.Logger
	// CursorKey signs list cursors; a random key is used when empty, so
	// cursors then last as long as the process.
	CursorKey []byte
	// Verifier checks bearer tokens; nil refuses every token.
	Verifier Verifier
	// ReadsNeedViewer refuses queries from requests without a valid token
	// (AUTH_READS=viewer); otherwise anyone may read.
	ReadsNeedViewer bool
	// ImportMaxBytes bounds the OCDS document importOcds accepts.
	ImportMaxBytes int64
	// IngestMaxBytes bounds the document ingestDocument accepts.
	IngestMaxBytes int64
	// MaxStringBytes bounds every string argument, in the query or in a
	// variable (DefaultMaxStringBytes when zero).
	MaxStringBytes int
	// APQCacheSize bounds how many automatic persisted queries are kept
	// (least recently used first out); 0 means DefaultOptions', below 0
	// turns persisted queries off.
	APQCacheSize int
	// AllowedOperations, when not empty, are the only operations served,
	// keyed by their QueryHash (see LoadAllowedOperations).
	AllowedOperations map[string]string
	// Extensions are more gqlgen extensions to use, such as tracing.
	Extensions []graphql.HandlerExtension
}

// Verifier turns a bearer token into the principal it names.
type Verifier interface {
	Verify(token string) (cg.Principal, error)
}

// DefaultOptions are the options used when a field is left zero.
var DefaultOptions = Options{
	Timeout:         10 * time.Second,
	MaxBodyBytes:    1 << 20,
	ComplexityLimit: 20000,
	MaxFieldDepth:   15,
	TokenLimit:      5000,
	Introspection:   true,
	Logger:          slog.Default(),
	APQCacheSize:    1000,
}

// NewHandler returns the GraphQL endpoint over store: GET and POST, with
// per-request loaders, a timeout, limits, and errors presented with codes.
func NewHandler(store Store, opts Options) http.Handler {
	if opts.Timeout == 0 {
		opts.Timeout = DefaultOptions.Timeout
	}
	if opts.MaxBodyBytes == 0 {
		opts.MaxBodyBytes = DefaultOptions.MaxBodyBytes
	}
	if opts.ComplexityLimit == 0 {
		opts.ComplexityLimit = DefaultOptions.ComplexityLimit
	}
	if opts.MaxFieldDepth == 0 {
		opts.MaxFieldDepth = DefaultOptions.MaxFieldDepth
	}
	if opts.TokenLimit == 0 {
		opts.TokenLimit = DefaultOptions.TokenLimit
	}
	if opts.Logger == nil {
		opts.Logger = DefaultOptions.Logger
	}
	if opts.APQCacheSize == 0 {
		opts.APQCacheSize = DefaultOptions.APQCacheSize
	}

	if len(opts.CursorKey) == 0 {
		opts.CursorKey = make([]byte, 32)
		_, _ = rand.Read(opts.CursorKey)
	}

	resolver := &Resolver{Store: store, CursorKey: opts.CursorKey, ImportMaxBytes: opts.ImportMaxBytes, IngestMaxBytes: opts.IngestMaxBytes}
	cfg := generated.Config{Resolvers: resolver}
	setCosts(&cfg.Complexity)
	srv := handler.New(generated.NewExecutableSchema(cfg))
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if len(opts.AllowedOperations) > 0 {
		srv.Use(allowList{ops: opts.AllowedOperations, log: opts.Logger}) // before APQ: it may fill in the query
	}
	if opts.APQCacheSize > 0 {
		srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](opts.APQCacheSize)})
	}
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	} else {
		srv.Use(noIntrospection{})
	}
	srv.Use(depthLimit{max: opts.MaxFieldDepth}) // before cost: depth says more about a deep query
	srv.Use(extension.FixedComplexityLimit(opts.ComplexityLimit))
	srv.SetParserTokenLimit(opts.TokenLimit)
	if opts.MaxStringBytes <= 0 {
		opts.MaxStringBytes = DefaultMaxStringBytes
	}
	srv.Use(stringBound{limit: opts.MaxStringBytes})
	srv.AroundFields(keyMutations)
	present := errorPresenter(opts.Logger)
	srv.SetErrorPresenter(present)
	srv.AroundOperations(recordOperation)
	for _, e := range opts.Extensions {
		srv.Use(e)
	}
	srv.AroundOperations(authorize(opts, present))
	srv.AroundResponses(addBookmark)
	srv.SetRecoverFunc(func(ctx context.Context, v any) error {
		opts.Logger.Error("panic in resolver", "request_id", obs.ID(ctx), "panic", fmt.Sprint(v))
		return cg.Errorf(cg.EINTERNAL, "internal error")
	})

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !checkBody(w, r, opts.MaxBodyBytes) {
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), opts.Timeout)
		defer cancel()
		ctx = context.WithValue(ctx, loadersKey{}, NewLoaders(store))
		ctx = authenticate(ctx, r, opts.Verifier)
		ctx, ok := readIdempotencyKey(w, r, ctx)
		if !ok {
			return
		}
		sw := &specWriter{ResponseWriter: w}
		srv.ServeHTTP(sw, r.WithContext(ctx))
		sw.finish()
	})
}

// errorPresenter maps errors to what clients see: domain errors keep their
// message and carry their code in extensions.code; gqlgen's own parse and
// validation errors keep theirs; anything else is logged once, here, and
// reaches the client as "internal error".
func errorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		var domainErr *cg.Error
		switch {
		case errors.As(err, &domainErr):
			if domainErr.Code == cg.EINTERNAL {
				log.Error("graphql", "request_id", obs.ID(ctx), "path", gqlErr.Path.String(), "err", err)
			} else if domainErr.Code == cg.EUNAVAILABLE {
				log.Warn("graphql", "request_id", obs.ID(ctx), "path", gqlErr.Path.String(), "err", err)
			}
			denied := domainErr.Code == cg.EUNAUTHORIZED || domainErr.Code == cg.EFORBIDDEN
			if denied || isMutation(ctx) && domainErr.Code != cg.EINTERNAL && domainErr.Code != cg.EUNAVAILABLE {
				p := cg.PrincipalFrom(ctx)
				log.Warn("refused", "request_id", obs.ID(ctx), "client", obs.Client(ctx),
					"mutation", isMutation(ctx), "path", gqlErr.Path.String(), "code", domainErr.Code,
					"sub", p.Subject, "role", p.Role, "reason", domainErr.Message)
			}
			gqlErr.Message = domainErr.Message
			setCode(gqlErr, domainErr.Code)
		case gqlErr.Err == nil && gqlErr.Extensions["code"] != nil:
			// A parse, validation or complexity error from gqlgen.
		case gqlErr.Err == nil:
			setCode(gqlErr, cg.EINVALID)
		default:
			log.Error("graphql", "request_id", obs.ID(ctx), "path", gqlErr.Path.String(), "err", err)
			gqlErr.Message = "internal error"
			setCode(gqlErr, cg.EINTERNAL)
		}
		if code, ok := gqlErr.Extensions["code"].(string); ok {
			obs.FromContext(ctx).AddError(code)
		}
		return gqlErr
	}
}

func setCode(e *gqlerror.Error, code string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = strings.ToUpper(code)
}
