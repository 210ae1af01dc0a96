package seed_test

import (
	"strings"
	"testing"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/seed"
)

func TestGraphIsValid(t *testing.T) {
	if err := seed.Graph().Validate(); err != nil {
		t.Fatal(err)
	}
}

// Every passage is quoted word for word from the minute.
func TestPassagesAreInTheMinute(t *testing.T) {
	minute := strings.Join(strings.Fields(seed.Minute), " ")
	g := seed.Graph()
	if len(g.Sources) < 20 {
		t.Fatalf("%d sources, want the minute's sentences", len(g.Sources))
	}
	for _, s := range g.Sources {
		if !strings.Contains(minute, s.Passage) {
			t.Errorf("source %s: passage %q is not in the minute", s.ID, s.Passage)
		}
		if s.File == nil || *s.File != seed.MinuteFile {
			t.Errorf("source %s: file = %v, want %s", s.ID, s.File, seed.MinuteFile)
		}
	}
}

// Every node and every edge cites at least one passage.
func TestEverythingHasASource(t *testing.T) {
	g := seed.Graph()
	for _, n := range g.Nodes {
		if len(n.SourceIDs) == 0 {
			t.Errorf("%s %s has no source", n.Entity.EntityLabel(), n.Entity.EntityID())
		}
	}
	for _, e := range g.Edges {
		if len(e.SourceIDs) == 0 {
			t.Errorf("%s -%s-> %s has no source", e.From, e.Type, e.To)
		}
	}
}

// What the minute does not say stays unknown.
func TestUnknownsStayNull(t *testing.T) {
	g := seed.Graph()
	for _, n := range g.Nodes {
		switch e := n.Entity.(type) {
		case *cg.Meeting:
			if e.Date != nil {
				t.Errorf("meeting date = %v, want unknown", e.Date)
			}
		case *cg.Committee:
			if e.ID == seed.SubCommittee && e.FullName != nil {
				t.Errorf("sub-committee full name = %q, want unknown", *e.FullName)
			}
		case *cg.Contract:
			if e.Value != nil {
				t.Errorf("%s value = %v, want unknown", e.ID, *e.Value)
			}
			if e.ID == seed.ExistingContract && e.StartDate != nil {
				t.Errorf("existing contract start = %v, want unknown", e.StartDate)
			}
		case *cg.Person:
			if e.Name != "Nicholas Bennett" {
				t.Errorf("person %q: the minute names only Councillor Nicholas Bennett", e.Name)
			}
		}
	}
}

func TestTheContractSentence(t *testing.T) {
	g := seed.Graph()
	var holds *cg.RelationshipBetween
	for i, e := range g.Edges {
		if e.Type == cg.RelHoldsContract && e.To == seed.ExistingContract {
			holds = &g.Edges[i]
		}
	}
	if holds == nil {
		t.Fatal("no edge says who holds the existing contract")
	}
	want := "A contract to provide a specialist programme of support with young people to divert them from the risk of sexual exploitation, as well as to deliver training to Bromley social workers was held by Barnardo’s and was due to end on 30th September 2017."
	for _, s := range g.Sources {
		if s.ID == holds.SourceIDs[0] && s.Passage != want {
			t.Errorf("passage = %q\nwant %q", s.Passage, want)
		}
	}
}
