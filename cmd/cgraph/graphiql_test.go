package main_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// GraphiQL is served by the binary with everything it needs: in a Chromium
// that can reach no host but this one, the page loads, offers the README's
// examples, runs one and shows the answer; and it asks for nothing from
// anywhere else.
func TestGraphiQLOffline(t *testing.T) {
	a := startAPI(t)
	b := startOfflineBrowser(t)
	ctx := newTab(t, b)

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

// startOfflineBrowser is startBrowser with every host but 127.0.0.1
// unreachable, as on a network without internet access.
func startOfflineBrowser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		path, _ = exec.LookPath("chromium")
	}
	if path == "" {
		t.Fatal("chromium is not installed: install it (Debian: apt-get install -y chromium; .ci/run does this) or set CHROMIUM to its path")
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.ProxyServer("http://127.0.0.1:9"), // a proxy that is not there: nothing leaves by any route
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium (%s): %v", path, err)
	}
	return ctx
}
