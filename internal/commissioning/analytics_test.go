package commissioning_test

import (
	"testing"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

func date(s string) *cg.Date {
	d := cg.MustParseDate(s)
	return &d
}

func TestApprovalStatus(t *testing.T) {
	six := 6
	rule := &cg.Rule{Kind: cg.RuleApprovalBeforeEnd, MonthsBeforeEnd: &six}
	ending := &cg.Contract{EndDate: date("2017-09-30")}
	for _, tt := range []struct {
		name     string
		contract *cg.Contract
		rule     *cg.Rule
		decision *cg.Decision
		want     cg.ApprovalStatus
		late     int
	}{
		{"on the deadline", ending, rule, &cg.Decision{Date: date("2017-03-31")}, cg.ApprovedInTime, 0},
		{"before it", ending, rule, &cg.Decision{Date: date("2017-01-10")}, cg.ApprovedInTime, 0},
		{"after it", ending, rule, &cg.Decision{Date: date("2017-04-10")}, cg.ApprovedLate, 10},
		{"no decision yet", ending, rule, nil, cg.NotYetApproved, 0},
		{"decision date unknown", ending, rule, &cg.Decision{}, cg.ApprovalUnknown, 0},
		{"no rule", ending, nil, &cg.Decision{Date: date("2017-04-10")}, cg.ApprovalUnknown, 0},
		{"end unknown", &cg.Contract{}, rule, nil, cg.ApprovalUnknown, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := &cg.ContractDeadline{Contract: tt.contract, Rule: tt.rule, Decision: tt.decision}
			if got := d.Status(); got != tt.want {
				t.Errorf("status = %s, want %s", got, tt.want)
			}
			late := d.DaysLate()
			if (late != nil) != (tt.late > 0) || (late != nil && *late != tt.late) {
				t.Errorf("days late = %v, want %d", late, tt.late)
			}
		})
	}
	all := []*cg.ContractDeadline{
		{Contract: ending, Rule: rule, Decision: &cg.Decision{Date: date("2017-04-10")}},
		{Contract: ending, Rule: rule},
	}
	if late := cg.LateApprovals(all); len(late) != 1 || late[0] != all[0] {
		t.Errorf("late approvals = %v", late)
	}
}

func TestDeliveryRow(t *testing.T) {
	num := func(f float64) *float64 { return &f }
	months := 24
	for _, tt := range []struct {
		name       string
		row        cg.DeliveryRow
		model      string
		costPerKid *float64
	}{
		{"stated model wins", cg.DeliveryRow{Service: &cg.Service{DeliveryModel: ptr(cg.ModelHybrid)}}, string(cg.ModelHybrid), nil},
		{"no contract", cg.DeliveryRow{Service: &cg.Service{}}, string(cg.ModelUnknown), nil},
		{"voluntary provider", cg.DeliveryRow{Service: &cg.Service{}, Contract: &cg.Contract{}, Provider: &cg.Provider{Sector: ptr(cg.SectorVoluntary)}}, string(cg.ModelCommissionedVoluntary), nil},
		{"sector unknown", cg.DeliveryRow{Service: &cg.Service{}, Contract: &cg.Contract{}, Provider: &cg.Provider{}}, string(cg.ModelCommissioned), nil},
		{"cost per child per year", cg.DeliveryRow{Service: &cg.Service{}, Contract: &cg.Contract{Value: num(480000), DurationMonths: &months},
			Provider: &cg.Provider{Sector: ptr(cg.SectorCommercial)}, Children: num(40)}, string(cg.ModelCommissionedCommercial), num(6000)},
		{"no children known", cg.DeliveryRow{Service: &cg.Service{}, Contract: &cg.Contract{Value: num(480000), DurationMonths: &months}}, string(cg.ModelCommissioned), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.row.DeliveryModel(); got != tt.model {
				t.Errorf("model = %s, want %s", got, tt.model)
			}
			got := tt.row.CostPerChild()
			if (got == nil) != (tt.costPerKid == nil) || (got != nil && *got != *tt.costPerKid) {
				t.Errorf("cost per child = %v, want %v", got, tt.costPerKid)
			}
		})
	}
}

func TestContractMonths(t *testing.T) {
	for _, tt := range []struct {
		start, end string
		want       int
	}{
		{"2017-10-01", "2018-09-30", 12},
		{"2019-01-01", "2021-12-31", 36},
		{"2019-01-15", "2019-07-14", 6},
	} {
		c := cg.Contract{StartDate: date(tt.start), EndDate: date(tt.end)}
		if got := c.Months(); got == nil || *got != tt.want {
			t.Errorf("%s to %s = %v months, want %d", tt.start, tt.end, got, tt.want)
		}
	}
	if (&cg.Contract{EndDate: date("2017-09-30")}).Months() != nil {
		t.Error("a contract with no start has no known length")
	}
}

func TestSortAndGroupDeliveryRows(t *testing.T) {
	num := func(f float64) *float64 { return &f }
	row := func(name, model string, waiting *float64) *cg.DeliveryRow {
		return &cg.DeliveryRow{Authority: &cg.Authority{Name: name}, Service: &cg.Service{DeliveryModel: ptr(cg.DeliveryModel(model))}, Waiting: waiting}
	}
	rows := []*cg.DeliveryRow{row("C", "IN_HOUSE", num(5)), row("A", "HYBRID", nil), row("B", "IN_HOUSE", num(2))}
	cg.SortDeliveryRows(rows, cg.KeyWaiting, false)
	if got := rows[0].Authority.Name + rows[1].Authority.Name + rows[2].Authority.Name; got != "BCA" {
		t.Errorf("ascending by waiting list: %s, want BCA (unknown last)", got)
	}
	cg.SortDeliveryRows(rows, cg.KeyWaiting, true)
	if got := rows[0].Authority.Name + rows[1].Authority.Name + rows[2].Authority.Name; got != "CBA" {
		t.Errorf("descending by waiting list: %s, want CBA (unknown last)", got)
	}
	groups := cg.GroupDeliveryRows(rows, cg.KeyDeliveryModel)
	if len(groups) != 2 || groups[0].Key != "IN_HOUSE" || len(groups[0].Rows) != 2 || *groups[0].AvgWaiting != 3.5 || groups[1].AvgWaiting != nil {
		t.Errorf("groups = %+v", groups)
	}
}

func TestPathRelationshipsInOrder(t *testing.T) {
	p := cg.Path{
		Nodes:         []cg.Entity{&cg.Provider{ID: "p"}, &cg.Contract{ID: "c"}, &cg.Service{ID: "s"}},
		Relationships: []cg.RelationshipBetween{{Type: cg.RelHoldsContract, From: "p", To: "c"}, {Type: cg.RelForService, From: "c", To: "s"}},
	}
	steps := p.InOrder()
	if len(steps) != 2 || steps[0].Direction != cg.Outgoing || steps[1].From.EntityID() != "c" {
		t.Fatalf("steps = %+v", steps)
	}
	back := cg.Path{Nodes: []cg.Entity{p.Nodes[2], p.Nodes[1]}, Relationships: []cg.RelationshipBetween{p.Relationships[1]}}
	if s := back.InOrder()[0]; s.Direction != cg.Incoming || s.To.EntityID() != "c" {
		t.Errorf("read against its direction: %+v", s)
	}
}
