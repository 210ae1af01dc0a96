package dashboard_test

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/commissioning-graph/cgraph/internal/dashboard"
)

// Nothing is fetched from the internet at run time: no file names an
// http(s) address other than the SVG namespace.
func TestNoExternalAddresses(t *testing.T) {
	url := regexp.MustCompile(`https?://[^\s'"` + "`" + `)]+`)
	walk(t, func(name, text string) {
		for _, u := range url.FindAllString(text, -1) {
			if u != "http://www.w3.org/2000/svg" {
				t.Errorf("%s names %s: the dashboard must load nothing from elsewhere", name, u)
			}
		}
	})
}

// Every module import and every file index.html names is embedded.
func TestReferencesResolve(t *testing.T) {
	imports := regexp.MustCompile(`(?m)^import .* from '([^']+)';|^import '([^']+)';`)
	refs := regexp.MustCompile(`(?:src|href)="([^"#:]+)"`)
	walk(t, func(name, text string) {
		var targets []string
		for _, m := range imports.FindAllStringSubmatch(text, -1) {
			targets = append(targets, m[1]+m[2])
		}
		if name == "index.html" {
			for _, m := range refs.FindAllStringSubmatch(text, -1) {
				targets = append(targets, m[1])
			}
		}
		for _, target := range targets {
			if strings.HasPrefix(target, "../") && name == "index.html" {
				continue // GraphiQL, beside the dashboard
			}
			p := path.Join(path.Dir(name), target)
			if _, err := fs.Stat(dashboard.Static, p); err != nil {
				t.Errorf("%s refers to %s, which is not embedded", name, target)
			}
		}
	})
}

func TestHandler(t *testing.T) {
	srv := httptest.NewServer(http.StripPrefix("/dashboard", dashboard.Handler()))
	defer srv.Close()
	for p, wantType := range map[string]string{
		"/dashboard/":                  "text/html",
		"/dashboard/js/app.js":         "text/javascript",
		"/dashboard/css/dashboard.css": "text/css",
	} {
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), wantType) {
			t.Errorf("GET %s = %d %s, want 200 %s", p, res.StatusCode, res.Header.Get("Content-Type"), wantType)
		}
		if got := res.Header.Get("Content-Security-Policy"); !strings.Contains(got, "script-src 'self'") {
			t.Errorf("GET %s: policy %q does not keep scripts to the dashboard's own", p, got)
		}
	}
	res, err := http.Get(srv.URL + "/dashboard/js/missing.js")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("GET a missing file = %d, want 404", res.StatusCode)
	}
}

func walk(t *testing.T, f func(name, text string)) {
	t.Helper()
	n := 0
	err := fs.WalkDir(dashboard.Static, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(dashboard.Static, name)
		if err != nil {
			return err
		}
		n++
		f(name, string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Fatalf("only %d files embedded", n)
	}
}
