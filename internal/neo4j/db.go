package neo4j

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// Config says how to reach Neo4j.
type Config struct {
	URI      string // bolt://, neo4j://, neo4j+s:// ...
	User     string
	Password string
	Database string // "" for the server's default database
	// OnQuery, when set, is called with every read statement before it is
	// sent: a hook for tracing, and for replaying a request's exact Cypher
	// straight through the driver in benchmarks.
	OnQuery func(cypher string, params map[string]any)
	// Observer, when set, is told of every statement, write transaction
	// and batch of written rows: the hook for metrics and request logs.
	Observer Observer
	// Bookmarks, when set, returns the bookmarks of earlier writes, perhaps
	// through other processes, that the statements run for ctx must see:
	// they wait until the database they reach holds those writes.
	Bookmarks func(ctx context.Context) []string
	// TxMetadata, when set, returns metadata to attach to the transactions
	// run for ctx (such as the request's id), which Neo4j shows in SHOW
	// TRANSACTIONS and its query log.
	TxMetadata func(ctx context.Context) map[string]any
	// MaxPoolSize bounds the connections the driver keeps; 0 means the
	// driver's default (100).
	MaxPoolSize int
}

// Observer is told what the DB does. Its methods must be quick and safe
// for concurrent use; ctx is the caller's, so it carries the request.
type Observer interface {
	// Statement is called as a statement is sent, in mode "read" or
	// "write", with its text and parameters (to be named, never recorded:
	// they hold the data); done is called once the statement is answered,
	// with the error if any.
	Statement(ctx context.Context, mode, cypher string, params map[string]any) (done func(err error))
	// WriteTransaction is called as a write transaction begins (it holds a
	// connection until it ends); done is called when it has ended, with
	// the bookmarks that name it, or the error that failed it.
	WriteTransaction(ctx context.Context) (done func(bookmarks []string, err error))
	// Wrote is called after a graph write's transaction commits, with the
	// number of rows (sources, nodes and relationships) it wrote.
	Wrote(ctx context.Context, rows int)
}

type noObserver struct{}

func (noObserver) Statement(context.Context, string, string, map[string]any) func(error) {
	return func(error) {}
}
func (noObserver) WriteTransaction(context.Context) func([]string, error) {
	return func([]string, error) {}
}
func (noObserver) Wrote(context.Context, int) {}

// DB is a connection pool to one Neo4j DBMS. Open one per process.
type DB struct {
	driver    neo4j.DriverWithContext
	database  string
	onQuery   func(cypher string, params map[string]any)
	observe   Observer
	bookmarks func(ctx context.Context) []string
	metadata  func(ctx context.Context) map[string]any
	queries   atomic.Int64
	poolSize  int
}

// Open creates the driver and verifies that the server answers and accepts
// the credentials; ctx bounds the wait.
func Open(ctx context.Context, c Config) (*DB, error) {
	var poolSize int
	driver, err := neo4j.NewDriverWithContext(c.URI, neo4j.BasicAuth(c.User, c.Password, ""),
		func(conf *config.Config) {
			conf.SocketConnectTimeout = 5 * time.Second
			conf.ConnectionAcquisitionTimeout = 10 * time.Second
			conf.MaxTransactionRetryTime = 5 * time.Second
			if c.MaxPoolSize > 0 {
				conf.MaxConnectionPoolSize = c.MaxPoolSize
			}
			poolSize = conf.MaxConnectionPoolSize
		})
	if err != nil {
		return nil, cg.Errorf(cg.EINVALID, "neo4j: %v", err)
	}
	if err := driver.VerifyConnectivity(ctx); err != nil {
		_ = driver.Close(context.Background())
		return nil, fmt.Errorf("cannot reach neo4j at %s: %w", c.URI, err)
	}
	db := &DB{driver: driver, database: c.Database, onQuery: c.OnQuery, observe: c.Observer, bookmarks: c.Bookmarks, metadata: c.TxMetadata, poolSize: poolSize}
	if db.observe == nil {
		db.observe = noObserver{}
	}
	return db, nil
}

// MaxPoolSize is the most connections the driver keeps open.
func (db *DB) MaxPoolSize() int { return db.poolSize }

// Close closes every connection.
func (db *DB) Close(ctx context.Context) error {
	return db.driver.Close(ctx)
}

// Ping checks that the server answers a query.
func (db *DB) Ping(ctx context.Context) error {
	_, err := db.read(ctx, "RETURN 1", nil)
	return err
}

// Queries returns how many Cypher statements this DB has sent, so tests can
// show that the round trips of a request do not grow with its rows.
func (db *DB) Queries() int64 { return db.queries.Load() }

// read runs one read statement with reader routing.
func (db *DB) read(ctx context.Context, cypher string, params map[string]any) (*neo4j.EagerResult, error) {
	db.queries.Add(1)
	if db.onQuery != nil {
		db.onQuery(cypher, params)
	}
	opts := []neo4j.ExecuteQueryConfigurationOption{neo4j.ExecuteQueryWithDatabase(db.database), neo4j.ExecuteQueryWithReadersRouting(),
		neo4j.ExecuteQueryWithTransactionConfig(db.txConfig(ctx))}
	if bm := db.waitFor(ctx); len(bm) > 0 {
		opts = append(opts, neo4j.ExecuteQueryWithBookmarkManager(neo4j.NewBookmarkManager(neo4j.BookmarkManagerConfig{InitialBookmarks: bm})))
	}
	done := db.observe.Statement(ctx, "read", cypher, params)
	res, err := neo4j.ExecuteQuery(ctx, db.driver, cypher, params, neo4j.EagerResultTransformer, opts...)
	done(err)
	return res, mapError(err)
}

// write runs fn in one managed write transaction, retried on transient
// errors, so fn must be idempotent.
func (db *DB) write(ctx context.Context, fn func(tx neo4j.ManagedTransaction) error) error {
	done := db.observe.WriteTransaction(ctx)
	session := db.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db.database, AccessMode: neo4j.AccessModeWrite,
		Bookmarks: db.waitFor(ctx)})
	defer session.Close(context.Background())
	_, err := session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return nil, fn(tx)
	}, db.txConfig(ctx))
	var bookmarks []string
	if err == nil {
		bookmarks = session.LastBookmarks()
	}
	done(bookmarks, err)
	return mapError(err)
}

// run sends one statement inside a write transaction and counts it.
func (db *DB) run(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) (neo4j.ResultWithContext, error) {
	db.queries.Add(1)
	done := db.observe.Statement(ctx, "write", cypher, params)
	res, err := tx.Run(ctx, cypher, params)
	done(err)
	return res, err
}

// waitFor returns the bookmarks the statements of ctx must see.
func (db *DB) waitFor(ctx context.Context) neo4j.Bookmarks {
	if db.bookmarks == nil {
		return nil
	}
	return db.bookmarks(ctx)
}

// txConfig passes the caller's deadline down to the server, so a slow query
// is stopped there too and not only abandoned by the client, and attaches
// the caller's metadata.
func (db *DB) txConfig(ctx context.Context) func(*neo4j.TransactionConfig) {
	return func(c *neo4j.TransactionConfig) {
		if db.metadata != nil {
			if m := db.metadata(ctx); len(m) > 0 {
				c.Metadata = m
			}
		}
		if d, ok := ctx.Deadline(); ok {
			if left := time.Until(d); left > 0 {
				c.Timeout = left
			} else {
				c.Timeout = time.Millisecond
			}
		}
	}
}

// mapError turns driver errors into domain errors; it is the one place that
// knows the driver's error types.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var e *cg.Error
	if errors.As(err, &e) {
		return err
	}
	var neoErr *neo4j.Neo4jError
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return &wrapped{cg.Errorf(cg.EUNAVAILABLE, "the request took too long and was stopped"), err}
	case errors.As(err, &neoErr) && neoErr.Code == "Neo.ClientError.Schema.ConstraintValidationFailed":
		return &wrapped{cg.Errorf(cg.ECONFLICT, "an entity with that id already exists"), err}
	case errors.As(err, &neoErr) && strings.HasPrefix(neoErr.Code, "Neo.ClientError.Transaction.InvalidBookmark"):
		return &wrapped{cg.Errorf(cg.EINVALID, "the bookmark sent is not one this database gave"), err}
	case errors.As(err, &neoErr) && neoErr.Code == "Neo.TransientError.Transaction.BookmarkTimeout":
		return &wrapped{cg.Errorf(cg.EUNAVAILABLE, "the write the bookmark names is not visible yet: try again"), err}
	case errors.As(err, &neoErr) && neoErr.Code == "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration":
		return &wrapped{cg.Errorf(cg.EUNAVAILABLE, "the request took too long and was stopped"), err}
	case neo4j.IsConnectivityError(err), neo4j.IsTransactionExecutionLimit(err):
		return &wrapped{cg.Errorf(cg.EUNAVAILABLE, "the database is unavailable"), err}
	}
	return fmt.Errorf("neo4j: %w", err)
}

// wrapped is a domain error that keeps the driver error behind it for logs.
type wrapped struct {
	domain *cg.Error
	cause  error
}

func (w *wrapped) Error() string { return w.domain.Error() + ": " + w.cause.Error() }

func (w *wrapped) Unwrap() []error { return []error{w.domain, w.cause} }

// Counts returns the number of nodes and relationships in the database.
func (db *DB) Counts(ctx context.Context) (nodes, rels int64, err error) {
	res, err := db.read(ctx, `
		CALL { MATCH (n) RETURN count(n) AS nodes }
		CALL { MATCH ()-[r]->() RETURN count(r) AS rels }
		RETURN nodes, rels`, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("counts: %w", err)
	}
	return res.Records[0].Values[0].(int64), res.Records[0].Values[1].(int64), nil
}
