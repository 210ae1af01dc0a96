package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/commissioning-graph/cgraph/internal/document"
	"github.com/commissioning-graph/cgraph/internal/extract"
)

// extractFiles reads each file and prints its facts as one JSON object per
// file, or writes DIR/NAME.json with -out. It needs no database.
func extractFiles(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "write DIR/NAME.json per file instead of printing")
	maxBytes := fs.Int64("max-bytes", document.DefaultMaxBytes, "refuse files larger than this")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("extract: give one or more files")
	}
	if *out != "" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return fmt.Errorf("extract: %w", err)
		}
	}
	for _, path := range fs.Args() {
		doc, err := document.ReadFile(path, document.Options{MaxBytes: *maxBytes})
		if err != nil {
			return fmt.Errorf("extract %s: %w", path, err)
		}
		facts := extract.Extract(doc).Facts
		if *out == "" {
			if err := writeJSON(stdout, facts, ""); err != nil {
				return err
			}
			continue
		}
		var b strings.Builder
		if err := writeJSON(&b, facts, "  "); err != nil {
			return err
		}
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)) + ".json"
		if err := os.WriteFile(filepath.Join(*out, name), []byte(b.String()), 0o644); err != nil {
			return fmt.Errorf("extract: %w", err)
		}
	}
	return nil
}

// writeJSON writes v as one JSON value and a newline, leaving &, < and >
// as they are so addresses stay readable.
func writeJSON(w io.Writer, v any, indent string) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	return enc.Encode(v)
}

// evalDir scores extraction on a labelled set and fails when any quote is
// not verbatim in its document.
func evalDir(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "list every disagreement")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("eval: give one labelled-set folder")
	}
	r, err := extract.Eval(fs.Arg(0), document.Options{})
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	r.Write(stdout)
	if *verbose {
		for _, m := range r.Misses {
			fmt.Fprintln(stdout, "miss: "+m)
		}
	}
	if !r.QuotesVerbatim() {
		return fmt.Errorf("eval: %d quotes are not verbatim", len(r.BadQuotes))
	}
	return nil
}
