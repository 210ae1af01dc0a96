package extract

// Facts is one document's facts in the exchange format. Its JSON
// marshalling is exactly the shape EXTRACTION.md gives; absent facts are
// left out.
type Facts struct {
	URL          string            `json:"url,omitempty"`
	Authority    string            `json:"authority,omitempty"`
	DocumentKind string            `json:"documentKind,omitempty"`
	Decision     *Decision         `json:"decision,omitempty"`
	Contracts    []Contract        `json:"contracts,omitempty"`
	People       []Person          `json:"people,omitempty"`
	Committees   []string          `json:"committees,omitempty"`
	Metrics      []Metric          `json:"metrics,omitempty"`
	Inspections  []Inspection      `json:"inspections,omitempty"`
	Reviews      []string          `json:"reviews,omitempty"`
	Quotes       map[string]string `json:"quotes,omitempty"`
}

// Decision is the decision a document records.
type Decision struct {
	Maker           string `json:"maker,omitempty"`
	Date            string `json:"date,omitempty"`
	Status          string `json:"status,omitempty"`
	KeyDecision     *bool  `json:"keyDecision,omitempty"`
	SubjectToCallIn *bool  `json:"subjectToCallIn,omitempty"`
	CallInWaived    *bool  `json:"callInWaived,omitempty"`
	Urgent          *bool  `json:"urgent,omitempty"`
	Meeting         string `json:"meeting,omitempty"`
}

// Contract is a contract the document awards, extends or describes. The
// existing contract a decision replaces shows as PredecessorEndDate.
type Contract struct {
	Provider           string   `json:"provider,omitempty"`
	Service            string   `json:"service,omitempty"`
	StartDate          string   `json:"startDate,omitempty"`
	EndDate            string   `json:"endDate,omitempty"`
	DurationMonths     *int     `json:"durationMonths,omitempty"`
	Value              *float64 `json:"value,omitempty"`
	Currency           string   `json:"currency,omitempty"`
	ProcurementRoute   string   `json:"procurementRoute,omitempty"`
	ExtensionOption    string   `json:"extensionOption,omitempty"`
	PredecessorEndDate string   `json:"predecessorEndDate,omitempty"`
}

// Person is a person, a post, or a person holding a post.
type Person struct {
	Name string `json:"name,omitempty"`
	Post string `json:"post,omitempty"`
}

// Metric is a count the document reports, such as children supported.
type Metric struct {
	Kind  string  `json:"kind"`
	Value float64 `json:"value"`
}

// Inspection is an inspectorate's finding the document reports.
type Inspection struct {
	Inspectorate string `json:"inspectorate,omitempty"`
	Finding      string `json:"finding,omitempty"`
}

// Claim is one proposed fact with its provenance: the field path it fills
// ("contracts[0].endDate"), its value, the exact words it rests on (Quote ==
// Document.Text[Start:End], byte offsets) and the rule that found it.
type Claim struct {
	Field string `json:"field"`
	Value any    `json:"value"`
	Quote string `json:"quote"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Rule  string `json:"rule"`
}

// Result is what Extract proposes for one document.
type Result struct {
	Facts  Facts   `json:"facts"`
	Claims []Claim `json:"claims"`
}
