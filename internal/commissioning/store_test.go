package commissioning_test

import (
	"testing"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

func TestGraphValidate(t *testing.T) {
	src := cg.Source{ID: "s1", Document: "doc", Passage: "A sentence."}
	svc := &cg.Service{ID: "service:a", Name: "A"}
	team := &cg.Team{ID: "team:b", Name: "B"}
	for _, tt := range []struct {
		name string
		g    cg.Graph
		ok   bool
	}{
		{"valid", cg.Graph{
			Sources: []cg.Source{src},
			Nodes:   []cg.Node{{Entity: svc, SourceIDs: []string{"s1"}}, {Entity: team}},
			Edges:   []cg.RelationshipBetween{{Type: cg.RelIntegratedInto, From: "service:a", To: "team:b", SourceIDs: []string{"s1"}}},
		}, true},
		{"duplicate id", cg.Graph{Nodes: []cg.Node{{Entity: svc}, {Entity: &cg.Team{ID: "service:a", Name: "x"}}}}, false},
		{"empty id", cg.Graph{Nodes: []cg.Node{{Entity: &cg.Team{Name: "x"}}}}, false},
		{"unknown source", cg.Graph{Nodes: []cg.Node{{Entity: svc, SourceIDs: []string{"nope"}}}}, false},
		{"source without passage", cg.Graph{Sources: []cg.Source{{ID: "s2", Document: "d"}}}, false},
		{"dangling edge", cg.Graph{Nodes: []cg.Node{{Entity: svc}},
			Edges: []cg.RelationshipBetween{{Type: cg.RelIntegratedInto, From: "service:a", To: "team:missing"}}}, false},
		{"wrong direction", cg.Graph{Nodes: []cg.Node{{Entity: svc}, {Entity: team}},
			Edges: []cg.RelationshipBetween{{Type: cg.RelIntegratedInto, From: "team:b", To: "service:a"}}}, false},
		{"unknown type", cg.Graph{Nodes: []cg.Node{{Entity: svc}, {Entity: team}},
			Edges: []cg.RelationshipBetween{{Type: "DELETES", From: "service:a", To: "team:b"}}}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.g.Validate()
			if tt.ok && err != nil {
				t.Fatalf("Validate() = %v, want nil", err)
			}
			if !tt.ok && cg.ErrorCode(err) != cg.EINVALID {
				t.Fatalf("Validate() = %v, want an %s error", err, cg.EINVALID)
			}
		})
	}
}

func TestErrorMessageHidesInternals(t *testing.T) {
	if got := cg.ErrorMessage(errString("neo4j: Neo.ClientError bolt://secret")); got != "internal error" {
		t.Errorf("message = %q, want internal error", got)
	}
	if got := cg.ErrorMessage(cg.Errorf(cg.ENOTFOUND, "no Team has id %q", "x")); got != `no Team has id "x"` {
		t.Errorf("message = %q", got)
	}
}

type errString string

func (e errString) Error() string { return string(e) }
