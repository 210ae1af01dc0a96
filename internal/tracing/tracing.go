// Package tracing sends OpenTelemetry traces to an OTLP collector when one
// is configured, and does nothing otherwise: a span for each HTTP request,
// for its GraphQL operation and top-level resolvers, and for each Cypher
// statement, with the statement's text and its parameters' names, never
// their values.
package tracing

import (
	"context"
	"net/http"
	"sort"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/obs"
)

// name is the instrumentation scope of every span.
const name = "github.com/commissioning-graph/cgraph"

func tracer() trace.Tracer { return otel.Tracer(name) }

// Enabled says whether getenv configures an OTLP endpoint for traces
// (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT).
func Enabled(getenv func(string) string) bool {
	return getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "" || getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != ""
}

// Setup starts sending traces over OTLP/HTTP, configured by the standard
// OTEL_* variables (endpoint, headers, sampler, batch delay), and installs
// the W3C trace-context propagator, so that a caller's traceparent header
// makes the request's span its child. shutdown flushes the spans not yet
// sent.
func Setup(ctx context.Context, serviceName, version string) (shutdown func(context.Context) error, err error) {
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, err
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(
		semconv.ServiceName(serviceName), semconv.ServiceVersion(version)))
	if err != nil {
		return nil, err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return tp.Shutdown, nil
}

// Middleware gives each request a span, named by the route that served
// it, carrying the request id, client address and status code.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := otel.GetTextMapPropagator().Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := tracer().Start(ctx, "HTTP "+r.Method, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(
				semconv.HTTPRequestMethodKey.String(r.Method),
				semconv.URLPath(r.URL.Path),
				attribute.String("request.id", obs.ID(r.Context())),
				semconv.ClientAddress(obs.Client(r.Context())),
			))
		defer span.End()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r.WithContext(ctx))
		if route := obs.FromContext(ctx).Summary().Route; route != "" {
			span.SetName(route)
			span.SetAttributes(semconv.HTTPRoute(route))
		}
		span.SetAttributes(semconv.HTTPResponseStatusCode(sw.status))
		if sw.status >= 500 {
			span.SetStatus(codes.Error, http.StatusText(sw.status))
		}
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Extension is the gqlgen extension that gives the operation a span, and
// each top-level resolver (a query's or mutation's field) one inside it.
type Extension struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
	graphql.FieldInterceptor
} = Extension{}

// ExtensionName names the extension to gqlgen.
func (Extension) ExtensionName() string { return "OpenTelemetry" }

// Validate accepts any schema.
func (Extension) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation starts the operation's span; it ends when the
// response has been made.
func (Extension) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	opName, typ := oc.OperationName, ""
	if oc.Operation != nil {
		typ = string(oc.Operation.Operation)
		if opName == "" {
			opName = oc.Operation.Name
		}
	}
	spanName := "graphql " + typ
	if opName != "" {
		spanName += " " + opName
	}
	ctx, span := tracer().Start(ctx, spanName, trace.WithAttributes(
		attribute.String("graphql.operation.type", typ),
		attribute.String("graphql.operation.name", opName),
	))
	handler := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		res := handler(ctx)
		if res == nil || res.HasNext == nil || !*res.HasNext {
			if res != nil && len(res.Errors) > 0 {
				span.SetStatus(codes.Error, res.Errors[0].Message)
			}
			span.End()
		}
		return res
	}
}

// InterceptField gives top-level resolvers a span each.
func (Extension) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !fc.IsResolver || fc.Parent == nil || fc.Parent.Parent != nil {
		return next(ctx)
	}
	ctx, span := tracer().Start(ctx, fc.Object+"."+fc.Field.Name, trace.WithAttributes(
		attribute.String("graphql.field.path", fc.Path().String()),
	))
	defer span.End()
	v, err := next(ctx)
	if err != nil {
		span.SetStatus(codes.Error, gqlerror.WrapIfUnwrapped(err).Message)
	}
	return v, err
}

// Observer gives each Cypher statement a span, then tells next.
type Observer struct {
	// Next is told of everything as well.
	Next neo4j.Observer
	// Database names the database in spans; "" for the server's default.
	Database string
}

var _ neo4j.Observer = Observer{}

// Statement starts the statement's span: its text (parameterised, so it
// holds no data) and its parameters' names.
func (o Observer) Statement(ctx context.Context, mode, cypher string, params map[string]any) func(error) {
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	_, span := tracer().Start(ctx, "neo4j "+mode, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
		attribute.String("db.system.name", "neo4j"),
		attribute.String("db.namespace", o.Database),
		attribute.String("db.operation.name", mode),
		attribute.String("db.query.text", cypher),
		attribute.StringSlice("db.query.parameter.names", names),
	))
	next := o.Next.Statement(ctx, mode, cypher, params)
	return func(err error) {
		if err != nil {
			// Not the error's text: Neo4j's messages can quote values.
			span.SetStatus(codes.Error, "statement failed")
		}
		span.End()
		next(err)
	}
}

// WriteTransaction marks the write transaction's end on the current span.
func (o Observer) WriteTransaction(ctx context.Context) func([]string, error) {
	next := o.Next.WriteTransaction(ctx)
	return func(bookmarks []string, err error) {
		span := trace.SpanFromContext(ctx)
		if err != nil {
			span.AddEvent("write transaction failed")
		} else {
			span.AddEvent("write transaction committed")
		}
		next(bookmarks, err)
	}
}

// Wrote tells next.
func (o Observer) Wrote(ctx context.Context, rows int) { o.Next.Wrote(ctx, rows) }
