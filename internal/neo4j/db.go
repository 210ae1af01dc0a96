package neo4j

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"syscall"
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
	health    *breaker
}

// Open creates the driver and verifies that the server answers and accepts
// the credentials; ctx bounds the wait.
func Open(ctx context.Context, c Config) (*DB, error) {
	var poolSize int
	driver, err := neo4j.NewDriverWithContext(c.URI, neo4j.BasicAuth(c.User, c.Password, ""),
		func(conf *config.Config) {
			poolConfig(conf)
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
	db.health = newBreaker(func(ctx context.Context) error { return driver.VerifyConnectivity(ctx) })
	return db, nil
}

// MaxPoolSize is the most connections the driver keeps open.
func (db *DB) MaxPoolSize() int { return db.poolSize }

// poolConfig sets the driver's pool so that a request learns fast that the
// database is gone and the pool heals by itself once it is back:
//
//   - SocketConnectTimeout 1 s: Neo4j sits on loopback or a LAN, where a
//     connection opens in milliseconds; one that takes a second is to a
//     host that is not answering.
//   - ConnectionAcquisitionTimeout 3 s: the wait for a free connection of
//     a full pool (100) under a burst, and the connect itself.
//   - MaxTransactionRetryTime 1 s: the driver retries ExecuteQuery reads on
//     transient errors with a backoff that starts at 1 s; against a
//     database that is down, that loop is what made requests wait out
//     their whole timeout. One retry is enough to replace a stale pooled
//     connection (the first I/O error closes every idle connection to that
//     server); anything longer is the breaker's job. Writes run their own
//     loop (see write).
//   - ConnectionLivenessCheckTimeout 10 s: a connection idle for longer is
//     checked with a round trip before use, so one that a proxy or a
//     firewall dropped silently fails there, not in the middle of a
//     request. Under load connections are reused within milliseconds and
//     never checked.
//   - MaxConnectionLifetime 30 min: connections are replaced from time to
//     time, so a server-side change (a restart behind a load balancer)
//     is picked up without an error.
func poolConfig(conf *config.Config) {
	conf.SocketConnectTimeout = time.Second
	conf.ConnectionAcquisitionTimeout = 3 * time.Second
	conf.MaxTransactionRetryTime = time.Second
	conf.ConnectionLivenessCheckTimeout = 10 * time.Second
	conf.MaxConnectionLifetime = 30 * time.Minute
}

// Close stops the health probe and closes every connection.
func (db *DB) Close(ctx context.Context) error {
	db.health.stop()
	return db.driver.Close(ctx)
}

// Available reports whether the database is believed to be up: false from
// a connection failure until a background probe reaches it again.
func (db *DB) Available() bool { return db.health.up() }

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
	if err := db.health.check(); err != nil {
		return nil, err
	}
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
	if err != nil && isConnectionError(err) && ctx.Err() == nil {
		db.health.fail()
	}
	return res, mapError(err)
}

// tx is a transaction a write function runs statements in.
type tx interface {
	Run(ctx context.Context, cypher string, params map[string]any) (neo4j.ResultWithContext, error)
}

// Writes are retried for this long on transient errors (a deadlock, a
// leader switch), and at most writeAttempts times.
const (
	writeRetryTime = 3 * time.Second
	writeAttempts  = 5
)

// write runs fn in one write transaction and commits it. It retries fn in a
// new transaction on errors that mean nothing was written (a transient
// error, a stale connection), so fn must start from what it reads. A
// connection lost while committing is not retried: the change may or may
// not have been made, and write says so with EOUTCOMEUNKNOWN.
func (db *DB) write(ctx context.Context, fn func(tx tx) error) (err error) {
	return db.writeWaiting(ctx, commitTimeout, fn)
}

// writeWaiting is write with a wait for the commit's answer other than
// commitTimeout, for a transaction whose commit does much work (an import
// run's publish).
func (db *DB) writeWaiting(ctx context.Context, wait time.Duration, fn func(tx tx) error) (err error) {
	var bookmarks []string
	observed := db.observe.WriteTransaction(ctx)
	defer func() { observed(bookmarks, err) }()
	start := time.Now()
	for attempt := 1; ; attempt++ {
		if err := db.health.check(); err != nil {
			return err
		}
		var committing bool
		bookmarks, err, committing = db.writeOnce(ctx, wait, fn)
		if err == nil {
			return nil
		}
		var domain *cg.Error
		if errors.As(err, &domain) {
			return err
		}
		conn := isConnectionError(err)
		if committing && (conn || errors.Is(err, context.DeadlineExceeded)) {
			if conn {
				db.health.fail()
			}
			return &wrapped{cg.Errorf(cg.EOUTCOMEUNKNOWN,
				"the connection to the database was lost while the change was being committed, so it may or may not have been made; send the request again with the same Idempotency-Key to find out"), err}
		}
		again := ctx.Err() == nil && attempt < writeAttempts && time.Since(start) < writeRetryTime
		switch {
		case conn && again && attempt == 1: // a stale pooled connection: try a fresh one at once
			continue
		case conn:
			if ctx.Err() == nil {
				db.health.fail()
			}
		case again && retryable(err):
			if sleep(ctx, time.Duration(attempt)*50*time.Millisecond) == nil {
				continue
			}
		}
		return mapError(err)
	}
}

// writeOnce runs fn in a transaction and commits it, and returns the
// bookmarks of the commit; committing says whether an error came from the
// commit.
func (db *DB) writeOnce(ctx context.Context, wait time.Duration, fn func(tx tx) error) (bookmarks []string, err error, committing bool) {
	session := db.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db.database, AccessMode: neo4j.AccessModeWrite,
		Bookmarks: db.waitFor(ctx)})
	defer session.Close(context.Background())
	t, err := session.BeginTransaction(ctx, db.txConfig(ctx))
	if err != nil {
		return nil, err, false
	}
	if err := fn(t); err != nil {
		_ = t.Rollback(context.WithoutCancel(ctx))
		return nil, err, false
	}
	// Once sent, a commit is waited for even when the request's context
	// ends meanwhile: the server commits it or not regardless, and only
	// the answer tells which. Abandoning it would turn a known outcome
	// into an unknown one (and let an abandoned import's last chunk land
	// after its run was cleared).
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), wait)
	defer cancel()
	if err := t.Commit(cctx); err != nil {
		return nil, err, true
	}
	return session.LastBookmarks(), nil, true
}

// commitTimeout bounds the wait for a commit's answer: far longer than a
// commit of maxRows rows takes.
const commitTimeout = 10 * time.Second

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// run sends one statement inside a write transaction and counts it.
func (db *DB) run(ctx context.Context, tx tx, cypher string, params map[string]any) (neo4j.ResultWithContext, error) {
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
// knows the driver's error types. No driver text reaches the message: it
// stays behind the domain error, for logs.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var e *cg.Error
	if errors.As(err, &e) {
		return err
	}
	var neoErr *neo4j.Neo4jError
	isNeo := errors.As(err, &neoErr)
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return &wrapped{cg.Errorf(cg.EUNAVAILABLE, "the request took too long and was stopped"), err}
	case isNeo && neoErr.Code == "Neo.ClientError.Schema.ConstraintValidationFailed":
		return &wrapped{cg.Errorf(cg.ECONFLICT, "an entity with that id already exists"), err}
	case isNeo && strings.HasPrefix(neoErr.Code, "Neo.ClientError.Transaction.InvalidBookmark"):
		return &wrapped{cg.Errorf(cg.EINVALID, "the bookmark sent is not one this database gave"), err}
	case isNeo && neoErr.Code == "Neo.TransientError.Transaction.BookmarkTimeout":
		return &wrapped{cg.Errorf(cg.EUNAVAILABLE, "the write the bookmark names is not visible yet: try again"), err}
	case isNeo && neoErr.Code == "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
		isNeo && neoErr.Code == "Neo.ClientError.Transaction.TransactionTimedOut":
		return &wrapped{cg.Errorf(cg.EUNAVAILABLE, "the request took too long and was stopped"), err}
	case isNeo && neoErr.Code == "Neo.ClientError.Statement.ArgumentError" && strings.Contains(neoErr.Msg, "Property value is too large to index"):
		return &wrapped{cg.Errorf(cg.EINVALID, "a value is too long to be stored"), err}
	case isNeo && strings.HasPrefix(neoErr.Code, "Neo.ClientError.Security."):
		return &wrapped{cg.Errorf(cg.EUNAVAILABLE, "the database refused this service's credentials"), err}
	case isConnectionError(err):
		return &wrapped{cg.Errorf(cg.EUNAVAILABLE, "the database is unavailable; try again in a few seconds"), err}
	}
	return fmt.Errorf("neo4j: %w", err)
}

// isConnectionError reports whether err means the database could not be
// reached or the connection broke: the driver's connectivity and pool
// errors (also when wrapped), its retry limit, a socket error, and the
// server's own transient errors (shutting down, database unavailable).
func isConnectionError(err error) bool {
	var (
		connErr  *neo4j.ConnectivityError
		limitErr *neo4j.TransactionExecutionLimit
		netErr   net.Error
		neoErr   *neo4j.Neo4jError
	)
	switch {
	case errors.As(err, &connErr), errors.As(err, &limitErr), errors.As(err, &netErr),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, net.ErrClosed):
		return true
	case errors.As(err, &neoErr):
		return neoErr.Code == "Neo.TransientError.General.DatabaseUnavailable" ||
			strings.HasPrefix(neoErr.Code, "Neo.TransientError.Cluster.")
	}
	// The pool's own errors (a timeout waiting for a connection, a closed
	// pool) are of internal types; their text is all there is.
	msg := err.Error()
	return strings.Contains(msg, "Timeout while waiting for connection") || strings.Contains(msg, "pool closed") ||
		strings.Contains(msg, "connection refused") || strings.Contains(msg, "broken pipe")
}

// retryable reports whether a write that failed with err wrote nothing and
// may succeed when run again.
func retryable(err error) bool {
	var neoErr *neo4j.Neo4jError
	return errors.As(err, &neoErr) && neoErr.IsRetriable()
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
