package commissioning

import (
	"strings"
	"unicode"
)

// ClaimInfo is a claim with what deciding it depends on: its document, the
// document's authority, the passage its quote is in, and whether a newer
// version of the document has replaced it.
type ClaimInfo struct {
	Claim     *Claim
	Document  string
	Authority string
	Passage   string
	Replaced  bool
}

// Decide checks that c may become status (ClaimAccepted or ClaimRejected)
// and says why not: a claim is decided once, and only while its document is
// the latest version of its page. Deciding a claim again the same way is
// allowed and changes nothing.
func (c ClaimInfo) Decide(status string) error {
	switch {
	case c.Replaced:
		return Errorf(ECONFLICT, "claim %s: its document was replaced by a newer version; review the claims of that one", c.Claim.ID)
	case c.Claim.Status == status || c.Claim.Status == ClaimProposed:
		return nil
	case c.Claim.Status == ClaimRejected:
		return Errorf(ECONFLICT, "claim %s was rejected and cannot be accepted", c.Claim.ID)
	}
	return Errorf(ECONFLICT, "claim %s was accepted and cannot be rejected", c.Claim.ID)
}

// NameKey folds a name as it is written into the key two writings of the
// same name share: case, punctuation, the kind of apostrophe, "&" and
// words such as "the" and "Limited" do not count. Barnardo's, BARNARDOS and
// Barnardo’s Ltd have one key.
func NameKey(name string) string {
	name = strings.ReplaceAll(strings.ToLower(name), "&", " and ")
	var words []string
	for _, w := range strings.FieldsFunc(name, func(r rune) bool {
		return unicode.IsSpace(r) || r == '-' || r == '/' || r == ','
	}) {
		w = strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return r
			}
			return -1
		}, w)
		switch w {
		case "", "the", "limited", "ltd", "plc", "llp", "cic", "inc", "co":
			continue
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}

// AuthorityKey folds an authority's name further than NameKey: "London
// Borough of Bromley", "Bromley Council" and "the Council of the London
// Borough of Bromley" share a key.
func AuthorityKey(name string) string {
	var words []string
	for _, w := range strings.Fields(NameKey(name)) {
		switch w {
		case "council", "borough", "london", "of", "city", "county", "district", "metropolitan", "royal", "and":
			continue
		}
		words = append(words, w)
	}
	if len(words) == 0 {
		return NameKey(name)
	}
	return strings.Join(words, " ")
}
