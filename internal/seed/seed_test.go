package seed_test

import (
	"context"
	"strings"
	"testing"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
	"github.com/commissioning-graph/cgraph/internal/seed"
)

// Every reviewed fact rests on words of the minute, character for
// character, and every rejection says why.
func TestReviewedQuotesAreInTheMinute(t *testing.T) {
	r, err := seed.Reviewed()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Claims) < 50 {
		t.Fatalf("%d reviewed claims, want the facts no rule states", len(r.Claims))
	}
	for _, c := range r.Claims {
		if c.Quote == "" || !strings.Contains(seed.Minute, c.Quote) {
			t.Errorf("%s: quote %q is not in the minute", c.Field, c.Quote)
		}
	}
	for _, x := range r.Reject {
		if strings.TrimSpace(x.Why) == "" {
			t.Errorf("rejecting %s: no reason", x.Field)
		}
	}
}

func mustSeed(t *testing.T) (*neo4j.Store, string) {
	t.Helper()
	store := neo4j.NewStore(neo4jtest.MustOpen(t)) // writes the seed
	return store, seed.DocumentID()
}

// The seed is the minute ingested: every claim decided, the passages
// quoted where the document's text has them, and the reviewed facts
// resting on the passages their quotes are in.
func TestTheMinuteIsIngestedAndItsClaimsDecided(t *testing.T) {
	store, doc := mustSeed(t)
	ctx := context.Background()
	e, err := store.FindEntity(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	d := e.(*cg.Document)
	if d.Title != seed.Document || d.File == nil || *d.File != seed.MinuteFile {
		t.Errorf("document = %q from %v, want %q from %s", d.Title, d.File, seed.Document, seed.MinuteFile)
	}
	claims, err := store.DocumentClaims(ctx, doc, "")
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]int{}
	for _, c := range claims {
		statuses[c.Claim.Status]++
		if got := d.Text[c.Claim.Start:c.Claim.End]; got != c.Claim.Quote {
			t.Errorf("claim %s quotes %q, the text there is %q", c.Claim.Field, c.Claim.Quote, got)
		}
		if c.Passage == "" {
			t.Errorf("claim %s rests on no passage", c.Claim.Field)
		}
	}
	if statuses[cg.ClaimProposed] != 0 || statuses[cg.ClaimAccepted] < 100 || statuses[cg.ClaimRejected] == 0 {
		t.Errorf("claims by status: %v; want all decided, the rules' wrong ones rejected", statuses)
	}
	rows := neo4jtest.MustRows(t, `MATCH (s:Source)-[:PASSAGE_OF]->(:Document {id: $doc}) RETURN s.start, s.end, s.passage`, map[string]any{"doc": doc})
	if len(rows) < 25 {
		t.Fatalf("%d passages, want the minute's sentences", len(rows))
	}
	for _, r := range rows {
		start, end, passage := int(r[0].(int64)), int(r[1].(int64)), r[2].(string)
		if d.Text[start:end] != passage {
			t.Errorf("passage %q: the text at [%d,%d) is %q", passage, start, end, d.Text[start:end])
		}
	}
	// The resolution's passage is its sentence; its number is its label.
	res, err := store.FindEntity(ctx, "resolution:bromley-csd17132-1")
	if err != nil {
		t.Fatal(err)
	}
	cited := neo4jtest.MustStrings(t, `MATCH (:Resolution {id: $id})-[:SOURCED_FROM]->(s:Source) RETURN s.label + '|' + s.passage`, map[string]any{"id": res.EntityID()})
	if want := "1.|" + res.(*cg.Resolution).Text; len(cited) != 1 || cited[0] != want {
		t.Errorf("resolution 1 rests on %q, want %q", cited, want)
	}
}

// Who holds the existing contract rests on the sentence that says so.
func TestTheContractSentence(t *testing.T) {
	mustSeed(t)
	got := neo4jtest.MustStrings(t, `MATCH (:Provider {id: $p})-[r:HOLDS_CONTRACT]->(:Contract {id: $c}) UNWIND r.sources AS s
		MATCH (src:Source {id: s}) RETURN src.passage`, map[string]any{"p": seed.Barnardos, "c": seed.ExistingContract})
	want := "A contract to provide a specialist programme of support with young people to divert them from the risk of sexual exploitation, as well as to deliver training to Bromley social workers was held by Barnardo’s and was due to end on 30th September 2017."
	if len(got) != 1 || got[0] != want {
		t.Errorf("passages = %q\nwant [%q]", got, want)
	}
}

// Everything the minute's claims made cites a passage of the minute, and
// what the minute does not say stays unknown.
func TestEverythingHasASourceAndUnknownsStayNull(t *testing.T) {
	store, doc := mustSeed(t)
	ctx := context.Background()
	for _, id := range []string{seed.Bromley, seed.AtlasTeam, seed.CSEService, seed.Barnardos, seed.ExistingContract,
		seed.FurtherContract, seed.Decision, seed.PortfolioHolder, seed.SubCommittee, seed.Report, seed.AgendaItem, seed.ApprovalRule,
		"meeting:bromley-sub-committee-csd17132", "person:nicholas-bennett", "scrutiny:bromley-csd17132-pre-decision",
		"inspection:bromley-ofsted-cse-monitoring-visit", "review:bromley-atlas-team", "metric:bromley-cse-waiting-list"} {
		n := neo4jtest.MustCount(t, `MATCH (:Entity {id: $id})-[:SOURCED_FROM]->(:Source)-[:PASSAGE_OF]->(:Document {id: $doc}) RETURN count(*)`,
			map[string]any{"id": id, "doc": doc})
		if n == 0 {
			t.Errorf("%s cites no passage of the minute", id)
		}
	}
	if n := neo4jtest.MustCount(t, `MATCH (a:Entity)-[r]->(b:Entity) WHERE NOT type(r) IN ['SOURCED_FROM', 'PASSAGE_OF', 'ISSUED_BY', 'CLAIMED_IN', 'QUOTES']
		AND (a)-[:SOURCED_FROM]->(:Source)-[:PASSAGE_OF]->(:Document {id: $doc}) AND size(coalesce(r.sources, [])) = 0 RETURN count(r)`,
		map[string]any{"doc": doc}); n != 0 {
		t.Errorf("%d relationships from the minute's entities cite nothing", n)
	}

	e, err := store.FindEntity(ctx, "meeting:bromley-sub-committee-csd17132")
	if err != nil {
		t.Fatal(err)
	}
	if m := e.(*cg.Meeting); m.Date != nil {
		t.Errorf("meeting date = %v, want unknown", m.Date)
	}
	e, err = store.FindEntity(ctx, seed.SubCommittee)
	if err != nil {
		t.Fatal(err)
	}
	if c := e.(*cg.Committee); c.FullName != nil {
		t.Errorf("sub-committee full name = %q, want unknown", *c.FullName)
	}
	for _, id := range []string{seed.ExistingContract, seed.FurtherContract} {
		e, err := store.FindEntity(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		c := e.(*cg.Contract)
		if c.Value != nil {
			t.Errorf("%s value = %v, want unknown", id, *c.Value)
		}
		if id == seed.ExistingContract && (c.StartDate != nil || c.EndDate == nil || c.EndDate.String() != "2017-09-30") {
			t.Errorf("existing contract runs %v to %v, want an unknown start and the end the minute gives", c.StartDate, c.EndDate)
		}
	}
	people := neo4jtest.MustStrings(t, `MATCH (p:Person)-[:SOURCED_FROM]->(:Source)-[:PASSAGE_OF]->(:Document {id: $doc}) RETURN DISTINCT p.name`, map[string]any{"doc": doc})
	if len(people) != 1 || people[0] != "Nicholas Bennett" {
		t.Errorf("people = %q: the minute names only Councillor Nicholas Bennett", people)
	}
}
