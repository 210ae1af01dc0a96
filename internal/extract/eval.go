package extract

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/document"
)

// Score counts agreements for one field: true positives (extracted and
// labelled alike), false positives (extracted, not labelled or labelled
// otherwise) and false negatives (labelled, not extracted alike).
type Score struct {
	TP int `json:"tp"`
	FP int `json:"fp"`
	FN int `json:"fn"`
}

// Precision is TP/(TP+FP), 1 when nothing was extracted.
func (s Score) Precision() float64 {
	if s.TP+s.FP == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.TP+s.FP)
}

// Recall is TP/(TP+FN), 1 when nothing was labelled.
func (s Score) Recall() float64 {
	if s.TP+s.FN == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.TP+s.FN)
}

func (s *Score) add(o Score) { s.TP += o.TP; s.FP += o.FP; s.FN += o.FN }

// Report is the outcome of scoring a labelled set.
type Report struct {
	Docs    int               `json:"docs"`
	Fields  map[string]*Score `json:"fields"`
	Overall Score             `json:"overall"`
	// BadQuotes lists extracted quotes that are not verbatim in the text.
	BadQuotes []string `json:"badQuotes,omitempty"`
	// BadLabelQuotes lists labelled quotes that are not verbatim.
	BadLabelQuotes []string `json:"badLabelQuotes,omitempty"`
	// Misses lists, per document, the disagreements, for reading.
	Misses []string `json:"misses,omitempty"`
}

// QuotesVerbatim reports whether every extracted quote is in its text.
func (r *Report) QuotesVerbatim() bool { return len(r.BadQuotes) == 0 }

func (r *Report) tally(doc, field string, s Score, got, want string) {
	if r.Fields == nil {
		r.Fields = map[string]*Score{}
	}
	if r.Fields[field] == nil {
		r.Fields[field] = &Score{}
	}
	r.Fields[field].add(s)
	r.Overall.add(s)
	if s.FP > 0 || s.FN > 0 {
		r.Misses = append(r.Misses, fmt.Sprintf("%s %s: got %q want %q", doc, field, got, want))
	}
}

// Eval reads every NAME.txt (or .html) in dir that has a NAME.json beside
// it, extracts its facts and scores them against the label.
func Eval(dir string, opts document.Options) (*Report, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, cg.Errorf(cg.EINVALID, "read labelled set: %v", err)
	}
	r := &Report{Fields: map[string]*Score{}}
	for _, e := range ents {
		ext := filepath.Ext(e.Name())
		if e.IsDir() || (ext != ".txt" && ext != ".html" && ext != ".htm") {
			continue
		}
		base := strings.TrimSuffix(e.Name(), ext)
		lb, err := os.ReadFile(filepath.Join(dir, base+".json"))
		if err != nil {
			continue
		}
		var want Facts
		if err := json.Unmarshal(lb, &want); err != nil {
			return nil, cg.Errorf(cg.EINVALID, "label %s.json: %v", base, err)
		}
		doc, err := document.ReadFile(filepath.Join(dir, e.Name()), opts)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", e.Name(), err)
		}
		res := Extract(doc)
		r.Docs++
		r.BadQuotes = append(r.BadQuotes, CheckQuotes(base, doc.Text, res.Facts.Quotes, res.Claims)...)
		r.BadLabelQuotes = append(r.BadLabelQuotes, CheckQuotes(base, doc.Text, want.Quotes, nil)...)
		Compare(base, res.Facts, want, r)
	}
	sort.Strings(r.BadQuotes)
	return r, nil
}

// CheckQuotes lists the quotes that are not verbatim in text, and the
// claims whose offsets do not give back their quote.
func CheckQuotes(doc, text string, quotes map[string]string, claims []Claim) []string {
	var bad []string
	for field, q := range quotes {
		if q == "" || !strings.Contains(text, q) {
			bad = append(bad, doc+" "+field+": "+strconv.Quote(q))
		}
	}
	for _, c := range claims {
		if c.Start < 0 || c.End > len(text) || c.Start > c.End || text[c.Start:c.End] != c.Quote {
			bad = append(bad, doc+" "+c.Field+" offsets: "+strconv.Quote(c.Quote))
		}
	}
	sort.Strings(bad)
	return bad
}

// kinds of comparison
const (
	cmpExact = iota
	cmpName
	cmpPost
)

func norm(v string, how int) string {
	switch how {
	case cmpName:
		return fold(v)
	case cmpPost:
		return foldPost(v)
	}
	return strings.TrimSpace(v)
}

func (r *Report) scalar(doc, field, got, want string, how int) {
	g, w := norm(got, how), norm(want, how)
	var s Score
	switch {
	case g != "" && g == w:
		s.TP = 1
	default:
		if g != "" {
			s.FP = 1
		}
		if w != "" {
			s.FN = 1
		}
	}
	if s != (Score{}) {
		r.tally(doc, field, s, got, want)
	}
}

func bstr(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

func istr(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func fstr(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// item is a list element as field name → (value, comparison).
type item map[string][2]string

func contractItem(c Contract) item {
	return item{
		"provider": {c.Provider, "n"}, "service": {c.Service, "n"}, "startDate": {c.StartDate, "e"},
		"endDate": {c.EndDate, "e"}, "durationMonths": {istr(c.DurationMonths), "e"}, "value": {fstr(c.Value), "e"},
		"currency": {c.Currency, "e"}, "procurementRoute": {c.ProcurementRoute, "n"}, "extensionOption": {c.ExtensionOption, "n"},
		"predecessorEndDate": {c.PredecessorEndDate, "e"},
	}
}

func howOf(s string) int {
	switch s {
	case "n":
		return cmpName
	case "p":
		return cmpPost
	}
	return cmpExact
}

func agree(a, b item) int {
	n := 0
	for k, v := range a {
		w := b[k]
		if v[0] != "" && norm(v[0], howOf(v[1])) == norm(w[0], howOf(v[1])) {
			n++
		}
	}
	return n
}

// items scores two lists of items matched one to one, greedily by how
// many fields agree.
func (r *Report) items(doc, prefix string, got, want []item) {
	usedG, usedW := map[int]bool{}, map[int]bool{}
	type pair struct{ g, w, n int }
	var pairs []pair
	for i, g := range got {
		for j, w := range want {
			if n := agree(g, w); n > 0 {
				pairs = append(pairs, pair{i, j, n})
			}
		}
	}
	sort.SliceStable(pairs, func(a, b int) bool { return pairs[a].n > pairs[b].n })
	for _, p := range pairs {
		if usedG[p.g] || usedW[p.w] {
			continue
		}
		usedG[p.g], usedW[p.w] = true, true
		keys := map[string]bool{}
		for k := range got[p.g] {
			keys[k] = true
		}
		for k := range want[p.w] {
			keys[k] = true
		}
		for _, k := range sortedKeys(keys) {
			how := got[p.g][k][1]
			if how == "" {
				how = want[p.w][k][1]
			}
			r.scalar(doc, prefix+"."+k, got[p.g][k][0], want[p.w][k][0], howOf(how))
		}
	}
	for i, g := range got {
		if !usedG[i] {
			for _, k := range sortedItemKeys(g) {
				r.scalar(doc, prefix+"."+k, g[k][0], "", cmpExact)
			}
		}
	}
	for j, w := range want {
		if !usedW[j] {
			for _, k := range sortedItemKeys(w) {
				r.scalar(doc, prefix+"."+k, "", w[k][0], cmpExact)
			}
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedItemKeys(m item) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func stringItems(xs []string) []item {
	var out []item
	for _, x := range xs {
		out = append(out, item{"name": {x, "n"}})
	}
	return out
}

// Compare scores got against want for one document and adds the counts
// to r. The URL is given, not extracted, so it is not scored.
func Compare(doc string, got, want Facts, r *Report) {
	r.scalar(doc, "authority", got.Authority, want.Authority, cmpName)
	r.scalar(doc, "documentKind", got.DocumentKind, want.DocumentKind, cmpExact)
	gd, wd := got.Decision, want.Decision
	if gd == nil {
		gd = &Decision{}
	}
	if wd == nil {
		wd = &Decision{}
	}
	r.scalar(doc, "decision.maker", gd.Maker, wd.Maker, cmpPost)
	r.scalar(doc, "decision.date", gd.Date, wd.Date, cmpExact)
	r.scalar(doc, "decision.status", gd.Status, wd.Status, cmpName)
	r.scalar(doc, "decision.keyDecision", bstr(gd.KeyDecision), bstr(wd.KeyDecision), cmpExact)
	r.scalar(doc, "decision.subjectToCallIn", bstr(gd.SubjectToCallIn), bstr(wd.SubjectToCallIn), cmpExact)
	r.scalar(doc, "decision.callInWaived", bstr(gd.CallInWaived), bstr(wd.CallInWaived), cmpExact)
	r.scalar(doc, "decision.urgent", bstr(gd.Urgent), bstr(wd.Urgent), cmpExact)
	r.scalar(doc, "decision.meeting", gd.Meeting, wd.Meeting, cmpName)

	var gc, wc []item
	for _, c := range got.Contracts {
		gc = append(gc, contractItem(c))
	}
	for _, c := range want.Contracts {
		wc = append(wc, contractItem(c))
	}
	r.items(doc, "contracts", gc, wc)

	var gp, wp []item
	for _, p := range got.People {
		gp = append(gp, item{"name": {p.Name, "n"}, "post": {p.Post, "p"}})
	}
	for _, p := range want.People {
		wp = append(wp, item{"name": {p.Name, "n"}, "post": {p.Post, "p"}})
	}
	r.items(doc, "people", gp, wp)

	r.items(doc, "committees", stringItems(got.Committees), stringItems(want.Committees))
	r.items(doc, "reviews", stringItems(got.Reviews), stringItems(want.Reviews))

	var gm, wm []item
	for _, m := range got.Metrics {
		gm = append(gm, item{"item": {fold(m.Kind) + "=" + strconv.FormatFloat(m.Value, 'f', -1, 64), "e"}})
	}
	for _, m := range want.Metrics {
		wm = append(wm, item{"item": {fold(m.Kind) + "=" + strconv.FormatFloat(m.Value, 'f', -1, 64), "e"}})
	}
	r.items(doc, "metrics", gm, wm)

	var gi, wi []item
	for _, i := range got.Inspections {
		gi = append(gi, item{"inspectorate": {i.Inspectorate, "n"}, "finding": {i.Finding, "n"}})
	}
	for _, i := range want.Inspections {
		wi = append(wi, item{"inspectorate": {i.Inspectorate, "n"}, "finding": {i.Finding, "n"}})
	}
	r.items(doc, "inspections", gi, wi)
}

// Write prints the report: one line per field with precision and recall,
// the overall figures, and whether every quote is verbatim.
func (r *Report) Write(w io.Writer) {
	fmt.Fprintf(w, "%-32s %5s %5s %5s %9s %7s\n", "field", "tp", "fp", "fn", "precision", "recall")
	var keys []string
	for k := range r.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s := r.Fields[k]
		fmt.Fprintf(w, "%-32s %5d %5d %5d %9.3f %7.3f\n", k, s.TP, s.FP, s.FN, s.Precision(), s.Recall())
	}
	fmt.Fprintf(w, "%-32s %5d %5d %5d %9.3f %7.3f\n", "OVERALL", r.Overall.TP, r.Overall.FP, r.Overall.FN, r.Overall.Precision(), r.Overall.Recall())
	fmt.Fprintf(w, "documents: %d\n", r.Docs)
	if r.QuotesVerbatim() {
		fmt.Fprintln(w, "quotes: all verbatim")
	} else {
		fmt.Fprintf(w, "quotes: %d not verbatim\n", len(r.BadQuotes))
		for _, q := range r.BadQuotes {
			fmt.Fprintln(w, "  "+q)
		}
	}
	for _, q := range r.BadLabelQuotes {
		fmt.Fprintln(w, "label quote not verbatim: "+q)
	}
}
