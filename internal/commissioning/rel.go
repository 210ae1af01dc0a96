package commissioning

// RelType names a kind of relationship; it is the relationship type in the graph.
type RelType string

// Relationship types. The comment gives the direction: (from)-[TYPE]->(to).
const (
	RelPartOf         RelType = "PART_OF"         // Department|Team|Committee -> Authority
	RelCommissionedBy RelType = "COMMISSIONED_BY" // Service -> Authority
	RelIntegratedInto RelType = "INTEGRATED_INTO" // Service -> Team
	RelHoldsContract  RelType = "HOLDS_CONTRACT"  // Provider -> Contract
	RelForService     RelType = "FOR_SERVICE"     // Contract|CommissioningIntention -> Service
	RelBoughtBy       RelType = "BOUGHT_BY"       // Contract -> Authority (OCDS buyer)
	RelSucceeds       RelType = "SUCCEEDS"        // Contract -> Contract it follows
	RelAwards         RelType = "AWARDS"          // Decision -> Contract
	RelTakenBy        RelType = "TAKEN_BY"        // Decision -> Post of the decision maker
	RelSetsOut        RelType = "SETS_OUT"        // Report -> Decision|CommissioningIntention
	RelConsiders      RelType = "CONSIDERS"       // AgendaItem -> Report
	RelHasItem        RelType = "HAS_ITEM"        // Meeting -> AgendaItem
	RelMeetingOf      RelType = "MEETING_OF"      // Meeting -> Committee
	RelIntroduced     RelType = "INTRODUCED"      // Post -> Report
	RelHoldsPost      RelType = "HOLDS_POST"      // Person -> Post (Popolo membership)
	RelPostIn         RelType = "POST_IN"         // Post -> Authority|Department|Committee
	RelResolved       RelType = "RESOLVED"        // AgendaItem -> Resolution
	RelConcerns       RelType = "CONCERNS"        // Resolution -> Decision
	RelScrutinises    RelType = "SCRUTINISES"     // Scrutiny -> Decision
	RelConductedBy    RelType = "CONDUCTED_BY"    // Scrutiny -> Committee
	RelRequestedBy    RelType = "REQUESTED_BY"    // Scrutiny -> Person
	RelHeldAt         RelType = "HELD_AT"         // Scrutiny -> AgendaItem
	RelMeasures       RelType = "MEASURES"        // Metric -> Service
	RelReportedBy     RelType = "REPORTED_BY"     // Metric -> Post
	RelInspected      RelType = "INSPECTED"       // Inspection -> Authority|Service
	RelReviews        RelType = "REVIEWS"         // Review -> Team|Service|Contract
	RelHasRule        RelType = "HAS_RULE"        // Authority -> Rule
	RelSourcedFrom    RelType = "SOURCED_FROM"    // any entity -> Source
)

// RelEnds lists, for every relationship type, the labels it may join. It is
// the allowlist for relationship types in queries and the check on writes.
var RelEnds = map[RelType][]Ends{
	RelPartOf:         {{LabelDepartment, LabelAuthority}, {LabelTeam, LabelAuthority}, {LabelCommittee, LabelAuthority}},
	RelCommissionedBy: {{LabelService, LabelAuthority}},
	RelIntegratedInto: {{LabelService, LabelTeam}},
	RelHoldsContract:  {{LabelProvider, LabelContract}},
	RelForService:     {{LabelContract, LabelService}, {LabelCommissioningIntention, LabelService}},
	RelBoughtBy:       {{LabelContract, LabelAuthority}},
	RelSucceeds:       {{LabelContract, LabelContract}},
	RelAwards:         {{LabelDecision, LabelContract}},
	RelTakenBy:        {{LabelDecision, LabelPost}},
	RelSetsOut:        {{LabelReport, LabelDecision}, {LabelReport, LabelCommissioningIntention}},
	RelConsiders:      {{LabelAgendaItem, LabelReport}},
	RelHasItem:        {{LabelMeeting, LabelAgendaItem}},
	RelMeetingOf:      {{LabelMeeting, LabelCommittee}},
	RelIntroduced:     {{LabelPost, LabelReport}},
	RelHoldsPost:      {{LabelPerson, LabelPost}},
	RelPostIn:         {{LabelPost, LabelAuthority}, {LabelPost, LabelDepartment}, {LabelPost, LabelCommittee}},
	RelResolved:       {{LabelAgendaItem, LabelResolution}},
	RelConcerns:       {{LabelResolution, LabelDecision}},
	RelScrutinises:    {{LabelScrutiny, LabelDecision}},
	RelConductedBy:    {{LabelScrutiny, LabelCommittee}},
	RelRequestedBy:    {{LabelScrutiny, LabelPerson}},
	RelHeldAt:         {{LabelScrutiny, LabelAgendaItem}},
	RelMeasures:       {{LabelMetric, LabelService}},
	RelReportedBy:     {{LabelMetric, LabelPost}},
	RelInspected:      {{LabelInspection, LabelAuthority}, {LabelInspection, LabelService}},
	RelReviews:        {{LabelReview, LabelTeam}, {LabelReview, LabelService}, {LabelReview, LabelContract}},
	RelHasRule:        {{LabelAuthority, LabelRule}},
	RelSourcedFrom:    nil, // any entity -> Source
}

// Ends is a pair of labels a relationship type may join, in its direction.
type Ends struct {
	From, To Label
}

// Valid reports whether t is a known relationship type.
func (t RelType) Valid() bool {
	_, ok := RelEnds[t]
	return ok
}

// Allows reports whether a relationship of type t may run from a node
// labelled from to one labelled to.
func (t RelType) Allows(from, to Label) bool {
	ends, ok := RelEnds[t]
	if !ok {
		return false
	}
	if t == RelSourcedFrom {
		return to == LabelSource && from != LabelSource
	}
	for _, e := range ends {
		if e.From == from && e.To == to {
			return true
		}
	}
	return false
}

// Direction is the way a relationship is followed from a node.
type Direction string

// Directions.
const (
	Outgoing Direction = "OUTGOING"
	Incoming Direction = "INCOMING"
)

// Hop is one step from a node along relationships of one type, in one
// direction, to nodes of one label (or of any label when Label is empty).
type Hop struct {
	Type      RelType
	Direction Direction
	Label     Label
}

// Out is the hop along outgoing t relationships to nodes labelled l.
func Out(t RelType, l Label) Hop { return Hop{Type: t, Direction: Outgoing, Label: l} }

// In is the hop along incoming t relationships from nodes labelled l.
func In(t RelType, l Label) Hop { return Hop{Type: t, Direction: Incoming, Label: l} }

// Link is a relationship seen from one of its ends: its type, the direction
// it runs from that end, the node at the other end and its sources.
type Link struct {
	Type      RelType
	Direction Direction
	Node      Entity
	SourceIDs []string
}
