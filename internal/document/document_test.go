package document

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

func TestReadText(t *testing.T) {
	d, err := Read("a.txt", []byte("https://example.gov.uk/mgAi.aspx?ID=1\nAgenda item\n\nRESOLVED that the report be noted. Cllr. Smith agreed.\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.URL != "https://example.gov.uk/mgAi.aspx?ID=1" || strings.Contains(d.Text, "https://") {
		t.Errorf("url %q text %q", d.URL, d.Text)
	}
	if d.Kind != KindMinute || d.Title != "Agenda item" {
		t.Errorf("kind %q title %q", d.Kind, d.Title)
	}
	var sents []string
	for _, p := range d.Passages {
		if d.Text[p.Start:p.End] != p.Text {
			t.Fatalf("passage offsets wrong: %+v", p)
		}
		sents = append(sents, p.Text)
	}
	want := []string{"Agenda item", "RESOLVED that the report be noted.", "Cllr. Smith agreed."}
	if strings.Join(sents, "|") != strings.Join(want, "|") {
		t.Errorf("passages %q, want %q", sents, want)
	}
}

func TestLabelledFields(t *testing.T) {
	d, err := Read("n.txt", []byte("Decision Maker: Cabinet\nIs Key decision?: Yes\nDate of decision:\n16/07/2013\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range d.Passages {
		if p.Label != "" {
			got[p.Label] = p.Value()
		}
	}
	if got["Decision Maker"] != "Cabinet" || got["Is Key decision?"] != "Yes" || got["Date of decision"] != "16/07/2013" {
		t.Errorf("fields %v", got)
	}
	if d.Kind != KindDecisionNotice {
		t.Errorf("kind %q", d.Kind)
	}
}

func TestReadHTMLWindows1252(t *testing.T) {
	page := "<html><head><meta charset=\"windows-1252\"><title>T</title><script>var x = 'menu menu menu';</script><style>p{}</style></head><body>" +
		"<nav><a>Home</a><a>Councillors</a></nav><div class=\"breadcrumb\">Home &gt; Decisions</div>" +
		"<div id=\"modgov\"><h1>Decision details</h1><h2>Award of contract</h2><p><span>Decision Maker: </span>Cabinet</p>" +
		"<p>A contract with Barnardo\x92s worth \xa3362k &amp; more was approved.</p></div>" +
		"<footer>Copyright</footer><script>track()</script></body></html>"
	d, err := Read("p.html", []byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"menu", "Home", "Copyright", "track", "p{}"} {
		if strings.Contains(d.Text, bad) {
			t.Errorf("text holds %q: %q", bad, d.Text)
		}
	}
	if !strings.Contains(d.Text, "Barnardo’s worth £362k & more") || !strings.Contains(d.Text, "Decision Maker: Cabinet") {
		t.Errorf("text %q", d.Text)
	}
	if d.Title != "Award of contract" {
		t.Errorf("title %q", d.Title)
	}
}

func TestReadUTF8Undeclared(t *testing.T) {
	d, err := Read("a.txt", []byte("Barnardo’s £1.2m contract was agreed by Members today."), Options{})
	if err != nil || !strings.Contains(d.Text, "Barnardo’s £1.2m") {
		t.Fatalf("%v %q", err, d.Text)
	}
	// windows-1252 bytes without a declaration
	d, err = Read("b.txt", []byte("Barnardo\x92s \xa31.2m contract was agreed."), Options{})
	if err != nil || !strings.Contains(d.Text, "Barnardo’s £1.2m") {
		t.Fatalf("%v %q", err, d.Text)
	}
}

func TestBadInputs(t *testing.T) {
	script := "<html><head><script>" + strings.Repeat("var a = 1; ", 2000) + "</script></head><body><p>Hi</p></body></html>"
	for _, tc := range []struct {
		name string
		data []byte
		opts Options
		msg  string
	}{
		{"empty.txt", []byte("  \n\t"), Options{}, "empty"},
		{"bin.txt", []byte("abc\x00\x01\x02def"), Options{}, "binary"},
		{"big.txt", []byte(strings.Repeat("a", 100)), Options{MaxBytes: 10}, "over the limit"},
		{"script.html", []byte(script), Options{}, "little text"},
		{"enc.html", []byte("<html><head><meta charset=\"x-klingon\"></head><body><p>Some words here for a page of text.</p></body></html>"), Options{}, "unknown encoding"},
		{"bad.txt", []byte("text \x81\x8d\x90 with undefined bytes"), Options{}, "undecodable"},
	} {
		_, err := Read(tc.name, tc.data, tc.opts)
		if cg.ErrorCode(err) != cg.EINVALID || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: err %v, want invalid %q", tc.name, err, tc.msg)
		}
		if err != nil && err.Error() != strings.ToLower(err.Error()[:1])+err.Error()[1:] {
			t.Errorf("%s: error string not lowercase: %v", tc.name, err)
		}
	}
}

func TestReadFileRefusesLargeBeforeReading(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.txt")
	if err := os.WriteFile(p, []byte(strings.Repeat("word ", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(p, Options{MaxBytes: 100}); cg.ErrorCode(err) != cg.EINVALID || !strings.Contains(err.Error(), "over the limit") {
		t.Errorf("err %v", err)
	}
	if _, err := ReadFile(p, Options{}); err != nil {
		t.Errorf("within limit: %v", err)
	}
}

// TestPDF makes a PDF with a text layer and one without, with tools from
// poppler-utils and ghostscript-free plain PDF syntax.
func TestPDF(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext (poppler-utils) is required")
	}
	d, err := Read("r.pdf", minimalPDF("Cabinet agreed to award the contract to Acme Care Ltd."), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.Text, "Acme Care Ltd") || d.Format != "pdf" {
		t.Errorf("text %q", d.Text)
	}
	_, err = Read("scan.pdf", minimalPDF(""), Options{})
	if cg.ErrorCode(err) != cg.EINVALID || !strings.Contains(err.Error(), "without a text layer") {
		t.Errorf("scan: err %v", err)
	}
}

// minimalPDF writes a one-page PDF showing text (none when text is empty).
func minimalPDF(text string) []byte {
	content := ""
	if text != "" {
		content = "BT /F1 12 Tf 50 700 Td (" + text + ") Tj ET"
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"<< /Length " + itoa(len(content)) + " >>\nstream\n" + content + "\nendstream",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		b.WriteString(itoa(i+1) + " 0 obj\n" + o + "\nendobj\n")
	}
	x := b.Len()
	b.WriteString("xref\n0 " + itoa(len(objs)+1) + "\n0000000000 65535 f \n")
	for _, o := range offs {
		s := itoa(o)
		b.WriteString(strings.Repeat("0", 10-len(s)) + s + " 00000 n \n")
	}
	b.WriteString("trailer\n<< /Size " + itoa(len(objs)+1) + " /Root 1 0 R >>\nstartxref\n" + itoa(x) + "\n%%EOF\n")
	return []byte(b.String())
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}
