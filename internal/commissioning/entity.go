package commissioning

import "time"

// Label names a kind of entity; it is the node label in the graph.
type Label string

// The entity labels. Every node also carries the label Entity, whose id is
// unique across the whole graph.
const (
	LabelAuthority              Label = "Authority"
	LabelDepartment             Label = "Department"
	LabelTeam                   Label = "Team"
	LabelService                Label = "Service"
	LabelProvider               Label = "Provider"
	LabelContract               Label = "Contract"
	LabelCommittee              Label = "Committee"
	LabelMeeting                Label = "Meeting"
	LabelAgendaItem             Label = "AgendaItem"
	LabelReport                 Label = "Report"
	LabelPerson                 Label = "Person"
	LabelPost                   Label = "Post"
	LabelDecision               Label = "Decision"
	LabelResolution             Label = "Resolution"
	LabelScrutiny               Label = "Scrutiny"
	LabelInspection             Label = "Inspection"
	LabelReview                 Label = "Review"
	LabelMetric                 Label = "Metric"
	LabelRule                   Label = "Rule"
	LabelCommissioningIntention Label = "CommissioningIntention"
	LabelSource                 Label = "Source"
)

// Labels lists every entity label; it is the allowlist for labels in queries.
var Labels = []Label{
	LabelAuthority, LabelDepartment, LabelTeam, LabelService, LabelProvider,
	LabelContract, LabelCommittee, LabelMeeting, LabelAgendaItem, LabelReport,
	LabelPerson, LabelPost, LabelDecision, LabelResolution, LabelScrutiny,
	LabelInspection, LabelReview, LabelMetric, LabelRule,
	LabelCommissioningIntention, LabelSource,
}

// Valid reports whether l is one of Labels.
func (l Label) Valid() bool {
	for _, v := range Labels {
		if l == v {
			return true
		}
	}
	return false
}

// Entity is any node of the graph: it has a stable id and a label.
type Entity interface {
	EntityID() string
	EntityLabel() Label
}

// NewEntity returns a pointer to a zero entity of the type for label l.
func NewEntity(l Label) (Entity, error) {
	switch l {
	case LabelAuthority:
		return &Authority{}, nil
	case LabelDepartment:
		return &Department{}, nil
	case LabelTeam:
		return &Team{}, nil
	case LabelService:
		return &Service{}, nil
	case LabelProvider:
		return &Provider{}, nil
	case LabelContract:
		return &Contract{}, nil
	case LabelCommittee:
		return &Committee{}, nil
	case LabelMeeting:
		return &Meeting{}, nil
	case LabelAgendaItem:
		return &AgendaItem{}, nil
	case LabelReport:
		return &Report{}, nil
	case LabelPerson:
		return &Person{}, nil
	case LabelPost:
		return &Post{}, nil
	case LabelDecision:
		return &Decision{}, nil
	case LabelResolution:
		return &Resolution{}, nil
	case LabelScrutiny:
		return &Scrutiny{}, nil
	case LabelInspection:
		return &Inspection{}, nil
	case LabelReview:
		return &Review{}, nil
	case LabelMetric:
		return &Metric{}, nil
	case LabelRule:
		return &Rule{}, nil
	case LabelCommissioningIntention:
		return &CommissioningIntention{}, nil
	case LabelSource:
		return &Source{}, nil
	}
	return nil, Errorf(EINVALID, "unknown entity label %q", l)
}

// Property names follow the struct tags below; a nil pointer is a fact the
// sources do not state, and is stored as an absent property. Version counts
// the writes of an entity: the store sets it to 1 when the entity is first
// written and adds one on every change; updates and deletes carry the version
// the client read, so that no write is lost to another (optimistic locking).

// Authority is a local authority, the buyer of commissioned services.
type Authority struct {
	ID        string  `prop:"id"`
	Version   int     `prop:"version"`
	Name      string  `prop:"name"`
	Kind      *string `prop:"kind"`
	Synthetic bool    `prop:"synthetic"`
}

// Department is a directorate of an authority, such as ECHS.
type Department struct {
	ID        string  `prop:"id"`
	Version   int     `prop:"version"`
	Name      string  `prop:"name"`
	FullName  *string `prop:"fullName"`
	Synthetic bool    `prop:"synthetic"`
}

// Team is an operational team into which services are integrated.
type Team struct {
	ID          string  `prop:"id"`
	Version     int     `prop:"version"`
	Name        string  `prop:"name"`
	Description *string `prop:"description"`
	// Launched is an ISO 8601 date of reduced precision ("2017-01").
	Launched  *string `prop:"launched"`
	Synthetic bool    `prop:"synthetic"`
}

// Service is a public service delivered to residents.
type Service struct {
	ID          string  `prop:"id"`
	Version     int     `prop:"version"`
	Name        string  `prop:"name"`
	ShortName   *string `prop:"shortName"`
	ServiceType *string `prop:"serviceType"`
	Description *string `prop:"description"`
	Eligibility *string `prop:"eligibility"`
	MarketNote  *string `prop:"marketNote"`
	// DeliveryModel is how the service is delivered (IN_HOUSE,
	// COMMISSIONED_VOLUNTARY ...), when a source states it.
	DeliveryModel *string `prop:"deliveryModel"`
	Synthetic     bool    `prop:"synthetic"`
}

// Provider is an organisation that holds contracts to deliver services.
type Provider struct {
	ID        string  `prop:"id"`
	Version   int     `prop:"version"`
	Name      string  `prop:"name"`
	Sector    *string `prop:"sector"`
	Synthetic bool    `prop:"synthetic"`
}

// Contract is an agreement to deliver a service, described in the terms of
// the Open Contracting Data Standard (OCDS 1.1).
type Contract struct {
	ID                         string   `prop:"id"`
	Version                    int      `prop:"version"`
	OCID                       *string  `prop:"ocid"`
	Title                      string   `prop:"title"`
	Description                *string  `prop:"description"`
	Status                     *string  `prop:"status"`
	StartDate                  *Date    `prop:"startDate"`
	EndDate                    *Date    `prop:"endDate"`
	DurationMonths             *int     `prop:"durationMonths"`
	Value                      *float64 `prop:"value"`
	Currency                   *string  `prop:"currency"`
	ProcurementMethod          *string  `prop:"procurementMethod"`
	ProcurementMethodRationale *string  `prop:"procurementMethodRationale"`
	// ReleaseDate is the date of the newest OCDS release the contract was
	// read from; a release older than it never overwrites what it says.
	ReleaseDate *time.Time `prop:"releaseDate"`
	Synthetic   bool       `prop:"synthetic"`
}

// Committee is a council committee or sub-committee.
type Committee struct {
	ID        string  `prop:"id"`
	Version   int     `prop:"version"`
	Name      string  `prop:"name"`
	FullName  *string `prop:"fullName"`
	Kind      *string `prop:"kind"`
	Synthetic bool    `prop:"synthetic"`
}

// Meeting is a meeting of a committee.
type Meeting struct {
	ID        string `prop:"id"`
	Version   int    `prop:"version"`
	Name      string `prop:"name"`
	Date      *Date  `prop:"date"`
	Synthetic bool   `prop:"synthetic"`
}

// AgendaItem is an item of business at a meeting.
type AgendaItem struct {
	ID        string  `prop:"id"`
	Version   int     `prop:"version"`
	Title     string  `prop:"title"`
	Number    *string `prop:"number"`
	Synthetic bool    `prop:"synthetic"`
}

// Report is a report to members, known by its reference.
type Report struct {
	ID        string  `prop:"id"`
	Version   int     `prop:"version"`
	Reference string  `prop:"reference"`
	Title     *string `prop:"title"`
	Synthetic bool    `prop:"synthetic"`
}

// Person is a named individual (Popolo Person).
type Person struct {
	ID              string  `prop:"id"`
	Version         int     `prop:"version"`
	Name            string  `prop:"name"`
	HonorificPrefix *string `prop:"honorificPrefix"`
	HonorificSuffix *string `prop:"honorificSuffix"`
	Synthetic       bool    `prop:"synthetic"`
}

// Post is a position in an organisation that a person may hold (Popolo Post).
type Post struct {
	ID        string  `prop:"id"`
	Version   int     `prop:"version"`
	Label     string  `prop:"label"`
	Role      *string `prop:"role"`
	Synthetic bool    `prop:"synthetic"`
}

// Decision is a decision of the authority, such as a Portfolio Holder's
// executive decision to award a contract.
type Decision struct {
	ID            string  `prop:"id"`
	Version       int     `prop:"version"`
	Title         string  `prop:"title"`
	Kind          *string `prop:"kind"`
	Status        *string `prop:"status"`
	Date          *Date   `prop:"date"`
	Urgent        *bool   `prop:"urgent"`
	UrgencyReason *string `prop:"urgencyReason"`
	CallInWaived  *bool   `prop:"callInWaived"`
	Synthetic     bool    `prop:"synthetic"`
}

// Resolution is a numbered resolution recorded in a minute.
type Resolution struct {
	ID        string `prop:"id"`
	Version   int    `prop:"version"`
	Number    int    `prop:"number"`
	Text      string `prop:"text"`
	Synthetic bool   `prop:"synthetic"`
}

// Scrutiny is a committee's scrutiny of a decision, such as pre-decision
// scrutiny requested by a member.
type Scrutiny struct {
	ID        string  `prop:"id"`
	Version   int     `prop:"version"`
	Kind      string  `prop:"kind"`
	Reason    *string `prop:"reason"`
	Outcome   *string `prop:"outcome"`
	Synthetic bool    `prop:"synthetic"`
}

// Inspection is an inspectorate's visit or inspection and what it found.
type Inspection struct {
	ID           string   `prop:"id"`
	Version      int      `prop:"version"`
	Inspectorate string   `prop:"inspectorate"`
	Kind         string   `prop:"kind"`
	Subject      *string  `prop:"subject"`
	Date         *Date    `prop:"date"`
	Findings     []string `prop:"findings"`
	Synthetic    bool     `prop:"synthetic"`
}

// Review is a planned or completed review of a team, service or contract.
type Review struct {
	ID       string  `prop:"id"`
	Version  int     `prop:"version"`
	Title    string  `prop:"title"`
	Scope    *string `prop:"scope"`
	Duration *string `prop:"duration"`
	// Planned is an ISO 8601 date of reduced precision ("2017-10").
	Planned   *string `prop:"planned"`
	Status    *string `prop:"status"`
	ReportTo  *string `prop:"reportTo"`
	Synthetic bool    `prop:"synthetic"`
}

// Metric kinds.
const (
	MetricChildrenSupported = "CHILDREN_SUPPORTED"
	MetricWaitingList       = "WAITING_LIST"
	MetricOutcomes          = "OUTCOMES"
	MetricValueForMoney     = "VALUE_FOR_MONEY"
)

// Metric is one observation about a service: a count (children supported,
// waiting list) or a stated judgement (outcomes, value for money).
type Metric struct {
	ID         string   `prop:"id"`
	Version    int      `prop:"version"`
	Kind       string   `prop:"kind"`
	Value      *float64 `prop:"value"`
	Unit       *string  `prop:"unit"`
	Judgement  *string  `prop:"judgement"`
	ObservedAt *Date    `prop:"observedAt"`
	Synthetic  bool     `prop:"synthetic"`
}

// Rule kinds.
const (
	// RuleApprovalBeforeEnd: a contract to follow an existing one needs
	// Member approval at least MonthsBeforeEnd months before the existing
	// contract ends.
	RuleApprovalBeforeEnd = "APPROVAL_BEFORE_END"
)

// Rule is a governance rule of an authority, held as data.
type Rule struct {
	ID              string `prop:"id"`
	Version         int    `prop:"version"`
	Name            string `prop:"name"`
	Kind            string `prop:"kind"`
	Text            string `prop:"text"`
	MonthsBeforeEnd *int   `prop:"monthsBeforeEnd"`
	Synthetic       bool   `prop:"synthetic"`
}

// ApprovalDeadline returns the date by which a contract to follow one ending
// on end needs approval under r, or nil when r does not say or end is unknown.
func (r *Rule) ApprovalDeadline(end *Date) *Date {
	if r == nil || r.Kind != RuleApprovalBeforeEnd || r.MonthsBeforeEnd == nil || end == nil {
		return nil
	}
	d := end.MonthsBefore(*r.MonthsBeforeEnd)
	return &d
}

// CommissioningIntention is an authority's stated intention for the future
// commissioning of a service.
type CommissioningIntention struct {
	ID          string  `prop:"id"`
	Version     int     `prop:"version"`
	Title       string  `prop:"title"`
	Description *string `prop:"description"`
	Synthetic   bool    `prop:"synthetic"`
}

// Source is the provenance of a node or relationship: the document, the exact
// passage it rests on and when it was recorded in the graph.
type Source struct {
	ID          string  `prop:"id"`
	Version     int     `prop:"version"`
	Document    string  `prop:"document"`
	DocumentRef *string `prop:"documentRef"`
	File        *string `prop:"file"`
	// Path is where in the file the passage is, such as a JSON path.
	Path       *string   `prop:"path"`
	Passage    string    `prop:"passage"`
	RecordedAt time.Time `prop:"recordedAt"`
	Synthetic  bool      `prop:"synthetic"`
}

func (e Authority) EntityID() string              { return e.ID }
func (e Department) EntityID() string             { return e.ID }
func (e Team) EntityID() string                   { return e.ID }
func (e Service) EntityID() string                { return e.ID }
func (e Provider) EntityID() string               { return e.ID }
func (e Contract) EntityID() string               { return e.ID }
func (e Committee) EntityID() string              { return e.ID }
func (e Meeting) EntityID() string                { return e.ID }
func (e AgendaItem) EntityID() string             { return e.ID }
func (e Report) EntityID() string                 { return e.ID }
func (e Person) EntityID() string                 { return e.ID }
func (e Post) EntityID() string                   { return e.ID }
func (e Decision) EntityID() string               { return e.ID }
func (e Resolution) EntityID() string             { return e.ID }
func (e Scrutiny) EntityID() string               { return e.ID }
func (e Inspection) EntityID() string             { return e.ID }
func (e Review) EntityID() string                 { return e.ID }
func (e Metric) EntityID() string                 { return e.ID }
func (e Rule) EntityID() string                   { return e.ID }
func (e CommissioningIntention) EntityID() string { return e.ID }
func (e Source) EntityID() string                 { return e.ID }

func (Authority) EntityLabel() Label              { return LabelAuthority }
func (Department) EntityLabel() Label             { return LabelDepartment }
func (Team) EntityLabel() Label                   { return LabelTeam }
func (Service) EntityLabel() Label                { return LabelService }
func (Provider) EntityLabel() Label               { return LabelProvider }
func (Contract) EntityLabel() Label               { return LabelContract }
func (Committee) EntityLabel() Label              { return LabelCommittee }
func (Meeting) EntityLabel() Label                { return LabelMeeting }
func (AgendaItem) EntityLabel() Label             { return LabelAgendaItem }
func (Report) EntityLabel() Label                 { return LabelReport }
func (Person) EntityLabel() Label                 { return LabelPerson }
func (Post) EntityLabel() Label                   { return LabelPost }
func (Decision) EntityLabel() Label               { return LabelDecision }
func (Resolution) EntityLabel() Label             { return LabelResolution }
func (Scrutiny) EntityLabel() Label               { return LabelScrutiny }
func (Inspection) EntityLabel() Label             { return LabelInspection }
func (Review) EntityLabel() Label                 { return LabelReview }
func (Metric) EntityLabel() Label                 { return LabelMetric }
func (Rule) EntityLabel() Label                   { return LabelRule }
func (CommissioningIntention) EntityLabel() Label { return LabelCommissioningIntention }
func (Source) EntityLabel() Label                 { return LabelSource }
