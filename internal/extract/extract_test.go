package extract

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/commissioning-graph/cgraph/internal/document"
)

// TestLabelledSet scores extraction on testdata/extract and fails below
// precision 0.95 or recall 0.85, or when any quote is not verbatim.
func TestLabelledSet(t *testing.T) {
	r, err := Eval(filepath.Join("..", "..", "testdata", "extract"), document.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	r.Write(&b)
	t.Log("\n" + b.String())
	if r.Docs < 16 {
		t.Errorf("docs = %d, want at least 16", r.Docs)
	}
	if p := r.Overall.Precision(); p < 0.95 {
		t.Errorf("precision = %.3f, want >= 0.95", p)
	}
	if rc := r.Overall.Recall(); rc < 0.85 {
		t.Errorf("recall = %.3f, want >= 0.85", rc)
	}
	if !r.QuotesVerbatim() {
		t.Errorf("quotes not verbatim: %v", r.BadQuotes)
	}
	if len(r.BadLabelQuotes) > 0 {
		t.Errorf("label quotes not verbatim: %v", r.BadLabelQuotes)
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"30th September 2017", "2017-09-30"},
		{"1 October 2017", "2017-10-01"},
		{"30/09/2017", "2017-09-30"},
		{"30 Sept 2017", "2017-09-30"},
		{"1st October 2017", "2017-10-01"},
		{"31 March, 2026", "2026-03-31"},
		{"September 30, 2017", "2017-09-30"},
		{"March 2018", ""},
		{"July 2021", ""},
		{"31/02/2025", ""},
		{"30th", ""},
	} {
		got, ok := ParseDate(tc.in)
		if !ok {
			got = ""
		}
		if got != tc.want {
			t.Errorf("ParseDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	ds := findDates("from 1st October 2017 to 30th September 2018")
	if len(ds) != 2 || ds[0].Date != "2017-10-01" || ds[1].Date != "2018-09-30" {
		t.Errorf("range: got %+v", ds)
	}
	ds = findDates("from 1st October to 30th September 2018")
	if len(ds) != 2 || ds[0].Date != "2017-10-01" || ds[1].Date != "2018-09-30" {
		t.Errorf("range without first year: got %+v", ds)
	}
}

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"£1.2m", 1200000, true},
		{"c.£4.837m", 4837000, true},
		{"£362k", 362000, true},
		{"£660,050.73", 660050.73, true},
		{"up to £3.4m", 3400000, true},
		{"£2.5 million", 2500000, true},
		{"£1,450,000", 1450000, true},
		{"1.2m", 0, false},
	} {
		got, cur, ok := ParseMoney(tc.in)
		if ok != tc.ok || got != tc.want || (ok && cur != "GBP") {
			t.Errorf("ParseMoney(%q) = %v %q %v, want %v GBP %v", tc.in, got, cur, ok, tc.want, tc.ok)
		}
	}
	if m := findMoney("up to £3.4m"); len(m) != 1 || m[0].Bound != "up to" {
		t.Errorf("bound: %+v", m)
	}
}

func TestParsePeriod(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"for a period of 12 months", 12},
		{"one year", 12},
		{"a further nine month period", 9},
		{"for a period of three years", 36},
		{"an extension of 6 months", 6},
		{"2 + 1 years", 24},
		{"for 18 months", 18},
	} {
		got, ok := ParsePeriod(tc.in)
		if !ok || got != tc.want {
			t.Errorf("ParsePeriod(%q) = %d %v, want %d", tc.in, got, ok, tc.want)
		}
	}
	p := findPeriods("on a 2 + 1 years basis")
	if len(p) != 1 || p[0].Months != 24 || p[0].Option != "2 + 1 years" {
		t.Errorf("2 + 1: %+v", p)
	}
	if _, ok := ParsePeriod("a 3 to 4 week review"); ok {
		t.Error("weeks are not a contract period")
	}
}

func mustExtract(tb testing.TB, text string) *Result {
	tb.Helper()
	d, err := document.Read("t.txt", []byte(text), document.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return Extract(d)
}

func TestRoutes(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"Cabinet agreed a further award of contract to Acme Care Ltd via an exemption to competitive tendering for 12 months.", "exemption"},
		{"The Cabinet approved a waiver of Contract Procedure Rules to award the contract to Acme Care Ltd.", "waiver"},
		{"The Director approved the direct award of a contract to Acme Care Ltd.", "direct award"},
		{"Following an open tender, the contract was awarded to Acme Care Ltd.", "open tender"},
		{"The service will be bought as a call-off from the ESPO framework and the contract awarded to Acme Care Ltd.", "framework call-off"},
		{"Cabinet agreed to extend the contract with Acme Care Ltd for 6 months.", "extension"},
		{"Cabinet agreed a direct award to Acme Care Ltd via an exemption to competitive tendering.", ""},
	} {
		r := mustExtract(t, tc.text)
		got := ""
		if len(r.Facts.Contracts) > 0 {
			got = r.Facts.Contracts[0].ProcurementRoute
		}
		if got != tc.want {
			t.Errorf("%q: route %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestPosts(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"The Portfolio Holder for Education, Children and Families agreed the report.", "Portfolio Holder for Education, Children and Families"},
		{"The Cabinet Member for Adult Social Care introduced the item.", "Cabinet Member for Adult Social Care"},
		{"The Executive Member for Housing introduced the item.", "Executive Member for Housing"},
		{"The Director of Programmes (ECHS) introduced the item.", "Director of Programmes (ECHS)"},
		{"The Strategic Director - People presented the report.", "Strategic Director - People"},
		{"The Chairman of the Health Scrutiny Committee spoke.", "Chairman of the Health Scrutiny Committee"},
	} {
		ps := findPosts(tc.text)
		if len(ps) != 1 || tc.text[ps[0].start:ps[0].end] != tc.want {
			var got []string
			for _, p := range ps {
				got = append(got, tc.text[p.start:p.end])
			}
			t.Errorf("%q: posts %q, want [%q]", tc.text, got, tc.want)
		}
	}
	r := mustExtract(t, "The Chairman of Education Select Committee, Councillor Nicholas Bennett JP had asked for scrutiny. Cllr Smith agreed.")
	if len(r.Facts.People) != 2 || r.Facts.People[0].Name != "Nicholas Bennett" || r.Facts.People[0].Post != "Chairman of Education Select Committee" || r.Facts.People[1].Name != "Smith" {
		t.Errorf("people: %+v", r.Facts.People)
	}
	if q := r.Facts.Quotes["people[0].name"]; q != "Nicholas Bennett" {
		t.Errorf("quote %q", q)
	}
}

// TestAmbiguityGivesNothing: two candidates for one fact propose nothing.
func TestAmbiguityGivesNothing(t *testing.T) {
	r := mustExtract(t, "Cabinet agreed to award a contract to Acme Care Ltd. Cabinet also agreed to award a contract to Beta Support CIC.")
	if len(r.Facts.Contracts) != 0 {
		t.Errorf("two providers: contracts %+v, want none", r.Facts.Contracts)
	}
	r = mustExtract(t, "Members agreed to extend the contract with Acme Care Ltd until 31 March 2026. Officers proposed to extend the contract with Acme Care Ltd until 30 September 2026.")
	if len(r.Facts.Contracts) != 1 || r.Facts.Contracts[0].EndDate != "" {
		t.Errorf("two end dates: %+v, want provider only", r.Facts.Contracts)
	}
}

func TestApostrophes(t *testing.T) {
	for _, name := range []string{"Barnardo’s", "Barnardo's"} {
		r := mustExtract(t, fmt.Sprintf("The Portfolio Holder approved the award of a further contract to %s for a period of 12 months.", name))
		if len(r.Facts.Contracts) != 1 || r.Facts.Contracts[0].Provider != name || *r.Facts.Contracts[0].DurationMonths != 12 {
			t.Errorf("%s: %+v", name, r.Facts.Contracts)
		}
	}
	if fold("Barnardo’s") != fold("Barnardos") || fold("The Children's Society") != fold("Children’s Society") || fold("Acme Care Limited") != fold("acme care ltd") {
		t.Error("fold does not ignore apostrophes, the, Limited")
	}
}

// BenchmarkIngestExtract reads and extracts a decision-notice-sized
// document; ns/op divided by 1e6 is ms per document.
func BenchmarkIngestExtract(b *testing.B) {
	docs := []string{}
	for _, n := range []string{"01_decision_refuge_direct_award.txt", "02_decision_homecare_extension.txt", "00_bromley_cse_minute.txt", "07_decision_floating_support.html"} {
		docs = append(docs, filepath.Join("..", "..", "testdata", "extract", n))
	}
	var data [][]byte
	for _, p := range docs {
		d, err := readAll(p)
		if err != nil {
			b.Fatal(err)
		}
		data = append(data, d)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := i % len(data)
		d, err := document.Read(filepath.Base(docs[j]), data[j], document.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if r := Extract(d); r == nil {
			b.Fatal("nil result")
		}
	}
}

func TestAuthority(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"https://democracy.harrowfield.gov.uk/ieDecisionDetails.aspx?ID=1\nHarrowfield Borough Council agreed the report.", "Harrowfield Borough Council"},
		{"https://democracy.harrowfield.gov.uk/ieDecisionDetails.aspx?ID=1\nThe service is run jointly with Kent County Council.", ""},
		{"https://democracy.harrowfield.gov.uk/mgAi.aspx?ID=1\nHarrowfield Borough Council and Kent County Council agreed.", ""},
		{"https://www.kelsford.gov.uk/x\nThe Town Council was consulted.", ""},
	} {
		r := mustExtract(t, tc.text)
		if r.Facts.Authority != tc.want {
			t.Errorf("%q: authority %q, want %q", tc.text, r.Facts.Authority, tc.want)
		}
	}
}

func TestMetrics(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []Metric
	}{
		{"There were currently 15 young people benefitting from the Service with an additional 4 on the waiting list.", []Metric{{"children supported", 15}, {"waiting list", 4}}},
		{"Last year the service supported 1,204 families.", []Metric{{"families supported", 1204}}},
		{"The service supported over 200 families.", nil},
		{"The new contract will have capacity for 40 young people supported at any time.", nil},
		{"Aged under 18 years, 3 to 4 week review.", nil},
	} {
		r := mustExtract(t, tc.text)
		if fmt.Sprint(r.Facts.Metrics) != fmt.Sprint(tc.want) {
			t.Errorf("%q: metrics %v, want %v", tc.text, r.Facts.Metrics, tc.want)
		}
	}
}

// TestTitleCaseHeading: ModernGov titles capitalise every word.
func TestTitleCaseHeading(t *testing.T) {
	r := mustExtract(t, "The Direct Award Of A Contract For The Provision Of Supported Housing Services To St Mungo's Broadway\n\nCabinet approved the award from 5 January 2016 to 30 September 2017.")
	if len(r.Facts.Contracts) != 1 {
		t.Fatalf("contracts %+v", r.Facts.Contracts)
	}
	c := r.Facts.Contracts[0]
	if c.Provider != "St Mungo's Broadway" || c.Service != "Supported Housing Services" {
		t.Errorf("provider %q service %q", c.Provider, c.Service)
	}
	r = mustExtract(t, "Award Of Contract To Barnardo's For Children's Centre Services")
	if len(r.Facts.Contracts) > 0 && r.Facts.Contracts[0].Provider != "" && r.Facts.Contracts[0].Provider != "Barnardo's" {
		t.Errorf("provider %q", r.Facts.Contracts[0].Provider)
	}
}
