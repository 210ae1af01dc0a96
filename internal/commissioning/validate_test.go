package commissioning_test

import (
	"testing"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

func ptr[T any](v T) *T { return &v }

func TestValidateEntity(t *testing.T) {
	start, end := cg.MustParseDate("2017-10-01"), cg.MustParseDate("2018-09-30")
	for _, tt := range []struct {
		name string
		e    cg.Entity
		ok   bool
	}{
		{"valid service", &cg.Service{ID: "service:a", Name: "A"}, true},
		{"empty id", &cg.Service{Name: "A"}, false},
		{"id without prefix", &cg.Service{ID: "a", Name: "A"}, false},
		{"id with a space", &cg.Service{ID: "service:a b", Name: "A"}, false},
		{"missing name", &cg.Service{ID: "service:a", Name: "  "}, false},
		{"valid contract", &cg.Contract{ID: "contract:a", Title: "T", StartDate: &start, EndDate: &end,
			Status: ptr(cg.ContractActive), ProcurementMethod: ptr(cg.ProcurementLimited), Currency: ptr("GBP"), Value: ptr(10.0)}, true},
		{"one-day contract", &cg.Contract{ID: "contract:a", Title: "T", StartDate: &start, EndDate: &start}, true},
		{"contract ends before it starts", &cg.Contract{ID: "contract:a", Title: "T", StartDate: &end, EndDate: &start}, false},
		{"unknown contract status", &cg.Contract{ID: "contract:a", Title: "T", Status: ptr(cg.ContractStatus("finished"))}, false},
		{"unknown procurement method", &cg.Contract{ID: "contract:a", Title: "T", ProcurementMethod: ptr(cg.ProcurementMethod("exemption"))}, false},
		{"bad currency", &cg.Contract{ID: "contract:a", Title: "T", Currency: ptr("pounds")}, false},
		{"negative value", &cg.Contract{ID: "contract:a", Title: "T", Value: ptr(-1.0)}, false},
		{"negative duration", &cg.Contract{ID: "contract:a", Title: "T", DurationMonths: ptr(-1)}, false},
		{"missing title", &cg.Contract{ID: "contract:a"}, false},
		{"voluntary provider", &cg.Provider{ID: "provider:a", Name: "A", Sector: ptr(cg.SectorVoluntary)}, true},
		{"unknown sector", &cg.Provider{ID: "provider:a", Name: "A", Sector: ptr(cg.ProviderSector("charity"))}, false},
		{"sector outside the list, in words", &cg.Provider{ID: "provider:a", Name: "A", Sector: ptr(cg.SectorOther), SectorText: ptr("charity")}, true},
		{"unknown delivery model", &cg.Service{ID: "service:a", Name: "A", DeliveryModel: ptr(cg.DeliveryModel("outsourced"))}, false},
		{"metric kind", &cg.Metric{ID: "metric:a", Kind: cg.MetricWaitingList}, true},
		{"unknown metric kind", &cg.Metric{ID: "metric:a", Kind: "HAPPINESS"}, false},
		{"rule", &cg.Rule{ID: "rule:a", Name: "R", Kind: cg.RuleApprovalBeforeEnd, Text: "T", MonthsBeforeEnd: ptr(6)}, true},
		{"negative months", &cg.Rule{ID: "rule:a", Name: "R", Kind: cg.RuleApprovalBeforeEnd, Text: "T", MonthsBeforeEnd: ptr(-6)}, false},
		{"resolution number 0", &cg.Resolution{ID: "resolution:a", Text: "T"}, false},
		{"team launched in a month", &cg.Team{ID: "team:a", Name: "A", Launched: ptr("2017-01")}, true},
		{"team launched in month 13", &cg.Team{ID: "team:a", Name: "A", Launched: ptr("2017-13")}, false},
		{"review planned on 30 February", &cg.Review{ID: "review:a", Title: "A", Planned: ptr("2024-02-30")}, false},
		{"review planned in a year", &cg.Review{ID: "review:a", Title: "A", Planned: ptr("2018")}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := cg.ValidateEntity(tt.e)
			if tt.ok && err != nil {
				t.Fatalf("ValidateEntity() = %v, want nil", err)
			}
			if !tt.ok && cg.ErrorCode(err) != cg.EINVALID {
				t.Fatalf("ValidateEntity() = %v, want an %s error", err, cg.EINVALID)
			}
		})
	}
}

func TestPrincipalMayWrite(t *testing.T) {
	for _, tt := range []struct {
		name  string
		p     cg.Principal
		code  string
		admin string
	}{
		{"anonymous", cg.Principal{}, cg.EUNAUTHORIZED, cg.EUNAUTHORIZED},
		{"viewer", cg.Principal{Subject: "v", Role: cg.RoleViewer}, cg.EFORBIDDEN, cg.EFORBIDDEN},
		{"editor without authority", cg.Principal{Subject: "e", Role: cg.RoleEditor}, cg.EFORBIDDEN, cg.EFORBIDDEN},
		{"editor", cg.Principal{Subject: "e", Role: cg.RoleEditor, Authority: "authority:a"}, "", cg.EFORBIDDEN},
		{"admin", cg.Principal{Subject: "a", Role: cg.RoleAdmin}, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := cg.ErrorCode(tt.p.MayWrite()); got != tt.code {
				t.Errorf("MayWrite() code = %q, want %q", got, tt.code)
			}
			if got := cg.ErrorCode(tt.p.MayAdminister()); got != tt.admin {
				t.Errorf("MayAdminister() code = %q, want %q", got, tt.admin)
			}
		})
	}
}

func TestParseCode(t *testing.T) {
	for _, tt := range []struct {
		word string
		want cg.ProviderSector
		ok   bool
	}{
		{"VOLUNTARY", cg.SectorVoluntary, true},
		{" voluntary ", cg.SectorVoluntary, true},
		{"Social Enterprise", cg.SectorSocialEnterprise, true},
		{"in-house", cg.SectorInHouse, true},
		{"charity", "", false},
		{"", "", false},
	} {
		got, ok := cg.ParseCode(tt.word, cg.ProviderSectorValues)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseCode(%q) = %q, %t; want %q, %t", tt.word, got, ok, tt.want, tt.ok)
		}
	}
}
