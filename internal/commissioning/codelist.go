package commissioning

import (
	"strings"
	"unicode"
)

// A codelist is a closed set of values a property takes. It is declared as
// a string type with its values as constants of that type (below), each
// with a doc comment, and an entry in Codelists. The constants are the
// values stored in the graph, as they were stored when these properties
// were plain text, so the graph needs no migration; GraphQL shows each as
// an enum value named after it (pending is PENDING, IN_HOUSE is IN_HOUSE),
// and filters it with eq and in. `go generate ./...` makes the lists of
// values, the Valid methods and the filters (entity_gen.go), the enums and
// their bindings.
//
// A codelist with an Other value keeps what a source says outside the list
// rather than dropping it: the property holds Other, and a text property
// beside it holds the source's own word (Contract.OCDSStatus,
// Provider.SectorText ...).

// CodelistDecl declares one codelist.
type CodelistDecl struct {
	// Zero is the type's zero value, such as ContractStatus("").
	Zero any
	// Other, when not empty, is the value that stands for one outside the
	// list.
	Other string
}

// Codelists declares every codelist.
var Codelists = []CodelistDecl{
	{Zero: ContractStatus(""), Other: string(ContractStatusOther)},
	{Zero: ProcurementMethod(""), Other: string(ProcurementOther)},
	{Zero: ProviderSector(""), Other: string(SectorOther)},
	{Zero: DeliveryModel(""), Other: string(ModelOther)},
	{Zero: ChangeOperation("")},
}

// ContractStatus is the status of a contract, from the OCDS 1.1 contractStatus codelist.
type ContractStatus string

// Contract statuses, stored as OCDS writes them.
const (
	// ContractPending: awarded, not yet in force.
	ContractPending ContractStatus = "pending"
	// ContractActive: in force.
	ContractActive ContractStatus = "active"
	// ContractCancelled: cancelled before it came into force.
	ContractCancelled ContractStatus = "cancelled"
	// ContractTerminated: ended, at its end date or before.
	ContractTerminated ContractStatus = "terminated"
	// ContractStatusOther: a status outside the codelist; ocdsStatus holds it as published.
	ContractStatusOther ContractStatus = "other"
)

// ProcurementMethod is how a contract was procured, from the OCDS 1.1 method codelist (tender.procurementMethod).
type ProcurementMethod string

// Procurement methods, stored as OCDS writes them.
const (
	// ProcurementOpen: any interested supplier may bid.
	ProcurementOpen ProcurementMethod = "open"
	// ProcurementSelective: only suppliers that qualified may bid.
	ProcurementSelective ProcurementMethod = "selective"
	// ProcurementLimited: the buyer contacted the suppliers it chose.
	ProcurementLimited ProcurementMethod = "limited"
	// ProcurementDirect: awarded to one supplier without competition.
	ProcurementDirect ProcurementMethod = "direct"
	// ProcurementOther: a method outside the codelist; ocdsProcurementMethod holds it as published.
	ProcurementOther ProcurementMethod = "other"
)

// ProviderSector is the sector of a provider, as review teams compare delivery.
type ProviderSector string

// Provider sectors.
const (
	// SectorVoluntary: a charity or voluntary organisation.
	SectorVoluntary ProviderSector = "VOLUNTARY"
	// SectorCommercial: a company run for profit.
	SectorCommercial ProviderSector = "COMMERCIAL"
	// SectorPublic: a public body.
	SectorPublic ProviderSector = "PUBLIC"
	// SectorSocialEnterprise: a social enterprise.
	SectorSocialEnterprise ProviderSector = "SOCIAL_ENTERPRISE"
	// SectorInHouse: the authority itself.
	SectorInHouse ProviderSector = "IN_HOUSE"
	// SectorSharedService: a service shared by authorities.
	SectorSharedService ProviderSector = "SHARED_SERVICE"
	// SectorTrust: a trust, such as a children's trust.
	SectorTrust ProviderSector = "TRUST"
	// SectorOther: a sector outside the list; sectorText holds a source's word for it.
	SectorOther ProviderSector = "OTHER"
)

// DeliveryModel is how a service is delivered.
type DeliveryModel string

// Delivery models of a service.
const (
	// ModelInHouse: by the authority's own staff.
	ModelInHouse DeliveryModel = "IN_HOUSE"
	// ModelCommissionedVoluntary: commissioned from the voluntary sector.
	ModelCommissionedVoluntary DeliveryModel = "COMMISSIONED_VOLUNTARY"
	// ModelCommissionedCommercial: commissioned from a company.
	ModelCommissionedCommercial DeliveryModel = "COMMISSIONED_COMMERCIAL"
	// ModelCommissioned: commissioned, from a provider of unknown sector.
	ModelCommissioned DeliveryModel = "COMMISSIONED"
	// ModelSharedService: shared with other authorities.
	ModelSharedService DeliveryModel = "SHARED_SERVICE"
	// ModelChildrensTrust: by a children's trust.
	ModelChildrensTrust DeliveryModel = "CHILDRENS_TRUST"
	// ModelHybrid: partly in house, partly commissioned.
	ModelHybrid DeliveryModel = "HYBRID"
	// ModelOther: a model outside the list; deliveryModelText holds a source's word for it.
	ModelOther DeliveryModel = "OTHER"
)

// ModelUnknown is what a comparison of delivery shows for a service whose
// model neither a source nor a contract tells; it is never stored.
const ModelUnknown = "UNKNOWN"

// ChangeOperation is what a change of the audit trail did.
type ChangeOperation string

// Operations recorded in the audit trail.
const (
	// ChangeCreate: an entity was created.
	ChangeCreate ChangeOperation = "CREATE"
	// ChangeUpdate: an entity's fields were replaced.
	ChangeUpdate ChangeOperation = "UPDATE"
	// ChangeDelete: an entity and its relationships were deleted.
	ChangeDelete ChangeOperation = "DELETE"
	// ChangeLink: a relationship was added.
	ChangeLink ChangeOperation = "LINK"
	// ChangeUnlink: a relationship was removed.
	ChangeUnlink ChangeOperation = "UNLINK"
	// ChangeImport: an import wrote an entity.
	ChangeImport ChangeOperation = "IMPORT"
	// ChangeMerge: an entity was merged into another (mergeEntities); its field mergedInto names the other.
	ChangeMerge ChangeOperation = "MERGE"
)

// ParseCode returns the value of a codelist that word stands for, ignoring
// case and the spaces, hyphens and underscores between words ("Open",
// "in-house" and "In House" are open and IN_HOUSE), or false when it stands
// for none.
func ParseCode[T ~string](word string, values []T) (T, bool) {
	w := foldCode(word)
	for _, v := range values {
		if foldCode(string(v)) == w {
			return v, true
		}
	}
	return "", false
}

func foldCode(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return unicode.IsSpace(r) || r == '-' || r == '_'
	}), "_")
}

// code is a value of a codelist.
type code interface {
	Valid() bool
	Values() string
}

func codeValues[T ~string](values []T) string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return strings.Join(out, ", ")
}

// codeConds are the conditions of a codelist's filter, on the values
// stored.
func codeConds[T ~string](prop string, eq *T, in []T, isNull *bool) []Cond {
	c := &condsOf{prop: prop}
	if eq != nil {
		c.add(OpEq, string(*eq))
	}
	if in != nil {
		items := make([]any, len(in))
		for i, v := range in {
			items[i] = string(v)
		}
		c.add(OpIn, items)
	}
	addPtr(c, OpIsNull, isNull)
	return c.conds
}
