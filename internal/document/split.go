package document

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// fieldLine matches a labelled field: a short capitalised label, a colon,
// then the value on the same line ("Decision Maker: Cabinet").
var fieldLine = regexp.MustCompile(`^([A-Z][A-Za-z0-9 ,'’()/&?\-]{0,60}?[A-Za-z?)])\s*:[ \t]*(\S.*)?$`)

// knownLabels are labels that may stand alone on a line with the value on
// the next (as <dt>/<dd> pairs render).
var knownLabels = map[string]bool{
	"decision maker": true, "decision status": true, "is key decision?": true, "is subject to call in?": true,
	"purpose": true, "decision": true, "reasons for the decision": true, "alternative options considered": true,
	"publication date": true, "date of decision": true, "call-in deadline date": true, "decided at meeting": true,
	"date comes into force if not called in": true, "contact": true, "minutes": true, "effective from": true,
	"decision type": true, "key decision": true, "report author": true, "lead member": true, "wards affected": true,
	"reason for decision": true, "reasons for decision": true, "decision taker": true, "decision date": true,
}

var enumerator = regexp.MustCompile(`^[\s\x{00a0}]*(?:\(?[0-9]{1,3}[.)]|\(?[a-zA-Z][.)]|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)[.)]|[•·▪\-–*])[\s\x{00a0}]`)

func wordCount(s string) int { return len(strings.Fields(s)) }

type line struct {
	start, end int // byte offsets of the trimmed line
	text       string
}

// Split cuts text into passages: labelled fields and sentences, in order.
// A labelled field's value is also split into sentences, so prose under
// "Decision:" is searched like any other.
func Split(text string) []Passage {
	var out []Passage
	var run []line
	flush := func() {
		if len(run) > 0 {
			out = append(out, sentencesOf(text, run)...)
			run = run[:0]
		}
	}
	lines := linesOf(text)
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if l.text == "" {
			flush()
			continue
		}
		if m := fieldLine.FindStringSubmatchIndex(l.text); m != nil && wordCount(l.text[m[2]:m[3]]) <= 8 {
			label := l.text[m[2]:m[3]]
			if m[4] >= 0 {
				flush()
				p := Passage{Start: l.start, End: l.end, Text: l.text, Label: label, ValueStart: l.start + m[4]}
				out = append(out, p)
				// A label we do not know may be the start of a sentence
				// ("The decision is urgent: ..."), so the whole line is
				// split into sentences as well.
				vs := p.ValueStart
				if !knownLabels[strings.ToLower(label)] {
					vs = l.start
				}
				out = append(out, sentencesOf(text, []line{{start: vs, end: l.end, text: text[vs:l.end]}})...)
				continue
			}
			if knownLabels[strings.ToLower(label)] && i+1 < len(lines) && lines[i+1].text != "" {
				next := lines[i+1]
				if fieldLine.FindStringSubmatch(next.text) == nil || !knownLabels[strings.ToLower(strings.TrimSuffix(next.text, ":"))] {
					flush()
					out = append(out, Passage{Start: l.start, End: next.end, Text: text[l.start:next.end], Label: label, ValueStart: next.start})
					out = append(out, sentencesOf(text, []line{next})...)
					i++
					continue
				}
			}
		}
		run = append(run, l)
	}
	flush()
	return out
}

func linesOf(text string) []line {
	var out []line
	pos := 0
	for pos <= len(text) {
		nl := strings.IndexByte(text[pos:], '\n')
		end := len(text)
		if nl >= 0 {
			end = pos + nl
		}
		s, e := pos, end
		for s < e && isSpaceByte(text[s]) {
			s++
		}
		for e > s && isSpaceByte(text[e-1]) {
			e--
		}
		// trim a trailing non-breaking space too
		for e > s && strings.HasSuffix(text[s:e], "\u00a0") {
			e -= len("\u00a0")
		}
		out = append(out, line{start: s, end: e, text: text[s:e]})
		if nl < 0 {
			break
		}
		pos = end + 1
	}
	return out
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\f' || b == '\v' }

// sentencesOf splits a run of consecutive non-blank lines into sentences.
// Lines are joined when one wraps into the next (a PDF's lines); a line
// that ends a clause, or a next line that starts a list item, breaks.
func sentencesOf(text string, run []line) []Passage {
	var out []Passage
	segStart := run[0].start
	for i, l := range run {
		last := i == len(run)-1
		brk := last
		if !last {
			next := run[i+1]
			end := strings.TrimRight(l.text, "\"”’'")
			r, _ := utf8.DecodeRuneInString(next.text)
			short := len(l.text) < 50 && !unicode.IsLower(r)
			if end == "" || strings.ContainsAny(end[len(end)-1:], ".:;!?") || enumerator.MatchString(next.text) ||
				short || fieldLine.MatchString(next.text) {
				brk = true
			}
		}
		if brk {
			out = append(out, splitSentences(text, segStart, l.end)...)
			if !last {
				segStart = run[i+1].start
			}
		}
	}
	return out
}

var abbrevs = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "cllr": true, "prof": true, "st": true, "no": true,
	"nos": true, "para": true, "paras": true, "ref": true, "c": true, "ca": true, "approx": true, "cf": true,
	"vs": true, "e.g": true, "i.e": true, "eg": true, "ie": true, "cllrs": true, "rev": true, "hon": true,
}

// splitSentences splits text[start:end] at sentence ends.
func splitSentences(text string, start, end int) []Passage {
	var out []Passage
	emit := func(s, e int) {
		for s < e && spaceAt(text, s) > 0 {
			s += spaceAt(text, s)
		}
		for e > s {
			r, w := utf8.DecodeLastRuneInString(text[s:e])
			if !unicode.IsSpace(r) {
				break
			}
			e -= w
		}
		if s < e {
			out = append(out, Passage{Start: s, End: e, Text: text[s:e], ValueStart: s})
		}
	}
	s := start
	for i := start; i < end; i++ {
		c := text[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		// closing quotes and brackets belong to the sentence
		for j < end {
			r, w := utf8.DecodeRuneInString(text[j:])
			if r == '"' || r == '”' || r == '’' || r == '\'' || r == ')' {
				j += w
				continue
			}
			break
		}
		if j >= end {
			break
		}
		if spaceAt(text, j) == 0 {
			continue
		}
		k := j
		for k < end && spaceAt(text, k) > 0 {
			k += spaceAt(text, k)
		}
		if k >= end {
			break
		}
		r, _ := utf8.DecodeRuneInString(text[k:])
		if !(unicode.IsUpper(r) || unicode.IsDigit(r) || r == '"' || r == '“' || r == '‘' || r == '(' || r == '•' || r == '£') {
			continue
		}
		if c == '.' {
			w := lastWord(text[s:i])
			lw := strings.ToLower(w)
			if abbrevs[lw] || (len(w) == 1 && unicode.IsUpper(rune(w[0]))) {
				continue
			}
			if enumerator.MatchString(text[s:i+1]+" ") && wordCount(text[s:i]) <= 1 {
				continue
			}
		}
		emit(s, j)
		s = k
		i = k - 1
	}
	emit(s, end)
	return out
}

// spaceAt returns the byte width of the space rune at text[i], or 0.
func spaceAt(text string, i int) int {
	r, w := utf8.DecodeRuneInString(text[i:])
	if unicode.IsSpace(r) {
		return w
	}
	return 0
}

func lastWord(s string) string {
	s = strings.TrimRight(s, " \u00a0")
	i := strings.LastIndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '(' })
	return s[i+1:]
}
