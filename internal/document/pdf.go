package document

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// readPDF takes the PDF's text layer with poppler's pdftotext in its plain
// (reading-order) mode. A PDF whose pages give no words is refused: it is a
// scan without a text layer and needs OCR first.
func readPDF(d *Document, data []byte, opts Options) error {
	bin := opts.PDFToText
	if bin == "" {
		bin = "pdftotext"
	}
	timeout := opts.PDFTimeout
	if timeout <= 0 {
		timeout = DefaultPDFTimeout
	}
	f, err := os.CreateTemp("", "cgraph-*.pdf")
	if err != nil {
		return cg.Errorf(cg.EINTERNAL, "pdf temp file: %v", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return cg.Errorf(cg.EINTERNAL, "pdf temp file: %v", err)
	}
	f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-q", "-enc", "UTF-8", "-nopgbrk", f.Name(), "-")
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return cg.Errorf(cg.EINVALID, "%s: pdftotext took longer than %s", d.Name, timeout)
		}
		if _, lerr := exec.LookPath(bin); lerr != nil {
			return cg.Errorf(cg.EINTERNAL, "pdftotext is not installed (poppler-utils)")
		}
		return cg.Errorf(cg.EINVALID, "%s is not a readable pdf: %s", d.Name, strings.TrimSpace(firstLine(stderr.String()+" "+err.Error())))
	}
	s := strings.ToValidUTF8(out.String(), "\uFFFD")
	s = strings.ReplaceAll(s, "\f", "\n")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	words := len(strings.Fields(s))
	if words < 3 {
		return cg.Errorf(cg.EINVALID, "%s is a pdf without a text layer", d.Name)
	}
	d.Text = tidyLines(s)
	return nil
}

// tidyLines trims trailing spaces and collapses runs of blank lines.
func tidyLines(s string) string {
	var b strings.Builder
	blank := 0
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimRight(l, " \t\u00a0")
		if strings.TrimSpace(l) == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			if blank > 0 {
				b.WriteString("\n\n")
			} else {
				b.WriteString("\n")
			}
		}
		blank = 0
		b.WriteString(l)
	}
	return b.String()
}
