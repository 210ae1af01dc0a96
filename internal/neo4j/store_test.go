package neo4j_test

import (
	"context"
	"reflect"
	"testing"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
	"github.com/commissioning-graph/cgraph/internal/seed"
)

func TestSeedIsIdempotent(t *testing.T) {
	db := neo4jtest.MustOpen(t) // writes the seed once
	store := neo4j.NewStore(db)
	before := neo4jtest.MustSeedFootprint(t)
	res, err := seed.Write(context.Background(), store)
	if err != nil {
		t.Fatal(err)
	}
	if a := res.Accepted; !res.Unchanged || a == nil || a.EntitiesCreated+a.EntitiesUpdated+a.LinksCreated != 0 {
		t.Errorf("a second seed: %+v, accepted %+v; want the minute unchanged and nothing accepted", res, res.Accepted)
	}
	if after := neo4jtest.MustSeedFootprint(t); after != before {
		t.Fatalf("after a second seed the minute holds %+v, want %+v", after, before)
	}
}

func TestFindLinksBothWays(t *testing.T) {
	store := neo4j.NewStore(neo4jtest.MustOpen(t))
	ctx := context.Background()

	out, err := store.FindLinks(ctx, cg.Out(cg.RelIntegratedInto, cg.LabelTeam), []string{seed.CSEService, "service:none"})
	if err != nil {
		t.Fatal(err)
	}
	if l := out[seed.CSEService]; len(l) != 1 || l[0].Node.(*cg.Team).Name != "Atlas Team" || l[0].Direction != cg.Outgoing {
		t.Fatalf("service -> team = %+v, want the Atlas Team", l)
	}
	if n := len(out["service:none"]); n != 0 {
		t.Errorf("unknown id has %d links", n)
	}
	if got := out[seed.CSEService][0].SourceIDs; !reflect.DeepEqual(got, []string{seed.SourceID(seed.Integrated)}) {
		t.Errorf("sources = %v", got)
	}

	in, err := store.FindLinks(ctx, cg.In(cg.RelIntegratedInto, cg.LabelService), []string{seed.AtlasTeam})
	if err != nil {
		t.Fatal(err)
	}
	if l := in[seed.AtlasTeam]; len(l) != 1 || l[0].Node.EntityID() != seed.CSEService || l[0].Direction != cg.Incoming {
		t.Fatalf("team <- services = %+v", l)
	}
}

func TestFindEntityRoundTrip(t *testing.T) {
	store := neo4j.NewStore(neo4jtest.MustOpen(t))
	e, err := store.FindEntity(context.Background(), seed.FurtherContract)
	if err != nil {
		t.Fatal(err)
	}
	c := e.(*cg.Contract)
	if c.StartDate.String() != "2017-10-01" || c.EndDate.String() != "2018-09-30" {
		t.Errorf("period = %v – %v", c.StartDate, c.EndDate)
	}
	if *c.DurationMonths != 12 || *c.ProcurementMethod != "limited" || c.Value != nil || c.OCID != nil {
		t.Errorf("contract = %+v", c)
	}

	e, err = store.FindEntity(context.Background(), seed.SourceID(seed.HeldBy))
	if err != nil {
		t.Fatal(err)
	}
	if s := e.(*cg.Source); s.RecordedAt.IsZero() || s.Document != seed.Document {
		t.Errorf("source = %+v, want a recording time and the minute", s)
	}
}

func TestFindEntityRefusesInjection(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	defer neo4jtest.MustUnchanged(t, neo4jtest.Scope{})()
	for _, id := range []string{
		`"}) MATCH (n) DETACH DELETE n //`,
		`' OR 1=1 //`,
		"`) DETACH DELETE n //",
		"$ids",
	} {
		_, err := store.FindEntity(context.Background(), id)
		if cg.ErrorCode(err) != cg.ENOTFOUND {
			t.Errorf("FindEntity(%q) = %v, want not found", id, err)
		}
	}
	if _, err := store.FindPage(context.Background(), "Team`) DETACH DELETE n //", cg.PageQuery{First: 10}); cg.ErrorCode(err) != cg.EINVALID {
		t.Errorf("a label outside the allowlist: %v, want invalid", err)
	}
	if _, err := store.FindAllLinks(context.Background(), []string{seed.CSEService}, []cg.RelType{"X]-() DETACH DELETE n //"}); cg.ErrorCode(err) != cg.EINVALID {
		t.Errorf("a type outside the allowlist: %v, want invalid", err)
	}
}

func TestFindEntitiesByLabelPages(t *testing.T) {
	store := neo4j.NewStore(neo4jtest.MustOpen(t))
	ctx := context.Background()
	first, err := store.FindPage(ctx, cg.LabelContract, cg.PageQuery{First: 1})
	if err != nil || len(first.Entities) != 1 {
		t.Fatalf("first page = %v, %v", first, err)
	}
	second, err := store.FindPage(ctx, cg.LabelContract, cg.PageQuery{First: 1, After: &first.Cursors[0]})
	if err != nil || len(second.Entities) != 1 {
		t.Fatalf("second page = %v, %v", second, err)
	}
	if first.Entities[0].EntityID() >= second.Entities[0].EntityID() {
		t.Errorf("pages out of order: %s then %s", first.Entities[0].EntityID(), second.Entities[0].EntityID())
	}
}

func TestApprovalRuleOfBuyer(t *testing.T) {
	store := neo4j.NewStore(neo4jtest.MustOpen(t))
	rules, err := store.FindApprovalRules(context.Background(), []string{seed.ExistingContract, seed.FurtherContract})
	if err != nil {
		t.Fatal(err)
	}
	r := rules[seed.ExistingContract]
	if r == nil || *r.MonthsBeforeEnd != 6 {
		t.Fatalf("rule = %+v, want Bromley's six-month rule", r)
	}
	end := cg.MustParseDate("2017-09-30")
	if got := r.ApprovalDeadline(&end); got.String() != "2017-03-31" {
		t.Errorf("deadline = %s, want 2017-03-31", got)
	}
}

// A graph that clashes with what is stored writes nothing at all.
func TestWriteGraphIsAllOrNothing(t *testing.T) {
	db := neo4jtest.MustOpen(t)
	store := neo4j.NewStore(db)
	t.Cleanup(func() { neo4jtest.MustForget(t, "team:test-atomic", "source:test-atomic") })
	defer neo4jtest.MustUnchanged(t, neo4jtest.Scope{IDs: []string{"team:test-atomic", "source:test-atomic"}})()

	g := &cg.Graph{
		Sources: []cg.Source{{ID: "source:test-atomic", Document: "test", Passage: "A test passage."}},
		Nodes: []cg.Node{
			{Entity: &cg.Team{ID: "team:test-atomic", Name: "Written first"}, SourceIDs: []string{"source:test-atomic"}},
			// The service's id already belongs to a Service: a Team may not take it.
			{Entity: &cg.Team{ID: seed.CSEService, Name: "Clash"}},
		},
	}
	err := store.WriteGraph(context.Background(), g)
	if cg.ErrorCode(err) != cg.ECONFLICT {
		t.Fatalf("WriteGraph = %v, want a conflict", err)
	}
}
