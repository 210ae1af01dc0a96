// Package obs carries what the service observes about one request — its id,
// the client's address, the GraphQL operation, the Cypher statements sent,
// the error codes returned — from the HTTP edge, where it is made and
// logged, to the GraphQL handler and the Neo4j hook, which fill it in.
package obs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// Request is what is known of one request. Its methods are safe for
// concurrent use (resolvers run in parallel) and do nothing on nil, so code
// that runs outside a request need not check.
type Request struct {
	// ID names the request in logs and in the X-Request-Id response header.
	ID string
	// Client is the address the request came from.
	Client string
	// Start is when the edge received the request.
	Start time.Time

	mu         sync.Mutex
	operation  string
	opType     string
	statements int
	codes      []string
	bookmark   string
	waitFor    string
	route      string
}

type key struct{}

// NewContext returns ctx carrying r.
func NewContext(ctx context.Context, r *Request) context.Context {
	return context.WithValue(ctx, key{}, r)
}

// FromContext returns the request ctx carries, or nil.
func FromContext(ctx context.Context) *Request {
	r, _ := ctx.Value(key{}).(*Request)
	return r
}

// ID returns the id of the request ctx carries, or "".
func ID(ctx context.Context) string {
	if r := FromContext(ctx); r != nil {
		return r.ID
	}
	return ""
}

// Client returns the client address of the request ctx carries, or "".
func Client(ctx context.Context) string {
	if r := FromContext(ctx); r != nil {
		return r.Client
	}
	return ""
}

// SetOperation records the GraphQL operation's name ("" when anonymous) and
// type (query, mutation, subscription).
func (r *Request) SetOperation(name, typ string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.operation, r.opType = name, typ
	r.mu.Unlock()
}

// AddStatement counts one Cypher statement sent for the request.
func (r *Request) AddStatement() {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.statements++
	r.mu.Unlock()
}

// AddError records the code of one error returned to the client.
func (r *Request) AddError(code string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.codes = append(r.codes, code)
	r.mu.Unlock()
}

// SetBookmark records the Neo4j bookmark of the request's last write.
func (r *Request) SetBookmark(b string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.bookmark = b
	r.mu.Unlock()
}

// SetRoute records the pattern of the route that served the request.
func (r *Request) SetRoute(pattern string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.route = pattern
	r.mu.Unlock()
}

// SetWaitFor records the bookmark of an earlier write that the request's
// reads must see.
func (r *Request) SetWaitFor(b string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.waitFor = b
	r.mu.Unlock()
}

// WaitFor is the bookmark the request's reads must see, or "".
func (r *Request) WaitFor() string {
	if r == nil {
		return ""
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.waitFor
}

// Summary is a snapshot of a Request.
type Summary struct {
	Operation, OpType string
	Statements        int
	// Codes are the error codes returned, in order, with repeats.
	Codes    []string
	Bookmark string
	// Route is the pattern of the route that served the request, or "".
	Route string
}

// Summary returns what has been recorded so far.
func (r *Request) Summary() Summary {
	if r == nil {
		return Summary{}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return Summary{Operation: r.operation, OpType: r.opType, Statements: r.statements,
		Codes: append([]string(nil), r.codes...), Bookmark: r.bookmark, Route: r.route}
}

// Outcome is "ok" when no error was returned, else the first error's code.
func (s Summary) Outcome() string {
	if len(s.Codes) == 0 {
		return "ok"
	}
	return s.Codes[0]
}

// RequestID returns id when it is a sane request id from a client or a
// proxy (1 to 128 letters, digits and - _ . : /), else a new random one.
func RequestID(id string) string {
	if saneID(id) {
		return id
	}
	return NewID()
}

// NewID returns a random 128-bit id in hex.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func saneID(id string) bool {
	if len(id) == 0 || len(id) > 128 {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '_', c == '.', c == ':', c == '/':
		default:
			return false
		}
	}
	return true
}
