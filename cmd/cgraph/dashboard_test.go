package main_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/commissioning-graph/cgraph/internal/dashboard/browsertest"
	"github.com/commissioning-graph/cgraph/internal/generate"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
)

var screenshots = flag.Bool("screenshots", false, "save a PNG of each dashboard view under docs/screenshots/")

// The dashboard is served by the binary, its files embedded, with a policy
// that lets the page fetch nothing but its own files and the API.
func TestDashboardServed(t *testing.T) {
	a := startAPI(t)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.Get(a.url + "/dashboard?api=https://api.example/graphql")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got, want := res.Header.Get("Location"), "/dashboard/?api=https://api.example/graphql"; got != want {
		t.Errorf("GET /dashboard redirects to %q, want %q (keeping the query)", got, want)
	}
	for path, want := range map[string]string{
		"/dashboard/":                    `<script type="module" src="js/app.js">`,
		"/dashboard/js/app.js":           "import",
		"/dashboard/css/dashboard.css":   "system-ui",
		"/dashboard/js/views/compare.js": "deliveryComparison",
	} {
		status, body, header := a.get(t, path)
		if status != 200 || !strings.Contains(body, want) {
			t.Errorf("GET %s = %d, want 200 with %q", path, status, want)
		}
		if csp := header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy = %q, want default-src 'self'", path, csp)
		}
	}
}

// The dashboard in a real headless Chromium, reading the seeded graph
// through the real binary.
func TestDashboard(t *testing.T) {
	a := startAPI(t)
	b := browsertest.MustStart(t)
	page := a.url + "/dashboard/"

	t.Run("contracts timeline shows the Barnardo's contracts and the deadline", func(t *testing.T) {
		ctx := browsertest.NewTab(t, b)
		existing := `#ending-contracts tr[data-id="contract:bromley-cse-barnardos-2017"]`
		further := `#ending-contracts tr[data-id="contract:bromley-cse-barnardos-2017-18"]`
		visit(t, ctx, page, existing)
		assertText(t, ctx, existing, "30 Sep 2017", "31 Mar 2017", "6 months before the end", "Not known (a date is missing)", "CSE Recovery Service: further contract for one year")
		assertText(t, ctx, further, "from 1 Oct 2017", "30 Sep 2018", "31 Mar 2018", "Not yet approved", "No successor approved")
		assertText(t, ctx, "main h2", "ending between 1 Jan 2017 and 1 Jan 2019")
		for _, id := range []string{"contract:bromley-cse-barnardos-2017", "contract:bromley-cse-barnardos-2017-18"} {
			if got := svgText(t, ctx, `svg.timeline g.contract[data-id="`+id+`"]`); !strings.Contains(got, "approve by 31 Mar 201") {
				t.Errorf("the timeline's %s reads %q, want its approval deadline", id, got)
			}
		}
		assertText(t, ctx, ".legend", "Approved in time", "Approved late", "Not yet approved", "Not known")

		// The filters: both seed contracts are Bromley's, and none ends in 2019.
		choose(t, ctx, `select[name="authority"]`, "authority:bromley")
		run(t, ctx, chromedp.Click(chromedp.CSS(`form.filters button`)))
		waitFor(t, ctx, `main[data-ready="contracts"] `+existing)
		assertLocation(t, ctx, "authority=authority%3Abromley")
		assertText(t, ctx, "main h2", "2 contracts ending between 1 Jan 2017 and 1 Jan 2019")
		screenshot(t, ctx, "contracts")
		visit(t, ctx, page+"#/contracts?from=2019-01-01&months=6&authority=authority:bromley", `main[data-ready="contracts"] .empty`)
		assertText(t, ctx, ".empty", "No contracts end between 1 Jan 2019 and 1 Jul 2019")
	})

	t.Run("service map of the CSE Recovery Service shows the Atlas Team", func(t *testing.T) {
		ctx := browsertest.NewTab(t, b)
		atlas := `#graph a.node[data-id="team:bromley-atlas"]`
		visit(t, ctx, page+"#/map?id=service:bromley-cse-recovery", atlas)
		if got := svgText(t, ctx, atlas); got != "Team: Atlas TeamAtlas Team" {
			t.Errorf("the Atlas Team's node reads %q", got)
		}
		assertText(t, ctx, "aside", "CSE Recovery Service", "13 entities and 19 relationships", "Team", "Contract")
		if got := svgText(t, ctx, `#graph .edge[data-type="INTEGRATED_INTO"]`); !strings.Contains(got, "INTEGRATED_INTO Atlas Team") {
			t.Errorf("no INTEGRATED_INTO arrow to the Atlas Team: %q", got)
		}
		screenshot(t, ctx, "map")

		// Choosing an entity moves the centre to it and the address with it.
		run(t, ctx, chromedp.Click(chromedp.CSS(atlas+" .shape")))
		waitFor(t, ctx, `#graph a.node.centre[data-id="team:bromley-atlas"]`)
		assertLocation(t, ctx, "#/map?id=team%3Abromley-atlas")
		assertText(t, ctx, "aside", "Atlas Team")
	})

	t.Run("comparison table shows Bromley's row and sorts by clicking headings", func(t *testing.T) {
		ctx := browsertest.NewTab(t, b)
		bromley := `#comparison tr[data-authority="authority:bromley"]`
		// Real authorities only: tests of the generator may have written
		// synthetic ones to the same database.
		visit(t, ctx, page+"#/compare?serviceType=CSE_SUPPORT&synthetic=false", bromley)
		assertText(t, ctx, bromley, "London Borough of Bromley", "CSE Recovery Service", "Commissioned", "Barnardo's", "Limited", "12", "15", "4", "not known", "This was the only service offered.", "Atlas Team")
		assertText(t, ctx, "#caveat", "Raw comparisons mislead")
		assertText(t, ctx, "main", "No cost per child (annual value ÷ children supported) is known for any authority")
		run(t, ctx, chromedp.Click(chromedp.CSS("#sort-WAITING_LIST")))
		waitFor(t, ctx, `th[aria-sort="ascending"] #sort-WAITING_LIST`)
		run(t, ctx, chromedp.Click(chromedp.CSS("#sort-WAITING_LIST")))
		waitFor(t, ctx, `th[aria-sort="descending"] #sort-WAITING_LIST`)
		assertLocation(t, ctx, "sortBy=WAITING_LIST&desc=1")
		assertFocused(t, ctx, "sort-WAITING_LIST")

		choose(t, ctx, `select[name="measure"]`, "waitingList")
		run(t, ctx, chromedp.Click(chromedp.CSS(`form.filters button`)))
		waitFor(t, ctx, `main[data-ready="compare"] svg.bars`)
		if got, want := svgText(t, ctx, "svg.bars .bar rect"), "London Borough of Bromley: 4 (Commissioned)"; got != want {
			t.Errorf("the waiting list chart's bar reads %q, want %q", got, want)
		}
		screenshot(t, ctx, "compare")
	})

	t.Run("search for Atlas reaches the team's page and its sources", func(t *testing.T) {
		ctx := browsertest.NewTab(t, b)
		visit(t, ctx, page, `main[data-ready="contracts"]`)
		run(t, ctx, chromedp.SendKeys(chromedp.CSS("#search-text"), "Atlas"+kb.Enter))
		hit := `#hits li[data-id="team:bromley-atlas"] a`
		waitFor(t, ctx, hit)
		assertText(t, ctx, "#hits", "Review of the Atlas Team", "relevance")
		screenshot(t, ctx, "search")

		run(t, ctx, chromedp.Click(chromedp.CSS(hit)))
		waitFor(t, ctx, `main[data-ready="entity"] #sources`)
		assertText(t, ctx, "main h1", "Atlas Team")
		assertText(t, ctx, `dd[data-field="launched"]`, "Jan 2017")
		assertText(t, ctx, `dd[data-field="description"]`, "not known")
		assertText(t, ctx, "#relationships", "INTEGRATED_INTO", "CSE Recovery Service", "PART_OF", "London Borough of Bromley",
			"was integrated into the Atlas Team")
		assertText(t, ctx, "#sources", "the Atlas Team had been launched in January 2017", "CSD17132")
		assertLocation(t, ctx, "#/entity/team%3Abromley-atlas")
		screenshot(t, ctx, "entity")
	})

	t.Run("an unknown id is shown as the API's NOT_FOUND error", func(t *testing.T) {
		ctx := browsertest.NewTab(t, b)
		visit(t, ctx, page+"#/entity/service:nowhere", `main[data-ready="entity"] .error[role="alert"]`)
		assertText(t, ctx, ".error", `no entity has id "service:nowhere"`, "NOT_FOUND", "The graph holds nothing with that id")
	})

	t.Run("an API that cannot be reached is shown in words", func(t *testing.T) {
		ctx := browsertest.NewTab(t, b)
		api := "http://" + closedAddr(t) + "/graphql"
		visit(t, ctx, page+"?api="+api+"#/contracts", `main[data-ready="contracts"] .error[role="alert"]`)
		assertText(t, ctx, "main", "Could not load the authorities and service types", "Could not load the contracts", "Could not reach the GraphQL API at "+api, "NETWORK")
		assertText(t, ctx, "#api-url", api)
	})
}

// Over a small generated graph the comparison lists several authorities,
// marked synthetic, with a chart of what is known of them, and the
// timeline shows their contracts' approvals as the API computes them.
func TestDashboardGeneratedGraph(t *testing.T) {
	c := neo4jtest.Config(t)
	neo4jtest.ForgetGeneratedAtEnd(t, generate.Options{Seed: 515, Authorities: 6, Months: 2})
	gen := exec.Command(binary, "generate", "-authorities", "6", "-seed", "515", "-months", "2")
	gen.Env = append(os.Environ(), "NEO4J_URI="+c.URI, "NEO4J_PASSWORD="+c.Password)
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	a := startAPI(t)
	b := browsertest.MustStart(t)
	page := a.url + "/dashboard/"

	t.Run("comparison lists the generated authorities", func(t *testing.T) {
		ctx := browsertest.NewTab(t, b)
		visit(t, ctx, page+"#/compare?serviceType=CSE_SUPPORT&synthetic=true&measure=childrenSupported", `#comparison tr.synthetic[data-authority^="authority:syn515-"]`)
		rows := get(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#comparison tbody tr')).map((r) => r.dataset.authority)`))
		var generated []string
		for _, id := range rows {
			if strings.HasPrefix(id, "authority:syn515-") {
				generated = append(generated, id)
			}
		}
		// Every generated authority has a CSE support service.
		if len(generated) != 6 {
			t.Errorf("the comparison lists %d of the 6 generated authorities: %v", len(generated), rows)
		}
		if strings.Contains(strings.Join(rows, " "), "authority:bromley") {
			t.Errorf("synthetic only, yet Bromley is listed")
		}
		assertText(t, ctx, `#comparison tr[data-authority="authority:syn515-a0000"]`, "(synthetic 0)", "synthetic")
		bars := svgText(t, ctx, "svg.bars .bar rect")
		if n := strings.Count(bars, "(synthetic"); n < 6 {
			t.Errorf("the children supported chart has %d bars of generated authorities, want at least 6: %s", n, bars)
		}
		screenshot(t, ctx, "compare-generated")

		choose(t, ctx, `select[name="groupBy"]`, "DELIVERY_MODEL")
		run(t, ctx, chromedp.Click(chromedp.CSS(`form.filters button`)))
		waitFor(t, ctx, `main[data-ready="compare"] #groups`)
		assertLocation(t, ctx, "groupBy=DELIVERY_MODEL")
	})

	t.Run("timeline shows a generated authority's approvals as the API computes them", func(t *testing.T) {
		r := a.query(t, `{ endingContracts(from: "2017-01-01", months: 120, authority: "authority:syn515-a0000") { contract { id } status } }`)
		var want struct {
			EndingContracts []struct {
				Contract struct{ ID string }
				Status   string
			}
		}
		if err := json.Unmarshal(r.Data, &want); err != nil || len(want.EndingContracts) == 0 {
			t.Fatalf("endingContracts: %v %s %+v", err, r.Data, r.Errors)
		}
		ctx := browsertest.NewTab(t, b)
		visit(t, ctx, page+"#/contracts?from=2017-01-01&months=120&authority=authority:syn515-a0000", `#ending-contracts tbody tr`)
		words := map[string]string{"APPROVED_IN_TIME": "Approved in time", "APPROVED_LATE": "Approved late", "NOT_YET_APPROVED": "Not yet approved", "UNKNOWN": "Not known"}
		for _, e := range want.EndingContracts {
			assertText(t, ctx, `#ending-contracts tr[data-id="`+e.Contract.ID+`"]`, words[e.Status])
		}
		if got := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#ending-contracts tbody tr').length`)); got != len(want.EndingContracts) {
			t.Errorf("the table has %d contracts, the API %d", got, len(want.EndingContracts))
		}
		screenshot(t, ctx, "contracts-generated")
	})
}

// A dashboard served from one origin reads an API on another when the API's
// CORS_ALLOWED_ORIGINS lists it, and says so in words when it does not.
func TestDashboardFromAnotherOrigin(t *testing.T) {
	dash := startAPI(t)
	api := startAPI(t, "CORS_ALLOWED_ORIGINS="+dash.url)
	b := browsertest.MustStart(t)

	ctx := browsertest.NewTab(t, b)
	visit(t, ctx, dash.url+"/dashboard/?api="+api.url+"/graphql#/compare", `#comparison tr[data-authority="authority:bromley"]`)
	assertText(t, ctx, "#api-url", api.url+"/graphql")

	// The other way round the origin is not allowed: dash allows only its defaults.
	ctx = browsertest.NewTab(t, b)
	visit(t, ctx, api.url+"/dashboard/?api="+dash.url+"/graphql#/compare", `main[data-ready="compare"] .error[role="alert"]`)
	assertText(t, ctx, ".error", "Could not reach the GraphQL API at "+dash.url+"/graphql", "CORS_ALLOWED_ORIGINS includes "+api.url)
}

func run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser: %v\nthe page showed:\n%s", err, mainText(ctx))
	}
}

// get runs an action that returns a value.
func get[T any](t *testing.T, ctx context.Context, action chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatalf("browser: %v\nthe page showed:\n%s", err, mainText(ctx))
	}
	return v
}

// visit loads an address and waits until selector is shown.
func visit(t *testing.T, ctx context.Context, url, selector string) {
	t.Helper()
	run(t, ctx, chromedp.Navigate(url))
	waitFor(t, ctx, selector)
}

func waitFor(t *testing.T, ctx context.Context, selector string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(selector))); err != nil {
		t.Fatalf("waiting for %s: %v\nthe page showed:\n%s", selector, err, mainText(ctx))
	}
}

// mainText is what the page shows, for failure messages.
func mainText(ctx context.Context) string {
	c, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(c, chromedp.Evaluate[string](`(document.querySelector('main') || document.documentElement).innerText`))
	if err != nil {
		return "(could not read the page: " + err.Error() + ")"
	}
	return s
}

// assertText checks that the first element matching selector shows every
// one of wants.
func assertText(t *testing.T, ctx context.Context, selector string, wants ...string) {
	t.Helper()
	got := get(t, ctx, chromedp.Text(chromedp.CSS(selector), chromedp.NodeVisible))
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s does not show %q; it shows:\n%s", selector, w, got)
		}
	}
}

// svgText is the text content of the SVG elements matching selector
// (which have no innerText), joined by " | ".
func svgText(t *testing.T, ctx context.Context, selector string) string {
	t.Helper()
	return get(t, ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`Array.from(document.querySelectorAll(%q)).map((e) => e.textContent).join(' | ')`, selector)))
}

// choose picks an option of a select, as a person would with the keyboard:
// focus, then the option's value, then a change event.
func choose(t *testing.T, ctx context.Context, selector, value string) {
	t.Helper()
	got := get(t, ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`(() => { const s = document.querySelector(%q); s.focus(); s.value = %q; s.dispatchEvent(new Event('change', {bubbles: true})); return s.value; })()`,
		selector, value)))
	if got != value {
		t.Fatalf("%s has no option %q", selector, value)
	}
}

func assertLocation(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	if got := get(t, ctx, chromedp.Location()); !strings.Contains(got, want) {
		t.Errorf("address = %s, want it to contain %s", got, want)
	}
}

func assertFocused(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	if got := get(t, ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ''`)); got != id {
		t.Errorf("focus is on #%s, want #%s", got, id)
	}
}

// screenshot saves the viewport as docs/screenshots/<name>.png when the
// tests run with -screenshots.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if !*screenshots {
		return
	}
	png := get(t, ctx, chromedp.CaptureScreenshot())
	path := filepath.Join("..", "..", "docs", "screenshots", name+".png")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// closedAddr is a local address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
