package seed

import (
	_ "embed"
	"fmt"
	"strings"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// Minute is the text of the minute exactly as published.
//
//go:embed minute.txt
var Minute string

// MinuteFile is the file name under which the minute was published to us.
const MinuteFile = "000_25d5444e4894de81.txt"

// Document is how sources drawn from the minute name it.
const Document = "London Borough of Bromley: minute of the Sub-Committee on Report CSD17132, Child Sexual Exploitation Recovery Service (2017)"

// normalised is the minute with every run of white space made one space, the
// form in which passages are quoted.
var normalised = strings.Join(strings.Fields(Minute), " ")

// Graph returns the graph of the minute's facts.
func Graph() *cg.Graph {
	b := builder{g: &cg.Graph{}}

	// The passages of the minute the graph rests on, by short key.
	b.quote("heading", "Agenda item Report CSD17132")
	b.sentence("considered", "The Sub-Committee considered a report")
	b.sentence("scrutiny-request", "The Chairman of Education, Children and Families Select Committee")
	b.sentence("service", "The Child Sexual Exploitation Recovery Service provided")
	b.sentence("contract", "A contract to provide a specialist programme")
	b.sentence("proposal", "It was proposed that the Portfolio Holder")
	b.sentence("intentions", "The report also set out the commissioning intentions")
	b.sentence("introduced", "The Director of Programmes (ECHS) and Director")
	b.sentence("service-review", "The 12 month extension that was being requested")
	b.sentence("integrated", "The Director of Programmes reported that this was a valuable service")
	b.sentence("value", "The current contract was providing good value for money")
	b.sentence("atlas-launched", "The Director of Children’s Social Care reminded")
	b.sentence("atlas-review", "The forthcoming review of this contract")
	b.sentence("caseload", "The Director of Children’s Social Care confirmed that there were currently")
	b.sentence("ofsted", "The Director of Children’s services advised")
	b.sentence("review-length", "In response to a question from a Member")
	b.sentence("market", "The services for children vulnerable to or victim of CSE")
	b.sentence("chairman-question", "In response to a question from the Chairman")
	b.sentence("rule", "The rule in Bromley was")
	b.sentence("march-2018", "Contracts that were due to expire in March 2018")
	b.sentence("reassured", "The Members of the Sub-Committee confirmed")
	b.sentence("call-in", "It was agreed that on this occasion")
	b.sentence("resolution-1", "The Portfolio Holder be recommended to approve")
	b.sentence("resolution-2", "The decision be taken under grounds of urgency")

	// Organisation.
	b.node(&cg.Authority{ID: Bromley, Name: "London Borough of Bromley", Kind: str("London borough council")}, "rule", "contract")
	b.node(&cg.Department{ID: "department:bromley-echs", Name: "ECHS"}, "introduced")
	b.edge("department:bromley-echs", cg.RelPartOf, Bromley, "introduced")
	b.node(&cg.Team{ID: AtlasTeam, Name: "Atlas Team", Launched: str("2017-01")}, "atlas-launched")
	b.edge(AtlasTeam, cg.RelPartOf, Bromley, "atlas-launched")

	// Posts and people (Popolo: a person holds a post in an organisation).
	b.node(&cg.Post{ID: "post:bromley-director-of-programmes", Label: "Director of Programmes (ECHS)", Role: str("officer")}, "introduced")
	b.edge("post:bromley-director-of-programmes", cg.RelPostIn, "department:bromley-echs", "introduced")
	b.node(&cg.Post{ID: "post:bromley-director-of-childrens-social-care", Label: "Director of Children's Social Care", Role: str("officer")}, "introduced")
	b.edge("post:bromley-director-of-childrens-social-care", cg.RelPostIn, Bromley, "introduced")
	b.node(&cg.Post{ID: PortfolioHolder, Label: "Portfolio Holder for Education, Children and Families", Role: str("executive member")}, "considered", "proposal")
	b.edge(PortfolioHolder, cg.RelPostIn, Bromley, "proposal")
	b.node(&cg.Committee{ID: "committee:bromley-ecf-select", Name: "Education, Children and Families Select Committee", FullName: str("Education, Children and Families Select Committee"), Kind: str("select committee")}, "scrutiny-request")
	b.edge("committee:bromley-ecf-select", cg.RelPartOf, Bromley, "scrutiny-request")
	b.node(&cg.Committee{ID: SubCommittee, Name: "Sub-Committee", Kind: str("sub-committee")}, "considered")
	b.edge(SubCommittee, cg.RelPartOf, Bromley, "considered")
	b.node(&cg.Post{ID: "post:bromley-ecf-select-chairman", Label: "Chairman of the Education, Children and Families Select Committee", Role: str("chairman")}, "scrutiny-request")
	b.edge("post:bromley-ecf-select-chairman", cg.RelPostIn, "committee:bromley-ecf-select", "scrutiny-request")
	b.node(&cg.Person{ID: "person:nicholas-bennett", Name: "Nicholas Bennett", HonorificPrefix: str("Councillor"), HonorificSuffix: str("JP")}, "scrutiny-request")
	b.edge("person:nicholas-bennett", cg.RelHoldsPost, "post:bromley-ecf-select-chairman", "scrutiny-request")

	// The meeting, the item and the report.
	b.node(&cg.Meeting{ID: "meeting:bromley-sub-committee-csd17132", Name: "Meeting of the Sub-Committee that considered Report CSD17132"}, "heading", "considered")
	b.edge("meeting:bromley-sub-committee-csd17132", cg.RelMeetingOf, SubCommittee, "considered")
	b.node(&cg.AgendaItem{ID: AgendaItem, Title: "Report CSD17132"}, "heading")
	b.edge("meeting:bromley-sub-committee-csd17132", cg.RelHasItem, AgendaItem, "heading")
	b.node(&cg.Report{ID: Report, Reference: "CSD17132"}, "heading", "considered")
	b.edge(AgendaItem, cg.RelConsiders, Report, "heading", "considered")
	b.edge("post:bromley-director-of-programmes", cg.RelIntroduced, Report, "introduced")
	b.edge("post:bromley-director-of-childrens-social-care", cg.RelIntroduced, Report, "introduced")

	// The service, the team it is integrated into, and its provider.
	b.node(&cg.Service{
		ID:          CSEService,
		Name:        "Child Sexual Exploitation Recovery Service",
		ShortName:   str("CSE Recovery Service"),
		ServiceType: str("CSE_SUPPORT"),
		Description: str("Direct support to children and young people at risk of being sexually exploited, and awareness raising activities and training to improve knowledge and skills to help prevent child sexual exploitation and improve support for victims."),
		Eligibility: str("Children and young people under the age of 18, and Looked After Children under the age of 21 living within the M25, at risk of being sexually exploited."),
		MarketNote:  str("A very bespoke service in a niche area, so the market is limited."),
	}, "service", "integrated", "market")
	b.edge(CSEService, cg.RelCommissionedBy, Bromley, "contract", "proposal")
	b.edge(CSEService, cg.RelIntegratedInto, AtlasTeam, "integrated")
	b.node(&cg.Provider{ID: Barnardos, Name: "Barnardo's"}, "contract")

	// The contracts.
	b.node(&cg.Contract{
		ID:          ExistingContract,
		Title:       "CSE support services to children at risk of sexual exploitation",
		Description: str("A specialist programme of support with young people to divert them from the risk of sexual exploitation, and training for Bromley social workers."),
		Status:      str(cg.ContractActive),
		EndDate:     date("2017-09-30"),
	}, "contract", "considered")
	b.edge(Barnardos, cg.RelHoldsContract, ExistingContract, "contract")
	b.edge(ExistingContract, cg.RelForService, CSEService, "contract")
	b.edge(ExistingContract, cg.RelBoughtBy, Bromley, "contract")
	b.node(&cg.Contract{
		ID:                         FurtherContract,
		Title:                      "CSE Recovery Service: further contract for one year",
		Description:                str("A further contract to Barnardo's for 12 months so that the support continues while future delivery arrangements for the service are considered."),
		Status:                     str(cg.ContractPending),
		StartDate:                  date("2017-10-01"),
		EndDate:                    date("2018-09-30"),
		DurationMonths:             integer(12),
		ProcurementMethod:          str(cg.ProcurementLimited),
		ProcurementMethodRationale: str("Exemption to competitive tendering"),
	}, "proposal", "resolution-1")
	b.edge(Barnardos, cg.RelHoldsContract, FurtherContract, "resolution-1")
	b.edge(FurtherContract, cg.RelForService, CSEService, "proposal")
	b.edge(FurtherContract, cg.RelBoughtBy, Bromley, "resolution-1")
	b.edge(FurtherContract, cg.RelSucceeds, ExistingContract, "proposal")

	// The decision, its scrutiny and the resolutions.
	b.node(&cg.Decision{
		ID:            Decision,
		Title:         "Further award of the CSE Recovery Service contract to Barnardo's",
		Kind:          str("PORTFOLIO_HOLDER"),
		Status:        str("recommended"),
		Urgent:        boolean(true),
		UrgencyReason: str("To ensure that the contract was in place by 1 October 2017."),
		CallInWaived:  boolean(true),
	}, "considered", "call-in", "resolution-1", "resolution-2")
	b.edge(Decision, cg.RelTakenBy, PortfolioHolder, "considered", "resolution-1")
	b.edge(Decision, cg.RelAwards, FurtherContract, "resolution-1")
	b.edge(Report, cg.RelSetsOut, Decision, "considered")
	b.node(&cg.Scrutiny{
		ID:      "scrutiny:bromley-csd17132-pre-decision",
		Kind:    "PRE_DECISION",
		Reason:  str("The timescales in relation to the proposed recommendation within the report."),
		Outcome: str("Members were reassured; the call-in provision was waived and the decision treated as urgent."),
	}, "scrutiny-request", "reassured", "call-in")
	b.edge("scrutiny:bromley-csd17132-pre-decision", cg.RelScrutinises, Decision, "scrutiny-request")
	b.edge("scrutiny:bromley-csd17132-pre-decision", cg.RelConductedBy, SubCommittee, "scrutiny-request")
	b.edge("scrutiny:bromley-csd17132-pre-decision", cg.RelRequestedBy, "person:nicholas-bennett", "scrutiny-request")
	b.edge("scrutiny:bromley-csd17132-pre-decision", cg.RelHeldAt, AgendaItem, "considered")
	for i, key := range []string{"resolution-1", "resolution-2"} {
		id := fmt.Sprintf("resolution:bromley-csd17132-%d", i+1)
		b.node(&cg.Resolution{ID: id, Number: i + 1, Text: b.passage(key)}, key)
		b.edge(AgendaItem, cg.RelResolved, id, key)
		b.edge(id, cg.RelConcerns, Decision, key)
	}
	b.node(&cg.CommissioningIntention{ID: "intention:bromley-cse-future", Title: "Commissioning intentions for the future of the CSE Recovery Service"}, "intentions")
	b.edge(Report, cg.RelSetsOut, "intention:bromley-cse-future", "intentions")
	b.edge("intention:bromley-cse-future", cg.RelForService, CSEService, "intentions")

	// What the service achieves, as the directors reported it.
	metric := func(id, kind string, value *float64, unit, judgement *string, post, key string) {
		b.node(&cg.Metric{ID: id, Kind: kind, Value: value, Unit: unit, Judgement: judgement}, key)
		b.edge(id, cg.RelMeasures, CSEService, key)
		b.edge(id, cg.RelReportedBy, post, key)
	}
	metric("metric:bromley-cse-children-supported", cg.MetricChildrenSupported, number(15), str("young people"), nil, "post:bromley-director-of-childrens-social-care", "caseload")
	metric("metric:bromley-cse-waiting-list", cg.MetricWaitingList, number(4), str("young people"), nil, "post:bromley-director-of-childrens-social-care", "caseload")
	metric("metric:bromley-cse-outcomes", cg.MetricOutcomes, nil, nil, str("Good outcomes for children in a specialist area"), "post:bromley-director-of-programmes", "integrated")
	metric("metric:bromley-cse-value-for-money", cg.MetricValueForMoney, nil, nil, str("The current contract was providing good value for money"), "post:bromley-director-of-programmes", "value")

	// Inspection.
	b.node(&cg.Inspection{
		ID:           "inspection:bromley-ofsted-cse-monitoring-visit",
		Inspectorate: "Ofsted",
		Kind:         "monitoring visit",
		Subject:      str("Child sexual exploitation (CSE)"),
		Findings: []string{
			"This was the only service offered.",
			"The local authority would need to consider a more wrap around service for these children.",
		},
	}, "ofsted")
	b.edge("inspection:bromley-ofsted-cse-monitoring-visit", cg.RelInspected, Bromley, "ofsted")
	b.edge("inspection:bromley-ofsted-cse-monitoring-visit", cg.RelInspected, CSEService, "ofsted")

	// Reviews.
	b.node(&cg.Review{
		ID:       "review:bromley-atlas-team",
		Title:    "Review of the Atlas Team",
		Scope:    str("The Atlas Team, and how other local authorities deliver the service, to identify areas of best practice."),
		Duration: str("3 to 4 weeks"),
		Planned:  str("2017-10"),
		Status:   str("planned"),
	}, "atlas-review", "review-length")
	b.edge("review:bromley-atlas-team", cg.RelReviews, AtlasTeam, "atlas-review", "review-length")
	b.edge("review:bromley-atlas-team", cg.RelReviews, CSEService, "atlas-review")
	b.node(&cg.Review{
		ID:       "review:bromley-cse-service-model",
		Title:    "Comprehensive review of the service model",
		Scope:    str("The model of the CSE Recovery Service, made possible by the 12 month extension."),
		Status:   str("planned"),
		ReportTo: str("Members, later in the year"),
	}, "service-review")
	b.edge("review:bromley-cse-service-model", cg.RelReviews, CSEService, "service-review")
	b.edge("review:bromley-cse-service-model", cg.RelReviews, ExistingContract, "atlas-review")
	b.node(&cg.Review{
		ID:     "review:bromley-contracts-expiring-march-2018",
		Title:  "Review of contracts due to expire in March 2018",
		Scope:  str("Contracts due to expire in March 2018."),
		Status: str("in progress"),
	}, "march-2018")

	// The approval rule, as data.
	b.node(&cg.Rule{
		ID:              ApprovalRule,
		Name:            "Member approval of new contracts",
		Kind:            cg.RuleApprovalBeforeEnd,
		Text:            "Any new contract must receive Member approval at least 6 months before the existing contract ends (the minute: \"within 6 months of the end of the existing contract\").",
		MonthsBeforeEnd: integer(6),
	}, "rule", "chairman-question")
	b.edge(Bromley, cg.RelHasRule, ApprovalRule, "rule")

	return b.g
}

// Ids of the seed's main entities, for tests and examples.
const (
	Bromley          = "authority:bromley"
	AtlasTeam        = "team:bromley-atlas"
	CSEService       = "service:bromley-cse-recovery"
	Barnardos        = "provider:barnardos"
	ExistingContract = "contract:bromley-cse-barnardos-2017"
	FurtherContract  = "contract:bromley-cse-barnardos-2017-18"
	Decision         = "decision:bromley-cse-further-award"
	PortfolioHolder  = "post:bromley-portfolio-holder-ecf"
	SubCommittee     = "committee:bromley-sub-committee"
	Report           = "report:CSD17132"
	AgendaItem       = "agenda-item:bromley-csd17132"
	ApprovalRule     = "rule:bromley-contract-approval"
)

// SourceID returns the id of the source for the passage with the given key.
func SourceID(key string) string { return "source:bromley-csd17132-" + key }

type builder struct {
	g        *cg.Graph
	passages map[string]string
}

// quote records the exact passage text as a source under key.
func (b *builder) quote(key, text string) {
	if !strings.Contains(normalised, text) {
		panic(fmt.Sprintf("seed: passage %q is not in the minute", text))
	}
	if b.passages == nil {
		b.passages = map[string]string{}
	}
	b.passages[key] = text
	b.g.Sources = append(b.g.Sources, cg.Source{
		ID:          SourceID(key),
		Document:    Document,
		DocumentRef: str("CSD17132"),
		File:        str(MinuteFile),
		Passage:     text,
	})
}

// sentence records, as a source under key, the whole sentence of the minute
// that begins with start.
func (b *builder) sentence(key, start string) {
	i := strings.Index(normalised, start)
	if i < 0 {
		panic(fmt.Sprintf("seed: no sentence starts with %q", start))
	}
	rest := normalised[i:]
	if j := strings.Index(rest, ". "); j >= 0 {
		rest = rest[:j+1]
	}
	b.quote(key, rest)
}

func (b *builder) passage(key string) string { return b.passages[key] }

func (b *builder) node(e cg.Entity, keys ...string) {
	b.g.Nodes = append(b.g.Nodes, cg.Node{Entity: e, SourceIDs: sourceIDs(keys)})
}

func (b *builder) edge(from string, t cg.RelType, to string, keys ...string) {
	b.g.Edges = append(b.g.Edges, cg.RelationshipBetween{Type: t, From: from, To: to, SourceIDs: sourceIDs(keys)})
}

func sourceIDs(keys []string) []string {
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = SourceID(k)
	}
	return ids
}

func str[T ~string](s T) *T     { return &s }
func integer(i int) *int        { return &i }
func number(f float64) *float64 { return &f }
func boolean(v bool) *bool      { return &v }
func date(s string) *cg.Date {
	d := cg.MustParseDate(s)
	return &d
}
