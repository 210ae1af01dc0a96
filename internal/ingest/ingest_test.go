package ingest_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/ingest"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
)

var admin = cg.Principal{Subject: "test:admin", Role: cg.RoleAdmin}

// fixture makes an authority of its own for one test, and removes it and
// everything ingested for it when the test ends.
type fixture struct {
	t         testing.TB
	store     *neo4j.Store
	authority string
	name      string
	nonce     string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	db := neo4jtest.MustOpen(t)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	nonce := hex.EncodeToString(b)
	f := &fixture{t: t, store: neo4j.NewStore(db), authority: "authority:t" + nonce, name: "Testshire " + nonce + " Council", nonce: nonce}
	g := &cg.Graph{Nodes: []cg.Node{{Entity: &cg.Authority{ID: f.authority, Name: f.name}}}}
	if err := f.store.WriteGraph(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	neo4jtest.ForgetAuthorityAtEnd(t, f.authority)
	return f
}

// owned returns the ids of what was ingested or accepted for the
// fixture's authority.
func (f *fixture) owned() []string { return neo4jtest.MustIngested(f.t, f.authority) }

func (f *fixture) count() int { return len(f.owned()) }

// notice is a decision notice in the shape councils publish, unique to the
// fixture by its nonce.
func (f *fixture) notice(extra string) []byte {
	return []byte(fmt.Sprintf(`https://democracy.testshire-%s.gov.uk/ieDecisionDetails.aspx?ID=%s
Decision details

Award of the Domestic Abuse Refuge contract (%s)

Decision Maker: Cabinet Member for Community Safety

Decision status: Recommendations Approved

Is Key decision?: Yes

Is subject to call in?: Yes

Purpose:
To award the contract for the Domestic Abuse Refuge service.

Decision:
The Cabinet Member approved the direct award of the Domestic Abuse Refuge contract to Haven Refuge Trust for a period of 24 months from 1 April 2024 to 31 March 2026, at a total value of £480,000.
%s
Date of decision: 12 March 2024
`, f.nonce, f.nonce, f.nonce, extra))
}

func (f *fixture) ingest(data []byte, name string) (*ingest.Result, error) {
	return ingest.Ingest(context.Background(), f.store, admin, ingest.Request{Name: name, Data: data, Authority: f.authority})
}

func TestIngestIsIdempotentAndAcceptWritesCitedFacts(t *testing.T) {
	f := newFixture(t)
	res, err := f.ingest(f.notice(""), "notice.txt")
	if err != nil {
		t.Fatal(err)
	}
	if res.Unchanged || res.Claims == 0 || res.Passages == 0 {
		t.Fatalf("first ingest: %+v", res)
	}
	if got, want := res.Document.Kind, "decision-notice"; got == nil || *got != want {
		t.Errorf("kind = %v, want %s", got, want)
	}
	before := f.count()
	again, err := f.ingest(f.notice(""), "notice.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !again.Unchanged || f.count() != before {
		t.Fatalf("second ingest changed the graph: unchanged=%v, %d ids then %d", again.Unchanged, before, f.count())
	}

	ctx := context.Background()
	claims, err := f.store.DocumentClaims(ctx, res.Document.ID, cg.ClaimProposed)
	if err != nil {
		t.Fatal(err)
	}
	byField := map[string]cg.ClaimInfo{}
	var ids []string
	for _, c := range claims {
		byField[c.Claim.Field] = c
		ids = append(ids, c.Claim.ID)
		if got := res.Document.Text[c.Claim.Start:c.Claim.End]; got != c.Claim.Quote {
			t.Errorf("claim %s quotes %q, the text there is %q", c.Claim.Field, c.Claim.Quote, got)
		}
	}
	for field, want := range map[string]string{
		"contracts[0].provider":  `"Haven Refuge Trust"`,
		"contracts[0].startDate": `"2024-04-01"`,
		"contracts[0].endDate":   `"2026-03-31"`,
		"contracts[0].value":     `480000`,
		"decision.maker":         `"Cabinet Member for Community Safety"`,
	} {
		if got := byField[field].Claim; got == nil || got.Value != want {
			t.Errorf("claim %s = %+v, want value %s", field, got, want)
		}
	}

	if _, err := ingest.Accept(ctx, f.store, admin, ids); err != nil {
		t.Fatal(err)
	}
	id := "contract:" + res.Document.ContentHash[:12] + "-0"
	e, err := f.store.FindEntity(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	con := e.(*cg.Contract)
	if con.EndDate == nil || con.EndDate.String() != "2026-03-31" || con.Value == nil || *con.Value != 480000 {
		t.Errorf("contract = %+v", con)
	}
	passage := neo4jtest.MustStrings(t, `MATCH (:Provider)-[r:HOLDS_CONTRACT]->(:Contract {id: $id}) UNWIND r.sources AS s
		MATCH (p:Source {id: s}) RETURN p.passage`, map[string]any{"id": id})
	if len(passage) != 1 || !strings.Contains(passage[0], "Haven Refuge Trust for a period of 24 months") {
		t.Errorf("the provider's link rests on %q", passage)
	}
	if n := neo4jtest.MustCount(t, `MATCH (:Decision)-[:AWARDS]->(:Contract {id: $id}) RETURN count(*)`, map[string]any{"id": id}); n != 1 {
		t.Errorf("%d decisions award the contract, want 1", n)
	}

	// Accepting again writes nothing new; rejecting an accepted claim is refused.
	after := f.count()
	if _, err := ingest.Accept(ctx, f.store, admin, ids); err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Reject(ctx, f.store, admin, ids[:1]); cg.ErrorCode(err) != cg.ECONFLICT {
		t.Errorf("rejecting an accepted claim: %v, want CONFLICT", err)
	}
	if f.count() != after {
		t.Errorf("a second accept and a refused reject changed the graph")
	}
}

func TestChangedPageReplacesTheOldVersion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	old, err := f.ingest(f.notice(""), "notice.txt")
	if err != nil {
		t.Fatal(err)
	}
	oldClaims, err := f.store.DocumentClaims(ctx, old.Document.ID, "")
	if err != nil || len(oldClaims) == 0 {
		t.Fatal(err, len(oldClaims))
	}
	changed, err := f.ingest(f.notice("Reasons for the decision: The current refuge contract ends in March 2024."), "notice.txt")
	if err != nil {
		t.Fatal(err)
	}
	if changed.Unchanged || changed.Replaces != old.Document.ID {
		t.Fatalf("changed page: %+v, want it to replace %s", changed, old.Document.ID)
	}
	if _, err := f.store.FindEntity(ctx, old.Document.ID); err != nil {
		t.Errorf("the old version is gone: %v", err)
	}
	before := f.count()
	_, err = ingest.Accept(ctx, f.store, admin, []string{oldClaims[0].Claim.ID})
	if cg.ErrorCode(err) != cg.ECONFLICT {
		t.Errorf("accepting a claim of a replaced document: %v, want CONFLICT", err)
	}
	if f.count() != before {
		t.Error("a refused accept changed the graph")
	}
}

func TestRejectedClaimCannotBeAccepted(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	res, err := f.ingest(f.notice(""), "notice.txt")
	if err != nil {
		t.Fatal(err)
	}
	claims, _ := f.store.DocumentClaims(ctx, res.Document.ID, "")
	one := []string{claims[0].Claim.ID}
	if _, err := ingest.Reject(ctx, f.store, admin, one); err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Accept(ctx, f.store, admin, one); cg.ErrorCode(err) != cg.ECONFLICT {
		t.Errorf("accepting a rejected claim: %v, want CONFLICT", err)
	}
	got, _ := f.store.FindClaims(ctx, one)
	if got[0].Claim.Status != cg.ClaimRejected || got[0].Claim.DecidedBy == nil || *got[0].Claim.DecidedBy != admin.Subject {
		t.Errorf("claim after reject: %+v", got[0].Claim)
	}
}

func TestBadDocumentsWriteNothing(t *testing.T) {
	f := newFixture(t)
	script := "<html><head><script>" + strings.Repeat("var x = 1;", 2000) + "</script></head><body><p>Hi</p></body></html>"
	cases := []struct {
		name, file string
		data       []byte
		req        func(*ingest.Request)
		code       string
	}{
		{"empty", "empty.txt", nil, nil, cg.EINVALID},
		{"binary", "blob.txt", []byte{0, 1, 2, 3, 0xff, 0xfe, 0, 0, 7, 8}, nil, cg.EINVALID},
		{"mostly script", "page.html", []byte(script), nil, cg.EINVALID},
		{"pdf without a text layer", "scan.pdf", []byte("%PDF-1.4\n%%EOF\n"), nil, cg.EINVALID},
		{"too large", "big.txt", []byte(strings.Repeat("word ", 400)), func(r *ingest.Request) { r.Options.MaxBytes = 1000 }, cg.EINVALID},
		{"no authority", "notice.txt", f.notice(""), func(r *ingest.Request) { r.Authority = "" }, cg.EINVALID},
		{"unknown authority", "notice.txt", f.notice(""), func(r *ingest.Request) { r.Authority = "authority:nowhere-" + f.nonce }, cg.ENOTFOUND},
		{"not an authority", "notice.txt", f.notice(""), func(r *ingest.Request) { r.Authority = "provider:barnardos" }, cg.EINVALID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := f.count()
			req := ingest.Request{Name: c.file, Data: c.data, Authority: f.authority}
			if c.req != nil {
				c.req(&req)
			}
			_, err := ingest.Ingest(context.Background(), f.store, admin, req)
			if cg.ErrorCode(err) != c.code {
				t.Fatalf("err = %v (code %q), want code %q", err, cg.ErrorCode(err), c.code)
			}
			if f.count() != before {
				t.Errorf("a refused document changed the graph")
			}
		})
	}
}

func TestEditorsIngestOnlyForTheirAuthority(t *testing.T) {
	f := newFixture(t)
	other := cg.Principal{Subject: "test:editor", Role: cg.RoleEditor, Authority: "authority:bromley"}
	_, err := ingest.Ingest(context.Background(), f.store, other, ingest.Request{Name: "notice.txt", Data: f.notice(""), Authority: f.authority})
	if cg.ErrorCode(err) != cg.EFORBIDDEN {
		t.Fatalf("an editor for another authority: %v, want FORBIDDEN", err)
	}
	own := cg.Principal{Subject: "test:editor", Role: cg.RoleEditor, Authority: f.authority}
	res, err := ingest.Ingest(context.Background(), f.store, own, ingest.Request{Name: "notice.txt", Data: f.notice(""), Accept: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Accepted == nil || res.Accepted.EntitiesCreated == 0 {
		t.Errorf("the editor's accepted claims wrote %+v", res.Accepted)
	}
}
