package neo4j_test

import (
	"context"
	"sync"
	"testing"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
)

type key struct{}

// recorder is an Observer that keeps what it is told.
type recorder struct {
	mu         sync.Mutex
	statements []string // mode: cypher
	params     [][]string
	ends       int
	bookmarks  [][]string
	rows       int
}

func (r *recorder) Statement(ctx context.Context, mode, cypher string, params map[string]any) func(error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.statements = append(r.statements, mode+": "+cypher)
	var names []string
	for k := range params {
		names = append(names, k)
	}
	r.params = append(r.params, names)
	return func(error) { r.mu.Lock(); r.ends++; r.mu.Unlock() }
}

func (r *recorder) WriteTransaction(ctx context.Context) func([]string, error) {
	return func(b []string, err error) { r.mu.Lock(); r.bookmarks = append(r.bookmarks, b); r.mu.Unlock() }
}

func (r *recorder) Wrote(ctx context.Context, rows int) { r.mu.Lock(); r.rows += rows; r.mu.Unlock() }

// The observer hears of every statement and write, with bookmarks that a
// later transaction can wait for; transactions carry the caller's metadata.
func TestObserverAndMetadata(t *testing.T) {
	neo4jtest.MustOpen(t) // the schema and the seed
	c := neo4jtest.Config(t)
	rec := &recorder{}
	var waitFor []string
	c.Observer = rec
	c.Bookmarks = func(ctx context.Context) []string { return waitFor }
	c.TxMetadata = func(ctx context.Context) map[string]any {
		if id, ok := ctx.Value(key{}).(string); ok {
			return map[string]any{"request_id": id}
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := neo4j.Open(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())

	ctx = context.WithValue(ctx, key{}, "req-metadata-1")
	got, err := db.TxMetadataSeen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got["request_id"] != "req-metadata-1" {
		t.Errorf("the transaction's metadata = %v, want the request id", got)
	}
	if len(rec.statements) != 1 || rec.ends != 1 {
		t.Errorf("statements = %v, %d ended", rec.statements, rec.ends)
	}

	g := &cg.Graph{
		Sources: []cg.Source{{ID: "source:test-observer", Document: "Observer test", Passage: "A team the observer hears written."}},
		Nodes:   []cg.Node{{Entity: &cg.Team{ID: "team:test-observer", Name: "Observed Team"}, SourceIDs: []string{"source:test-observer"}}},
	}
	t.Cleanup(func() { neo4jtest.MustForget(t, "team:test-observer", "source:test-observer") })
	if err := neo4j.NewStore(db).WriteGraph(ctx, g); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	if len(rec.bookmarks) == 0 || len(rec.bookmarks[len(rec.bookmarks)-1]) == 0 {
		t.Fatalf("a committed write gave no bookmark: %v", rec.bookmarks)
	}
	last := rec.bookmarks[len(rec.bookmarks)-1]
	if rec.rows < len(g.Nodes)+len(g.Edges)+len(g.Sources) {
		t.Errorf("rows written = %d, want at least the graph's %d", rec.rows, len(g.Nodes)+len(g.Edges)+len(g.Sources))
	}
	for i, p := range rec.params[1:] {
		if st := rec.statements[i+1]; st[:6] == "write:" && (len(p) != 1 || p[0] != "rows") {
			t.Errorf("%s has parameters named %v, want [rows]", st, p)
		}
	}
	rec.mu.Unlock()

	// A read that waits for the write's bookmark is served.
	waitFor = last
	if _, err := db.TxMetadataSeen(ctx); err != nil {
		t.Errorf("a read waiting for a known bookmark: %v", err)
	}
}
