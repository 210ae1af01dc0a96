package graphiql

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestExamples(t *testing.T) {
	fsys := fstest.MapFS{
		"02-team-services.graphql": {Data: []byte("# Which?\n# More.\n\n{\n  b\n}\n")},
		"01-a.graphql":             {Data: []byte("query Named { a }")},
		"01-a.json":                {Data: []byte("{}")},
	}
	got, err := Examples(fsys)
	if err != nil || len(got) != 2 {
		t.Fatalf("Examples = %+v, %v", got, err)
	}
	if want := (Example{"01-a", "query Named { a }"}); got[0] != want {
		t.Errorf("a named query = %+v, want it as it is", got[0])
	}
	if want := (Example{"02-team-services", "# Which?\n# More.\n\nquery TeamServices {\n  b\n}\n"}); got[1] != want {
		t.Errorf("an anonymous query = %+v, want it named after its file", got[1])
	}
}

func TestHandler(t *testing.T) {
	h := Handler([]Example{{"01-a", "{ a }"}})
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/", 200, `<script src="graphiql/bootstrap.js">`},
		{"/graphiql/bootstrap.js", 200, "GraphiQL.createFetcher"},
		{"/graphiql/graphiql.css", 200, "#graphiql"},
		{"/graphiql/vendor/graphiql.min.js", 200, ""},
		{"/graphiql/vendor/react.production.min.js", 200, ""},
		{"/graphiql/vendor/react-dom.production.min.js", 200, ""},
		{"/graphiql/vendor/graphiql.min.css", 200, ".graphiql-container"},
		{"/graphiql/examples.json", 200, `[{"name":"01-a","query":"{ a }"}]`},
		{"/graphiql/vendor/", 404, ""},
		{"/graphiql/", 404, ""},
		{"/graphiql/missing.js", 404, ""},
		{"/elsewhere", 404, ""},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", tc.path, nil))
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("GET %s = %d, want %d with %q", tc.path, rec.Code, tc.status, tc.want)
		}
		if csp := rec.Header().Get("Content-Security-Policy"); csp != Policy {
			t.Errorf("GET %s: Content-Security-Policy = %q", tc.path, csp)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/graphiql/examples.json", nil))
	var list []Example
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || rec.Header().Get("Content-Type") != "application/json" {
		t.Errorf("examples.json: %v, %s", err, rec.Header().Get("Content-Type"))
	}
}

// The policy allows this server only, and no inline script or style.
func TestPolicy(t *testing.T) {
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "http:", "https:", "*"} {
		if strings.Contains(Policy, bad) {
			t.Errorf("the policy allows %s: %s", bad, Policy)
		}
	}
	for _, want := range []string{"script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(Policy, want) {
			t.Errorf("the policy lacks %s", want)
		}
	}
}
