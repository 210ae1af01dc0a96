package ocds_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/ocds"
)

const fictional = "testdata/fictional/release-package-ocds-213czf-000-00001.json"

// fixtures are the real OCDS files in testdata: packages and records from
// open-contracting/sample-data (see testdata/README.md); testdata/classes
// holds small hand-written ones, one per kind of data publishers produce.
func fixtures(t *testing.T) []string {
	t.Helper()
	all, err := filepath.Glob("testdata/*/*.json")
	var files []string
	for _, f := range all {
		if !strings.HasPrefix(f, filepath.Join("testdata", "classes")) {
			files = append(files, f)
		}
	}
	if err != nil || len(files) != 12 {
		t.Fatalf("fixtures: %d files, %v", len(files), err)
	}
	return files
}

func find(g *cg.Graph, id string) cg.Entity {
	for _, n := range g.Nodes {
		if n.Entity.EntityID() == id {
			return n.Entity
		}
	}
	return nil
}

func TestEveryFixtureMaps(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			g, err := ocds.ReadFile(f, ocds.DefaultMaxBytes)
			if err != nil {
				t.Fatal(err)
			}
			if err := g.Validate(); err != nil {
				t.Fatal(err)
			}
			contracts := 0
			for _, n := range g.Nodes {
				if len(n.SourceIDs) == 0 {
					t.Errorf("%s cites no source", n.Entity.EntityID())
				}
				if c, ok := n.Entity.(*cg.Contract); ok {
					contracts++
					if c.OCID == nil || !strings.HasPrefix(c.ID, "contract:"+*c.OCID) {
						t.Errorf("contract %s: id not derived from its ocid %v", c.ID, c.OCID)
					}
				}
			}
			if contracts == 0 {
				t.Error("no contract")
			}
			for _, e := range g.Edges {
				if len(e.SourceIDs) == 0 {
					t.Errorf("%s %s %s cites no source", e.From, e.Type, e.To)
				}
			}
			for _, s := range g.Sources {
				// The JSON path has a field of its own; the passage is words.
				if *s.File != filepath.Base(f) || s.Path == nil || !strings.HasPrefix(*s.Path, "$") ||
					strings.HasPrefix(s.Passage, "$") || s.Passage == "" {
					t.Errorf("source %+v does not name the file, a JSON path and a passage in words", s)
				}
			}
		})
	}
}

// The fictional release package: six releases of one process, applied in
// order, become one contract with the award's supplier and the tender's
// procurement method.
func TestFictionalLifeCycle(t *testing.T) {
	g, err := ocds.ReadFile(fictional, ocds.DefaultMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := find(g, "contract:ocds-213czf-000-00001/ocds-213czf-000-00001-award-01").(*cg.Contract)
	if !ok {
		t.Fatalf("no contract in %+v", g.Nodes)
	}
	if c.StartDate.String() != "2010-07-01" || c.EndDate.String() != "2011-06-30" || *c.Value != 11000000 || *c.Currency != "GBP" ||
		*c.ProcurementMethod != "open" || *c.ProcurementMethodRationale != "An open competitive tender is required by EU Rules" || *c.Status != "active" {
		t.Errorf("contract = %+v", c)
	}
	if a, ok := find(g, "authority:ocds-gb-lac-e09000003").(*cg.Authority); !ok || a.Name != "London Borough of Barnet" {
		t.Errorf("buyer = %+v", a)
	}
	if p, ok := find(g, "provider:ocds-gb-coh-11111111").(*cg.Provider); !ok || p.Name != "AnyCorp Cycle Provision" || p.Sector != nil {
		t.Errorf("supplier = %+v", p)
	}
	want := map[string]bool{
		"BOUGHT_BY contract:ocds-213czf-000-00001/ocds-213czf-000-00001-award-01 authority:ocds-gb-lac-e09000003":    true,
		"HOLDS_CONTRACT provider:ocds-gb-coh-11111111 contract:ocds-213czf-000-00001/ocds-213czf-000-00001-award-01": true,
	}
	for _, e := range g.Edges {
		delete(want, string(e.Type)+" "+e.From+" "+e.To)
	}
	if len(want) > 0 {
		t.Errorf("missing links %v in %+v", want, g.Edges)
	}
	// The subContract related process is not a predecessor.
	if len(g.Successions) != 0 {
		t.Errorf("successions = %+v", g.Successions)
	}
}

func TestServicesAndSuccession(t *testing.T) {
	var buf bytes.Buffer
	if err := ocds.Generate(&buf, 4); err != nil {
		t.Fatal(err)
	}
	g, err := ocds.Parse("synthetic.json", buf.Bytes(), ocds.DefaultMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	if p := find(g, "provider:ocds-gb-chc-0000000").(*cg.Provider); p.Sector == nil || *p.Sector != "VOLUNTARY" {
		t.Errorf("a registered charity's sector = %v, want VOLUNTARY", p.Sector)
	}
	if s, ok := find(g, "service:ocds-synth-0000002").(*cg.Service); !ok || s.Name != "Family support service 2" {
		t.Errorf("service = %+v", s)
	}
	if len(g.Successions) != 2 || g.Successions[0].PriorOCID != "ocds-synth-0000000" ||
		g.Successions[0].Contract != "contract:ocds-synth-0000001/ocds-synth-0000001-award" {
		t.Errorf("successions = %+v", g.Successions)
	}
}

func TestRefusedFiles(t *testing.T) {
	good, err := os.ReadFile(fictional)
	if err != nil {
		t.Fatal(err)
	}
	release := func(r string) string { return `{"releases": [` + r + `]}` }
	for _, tt := range []struct {
		name, doc string
		max       int64
		want      string
	}{
		{"not JSON", "this is not JSON", 0, "f.json: $: not JSON"},
		{"empty", "", 0, "f.json: $: not JSON: the file is empty"},
		{"truncated", string(good[:len(good)/2]), 0, "f.json: $: not JSON: truncated"},
		{"trailing data", `{"ocid": "ocds-1"} {}`, 0, "more data after the document"},
		{"an array", `[1, 2]`, 0, "$: want an object"},
		{"no releases", `{"uri": "x"}`, 0, "not an OCDS release package"},
		{"releases not an array", `{"releases": {"ocid": "x"}}`, 0, "$.releases: want an array, got an object"},
		{"missing ocid", release(`{"id": "r1", "tender": {"id": "t"}}`), 0, "$.releases[0].ocid: missing"},
		{"ocid a number", release(`{"ocid": 5}`), 0, "$.releases[0].ocid: want a string, got a number"},
		{"amount a string", release(`{"ocid": "ocds-1", "contracts": [{"id": "c", "value": {"amount": "lots"}}]}`), 0,
			"$.releases[0].contracts[0].value.amount: want a number, got a string"},
		{"date that does not exist", release(`{"ocid": "ocds-1", "contracts": [{"id": "c", "period": {"startDate": "2024-02-30"}}]}`), 0,
			`$.releases[0].contracts[0].period.startDate: "2024-02-30" is not a date that exists`},
		{"contract ends before it starts", release(`{"ocid": "ocds-1", "contracts": [{"id": "c", "title": "T",
			"period": {"startDate": "2024-03-01", "endDate": "2024-02-01"}}]}`), 0,
			"$.releases[0].contracts[0]: Contract contract:ocds-1/c: endDate 2024-02-01 is before startDate 2024-03-01"},
		{"unknown currency", release(`{"ocid": "ocds-1", "contracts": [{"id": "c", "value": {"amount": 1, "currency": "pounds"}}]}`), 0,
			"$.releases[0].contracts[0]: Contract contract:ocds-1/c: currency"},
		{"contract without id", release(`{"ocid": "ocds-1", "contracts": [{"title": "T"}]}`), 0, "$.releases[0].contracts[0].id: missing"},
		{"linked releases only", `{"ocid": "ocds-1", "releases": [{"url": "http://x", "date": "2020-01-01"}]}`, 0, "$.releases[0]: a link to a release"},
		{"oversize", string(good), 1000, "more than the limit of 1000 bytes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			max := tt.max
			if max == 0 {
				max = ocds.DefaultMaxBytes
			}
			_, err := ocds.Parse("f.json", []byte(tt.doc), max)
			if cg.ErrorCode(err) != cg.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse() = %v, want an invalid error containing %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), "f.json: ") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

// An oversize file is refused from its size, before it is read.
func TestReadFileRefusesOversize(t *testing.T) {
	_, err := ocds.ReadFile(fictional, 100)
	if cg.ErrorCode(err) != cg.EINVALID || !strings.Contains(err.Error(), "release-package-ocds-213czf-000-00001.json: $: the file is 39589 bytes, more than the limit of 100") {
		t.Fatalf("ReadFile() = %v", err)
	}
}
