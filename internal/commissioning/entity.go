package commissioning

import "time"

// Label names a kind of entity; it is the node label in the graph. Every
// node also carries the label Entity, whose id is unique across the whole
// graph. The labels are those of Types (see entity_gen.go).
type Label string

// Entity is any node of the graph: it has a stable id and a label.
type Entity interface {
	EntityID() string
	EntityLabel() Label
}

// Property names follow the struct tags below; a nil pointer is a fact the
// sources do not state, and is stored as an absent property. Version counts
// the writes of an entity: the store sets it to 1 when the entity is first
// written and adds one on every change; updates and deletes carry the version
// the client read, so that no write is lost to another (optimistic locking).
// ID, Version and Synthetic mean the same in every type and are described
// once, by the generator; every other field's comment is its description in
// the GraphQL schema.

// Authority is a local authority (council), the buyer of commissioned services.
type Authority struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The authority's name, such as London Borough of Bromley.
	Name string `prop:"name" cg:"index,search"`
	// What kind of authority it is (LONDON_BOROUGH, COUNTY ...), when a source says.
	Kind *string `prop:"kind"`
	// The organisation's org-id identifier (GB-COH-01234567), as an OCDS
	// publisher gives it; set by imports only.
	Identifier *string `prop:"identifier" cg:"readonly"`
	// Other names the organisation is known by, sorted: publishers' ids
	// for it (ocds-b5fd17/1), its identifiers and its folded name
	// (name:gb:barnardos); set by imports and merges only.
	Aliases   []string `prop:"aliases" cg:"readonly"`
	Synthetic bool     `prop:"synthetic"`
}

// Department is a directorate of an authority, such as ECHS.
type Department struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The department's short name, such as ECHS.
	Name string `prop:"name" cg:"search"`
	// The full name, when a source gives it.
	FullName  *string `prop:"fullName" cg:"search"`
	Synthetic bool    `prop:"synthetic"`
}

// Team is an operational team into which services are integrated.
type Team struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The team's name, such as Atlas Team.
	Name string `prop:"name" cg:"index,search"`
	// What the team does, in a source's words.
	Description *string `prop:"description" cg:"search"`
	// When the team was launched, ISO 8601 of reduced precision (2017-01).
	Launched  *string `prop:"launched" cg:"month"`
	Synthetic bool    `prop:"synthetic"`
}

// Service is a public service delivered to residents.
type Service struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The service's name.
	Name string `prop:"name" cg:"index,search"`
	// A short name, such as CSE Recovery Service.
	ShortName *string `prop:"shortName" cg:"search"`
	// The kind of service, for comparing authorities (CSE_SUPPORT).
	ServiceType *string `prop:"serviceType" cg:"index"`
	// What the service does, in a source's words.
	Description *string `prop:"description" cg:"search"`
	// Who the service is for.
	Eligibility *string `prop:"eligibility" cg:"search"`
	// What a source says of the market for the service.
	MarketNote *string `prop:"marketNote"`
	// How the service is delivered, when a source states it.
	DeliveryModel *DeliveryModel `prop:"deliveryModel" cg:"index"`
	// A source's own words for a delivery model outside the list (OTHER).
	DeliveryModelText *string `prop:"deliveryModelText"`
	Synthetic         bool    `prop:"synthetic"`
}

// Provider is an organisation that holds contracts to deliver services (OCDS supplier).
type Provider struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The provider's name, such as Barnardo's.
	Name string `prop:"name" cg:"index,search"`
	// The provider's sector, when a source says so.
	Sector *ProviderSector `prop:"sector" cg:"index"`
	// A source's own words for a sector outside the list (OTHER).
	SectorText *string `prop:"sectorText"`
	// The organisation's org-id identifier (GB-COH-01234567), as an OCDS
	// publisher gives it; set by imports only.
	Identifier *string `prop:"identifier" cg:"readonly"`
	// Other names the organisation is known by, sorted: publishers' ids
	// for it (ocds-b5fd17/1), its identifiers and its folded name
	// (name:gb:barnardos); set by imports and merges only.
	Aliases   []string `prop:"aliases" cg:"readonly"`
	Synthetic bool     `prop:"synthetic"`
}

// Contract is a contract to deliver a service, in the terms of OCDS 1.1.
type Contract struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The OCDS open contracting id of the process, when the contract comes from OCDS data.
	OCID *string `prop:"ocid" cg:"index"`
	// The contract's title.
	Title string `prop:"title" cg:"search"`
	// What the contract is for, in a source's words.
	Description *string `prop:"description" cg:"search"`
	// The contract's status (OCDS contractStatus); an OCDS award or tender
	// status is mapped to it (an award made is PENDING, a tender withdrawn
	// CANCELLED).
	Status *ContractStatus `prop:"status"`
	// The status as the OCDS release published it, with its stage
	// ("award: unsuccessful"); set by imports only.
	OCDSStatus *string `prop:"ocdsStatus" cg:"readonly"`
	// The first day of the contract.
	StartDate *Date `prop:"startDate" cg:"index"`
	// The last day of the contract.
	EndDate *Date `prop:"endDate" cg:"index"`
	// How long the contract runs, in whole months.
	DurationMonths *int `prop:"durationMonths"`
	// The contract's value, in currency.
	Value *float64 `prop:"value" cg:"money"`
	// ISO 4217 currency of the value (GBP).
	Currency *string `prop:"currency"`
	// How the contract was procured (OCDS tender.procurementMethod).
	ProcurementMethod *ProcurementMethod `prop:"procurementMethod"`
	// The method as the OCDS release published it, when it is outside the
	// codelist (OTHER); set by imports only.
	OCDSProcurementMethod *string `prop:"ocdsProcurementMethod" cg:"readonly"`
	// Why the procurement method was used, such as an exemption to competitive tendering.
	ProcurementMethodRationale *string `prop:"procurementMethodRationale"`
	// The date of the newest OCDS release this contract was read from; an
	// older release imported later changes nothing.
	ReleaseDate *time.Time `prop:"releaseDate"`
	Synthetic   bool       `prop:"synthetic"`
}

// Committee is a council committee or sub-committee.
type Committee struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The committee's name as sources call it.
	Name string `prop:"name" cg:"search"`
	// The full name, when a source gives it.
	FullName *string `prop:"fullName" cg:"search"`
	// SELECT_COMMITTEE, SUB_COMMITTEE, CABINET ...
	Kind      *string `prop:"kind"`
	Synthetic bool    `prop:"synthetic"`
}

// Meeting is a meeting of a committee.
type Meeting struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The meeting, as sources name it.
	Name string `prop:"name" cg:"search"`
	// The day of the meeting, when a source gives it.
	Date      *Date `prop:"date"`
	Synthetic bool  `prop:"synthetic"`
}

// AgendaItem is an item of business at a meeting.
type AgendaItem struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The item's heading.
	Title string `prop:"title" cg:"search"`
	// The item's number on the agenda.
	Number    *string `prop:"number"`
	Synthetic bool    `prop:"synthetic"`
}

// Report is a report to members, known by its reference.
type Report struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The report's reference, such as CSD17132.
	Reference string `prop:"reference" cg:"index,search"`
	// The report's title.
	Title     *string `prop:"title" cg:"search"`
	Synthetic bool    `prop:"synthetic"`
}

// Person is a person (Popolo Person).
type Person struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The person's name, such as Nicholas Bennett.
	Name string `prop:"name" cg:"search"`
	// A prefix such as Councillor.
	HonorificPrefix *string `prop:"honorificPrefix"`
	// A suffix such as JP.
	HonorificSuffix *string `prop:"honorificSuffix"`
	Synthetic       bool    `prop:"synthetic"`
}

// Post is a position in an organisation (Popolo Post).
type Post struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The post's title, such as Director of Children's Social Care.
	Label string `prop:"label" cg:"search"`
	// CHAIRMAN, PORTFOLIO_HOLDER, DIRECTOR ...
	Role      *string `prop:"role"`
	Synthetic bool    `prop:"synthetic"`
}

// Decision is a decision of the authority.
type Decision struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// What was decided, in short.
	Title string `prop:"title" cg:"search"`
	// PORTFOLIO_HOLDER (executive), COMMITTEE, OFFICER ...
	Kind *string `prop:"kind"`
	// RECOMMENDED, MADE, CALLED_IN ..., as a source states it.
	Status *string `prop:"status"`
	// The day the decision was taken, when a source gives it.
	Date *Date `prop:"date" cg:"index"`
	// Whether the decision was taken under grounds of urgency.
	Urgent *bool `prop:"urgent"`
	// Why it was urgent, in a source's words.
	UrgencyReason *string `prop:"urgencyReason"`
	// Whether the call-in provision was waived.
	CallInWaived *bool `prop:"callInWaived"`
	// Whether it is a key decision, as a decision notice states.
	KeyDecision *bool `prop:"keyDecision"`
	// Whether it is subject to call-in, as a decision notice states.
	SubjectToCallIn *bool `prop:"subjectToCallIn"`
	// The meeting it was decided at, as written.
	Meeting   *string `prop:"meeting"`
	Synthetic bool    `prop:"synthetic"`
}

// Resolution is a numbered resolution recorded in a minute.
type Resolution struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The resolution's number in the minute.
	Number int `prop:"number"`
	// The resolution's words.
	Text      string `prop:"text" cg:"search"`
	Synthetic bool   `prop:"synthetic"`
}

// Scrutiny is a committee's scrutiny of a decision, such as pre-decision scrutiny.
type Scrutiny struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// PRE_DECISION, CALL_IN, POLICY_REVIEW ...
	Kind string `prop:"kind"`
	// Why the scrutiny was asked for, in a source's words.
	Reason *string `prop:"reason"`
	// What the scrutiny concluded, in a source's words.
	Outcome   *string `prop:"outcome"`
	Synthetic bool    `prop:"synthetic"`
}

// Inspection is an inspectorate's visit or inspection and what it found.
type Inspection struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The inspectorate, such as Ofsted or CQC.
	Inspectorate string `prop:"inspectorate"`
	// MONITORING_VISIT, FULL_INSPECTION ...
	Kind string `prop:"kind"`
	// What was inspected, in a source's words.
	Subject *string `prop:"subject" cg:"search"`
	// The day of the inspection, when a source gives it.
	Date *Date `prop:"date"`
	// What the inspectorate found, one finding an item.
	Findings  []string `prop:"findings" cg:"search"`
	Synthetic bool     `prop:"synthetic"`
}

// Review is a review of a team, service or contract.
type Review struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The review, as sources name it.
	Title string `prop:"title" cg:"search"`
	// What the review examines.
	Scope *string `prop:"scope" cg:"search"`
	// How long the review takes, in a source's words (3 to 4 weeks).
	Duration *string `prop:"duration"`
	// When the review is planned, ISO 8601 of reduced precision (2017-10).
	Planned *string `prop:"planned" cg:"month"`
	// PLANNED, UNDER_WAY, REPORTED ...
	Status *string `prop:"status"`
	// To whom the review reports.
	ReportTo  *string `prop:"reportTo"`
	Synthetic bool    `prop:"synthetic"`
}

// Metric kinds.
const (
	MetricChildrenSupported = "CHILDREN_SUPPORTED"
	MetricWaitingList       = "WAITING_LIST"
	MetricOutcomes          = "OUTCOMES"
	MetricValueForMoney     = "VALUE_FOR_MONEY"
	MetricChildrenPlaced    = "CHILDREN_PLACED"
	MetricFamilies          = "FAMILIES_SUPPORTED"
	MetricHouseholds        = "HOUSEHOLDS_SUPPORTED"
	MetricAdults            = "ADULTS_SUPPORTED"
	MetricPeople            = "PEOPLE_SUPPORTED"
	MetricReferrals         = "REFERRALS"
)

// Metric is an observation about a service: a count or a stated judgement.
type Metric struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// CHILDREN_SUPPORTED, WAITING_LIST, OUTCOMES, VALUE_FOR_MONEY,
	// CHILDREN_PLACED, FAMILIES_SUPPORTED, HOUSEHOLDS_SUPPORTED,
	// ADULTS_SUPPORTED, PEOPLE_SUPPORTED or REFERRALS.
	Kind string `prop:"kind" cg:"index"`
	// The count, for a count.
	Value *float64 `prop:"value"`
	// What the count counts, such as young people.
	Unit *string `prop:"unit"`
	// The judgement, for a stated judgement (good).
	Judgement *string `prop:"judgement" cg:"search"`
	// The date the observation refers to, when a source gives it.
	ObservedAt *Date `prop:"observedAt"`
	Synthetic  bool  `prop:"synthetic"`
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
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The rule's name.
	Name string `prop:"name" cg:"search"`
	// APPROVAL_BEFORE_END: approval needed monthsBeforeEnd months before a contract ends.
	Kind string `prop:"kind"`
	// The rule in a source's words.
	Text string `prop:"text" cg:"search"`
	// For APPROVAL_BEFORE_END, how many months before the end approval is due.
	MonthsBeforeEnd *int `prop:"monthsBeforeEnd"`
	Synthetic       bool `prop:"synthetic"`
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

// CommissioningIntention is an authority's stated intention for the future commissioning of a service.
type CommissioningIntention struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The intention, in short.
	Title string `prop:"title" cg:"search"`
	// The intention in a source's words.
	Description *string `prop:"description" cg:"search"`
	Synthetic   bool    `prop:"synthetic"`
}

// Source is provenance: the document and the exact passage a fact rests on.
type Source struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The document, as it is cited.
	Document string `prop:"document"`
	// The document's reference, such as a report number.
	DocumentRef *string `prop:"documentRef"`
	// The file the document was read from.
	File *string `prop:"file"`
	// Where in the file the passage is, such as the JSON path of an OCDS release.
	Path *string `prop:"path"`
	// The exact words of the document, or for data the values it states in words.
	Passage string `prop:"passage" cg:"search"`
	// When the passage was first recorded in the graph.
	RecordedAt time.Time `prop:"recordedAt"`
	// Where the passage starts in its document's text, for a passage of an
	// ingested document (a byte offset).
	Start *int `prop:"start"`
	// Where it ends (a byte offset, exclusive).
	End *int `prop:"end"`
	// The label of a labelled field ("Decision Maker"), when the passage is one.
	Label     *string `prop:"label"`
	Synthetic bool    `prop:"synthetic"`
}

// Document is a council document read into the graph: a minute, decision
// notice, issue history or report, its text split into passages.
type Document struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The document's address, when known.
	URL *string `prop:"url" cg:"index"`
	// The document's title.
	Title string `prop:"title" cg:"search"`
	// minute, decision-notice, issue-history or report, when the document shows which.
	Kind *string `prop:"kind"`
	// The hex SHA-256 of the document as read: the same content is the same document.
	ContentHash string `prop:"contentHash" cg:"index"`
	// When the document was read.
	ReadAt time.Time `prop:"readAt"`
	// The file it was read from.
	File *string `prop:"file"`
	// text, html or pdf: the form it was read from.
	Format *string `prop:"format"`
	// The document's text; its passages and its claims' quotes index into it.
	Text      string `prop:"text"`
	Synthetic bool   `prop:"synthetic"`
}

// Claim statuses.
const (
	ClaimProposed = "PROPOSED"
	ClaimAccepted = "ACCEPTED"
	ClaimRejected = "REJECTED"
)

// Claim is a fact a document states, proposed by an extraction rule for an
// analyst to accept or reject; once accepted it is in the graph, resting on
// its passage.
type Claim struct {
	ID      string `prop:"id"`
	Version int    `prop:"version"`
	// The field of the exchange format it fills, such as contracts[0].endDate.
	Field string `prop:"field"`
	// The value, as JSON ("2018-09-30", 12, true).
	Value string `prop:"value"`
	// The exact words of the document it rests on.
	Quote string `prop:"quote"`
	// Where the quote starts in the document's text (a byte offset).
	Start int `prop:"start"`
	// Where it ends (a byte offset, exclusive).
	End int `prop:"end"`
	// The extraction rule that proposed it.
	Rule string `prop:"rule"`
	// PROPOSED, ACCEPTED or REJECTED.
	Status string `prop:"status" cg:"index"`
	// Who accepted or rejected it.
	DecidedBy *string `prop:"decidedBy"`
	// When it was accepted or rejected.
	DecidedAt *time.Time `prop:"decidedAt"`
	Synthetic bool       `prop:"synthetic"`
}

// Types declares every entity type: with the structs above, all that is
// written by hand about them. The order is the order of Labels.
var Types = []TypeDecl{
	{Label: "Authority", Zero: Authority{}, Plural: "authorities", Naming: []string{"name"}, Relationships: []RelationshipDecl{
		{Type: "HAS_RULE", To: "Rule", Field: "rules", Many: true, Reverse: "authority", ReverseOne: true, Owner: Down},
	}},
	{Label: "Department", Zero: Department{}, Naming: []string{"name"}, Relationships: []RelationshipDecl{
		{Type: "PART_OF", To: "Authority", Field: "authority", Reverse: "departments", Owner: Up},
	}},
	{Label: "Team", Zero: Team{}, Naming: []string{"name"}, Relationships: []RelationshipDecl{
		{Type: "PART_OF", To: "Authority", Field: "authority", Reverse: "teams", Owner: Up},
	}},
	{Label: "Service", Zero: Service{}, Naming: []string{"name", "shortName"}, Relationships: []RelationshipDecl{
		{Type: "COMMISSIONED_BY", To: "Authority", Field: "authority", Reverse: "services", Owner: Up},
		{Type: "INTEGRATED_INTO", To: "Team", Field: "team", Doc: "The team this service is integrated into.",
			Reverse: "services", ReverseDoc: "The services integrated into this team.", Owner: Up},
	}},
	{Label: "Provider", Zero: Provider{}, Naming: []string{"name"}, Relationships: []RelationshipDecl{
		{Type: "HOLDS_CONTRACT", To: "Contract", Field: "contracts", Many: true, Reverse: "provider", ReverseOne: true},
	}},
	{Label: "Contract", Zero: Contract{}, Naming: []string{"title"}, Relationships: []RelationshipDecl{
		{Type: "FOR_SERVICE", To: "Service", Field: "service", Reverse: "contracts", Owner: Up},
		{Type: "BOUGHT_BY", To: "Authority", Field: "buyer", Doc: "The authority that buys the contract (OCDS buyer).",
			Reverse: "contracts", Owner: Up},
		{Type: "SUCCEEDS", To: "Contract", Field: "predecessor", Doc: "The contract this one follows.",
			Reverse: "successor", ReverseOne: true, ReverseDoc: "The contract that follows this one."},
	}},
	{Label: "Committee", Zero: Committee{}, Naming: []string{"name"}, Relationships: []RelationshipDecl{
		{Type: "PART_OF", To: "Authority", Field: "authority", Reverse: "committees", Owner: Up},
	}},
	{Label: "Meeting", Zero: Meeting{}, Naming: []string{"name"}, Relationships: []RelationshipDecl{
		{Type: "MEETING_OF", To: "Committee", Field: "committee", Reverse: "meetings", Owner: Up},
		{Type: "HAS_ITEM", To: "AgendaItem", Field: "agendaItems", Many: true, Reverse: "meeting", ReverseOne: true, Owner: Down},
	}},
	{Label: "AgendaItem", Zero: AgendaItem{}, Naming: []string{"title"}, Relationships: []RelationshipDecl{
		{Type: "CONSIDERS", To: "Report", Field: "reports", Many: true, Reverse: "agendaItems", Owner: Down},
		{Type: "RESOLVED", To: "Resolution", Field: "resolutions", Many: true, Reverse: "agendaItem", ReverseOne: true, Owner: Down},
	}},
	{Label: "Report", Zero: Report{}, Naming: []string{"reference"}, Relationships: []RelationshipDecl{
		{Type: "SETS_OUT", To: "Decision", Field: "decisions", Many: true, Reverse: "reports", Owner: Up},
		{Type: "SETS_OUT", To: "CommissioningIntention", Field: "commissioningIntentions", Many: true, Reverse: "reports", Owner: Up},
	}},
	{Label: "Person", Zero: Person{}, Plural: "people", Naming: []string{"name"}, Relationships: []RelationshipDecl{
		{Type: "HOLDS_POST", To: "Post", Field: "posts", Many: true, Reverse: "holders",
			ReverseDoc: "The people known to hold the post; empty when the sources do not name them."},
	}},
	{Label: "Post", Zero: Post{}, Naming: []string{"label"}, Relationships: []RelationshipDecl{
		{Type: "POST_IN", To: "Authority", Field: "organization", Doc: "The authority, department or committee the post is in.", Owner: Up},
		{Type: "POST_IN", To: "Department", Field: "organization", Reverse: "posts", Owner: Up},
		{Type: "POST_IN", To: "Committee", Field: "organization", Reverse: "posts", Owner: Up},
		{Type: "INTRODUCED", To: "Report", Field: "reportsIntroduced", Many: true, Reverse: "introducedBy",
			ReverseDoc: "The posts whose holders introduced the report.", Owner: Down},
	}},
	{Label: "Decision", Zero: Decision{}, Naming: []string{"title"}, Relationships: []RelationshipDecl{
		{Type: "AWARDS", To: "Contract", Field: "contracts", Many: true, Doc: "The contracts this decision awards.",
			Reverse: "awardedBy", ReverseOne: true, ReverseDoc: "The decision that awarded this contract."},
		{Type: "TAKEN_BY", To: "Post", Field: "takenBy", Doc: "The post of the decision maker.", Reverse: "decisionsTaken", Owner: Up},
	}},
	{Label: "Resolution", Zero: Resolution{}, Naming: []string{"number"}, Relationships: []RelationshipDecl{
		{Type: "CONCERNS", To: "Decision", Field: "decision", Reverse: "resolutions", Owner: Up},
	}},
	{Label: "Scrutiny", Zero: Scrutiny{}, Naming: []string{"kind"}, Relationships: []RelationshipDecl{
		{Type: "SCRUTINISES", To: "Decision", Field: "decision", Reverse: "scrutinies", Owner: Up},
		{Type: "CONDUCTED_BY", To: "Committee", Field: "committee", Reverse: "scrutinies", Owner: Up},
		{Type: "REQUESTED_BY", To: "Person", Field: "requestedBy", Doc: "The member who asked for the scrutiny."},
		{Type: "HELD_AT", To: "AgendaItem", Field: "agendaItem", Doc: "The agenda item at which it was held."},
	}},
	{Label: "Inspection", Zero: Inspection{}, Naming: []string{"inspectorate", "kind"}, Relationships: []RelationshipDecl{
		{Type: "INSPECTED", To: "Authority", Field: "authority", Reverse: "inspections", Owner: Up},
		{Type: "INSPECTED", To: "Service", Field: "services", Many: true, Reverse: "inspections", Owner: Up},
	}},
	{Label: "Review", Zero: Review{}, Naming: []string{"title"}, Relationships: []RelationshipDecl{
		{Type: "REVIEWS", To: "Team", Field: "teams", Many: true, Reverse: "reviews", Owner: Up},
		{Type: "REVIEWS", To: "Service", Field: "services", Many: true, Reverse: "reviews", Owner: Up},
		{Type: "REVIEWS", To: "Contract", Field: "contracts", Many: true, Reverse: "reviews", Owner: Up},
	}},
	{Label: "Metric", Zero: Metric{}, Naming: []string{"kind"}, Relationships: []RelationshipDecl{
		{Type: "MEASURES", To: "Service", Field: "service", Reverse: "metrics", Owner: Up},
		{Type: "REPORTED_BY", To: "Post", Field: "reportedBy", Doc: "The post whose holder reported the observation."},
	}},
	{Label: "Rule", Zero: Rule{}, Naming: []string{"name"}},
	{Label: "CommissioningIntention", Zero: CommissioningIntention{}, Naming: []string{"title"}, Relationships: []RelationshipDecl{
		{Type: "FOR_SERVICE", To: "Service", Field: "service", Reverse: "commissioningIntentions", Owner: Up},
	}},
	{Label: "Source", Zero: Source{}, Naming: []string{"passage"}, ReadOnly: true, Relationships: []RelationshipDecl{
		{Type: "PASSAGE_OF", To: "Document", Field: "inDocument", Doc: "The ingested document this passage is part of.",
			Reverse: "passages", ReverseDoc: "The document's sentences and labelled fields, in order.", Owner: Up},
	}},
	{Label: "Document", Zero: Document{}, Naming: []string{"title"}, ReadOnly: true, Relationships: []RelationshipDecl{
		{Type: "ISSUED_BY", To: "Authority", Field: "authority", Doc: "The authority whose document it is.", Reverse: "documents", Owner: Up},
		{Type: "REPLACES", To: "Document", Field: "replaces", Doc: "The earlier version of the same page, which stays citable.",
			Reverse: "replacedBy", ReverseOne: true, ReverseDoc: "The later version of the same page, when it changed."},
	}},
	{Label: "Claim", Zero: Claim{}, Naming: []string{"field"}, ReadOnly: true, Unlisted: true, Relationships: []RelationshipDecl{
		{Type: "CLAIMED_IN", To: "Document", Field: "document", Doc: "The document that states it.", Reverse: "claims",
			ReverseDoc: "The facts proposed from the document.", Owner: Up},
		{Type: "QUOTES", To: "Source", Field: "passage", Doc: "The passage its quote is in."},
	}},
}
