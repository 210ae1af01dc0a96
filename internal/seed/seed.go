package seed

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/document"
	"github.com/commissioning-graph/cgraph/internal/ingest"
)

// Minute is the text of the minute exactly as published.
//
//go:embed minute.txt
var Minute string

//go:embed reviewed.json
var reviewed []byte

// MinuteFile is the file name under which the minute was published to us.
const MinuteFile = "000_25d5444e4894de81.txt"

// Document is the minute's title, as its sources cite it.
const Document = "London Borough of Bromley: minute of the Sub-Committee on Report CSD17132, Child Sexual Exploitation Recovery Service (2017)"

// Principal is who writes the seed: the facts it accepts are audited as
// its decisions.
var Principal = cg.Principal{Subject: "cgraph:seed", Role: cg.RoleAdmin}

// Reviewed returns the analyst's review of the minute.
func Reviewed() (*ingest.Reviewed, error) {
	var r ingest.Reviewed
	dec := json.NewDecoder(bytes.NewReader(reviewed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("seed: reviewed.json: %w", err)
	}
	return &r, nil
}

// Request is the minute as a document to ingest for Bromley, with its
// review, every claim accepted.
func Request() (ingest.Request, error) {
	r, err := Reviewed()
	if err != nil {
		return ingest.Request{}, err
	}
	return ingest.Request{Name: MinuteFile, Data: []byte(Minute), Authority: Bromley, Title: Document, Reviewed: r, Accept: true}, nil
}

// Write ingests the minute and accepts its claims. Writing it again
// changes nothing.
func Write(ctx context.Context, s ingest.Store) (*ingest.Result, error) {
	req, err := Request()
	if err != nil {
		return nil, err
	}
	res, err := ingest.Ingest(ctx, s, Principal, req)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	return res, nil
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

// read is the minute as ingesting reads it.
func read() *document.Document {
	doc, err := document.Read(MinuteFile, []byte(Minute), document.Options{})
	if err != nil {
		panic(fmt.Sprintf("seed: the minute does not read: %v", err))
	}
	return doc
}

// DocumentID returns the id of the minute's Document.
func DocumentID() string { return "document:" + read().Hash[:20] }

// SourceID returns the id of the Source for the passage of the minute that
// holds words (where they occur first); it panics when none does.
func SourceID(words string) string {
	doc := read()
	at := strings.Index(doc.Text, words)
	for i, p := range doc.Passages {
		if at >= 0 && p.Start <= at && at+len(words) <= p.End {
			return fmt.Sprintf("source:%s-%d", doc.Hash[:12], i)
		}
	}
	panic(fmt.Sprintf("seed: no passage of the minute holds %q", words))
}

// Passages of the minute that tests and the seed check cite.
const (
	// Heading is the agenda item's heading.
	Heading = "Agenda item"
	// HeldBy is the sentence that says who holds the existing contract.
	HeldBy = "A contract to provide a specialist programme"
	// Integrated is the sentence that says which team the service is integrated into.
	Integrated = "The Director of Programmes reported that this was a valuable service"
)
