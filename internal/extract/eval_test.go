package extract

import (
	"strings"
	"testing"
)

func TestCheckQuotes(t *testing.T) {
	text := "The contract was held by Barnardo’s."
	at := strings.Index(text, "Barnardo’s")
	ok := CheckQuotes("d", text, map[string]string{"contracts[0].provider": "Barnardo’s"}, []Claim{{Field: "contracts[0].provider", Quote: "Barnardo’s", Start: at, End: at + len("Barnardo’s")}})
	if len(ok) != 0 {
		t.Errorf("verbatim quote reported: %v", ok)
	}
	bad := CheckQuotes("d", text, map[string]string{"contracts[0].provider": "Barnardo's"}, []Claim{{Field: "x", Quote: "Barnardo’s", Start: 0, End: 5}})
	if len(bad) != 2 {
		t.Errorf("bad quotes: %v, want 2", bad)
	}
}

func TestCompare(t *testing.T) {
	n12, n24 := 12, 24
	v := 1200000.0
	want := Facts{
		Authority: "London Borough of Bromley",
		Contracts: []Contract{{Provider: "Barnardo’s", DurationMonths: &n12}, {Provider: "Acme Care Limited", Value: &v}},
		People:    []Person{{Post: "Portfolio Holder for Education"}},
		Reviews:   []string{"review of the Atlas Team"},
	}
	got := Facts{
		Authority: "london borough of bromley",
		// listed the other way round: matched one to one by agreement
		Contracts: []Contract{{Provider: "Acme Care Ltd", Value: &v}, {Provider: "Barnardos", DurationMonths: &n24}},
		People:    []Person{{Post: "Education Portfolio Holder"}},
		Reviews:   []string{"review of the Atlas Team", "review of the Service model"},
	}
	r := &Report{}
	Compare("d", got, want, r)
	check := func(field string, tp, fp, fn int) {
		t.Helper()
		s := r.Fields[field]
		if s == nil {
			s = &Score{}
		}
		if s.TP != tp || s.FP != fp || s.FN != fn {
			t.Errorf("%s: got %+v, want tp=%d fp=%d fn=%d", field, *s, tp, fp, fn)
		}
	}
	check("authority", 1, 0, 0)
	check("contracts.provider", 2, 0, 0)
	check("contracts.value", 1, 0, 0)
	check("contracts.durationMonths", 0, 1, 1) // 24 is not 12: a wrong fact counts both ways
	check("people.post", 1, 0, 0)
	check("reviews.name", 1, 1, 0)
	if p := r.Overall.Precision(); p != 6.0/8.0 {
		t.Errorf("precision %v", p)
	}
}
