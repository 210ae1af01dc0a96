package graph

import (
	"fmt"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// relFields describes every GraphQL field that follows a relationship: per
// entity label, the field name and the hop it takes. Resolvers, filters
// across relationships and prefetching all read it, so a relationship field
// is defined once.
var relFields = map[cg.Label]map[string]cg.Hop{
	cg.LabelAgendaItem: {
		"meeting":     cg.In(cg.RelHasItem, cg.LabelMeeting),
		"reports":     cg.Out(cg.RelConsiders, cg.LabelReport),
		"resolutions": cg.Out(cg.RelResolved, cg.LabelResolution),
	},
	cg.LabelAuthority: {
		"departments": cg.In(cg.RelPartOf, cg.LabelDepartment),
		"teams":       cg.In(cg.RelPartOf, cg.LabelTeam),
		"committees":  cg.In(cg.RelPartOf, cg.LabelCommittee),
		"services":    cg.In(cg.RelCommissionedBy, cg.LabelService),
		"contracts":   cg.In(cg.RelBoughtBy, cg.LabelContract),
		"rules":       cg.Out(cg.RelHasRule, cg.LabelRule),
		"inspections": cg.In(cg.RelInspected, cg.LabelInspection),
	},
	cg.LabelCommissioningIntention: {
		"service": cg.Out(cg.RelForService, cg.LabelService),
		"reports": cg.In(cg.RelSetsOut, cg.LabelReport),
	},
	cg.LabelCommittee: {
		"authority":  cg.Out(cg.RelPartOf, cg.LabelAuthority),
		"posts":      cg.In(cg.RelPostIn, cg.LabelPost),
		"meetings":   cg.In(cg.RelMeetingOf, cg.LabelMeeting),
		"scrutinies": cg.In(cg.RelConductedBy, cg.LabelScrutiny),
	},
	cg.LabelContract: {
		"provider":    cg.In(cg.RelHoldsContract, cg.LabelProvider),
		"service":     cg.Out(cg.RelForService, cg.LabelService),
		"buyer":       cg.Out(cg.RelBoughtBy, cg.LabelAuthority),
		"predecessor": cg.Out(cg.RelSucceeds, cg.LabelContract),
		"successor":   cg.In(cg.RelSucceeds, cg.LabelContract),
		"awardedBy":   cg.In(cg.RelAwards, cg.LabelDecision),
		"reviews":     cg.In(cg.RelReviews, cg.LabelReview),
	},
	cg.LabelDecision: {
		"takenBy":     cg.Out(cg.RelTakenBy, cg.LabelPost),
		"contracts":   cg.Out(cg.RelAwards, cg.LabelContract),
		"reports":     cg.In(cg.RelSetsOut, cg.LabelReport),
		"scrutinies":  cg.In(cg.RelScrutinises, cg.LabelScrutiny),
		"resolutions": cg.In(cg.RelConcerns, cg.LabelResolution),
	},
	cg.LabelDepartment: {
		"authority": cg.Out(cg.RelPartOf, cg.LabelAuthority),
		"posts":     cg.In(cg.RelPostIn, cg.LabelPost),
	},
	cg.LabelInspection: {
		"authority": cg.Out(cg.RelInspected, cg.LabelAuthority),
		"services":  cg.Out(cg.RelInspected, cg.LabelService),
	},
	cg.LabelMeeting: {
		"committee":   cg.Out(cg.RelMeetingOf, cg.LabelCommittee),
		"agendaItems": cg.Out(cg.RelHasItem, cg.LabelAgendaItem),
	},
	cg.LabelMetric: {
		"service":    cg.Out(cg.RelMeasures, cg.LabelService),
		"reportedBy": cg.Out(cg.RelReportedBy, cg.LabelPost),
	},
	cg.LabelPerson: {
		"posts": cg.Out(cg.RelHoldsPost, cg.LabelPost),
	},
	cg.LabelPost: {
		"holders":           cg.In(cg.RelHoldsPost, cg.LabelPerson),
		"organization":      cg.Out(cg.RelPostIn, ""),
		"decisionsTaken":    cg.In(cg.RelTakenBy, cg.LabelDecision),
		"reportsIntroduced": cg.Out(cg.RelIntroduced, cg.LabelReport),
	},
	cg.LabelProvider: {
		"contracts": cg.Out(cg.RelHoldsContract, cg.LabelContract),
	},
	cg.LabelReport: {
		"introducedBy":            cg.In(cg.RelIntroduced, cg.LabelPost),
		"decisions":               cg.Out(cg.RelSetsOut, cg.LabelDecision),
		"commissioningIntentions": cg.Out(cg.RelSetsOut, cg.LabelCommissioningIntention),
		"agendaItems":             cg.In(cg.RelConsiders, cg.LabelAgendaItem),
	},
	cg.LabelResolution: {
		"agendaItem": cg.In(cg.RelResolved, cg.LabelAgendaItem),
		"decision":   cg.Out(cg.RelConcerns, cg.LabelDecision),
	},
	cg.LabelReview: {
		"teams":     cg.Out(cg.RelReviews, cg.LabelTeam),
		"services":  cg.Out(cg.RelReviews, cg.LabelService),
		"contracts": cg.Out(cg.RelReviews, cg.LabelContract),
	},
	cg.LabelRule: {
		"authority": cg.In(cg.RelHasRule, cg.LabelAuthority),
	},
	cg.LabelScrutiny: {
		"decision":    cg.Out(cg.RelScrutinises, cg.LabelDecision),
		"committee":   cg.Out(cg.RelConductedBy, cg.LabelCommittee),
		"requestedBy": cg.Out(cg.RelRequestedBy, cg.LabelPerson),
		"agendaItem":  cg.Out(cg.RelHeldAt, cg.LabelAgendaItem),
	},
	cg.LabelService: {
		"authority":               cg.Out(cg.RelCommissionedBy, cg.LabelAuthority),
		"team":                    cg.Out(cg.RelIntegratedInto, cg.LabelTeam),
		"contracts":               cg.In(cg.RelForService, cg.LabelContract),
		"metrics":                 cg.In(cg.RelMeasures, cg.LabelMetric),
		"inspections":             cg.In(cg.RelInspected, cg.LabelInspection),
		"reviews":                 cg.In(cg.RelReviews, cg.LabelReview),
		"commissioningIntentions": cg.In(cg.RelForService, cg.LabelCommissioningIntention),
	},
	cg.LabelSource: {
		"supports": cg.In(cg.RelSourcedFrom, ""),
	},
	cg.LabelTeam: {
		"authority": cg.Out(cg.RelPartOf, cg.LabelAuthority),
		"services":  cg.In(cg.RelIntegratedInto, cg.LabelService),
		"reviews":   cg.In(cg.RelReviews, cg.LabelReview),
	},
}

// relField returns the hop of a relationship field; the tests check that
// every field the resolvers name is in relFields.
func relField(l cg.Label, field string) cg.Hop {
	hop, ok := relFields[l][field]
	if !ok {
		panic(fmt.Sprintf("graph: %s.%s is not a relationship field", l, field))
	}
	return hop
}
