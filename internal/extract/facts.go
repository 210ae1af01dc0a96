package extract

// Facts is one document's facts in the exchange format. Its JSON
// marshalling is exactly the shape EXTRACTION.md gives; absent facts are
// left out.
type Facts struct {
	// URL is the document's address, when known.
	URL string `json:"url,omitempty"`
	// Authority is the council, as the document names it.
	Authority string `json:"authority,omitempty"`
	// DocumentKind is minute, decision-notice, issue-history or report.
	DocumentKind string `json:"documentKind,omitempty"`
	// Decision is the decision the document records.
	Decision *Decision `json:"decision,omitempty"`
	// Contracts are the contracts it awards, extends or describes.
	Contracts []Contract `json:"contracts,omitempty"`
	// People are councillors and posts it names.
	People []Person `json:"people,omitempty"`
	// Committees are the committees, boards and panels it names.
	Committees []string `json:"committees,omitempty"`
	// Metrics are counts it reports (children supported, waiting list).
	Metrics []Metric `json:"metrics,omitempty"`
	// Inspections are inspectorates' findings it reports.
	Inspections []Inspection `json:"inspections,omitempty"`
	// Reviews are named reviews, as written.
	Reviews []string `json:"reviews,omitempty"`
	// Quotes maps a field path ("contracts[0].endDate") to the document's
	// exact words for it.
	Quotes map[string]string `json:"quotes,omitempty"`
}

// Decision is the decision a document records.
type Decision struct {
	// Maker is the post or body that takes the decision.
	Maker string `json:"maker,omitempty"`
	// Date is the date of decision, YYYY-MM-DD.
	Date string `json:"date,omitempty"`
	// Status is the decision status as written.
	Status string `json:"status,omitempty"`
	// KeyDecision says whether it is a key decision.
	KeyDecision *bool `json:"keyDecision,omitempty"`
	// SubjectToCallIn says whether it can be called in.
	SubjectToCallIn *bool `json:"subjectToCallIn,omitempty"`
	// CallInWaived is true when the document says call-in was waived.
	CallInWaived *bool `json:"callInWaived,omitempty"`
	// Urgent is true when the decision is taken as urgent.
	Urgent *bool `json:"urgent,omitempty"`
	// Meeting is the meeting it was decided at, as written.
	Meeting string `json:"meeting,omitempty"`
}

// Contract is a contract the document awards, extends or describes. The
// existing contract a decision replaces shows as PredecessorEndDate.
type Contract struct {
	// Provider is the provider as written.
	Provider string `json:"provider,omitempty"`
	// Service is the service's name as written.
	Service string `json:"service,omitempty"`
	// StartDate and EndDate bound the contract, YYYY-MM-DD.
	StartDate string `json:"startDate,omitempty"`
	// EndDate is the contract's last day, YYYY-MM-DD.
	EndDate string `json:"endDate,omitempty"`
	// DurationMonths is the stated length in whole months.
	DurationMonths *int `json:"durationMonths,omitempty"`
	// Value is the total value in the currency's unit.
	Value *float64 `json:"value,omitempty"`
	// Currency is the ISO code of Value's currency.
	Currency string `json:"currency,omitempty"`
	// ProcurementRoute is exemption, waiver, direct award, open tender,
	// framework call-off or extension.
	ProcurementRoute string `json:"procurementRoute,omitempty"`
	// ExtensionOption is the option to extend, as written.
	ExtensionOption string `json:"extensionOption,omitempty"`
	// PredecessorEndDate is when the contract this one follows ends.
	PredecessorEndDate string `json:"predecessorEndDate,omitempty"`
}

// Person is a person, a post, or a person holding a post.
type Person struct {
	// Name is the person's name without "Councillor" or honours.
	Name string `json:"name,omitempty"`
	// Post is the post as written.
	Post string `json:"post,omitempty"`
}

// Metric is a count the document reports, such as children supported.
type Metric struct {
	// Kind is what is counted: "children supported", "waiting list", ...
	Kind string `json:"kind"`
	// Value is the count.
	Value float64 `json:"value"`
}

// Inspection is an inspectorate's finding the document reports.
type Inspection struct {
	// Inspectorate is Ofsted, CQC, HMI Probation, ...
	Inspectorate string `json:"inspectorate,omitempty"`
	// Finding is the finding as written.
	Finding string `json:"finding,omitempty"`
}

// Claim is one proposed fact with its provenance: the field path it fills
// ("contracts[0].endDate"), its value, the exact words it rests on (Quote ==
// Document.Text[Start:End], byte offsets) and the rule that found it.
type Claim struct {
	// Field is the fact's path in Facts, as in Facts.Quotes.
	Field string `json:"field"`
	// Value is the fact's value: string, bool, int or float64.
	Value any `json:"value"`
	// Quote is Document.Text[Start:End].
	Quote string `json:"quote"`
	// Start and End are byte offsets into Document.Text.
	Start int `json:"start"`
	// End is the byte offset where the quote ends.
	End int `json:"end"`
	// Rule names the rule that found the fact.
	Rule string `json:"rule"`
}

// Result is what Extract proposes for one document.
type Result struct {
	// Facts are the proposed facts in the exchange format.
	Facts Facts `json:"facts"`
	// Claims are the same facts, one per field, with offsets and rules.
	Claims []Claim `json:"claims"`
}
