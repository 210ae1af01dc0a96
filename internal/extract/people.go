package extract

import (
	"regexp"
	"strings"
)

// postSpan is a post title found in a sentence, offsets relative to it.
type postSpan struct {
	start, end int
	exec       bool // an executive post that takes decisions
}

var (
	// Posts written head first: "Portfolio Holder for Education".
	postHeadFirst = rx(`\b(?:(?:Interim|Acting|Deputy|Assistant|Executive|Corporate|Strategic|Service|Programme|Operational|Joint|Vice)[\s-]+)*(Portfolio\s+Holder\s+for|Cabinet\s+Member\s+(?:with\s+responsibility\s+)?for|Executive\s+Member\s+for|Lead\s+Member\s+for|Director\s+(?:of|for)|Director\s*[-–]|Head\s+of|Chairman\s+of|Chair\s+of|Chairperson\s+of|Vice[\s-]Chairman\s+of|Leader\s+of)\s+(?:the\s+)?`)
	// Posts written head last: "Education Portfolio Holder".
	postHeadLast = rx(`\b(Portfolio\s+Holder|Cabinet\s+Member|Executive\s+Member)\b`)
	// Posts that stand alone.
	postAlone = rx(`\b(Chief\s+Executive|Monitoring\s+Officer|Section\s+151\s+Officer|Leader\s+of\s+the\s+Council|Deputy\s+Leader\s+of\s+the\s+Council)\b`)
)

// postStop are words a post's name never runs into: they start another
// post or a person.
var postStop = map[string]bool{"Director": true, "Councillor": true, "Cllr": true, "Chairman": true, "Chair": true,
	"Portfolio": true, "Head": true, "Members": true, "Member": true, "Officers": true, "Cabinet": true, "Leader": true, "Mr": true, "Mrs": true, "Ms": true, "Dr": true, "I": true, "It": true, "He": true, "She": true, "They": true, "We": true,
	"Meeting": true, "Decision": true, "Decisions": true, "Monday": true, "Tuesday": true, "Wednesday": true, "Thursday": true, "Friday": true,
	"Saturday": true, "Sunday": true, "Report": true, "Minutes": true, "Agenda": true, "Item": true, "Appendix": true}

// titleCaseStop are function words that a Title Case heading capitalises
// ("Award Of Contract To X For Y"); inside a name they end it.
var titleCaseStop = map[string]bool{"For": true, "To": true, "From": true, "Until": true, "At": true, "With": true,
	"By": true, "In": true, "On": true, "Via": true, "Under": true, "Following": true}

// chainAfterStop is capChainAfter that stops at a post or person word.
func chainAfterStop(s string, maxWords int) int {
	ts := words(s)
	cut := len(s)
	for i, t := range ts {
		if i > 0 && (postStop[t.s] || titleCaseStop[t.s]) {
			cut = t.start
			break
		}
	}
	end := capChainAfter(s[:cut], maxWords)
	// "Aspiration, Children and Lifelong Learning and Hillary Brooks": a
	// second "and" after a list starts something else.
	if c := strings.Index(s[:end], ","); c >= 0 {
		if a := strings.Index(s[c:end], " and "); a >= 0 {
			if b := strings.Index(s[c+a+5:end], " and "); b >= 0 {
				end = c + a + 5 + b
			}
		}
	}
	// trim a trailing connector or comma
	v := strings.TrimRight(s[:end], " ,\u00a0")
	for _, c := range []string{" and", " of", " for", " the", " &", " -", " –"} {
		v = strings.TrimSuffix(v, c)
	}
	return len(v)
}

// findPosts finds post titles in s.
func findPosts(s string) []postSpan {
	var out []postSpan
	overlap := func(a, b int) bool {
		for _, p := range out {
			if a < p.end && b > p.start {
				return true
			}
		}
		return false
	}
	for _, m := range postHeadFirst.FindAllStringSubmatchIndex(s, -1) {
		n := chainAfterStop(s[m[1]:], 10)
		if n == 0 {
			continue
		}
		end := m[1] + n
		v := s[m[0]:end]
		if strings.HasSuffix(v, "’s") || strings.HasSuffix(v, "'s") {
			// "Director of Children’s services", written in lower case
			rest := s[end:]
			if strings.HasPrefix(rest, " services") {
				end += len(" services")
				v = s[m[0]:end]
			} else {
				continue
			}
		}
		head := strings.ToLower(s[m[2]:m[3]])
		exec := strings.HasPrefix(head, "portfolio") || strings.HasPrefix(head, "cabinet") || strings.HasPrefix(head, "executive member") || strings.HasPrefix(head, "lead member")
		if !overlap(m[0], end) {
			out = append(out, postSpan{m[0], end, exec})
		}
	}
	for _, m := range postHeadLast.FindAllStringSubmatchIndex(s, -1) {
		st := capChainBefore(s[:m[0]], 8)
		if st >= m[0] {
			continue
		}
		// leading "The" is not part of the title
		if strings.HasPrefix(s[st:], "The ") {
			st += 4
		}
		q := strings.TrimSpace(s[st:m[0]])
		if q == "" || postStop[strings.Fields(q)[0]] {
			continue
		}
		if !overlap(st, m[1]) {
			out = append(out, postSpan{st, m[1], true})
		}
	}
	for _, m := range postAlone.FindAllStringIndex(s, -1) {
		if !overlap(m[0], m[1]) {
			out = append(out, postSpan{m[0], m[1], false})
		}
	}
	sortSpans(out)
	return out
}

func sortSpans(p []postSpan) {
	for i := 1; i < len(p); i++ {
		for j := i; j > 0 && p[j].start < p[j-1].start; j-- {
			p[j], p[j-1] = p[j-1], p[j]
		}
	}
}

var (
	councillorRe = rx(`\b(?:Councillor|Cllr\.?)\s+((?:[A-Z]\.?\s+){0,3}(?:(?:[A-Z][’'][A-Z][a-z]+|[A-Z][a-z]+(?:[’'\-][A-Z]?[a-z]+)?)\s+){0,2}(?:[A-Z][’'][A-Z][a-z]+|[A-Z][a-z]+(?:[’'\-][A-Z][a-z]+)?))((?:\s+(?:JP|MBE|OBE|CBE|DL|MP|BEM|KC|QC))*)\b`)
	apposAfter   = rx(`^(?:,|\s+[–-])?\s*(?:the\s+|\()?`)
)

// nameStop are words that begin a title, not a name.
var nameStop = map[string]bool{"Children": true, "Children’s": true, "Children's": true, "Chairman": true, "Chair": true, "Vice": true,
	"Cabinet": true, "Portfolio": true, "Leader": true, "Deputy": true, "Mayor": true, "Member": true, "Executive": true,
	"Director": true, "Families": true, "Council": true, "Committee": true, "Lead": true, "Head": true, "Adult": true, "Adults": true,
	"Housing": true, "Education": true, "Health": true, "The": true, "Chief": true, "Corporate": true, "Strategic": true,
	"Assistant": true, "Community": true, "Finance": true, "Environment": true, "Planning": true, "Resources": true}

// nameEnd returns the length of the name at the start of s, cut before
// the first word that begins a title.
func nameEnd(s string) int {
	end := 0
	for _, t := range words(s) {
		if nameStop[t.s] {
			break
		}
		end = t.end
	}
	// a name ends in a full word, not an initial
	v := strings.TrimSpace(s[:end])
	if ws := strings.Fields(v); len(ws) == 0 || len(strings.TrimSuffix(ws[len(ws)-1], ".")) < 2 {
		return 0
	}
	return len(v)
}

type personCand struct {
	name, post             string
	ns, ne, ps, pe, qs, qe int
	rule                   string
}

// people finds councillors by name, the posts they hold where the sentence
// says so ("The Chairman of X, Councillor Y"; "Councillor Y, Cabinet
// Member for Z"), and posts named without a person.
func (x *extractor) people() {
	var persons []personCand
	type postC struct {
		key        string
		start, end int
	}
	var posts []postC
	attached := map[string]bool{}
	for _, s := range x.all {
		ps := findPosts(s.Text)
		used := map[int]bool{}
		for _, m := range councillorRe.FindAllStringSubmatchIndex(s.Text, -1) {
			if strings.HasPrefix(s.Text[m[0]:], "Councillors") {
				continue
			}
			// "Councillor Rachel Bailey Children and Families Portfolio
			// Holder": the name stops before a word of a title.
			m[3] = m[2] + nameEnd(s.Text[m[2]:m[3]])
			if m[3] == m[2] {
				continue
			}
			if m[1] < m[3] {
				m[1] = m[3]
			}
			name := s.Text[m[2]:m[3]]
			pc := personCand{name: name, ns: s.Start + m[2], ne: s.Start + m[3], qs: s.Start + m[0], qe: s.Start + m[1], rule: "councillor-name"}
			for i, p := range ps {
				// "POST, Councillor NAME"
				between := s.Text[min(p.end, m[0]):m[0]]
				if p.end <= m[0] && strings.TrimSpace(strings.Trim(between, " ,\u00a0")) == "" && strings.Contains(between, ",") {
					pc.post, pc.ps, pc.pe, pc.rule = s.Text[p.start:p.end], s.Start+p.start, s.Start+p.end, "post-comma-councillor"
					used[i] = true
					break
				}
				// "Councillor NAME, the POST" or "Councillor NAME (POST)"
				if p.start >= m[1] {
					gap := s.Text[m[1]:p.start]
					if loc := apposAfter.FindStringIndex(gap); loc != nil && loc[1] == len(gap) && (strings.HasPrefix(gap, ",") || strings.HasPrefix(strings.TrimSpace(gap), "(") || strings.HasPrefix(strings.TrimSpace(gap), "–") || strings.HasPrefix(strings.TrimSpace(gap), "-")) {
						pc.post, pc.ps, pc.pe, pc.rule = s.Text[p.start:p.end], s.Start+p.start, s.Start+p.end, "councillor-comma-post"
						used[i] = true
						break
					}
				}
			}
			persons = append(persons, pc)
		}
		for i, p := range ps {
			v := s.Text[p.start:p.end]
			if used[i] {
				attached[postKey(v)] = true
				continue
			}
			posts = append(posts, postC{foldPost(v), s.Start + p.start, s.Start + p.end})
		}
	}
	// merge people by name; "Councillor Bennett" joins "Nicholas Bennett"
	type merged struct {
		pc    personCand
		posts map[string]bool
	}
	var ms []*merged
	find := func(name string) *merged {
		fn := fold(name)
		for _, m := range ms {
			fm := fold(m.pc.name)
			if fm == fn || strings.HasSuffix(fm, " "+fn) || strings.HasSuffix(fn, " "+fm) {
				return m
			}
		}
		return nil
	}
	for _, pc := range persons {
		m := find(pc.name)
		if m == nil {
			m = &merged{pc: pc, posts: map[string]bool{}}
			ms = append(ms, m)
		} else if len(pc.name) > len(m.pc.name) {
			post, ps, pe := m.pc.post, m.pc.ps, m.pc.pe
			m.pc = pc
			if m.pc.post == "" {
				m.pc.post, m.pc.ps, m.pc.pe = post, ps, pe
			}
		} else if m.pc.post == "" && pc.post != "" {
			m.pc.post, m.pc.ps, m.pc.pe, m.pc.rule = pc.post, pc.ps, pc.pe, pc.rule
		}
		if pc.post != "" {
			m.posts[foldPost(pc.post)] = true
		}
	}
	f := &x.res.Facts
	for _, m := range ms {
		i := len(f.People)
		pr := Person{Name: m.pc.name}
		f.People = append(f.People, pr)
		x.claim(pathf("people[%d].name", i), cand{value: m.pc.name, start: m.pc.ns, end: m.pc.ne, rule: "councillor-name"})
		if m.pc.post != "" && len(m.posts) == 1 {
			f.People[i].Post = m.pc.post
			x.claim(pathf("people[%d].post", i), cand{value: m.pc.post, start: m.pc.ps, end: m.pc.pe, rule: m.pc.rule})
		}
	}
	seen := map[string]bool{}
	for _, p := range posts {
		k := postKey(x.text[p.start:p.end])
		if seen[k] || attached[k] {
			continue
		}
		seen[k] = true
		i := len(f.People)
		v := x.text[p.start:p.end]
		f.People = append(f.People, Person{Post: v})
		x.claim(pathf("people[%d].post", i), cand{value: v, start: p.start, end: p.end, rule: "post-title"})
	}
}

var trailingAcronym = regexp.MustCompile(`\s*\([A-Z0-9&]{2,8}\)$`)

// postKey identifies a post for de-duplication: "Director of Programmes
// (ECHS)" and "Director of Programmes" are one post.
func postKey(v string) string { return foldPost(trailingAcronym.ReplaceAllString(v, "")) }
