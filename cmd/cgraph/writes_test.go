package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
	"github.com/commissioning-graph/cgraph/internal/ocds"
)

const testSecret = "e2e-test-secret-of-at-least-32-bytes"

// derby is an OCDS release package from Contracts Finder (see
// internal/ocds/testdata/README.md).
const derby = "testdata/ocds-b5fd17-2cea26e2-adc8-11e6-9901-0019b9f3037b-derbscity-9ppj-la3li7.json"

// e2eDerby is the derby package with its process and its buyer renamed, so
// that what these tests import is theirs alone: the OCDS package's tests
// import the original package while these run. It returns the document,
// a file holding it, and the ids of what it writes.
func e2eDerby(t *testing.T) (doc []byte, file string, ids []string) {
	t.Helper()
	orig, err := os.ReadFile(derby)
	if err != nil {
		t.Fatal(err)
	}
	doc = []byte(strings.NewReplacer("ocds-b5fd17-2cea26e2", "ocds-test-e2e-2cea26e2",
		`"Derby City Council"`, `"Test E2E Derby City Council"`).Replace(string(orig)))
	g, err := ocds.Parse("derby.json", doc, ocds.DefaultMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range g.Nodes {
		if id := n.Entity.EntityID(); !strings.Contains(id, "test-e2e") {
			t.Fatalf("the renamed package still writes %s", id)
		}
		ids = append(ids, n.Entity.EntityID())
	}
	for _, s := range g.Sources {
		ids = append(ids, s.ID)
	}
	file = filepath.Join(t.TempDir(), "derby.json")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	return doc, file, ids
}

// e2e is what the tests of this package write: entities named test-e2e-…
// and ocds-test-… (with the buyers of their OCDS packages), the sources of
// the files they import, and what their principals did.
var e2e = neo4jtest.Scope{
	IDs:       []string{"authority:ocds-gb-lac-e06000099"},
	Names:     []string{"test-e2e-", "ocds-test-", "ocds-name-gb-test-e2e-"},
	Documents: []string{"e2e minute", "derby.json", "mixed.json", "bad.json"},
	Actors:    []string{"e2e-admin", "e2e-alice", "e2e-olga", "e2e-viewer", "e2e-cli", "mallory", ""},
}

// mint runs `cgraph token` and returns the token it prints.
func mint(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"token"}, args...)...)
	cmd.Env = append(os.Environ(), "AUTH_JWT_SECRET="+testSecret)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cgraph token %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

func (r response) code() any {
	if len(r.Errors) == 0 {
		return nil
	}
	return r.Errors[0].Extensions["code"]
}

func (r response) must(t *testing.T) response {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	return r
}

// refused checks that a request fails with code and leaves what these
// tests wrote, and the seeded minute, as they were.
func refused(t *testing.T, code string, do func() response) {
	t.Helper()
	defer neo4jtest.MustUnchanged(t, e2e)()
	r := do()
	if r.code() != code {
		t.Errorf("code = %v, want %s (%+v)", r.code(), code, r.Errors)
	}
}

func TestWritesEndToEnd(t *testing.T) {
	const svc, home, team = "service:test-e2e-writes", "authority:test-e2e-home", "team:test-e2e-home"
	neo4jtest.MustForget(t, svc, home, team, "contract:test-e2e-bad")
	t.Cleanup(func() {
		neo4jtest.MustForget(t, svc, home, team)
		neo4jtest.MustForgetSources(t, "e2e minute")
	})
	a := startAPI(t, "AUTH_JWT_SECRET="+testSecret)
	admin := mint(t, "-sub", "e2e-admin", "-role", "admin")
	editor := mint(t, "--sub", "e2e-alice", "--role", "editor", "--authority", home, "--ttl", "1h")
	start := time.Now().UTC().Add(-time.Second).Format(time.RFC3339)

	// The editor's authority and team, of this test alone: the seeded
	// minute is read by the tests running beside it, so none writes to it.
	a.gql(t, admin, `mutation {
		a: createAuthority(id: "authority:test-e2e-home", input: {name: "Home Borough"}) { id }
		t: createTeam(id: "team:test-e2e-home", input: {name: "Home Team"}) { id }
		l: link(type: PART_OF, from: "team:test-e2e-home", to: "authority:test-e2e-home") { type }
	}`, nil).must(t)

	r := a.gql(t, admin, `mutation($id: ID!) {
		createService(id: $id, input: {name: "Test Recovery Service", shortName: "Test"},
			source: {document: "e2e minute", passage: "A new service was set up."}) {
			id version name sources { passage }
		}
	}`, map[string]any{"id": svc}).must(t)
	if want := `{"createService":{"id":"service:test-e2e-writes","version":1,"name":"Test Recovery Service","sources":[{"passage":"A new service was set up."}]}}`; string(r.Data) != want {
		t.Errorf("create = %s, want %s", r.Data, want)
	}

	// The editor integrates the (shared, new) service into its team.
	r = a.gql(t, editor, `mutation($id: ID!) {
		link(type: INTEGRATED_INTO, from: $id, to: "team:test-e2e-home") { type direction node { id } }
	}`, map[string]any{"id": svc}).must(t)
	if want := `{"link":{"type":"INTEGRATED_INTO","direction":"OUTGOING","node":{"id":"team:test-e2e-home"}}}`; string(r.Data) != want {
		t.Errorf("link = %s", r.Data)
	}
	r = a.gql(t, editor, `mutation($id: ID!) {
		updateService(id: $id, version: 1, input: {name: "Test Recovery Service", shortName: "TRS"}) { version shortName team { name } }
	}`, map[string]any{"id": svc}).must(t)
	if want := `{"updateService":{"version":2,"shortName":"TRS","team":{"name":"Home Team"}}}`; string(r.Data) != want {
		t.Errorf("update = %s", r.Data)
	}

	refused(t, "CONFLICT", func() response {
		return a.gql(t, editor, `mutation($id: ID!) { updateService(id: $id, version: 1, input: {name: "Lost"}) { version } }`,
			map[string]any{"id": svc})
	})
	refused(t, "CONFLICT", func() response {
		return a.gql(t, admin, `mutation($id: ID!) { createTeam(id: $id, input: {name: "Dup"}) { id } }`, map[string]any{"id": svc})
	})
	refused(t, "INVALID", func() response {
		return a.gql(t, admin, `mutation { createContract(id: "contract:test-e2e-bad", input: {title: "T", startDate: "2024-02-30"}) { id } }`, nil)
	})
	refused(t, "INVALID", func() response {
		return a.gql(t, admin, `mutation { createContract(id: "contract:test-e2e-bad",
			input: {title: "T", startDate: "2024-03-01", endDate: "2024-02-01"}) { id } }`, nil)
	})
	refused(t, "NOT_FOUND", func() response {
		return a.gql(t, admin, `mutation($id: ID!) { link(type: INTEGRATED_INTO, from: $id, to: "team:nowhere") { type } }`, map[string]any{"id": svc})
	})
	refused(t, "INVALID", func() response {
		return a.gql(t, admin, `mutation($id: ID!) { link(type: HOLDS_CONTRACT, from: $id, to: "team:test-e2e-home") { type } }`, map[string]any{"id": svc})
	})
	refused(t, "UNAUTHORIZED", func() response {
		return a.gql(t, "", `mutation($id: ID!) { deleteNode(id: $id, version: 2) }`, map[string]any{"id": svc})
	})
	refused(t, "FORBIDDEN", func() response {
		return a.gql(t, mint(t, "-sub", "e2e-viewer", "-role", "viewer"), `mutation($id: ID!) { deleteNode(id: $id, version: 2) }`, map[string]any{"id": svc})
	})

	// The audit trail: by entity, by actor, in a period.
	refused(t, "UNAUTHORIZED", func() response {
		return a.gql(t, "", `query($id: ID!) { changes(entityId: $id) { id } }`, map[string]any{"id": svc})
	})
	r = a.gql(t, mint(t, "-sub", "e2e-viewer", "-role", "viewer"), `query($id: ID!, $since: DateTime!) {
		byEntity: changes(entityId: $id) { operation actor relType toId fields { name before after } }
		byActor: changes(actor: "e2e-alice", since: $since) { operation entityId }
		none: changes(actor: "e2e-alice", until: $since) { id }
	}`, map[string]any{"id": svc, "since": start}).must(t)
	want := `{"byEntity":[` +
		`{"operation":"CREATE","actor":"e2e-admin","relType":null,"toId":null,"fields":[{"name":"name","before":"null","after":"\"Test Recovery Service\""},{"name":"shortName","before":"null","after":"\"Test\""},{"name":"synthetic","before":"null","after":"false"}]},` +
		`{"operation":"LINK","actor":"e2e-alice","relType":"INTEGRATED_INTO","toId":"team:test-e2e-home","fields":[{"name":"sources","before":"null","after":"[]"}]},` +
		`{"operation":"UPDATE","actor":"e2e-alice","relType":null,"toId":null,"fields":[{"name":"shortName","before":"\"Test\"","after":"\"TRS\""}]}],` +
		`"byActor":[{"operation":"LINK","entityId":"service:test-e2e-writes"},{"operation":"UPDATE","entityId":"service:test-e2e-writes"}],"none":[]}`
	if string(r.Data) != want {
		t.Errorf("changes =\n%s\nwant\n%s", r.Data, want)
	}

	r = a.gql(t, admin, `mutation($id: ID!) { deleteNode(id: $id, version: 2) }`, map[string]any{"id": svc}).must(t)
	r = a.gql(t, admin, `query($id: ID!) { changes(entityId: $id) { operation entity { id } } }`, map[string]any{"id": svc}).must(t)
	if !strings.HasSuffix(string(r.Data), `{"operation":"DELETE","entity":null}]}`) {
		t.Errorf("after delete: %s", r.Data)
	}
	if n := strings.Count(a.logs(), `"msg":"refused"`); n != 9 {
		t.Errorf("%d refusals logged, want 9 (one per refused request):\n%s", n, a.logs())
	}
}

func TestTokensRefused(t *testing.T) {
	a := startAPI(t, "AUTH_JWT_SECRET="+testSecret)
	claims := jwt.MapClaims{"sub": "mallory", "role": "admin", "exp": time.Now().Add(time.Hour).Unix()}
	sign := func(m jwt.SigningMethod, key any, c jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(m, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	expired := jwt.MapClaims{"sub": "mallory", "role": "admin", "exp": time.Now().Add(-time.Hour).Unix()}
	for name, token := range map[string]string{
		"expired":        sign(jwt.SigningMethodHS256, []byte(testSecret), expired),
		"malformed":      "eyJhbGciOiJIUzI1NiJ9.not-json.sig",
		"wrongly signed": sign(jwt.SigningMethodHS256, []byte("another-secret-of-at-least-32-bytes"), claims),
		"alg none":       sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims),
	} {
		t.Run(name, func(t *testing.T) {
			refused(t, "UNAUTHORIZED", func() response {
				return a.gql(t, token, `mutation { createTeam(id: "team:test-e2e-mallory", input: {name: "M"}) { id } }`, nil)
			})
			refused(t, "UNAUTHORIZED", func() response {
				return a.gql(t, token, `{ team(id: "team:bromley-atlas") { name } }`, nil)
			})
		})
	}
}

func TestReadsNeedViewer(t *testing.T) {
	a := startAPI(t, "AUTH_JWT_SECRET="+testSecret, "AUTH_READS=viewer")
	q := `{ team(id: "team:bromley-atlas") { name } }`
	if r := a.gql(t, "", q, nil); r.code() != "UNAUTHORIZED" || string(r.Data) == `{"team":{"name":"Atlas Team"}}` {
		t.Errorf("anonymous read = %s %+v, want UNAUTHORIZED", r.Data, r.Errors)
	}
	if r := a.gql(t, mint(t, "-sub", "v", "-role", "viewer"), q, nil).must(t); string(r.Data) != `{"team":{"name":"Atlas Team"}}` {
		t.Errorf("viewer read = %s", r.Data)
	}
}

// An editor may not write to another authority's part of the graph, nor
// link its contract to another authority's decision.
func TestEditorOfAnotherAuthority(t *testing.T) {
	const other, dec, post = "authority:test-e2e-other", "decision:test-e2e-other", "post:test-e2e-other"
	neo4jtest.MustForget(t, other, dec, post)
	t.Cleanup(func() { neo4jtest.MustForget(t, other, dec, post) })
	a := startAPI(t, "AUTH_JWT_SECRET="+testSecret)
	admin := mint(t, "-sub", "e2e-admin", "-role", "admin")
	a.gql(t, admin, `mutation {
		a: createAuthority(id: "authority:test-e2e-other", input: {name: "Other Borough"}) { id }
		p: createPost(id: "post:test-e2e-other", input: {label: "Other Leader"}) { id }
		d: createDecision(id: "decision:test-e2e-other", input: {title: "Other award"}) { id }
		l1: link(type: POST_IN, from: "post:test-e2e-other", to: "authority:test-e2e-other") { type }
		l2: link(type: TAKEN_BY, from: "decision:test-e2e-other", to: "post:test-e2e-other") { type }
	}`, nil).must(t)

	bromley := mint(t, "-sub", "e2e-alice", "-role", "editor", "-authority", "authority:bromley")
	otherEditor := mint(t, "-sub", "e2e-olga", "-role", "editor", "-authority", other)
	refused(t, "FORBIDDEN", func() response {
		return a.gql(t, bromley, `mutation { link(type: AWARDS, from: "decision:test-e2e-other", to: "contract:bromley-cse-barnardos-2017-18") { type } }`, nil)
	})
	refused(t, "FORBIDDEN", func() response {
		return a.gql(t, otherEditor, `mutation { updateTeam(id: "team:bromley-atlas", version: 1, input: {name: "Taken"}) { id } }`, nil)
	})
	refused(t, "FORBIDDEN", func() response {
		return a.gql(t, otherEditor, `mutation { importOcds(document: "{}") { entitiesCreated } }`, nil)
	})
	// Inside its own authority the other editor may write.
	a.gql(t, otherEditor, `mutation { updateDecision(id: "decision:test-e2e-other", version: 1, input: {title: "Other award", status: "made"}) { version } }`, nil).must(t)
}

func TestImportOcds(t *testing.T) {
	doc, file, ids := e2eDerby(t)
	neo4jtest.MustForget(t, ids...)
	t.Cleanup(func() { neo4jtest.MustForget(t, ids...) })
	a := startAPI(t, "AUTH_JWT_SECRET="+testSecret, "MAX_BODY_BYTES=200000")
	admin := mint(t, "-sub", "e2e-admin", "-role", "admin")
	q := `mutation($doc: String!) { importOcds(document: $doc, name: "derby.json") { entitiesCreated entitiesSame linksCreated sources } }`
	r := a.gql(t, admin, q, map[string]any{"doc": string(doc)}).must(t)
	if want := `{"importOcds":{"entitiesCreated":3,"entitiesSame":0,"linksCreated":3,"sources":3}}`; string(r.Data) != want {
		t.Errorf("first import = %s, want %s", r.Data, want)
	}
	written := neo4jtest.Scope{IDs: ids}
	before := neo4jtest.MustFootprint(t, written)
	r = a.gql(t, admin, q, map[string]any{"doc": string(doc)}).must(t)
	if want := `{"importOcds":{"entitiesCreated":0,"entitiesSame":3,"linksCreated":0,"sources":3}}`; string(r.Data) != want {
		t.Errorf("second import = %s, want %s", r.Data, want)
	}
	if after := neo4jtest.MustFootprint(t, written); after != before {
		t.Errorf("second import changed what the package wrote from %+v to %+v", before, after)
	}
	refused(t, "INVALID", func() response {
		r := a.gql(t, admin, q, map[string]any{"doc": string(doc[:len(doc)/2])})
		if len(r.Errors) > 0 && !strings.Contains(r.Errors[0].Message, "derby.json: $: not JSON: truncated") {
			t.Errorf("message = %q", r.Errors[0].Message)
		}
		return r
	})

	// The command does the same from files; the second run changes nothing.
	for i, want := range []string{"3 entities (0 new, 0 updated, 3 unchanged), 3 relationships (0 new, 3 unchanged), 3 sources"} {
		c := neo4jtest.Config(t)
		cmd := exec.Command(binary, "import", "ocds", "-as", "e2e-cli", file)
		cmd.Env = append(os.Environ(), "NEO4J_URI="+c.URI, "NEO4J_PASSWORD="+c.Password)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), want) {
			t.Errorf("run %d: %v\n%s", i, err, out)
		}
	}
	bad := t.TempDir() + "/bad.json"
	os.WriteFile(bad, []byte(`{"releases": [{"ocid": "ocds-x", "contracts": [{"id": 1, "value": {"amount": "lots"}}]}]}`), 0o644)
	cmd := exec.Command(binary, "import", "ocds", bad)
	cmd.Env = append(os.Environ(), "NEO4J_URI="+neo4jtest.Config(t).URI)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), `bad.json: $.releases[0].contracts[0].value.amount: want a number, got a string ("lots") (nothing of this file was written)`) {
		t.Errorf("bad file: %v\n%s", err, out)
	}

	// With -skip-invalid the good processes are written and the bad ones
	// listed with every problem; importOcds(skipInvalid: true) does the
	// same.
	mixed := `{"releases": [{"ocid": "ocds-test-skip-good", "buyer": {"id": "GB-LAC-E06000099", "name": "Skip Council"},
		"contracts": [{"id": "c1", "title": "Good"}]},
		{"ocid": "ocds-test-skip-bad", "contracts": [{"id": "c1", "value": {"amount": "lots"}, "period": {"startDate": "2024-02-30"}}]}]}`
	skipIDs := []string{"contract:ocds-test-skip-good/c1", "authority:ocds-gb-lac-e06000099"}
	neo4jtest.MustForget(t, skipIDs...)
	t.Cleanup(func() { neo4jtest.MustForget(t, skipIDs...) })
	os.WriteFile(bad, []byte(mixed), 0o644)
	cmd = exec.Command(binary, "import", "ocds", "-skip-invalid", bad)
	cmd.Env = append(os.Environ(), "NEO4J_URI="+neo4jtest.Config(t).URI)
	out, err = cmd.CombinedOutput()
	for _, want := range []string{"bad.json: 2 entities (2 new, 0 updated, 0 unchanged)", "bad.json: skipped process ocds-test-skip-bad:",
		`  $.releases[1].contracts[0].period.startDate: "2024-02-30" is not a date that exists`,
		`  $.releases[1].contracts[0].value.amount: want a number, got a string ("lots")`, "1 processes skipped for their problems"} {
		if err != nil || !strings.Contains(string(out), want) {
			t.Errorf("-skip-invalid: %v, want %q in\n%s", err, want, out)
		}
	}
	q = `mutation($doc: String!) { importOcds(document: $doc, name: "mixed.json", skipInvalid: true) { entitiesSame skipped { file ocid problems { path reason } } } }`
	r = a.gql(t, admin, q, map[string]any{"doc": mixed}).must(t)
	if want := `{"importOcds":{"entitiesSame":2,"skipped":[{"file":"mixed.json","ocid":"ocds-test-skip-bad","problems":[` +
		`{"path":"$.releases[1].contracts[0].period.startDate","reason":"\"2024-02-30\" is not a date that exists (want 2017-10-01 or 2017-10-01T00:00:00Z)"},` +
		`{"path":"$.releases[1].contracts[0].value.amount","reason":"want a number, got a string (\"lots\")"}]}]}}`; string(r.Data) != want {
		t.Errorf("importOcds(skipInvalid: true) = %s, want %s", r.Data, want)
	}

	// Duplicates are for admins to find and merge.
	viewer := mint(t, "-sub", "e2e-viewer", "-role", "viewer")
	refused(t, "FORBIDDEN", func() response {
		return a.gql(t, viewer, `{ duplicateCandidates(label: "Provider") { ids } }`, nil)
	})
	a.gql(t, admin, `{ duplicateCandidates(label: "Provider", first: 5) { label ids reason } }`, nil).must(t)
	refused(t, "INVALID", func() response {
		return a.gql(t, admin, `{ duplicateCandidates(label: "Contract") { ids } }`, nil)
	})
	refused(t, "NOT_FOUND", func() response {
		return a.gql(t, admin, `mutation { mergeEntities(into: "provider:ocds-none", from: ["provider:ocds-none-2"]) { id } }`, nil)
	})
}
