package commissioning

import (
	"strings"
	"testing"
)

func nested(depth int) Filter {
	f := Filter{Conds: []Cond{{Prop: "id", Op: OpEq, Value: "x"}}}
	for i := 1; i < depth; i++ {
		f = Filter{Or: []Filter{f}}
	}
	return f
}

func TestFilterCheck(t *testing.T) {
	values := make([]any, MaxFilterTerms)
	for _, tt := range []struct {
		name string
		f    Filter
		want string
	}{
		{"empty", Filter{}, ""},
		{"at the depth limit", nested(MaxFilterDepth), ""},
		{"one level deeper", nested(MaxFilterDepth + 1), "nested more than 10 levels"},
		{"200 levels", nested(200), "nested more than 10 levels"},
		{"deep through NOT and relationships", Filter{Not: &Filter{Rels: []RelFilter{{Filter: nested(MaxFilterDepth - 1)}}}}, "nested more than"},
		{"a long list", Filter{Conds: []Cond{{Prop: "id", Op: OpIn, Value: values}}}, "more than 1000"},
		{"a list at the limit", Filter{Conds: []Cond{{Prop: "id", Op: OpIn, Value: values[1:]}}}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.f.Check()
			if tt.want == "" && err != nil || tt.want != "" && (ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want)) {
				t.Errorf("Check() = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestTextIsBounded(t *testing.T) {
	long := strings.Repeat("x", MaxTextBytes+1)
	for _, tt := range []struct {
		name string
		err  error
	}{
		{"name", ValidateEntity(&Team{ID: "team:x", Name: long})},
		{"optional field", ValidateEntity(&Contract{ID: "contract:x", Title: "t", Description: &long})},
		{"source passage", (&Provenance{Document: "d", Passage: long}).Validate()},
	} {
		if ErrorCode(tt.err) != EINVALID || !strings.Contains(ErrorMessage(tt.err), "the limit is 8000") {
			t.Errorf("%s: %v, want INVALID naming the limit", tt.name, tt.err)
		}
	}
	if err := ValidateEntity(&Team{ID: "team:x", Name: long[1:]}); err != nil {
		t.Errorf("name at the limit: %v", err)
	}
}
