package extract

import (
	"strings"

	"github.com/commissioning-graph/cgraph/internal/document"
)

func yesNo(s string) (bool, bool) {
	s = strings.ToLower(strings.TrimSpace(strings.TrimRight(s, ". ")))
	switch s {
	case "yes", "y", "true":
		return true, true
	case "no", "n", "false":
		return false, true
	}
	return false, false
}

var (
	callInWaivedRe = rx(`(?i)\bcall[\s-]?in["”’']?\s+(?:provisions?\s+|procedures?\s+|process\s+|period\s+|arrangements\s+)?(?:should\s+|would\s+|will\s+|shall\s+|to\s+|was\s+to\s+)?(?:be\s+|being\s+|was\s+|were\s+|has\s+been\s+|had\s+been\s+|is\s+|are\s+)?waived\b|\bwaive(?:d|s)?\s+(?:the\s+)?["“‘]?call[\s-]?in\b|\bwaiver\s+of\s+(?:the\s+)?["“‘]?call[\s-]?in\b|\bexempt(?:ed)?\s+from\s+(?:the\s+)?call[\s-]?in\b`)
	urgentRe       = rx(`(?i)\burgent\s+decision\b|\bgrounds\s+of\s+urgency\b|\b(?:special\s+)?urgency\s+(?:provisions?|procedures?|rules?)\b|\btreated\s+as\s+(?:an?\s+)?(?:matter\s+of\s+)?urgen(?:t|cy)\b|\bdecision\s+(?:is|was)\s+urgent\b`)
	makerProseRe   = rx(`(?i)\bdecision\s+(?:for|by|of)\s+the\s+`)
	makerResolved  = rx(`\b(?:RESOLVED|Resolved|AGREED)\s*(?:that|THAT|:|–|-|—)?\s*(?:the\s+)?(Mayor\s+and\s+Cabinet|Executive\s+Cabinet|Cabinet|Executive)\s+(?:agree|approve|authorise|authorize|note|endorse|delegate|resolve)`)
	iAgree         = rx(`^,?\s*I\s+(?:agree|approve|have\s+decided|authorise|authorize|resolve)\b`)
	negationBefore = rx(`(?i)\b(?:not|no|never)\s+(?:\w+\s+){0,2}$`)
)

func (x *extractor) decision() {
	p := pool{}
	for _, f := range x.fields {
		label := strings.ToLower(strings.TrimSpace(f.Label))
		vs, ve := x.trimSpan(f.ValueStart, f.End)
		if vs >= ve {
			continue
		}
		val := x.text[vs:ve]
		switch label {
		case "decision maker", "decision-maker", "decision taker", "decision taken by":
			p.add("maker", cand{key: fold(val), value: val, start: vs, end: ve, rule: "field-decision-maker"})
		case "date of decision", "decision date", "date decision taken", "date of decision taken":
			if d, ok := firstDate(val); ok {
				p.add("date", cand{key: d, value: d, start: vs, end: ve, rule: "field-date-of-decision"})
			}
		case "decision status", "status":
			p.add("status", cand{key: fold(val), value: val, start: vs, end: ve, rule: "field-decision-status"})
		case "is key decision?", "is key decision", "key decision", "key decision?":
			if b, ok := yesNo(val); ok {
				p.add("keyDecision", cand{key: fmtValue(b), value: b, start: f.Start, end: ve, rule: "field-key-decision"})
			}
		case "decision type":
			lv := strings.ToLower(val)
			if strings.HasPrefix(lv, "non-key") || strings.HasPrefix(lv, "non key") {
				p.add("keyDecision", cand{key: "false", value: false, start: f.Start, end: ve, rule: "field-decision-type"})
			} else if strings.HasPrefix(lv, "key") {
				p.add("keyDecision", cand{key: "true", value: true, start: f.Start, end: ve, rule: "field-decision-type"})
			}
		case "is callable in?", "is callable in", "is subject to call in?", "is subject to call-in?", "subject to call in", "subject to call-in", "is subject to call in", "subject to call-in?":
			if b, ok := yesNo(val); ok {
				p.add("subjectToCallIn", cand{key: fmtValue(b), value: b, start: f.Start, end: ve, rule: "field-subject-to-call-in"})
			}
		case "decided at meeting":
			p.add("meeting", cand{key: fold(val), value: val, start: vs, end: ve, rule: "field-decided-at-meeting"})
		}
	}
	// Prose: who decides, call-in waived, urgency.
	if len(p["maker"]) == 0 {
		for _, s := range x.sents {
			for _, m := range makerProseRe.FindAllStringIndex(s.Text, -1) {
				for _, post := range findPosts(s.Text) {
					if post.start == m[1] && post.exec {
						p.add("maker", cand{key: foldPost(s.Text[post.start:post.end]), value: s.Text[post.start:post.end], start: s.Start + post.start, end: s.Start + post.end, rule: "prose-decision-for-post"})
					}
				}
			}
		}
		// "As Cabinet Member for X, I agree to:"
		for _, s := range x.all {
			if !strings.HasPrefix(s.Text, "As ") {
				continue
			}
			for _, post := range findPosts(s.Text) {
				if (post.start == 3 || strings.HasPrefix(s.Text[3:], "the ") && post.start == 7) && post.exec && iAgree.MatchString(s.Text[post.end:]) {
					v := s.Text[post.start:post.end]
					p.add("maker", cand{key: foldPost(v), value: v, start: s.Start + post.start, end: s.Start + post.end, rule: "prose-as-post-i-agree"})
				}
			}
		}
		x.each(makerResolved, func(s document.Passage, m []int) {
			v := x.text[m[2]:m[3]]
			p.add("maker", cand{key: foldPost(v), value: v, start: m[2], end: m[3], rule: "prose-resolved-body"})
		})
	}
	x.each(callInWaivedRe, func(s document.Passage, m []int) {
		if negationBefore.MatchString(x.text[max(s.Start, m[0]-30):m[0]]) || strings.Contains(strings.ToLower(x.text[m[0]:m[1]]), " not ") {
			return
		}
		p.add("callInWaived", cand{key: "true", value: true, start: m[0], end: m[1], rule: "prose-call-in-waived"})
	})
	x.each(urgentRe, func(s document.Passage, m []int) {
		before := x.text[max(s.Start, m[0]-30):m[0]]
		if negationBefore.MatchString(before) || strings.Contains(strings.ToLower(before), "non-") {
			return
		}
		p.add("urgent", cand{key: "true", value: true, start: m[0], end: m[1], rule: "prose-urgency"})
	})

	d := &Decision{}
	any := false
	set := func(field string, apply func(c cand)) {
		if c, ok := p.one(field); ok {
			apply(c)
			x.claim("decision."+field, c)
			any = true
		}
	}
	set("maker", func(c cand) { d.Maker = c.value.(string) })
	set("date", func(c cand) { d.Date = c.value.(string) })
	set("status", func(c cand) { d.Status = c.value.(string) })
	set("keyDecision", func(c cand) { b := c.value.(bool); d.KeyDecision = &b })
	set("subjectToCallIn", func(c cand) { b := c.value.(bool); d.SubjectToCallIn = &b })
	set("callInWaived", func(c cand) { b := c.value.(bool); d.CallInWaived = &b })
	set("urgent", func(c cand) { b := c.value.(bool); d.Urgent = &b })
	set("meeting", func(c cand) { d.Meeting = c.value.(string) })
	if any {
		x.res.Facts.Decision = d
	}
}

func firstDate(s string) (string, bool) {
	ds := findDates(s)
	if len(ds) == 0 {
		return "", false
	}
	return ds[0].Date, true
}
