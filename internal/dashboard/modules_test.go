package dashboard_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/commissioning-graph/cgraph/internal/dashboard"
	"github.com/commissioning-graph/cgraph/internal/dashboard/browsertest"
)

// The dashboard's pure modules (formatting, layout, the model of the
// schema, passages, addresses, colours) pass their unit tests
// (testdata/unit/*.test.js) in headless Chromium, importing the files the
// binary embeds. Each JavaScript test is a subtest here.
func TestPureModules(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/dashboard/", http.StripPrefix("/dashboard", dashboard.Handler()))
	mux.Handle("/unit/", http.StripPrefix("/unit", http.FileServer(http.Dir("testdata/unit"))))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	ctx := browsertest.NewTab(t, browsertest.MustStart(t))
	if _, err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/unit/index.html")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS("body[data-done]"))); err != nil {
		t.Fatalf("the unit tests did not finish: %v", err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(window.unitResults)`))
	if err != nil {
		t.Fatal(err)
	}
	var results []struct {
		Name     string   `json:"name"`
		Failures []string `json:"failures"`
	}
	if err := json.Unmarshal([]byte(raw), &results); err != nil {
		t.Fatalf("results %q: %v", raw, err)
	}

	// Every test file ran: main.js imports each, and each has tests.
	files, err := filepath.Glob("testdata/unit/*.test.js")
	if err != nil || len(files) < 6 {
		t.Fatalf("test files: %v, %v", files, err)
	}
	main, err := os.ReadFile("testdata/unit/main.js")
	if err != nil {
		t.Fatal(err)
	}
	declared := regexp.MustCompile(`(?m)^test\('`)
	want := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want += len(declared.FindAll(src, -1))
		if m := strings.TrimSuffix(filepath.Base(f), ".test.js"); !strings.Contains(string(main), "'"+m+"'") {
			t.Errorf("main.js does not import %s", filepath.Base(f))
		}
	}
	if len(results) != want {
		t.Errorf("%d results, want one for each of the %d tests", len(results), want)
	}
	for _, r := range results {
		t.Run(r.Name, func(t *testing.T) {
			for _, f := range r.Failures {
				t.Error(f)
			}
		})
	}
}
