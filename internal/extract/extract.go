package extract

import (
	"regexp"
	"strings"

	"github.com/commissioning-graph/cgraph/internal/document"
)

// cand is one candidate value for a field, found by a rule at
// Text[start:end].
type cand struct {
	key        string // what makes two candidates the same fact
	value      any
	start, end int
	rule       string
}

// pool gathers candidates per field and keeps a field only when every
// candidate agrees: two different candidates for one fact give nothing.
type pool map[string][]cand

func (p pool) add(field string, c cand) { p[field] = append(p[field], c) }

func (p pool) one(field string) (cand, bool) {
	cs := p[field]
	if len(cs) == 0 {
		return cand{}, false
	}
	for _, c := range cs[1:] {
		if c.key != cs[0].key {
			return cand{}, false
		}
	}
	return cs[0], true
}

type extractor struct {
	doc    *document.Document
	text   string
	res    *Result
	sents  []document.Passage // sentences outside metadata fields
	all    []document.Passage // every sentence
	lower  []string           // sents, lower-cased
	fields []document.Passage
}

// metaLabels are labelled fields that hold dates and contacts about the
// notice itself, not prose to search for contract terms.
var metaLabels = map[string]bool{
	"publication date": true, "date of decision": true, "call-in deadline date": true, "decided at meeting": true,
	"effective from": true, "date comes into force if not called in": true, "contact": true, "report author": true,
	"meeting": true, "decision maker": true, "decision status": true, "is key decision?": true, "is subject to call in?": true,
	"lead officer": true, "wards affected": true, "accompanying documents": true, "decision date": true,
}

// Extract proposes the facts doc states, with a claim for each. A nil
// document states nothing.
func Extract(doc *document.Document) *Result {
	if doc == nil {
		return &Result{}
	}
	x := &extractor{doc: doc, text: doc.Text, res: &Result{}}
	var meta [][2]int
	for _, p := range doc.Passages {
		if p.Label != "" {
			x.fields = append(x.fields, p)
			if metaLabels[strings.ToLower(p.Label)] {
				meta = append(meta, [2]int{p.Start, p.End})
			}
		}
	}
	for _, p := range doc.Passages {
		if p.Label != "" {
			continue
		}
		x.all = append(x.all, p)
		in := false
		for _, m := range meta {
			if p.Start >= m[0] && p.End <= m[1] {
				in = true
				break
			}
		}
		if !in {
			x.sents = append(x.sents, p)
		}
	}
	for _, s := range x.sents {
		x.lower = append(x.lower, strings.ToLower(s.Text))
	}
	f := &x.res.Facts
	f.URL = doc.URL
	f.DocumentKind = doc.Kind
	if doc.Kind != "" && doc.KindEnd > doc.KindStart {
		x.claim("documentKind", cand{value: doc.Kind, start: doc.KindStart, end: doc.KindEnd, rule: "kind-from-text"})
	}
	x.authority()
	x.decision()
	x.contracts()
	x.people()
	x.committees()
	x.metrics()
	x.inspections()
	x.reviews()
	if len(f.Quotes) == 0 {
		f.Quotes = nil
	}
	tidyFacts(f)
	return x.res
}

// claim records an accepted fact, its quote and its rule. A value read
// across a line break is written with single spaces; its quote stays as
// the document has it.
func (x *extractor) claim(field string, c cand) {
	q := x.text[c.start:c.end]
	if v, ok := c.value.(string); ok {
		c.value = strings.Join(strings.Fields(v), " ")
	}
	x.res.Claims = append(x.res.Claims, Claim{Field: field, Value: c.value, Quote: q, Start: c.start, End: c.end, Rule: c.rule})
	if x.res.Facts.Quotes == nil {
		x.res.Facts.Quotes = map[string]string{}
	}
	x.res.Facts.Quotes[field] = q
}

// matches runs re over every sentence and calls fn with absolute offsets
// of the submatches.
func (x *extractor) each(re *regexp.Regexp, fn func(p document.Passage, m []int)) {
	for _, p := range x.sents {
		for _, m := range re.FindAllStringSubmatchIndex(p.Text, -1) {
			abs := make([]int, len(m))
			for i, v := range m {
				if v >= 0 {
					abs[i] = v + p.Start
				} else {
					abs[i] = -1
				}
			}
			fn(p, abs)
		}
	}
}

// eachIf is each over the sentences whose lower-cased text holds one of
// the words: a cheap filter before a costly expression.
func (x *extractor) eachIf(words []string, re *regexp.Regexp, fn func(p document.Passage, m []int)) {
	for i, p := range x.sents {
		hit := false
		for _, w := range words {
			if strings.Contains(x.lower[i], w) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		for _, m := range re.FindAllStringSubmatchIndex(p.Text, -1) {
			abs := make([]int, len(m))
			for i, v := range m {
				if v >= 0 {
					abs[i] = v + p.Start
				} else {
					abs[i] = -1
				}
			}
			fn(p, abs)
		}
	}
}

// trimSpan trims spaces and trailing punctuation from Text[s:e].
func (x *extractor) trimSpan(s, e int) (int, int) {
	t := x.text
	for s < e && strings.ContainsRune(" \t\n\u00a0", rune(t[s])) {
		s++
	}
	for e > s {
		r := t[e-1]
		if strings.ContainsRune(" \t\n.,;:", rune(r)) {
			e--
			continue
		}
		if strings.HasSuffix(t[s:e], "\u00a0") {
			e -= 2
			continue
		}
		break
	}
	return s, e
}

// ---- authority

var (
	authLondon  = rx(`\b((?:London|Royal)\s+Borough\s+of\s+[A-Z][a-z]+(?:(?:\s+and\s+|\s+upon\s+|\s+)[A-Z][a-z]+)?)\b`)
	authCouncil = rx(`\b((?:[A-Z][a-z]+[\s-]){1,3}(?:County|Borough|District|City|Metropolitan\s+Borough|Metropolitan\s+District)\s+Council)\b`)
	authPlain   = rx(`\b([A-Z][a-z]{2,})\s+Council\b`)
	authNot     = map[string]bool{"The": true, "This": true, "That": true, "County": true, "Borough": true, "City": true, "District": true,
		"Town": true, "Parish": true, "Full": true, "Cabinet": true, "Each": true, "Every": true, "Our": true, "Their": true,
		"Unitary": true, "Local": true, "Lead": true, "Youth": true, "Young": true, "Safeguarding": true, "Arts": true,
		"Sports": true, "Research": true, "Privy": true, "Security": true, "European": true, "Advisory": true, "Neighbouring": true,
		"Other": true, "Host": true, "Partner": true, "Member": true, "Children": true, "Community": true, "Parish/Town": true, "Village": true, "Which": true, "Whole": true, "Next": true, "Annual": true, "Extraordinary": true, "Special": true, "Housing": true, "Health": true, "Common": true}
)

func authorityCore(s string) string {
	var out []string
	for _, w := range strings.Fields(fold(s)) {
		switch w {
		case "london", "royal", "borough", "of", "council", "county", "city", "district", "metropolitan", "upon":
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

func (x *extractor) authority() {
	var cs []cand
	add := func(s, e int, rule string) {
		name := x.text[s:e]
		ws := strings.Fields(name)
		if authNot[ws[0]] {
			return
		}
		for _, w := range ws {
			if w == "Town" || w == "Parish" || w == "Youth" {
				return
			}
		}
		core := authorityCore(name)
		if core == "" {
			return
		}
		cs = append(cs, cand{key: core, value: name, start: s, end: e, rule: rule})
	}
	x.each(authLondon, func(p document.Passage, m []int) { add(m[2], m[3], "authority-london-borough") })
	x.each(authCouncil, func(p document.Passage, m []int) {
		s := m[2]
		// leading words that are not part of a name ("Members of Kent County Council")
		add(s, m[3], "authority-named-council")
	})
	x.each(authPlain, func(p document.Passage, m []int) {
		if m[2] > 0 {
			prev := strings.TrimRight(x.text[max(0, m[2]-20):m[2]], " \u00a0")
			if strings.HasSuffix(prev, "County") || strings.HasSuffix(prev, "Borough") || strings.HasSuffix(prev, "City") || strings.HasSuffix(prev, "District") {
				return
			}
			// part of a longer capitalised name handled above
			if i := strings.LastIndexAny(prev, " \n"); i >= 0 && isCap(prev[i+1:]) && prev[i+1:] != "" && !strings.HasSuffix(prev, ".") {
				w := prev[i+1:]
				if w != "The" && w != "the" {
					return
				}
			}
		}
		add(m[2], m[0]+len(x.text[m[0]:m[1]]), "authority-plain-council")
	})
	if len(cs) == 0 {
		return
	}
	// A council named in passing ("jointly with Kent County Council") is
	// not the author: the name must match the site's address, or, with no
	// address, open the document or recur in it.
	core := strings.Fields(cs[0].key)
	if host := urlHost(x.doc.URL); host != "" {
		if len(core) == 0 || !strings.Contains(strings.ReplaceAll(host, "-", ""), strings.Join(core, "")) && !strings.Contains(host, core[0]) {
			return
		}
	} else if cs[0].start > 400 && len(cs) < 2 {
		return
	}
	best := cs[0]
	for _, c := range cs[1:] {
		if c.key != best.key {
			return
		}
		if len(c.value.(string)) > len(best.value.(string)) {
			best = c
		}
	}
	x.res.Facts.Authority = best.value.(string)
	x.claim("authority", best)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// tidyFacts writes every value on one line with single spaces: a title
// broken across lines in a PDF is still one title. Quotes are untouched.
func tidyFacts(f *Facts) {
	f.Authority = oneLine(f.Authority)
	if d := f.Decision; d != nil {
		d.Maker, d.Status, d.Meeting = oneLine(d.Maker), oneLine(d.Status), oneLine(d.Meeting)
	}
	for i := range f.Contracts {
		c := &f.Contracts[i]
		c.Provider, c.Service, c.ExtensionOption = oneLine(c.Provider), oneLine(c.Service), oneLine(c.ExtensionOption)
	}
	for i := range f.People {
		f.People[i].Name, f.People[i].Post = oneLine(f.People[i].Name), oneLine(f.People[i].Post)
	}
	for i := range f.Committees {
		f.Committees[i] = oneLine(f.Committees[i])
	}
	for i := range f.Reviews {
		f.Reviews[i] = oneLine(f.Reviews[i])
	}
	for i := range f.Inspections {
		f.Inspections[i].Finding = oneLine(f.Inspections[i].Finding)
	}
}

// urlHost returns the lower-cased host of an http(s) address, or "".
func urlHost(u string) string {
	u = strings.ToLower(u)
	for _, p := range []string{"https://", "http://"} {
		if strings.HasPrefix(u, p) {
			h := strings.TrimPrefix(u, p)
			if i := strings.IndexAny(h, "/?#:"); i >= 0 {
				h = h[:i]
			}
			return h
		}
	}
	return ""
}
