package neo4j_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
)

// A search for one type keeps the hits of that type before it cuts them
// to the page: teams that match better do not crowd out the one service.
func TestSearchFiltersTypesBeforeThePage(t *testing.T) {
	store := neo4j.NewStore(neo4jtest.MustOpen(t))
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	word := "zq" + hex.EncodeToString(b)
	g := &cg.Graph{}
	var ids []string
	for i := 0; i < 25; i++ {
		id := fmt.Sprintf("team:test-search-%s-%d", word, i)
		g.Nodes = append(g.Nodes, cg.Node{Entity: &cg.Team{ID: id, Name: strings.Repeat(word+" ", 3) + fmt.Sprint(i)}})
		ids = append(ids, id)
	}
	service := "service:test-search-" + word
	g.Nodes = append(g.Nodes, cg.Node{Entity: &cg.Service{ID: service, Name: "A service once called " + word + " among many other words"}})
	ids = append(ids, service)
	t.Cleanup(func() { neo4jtest.MustForget(t, ids...) })
	ctx := context.Background()
	if err := store.WriteGraph(ctx, g); err != nil {
		t.Fatal(err)
	}
	all, err := store.Search(ctx, word, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range all {
		if h.Entity.EntityID() == service {
			t.Fatalf("the service is among the first 10 of all hits; the test needs it below them")
		}
	}
	hits, err := store.Search(ctx, word, []cg.Label{cg.LabelService}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].Entity.EntityID() != service {
		var got []string
		for _, h := range hits {
			got = append(got, h.Entity.EntityID())
		}
		t.Errorf("search for services = %v, want [%s]", got, service)
	}
}

// The live full-text index is eventually consistent (commits do not wait
// for it) and covers every entity label; Search waits for it, so what was
// written before a search is found (the test above writes and searches at
// once).
func TestFullTextIndexIsEventuallyConsistent(t *testing.T) {
	neo4jtest.MustOpen(t)
	rows := neo4jtest.MustRows(t, `SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, options
		WHERE name = 'entity_text' RETURN options.indexConfig['fulltext.eventually_consistent'], size(labelsOrTypes)`, nil)
	if len(rows) != 1 {
		t.Fatalf("%d full-text indexes named entity_text, want 1", len(rows))
	}
	if eventual, _ := rows[0][0].(bool); !eventual {
		t.Error("the full-text index is not eventually consistent")
	}
	if n, _ := rows[0][1].(int64); int(n) != len(cg.Labels) {
		t.Errorf("the full-text index covers %d labels, want %d", n, len(cg.Labels))
	}
}
