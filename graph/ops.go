package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"sort"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/obs"
)

// BookmarkExtension is the key, in a response's extensions, of the Neo4j
// bookmark of the request's last write: send it back in the
// X-Neo4j-Bookmark header and the request is served once that write is
// visible, whichever replica serves it.
const BookmarkExtension = "neo4jBookmark"

// recordOperation tells the request's observer which operation it runs.
func recordOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	name, typ := oc.OperationName, ""
	if oc.Operation != nil {
		typ = string(oc.Operation.Operation)
		if name == "" {
			name = oc.Operation.Name
		}
	}
	obs.FromContext(ctx).SetOperation(name, typ)
	return next(ctx)
}

// addBookmark puts the bookmark of the request's last write in the
// response's extensions.
func addBookmark(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	res := next(ctx)
	if res == nil {
		return nil
	}
	if b := obs.FromContext(ctx).Summary().Bookmark; b != "" {
		if res.Extensions == nil {
			res.Extensions = map[string]any{}
		}
		res.Extensions[BookmarkExtension] = b
	}
	return res
}

// allowList accepts only known operations: a request names one by its
// persisted-query hash, or sends a query whose hash is known.
type allowList struct {
	ops map[string]string // sha256 (hex) of the query -> query
	log *slog.Logger
}

var _ interface {
	graphql.OperationParameterMutator
	graphql.HandlerExtension
} = allowList{}

func (allowList) ExtensionName() string                          { return "AllowedOperations" }
func (allowList) Validate(schema graphql.ExecutableSchema) error { return nil }

func (a allowList) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	hash := ""
	if pq, ok := p.Extensions["persistedQuery"].(map[string]any); ok {
		hash, _ = pq["sha256Hash"].(string)
	}
	if p.Query == "" {
		if q, ok := a.ops[hash]; ok {
			p.Query = q
			return nil
		}
	} else if _, ok := a.ops[QueryHash(p.Query)]; ok {
		return nil
	}
	a.log.Warn("refused", "request_id", obs.ID(ctx), "client", obs.Client(ctx), "code", cg.EFORBIDDEN,
		"reason", "operation not in the allowed list", "hash", hash)
	err := gqlerror.Errorf("this server accepts only the operations it was configured with")
	setCode(err, cg.EFORBIDDEN)
	return err
}

// QueryHash is the persisted-query hash of a query: the SHA-256 of its
// text, in hex.
func QueryHash(q string) string {
	b := sha256.Sum256([]byte(q))
	return hex.EncodeToString(b[:])
}

// LoadAllowedOperations reads the operations a server limited to known
// ones accepts, keyed by their hash. path is either a folder, whose every
// *.graphql file is one allowed document, or a JSON file mapping each
// document's SHA-256 (hex) to the document.
func LoadAllowedOperations(path string) (map[string]string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	ops := map[string]string{}
	if fi.IsDir() {
		files, err := filepath.Glob(filepath.Join(path, "*.graphql"))
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			ops[QueryHash(string(b))] = string(b)
		}
	} else {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &ops); err != nil {
			return nil, fmt.Errorf("%s: want a JSON object of sha256 hashes to documents: %w", path, err)
		}
		for h, q := range ops {
			if QueryHash(q) != h {
				return nil, fmt.Errorf("%s: %s is not the sha256 of its document", path, h)
			}
		}
	}
	if len(ops) == 0 {
		return nil, fmt.Errorf("%s holds no operation", path)
	}
	return ops, nil
}

// specWriter makes gqlgen's answers to requests refused before execution
// what the GraphQL-over-HTTP spec recommends: with application/json, a
// document that fails to parse or validate, or variables that fail to
// coerce, get 200 (gqlgen says 422); and such an answer, which never
// executed, carries no "data" entry (gqlgen writes "data": null).
type specWriter struct {
	http.ResponseWriter
	buffering bool
	status    int
	buf       bytes.Buffer
}

func (w *specWriter) WriteHeader(code int) {
	if code < 400 || w.buffering || w.status != 0 {
		if w.status == 0 {
			w.status = code
		}
		if !w.buffering {
			w.ResponseWriter.WriteHeader(code)
		}
		return
	}
	// A refusal: hold the body back to take its data entry out.
	w.status = code
	w.buffering = true
	mt, _, _ := mime.ParseMediaType(w.Header().Get("Content-Type"))
	if code == http.StatusUnprocessableEntity && mt == "application/json" {
		w.status = http.StatusOK
	}
}

func (w *specWriter) Write(p []byte) (int, error) {
	if w.buffering {
		return w.buf.Write(p)
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// noOperation is gqlgen's message for a request without a query.
const noOperation = "no operation provided"

// finish sends a held-back refusal.
func (w *specWriter) finish() {
	if !w.buffering {
		return
	}
	body := w.buf.Bytes()
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) == nil {
		if d, ok := fields["data"]; ok && string(d) == "null" {
			delete(fields, "data")
			if b, err := json.Marshal(fields); err == nil {
				body = b
			}
		}
		// A request with neither a query nor a persisted query's hash is
		// not a GraphQL request at all: 400 whatever it accepts.
		var errs []struct{ Message string }
		if json.Unmarshal(fields["errors"], &errs) == nil && len(errs) == 1 && errs[0].Message == noOperation {
			w.status = http.StatusBadRequest
		}
	}
	w.Header().Del("Content-Length")
	w.ResponseWriter.WriteHeader(w.status)
	_, _ = w.ResponseWriter.Write(body)
}
