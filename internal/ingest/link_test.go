package ingest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/ingest"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
)

// knownProvider writes a provider of the fixture's own, named
// "Kestrel<nonce> Family Support", and returns its id.
func (f *fixture) knownProvider() (id, name string) {
	f.t.Helper()
	id, name = "provider:t"+f.nonce+"-kestrel", "Kestrel"+f.nonce+" Family Support"
	g := &cg.Graph{Nodes: []cg.Node{{Entity: &cg.Provider{ID: id, Name: name}}}}
	if err := f.store.WriteGraph(context.Background(), g); err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { neo4jtest.MustForget(f.t, id) })
	return id, name
}

// awardTo is a decision notice that awards the fixture's contract to
// provider.
func (f *fixture) awardTo(provider string) []byte {
	return []byte(fmt.Sprintf(`https://democracy.testshire-%s.gov.uk/ieDecisionDetails.aspx?ID=%s-%d
Decision details

Award of the Family Support contract (%s)

Decision Maker: Cabinet Member for Children

Decision:
The Cabinet Member approved the award of the Family Support contract to %s for a period of 12 months from 1 April 2024 to 31 March 2025.
`, f.nonce, f.nonce, len(provider), f.nonce, provider))
}

// ingestAccepted ingests a document and accepts every claim it proposes.
func (f *fixture) ingestAccepted(data []byte) *ingest.Result {
	f.t.Helper()
	res, err := ingest.Ingest(context.Background(), f.store, admin, ingest.Request{Name: "notice.txt", Data: data, Authority: f.authority, Accept: true})
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

// links returns the document's proposals to link with the given status.
func (f *fixture) links(doc, status string) []cg.ClaimInfo {
	f.t.Helper()
	claims, err := f.store.DocumentClaims(context.Background(), doc, status)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []cg.ClaimInfo
	for _, c := range claims {
		if c.Claim.Field == "link" {
			out = append(out, c)
		}
	}
	return out
}

func holder(t *testing.T, contract string) []string {
	t.Helper()
	return neo4jtest.MustStrings(t, `MATCH (p:Provider)-[:HOLDS_CONTRACT]->(:Contract {id: $c}) RETURN p.id ORDER BY p.id`, map[string]any{"c": contract})
}

// A name only close to a known provider's makes a new provider and a
// proposal to link the two, which accepting merges; nothing is merged
// before.
func TestDoubtfulProviderIsProposedThenMergedOnAccept(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	known, name := f.knownProvider()
	res := f.ingestAccepted(f.awardTo(name + " Trust"))
	contract := "contract:" + res.Document.ContentHash[:12] + "-0"
	made := "provider:kestrel" + f.nonce + "-family-support-trust"
	if got := holder(t, contract); len(got) != 1 || got[0] != made {
		t.Fatalf("the contract is held by %v, want the new provider %s (no silent merge into %s)", got, made, known)
	}
	links := f.links(res.Document.ID, cg.ClaimProposed)
	if len(links) != 1 {
		t.Fatalf("%d proposals to link, want 1", len(links))
	}
	c := links[0].Claim
	var p ingest.LinkProposal
	if err := json.Unmarshal([]byte(c.Value), &p); err != nil {
		t.Fatal(err)
	}
	if p.From != made || p.Into != known || !strings.Contains(p.Why, known) || c.Rule != ingest.RuleDoubtfulMatch {
		t.Errorf("proposal = %+v (rule %s), want from %s into %s with why", p, c.Rule, made, known)
	}
	if c.Quote != name+" Trust" || res.Document.Text[c.Start:c.End] != c.Quote || links[0].Passage == "" {
		t.Errorf("proposal quotes %q at [%d,%d), passage %q", c.Quote, c.Start, c.End, links[0].Passage)
	}

	// Accepting the document's claims in bulk again leaves the proposal to
	// the analyst, and proposes nothing twice.
	f.ingestAccepted(f.awardTo(name + " Trust"))
	if n := len(f.links(res.Document.ID, "")); n != 1 {
		t.Errorf("%d proposals after a second bulk accept, want the 1", n)
	}
	if got := f.links(res.Document.ID, cg.ClaimProposed); len(got) != 1 {
		t.Errorf("a bulk accept decided the proposal")
	}

	// An editor may not merge; an admin accepting it makes the two one.
	editor := cg.Principal{Subject: "test:editor", Role: cg.RoleEditor, Authority: f.authority}
	if _, err := ingest.Accept(ctx, f.store, editor, []string{c.ID}); cg.ErrorCode(err) != cg.EFORBIDDEN {
		t.Errorf("an editor accepting a link: %v, want FORBIDDEN", err)
	}
	if _, err := ingest.Accept(ctx, f.store, admin, []string{c.ID}); err != nil {
		t.Fatal(err)
	}
	if got := holder(t, contract); len(got) != 1 || got[0] != known {
		t.Errorf("after the link is accepted the contract is held by %v, want %s", got, known)
	}
	if _, err := f.store.FindEntity(ctx, made); cg.ErrorCode(err) != cg.ENOTFOUND {
		t.Errorf("the new provider after the merge: %v, want it gone", err)
	}
	if got := f.links(res.Document.ID, cg.ClaimAccepted); len(got) != 1 {
		t.Errorf("the proposal is not marked accepted")
	}

	// Accepting the document's claims once more writes to the merged
	// provider, not a new one.
	claims, err := f.store.DocumentClaims(ctx, res.Document.ID, cg.ClaimAccepted)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, c := range claims {
		if c.Claim.Field != "link" {
			ids = append(ids, c.Claim.ID)
		}
	}
	if _, err := ingest.Accept(ctx, f.store, admin, ids); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.FindEntity(ctx, made); cg.ErrorCode(err) != cg.ENOTFOUND {
		t.Errorf("accepting again made the merged provider again: %v", err)
	}
}

// A rejected proposal keeps the two apart.
func TestRejectedLinkKeepsProvidersApart(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	known, name := f.knownProvider()
	slip := strings.Replace(name, "Family", "Famly", 1) // a slip of one letter
	res := f.ingestAccepted(f.awardTo(slip))
	links := f.links(res.Document.ID, cg.ClaimProposed)
	if len(links) != 1 {
		t.Fatalf("%d proposals to link %q with %q, want 1", len(links), slip, name)
	}
	if _, err := ingest.Reject(ctx, f.store, admin, []string{links[0].Claim.ID}); err != nil {
		t.Fatal(err)
	}
	contract := "contract:" + res.Document.ContentHash[:12] + "-0"
	made := "provider:kestrel" + f.nonce + "-famly-support"
	if got := holder(t, contract); len(got) != 1 || got[0] != made {
		t.Errorf("the contract is held by %v, want %s", got, made)
	}
	if _, err := f.store.FindEntity(ctx, known); err != nil {
		t.Errorf("the known provider: %v", err)
	}
	if _, err := ingest.Accept(ctx, f.store, admin, []string{links[0].Claim.ID}); cg.ErrorCode(err) != cg.ECONFLICT {
		t.Errorf("accepting a rejected proposal: %v, want CONFLICT", err)
	}
}

// The same name, written another way, is the same provider, as before:
// no proposal, no second provider.
func TestExactNameReusesTheProvider(t *testing.T) {
	f := newFixture(t)
	known, name := f.knownProvider()
	res := f.ingestAccepted(f.awardTo("the " + strings.ToUpper(name) + " Ltd"))
	contract := "contract:" + res.Document.ContentHash[:12] + "-0"
	if got := holder(t, contract); len(got) != 1 || got[0] != known {
		t.Errorf("the contract is held by %v, want %s", got, known)
	}
	if n := len(f.links(res.Document.ID, "")); n != 0 {
		t.Errorf("%d proposals to link for an exact name, want none", n)
	}
}

// A name far from every known one proposes nothing.
func TestCloseNames(t *testing.T) {
	f := newFixture(t)
	f.knownProvider()
	res := f.ingestAccepted(f.awardTo("Osprey" + f.nonce + " Care"))
	if n := len(f.links(res.Document.ID, "")); n != 0 {
		t.Errorf("%d proposals to link an unrelated name, want none", n)
	}
}
