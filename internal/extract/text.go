package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// connectors may join capitalised words inside a name or title.
var connectors = map[string]bool{"of": true, "and": true, "&": true, "for": true, "the": true, "in": true, "on": true, "de": true, "to": true}

func isCap(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// token is a word in text with its offsets.
type token struct {
	s          string
	start, end int
}

// words splits s into tokens: runs of letters, digits and ’'&.-, with a
// comma or parenthesis as its own token.
func words(s string) []token {
	var out []token
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += w
		case r == ',' || r == '(' || r == ')' || r == ';' || r == ':' || r == '“' || r == '”' || r == '"':
			out = append(out, token{s[i : i+w], i, i + w})
			i += w
		default:
			j := i
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if unicode.IsSpace(r2) || r2 == ',' || r2 == '(' || r2 == ')' || r2 == ';' || r2 == ':' || r2 == '“' || r2 == '”' || r2 == '"' {
					break
				}
				j += w2
			}
			out = append(out, token{s[i:j], i, j})
			i = j
		}
	}
	return out
}

// trimWord strips sentence punctuation from the end of a token's text.
func trimEnd(s string) string { return strings.TrimRight(s, ".;:!?") }

// capChainAfter reads a name starting at s[0:]: capitalised words, joined
// by connectors ("of", "and", ", ... and") only when a capitalised word
// follows. It returns the byte length of the name within s (0 if none).
func capChainAfter(s string, maxWords int) int {
	ts := words(s)
	end := 0
	n := 0
	for i := 0; i < len(ts) && n < maxWords; i++ {
		t := ts[i]
		w := t.s
		if isCap(w) {
			// a token ending a sentence ends the name
			if strings.HasSuffix(w, ".") && len(w) > 2 && !isInitial(w) {
				end = t.start + len(trimEnd(w))
				break
			}
			end = t.end
			n++
			continue
		}
		if (connectors[w] || w == ",") && i+1 < len(ts) && n > 0 {
			// ", X and Y": allow a comma only inside a list that ends in "and"
			if w == "," {
				if !listAhead(ts[i+1:]) {
					break
				}
				continue
			}
			if isUpperStart(ts[i+1].s) || (w == "of" && ts[i+1].s == "the" && i+2 < len(ts) && isCap(ts[i+2].s)) {
				continue
			}
		}
		if w == "(" && n > 0 {
			// a short parenthesised abbreviation: "Director of Programmes (ECHS)"
			if i+2 < len(ts) && ts[i+2].s == ")" && isAcronym(ts[i+1].s) {
				end = ts[i+2].end
				i += 2
				continue
			}
		}
		break
	}
	return end
}

func isInitial(w string) bool { return len(w) == 2 && w[1] == '.' && unicode.IsUpper(rune(w[0])) }

func isAcronym(w string) bool {
	if len(w) < 2 || len(w) > 8 {
		return false
	}
	for _, r := range w {
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) && r != '&' {
			return false
		}
	}
	return true
}

// listAhead reports whether tokens continue "X, Y and Z": capitalised
// words up to an "and" followed by a capitalised word, with no lowercase
// word before it.
func listAhead(ts []token) bool {
	for i, t := range ts {
		if i > 12 {
			return false
		}
		if t.s == "and" || t.s == "&" {
			return i > 0 && i+1 < len(ts) && isCap(ts[i+1].s)
		}
		if t.s == "," {
			continue
		}
		if !isCap(t.s) && !connectors[t.s] {
			return false
		}
	}
	return false
}

// capChainBefore reads a name that ends at s[len(s)] going backwards:
// capitalised words and connectors. It returns the byte offset in s where
// the name starts (len(s) if none).
func capChainBefore(s string, maxWords int) int {
	ts := words(s)
	start := len(s)
	n := 0
	for i := len(ts) - 1; i >= 0 && n < maxWords; i-- {
		w := ts[i].s
		if isCap(w) && !strings.HasSuffix(w, ".") && !(w[0] >= '0' && w[0] <= '9') {
			start = ts[i].start
			n++
			continue
		}
		if (connectors[w] || w == ",") && i > 0 && isCap(ts[i-1].s) && n > 0 && w != "the" && w != "to" {
			continue
		}
		break
	}
	return start
}

// fold normalises a name or title for comparison: case, punctuation,
// apostrophes, and words like "the" or "Limited" do not count.
func fold(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("’", "", "'", "", "‘", "", "&", " and ", "–", " ", "-", " ").Replace(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		} else {
			b.WriteRune(' ')
		}
	}
	var out []string
	for _, w := range strings.Fields(b.String()) {
		switch w {
		case "the", "limited", "ltd", "plc", "llp", "cic", "a", "an", "uk":
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// foldPost normalises a post title so that "Education Portfolio Holder"
// and "Portfolio Holder for Education" compare equal.
func foldPost(s string) string {
	f := fold(s)
	for _, head := range []string{"portfolio holder", "cabinet member", "executive member", "lead member"} {
		if strings.HasSuffix(f, " "+head) {
			return head + " for " + strings.TrimSuffix(f, " "+head)
		}
		if strings.HasPrefix(f, head+" with responsibility for ") {
			return head + " for " + strings.TrimPrefix(f, head+" with responsibility for ")
		}
	}
	f = strings.Replace(f, "chairman ", "chair ", 1)
	f = strings.Replace(f, "chairperson ", "chair ", 1)
	if strings.HasPrefix(f, "chairman") {
		f = "chair" + strings.TrimPrefix(f, "chairman")
	}
	return f
}

func isUpperStart(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}
