package main_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/commissioning-graph/cgraph/internal/dashboard/browsertest"
)

// GraphiQL is served by the binary with everything it needs: in a Chromium
// that can reach no host but this one, the page loads, offers the README's
// examples, runs one and shows the answer; and it asks for nothing from
// anywhere else.
func TestGraphiQLOffline(t *testing.T) {
	a := startAPI(t)
	b := browsertest.MustStart(t, browsertest.Offline...)
	ctx := browsertest.NewTab(t, b)

	var mu sync.Mutex
	var elsewhere []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && !strings.HasPrefix(e.Request.URL, a.url) && !strings.HasPrefix(e.Request.URL, "data:") {
			mu.Lock()
			elsewhere = append(elsewhere, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	visit(t, ctx, a.url+"/", ".graphiql-container .graphiql-execute-button")

	// The first example is the default query, every example a tab.
	tabs := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.graphiql-tab').length`))
	if tabs != 16 {
		t.Errorf("GraphiQL shows %d tabs, want the README's 16 examples", tabs)
	}
	titles := get(t, ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll('.graphiql-tab')).map((e) => e.textContent).join(' | ')`))
	for _, want := range []string{"ServiceTeam", "TeamServices", "DeliveryComparison"} {
		if !strings.Contains(titles, want) {
			t.Errorf("the tabs read %q, want %s among them", titles, want)
		}
	}
	editor := get(t, ctx, chromedp.Evaluate[string](`document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue()`))
	if !strings.Contains(editor, `service(id: "service:bromley-cse-recovery")`) || !strings.Contains(editor, "query ServiceTeam {") {
		t.Errorf("the query editor holds %q, want the first example", editor)
	}

	run(t, ctx, chromedp.Click(chromedp.CSS(".graphiql-execute-button")))
	answer := `document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()`
	run(t, ctx, chromedp.Poll[chromedp.Void](answer+`.includes('Atlas Team')`))
	got := get(t, ctx, chromedp.Evaluate[string](answer))
	for _, want := range []string{`"name": "Child Sexual Exploitation Recovery Service"`, `"name": "Atlas Team"`, `"launched": "2017-01"`} {
		if !strings.Contains(got, want) {
			t.Errorf("the answer shown lacks %s:\n%s", want, got)
		}
	}
	screenshot(t, ctx, "graphiql")
	mu.Lock()
	defer mu.Unlock()
	if len(elsewhere) > 0 {
		t.Errorf("the page asked other hosts for %v", elsewhere)
	}
}
