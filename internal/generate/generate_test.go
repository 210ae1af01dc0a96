package generate_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/generate"
)

func TestSameSeedSameGraph(t *testing.T) {
	o := generate.Options{Seed: 3, Authorities: 12, Months: 2}
	a, b := generate.Batch(o, 0, 12), generate.Batch(o, 0, 12)
	if mustJSON(t, a) != mustJSON(t, b) {
		t.Fatal("two runs with one seed differ")
	}
	c := generate.Batch(generate.Options{Seed: 4, Authorities: 12, Months: 2}, 0, 12)
	if mustJSON(t, a.Nodes) == mustJSON(t, c.Nodes) {
		t.Fatal("two seeds gave the same graph")
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Batches written separately make the same graph as one batch.
func TestBatchesComposeTheWhole(t *testing.T) {
	o := generate.Options{Seed: 5, Authorities: 10, Months: 1}
	whole := generate.Batch(o, 0, 10)
	ids := map[string]bool{}
	edges := 0
	for _, part := range []*cg.Graph{generate.Batch(o, 0, 4), generate.Batch(o, 4, 10)} {
		for _, n := range part.Nodes {
			ids[n.Entity.EntityID()] = true
		}
		edges += len(part.Edges)
	}
	wholeIDs := map[string]bool{}
	for _, n := range whole.Nodes {
		wholeIDs[n.Entity.EntityID()] = true
	}
	if len(ids) != len(wholeIDs) || edges != len(whole.Edges) {
		t.Errorf("batches: %d ids, %d edges; whole: %d ids, %d edges", len(ids), edges, len(wholeIDs), len(whole.Edges))
	}
}

// Everything generated says it is synthetic, in itself and in its source.
func TestEverythingIsMarkedSynthetic(t *testing.T) {
	g := generate.Batch(generate.Options{Seed: 6, Authorities: 5, Months: 3}, 0, 5)
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	sources := map[string]cg.Source{}
	for _, s := range g.Sources {
		if !s.Synthetic || !strings.Contains(s.Document, "Synthetic") {
			t.Errorf("source %s does not say it is synthetic", s.ID)
		}
		sources[s.ID] = s
	}
	for _, n := range g.Nodes {
		if !strings.Contains(fmt.Sprintf("%+v", n.Entity), "Synthetic:true") {
			t.Errorf("%s is not marked synthetic", n.Entity.EntityID())
		}
		if len(n.SourceIDs) == 0 || !sources[n.SourceIDs[0]].Synthetic {
			t.Errorf("%s does not cite a synthetic source", n.Entity.EntityID())
		}
	}
}

// 300 authorities make a graph of more than 100,000 nodes, with every
// delivery model and procurement route, late and timely approvals.
func TestScale(t *testing.T) {
	o := generate.Options{Seed: 1, Authorities: 300, Months: 36}
	g := generate.Batch(o, 0, o.Authorities)
	if n := len(g.Nodes) + len(g.Sources); n < 100_000 {
		t.Errorf("%d nodes, want over 100,000", n)
	}
	models, methods := map[string]bool{}, map[string]bool{}
	for _, n := range g.Nodes {
		switch e := n.Entity.(type) {
		case *cg.Service:
			models[string(*e.DeliveryModel)] = true
		case *cg.Contract:
			methods[string(*e.ProcurementMethod)] = true
		}
	}
	if len(models) != 6 || len(methods) != 4 {
		t.Errorf("delivery models %v, procurement methods %v", models, methods)
	}
}
