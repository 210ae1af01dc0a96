package extract

import (
	"regexp"
	"strings"

	"github.com/commissioning-graph/cgraph/internal/document"
)

var (
	contractCue    = rx(`(?i)\b(?:contracts?|award(?:ed|ing|s)?|extension|extend(?:ed|ing|s)?|commission(?:ed|ing)?|procure(?:d|ment)?|tender(?:ed|ing)?|framework|call[\s-]off|provider|grant\s+agreement|service\s+level\s+agreement|waiver|exemption|total\s+value|valued\s+at|value\s+of|arrangements?|(?:delivered|provided|run)\s+by)\b`)
	awardCue       = rx(`(?i)\b(?:award(?:ed|ing|s)?|extend(?:ed|ing|s)?|extension|further|new|direct|approve[ds]?|enter\s+into|commission|call[\s-]off|vary|variation|recommended|proposed|procured|tendered|run\s+for|(?:will|would)\s+run|commenc\w+)\b`)
	predecessorCue = rx(`(?i)\b(?:existing|current|present|previous|incumbent)\s+(?:\w+\s+){0,2}?(?:contracts?|arrangements?|provider|agreement)\b|\bheld\s+by\b|\b(?:was|is|were|are)\s+due\s+to\s+(?:end|expire|terminate|cease)`)

	providerRes = []struct {
		re   *regexp.Regexp
		rule string
	}{
		{rx(`(?i)\baward(?:ed|ing|s)?\s+(?:of\s+)?(?:a\s+|the\s+|an\s+)?(?:(?:further|new|interim|short[\s-]term|direct|\d+[\s-]month|[a-z]+[\s-]year)\s+)*(?:[\w'’&-]+\s+){0,6}?contracts?\s+(?:for\s+[^.;]{0,120}?\s+)?(?:(?:via|through|under|by\s+way\s+of)\s+(?:an?\s+|the\s+)?(?:exemption|waiver|direct\s+award)[^.;]{0,60}?\s+)?to\s+`), "award-contract-to"},
		{rx(`(?i)\b(?:be|been|is|was|being|contract)\s+awarded\s+to\s+`), "awarded-to"},
		{rx(`(?i)\bdirect(?:ly)?\s+award(?:ed)?\s+(?:of\s+(?:a\s+|the\s+)?contract\s+)?(?:for\s+[^.;]{0,120}?\s+)?to\s+`), "direct-award-to"},
		{rx(`(?i)\bcontracts?\s+(?:currently\s+)?(?:with|held\s+by|delivered\s+by|provided\s+by)\s+`), "contract-with"},
		{rx(`(?i)\b(?:was|is|are|were|currently)\s+(?:held|delivered|provided)\s+by\s+`), "held-by"},
		{rx(`(?i)\bextend(?:ing|ed|s)?\s+(?:the\s+)?(?:existing\s+|current\s+)?(?:contract|agreement|arrangement)s?\s+with\s+`), "extend-contract-with"},
	}
	providerGeneric = map[string]bool{"council": true, "cabinet": true, "committee": true, "director": true, "portfolio": true,
		"member": true, "members": true, "officer": true, "officers": true, "authority": true, "department": true, "team": true,
		"appendix": true, "annex": true, "section": true, "schedule": true, "lot": true, "lots": true, "table": true, "report": true,
		"provider": true, "providers": true, "supplier": true, "suppliers": true, "contractor": true, "it": true, "this": true, "them": true,
		"january": true, "february": true, "march": true, "april": true, "may": true, "june": true, "july": true, "august": true,
		"september": true, "october": true, "november": true, "december": true, "mayor": true, "leader": true, "executive": true, "head": true,
		"nhs": false}
	orgSuffix = rx(`(?i)\b(?:Ltd|Limited|CIC|plc|LLP|Trust|Society|Charity|Group|Foundation|Partnership)$`)

	rangeRe     = `(?i)^\s*(?:to|until|till|-|–|and\s+ending\s+on|through\s+to)\s*$`
	rangeMid    = rx(rangeRe)
	betweenMid  = rx(`(?i)^\s*and\s*$`)
	endVerbs    = rx(`(?i)(?:\b(?:end(?:s|ed)?|expire[sd]?|terminate[sd]?|cease[sd]?|conclude[sd]?|finish(?:es|ed)?)|\bexpiring|\bending|\b(?:expiry|end)\s+date\s+(?:of|is|was|being))\s+(?:on\s+)?$`)
	untilWords  = rx(`(?i)\b(?:until|till|up\s+to(?:\s+and\s+including)?|through\s+to|to\s+end\s+(?:on\s+)?|extended\s+to|extend(?:ed)?\s+(?:it\s+)?to|run\s+to|running\s+to|(?:months?|years?),?\s+to)\s+$`)
	startWords  = rx(`(?i)\b(?:from|commencing(?:\s+on)?|starting(?:\s+on)?|start\s+date\s+(?:of|is|being)|commence\s+on|begin(?:ning)?\s+on|with\s+effect\s+from)\s+$`)
	betweenWord = rx(`(?i)\bbetween\s+$`)
	newCue      = rx(`(?i)\b(?:new|further|extended|extension|proposed)\b`)
	optionCue   = rx(`(?i)\b(?:option|optional|possible|possibility|may\s+be|could\s+be|can\s+be|ability)\b`)

	routeRes = []struct {
		re    *regexp.Regexp
		route string
	}{ // each route's expression; routeKeys holds words one of which it needs
		{rx(`(?i)\bexemption\s+(?:to|from)\s+(?:the\s+)?(?:council['’]s\s+)?(?:requirement\s+to\s+)?(?:competitive\s+tender(?:ing)?|contract\s+procedure\s+rules?|contract\s+standing\s+orders|procurement\s+rules|standing\s+orders|CPRs?|financial\s+(?:procedure\s+)?regulations|tender)|\bexempt(?:ed|ion)?\s+from\s+(?:the\s+requirement\s+to\s+|seeking\s+|the\s+need\s+to\s+)?(?:competitive\s+)?tender`), "exemption"},
		{rx(`(?i)\bwaiver\s+(?:of|to|from)\s+(?:the\s+)?(?:council['’]s\s+)?(?:contract\s+procedure\s+rules?|contract\s+standing\s+orders|CPRs?|procurement\s+rules|standing\s+orders|tendering\s+requirements|requirement\s+to\s+tender)|\bwaive\s+(?:the\s+)?(?:council['’]s\s+)?(?:contract\s+procedure\s+rules?|contract\s+standing\s+orders|CPRs?|procurement\s+rules|requirement\s+to\s+tender|tendering)`), "waiver"},
		{rx(`(?i)\bdirect(?:ly)?\s+award(?:ed|ing|s)?\b|\baward(?:ed)?\s+(?:the\s+contract\s+)?directly\b`), "direct award"},
		{rx(`(?i)\b(?:following|after|through|via|using|under|by\s+way\s+of|as\s+a\s+result\s+of)\s+(?:an?\s+|the\s+)?open\s+(?:tender(?:ing)?|procurement|procedure)\b|\bopen\s+tender(?:ing)?\s+(?:process|exercise)\s+(?:was|has\s+been|had\s+been)\s+(?:undertaken|completed|carried\s+out|run)\b`), "open tender"},
		{rx(`(?i)\bcall[\s-]off\b|\b(?:via|through|using|under|from)\s+(?:the|a|an)\s+(?:[A-Za-z0-9’'&()\-]+\s+){0,6}?framework\b`), "framework call-off"},
	}
	extensionRouteRe = rx(`(?i)\bextend(?:ing|ed)?\s+(?:the\s+)?(?:existing\s+|current\s+)?contract|\bcontract\s+(?:is|be|was|being|to\s+be)\s+extended\b|\bextension\s+(?:of|to)\s+(?:the\s+)?(?:existing\s+|current\s+)?contract|\bcontract\s+extension\b|\b(?:exercise|take\s+up|invoke)\s+(?:the\s+|an?\s+)?(?:option\s+to\s+extend|extension\s+option)`)
	futureCue        = rx(`(?i)\b(?:will\s+be\s+(?:undertaken|carried\s+out|run|launched|commenced|procured|tendered)|future|re-?procure|re-?commission|in\s+readiness|ahead\s+of|pending|prior\s+to|whilst|while)\b`)

	moneyExclBefore = rx(`(?i)\b(?:combined|aggregate|together|saving|savings|reduction|reduce|increase|uplift|shortfall|pressure|overspend|underspend|deficit|gap|annual|yearly|monthly|weekly|per\s+annum|cost\s+of\s+living|exceed(?:s|ing)?|above|below)\b[^£€$]{0,25}$`)
	moneyExclFar    = rx(`(?i)\b(?:budget|grant|funding|income|threshold|forecast(?:ed)?|spend|savings?)\b[^£€$.;]{0,100}$`)
	moneyExclAfter  = rx(`(?i)^\s*(?:\([^)]*\)\s*)?(?:per\s+(?:annum|year|month|week|hour|child|person|place|bed|night|head)|a\s+(?:year|month|week)|p\.?a\.?|pa\b|annually|each\s+year|per\s+year|saving|savings|of\s+savings)`)

	pluralProviders = rx(`(?i)\bcontracts\b|\bproviders\b`)
	pluralContracts = rx(`(?i)\b(?:contracts|procurements|awards)\b`)
	nearContract    = rx(`(?i)\b(?:contracts?|agreements?|framework|award(?:ed)?|extensions?|extend(?:ed)?|call[\s-]off|arrangements?)\b`)
	serviceVerb     = rx(`^\s+(?:provides|provided|offers|offered|supports|supported|gives|gave|delivers|delivered|helps|helped|works|worked|is\s+a|was\s+a|(?:is|was|are|were)\s+(?:provided|delivered|commissioned|run|offered))\b`)
	lotsRe          = rx(`(?i)\bLots?\s+\d|\b(?:two|three|four|several|both)\s+lots\b`)
	namedService    = rx(`\b(Services?)\b`)
	serviceWords    = map[string]bool{"Children’s": true, "Children's": true, "Adult": true, "Adults": true, "Social": true, "Care": true,
		"Housing": true, "Legal": true, "Democratic": true, "Customer": true, "Community": true, "Corporate": true, "Financial": true,
		"Environmental": true, "Public": true, "Health": true, "Education": true, "Family": true, "Families": true, "and": true, "&": true,
		"People": true, "People’s": true, "Resources": true, "Operations": true, "Commissioning": true, "Council": true, "Local": true, "Universal": true, "The": true, "of": true}
	lowerService = rx(`(?i)\bcontracts?\s+for\s+(?:the\s+)?(?:provision|delivery)\s+of\s+(?:an?\s+|the\s+)?([a-z][a-z’'\- ]{2,60}?\bservices?)\b`)
)

func (x *extractor) contracts() {
	var sents []document.Passage
	for _, s := range x.sents {
		if contractCue.MatchString(s.Text) && !pluralContracts.MatchString(s.Text) {
			sents = append(sents, s)
		}
	}
	if lotsRe.MatchString(x.text) {
		return // several lots are several contracts: not one to fill in
	}
	p := x.collect(sents)
	x.service(p, x.sents)
	distinct := map[string]bool{}
	for _, c := range p["provider"] {
		distinct[c.key] = true
	}
	if len(distinct) > 1 {
		// Two providers: which holds which contract is not ours to guess,
		// unless the document lists one contract per item.
		x.listedContracts(distinct)
		return
	}
	x.emitContract(p)
}

// collect runs the contract rules over sentences into one pool.
func (x *extractor) collect(sents []document.Passage) pool {
	p := pool{}
	for _, s := range sents {
		award := awardCue.MatchString(s.Text)
		pred := predecessorCue.MatchString(s.Text)
		x.providers(s, p)
		x.contractDates(s, award, pred, p)
		x.periods(s, award, pred, p)
		x.money(s, p)
		x.routes(s, p)
	}
	return p
}

var listItem = rx(`^(?:\(?[0-9]{1,2}[.)]|\(?[a-z][.)]|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)[.)]|[•·▪–-])\s`)

// listedContracts reads a list of contracts, one per item ("(a) the
// contract with X for ..., at a total value of £..."): each item must name
// exactly one provider, and every provider the document names must have
// its item. What the lead-in says of all items ("each from 1 April 2025 to
// 31 March 2026") applies to each.
func (x *extractor) listedContracts(providers map[string]bool) {
	type itemPool struct {
		s document.Passage
		p pool
	}
	var items []itemPool
	seen := map[string]bool{}
	var lead *document.Passage
	for i, s := range x.sents {
		if !listItem.MatchString(s.Text) {
			continue
		}
		ip := pool{}
		x.providers(s, ip)
		ks := map[string]bool{}
		for _, c := range ip["provider"] {
			ks[c.key] = true
		}
		if len(ks) != 1 {
			continue
		}
		for k := range ks {
			if seen[k] {
				return // one provider in two items: not a plain list
			}
			seen[k] = true
		}
		if lead == nil && i > 0 && strings.HasSuffix(strings.TrimSpace(x.sents[i-1].Text), ":") {
			l := x.sents[i-1]
			lead = &l
		}
		items = append(items, itemPool{s: s, p: x.collect([]document.Passage{s})})
	}
	if len(items) < 2 || len(seen) != len(providers) {
		return
	}
	for k := range providers {
		if !seen[k] {
			return
		}
	}
	var shared pool
	if lead != nil {
		shared = x.collect([]document.Passage{*lead})
		if extensionsLead.MatchString(lead.Text) {
			shared.add("routeExtension", cand{key: "extension", value: "extension", start: lead.Start, end: lead.End, rule: "route-listed-extensions"})
		}
		if m := extensionsLead.FindStringIndex(lead.Text); m != nil {
			shared["routeExtension"] = []cand{{key: "extension", value: "extension", start: lead.Start + m[0], end: lead.Start + m[1], rule: "route-listed-extensions"}}
		}
	}
	for _, it := range items {
		for _, f := range []string{"startDate", "endDate", "durationMonths", "route", "routeExtension", "predecessorEndDate"} {
			if len(it.p[f]) == 0 && len(shared[f]) > 0 {
				it.p[f] = shared[f]
			}
		}
		x.service(it.p, []document.Passage{it.s})
		x.emitContract(it.p)
	}
}

var extensionsLead = rx(`(?i)\b(?:following|these)\s+(?:contract\s+)?extensions\b`)

// emitContract adds the contract a pool describes, when it holds a
// provider or at least two facts.
func (x *extractor) emitContract(p pool) {
	c := Contract{}
	any := false
	var claims []func(i int)
	set := func(field string, c0 cand, ok bool, apply func(c cand)) {
		if !ok {
			return
		}
		apply(c0)
		claims = append(claims, func(i int) { x.claim(pathf("contracts[%d].%s", i, field), c0) })
		if field != "service" && field != "extensionOption" {
			any = true
		}
	}
	pick := func(field string) (cand, bool) { return p.one(field) }
	c1, ok := pick("provider")
	set("provider", c1, ok, func(c0 cand) { c.Provider = c0.value.(string) })
	c1, ok = pick("startDate")
	set("startDate", c1, ok, func(c0 cand) { c.StartDate = c0.value.(string) })
	c1, ok = pick("endDate")
	set("endDate", c1, ok, func(c0 cand) { c.EndDate = c0.value.(string) })
	c1, ok = pick("durationMonths")
	set("durationMonths", c1, ok, func(c0 cand) { n := c0.value.(int); c.DurationMonths = &n })
	c1, ok = pick("value")
	if ok {
		cur, _ := pick("currency")
		set("value", c1, ok, func(c0 cand) { v := c0.value.(float64); c.Value = &v })
		set("currency", cur, cur.value != nil, func(c0 cand) { c.Currency = c0.value.(string) })
	}
	c1, ok = x.route(p)
	set("procurementRoute", c1, ok, func(c0 cand) { c.ProcurementRoute = c0.value.(string) })
	c1, ok = pick("extensionOption")
	set("extensionOption", c1, ok, func(c0 cand) { c.ExtensionOption = c0.value.(string) })
	c1, ok = pick("predecessorEndDate")
	if ok && c.EndDate == c1.value.(string) {
		ok = false // the same date cannot end both
	}
	set("predecessorEndDate", c1, ok, func(c0 cand) { c.PredecessorEndDate = c0.value.(string) })
	c1, ok = pick("service")
	set("service", c1, ok, func(c0 cand) { c.Service = c0.value.(string) })
	if !any || (c.Provider == "" && len(claims) < 2) {
		return
	}
	i := len(x.res.Facts.Contracts)
	x.res.Facts.Contracts = append(x.res.Facts.Contracts, c)
	for _, f := range claims {
		f(i)
	}
}

func (x *extractor) providers(s document.Passage, p pool) {
	plural := pluralProviders.MatchString(s.Text)
	for _, pr := range providerRes {
		for _, m := range providerStart(pr.re, s.Text) {
			rest := s.Text[m:]
			off := 0
			if strings.HasPrefix(rest, "the ") {
				off = 4
			}
			n := chainAfterStop(rest[off:], 8)
			if n == 0 {
				continue
			}
			name := rest[off : off+n]
			if !plausibleProvider(name, plural) {
				continue
			}
			st := s.Start + m + off
			p.add("provider", cand{key: fold(name), value: name, start: st, end: st + n, rule: "provider-" + pr.rule})
		}
	}
}

// providerStart returns where a provider's name may start after each
// match of re: the first place a match is followed by a capital letter,
// trying later "to"s when an earlier one is followed by lowercase words
// ("via exemption to competitive tendering to SEND4change").
func providerStart(re *regexp.Regexp, s string) []int {
	var out []int
	for _, m := range re.FindAllStringIndex(s, -1) {
		at := m[1]
		for tries := 0; tries < 3; tries++ {
			rest := strings.TrimPrefix(s[at:], "the ")
			if rest != "" && isUpperStart(rest) {
				out = append(out, at)
				break
			}
			j := strings.Index(s[at:min(len(s), at+60)], " to ")
			if j < 0 {
				break
			}
			at += j + 4
		}
	}
	return out
}

func plausibleProvider(name string, plural bool) bool {
	f := fold(name)
	if f == "" {
		return false
	}
	ws := strings.Fields(f)
	for _, w := range ws {
		if providerGeneric[w] {
			return false
		}
	}
	if isCap(name) && name[0] >= '0' && name[0] <= '9' {
		return false
	}
	if strings.Contains(name, " and ") || strings.Contains(name, " & ") || strings.Contains(name, ",") {
		left := strings.TrimSpace(strings.SplitN(strings.SplitN(name, " and ", 2)[0], ",", 2)[0])
		if plural || orgSuffix.MatchString(left) || strings.Contains(name, ",") {
			return false
		}
	}
	return true
}

func (x *extractor) contractDates(s document.Passage, award, pred bool, p pool) {
	ds := findDates(s.Text)
	used := map[int]bool{}
	for i := 0; i+1 < len(ds); i++ {
		a, b := ds[i], ds[i+1]
		mid := s.Text[a.End:b.Start]
		before := s.Text[max(0, a.Start-40):a.Start]
		isRange := rangeMid.MatchString(mid) || (betweenMid.MatchString(mid) && betweenWord.MatchString(before))
		if !isRange {
			continue
		}
		used[i], used[i+1] = true, true
		if pred && !award {
			p.add("predecessorEndDate", cand{key: b.Date, value: b.Date, start: s.Start + b.Start, end: s.Start + b.End, rule: "date-range-existing-contract"})
			continue
		}
		if !award || !x.nearContract(s.Text, a.Start) {
			continue
		}
		if endVerbs.MatchString(before) {
			// "from their original end date of D1 to D2": D1 ends the old term
			p.add("predecessorEndDate", cand{key: a.Date, value: a.Date, start: s.Start + a.Start, end: s.Start + a.End, rule: "date-range-old-end"})
			p.add("endDate", cand{key: b.Date, value: b.Date, start: s.Start + b.Start, end: s.Start + b.End, rule: "date-range-new-end"})
			continue
		}
		p.add("startDate", cand{key: a.Date, value: a.Date, start: s.Start + a.Start, end: s.Start + a.End, rule: "date-range-start"})
		p.add("endDate", cand{key: b.Date, value: b.Date, start: s.Start + b.Start, end: s.Start + b.End, rule: "date-range-end"})
	}
	for i, d := range ds {
		if used[i] || !x.nearContract(s.Text, d.Start) {
			continue
		}
		before := s.Text[max(0, d.Start-60):d.Start]
		abs := cand{key: d.Date, value: d.Date, start: s.Start + d.Start, end: s.Start + d.End}
		switch {
		case endVerbs.MatchString(before):
			clause := before
			if j := strings.LastIndexAny(clause, ",;"); j >= 0 {
				clause = clause[j+1:]
			}
			if newCue.MatchString(clause) && !predecessorCue.MatchString(clause) {
				abs.rule = "date-new-contract-ends"
				p.add("endDate", abs)
			} else if pred || strings.Contains(strings.ToLower(before), "due to") || !award {
				abs.rule = "date-existing-contract-ends"
				p.add("predecessorEndDate", abs)
			}
		case untilWords.MatchString(before):
			if award {
				abs.rule = "date-until"
				p.add("endDate", abs)
			} else if pred {
				abs.rule = "date-existing-until"
				p.add("predecessorEndDate", abs)
			}
		case startWords.MatchString(before):
			if award && !(pred && !newCue.MatchString(s.Text)) {
				abs.rule = "date-from"
				p.add("startDate", abs)
			}
		}
	}
}

// nearContract reports whether a contract word is within 120 bytes of i.
func (x *extractor) nearContract(s string, i int) bool {
	return nearContract.MatchString(s[max(0, i-120):min(len(s), i+120)])
}

var (
	extendBy = rx(`(?i)\bextend(?:s|ed|ing)?\b`)
	byPeriod = rx(`(?i)\bby\s+(?:a\s+further\s+|an\s+additional\s+)?` + numberPart + `(?:\s*\(\d+\))?\s+(months?|years?)\b`)
)

func (x *extractor) periods(s document.Passage, award, pred bool, p pool) {
	if pred && !award {
		return
	}
	// "extend the contract with X for the Y by 12 months"
	if loc := extendBy.FindStringIndex(s.Text); loc != nil {
		for _, m := range byPeriod.FindAllStringSubmatchIndex(s.Text, -1) {
			if m[0] < loc[1] || optionCue.MatchString(s.Text[max(0, m[0]-50):m[0]]) {
				continue
			}
			if n, ok := number(s.Text[m[2]:m[3]]); ok && n > 0 {
				unit := 12
				if strings.HasPrefix(strings.ToLower(s.Text[m[4]:m[5]]), "month") {
					unit = 1
				}
				p.add("durationMonths", cand{key: fmtValue(n * unit), value: n * unit, start: s.Start + m[0], end: s.Start + m[1], rule: "extend-by-period"})
			}
		}
	}
	for _, pm := range findPeriods(s.Text) {
		before := s.Text[max(0, pm.Start-50):pm.Start]
		if loc := lastMatch(optionCue, before); loc != nil {
			st := pm.Start - len(before) + loc[0]
			v := s.Text[st:pm.End]
			p.add("extensionOption", cand{key: fold(v), value: v, start: s.Start + st, end: s.Start + pm.End, rule: "option-to-extend"})
			continue
		}
		p.add("durationMonths", cand{key: fmtValue(pm.Months), value: pm.Months, start: s.Start + pm.Start, end: s.Start + pm.End, rule: "contract-period"})
		if pm.Option != "" {
			p.add("extensionOption", cand{key: fold(pm.Option), value: pm.Option, start: s.Start + pm.Start, end: s.Start + pm.End, rule: "period-plus-option"})
		}
	}
}

func lastMatch(re *regexp.Regexp, s string) []int {
	all := re.FindAllStringIndex(s, -1)
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1]
}

func (x *extractor) money(s document.Passage, p pool) {
	for _, mm := range findMoney(s.Text) {
		if mm.Bound != "" && mm.Bound != "up to" && mm.Bound != "maximum of" {
			continue
		}
		before := s.Text[max(0, mm.Start-60):mm.Start]
		after := s.Text[mm.End:min(len(s.Text), mm.End+30)]
		if moneyExclBefore.MatchString(before) || moneyExclAfter.MatchString(after) || moneyExclFar.MatchString(s.Text[max(0, mm.Start-120):mm.Start]) {
			continue
		}
		p.add("value", cand{key: fmtValue(mm.Value), value: mm.Value, start: s.Start + mm.Start, end: s.Start + mm.End, rule: "contract-value"})
		p.add("currency", cand{key: mm.Currency, value: mm.Currency, start: s.Start + mm.Start, end: s.Start + mm.End, rule: "currency-symbol"})
	}
}

var routeKeys = map[string][]string{
	"exemption": {"exempt"}, "waiver": {"waive"}, "direct award": {"direct"}, "open tender": {"open"},
	"framework call-off": {"call", "framework"},
}

func hasAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func (x *extractor) routes(s document.Passage, p pool) {
	future := futureCue.MatchString(s.Text)
	low := strings.ToLower(s.Text)
	for _, r := range routeRes {
		if !hasAny(low, routeKeys[r.route]) {
			continue
		}
		if future && (r.route == "open tender" || r.route == "framework call-off") {
			continue
		}
		for _, m := range r.re.FindAllStringIndex(s.Text, -1) {
			p.add("route", cand{key: r.route, value: r.route, start: s.Start + m[0], end: s.Start + m[1], rule: "route-" + strings.ReplaceAll(r.route, " ", "-")})
		}
	}
	for _, m := range extensionRouteRe.FindAllStringIndex(s.Text, -1) {
		// "with the option to extend the contract": an option, not this route
		if optionCue.MatchString(s.Text[max(0, m[0]-25):m[0]]) || strings.HasSuffix(strings.TrimSpace(s.Text[max(0, m[0]-20):m[0]]), "provision to") {
			continue
		}
		p.add("routeExtension", cand{key: "extension", value: "extension", start: s.Start + m[0], end: s.Start + m[1], rule: "route-extension"})
	}
}

// route picks the procurement route: one explicit route (exemption,
// waiver, direct award, open tender, framework) if the document names
// exactly one, else "extension" if it extends a contract.
func (x *extractor) route(p pool) (cand, bool) {
	if len(p["route"]) > 0 {
		return p.one("route")
	}
	return p.one("routeExtension")
}

// service finds the service's name: a capitalised name ending in
// "Service" ("Domestic Abuse Support Service"), else the words after
// "contract for the provision of".
func (x *extractor) service(p pool, sents []document.Passage) {
	var named []cand
	for _, s := range sents {
		for _, m := range namedService.FindAllStringSubmatchIndex(s.Text, -1) {
			plural := s.Text[m[2]:m[3]] == "Services"
			st := capChainBefore(s.Text[:m[0]], 8)
			if st >= m[0] {
				continue
			}
			if strings.HasPrefix(s.Text[st:], "The ") {
				st += 4
			}
			// "A Contract For The Provision Of Supported Housing Services":
			// in a Title Case heading the name starts after the last
			// capitalised function word.
			base := st
			for _, t := range words(s.Text[base:m[0]]) {
				switch t.s {
				case "Of", "For", "The", "To", "A", "An", "At", "With", "In", "On", "By", "From":
					st = base + t.end
				}
			}
			for st < m[0] && s.Text[st] == ' ' {
				st++
			}
			q := strings.Fields(s.Text[st:m[0]])
			if len(q) == 0 {
				continue
			}
			if postStop[q[0]] || q[0] == "Assistant" || q[0] == "Executive" || q[0] == "Corporate" || q[0] == "Strategic" {
				continue
			}
			allDept := true
			bad := false
			for _, w := range q {
				if postStop[w] || w == "Holder" || w == "Officer" {
					bad = true
				}
			}
			if bad {
				continue
			}
			for _, w := range q {
				if !serviceWords[w] {
					allDept = false
				}
			}
			if allDept {
				continue
			}
			pre := strings.Fields(s.Text[max(0, st-30):st])
			if n := len(pre); n >= 2 && (pre[n-1] == "of" || pre[n-1] == "for") && (postStop[pre[n-2]] || pre[n-2] == "Holder" || pre[n-2] == "Department" || pre[n-2] == "Directorate" || pre[n-2] == "Officer") {
				continue
			}
			if plural && !contractCue.MatchString(s.Text) {
				continue
			}
			// The service a contract is for: its subject ("The X Service
			// provided ..."), "contract for the X Service", "X Service
			// contract", or the title. A service named in passing is not.
			lead := strings.ToLower(strings.TrimRight(s.Text[max(0, st-30):st], " \u00a0"))
			after := strings.ToLower(strings.TrimLeft(s.Text[m[1]:min(len(s.Text), m[1]+12)], " \u00a0"))
			subject := strings.TrimSpace(s.Text[:st]) == "The" && serviceVerb.MatchString(s.Text[m[1]:])
			forIt := contractCue.MatchString(s.Text) && (strings.HasSuffix(lead, "for the") || strings.HasSuffix(lead, "for") || strings.HasSuffix(lead, "provision of the") || strings.HasSuffix(lead, "deliver the") || strings.HasSuffix(lead, "provide the"))
			if !subject && !forIt && !strings.HasPrefix(after, "contract") && !strings.Contains(x.doc.Title, s.Text[st:m[1]]) {
				continue
			}
			v := s.Text[st:m[1]]
			named = append(named, cand{key: fold(v), value: v, start: s.Start + st, end: s.Start + m[1], rule: "service-named"})
		}
	}
	if len(named) > 0 {
		// "Reablement Service" in a heading is the "Home First Reablement
		// Service" of the text: a shorter name inside a longer one is the same.
		for _, c := range named {
			inner := false
			for _, o := range named {
				if o.key != c.key && strings.HasSuffix(o.key, " "+c.key) {
					inner = true
					break
				}
			}
			if !inner {
				p.add("service", c)
			}
		}
		return
	}
	for _, s := range sents {
		for _, m := range lowerService.FindAllStringSubmatchIndex(s.Text, -1) {
			v := s.Text[m[2]:m[3]]
			p.add("service", cand{key: fold(v), value: v, start: s.Start + m[2], end: s.Start + m[3], rule: "service-contract-for-provision-of"})
		}
	}
}
