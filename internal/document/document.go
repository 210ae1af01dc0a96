package document

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// Kinds of document, as the exchange format names them.
const (
	KindMinute         = "minute"
	KindDecisionNotice = "decision-notice"
	KindIssueHistory   = "issue-history"
	KindReport         = "report"
)

// DefaultMaxBytes is the size limit used when Options.MaxBytes is zero.
const DefaultMaxBytes = 20 << 20

// DefaultPDFTimeout bounds one pdftotext run when Options.PDFTimeout is zero.
const DefaultPDFTimeout = 30 * time.Second

// Options tune reading. The zero value is usable.
type Options struct {
	// MaxBytes refuses inputs larger than this; zero means DefaultMaxBytes.
	MaxBytes int64
	// PDFTimeout bounds the pdftotext run; zero means DefaultPDFTimeout.
	PDFTimeout time.Duration
	// URL is the document's address when the caller knows it; a URL on the
	// first line of a .txt file or in an HTML page's canonical link wins
	// only when this is empty.
	URL string
	// PDFToText is the pdftotext binary; empty means "pdftotext" on PATH.
	PDFToText string
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

// Document is one council document read into plain text.
type Document struct {
	// Name is the file name the document was read from.
	Name string
	// URL is the document's address, when known.
	URL string
	// Title is the page or document title, when one can be found.
	Title string
	// Kind is minute, decision-notice, issue-history or report; empty when
	// nothing points to one.
	Kind string
	// KindStart and KindEnd give the words of Text that show Kind (a
	// "Decision Maker:" label, "RESOLVED"), when Kind comes from the text
	// and not from the URL; both are zero otherwise.
	KindStart, KindEnd int
	// Format is the input format: text, html or pdf.
	Format string
	// Text is the document's text; passages and quotes index into it.
	Text string
	// Hash is the hex SHA-256 of the input bytes as given.
	Hash string
	// Passages are the document's sentences and labelled fields in order.
	Passages []Passage
}

// Passage is a run of Text: a sentence, or a labelled field such as
// "Decision Maker: Cabinet". Start and End are byte offsets into
// Document.Text, and Text is Document.Text[Start:End].
type Passage struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
	// Label is the field's label ("Decision Maker") for a labelled field,
	// empty for a sentence.
	Label string `json:"label,omitempty"`
	// ValueStart is the offset where a labelled field's value begins (after
	// the colon and spaces); equal to Start for a sentence.
	ValueStart int `json:"valueStart"`
}

// Value returns a labelled field's value (the words after the label), or
// the passage's text for a sentence.
func (p Passage) Value() string {
	if p.ValueStart > p.Start && p.ValueStart <= p.End {
		return p.Text[p.ValueStart-p.Start:]
	}
	return p.Text
}

// ReadFile reads the file at path, refusing it before reading past
// opts.MaxBytes when it is larger.
func ReadFile(path string, opts Options) (*Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, cg.Errorf(cg.EINVALID, "open %s: %v", filepath.Base(path), err)
	}
	defer f.Close()
	max := opts.maxBytes()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > max {
		return nil, cg.Errorf(cg.EINVALID, "%s is %d bytes, over the limit of %d", filepath.Base(path), fi.Size(), max)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, cg.Errorf(cg.EINVALID, "read %s: %v", filepath.Base(path), err)
	}
	return Read(filepath.Base(path), data, opts)
}

var urlLine = regexp.MustCompile(`^\s*(https?://\S+)\s*$`)

// Read reads one document from data. name (a file name) picks the format
// by extension when the content does not show it.
func Read(name string, data []byte, opts Options) (*Document, error) {
	if int64(len(data)) > opts.maxBytes() {
		return nil, cg.Errorf(cg.EINVALID, "%s is over the limit of %d bytes", name, opts.maxBytes())
	}
	sum := sha256.Sum256(data)
	d := &Document{Name: name, URL: opts.URL, Hash: hex.EncodeToString(sum[:])}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil, cg.Errorf(cg.EINVALID, "%s is empty", name)
	}
	ext := strings.ToLower(filepath.Ext(name))
	var err error
	switch {
	case isPDF(data) || ext == ".pdf":
		d.Format = "pdf"
		err = readPDF(d, data, opts)
	case ext == ".html" || ext == ".htm" || ext == ".aspx" || (ext != ".txt" && looksHTML(data)):
		d.Format = "html"
		err = readHTML(d, data)
	default:
		d.Format = "text"
		err = readText(d, data)
	}
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(d.Text) == "" {
		return nil, cg.Errorf(cg.EINVALID, "%s has no text", name)
	}
	d.Passages = Split(d.Text)
	if d.Title == "" {
		d.Title = firstLine(d.Text)
	}
	d.Kind = guessKind(d)
	return d, nil
}

func readText(d *Document, data []byte) error {
	if isBinary(data) {
		return cg.Errorf(cg.EINVALID, "%s looks binary, not text", d.Name)
	}
	s, err := decode(data, "")
	if err != nil {
		return cg.Errorf(cg.EINVALID, "%s: %v", d.Name, err)
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	// A first line holding only an address is the document's URL, not its text.
	if first, rest, ok := strings.Cut(s, "\n"); ok || urlLine.MatchString(s) {
		if m := urlLine.FindStringSubmatch(first); m != nil {
			if d.URL == "" {
				d.URL = m[1]
			}
			s = rest
		}
	}
	d.Text = s
	return nil
}

// genericHeadings are the page headings ModernGov puts above the real title.
var genericHeadings = map[string]bool{
	"agenda item": true, "decision details": true, "issue - meetings": true, "issue - decisions": true,
	"issue details": true, "issue": true, "decisions": true, "decision": true, "agenda and minutes": true,
}

// firstLine returns the first non-empty line of s that is not one of the
// generic headings, when it is short enough to be a title.
func firstLine(s string) string {
	generic := ""
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if genericHeadings[strings.ToLower(l)] {
				if generic == "" {
					generic = l
				}
				continue
			}
			if len(l) > 200 || strings.HasSuffix(l, ".") || fieldLine.MatchString(l) {
				return generic
			}
			return l
		}
	}
	return generic
}

func isPDF(data []byte) bool {
	i := 0
	for i < len(data) && i < 1024 && data[i] != '%' {
		i++
	}
	return strings.HasPrefix(string(data[i:min(len(data), i+5)]), "%PDF-")
}

func looksHTML(data []byte) bool {
	head := strings.ToLower(string(data[:min(len(data), 2048)]))
	head = strings.TrimLeft(head, "\ufeff \t\r\n")
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") ||
		strings.Contains(head, "<html") || strings.Contains(head, "<body") || strings.Contains(head, "<head")
}

// isBinary reports whether data holds NUL bytes (outside a UTF-16 BOM'd
// text) or many control characters.
func isBinary(data []byte) bool {
	if hasUTF16BOM(data) {
		return false
	}
	n := min(len(data), 8192)
	ctrl := 0
	for _, b := range data[:n] {
		if b == 0 {
			return true
		}
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' {
			ctrl++
		}
	}
	return ctrl*20 > n
}

var (
	kindURL = []struct {
		re   *regexp.Regexp
		kind string
	}{
		{regexp.MustCompile(`(?i)(ie|mg)DecisionDetails\.aspx`), KindDecisionNotice},
		{regexp.MustCompile(`(?i)(ieIssueDetails|mgIssueHistoryHome|mgIssueHistoryChronology)\.aspx`), KindIssueHistory},
		{regexp.MustCompile(`(?i)(mgAi|ieListDocuments|mgMinutes)\.aspx`), KindMinute},
	}
	meetingLine = regexp.MustCompile(`(?m)^\s*Meeting:\s*\d{1,2}/\d{1,2}/\d{4}\s*-`)
	minuteCue   = regexp.MustCompile(`\bRESOLVED\b|(?i:\bresolved that\b)|(?m:^\s*Minutes:)|\b(?:Sub-Committee|Committee|Cabinet|Panel|Board) considered\b`)
	reportCue   = regexp.MustCompile(`(?i)\b(report of the|purpose of (?:the|this) report|recommendations?:|executive summary)\b`)
)

// guessKind names the document's kind from its address, else from its
// text, and records the words that show it in KindStart/KindEnd when they
// are in the text.
func guessKind(d *Document) string {
	for _, k := range kindURL {
		if k.re.MatchString(d.URL) {
			return k.kind
		}
	}
	labels := map[string]Passage{}
	for _, p := range d.Passages {
		if p.Label != "" {
			if _, ok := labels[strings.ToLower(p.Label)]; !ok {
				labels[strings.ToLower(p.Label)] = p
			}
		}
	}
	if dm, ok := labels["decision maker"]; ok {
		for _, l := range []string{"decision status", "is key decision?", "date of decision"} {
			if _, ok := labels[l]; ok {
				d.KindStart, d.KindEnd = dm.Start, dm.Start+strings.Index(dm.Text, ":")+1
				return KindDecisionNotice
			}
		}
	}
	if m := meetingLine.FindStringIndex(d.Text); m != nil && strings.Contains(d.Text, "Issue") {
		d.KindStart, d.KindEnd = m[0], m[1]
		for d.KindStart < d.KindEnd && (d.Text[d.KindStart] == ' ' || d.Text[d.KindStart] == '\n' || d.Text[d.KindStart] == '\t') {
			d.KindStart++
		}
		return KindIssueHistory
	}
	if m := minuteCue.FindStringIndex(d.Text); m != nil {
		d.KindStart, d.KindEnd = m[0], m[1]
		for d.KindStart < d.KindEnd && (d.Text[d.KindStart] == ' ' || d.Text[d.KindStart] == '\n' || d.Text[d.KindStart] == '\t') {
			d.KindStart++
		}
		return KindMinute
	}
	if m := reportCue.FindStringIndex(d.Text); m != nil {
		d.KindStart, d.KindEnd = m[0], m[1]
		return KindReport
	}
	if d.Format == "pdf" {
		return KindReport
	}
	return ""
}
