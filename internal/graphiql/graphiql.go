// Package graphiql serves GraphiQL from files embedded in the binary: a
// pinned GraphiQL release and the React it runs on (see static/vendor and
// tools/graphiql/fetch.sh), a page that loads nothing from any other
// origin, and the README's example queries as GraphiQL's tabs.
package graphiql

import (
	"embed"
	"encoding/json"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
)

//go:embed static
var files embed.FS

// static holds index.html, bootstrap.js, graphiql.css and vendor/.
var static, _ = fs.Sub(files, "static")

// Policy lets the page run only this server's scripts and styles and call
// only this server; GraphiQL's fonts are data: URLs inside its stylesheet.
const Policy = "default-src 'self'; script-src 'self'; style-src 'self'; font-src 'self' data:; " +
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; " +
	"frame-ancestors 'none'"

// Example is one example query offered as a tab.
type Example struct {
	Name  string `json:"name"`
	Query string `json:"query"`
}

// Examples reads every *.graphql file at the root of fsys, in name order.
func Examples(fsys fs.FS) ([]Example, error) {
	names, err := fs.Glob(fsys, "*.graphql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]Example, 0, len(names))
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(n, ".graphql")
		out = append(out, Example{Name: name, Query: named(string(b), operationName(name))})
	}
	return out, nil
}

// operationName turns a file's name, such as "01-service-team", into an
// operation name, "ServiceTeam".
func operationName(file string) string {
	var b strings.Builder
	for _, w := range strings.Split(file, "-") {
		if w == "" || w[0] >= '0' && w[0] <= '9' {
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// named gives an anonymous query (one whose first line that is not a
// comment is "{") the operation name op, so that GraphiQL's tab shows it.
func named(q, op string) string {
	if op == "" {
		return q
	}
	lines := strings.SplitAfter(q, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if strings.HasPrefix(t, "{") {
			lines[i] = strings.Replace(l, "{", "query "+op+" {", 1)
		}
		break
	}
	return strings.Join(lines, "")
}

// Handler serves the page at "/" and its files under "/graphiql/"; mount it
// at both. examples are offered as tabs, the first as the default query.
func Handler(examples []Example) http.Handler {
	list, _ := json.Marshal(examples)
	assets := http.FileServerFS(static)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", Policy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-cache")
		switch p := r.URL.Path; {
		case p == "/":
			assets.ServeHTTP(w, r) // index.html
		case p == "/graphiql/examples.json":
			h.Set("Content-Type", "application/json")
			_, _ = w.Write(list)
		case strings.HasPrefix(p, "/graphiql/") && !strings.HasSuffix(p, "/") && path.Base(p) != "index.html":
			r2 := *r
			u := *r.URL
			u.Path = strings.TrimPrefix(p, "/graphiql")
			r2.URL = &u
			assets.ServeHTTP(w, &r2)
		default:
			http.NotFound(w, r)
		}
	})
}
