package extract

import (
	"strings"

	"github.com/commissioning-graph/cgraph/internal/document"
)

var (
	committeeHead    = rx(`\b(Sub-Committee|Sub\s+Committee|Committee|Board|Panel)\b`)
	committeeGeneric = map[string]bool{"Select": true, "Scrutiny": true, "Overview": true, "Sub": true, "Joint": true, "Standing": true,
		"Policy": true, "Development": true, "Advisory": true, "Executive": true, "Main": true, "Relevant": true, "Appropriate": true,
		"Same": true, "and": true, "&": true, "The": true, "This": true, "That": true, "Each": true, "Any": true, "A": true, "Call-In": false,
		"Project": true, "Programme": true, "Partnership": true, "Management": true, "Editorial": true, "Selection": true, "Interview": true, "Appeals": true, "Evaluation": true, "Assessment": true}
	committeeCut = map[string]bool{"Chairman": true, "Chair": true, "Vice-Chairman": true, "Member": true, "Members": true, "Meeting": true,
		"Clerk": true, "Minutes": true, "Report": true, "Councillor": true, "Cllr": true, "Director": true}
)

// committees finds named committees, sub-committees, boards and panels.
// Cabinet and Council are bodies that decide, not committees, and a bare
// "the Sub-Committee" names nothing.
func (x *extractor) committees() {
	seen := map[string]bool{}
	for _, s := range x.all {
		for _, m := range committeeHead.FindAllStringIndex(s.Text, -1) {
			st := capChainBefore(s.Text[:m[0]], 10)
			if st >= m[0] {
				continue
			}
			v := s.Text[st:m[1]]
			// "Chairman of X Committee": the committee is X Committee
			if i := strings.Index(v, " of "); i >= 0 {
				if committeeCut[strings.Fields(v[:i])[len(strings.Fields(v[:i]))-1]] {
					st += i + 4
					if strings.HasPrefix(s.Text[st:], "the ") {
						st += 4
					}
				}
			}
			v = s.Text[st:m[1]]
			// a comma only belongs to a list that ends in "and"
			if j := strings.LastIndex(v, ","); j >= 0 && !strings.Contains(v[j:], " and ") {
				st += j + 1
				for st < m[1] && (s.Text[st] == ' ') {
					st++
				}
			}
			if strings.HasPrefix(s.Text[st:], "The ") {
				st += 4
			}
			// "the City Council's Scrutiny Panel": the council is not part of the name
			for _, poss := range []string{"Council’s ", "Council's ", "Authority’s ", "Authority's "} {
				if i := strings.LastIndex(s.Text[st:m[0]], poss); i >= 0 {
					st += i + len(poss)
				}
			}
			v = s.Text[st:m[1]]
			q := strings.Fields(s.Text[st:m[0]])
			if len(q) == 0 || committeeCut[q[0]] {
				continue
			}
			generic := true
			for _, w := range q {
				if !committeeGeneric[w] {
					generic = false
				}
			}
			if generic {
				continue
			}
			k := fold(v)
			if seen[k] {
				continue
			}
			seen[k] = true
			i := len(x.res.Facts.Committees)
			x.res.Facts.Committees = append(x.res.Facts.Committees, v)
			x.claim(pathf("committees[%d]", i), cand{value: v, start: s.Start + st, end: s.Start + m[1], rule: "committee-name"})
		}
	}
}

var (
	metricHedge   = rx(`(?i)(?:\b(?:over|more\s+than|approximately|approx\.?|around|about|up\s+to|nearly|almost|at\s+least|some|c\.|circa|target|aim|aims|will|would|expected|expect|projected|planned|capacity|fewer\s+than|less\s+than|under|from|between|of\s+the)\s+|[-–])$`)
	metricPlan    = rx(`(?i)\b(?:target|aim|aims|capacity|planned|projected|expected|expects|will|would|could|forecast|estimated|estimate)\b`)
	waitingRe     = rx(`(?i)\b(?:an?\s+(?:additional|further)\s+)?` + numberPart + `\s+(?:(?:more|other|further|children|young\s+people|people|families|adults|referrals|cases|individuals)\s+)?(?:(?:are|were|is|was|currently|remain|remaining)\s+)*(?:on|in)\s+(?:the|a)\s+waiting\s+list\b`)
	waitingOfRe   = rx(`(?i)\bwaiting\s+list\s+(?:for\s+[^,.;0-9]{1,40}?\s+)?(?:of|stands\s+at|stood\s+at|currently\s+stands\s+at|is\s+currently|was\s+currently|is|was)\s+` + numberPart + `\b`)
	supportedRe   = rx(`(?i)\b` + numberPart + `\s+(?:more\s+|additional\s+|new\s+|vulnerable\s+)?(children\s+and\s+young\s+people|children|young\s+people|young\s+persons|families|adults|people|individuals|women|survivors|households|service\s+users|clients|victims)\s+(?:\w+\s+){0,2}?(?:were\s+|are\s+|have\s+been\s+|had\s+been\s+|being\s+|currently\s+)?(supported|benefit(?:t)?ing|benefit(?:t)?ed|helped|accessing|receiving\s+support|received\s+support|using\s+the\s+service|worked\s+with|engaged\s+with\s+the\s+service|placed)\b`)
	supportedOfRe = rx(`(?i)\b(?:supported|helped|worked\s+with)\s+` + numberPart + `\s+(children\s+and\s+young\s+people|children|young\s+people|young\s+persons|families|adults|people|individuals|women|survivors|households|service\s+users|clients|victims)\b`)
	referralsRe   = rx(`(?i)\b` + numberPart + `\s+(?:new\s+)?referrals\s+(?:were\s+|had\s+been\s+|have\s+been\s+)?(?:received|made)\b`)
)

var supportWords = []string{"support", "benefit", "helped", "accessing", "receiving", "using the service", "worked with", "engaged", "placed"}

func metricKind(noun string) string {
	n := strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(noun, "\u00a0", " ")), " "))
	switch n {
	case "children", "young people", "young persons", "children and young people":
		return "children supported"
	case "families":
		return "families supported"
	case "households":
		return "households supported"
	case "adults":
		return "adults supported"
	}
	return "people supported"
}

// metrics finds counts: children or people supported, waiting lists,
// referrals. A hedged or planned count ("over 100", "will support 50") is
// not an observation and is left out.
func (x *extractor) metrics() {
	p := pool{}
	var order []string
	add := func(kind string, s document.Passage, m []int, numIdx int, rule string) {
		ns, ne := m[2*numIdx], m[2*numIdx+1]
		n, ok := number(x.text[ns:ne])
		if !ok || strings.EqualFold(x.text[ns:ne], "a") || strings.EqualFold(x.text[ns:ne], "an") {
			return
		}
		before := x.text[max(s.Start, m[0]-30):m[0]]
		if metricHedge.MatchString(before) || metricPlan.MatchString(x.text[max(s.Start, m[0]-40):m[0]]) || strings.HasPrefix(x.text[ne:min(len(x.text), ne+1)], "%") {
			return
		}
		if len(p[kind]) == 0 {
			order = append(order, kind)
		}
		p.add(kind, cand{key: fmtValue(n), value: float64(n), start: m[0], end: m[1], rule: rule})
	}
	x.eachIf([]string{"waiting list"}, waitingRe, func(s document.Passage, m []int) { add("waiting list", s, m, 1, "metric-on-waiting-list") })
	x.eachIf([]string{"waiting list"}, waitingOfRe, func(s document.Passage, m []int) { add("waiting list", s, m, 1, "metric-waiting-list-of") })
	x.eachIf(supportWords, supportedRe, func(s document.Passage, m []int) {
		k := metricKind(x.text[m[4]:m[5]])
		if strings.EqualFold(x.text[m[6]:m[7]], "placed") {
			if k != "children supported" {
				return
			}
			k = "children placed"
		}
		add(k, s, m, 1, "metric-supported")
	})
	x.eachIf(supportWords, supportedOfRe, func(s document.Passage, m []int) {
		add(metricKind(x.text[m[4]:m[5]]), s, m, 1, "metric-supported-n")
	})
	x.eachIf([]string{"referral"}, referralsRe, func(s document.Passage, m []int) { add("referrals", s, m, 1, "metric-referrals") })
	sortKinds(order, p)
	for _, k := range order {
		c, ok := p.one(k)
		if !ok {
			continue
		}
		i := len(x.res.Facts.Metrics)
		x.res.Facts.Metrics = append(x.res.Facts.Metrics, Metric{Kind: k, Value: c.value.(float64)})
		x.claim(pathf("metrics[%d].value", i), c)
		kind := c
		kind.value = k
		x.claim(pathf("metrics[%d].kind", i), kind)
	}
}

// sortKinds orders metric kinds by where they first occur.
func sortKinds(order []string, p pool) {
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && p[order[j]][0].start < p[order[j-1]][0].start; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
}

var (
	inspectorateRe = rx(`\b(Ofsted|OFSTED|CQC|Care\s+Quality\s+Commission|HMICFRS|HM\s+Inspectorate\s+of\s+Probation|HMI\s+Probation|HMIP)\b`)
	inspectCue     = rx(`(?i)\b(?:inspection|inspected|visit|monitoring|rated|judged|graded|rating|judgement|JTAI|report)\b`)
	findingThat    = rx(`(?i)\b(?:highlighted|found|concluded|noted|identified|judged|stated|observed|reported|recognised|commented)\s+that\s+`)
	gradeRe        = rx(`\b(?i:rated|judged|graded|assessed)\s+(?:\S+\s+){0,4}?(?:as\s+)?(?:being\s+)?['"“‘]?(Outstanding|Good|Requires\s+[Ii]mprovement(?:\s+to\s+be\s+[Gg]ood)?|Inadequate)\b`)
)

func inspectorateName(s string) string {
	switch strings.ToLower(strings.Join(strings.Fields(s), " ")) {
	case "ofsted":
		return "Ofsted"
	case "cqc", "care quality commission":
		return "CQC"
	case "hmicfrs":
		return "HMICFRS"
	case "hm inspectorate of probation", "hmi probation", "hmip":
		return "HMI Probation"
	}
	return s
}

// inspections finds an inspectorate's finding stated in the same sentence
// ("the recent Ofsted monitoring visit ... highlighted that ...", "rated
// Good by Ofsted"). A mention of an inspectorate with no finding is not an
// inspection.
func (x *extractor) inspections() {
	seen := map[string]bool{}
	for _, s := range x.sents {
		ins := inspectorateRe.FindStringSubmatchIndex(s.Text)
		if ins == nil || !inspectCue.MatchString(s.Text) {
			continue
		}
		if len(inspectorateRe.FindAllString(s.Text, -1)) > 1 {
			names := map[string]bool{}
			for _, n := range inspectorateRe.FindAllString(s.Text, -1) {
				names[inspectorateName(n)] = true
			}
			if len(names) > 1 {
				continue
			}
		}
		var fs, fe int
		rule := ""
		if g := gradeRe.FindStringSubmatchIndex(s.Text); g != nil {
			fs, fe, rule = g[2], g[3], "inspection-grade"
		} else if t := findingThat.FindStringIndex(s.Text); t != nil && t[0] > ins[0] {
			fs, fe, rule = t[1], len(strings.TrimRight(s.Text, ". ")), "inspection-found-that"
		} else {
			continue
		}
		if fe <= fs {
			continue
		}
		name := inspectorateName(s.Text[ins[2]:ins[3]])
		finding := s.Text[fs:fe]
		k := name + "|" + fold(finding)
		if seen[k] {
			continue
		}
		seen[k] = true
		i := len(x.res.Facts.Inspections)
		x.res.Facts.Inspections = append(x.res.Facts.Inspections, Inspection{Inspectorate: name, Finding: finding})
		x.claim(pathf("inspections[%d].inspectorate", i), cand{value: name, start: s.Start + ins[2], end: s.Start + ins[3], rule: "inspectorate-name"})
		x.claim(pathf("inspections[%d].finding", i), cand{value: finding, start: s.Start + fs, end: s.Start + fe, rule: rule})
	}
}

var (
	reviewOf     = rx(`(?i)\b(?:a|the)\s+((?:(?:comprehensive|full|independent|fundamental|strategic|formal|wider|thorough|detailed|joint|rapid|external|internal|peer|thematic|service|commissioning)\s+)?review\s+of\s+(?:the\s+)?)`)
	reviewNouns  = map[string]bool{"model": true, "service": true, "services": true, "provision": true, "arrangements": true, "offer": true, "pathway": true, "strategy": true, "policy": true, "function": true}
	reviewNamed  = rx(`\bReview\b`)
	reviewBody   = map[string]bool{"Group": true, "Panel": true, "Board": true, "Committee": true, "Sub-Committee": true, "Team": true, "Meeting": true, "group": true, "panel": true}
	reviewNotQua = map[string]bool{"Annual": true, "Judicial": true, "Mid": true, "Year": true, "Interim": true, "Final": true, "This": true, "The": true, "Independent": true, "Budget": true, "Call-In": true, "Case": true, "Serious": true, "Safeguarding": true, "Practice": true}
)

// reviews finds named reviews: "a comprehensive review of the Service
// model", "the Atlas Team review", "the Domestic Abuse Services Review".
func (x *extractor) reviews() {
	seen := map[string]bool{}
	addRev := func(st, en int, rule string) {
		v := x.text[st:en]
		k := fold(v)
		if seen[k] {
			return
		}
		seen[k] = true
		i := len(x.res.Facts.Reviews)
		x.res.Facts.Reviews = append(x.res.Facts.Reviews, v)
		x.claim(pathf("reviews[%d]", i), cand{value: v, start: st, end: en, rule: rule})
	}
	for _, s := range x.sents {
		for _, m := range reviewOf.FindAllStringSubmatchIndex(s.Text, -1) {
			n := chainAfterStop(s.Text[m[1]:], 8)
			if n == 0 {
				continue
			}
			end := m[1] + n
			rest := s.Text[end:]
			if ws := strings.Fields(rest); len(ws) > 0 && reviewNouns[strings.TrimRight(ws[0], ".,;")] {
				end += strings.Index(rest, ws[0]) + len(strings.TrimRight(ws[0], ".,;"))
			}
			addRev(s.Start+m[2], s.Start+end, "review-of")
		}
		for _, m := range reviewNamed.FindAllStringIndex(s.Text, -1) {
			// "the Domestic Abuse Review Group" is a group, not a review
			if next := strings.Fields(s.Text[m[1]:]); len(next) > 0 && reviewBody[strings.TrimRight(next[0], ".,;:")] {
				continue
			}
			st := capChainBefore(s.Text[:m[0]], 8)
			if st >= m[0] {
				continue
			}
			if strings.HasPrefix(s.Text[st:], "The ") {
				st += 4
			}
			q := strings.Fields(s.Text[st:m[0]])
			if len(q) == 0 || (len(q) == 1 && reviewNotQua[q[0]]) || postStop[q[0]] {
				continue
			}
			addRev(s.Start+st, s.Start+m[1], "review-named")
		}
	}
}
