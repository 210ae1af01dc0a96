package ocds

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// party is an organisation as a release names it.
type party struct {
	id, name  string
	orgID     string // scheme-id of its org-id identifier, normalised
	idents    []string
	country   string
	roles     []string
	voluntary bool
	path      string
	release   string
}

// update returns what the earlier party p and a newer statement n of the
// same party say together: what n states wins.
func (p party) update(n party) party {
	out := n
	if out.name == "" {
		out.name = p.name
	}
	if out.orgID == "" {
		out.orgID = p.orgID
	}
	if out.country == "" {
		out.country = p.country
	}
	if len(out.roles) == 0 {
		out.roles = p.roles
	}
	for _, id := range p.idents {
		if !slices.Contains(out.idents, id) {
			out.idents = append(out.idents, id)
		}
	}
	out.voluntary = out.voluntary || p.voluntary
	return out
}

// voluntarySchemes are identifier schemes of charity registers.
var voluntarySchemes = []string{"GB-CHC", "GB-SC", "GB-NIC"}

func readParty(o object, rid string) party {
	pt := party{path: o.path, release: rid, id: o.id("id")}
	if name := o.firstText("name", "name_en"); name != nil {
		pt.name = *name
	}
	pt.roles = o.strings("roles")
	idents := o.objects("additionalIdentifiers")
	if ident := o.obj("identifier"); ident != nil {
		idents = append([]object{*ident}, idents...)
		if pt.name == "" {
			if n := ident.firstText("legalName", "legalName_en"); n != nil {
				pt.name = *n
			}
		}
	}
	for _, ident := range idents {
		scheme, id := ident.text("scheme"), ident.id("id")
		if scheme == nil || id == "" {
			continue
		}
		oid := orgID(*scheme, id)
		pt.idents = append(pt.idents, oid)
		if pt.orgID == "" {
			pt.orgID = oid
			pt.country = schemeCountry(*scheme)
		}
		if slices.Contains(voluntarySchemes, strings.ToUpper(*scheme)) {
			pt.voluntary = true
		}
	}
	if pt.orgID == "" && orgIDShape.MatchString(pt.id) {
		// Some publishers give the org-id as the party's id alone.
		pt.orgID = orgID(pt.id[:strings.LastIndex(pt.id, "-")], pt.id[strings.LastIndex(pt.id, "-")+1:])
		pt.country = pt.id[:2]
		for _, s := range voluntarySchemes {
			pt.voluntary = pt.voluntary || strings.HasPrefix(pt.orgID, s+"-")
		}
	}
	if pt.country == "" {
		if addr := o.obj("address"); addr != nil {
			if c := addr.text("countryName"); c != nil {
				pt.country = countryCode(*c)
			}
		}
	}
	details := o.loose().obj("details")
	if details == nil {
		return pt
	}
	if scale := details.text("scale"); scale != nil && isVoluntary(*scale) {
		pt.voluntary = true
	}
	for _, c := range details.objects("classifications") {
		if d := c.firstText("description", "id"); d != nil && isVoluntary(*d) {
			pt.voluntary = true
		}
	}
	return pt
}

func isVoluntary(s string) bool {
	s = strings.ToLower(s)
	for _, w := range []string{"voluntary", "charity", "vcse", "vcs", "not-for-profit", "non-profit"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// orgIDShape is a party id that is itself an org-id (GB-LAC-E09000003):
// a country code, a register and the organisation's number in it.
var orgIDShape = regexp.MustCompile(`^(?:[A-Z]{2}|XI|XM)-[A-Z]{2,}-[A-Za-z0-9]+$`)

// orgID normalises an org-id identifier: the scheme in capitals, the id
// without spaces, a number written as a decimal ("11111111.0") as the
// number, and a UK company number padded to its 8 characters.
func orgID(scheme, id string) string {
	scheme = strings.ToUpper(strings.TrimSpace(scheme))
	id = strings.ToUpper(strings.Join(strings.Fields(id), ""))
	if i := strings.Index(id, "."); i > 0 && strings.Trim(id[i+1:], "0") == "" && isDigits(id[:i]) {
		id = id[:i]
	}
	if strings.HasPrefix(id, scheme+"-") {
		id = id[len(scheme)+1:]
	}
	if scheme == "GB-COH" && len(id) < 8 && isDigits(id) {
		id = strings.Repeat("0", 8-len(id)) + id
	}
	return scheme + "-" + id
}

func isDigits(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// schemeCountry is the country of an org-id scheme (GB-COH: GB), or "".
func schemeCountry(scheme string) string {
	if len(scheme) > 3 && scheme[2] == '-' {
		return strings.ToUpper(scheme[:2])
	}
	return ""
}

var countries = map[string]string{
	"united kingdom": "GB", "uk": "GB", "gb": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
	"wales": "GB", "northern ireland": "GB", "united kingdom of great britain and northern ireland": "GB",
	"canada": "CA", "mexico": "MX", "méxico": "MX", "colombia": "CO", "paraguay": "PY", "moldova": "MD",
	"republic of moldova": "MD", "ukraine": "UA", "україна": "UA", "uganda": "UG", "nigeria": "NG",
	"armenia": "AM", "australia": "AU", "united states": "US", "usa": "US",
}

// countryCode names a country by its ISO code where it is one we know,
// otherwise by its name folded.
func countryCode(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	if c, ok := countries[n]; ok {
		return c
	}
	if len(n) == 2 {
		return strings.ToUpper(n)
	}
	return slug(n)
}

// legalSuffixes are words of a company's legal form that do not tell one
// organisation from another.
var legalSuffixes = []string{"limited", "ltd", "plc", "llp", "lp", "cic", "cio", "inc", "incorporated", "llc"}

// councilForms rewrite the ways one council is named to one: "London
// Borough of Bromley", "Bromley London Borough Council" and "Bromley LBC"
// are all "bromley london borough". "Bromley Council" stays "bromley":
// whether it is the same body as "Bromley London Borough" is not for a name
// to decide.
var councilForms = []struct{ prefix, suffix string }{
	{"london borough of ", " london borough"},
	{"royal borough of ", " royal borough"},
	{"metropolitan borough of ", " metropolitan borough"},
	{"borough of ", " borough"},
	{"city and county of ", " city and county"},
	{"county borough of ", " county borough"},
	{"city of ", " city"},
	{"county of ", " county"},
	{"district of ", " district"},
}

var councilAbbrevs = map[string]string{
	"lbc": "london borough", "mbc": "metropolitan borough", "bc": "borough", "dc": "district", "cbc": "county borough",
}

// normalName folds a name for matching: case, accents kept, punctuation and
// "&" (as "and"), a leading "the", trailing legal forms (Limited, Ltd, plc)
// and the ways of naming a council.
func normalName(name string) string {
	s := strings.ToLower(name)
	s = strings.NewReplacer("&", " and ", "’", "", "'", "", "`", "").Replace(s)
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
	s = strings.TrimPrefix(s, "the ")
	for changed := true; changed; {
		changed = false
		for _, suf := range legalSuffixes {
			if t := strings.TrimSuffix(s, " "+suf); t != s && t != "" {
				s, changed = t, true
			}
		}
	}
	words := strings.Fields(s)
	if n := len(words); n > 1 {
		if full, ok := councilAbbrevs[words[n-1]]; ok {
			words[n-1] = full
			s = strings.Join(words, " ")
		}
	}
	if t := strings.TrimSuffix(s, " council"); t != s && t != "" {
		s = t
	}
	for _, f := range councilForms {
		if rest, ok := strings.CutPrefix(s, f.prefix); ok && rest != "" {
			s = rest + f.suffix
			break
		}
	}
	return s
}

// orgKey is the key of an organisation: its org-id when it has one, else its
// normalised name within its country; "" when it has neither.
func (p party) orgKey() string {
	if p.orgID != "" {
		return slug(p.orgID)
	}
	if n := normalName(p.name); n != "" {
		c := strings.ToLower(p.country)
		if c == "" {
			c = "xx"
		}
		return "name-" + slug(c) + "-" + slug(n)
	}
	return ""
}

// nameKey is a party's normalised name within its country.
func (p party) nameKey() string {
	return strings.ToLower(p.country) + ":" + normalName(p.name)
}

// namedOrgs maps the ids and the normalised names (within a country, and
// in any country) of the parties of a file's releases that have an org-id
// to it, leaving out an id or name two org-ids share.
func namedOrgs(releases []object) map[string]string {
	out := map[string]string{}
	for _, r := range releases {
		l := r.loose()
		l.probs = nil
		for _, o := range l.objects("parties") {
			pt := readParty(o, "")
			if pt.orgID == "" || pt.name == "" {
				continue
			}
			keys := []string{pt.nameKey(), ":" + normalName(pt.name)}
			if pt.id != "" {
				keys = append(keys, "id:"+pt.id)
			}
			for _, k := range keys {
				if old, ok := out[k]; ok && old != pt.orgID {
					out[k] = "" // ambiguous
					continue
				}
				out[k] = pt.orgID
			}
		}
	}
	for k, v := range out {
		if v == "" {
			delete(out, k)
		}
	}
	return out
}

// aliases are the names an organisation is known by besides its id: the
// publisher's id for it (qualified by the ocid prefix, which names the
// publisher), its identifiers and its normalised name.
func (p party) aliases(ocid string) []string {
	var out []string
	if p.id != "" {
		out = append(out, ocidPrefix(ocid)+"/"+p.id)
	}
	out = append(out, p.idents...)
	if n := normalName(p.name); n != "" {
		out = append(out, "name:"+strings.ToLower(p.country)+":"+n)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// facts are what an organisation's node keeps beyond its type's fields:
// its org-id identifier.
func (p party) facts() map[string]string {
	if p.orgID == "" {
		return nil
	}
	return map[string]string{"identifier": p.orgID}
}

// NormalName is the form of an organisation's name that the importer
// matches names by (see normalName).
func NormalName(name string) string { return normalName(name) }
