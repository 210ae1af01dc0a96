package ingest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/extract"
)

// Reviewed is what an analyst has read in a document before it is
// ingested: facts no rule should guess, each resting on the document's own
// words, and the rules' claims that are wrong. It is applied as the
// document is ingested: its facts become claims of the document (rule
// RuleReviewed) and the rules' claims it rejects, or whose field it
// states itself, are written already rejected.
type Reviewed struct {
	Claims []ReviewedClaim `json:"claims"`
	Reject []Rejection     `json:"reject"`
}

// ReviewedClaim is one reviewed fact. Field is a field of the exchange
// format (contracts[0].endDate), or one the rules never fill:
//
//   - item.id names the entity an item of the exchange format is
//     (contracts[0].id, decision.id), and item.fieldId the entity one of its
//     fields names (decision.makerId, contracts[0].providerId, serviceId,
//     predecessorId, people[0].postId), so that a document's facts join the
//     entities the graph knows;
//   - Label(id).prop sets a property of an entity (Team(team:x).launched),
//     and Label(id) alone says the entity rests on the quote;
//   - TYPE(from,to) states a relationship (INTEGRATED_INTO(service:x,team:y)).
//
// Value is the JSON value; Quote the document's words it rests on,
// character for character (where they occur first in the text).
type ReviewedClaim struct {
	Field string          `json:"field"`
	Value json.RawMessage `json:"value"`
	Quote string          `json:"quote"`
}

// Rejection rejects the rules' claim of a field, and says why.
type Rejection struct {
	Field string `json:"field"`
	Why   string `json:"why"`
}

// RuleReviewed is the rule of claims an analyst stated.
const RuleReviewed = "reviewed"

var (
	// entityPath is Label(id) or Label(id).prop.
	entityPath = regexp.MustCompile(`^([A-Z][A-Za-z]+)\(([^(),\s]+)\)(?:\.([a-zA-Z]+))?$`)
	// linkPath is TYPE(from,to).
	linkPath = regexp.MustCompile(`^([A-Z][A-Z_]+)\(([^(),\s]+),\s*([^(),\s]+)\)$`)
)

// claims returns the reviewed claims placed in text, and the fields whose
// rule claims they reject (with why).
func (r *Reviewed) claims(text string) ([]extract.Claim, map[string]string, error) {
	if r == nil {
		return nil, nil, nil
	}
	out := make([]extract.Claim, 0, len(r.Claims))
	rejected := map[string]string{}
	for _, c := range r.Claims {
		if err := c.check(); err != nil {
			return nil, nil, err
		}
		start := strings.Index(text, c.Quote)
		if c.Quote == "" || start < 0 {
			return nil, nil, cg.Errorf(cg.EINVALID, "reviewed claim %s: its quote %q is not in the document", c.Field, c.Quote)
		}
		var v any
		if err := json.Unmarshal(c.Value, &v); err != nil {
			return nil, nil, cg.Errorf(cg.EINVALID, "reviewed claim %s: its value is not JSON", c.Field)
		}
		out = append(out, extract.Claim{Field: c.Field, Value: v, Quote: c.Quote, Start: start, End: start + len(c.Quote), Rule: RuleReviewed})
		rejected[c.Field] = "an analyst stated this field"
	}
	for _, x := range r.Reject {
		if strings.TrimSpace(x.Why) == "" {
			return nil, nil, cg.Errorf(cg.EINVALID, "rejecting %s: say why", x.Field)
		}
		rejected[x.Field] = x.Why
	}
	return out, rejected, nil
}

// check says whether the claim's field is one accepting understands.
func (c ReviewedClaim) check() error {
	switch {
	case fieldPath.MatchString(c.Field):
		return nil
	case entityPath.MatchString(c.Field):
		m := entityPath.FindStringSubmatch(c.Field)
		l := cg.Label(m[1])
		if !l.Valid() {
			return cg.Errorf(cg.EINVALID, "reviewed claim %s: no entity type %s", c.Field, m[1])
		}
		if _, ok := cg.Props(l)[m[3]]; m[3] != "" && (!ok || m[3] == "id" || m[3] == "version") {
			return cg.Errorf(cg.EINVALID, "reviewed claim %s: %s has no property %q to state", c.Field, l, m[3])
		}
		return nil
	case linkPath.MatchString(c.Field):
		if _, ok := cg.RelEnds()[cg.RelType(linkPath.FindStringSubmatch(c.Field)[1])]; !ok {
			return cg.Errorf(cg.EINVALID, "reviewed claim %s: no relationship of that type", c.Field)
		}
		return nil
	}
	return cg.Errorf(cg.EINVALID, "reviewed claim %q: not a field of the exchange format, Label(id).prop or TYPE(from,to)", c.Field)
}

// reviewedAuthority returns the authority with id as the reviewed facts
// name it, for a document whose authority is new to the graph; nil when
// they do not name it.
func (r *Reviewed) reviewedAuthority(id string) *cg.Authority {
	if r == nil {
		return nil
	}
	for _, c := range r.Claims {
		if c.Field != fmt.Sprintf("%s(%s).name", cg.LabelAuthority, id) {
			continue
		}
		var name string
		if json.Unmarshal(c.Value, &name) == nil && strings.TrimSpace(name) != "" {
			return &cg.Authority{ID: id, Name: name}
		}
	}
	return nil
}
