package commissioning_test

import (
	"testing"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

func TestParseDate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"2017-09-30", "2017-09-30", true},
		{"2024-02-29", "2024-02-29", true},
		{"2024-02-30", "", false},
		{"2023-02-29", "", false},
		{"2017-13-01", "", false},
		{"30/09/2017", "", false},
		{"", "", false},
	} {
		got, err := cg.ParseDate(tt.in)
		if tt.ok != (err == nil) {
			t.Errorf("ParseDate(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if !tt.ok {
			if code := cg.ErrorCode(err); code != cg.EINVALID {
				t.Errorf("ParseDate(%q) code = %q, want %q", tt.in, code, cg.EINVALID)
			}
			continue
		}
		if got.String() != tt.want {
			t.Errorf("ParseDate(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestMonthsBefore(t *testing.T) {
	for _, tt := range []struct {
		date   string
		months int
		want   string
	}{
		{"2017-09-30", 6, "2017-03-31"}, // month end stays a month end
		{"2018-09-30", 6, "2018-03-31"},
		{"2017-08-31", 6, "2017-02-28"}, // clamped to the shorter month
		{"2024-08-31", 6, "2024-02-29"}, // leap year
		{"2017-09-15", 6, "2017-03-15"},
		{"2018-03-31", 6, "2017-09-30"}, // across a year
		{"2017-02-28", 1, "2017-01-31"}, // February's end is a month end
		{"2017-10-01", 0, "2017-10-01"},
		{"2018-01-15", 13, "2016-12-15"},
	} {
		got := cg.MustParseDate(tt.date).MonthsBefore(tt.months)
		if got.String() != tt.want {
			t.Errorf("%s less %d months = %s, want %s", tt.date, tt.months, got, tt.want)
		}
	}
}

func TestRuleApprovalDeadline(t *testing.T) {
	six := 6
	end := cg.MustParseDate("2017-09-30")
	rule := &cg.Rule{Kind: cg.RuleApprovalBeforeEnd, MonthsBeforeEnd: &six}
	if got := rule.ApprovalDeadline(&end); got == nil || got.String() != "2017-03-31" {
		t.Fatalf("deadline = %v, want 2017-03-31", got)
	}
	if got := rule.ApprovalDeadline(nil); got != nil {
		t.Errorf("deadline with unknown end = %v, want nil", got)
	}
	var none *cg.Rule
	if got := none.ApprovalDeadline(&end); got != nil {
		t.Errorf("deadline with no rule = %v, want nil", got)
	}
	other := &cg.Rule{Kind: "SOMETHING_ELSE", MonthsBeforeEnd: &six}
	if got := other.ApprovalDeadline(&end); got != nil {
		t.Errorf("deadline under another kind of rule = %v, want nil", got)
	}
}
