package neo4j

import (
	"context"
	"errors"
	"fmt"
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
}

// DB is a connection pool to one Neo4j DBMS. Open one per process.
type DB struct {
	driver   neo4j.DriverWithContext
	database string
	onQuery  func(cypher string, params map[string]any)
	queries  atomic.Int64
}

// Open creates the driver and verifies that the server answers and accepts
// the credentials; ctx bounds the wait.
func Open(ctx context.Context, c Config) (*DB, error) {
	driver, err := neo4j.NewDriverWithContext(c.URI, neo4j.BasicAuth(c.User, c.Password, ""),
		func(conf *config.Config) {
			conf.SocketConnectTimeout = 5 * time.Second
			conf.ConnectionAcquisitionTimeout = 10 * time.Second
			conf.MaxTransactionRetryTime = 5 * time.Second
		})
	if err != nil {
		return nil, cg.Errorf(cg.EINVALID, "neo4j: %v", err)
	}
	if err := driver.VerifyConnectivity(ctx); err != nil {
		_ = driver.Close(context.Background())
		return nil, fmt.Errorf("cannot reach neo4j at %s: %w", c.URI, err)
	}
	return &DB{driver: driver, database: c.Database, onQuery: c.OnQuery}, nil
}

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
	res, err := neo4j.ExecuteQuery(ctx, db.driver, cypher, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(db.database), neo4j.ExecuteQueryWithReadersRouting(),
		neo4j.ExecuteQueryWithTransactionConfig(txTimeout(ctx)))
	return res, mapError(err)
}

// write runs fn in one managed write transaction, retried on transient
// errors, so fn must be idempotent.
func (db *DB) write(ctx context.Context, fn func(tx neo4j.ManagedTransaction) error) error {
	session := db.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db.database, AccessMode: neo4j.AccessModeWrite})
	defer session.Close(context.Background())
	_, err := session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return nil, fn(tx)
	}, txTimeout(ctx))
	return mapError(err)
}

// run sends one statement inside a write transaction and counts it.
func (db *DB) run(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) (neo4j.ResultWithContext, error) {
	db.queries.Add(1)
	return tx.Run(ctx, cypher, params)
}

// txTimeout passes the caller's deadline down to the server, so a slow query
// is stopped there too and not only abandoned by the client.
func txTimeout(ctx context.Context) func(*neo4j.TransactionConfig) {
	return func(c *neo4j.TransactionConfig) {
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
