package main_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/commissioning-graph/cgraph/internal/dashboard/browsertest"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
)

// An analyst ingests a decision notice in the dashboard, reviews the facts
// it proposes beside its text, accepts them, and finds the contract on its
// entity page with the sentence it rests on, linked to the passage in the
// document.
func TestDashboardDocumentReview(t *testing.T) {
	a := startAPI(t, "AUTH_JWT_SECRET="+testSecret)
	admin := mint(t, "-sub", "test:documents", "-role", "admin")
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	nonce := hex.EncodeToString(b)
	authority := "authority:browser-" + nonce
	neo4jtest.ForgetAuthorityAtEnd(t, authority)
	if r := a.gql(t, admin, `mutation($id: ID!, $name: String!) { createAuthority(id: $id, input: {name: $name}) { id } }`,
		map[string]any{"id": authority, "name": "Browsershire " + nonce + " Council"}); len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	sentence := "The Cabinet Member approved the award of the Floating Support contract to Anchor Housing Trust for a period of 12 months from 1 October 2025 to 30 September 2026."
	notice := fmt.Sprintf("https://democracy.browsershire-%s.gov.uk/ieDecisionDetails.aspx?ID=1\nDecision details\n\nFloating Support contract %s\n\nDecision Maker: Cabinet Member for Housing\n\nDecision:\n%s\n", nonce, nonce, sentence)

	br := browsertest.MustStart(t)
	ctx := browsertest.NewTab(t, br)
	page := a.url + "/dashboard/"

	// The token, through the settings page.
	visit(t, ctx, page+"#/settings", `#token-form input[name="token"]`)
	run(t, ctx, chromedp.SendKeys(chromedp.CSS(`#token-form input[name="token"]`), admin),
		chromedp.Click(chromedp.CSS(`#token-form button[type="submit"]`)))
	waitFor(t, ctx, `main[data-ready="documents"] #ingest`)

	// Ingest, by pasting the notice's text.
	run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#ingest input[name="authority"]`), authority),
		chromedp.SetValue(chromedp.CSS(`#ingest textarea[name="content"]`), notice),
		chromedp.Click(chromedp.CSS(`#ingest button[type="submit"]`)))
	waitFor(t, ctx, `main[data-ready="document"] #claims li.claim`)
	assertText(t, ctx, ".document-text", sentence)
	assertText(t, ctx, `#claims li[data-field="contracts[0].provider"]`, "Anchor Housing Trust", "Proposed")
	if n := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.document-text mark.quote').length`)); n == 0 {
		t.Error("no words of the text are marked")
	}
	// Text from the document is text: a tag in it would be shown, not made.
	if n := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.document-text script, .document-text img').length`)); n != 0 {
		t.Errorf("the document's text made %d elements", n)
	}
	loc := get(t, ctx, chromedp.Evaluate[string](`location.hash`))
	doc, _ := url.PathUnescape(strings.TrimPrefix(loc, "#/document/"))
	if !strings.HasPrefix(doc, "document:") {
		t.Fatalf("the ingest went to %q, not a document's page", loc)
	}

	// Accept everything proposed, from the keyboard.
	run(t, ctx, chromedp.Focus(chromedp.CSS(`#accept-all`)), chromedp.KeyEvent("\r"))
	waitFor(t, ctx, `#claims li.claim.accepted[data-field="contracts[0].provider"]`)
	if n := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#claims li.claim.proposed').length`)); n != 0 {
		t.Errorf("%d claims are still proposed after accepting all", n)
	}

	// The contract's page shows the sentence, linked to its document.
	contract := "contract:" + strings.TrimPrefix(doc, "document:")[:12] + "-0"
	visit(t, ctx, page+"#/entity/"+url.PathEscape(contract), `main[data-ready="entity"] #sources`)
	assertText(t, ctx, "#sources", sentence)
	assertText(t, ctx, `dd[data-field="endDate"]`, "30 Sep 2026")
	run(t, ctx, chromedp.Click(chromedp.CSS(`#sources a.in-document`)))
	waitFor(t, ctx, `main[data-ready="document"] .document-text mark.cited`)
	cited := get(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('.document-text mark.cited')].map((m) => m.textContent).join('')`))
	if !strings.Contains(cited, sentence) {
		t.Errorf("the passage outlined in the document is %q, want the sentence", cited)
	}
	screenshot(t, ctx, "document")
}
