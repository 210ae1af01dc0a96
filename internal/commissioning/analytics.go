package commissioning

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// ApprovalStatus says whether the contract to follow an ending contract was
// approved before the deadline of the buyer's approval rule.
type ApprovalStatus string

// Approval statuses.
const (
	ApprovedInTime  ApprovalStatus = "APPROVED_IN_TIME"
	ApprovedLate    ApprovalStatus = "APPROVED_LATE"
	NotYetApproved  ApprovalStatus = "NOT_YET_APPROVED"
	ApprovalUnknown ApprovalStatus = "UNKNOWN"
)

// ContractDeadline is a contract with the approval deadline for what follows
// it, and how that deadline was met.
type ContractDeadline struct {
	Contract  *Contract
	Buyer     *Authority
	Service   *Service
	Provider  *Provider
	Rule      *Rule
	Successor *Contract
	// Decision is the decision that awarded the successor, if any.
	Decision *Decision
}

// EndDate is when the contract ends, or nil when that is unknown.
func (c *ContractDeadline) EndDate() *Date { return c.Contract.EndDate }

// Deadline is the date by which a successor needed approval, or nil when the
// end date or the rule is unknown.
func (c *ContractDeadline) Deadline() *Date {
	return c.Rule.ApprovalDeadline(c.Contract.EndDate)
}

// Status classifies the approval of the successor against the deadline.
func (c *ContractDeadline) Status() ApprovalStatus {
	deadline := c.Deadline()
	switch {
	case deadline == nil:
		return ApprovalUnknown
	case c.Decision == nil:
		return NotYetApproved
	case c.Decision.Date == nil:
		return ApprovalUnknown
	case c.Decision.Date.Before(*deadline) || *c.Decision.Date == *deadline:
		return ApprovedInTime
	}
	return ApprovedLate
}

// DaysLate is how many days after the deadline the successor was approved,
// or nil unless the status is ApprovedLate.
func (c *ContractDeadline) DaysLate() *int {
	if c.Status() != ApprovedLate {
		return nil
	}
	d := int(c.Decision.Date.Time().Sub(c.Deadline().Time()).Hours() / 24)
	return &d
}

// EndingFilter selects contracts ending within a window.
type EndingFilter struct {
	From        Date
	Months      int
	AuthorityID string // "" for every authority
	ServiceType string // "" for every type
}

// DeliveryRow is one authority's delivery of a type of service, for
// comparison across authorities.
type DeliveryRow struct {
	Authority  *Authority
	Service    *Service
	Team       *Team
	Contract   *Contract // the latest contract for the service
	Provider   *Provider
	Children   *float64 // latest CHILDREN_SUPPORTED
	Waiting    *float64 // latest WAITING_LIST
	Inspection *Inspection
}

// DeliveryModel is the service's stated delivery model or, when no source
// states one, the model its latest contract implies.
func (r *DeliveryRow) DeliveryModel() string {
	if r.Service.DeliveryModel != nil {
		return string(*r.Service.DeliveryModel)
	}
	if r.Contract == nil {
		return ModelUnknown
	}
	if r.Provider == nil || r.Provider.Sector == nil {
		return string(ModelCommissioned)
	}
	var m DeliveryModel
	switch *r.Provider.Sector {
	case SectorVoluntary, SectorSocialEnterprise:
		m = ModelCommissionedVoluntary
	case SectorCommercial:
		m = ModelCommissionedCommercial
	case SectorPublic, SectorSharedService:
		m = ModelSharedService
	case SectorInHouse:
		m = ModelInHouse
	case SectorTrust:
		m = ModelChildrensTrust
	default:
		m = ModelCommissioned
	}
	return string(m)
}

// AnnualValue is the latest contract's value per year, when its value and
// length are known.
func (r *DeliveryRow) AnnualValue() *float64 {
	if r.Contract == nil || r.Contract.Value == nil {
		return nil
	}
	months := r.Contract.Months()
	if months == nil || *months <= 0 {
		return nil
	}
	v := *r.Contract.Value * 12 / float64(*months)
	return &v
}

// CostPerChild is the annual value divided by the children supported, when
// both are known.
func (r *DeliveryRow) CostPerChild() *float64 {
	annual := r.AnnualValue()
	if annual == nil || r.Children == nil || *r.Children <= 0 {
		return nil
	}
	v := *annual / *r.Children
	return &v
}

// Months is the contract's length in months: its stated duration, or the
// whole months from its start to its end.
func (c *Contract) Months() *int {
	if c.DurationMonths != nil {
		return c.DurationMonths
	}
	if c.StartDate == nil || c.EndDate == nil {
		return nil
	}
	s, e := c.StartDate, c.EndDate.Time().AddDate(0, 0, 1)
	m := (e.Year()-s.Year)*12 + int(e.Month()) - int(s.Month)
	if e.Day() < s.Day {
		m--
	}
	return &m
}

// DeliveryKey names a column of the comparison to group or sort by.
type DeliveryKey string

// Comparison columns.
const (
	KeyAuthority     DeliveryKey = "AUTHORITY"
	KeyDeliveryModel DeliveryKey = "DELIVERY_MODEL"
	KeyProvider      DeliveryKey = "PROVIDER"
	KeyProcurement   DeliveryKey = "PROCUREMENT_ROUTE"
	KeyContractMonth DeliveryKey = "CONTRACT_MONTHS"
	KeyContractValue DeliveryKey = "CONTRACT_VALUE"
	KeyChildren      DeliveryKey = "CHILDREN_SUPPORTED"
	KeyWaiting       DeliveryKey = "WAITING_LIST"
	KeyCostPerChild  DeliveryKey = "COST_PER_CHILD"
	KeyInspection    DeliveryKey = "INSPECTION_FINDING"
	KeyTeam          DeliveryKey = "TEAM"
)

// value returns the row's value in column k: a string, a float64 or nil.
func (r *DeliveryRow) value(k DeliveryKey) any {
	num := func(f *float64) any {
		if f == nil {
			return nil
		}
		return *f
	}
	switch k {
	case KeyAuthority:
		return r.Authority.Name
	case KeyDeliveryModel:
		return r.DeliveryModel()
	case KeyProvider:
		if r.Provider != nil {
			return r.Provider.Name
		}
	case KeyProcurement:
		if r.Contract != nil && r.Contract.ProcurementMethod != nil {
			return string(*r.Contract.ProcurementMethod)
		}
	case KeyContractMonth:
		if r.Contract != nil {
			if m := r.Contract.Months(); m != nil {
				return float64(*m)
			}
		}
	case KeyContractValue:
		if r.Contract != nil {
			return num(r.Contract.Value)
		}
	case KeyChildren:
		return num(r.Children)
	case KeyWaiting:
		return num(r.Waiting)
	case KeyCostPerChild:
		return num(r.CostPerChild())
	case KeyInspection:
		if r.Inspection != nil && len(r.Inspection.Findings) > 0 {
			return r.Inspection.Findings[0]
		}
	case KeyTeam:
		if r.Team != nil {
			return r.Team.Name
		}
	}
	return nil
}

// ValidDeliveryKey reports whether k is a comparison column.
func ValidDeliveryKey(k DeliveryKey) bool {
	switch k {
	case KeyAuthority, KeyDeliveryModel, KeyProvider, KeyProcurement, KeyContractMonth,
		KeyContractValue, KeyChildren, KeyWaiting, KeyCostPerChild, KeyInspection, KeyTeam:
		return true
	}
	return false
}

// SortDeliveryRows sorts rows by column k, unknown values last, then by
// authority name so that the order is stable.
func SortDeliveryRows(rows []*DeliveryRow, k DeliveryKey, desc bool) {
	slices.SortStableFunc(rows, func(a, b *DeliveryRow) int {
		if c := compareValues(a.value(k), b.value(k), desc); c != 0 {
			return c
		}
		return strings.Compare(a.Authority.Name, b.Authority.Name)
	})
}

func compareValues(a, b any, desc bool) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	var c int
	switch x := a.(type) {
	case float64:
		c = cmp.Compare(x, b.(float64))
	case string:
		c = strings.Compare(x, b.(string))
	}
	if desc {
		return -c
	}
	return c
}

// DeliveryGroup is the rows sharing one value of a column, with averages
// over the rows where they are known.
type DeliveryGroup struct {
	Key             string
	Rows            []*DeliveryRow
	AvgCostPerChild *float64
	AvgChildren     *float64
	AvgWaiting      *float64
}

// Count is the number of rows in the group.
func (g *DeliveryGroup) Count() int { return len(g.Rows) }

// GroupDeliveryRows groups rows by column k, in the order groups first
// appear; rows with no value in k form the group "UNKNOWN".
func GroupDeliveryRows(rows []*DeliveryRow, k DeliveryKey) []*DeliveryGroup {
	var groups []*DeliveryGroup
	index := map[string]*DeliveryGroup{}
	for _, r := range rows {
		key := "UNKNOWN"
		switch v := r.value(k).(type) {
		case string:
			key = v
		case float64:
			key = strings.TrimRight(strings.TrimRight(formatFloat(v), "0"), ".")
		}
		g, ok := index[key]
		if !ok {
			g = &DeliveryGroup{Key: key}
			index[key] = g
			groups = append(groups, g)
		}
		g.Rows = append(g.Rows, r)
	}
	for _, g := range groups {
		g.AvgCostPerChild = average(g.Rows, (*DeliveryRow).CostPerChild)
		g.AvgChildren = average(g.Rows, func(r *DeliveryRow) *float64 { return r.Children })
		g.AvgWaiting = average(g.Rows, func(r *DeliveryRow) *float64 { return r.Waiting })
	}
	return groups
}

func average(rows []*DeliveryRow, f func(*DeliveryRow) *float64) *float64 {
	var sum float64
	var n int
	for _, r := range rows {
		if v := f(r); v != nil {
			sum += *v
			n++
		}
	}
	if n == 0 {
		return nil
	}
	avg := sum / float64(n)
	return &avg
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// ProcurementRoute is the latest contract's OCDS procurement method.
func (r *DeliveryRow) ProcurementRoute() *ProcurementMethod {
	if r.Contract == nil {
		return nil
	}
	return r.Contract.ProcurementMethod
}

// ContractMonths is the latest contract's length in months.
func (r *DeliveryRow) ContractMonths() *int {
	if r.Contract == nil {
		return nil
	}
	return r.Contract.Months()
}

// ContractValue is the latest contract's whole value.
func (r *DeliveryRow) ContractValue() *float64 {
	if r.Contract == nil {
		return nil
	}
	return r.Contract.Value
}

// LatestFinding is the first finding of the latest inspection.
func (r *DeliveryRow) LatestFinding() *string {
	if r.Inspection == nil || len(r.Inspection.Findings) == 0 {
		return nil
	}
	return &r.Inspection.Findings[0]
}

// LateApprovals keeps the deadlines that were missed.
func LateApprovals(all []*ContractDeadline) []*ContractDeadline {
	var late []*ContractDeadline
	for _, d := range all {
		if d.Status() == ApprovedLate {
			late = append(late, d)
		}
	}
	return late
}

// ComparisonCaveat is shown with every delivery comparison.
const ComparisonCaveat = "Raw comparisons mislead: deprivation explains much of the variation in outcomes and cost, so compare an authority with its statistical neighbours. Rows marked synthetic are generated data, not real authorities."

// ApprovedOn is the date of the decision that awarded the successor.
func (c *ContractDeadline) ApprovedOn() *Date {
	if c.Decision == nil {
		return nil
	}
	return c.Decision.Date
}
