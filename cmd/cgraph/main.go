// Command cgraph serves the commissioning knowledge graph over GraphQL and
// seeds it from the founding minute.
//
//	cgraph serve [-seed-if-empty]   serve GraphQL, GraphiQL, /healthz, /readyz
//	cgraph seed                     write the minute's facts (idempotent)
//	cgraph generate -authorities N -seed S
//	                                write a synthetic multi-authority graph
//	cgraph token -sub S -role R [-authority A] [-ttl D]
//	                                mint an HS256 bearer token with AUTH_JWT_SECRET
//	cgraph import ocds FILE...      import OCDS files, one transaction each
//	cgraph ingest [-url U] [-authority A] [-accept] FILE...
//	                                ingest council documents and propose their facts
//	cgraph extract [-out DIR] FILE...
//	                                print the facts a document states (no database)
//	cgraph eval DIR                 score extraction on a labelled set
//	cgraph extract [-out DIR] FILE... facts of council documents as JSON
//	cgraph eval DIR                 score extraction on a labelled set
//
// Configuration comes from the environment; see README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/commissioning-graph/cgraph/graph"
	"github.com/commissioning-graph/cgraph/internal/auth"
	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/document"
	"github.com/commissioning-graph/cgraph/internal/generate"
	"github.com/commissioning-graph/cgraph/internal/metrics"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/obs"
	"github.com/commissioning-graph/cgraph/internal/ocds"
	"github.com/commissioning-graph/cgraph/internal/seed"
	"github.com/commissioning-graph/cgraph/internal/server"
	"github.com/commissioning-graph/cgraph/internal/tracing"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first signal starts a graceful stop; a second one ends the
	// process at once.
	go func() { <-ctx.Done(); stop() }()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "cgraph:", err)
		os.Exit(1)
	}
}

// serveGCPercent is the garbage collector's target for `serve` when GOGC is
// not set. A request allocates much and keeps little, and the live heap is
// tens of megabytes, so letting the heap grow to five times the live data
// before collecting (Go's default is twice) spends far less CPU on
// collection for little memory.
const serveGCPercent = 400

// config is the environment the commands read, with defaults.
type config struct {
	port            string
	neo4j           neo4j.Config
	connectTimeout  time.Duration
	origins         []string
	graphql         graph.Options
	jwtSecret       []byte
	logger          *slog.Logger
	adminAddr       string
	drainDelay      time.Duration
	shutdownTimeout time.Duration
	tracing         bool
	serviceName     string
	trustedProxies  []netip.Prefix
	ingestMaxBytes  int64
}

func loadConfig(getenv func(string) string, stderr io.Writer) (config, error) {
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	c := config{
		port: env("PORT", "8080"),
		neo4j: neo4j.Config{
			URI:      env("NEO4J_URI", "bolt://127.0.0.1:7687"),
			User:     env("NEO4J_USER", "neo4j"),
			Password: env("NEO4J_PASSWORD", "commissioning-dev"),
			Database: env("NEO4J_DATABASE", ""),
		},
		graphql: graph.DefaultOptions,
	}
	var err error
	if c.logger, err = newLogger(stderr, env("LOG_FORMAT", "auto"), env("LOG_LEVEL", "info")); err != nil {
		return c, err
	}
	c.graphql.Logger = c.logger
	switch addr, set := lookupEnv(getenv, "ADMIN_ADDR"); {
	case !set:
		c.adminAddr = "127.0.0.1:9090"
	case addr != "off":
		c.adminAddr = addr
	}
	if c.drainDelay, err = time.ParseDuration(env("SHUTDOWN_DRAIN_DELAY", "5s")); err != nil {
		return c, fmt.Errorf("SHUTDOWN_DRAIN_DELAY: %w", err)
	}
	if c.shutdownTimeout, err = time.ParseDuration(env("SHUTDOWN_TIMEOUT", "15s")); err != nil {
		return c, fmt.Errorf("SHUTDOWN_TIMEOUT: %w", err)
	}
	if c.neo4j.MaxPoolSize, err = strconv.Atoi(env("NEO4J_MAX_POOL_SIZE", "100")); err != nil || c.neo4j.MaxPoolSize < 1 {
		return c, fmt.Errorf("NEO4J_MAX_POOL_SIZE: want a positive number, got %q", getenv("NEO4J_MAX_POOL_SIZE"))
	}
	if c.graphql.APQCacheSize, err = strconv.Atoi(env("APQ_CACHE_SIZE", "1000")); err != nil || c.graphql.APQCacheSize < 0 {
		return c, fmt.Errorf("APQ_CACHE_SIZE: want 0 (off) or a positive number, got %q", getenv("APQ_CACHE_SIZE"))
	}
	if c.graphql.APQCacheSize == 0 {
		c.graphql.APQCacheSize = -1 // off
	}
	if c.trustedProxies, err = server.ParsePrefixes(getenv("TRUSTED_PROXIES")); err != nil {
		return c, fmt.Errorf("TRUSTED_PROXIES: %w", err)
	}
	c.tracing = tracing.Enabled(getenv)
	c.serviceName = env("OTEL_SERVICE_NAME", "cgraph")
	if path := getenv("ALLOWED_OPERATIONS"); path != "" {
		if c.graphql.AllowedOperations, err = graph.LoadAllowedOperations(path); err != nil {
			return c, fmt.Errorf("ALLOWED_OPERATIONS: %w", err)
		}
	}
	if c.connectTimeout, err = time.ParseDuration(env("NEO4J_CONNECT_TIMEOUT", "30s")); err != nil {
		return c, fmt.Errorf("NEO4J_CONNECT_TIMEOUT: %w", err)
	}
	if c.graphql.Timeout, err = time.ParseDuration(env("REQUEST_TIMEOUT", "10s")); err != nil {
		return c, fmt.Errorf("REQUEST_TIMEOUT: %w", err)
	}
	if c.graphql.ComplexityLimit, err = strconv.Atoi(env("COMPLEXITY_LIMIT", "20000")); err != nil {
		return c, fmt.Errorf("COMPLEXITY_LIMIT: %w", err)
	}
	if c.graphql.MaxFieldDepth, err = strconv.Atoi(env("MAX_DEPTH", "15")); err != nil {
		return c, fmt.Errorf("MAX_DEPTH: %w", err)
	}
	if c.graphql.TokenLimit, err = strconv.Atoi(env("TOKEN_LIMIT", "5000")); err != nil {
		return c, fmt.Errorf("TOKEN_LIMIT: %w", err)
	}
	if c.graphql.MaxBodyBytes, err = strconv.ParseInt(env("MAX_BODY_BYTES", "1048576"), 10, 64); err != nil {
		return c, fmt.Errorf("MAX_BODY_BYTES: %w", err)
	}
	if c.graphql.Introspection, err = strconv.ParseBool(env("INTROSPECTION", "true")); err != nil {
		return c, fmt.Errorf("INTROSPECTION: %w", err)
	}
	c.graphql.CursorKey = []byte(getenv("CURSOR_SECRET"))
	if c.graphql.ImportMaxBytes, err = strconv.ParseInt(env("IMPORT_MAX_BYTES", strconv.Itoa(ocds.DefaultMaxBytes)), 10, 64); err != nil {
		return c, fmt.Errorf("IMPORT_MAX_BYTES: %w", err)
	}
	if c.ingestMaxBytes, err = strconv.ParseInt(env("INGEST_MAX_BYTES", strconv.Itoa(document.DefaultMaxBytes)), 10, 64); err != nil {
		return c, fmt.Errorf("INGEST_MAX_BYTES: %w", err)
	}
	c.graphql.IngestMaxBytes = c.ingestMaxBytes
	if c.graphql.MaxStringBytes, err = strconv.Atoi(env("MAX_STRING_BYTES", strconv.Itoa(graph.DefaultMaxStringBytes))); err != nil {
		return c, fmt.Errorf("MAX_STRING_BYTES: %w", err)
	}
	switch reads := env("AUTH_READS", "open"); reads {
	case "open", "viewer":
		c.graphql.ReadsNeedViewer = reads == "viewer"
	default:
		return c, fmt.Errorf("AUTH_READS: %q is not open or viewer", reads)
	}
	c.jwtSecret = []byte(getenv("AUTH_JWT_SECRET"))
	if c.graphql.Verifier, err = auth.NewVerifierFromEnv(getenv); err != nil {
		return c, err
	}
	for _, o := range strings.Split(env("CORS_ALLOWED_ORIGINS", "http://localhost:8080,http://127.0.0.1:8080"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.origins = append(c.origins, o)
		}
	}
	return c, nil
}

// lookupEnv tells a variable set to "" from one not set; getenv alone
// cannot, so an empty value counts as set only when the real environment
// says so.
func lookupEnv(getenv func(string) string, key string) (string, bool) {
	if v := getenv(key); v != "" {
		return v, true
	}
	_, set := os.LookupEnv(key)
	return "", set
}

// newLogger makes the process's logger: JSON lines when stderr is not a
// terminal (format "auto"), or the format asked for ("json", "text").
func newLogger(stderr io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("LOG_LEVEL: %q is not debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "auto":
		if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			return slog.New(slog.NewTextHandler(stderr, opts)), nil
		}
		return slog.New(slog.NewJSONHandler(stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(stderr, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(stderr, opts)), nil
	}
	return nil, fmt.Errorf("LOG_FORMAT: %q is not auto, json or text", format)
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	c, err := loadConfig(getenv, stderr)
	if err != nil {
		return err
	}
	switch cmd {
	case "serve":
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(stderr)
		seedIfEmpty := fs.Bool("seed-if-empty", false, "write the minute's facts when the graph does not hold them yet")
		if err := fs.Parse(args); err != nil {
			return err
		}
		if getenv("GOGC") == "" {
			debug.SetGCPercent(serveGCPercent)
		}
		return serve(ctx, c, *seedIfEmpty, stdout)
	case "generate":
		fs := flag.NewFlagSet("generate", flag.ContinueOnError)
		fs.SetOutput(stderr)
		o := generate.Options{}
		fs.IntVar(&o.Authorities, "authorities", 50, "how many synthetic authorities")
		fs.Int64Var(&o.Seed, "seed", 1, "random seed: the same seed gives the same graph")
		fs.IntVar(&o.Months, "months", 36, "months of monthly caseload observations per service")
		batch := fs.Int("batch", 10, "authorities written per transaction")
		if err := fs.Parse(args); err != nil {
			return err
		}
		if o.Authorities < 1 || *batch < 1 || o.Months < 0 {
			return fmt.Errorf("generate: -authorities and -batch must be at least 1, -months at least 0")
		}
		db, err := open(ctx, c)
		if err != nil {
			return err
		}
		defer db.Close(context.Background())
		return writeGenerated(ctx, neo4j.NewStore(db), o, *batch, stdout)
	case "seed":
		db, err := open(ctx, c)
		if err != nil {
			return err
		}
		defer db.Close(context.Background())
		return writeSeed(ctx, db, stdout)
	case "token":
		return mintToken(c, args, stdout, stderr)
	case "import":
		return importFiles(ctx, c, args, getenv, stdout, stderr)
	case "ingest":
		return ingestFiles(ctx, c, args, getenv, stdout, stderr)
	case "extract":
		return extractFiles(args, stdout, stderr)
	case "eval":
		return evalDir(args, stdout, stderr)
	case "send":
		return send(ctx, args, getenv, stdout, stderr)
	}
	return fmt.Errorf("unknown command %q (want serve, seed, generate, token, import, ingest, extract, eval or send)", cmd)
}

// open connects to Neo4j and applies constraints and indexes.
func open(ctx context.Context, c config) (*neo4j.DB, error) {
	octx, cancel := context.WithTimeout(ctx, c.connectTimeout)
	defer cancel()
	db, err := neo4j.Open(octx, c.neo4j)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(octx); err != nil {
		db.Close(context.Background())
		return nil, err
	}
	return db, nil
}

// writeSeed ingests the minute like any document, with its review, and
// accepts its claims; when the graph holds it already nothing changes.
func writeSeed(ctx context.Context, db *neo4j.DB, stdout io.Writer) error {
	res, err := seed.Write(ctx, neo4j.NewStore(db))
	if err != nil {
		return err
	}
	if res.Unchanged {
		fmt.Fprintf(stdout, "the minute is in the graph already (%s)\n", res.Document.ID)
		return nil
	}
	a := res.Accepted
	fmt.Fprintf(stdout, "seeded the minute: %s, %d passages, %d claims accepted: %d entities and %d relationships written\n",
		res.Document.ID, res.Passages, res.Claims, a.EntitiesCreated+a.EntitiesUpdated, a.LinksCreated)
	return nil
}

// writeGenerated writes a synthetic graph in batches of authorities, each
// batch one transaction of UNWIND writes.
func writeGenerated(ctx context.Context, store *neo4j.Store, o generate.Options, batch int, stdout io.Writer) error {
	start := time.Now()
	var nodes, edges int
	for from := 0; from < o.Authorities; from += batch {
		g := generate.Batch(o, from, min(from+batch, o.Authorities))
		if err := store.WriteGraph(ctx, g); err != nil {
			return fmt.Errorf("generate authorities %d-%d: %w", from, min(from+batch, o.Authorities)-1, err)
		}
		nodes += len(g.Nodes) + len(g.Sources)
		edges += len(g.Edges)
		for _, n := range g.Nodes {
			edges += len(n.SourceIDs)
		}
	}
	took := time.Since(start)
	fmt.Fprintf(stdout, "generated %d synthetic authorities (seed %d): %d node rows and %d relationship rows written in %s (%.0f per second; providers shared by batches are written once per batch)\n",
		o.Authorities, o.Seed, nodes, edges, took.Round(time.Millisecond), float64(nodes+edges)/took.Seconds())
	return nil
}

func serve(ctx context.Context, c config, seedIfEmpty bool, stdout io.Writer) error {
	m := metrics.New()
	c.neo4j.Observer = m
	c.neo4j.Bookmarks = bookmarksOf
	c.neo4j.TxMetadata = requestMetadata
	var middleware func(http.Handler) http.Handler
	if c.tracing {
		flush, err := tracing.Setup(ctx, c.serviceName, version())
		if err != nil {
			return fmt.Errorf("tracing: %w", err)
		}
		defer func() {
			fctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := flush(fctx); err != nil {
				c.logger.Warn("tracing: spans not sent at shutdown", "err", err)
			}
		}()
		c.neo4j.Observer = tracing.Observer{Next: m, Database: c.neo4j.Database}
		c.graphql.Extensions = append(c.graphql.Extensions, tracing.Extension{})
		middleware = tracing.Middleware
	}
	db, err := open(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	m.SetPoolSize(db.MaxPoolSize())
	store := neo4j.NewStore(db)
	// Imports a killed process left unfinished, which no reader sees, and
	// idempotency keys past their lifetime.
	if err := store.Sweep(ctx, neo4j.StaleImportRun); err != nil {
		fmt.Fprintf(stdout, "sweep: %s (serving anyway; the next import sweeps again)\n", cg.ErrorMessage(err))
	}

	if seedIfEmpty {
		if err := writeSeed(ctx, db, stdout); err != nil {
			return err
		}
	}

	var admin *http.Server
	if c.adminAddr != "" {
		aln, err := net.Listen("tcp", c.adminAddr)
		if err != nil {
			return fmt.Errorf("ADMIN_ADDR: %w", err)
		}
		admin = &http.Server{Handler: adminHandler(m), ReadHeaderTimeout: 5 * time.Second}
		fmt.Fprintf(stdout, "serving metrics at http://%s/metrics and pprof at /debug/pprof/\n", aln.Addr())
		go func() {
			if err := admin.Serve(aln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				c.logger.Error("admin listener", "err", err)
			}
		}()
	}

	ln, err := net.Listen("tcp", ":"+c.port)
	if err != nil {
		return err
	}
	var draining atomic.Bool
	srv := &http.Server{
		Handler: server.New(server.Config{AllowedOrigins: c.origins, Playground: true, Dashboard: true,
			Logger: c.logger, Recorder: m, Draining: draining.Load, Middleware: middleware,
			TrustedProxies: c.trustedProxies},
			graph.NewHandler(store, c.graphql), db),
		ReadHeaderTimeout: 5 * time.Second,
	}
	fmt.Fprintf(stdout, "serving GraphiQL at http://localhost:%d/, the dashboard at /dashboard/ and GraphQL at /graphql (neo4j %s)\n",
		ln.Addr().(*net.TCPAddr).Port, c.neo4j.URI)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Go unready first, so that load balancers stop sending requests, and
	// keep serving those that still come for the drain delay; then stop
	// listening and let the requests in flight finish, within a bound.
	draining.Store(true)
	srv.SetKeepAlivesEnabled(false)
	c.logger.Info("draining", "delay", c.drainDelay.String(), "timeout", c.shutdownTimeout.String())
	time.Sleep(c.drainDelay)
	shutdown, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	err = srv.Shutdown(shutdown)
	if admin != nil {
		_ = admin.Shutdown(shutdown)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	fmt.Fprintln(stdout, "stopped")
	return nil
}

// version is the module version the binary was built from, or "dev".
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// adminHandler serves the metrics and Go's profiles, for operators only.
func adminHandler(m *metrics.Metrics) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// requestMetadata names the request in the metadata of its Neo4j
// transactions, so that SHOW TRANSACTIONS (and Neo4j's query log, where it
// keeps one) tie a slow statement to the request's log line.
func requestMetadata(ctx context.Context) map[string]any {
	if id := obs.ID(ctx); id != "" {
		return map[string]any{"request_id": id}
	}
	return nil
}

// bookmarksOf is the bookmark a request asks its reads to wait for.
func bookmarksOf(ctx context.Context) []string {
	if b := obs.FromContext(ctx).WaitFor(); b != "" {
		return []string{b}
	}
	return nil
}
