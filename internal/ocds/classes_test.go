package ocds_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/ocds"
)

// The fixtures in testdata/classes are written by hand, each for one kind
// of data real publishers produce.

func mustRead(t *testing.T, path string) *cg.Graph {
	t.Helper()
	g, err := ocds.ReadFile("testdata/classes/"+path, ocds.DefaultMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func node(g *cg.Graph, id string) *cg.Node {
	for i := range g.Nodes {
		if g.Nodes[i].Entity.EntityID() == id {
			return &g.Nodes[i]
		}
	}
	return nil
}

func ids(g *cg.Graph, l cg.Label) []string {
	var out []string
	for _, n := range g.Nodes {
		if n.Entity.EntityLabel() == l {
			out = append(out, n.Entity.EntityID())
		}
	}
	slices.Sort(out)
	return out
}

func links(g *cg.Graph, t cg.RelType) []string {
	var out []string
	for _, e := range g.Edges {
		if e.Type == t {
			out = append(out, e.From+" "+e.To)
		}
	}
	slices.Sort(out)
	return out
}

// Release dates with numeric offsets are instants in UTC; period dates keep
// the day they were written with; a date alone is a date.
func TestClassOffsets(t *testing.T) {
	g := mustRead(t, "offsets.json")
	c := find(g, "contract:ocds-cls-off-1/a1").(*cg.Contract)
	if want := time.Date(2017, 5, 27, 4, 0, 0, 0, time.UTC); c.ReleaseDate == nil || !c.ReleaseDate.Equal(want) || c.ReleaseDate.Location() != time.UTC {
		t.Errorf("release date = %v, want %v in UTC", c.ReleaseDate, want)
	}
	if c.StartDate.String() != "2017-09-30" || c.EndDate.String() != "2018-09-30" {
		t.Errorf("period = %v to %v, want 2017-09-30 to 2018-09-30", c.StartDate, c.EndDate)
	}
	c2 := find(g, "contract:ocds-cls-off-2").(*cg.Contract)
	if want := time.Date(2017, 5, 27, 4, 45, 0, 0, time.UTC); !c2.ReleaseDate.Equal(want) || c2.ReleaseDate.Location() != time.UTC {
		t.Errorf("release date = %v, want %v", c2.ReleaseDate, want)
	}
	if c3 := find(g, "contract:ocds-cls-off-3").(*cg.Contract); !c3.ReleaseDate.Equal(time.Date(2017, 5, 27, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("release date = %v", c3.ReleaseDate)
	}
}

// Blank placeholders are absent, and fields outside OCDS 1.1 of another
// shape (contracts[].suppliers as an object) are ignored.
func TestClassBlanksAndUnknownShapes(t *testing.T) {
	g := mustRead(t, "blanks.json")
	c := find(g, "contract:ocds-cls-blank-1/a1").(*cg.Contract)
	if c.Value != nil || c.Currency != nil || c.Status != nil || c.StartDate != nil || c.ProcurementMethod != nil || c.Title != "Home care" {
		t.Errorf("contract = %+v, want no value, currency, status or period, and the tender's title", c)
	}
}

// One bad release does not hide the others' problems: every problem of the
// file is reported at once, and with SkipInvalid the good processes are
// read and the bad ones listed.
func TestClassEveryProblemAtOnce(t *testing.T) {
	_, err := ocds.ReadFile("testdata/classes/one-bad-release.json", ocds.DefaultMaxBytes)
	msg := cg.ErrorMessage(err)
	for _, want := range []string{
		"one-bad-release.json: 3 problems",
		"one-bad-release.json: $.releases[1].contracts[0]: Contract contract:ocds-cls-bad-2/c1: endDate 2020-03-31 is before startDate 2020-04-01",
		`one-bad-release.json: $.releases[2].contracts[0].value.amount: want a number, got a string ("lots")`,
		`one-bad-release.json: $.releases[2].contracts[0].period.startDate: "2020-02-30" is not a date that exists`,
	} {
		if cg.ErrorCode(err) != cg.EINVALID || !strings.Contains(msg, want) {
			t.Errorf("error = %v, want it to contain %q", err, want)
		}
	}
	res, err := ocds.ReadPath("testdata/classes/one-bad-release.json", ocds.Options{SkipInvalid: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res.Graph, cg.LabelContract); fmt.Sprint(got) != "[contract:ocds-cls-bad-1/c1 contract:ocds-cls-bad-4/c1]" {
		t.Errorf("contracts = %v, want the two good ones", got)
	}
	if len(res.Skipped) != 2 || res.Skipped[0].OCID != "ocds-cls-bad-2" || res.Skipped[1].OCID != "ocds-cls-bad-3" ||
		len(res.Skipped[1].Problems) != 2 || res.Skipped[1].Problems[1].Path != "$.releases[2].contracts[0].value.amount" {
		t.Errorf("skipped = %+v", res.Skipped)
	}
	for _, sp := range res.Skipped {
		for _, p := range sp.Problems {
			if p.File != "one-bad-release.json" || p.Reason == "" {
				t.Errorf("problem %+v does not name the file and a reason", p)
			}
		}
	}
}

// A file with more problems than MaxProblems lists that many and counts
// the rest.
func TestClassProblemsAreBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"releases": [`)
	for i := range 150 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"ocid": "ocds-cls-many-%d", "contracts": [{"id": "c", "value": {"amount": "lots"}}]}`, i)
	}
	b.WriteString("]}")
	_, err := ocds.Parse("many.json", []byte(b.String()), ocds.DefaultMaxBytes)
	msg := cg.ErrorMessage(err)
	if !strings.Contains(msg, "many.json: 150 problems") || strings.Count(msg, "want a number") != ocds.MaxProblems ||
		!strings.Contains(msg, "many.json: and 50 more problems") {
		t.Errorf("error = %.300s...", msg)
	}
}

// A buyer named only in parties[] (role buyer), suppliers only there (role
// supplier), and a procuring entity standing for a missing buyer are read.
func TestClassPartiesByRole(t *testing.T) {
	g := mustRead(t, "parties-roles.json")
	if got := links(g, cg.RelBoughtBy); fmt.Sprint(got) != "[contract:ocds-cls-roles-1/a1 authority:ocds-name-gb-roles-county contract:ocds-cls-roles-2 authority:ocds-name-xx-roles-procurement-hub]" {
		t.Errorf("buyers = %v", got)
	}
	if got := links(g, cg.RelHoldsContract); fmt.Sprint(got) != "[provider:ocds-gb-coh-01234567 contract:ocds-cls-roles-1/a1]" {
		t.Errorf("suppliers = %v", got)
	}
}

// One organisation is one node, whatever id each publisher gives it: by its
// org-id identifier (normalised), else by its name folded within its
// country; the publishers' ids are kept as aliases.
func TestClassOneOrganisationOneNode(t *testing.T) {
	one, two := mustRead(t, "identity/publisher-one.json"), mustRead(t, "identity/publisher-two.json")
	for _, g := range []*cg.Graph{one, two} {
		if got := ids(g, cg.LabelAuthority); fmt.Sprint(got) != "[authority:ocds-gb-lac-e09000099]" {
			t.Errorf("authorities = %v", got)
		}
		if got := ids(g, cg.LabelProvider); fmt.Sprint(got) != "[provider:ocds-gb-coh-01234567 provider:ocds-name-gb-caring-trust]" {
			t.Errorf("providers = %v", got)
		}
	}
	// Within a file, a party named as an identified one is, in the same
	// country, that one.
	if got := links(one, cg.RelHoldsContract); !slices.Contains(got, "provider:ocds-gb-coh-01234567 contract:ocds-clsone-id-3/a1") {
		t.Errorf("suppliers = %v", got)
	}
	a := node(two, "authority:ocds-gb-lac-e09000099")
	if fmt.Sprint(a.Aliases) != "[GB-LAC-E09000099 name:gb:classfield london borough ocds-clstwo/9f3c2a]" || a.Facts["identifier"] != "GB-LAC-E09000099" {
		t.Errorf("aliases %v, facts %v", a.Aliases, a.Facts)
	}
}

func TestNormalNames(t *testing.T) {
	for _, tt := range []struct{ a, b string }{
		{"The Caring Trust Limited", "CARING TRUST LTD"},
		{"Barnardo's", "Barnardo’s"},
		{"Smith & Sons plc", "smith and sons"},
		{"London Borough of Bromley", "Bromley London Borough Council"},
		{"Bromley LBC", "London Borough of Bromley"},
		{"Royal Borough of Kingston upon Thames", "Kingston upon Thames Royal Borough Council"},
		{"City of York Council", "York City Council"},
		{"Borough of Poole", "Poole Borough Council"},
	} {
		if ocds.NormalName(tt.a) != ocds.NormalName(tt.b) {
			t.Errorf("%q is %q, %q is %q: want the same", tt.a, ocds.NormalName(tt.a), tt.b, ocds.NormalName(tt.b))
		}
	}
	// What a name cannot decide stays apart.
	for _, tt := range []struct{ a, b string }{
		{"Bromley Council", "London Borough of Bromley"},
		{"Kent County Council", "Kent Council"},
		{"Derby City Council", "Derbyshire County Council"},
		{"Age UK", "Age UK Bromley"},
	} {
		if ocds.NormalName(tt.a) == ocds.NormalName(tt.b) {
			t.Errorf("%q and %q are both %q: want them apart", tt.a, tt.b, ocds.NormalName(tt.a))
		}
	}
}

// A contract whose awardID names no award joins the only award there is;
// a tender and an award that came to nothing map to the contract status
// cancelled with the status as published kept; a procurement method outside
// the codelist is kept as published; UNSPSC codes identify services.
func TestClassStagesAndCodelists(t *testing.T) {
	award := mustRead(t, "stages/award.json")
	if got := ids(award, cg.LabelContract); fmt.Sprint(got) != "[contract:ocds-cls-stage-lost/a1 contract:ocds-cls-stage/award-1]" {
		t.Errorf("contracts = %v, want one per award", got)
	}
	c := node(award, "contract:ocds-cls-stage/award-1")
	if k := c.Entity.(*cg.Contract); *k.Value != 9000 || *k.Status != "active" || k.StartDate.String() != "2024-04-01" || c.Facts["stage"] != "contract" {
		t.Errorf("contract = %+v %v", k, c.Facts)
	}
	lost := node(award, "contract:ocds-cls-stage-lost/a1")
	if k := lost.Entity.(*cg.Contract); k.Status == nil || *k.Status != cg.ContractCancelled || k.OCDSStatus == nil || *k.OCDSStatus != "award: unsuccessful" {
		t.Errorf("unsuccessful award = %+v %v", k, lost.Facts)
	}
	tender := mustRead(t, "stages/tender.json")
	tn := node(tender, "contract:ocds-cls-stage")
	// negotiated is no OCDS method: it is kept as OTHER with the publisher's word.
	if k := tn.Entity.(*cg.Contract); k.ProcurementMethod == nil || *k.ProcurementMethod != cg.ProcurementOther ||
		k.OCDSProcurementMethod == nil || *k.OCDSProcurementMethod != "negotiated" || *k.Status != cg.ContractPending || tn.Facts["stage"] != "tender" {
		t.Errorf("tender = %+v %v", k, tn.Facts)
	}
	if s := find(tender, "service:ocds-cls-stage"); s == nil {
		t.Errorf("no service from the UNSPSC health care code in %v", ids(tender, cg.LabelService))
	}
}

// Sources are keyed by publisher, ocid, release and JSON path, not by the
// file's name: two publishers' 8.json share none. The JSON path is a field
// of its own; the passage is words.
func TestClassSources(t *testing.T) {
	a, b := mustRead(t, "publisher-a/8.json"), mustRead(t, "publisher-b/8.json")
	seen := map[string]bool{}
	for _, s := range a.Sources {
		seen[s.ID] = true
	}
	for _, s := range b.Sources {
		if seen[s.ID] {
			t.Errorf("source %s is in both publishers' 8.json", s.ID)
		}
	}
	var passages []string
	for _, s := range a.Sources {
		passages = append(passages, *s.Path+" = "+s.Passage)
		if *s.File != "8.json" || !strings.Contains(s.Document, "Class fixtures: publisher A") {
			t.Errorf("source %+v", s)
		}
	}
	slices.Sort(passages)
	want := "[$.releases[0].buyer = buyer Alpha Council (GB-LAC-E07000005) " +
		"$.releases[0].tender = tender “Carers' assessments”; “Assessments of carers' needs for the borough.”]"
	if fmt.Sprint(passages) != want {
		t.Errorf("passages = %v\nwant %v", passages, want)
	}
}

// Statuses and methods are read ignoring case and spacing; one outside the
// codelists is OTHER, with the publisher's word beside it.
func TestStatusesOutsideTheCodelists(t *testing.T) {
	doc := `{"version": "1.1", "releases": [
 {"ocid": "ocds-cls-codes", "id": "c1", "date": "2024-03-01T00:00:00Z", "tag": ["tender", "contract"],
  "buyer": {"id": "GB-LAC-E07000004", "name": "Code City Council"},
  "tender": {"id": "t", "title": "Advocacy", "status": "Complete", "procurementMethod": " Open "},
  "contracts": [{"id": "k1", "status": "In Progress"}, {"id": "k2", "status": " TERMINATED"}]},
 {"ocid": "ocds-cls-codes-2", "id": "c2", "date": "2024-03-01T00:00:00Z", "tag": ["tender"],
  "buyer": {"id": "GB-LAC-E07000004", "name": "Code City Council"},
  "tender": {"id": "t", "title": "Respite", "status": "Withdrawn", "procurementMethod": "competitive dialogue"}}
]}`
	res, err := ocds.Read("codes.json", []byte(doc), ocds.Options{})
	if err != nil {
		t.Fatal(err)
	}
	str := func(p *string) string {
		if p == nil {
			return "<nil>"
		}
		return *p
	}
	for _, tt := range []struct {
		id, status, published, method, publishedMethod string
	}{
		{"contract:ocds-cls-codes/k1", "other", "contract: In Progress", "open", "<nil>"},
		{"contract:ocds-cls-codes/k2", "terminated", "contract: TERMINATED", "open", "<nil>"},
		{"contract:ocds-cls-codes-2", "cancelled", "tender: Withdrawn", "other", "competitive dialogue"},
	} {
		n := node(res.Graph, tt.id)
		if n == nil {
			t.Fatalf("no %s in %v", tt.id, ids(res.Graph, cg.LabelContract))
		}
		k := n.Entity.(*cg.Contract)
		got := fmt.Sprint(*k.Status, "|", str(k.OCDSStatus), "|", *k.ProcurementMethod, "|", str(k.OCDSProcurementMethod))
		want := fmt.Sprint(tt.status, "|", tt.published, "|", tt.method, "|", tt.publishedMethod)
		if got != want {
			t.Errorf("%s: status|ocdsStatus|method|ocdsMethod = %s, want %s", tt.id, got, want)
		}
	}
}
