package graph

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// specWriter turns gqlgen's refusals before execution into what the
// GraphQL-over-HTTP spec recommends and leaves everything else alone.
func TestSpecWriter(t *testing.T) {
	for _, tc := range []struct {
		name, contentType string
		status            int
		body              string
		wantStatus        int
		wantBody          string
	}{
		{"json parse failure", "application/json", 422, `{"errors":[{"message":"x"}],"data":null}`,
			200, `{"errors":[{"message":"x"}]}`},
		{"graphql-response parse failure", "application/graphql-response+json", 400, `{"errors":[{"message":"x"}],"data":null}`,
			400, `{"errors":[{"message":"x"}]}`},
		{"json not decodable", "application/json", 400, `{"errors":[{"message":"bad json"}],"data":null}`,
			400, `{"errors":[{"message":"bad json"}]}`},
		{"executed", "application/json", 200, `{"data":null,"errors":[{"message":"x"}]}`,
			200, `{"data":null,"errors":[{"message":"x"}]}`},
		{"no status written", "application/json", 0, `{"data":{"a":1}}`,
			200, `{"data":{"a":1}}`},
		{"refusal with data kept", "application/graphql-response+json", 400, `{"errors":[],"data":{"a":1}}`,
			400, `{"errors":[],"data":{"a":1}}`},
		{"not json", "text/plain", 413, `too large`, 413, `too large`},
		{"no query, json", "application/json", 422, `{"errors":[{"message":"no operation provided"}],"data":null}`,
			400, `{"errors":[{"message":"no operation provided"}]}`},
		{"no query, graphql-response", "application/graphql-response+json", 400, `{"errors":[{"message":"no operation provided"}],"data":null}`,
			400, `{"errors":[{"message":"no operation provided"}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			w := &specWriter{ResponseWriter: rec}
			w.Header().Set("Content-Type", tc.contentType)
			if tc.status != 0 {
				w.WriteHeader(tc.status)
			}
			_, _ = w.Write([]byte(tc.body))
			w.finish()
			if rec.Code != tc.wantStatus || rec.Body.String() != tc.wantBody {
				t.Errorf("got %d %s, want %d %s", rec.Code, rec.Body, tc.wantStatus, tc.wantBody)
			}
		})
	}
}

func TestLoadAllowedOperations(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	q := "{ a }"
	good := write("good.json", `{"`+QueryHash(q)+`": "{ a }"}`)
	ops, err := LoadAllowedOperations(good)
	if err != nil || ops[QueryHash(q)] != q || len(ops) != 1 {
		t.Errorf("good list = %v, %v", ops, err)
	}
	for name, text := range map[string]string{
		"wrong-hash.json": `{"` + QueryHash("{ b }") + `": "{ a }"}`,
		"not-json.json":   `{ a }`,
		"empty.json":      `{}`,
	} {
		if _, err := LoadAllowedOperations(write(name, text)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	sub := filepath.Join(dir, "docs")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"a.graphql", "b.graphql"} {
		if err := os.WriteFile(filepath.Join(sub, f), []byte("query "+strings.TrimSuffix(f, ".graphql")+" { a }"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ops, err = LoadAllowedOperations(sub)
	if err != nil || len(ops) != 2 || ops[QueryHash("query a { a }")] == "" {
		t.Errorf("folder = %v, %v", ops, err)
	}
	if _, err := LoadAllowedOperations(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing path gives no error")
	}
	if _, err := LoadAllowedOperations(t.TempDir()); err == nil {
		t.Error("an empty folder gives no error")
	}
}

var _ http.ResponseWriter = (*specWriter)(nil)
