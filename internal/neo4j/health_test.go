package neo4j_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
)

// While the database is cut off, reads and writes fail with UNAVAILABLE
// within a second (no driver retry loop waiting out the timeout), and once
// it is back they succeed within a few seconds on the same DB, without a
// restart.
func TestFailFastRecoverFast(t *testing.T) {
	neo4jtest.MustOpen(t) // schema and seed
	c := neo4jtest.Config(t)
	u, err := url.Parse(c.URI)
	if err != nil {
		t.Fatal(err)
	}
	proxy := neo4jtest.MustProxy(t, u.Host)
	u.Host = proxy.Addr
	c.URI = u.String()
	ctx := context.Background()
	db, err := neo4j.Open(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	store := neo4j.NewStore(db)
	const id = "team:test-failfast"
	cleanup(t, db, id)
	if err := db.Ping(ctx); err != nil {
		t.Fatal(err)
	}

	proxy.Cut()
	// The first request finds out; every later one is told at once.
	for i := 0; i < 10; i++ {
		rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		start := time.Now()
		var err error
		if i%2 == 0 {
			_, err = store.FindEntity(rctx, "team:bromley-atlas")
		} else {
			_, err = store.CreateEntity(rctx, admin, &cg.Team{ID: id, Name: "Fail Fast"}, nil)
		}
		took := time.Since(start)
		cancel()
		if cg.ErrorCode(err) != cg.EUNAVAILABLE {
			t.Fatalf("request %d while cut off: error %v, want UNAVAILABLE", i, err)
		}
		if limit := time.Second; i > 0 && took > limit || i == 0 && took > 3*time.Second {
			t.Errorf("request %d while cut off took %v", i, took)
		}
		if msg := cg.ErrorMessage(err); msg != "the database is unavailable; try again in a few seconds" {
			t.Errorf("message %q carries more than the domain's words", msg)
		}
	}
	if db.Available() {
		t.Error("Available() = true while the database is cut off")
	}

	proxy.Restore()
	back := time.Now()
	for {
		_, err := store.FindEntity(ctx, "team:bromley-atlas")
		if err == nil {
			break
		}
		if time.Since(back) > 5*time.Second {
			t.Fatalf("still failing %v after the database came back: %v", time.Since(back), err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("recovered %v after the database came back", time.Since(back))
	if _, err := store.CreateEntity(ctx, admin, &cg.Team{ID: id, Name: "Fail Fast"}, nil); err != nil {
		t.Fatalf("write after recovery: %v", err)
	}
}

// The domain's bound on text is one Neo4j can store and index: a name of
// exactly MaxTextBytes (in indexed properties) is written, one byte more
// is refused as INVALID before the database sees it.
func TestLongestTextIsStored(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	const id = "team:test-longest-text"
	cleanup(t, db, id)
	name := strings.Repeat("é", cg.MaxTextBytes/2) // two bytes each
	if _, err := store.CreateEntity(context.Background(), admin, &cg.Team{ID: id, Name: name}, nil); err != nil {
		t.Fatalf("name of %d bytes: %v", len(name), err)
	}
	_, err := store.CreateEntity(context.Background(), admin, &cg.Team{ID: id + "-2", Name: name + "x"}, nil)
	wantCode(t, err, cg.EINVALID)
}
