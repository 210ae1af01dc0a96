package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func noEnv(string) string { return "" }

// TestExtractCommand runs `cgraph extract` in-process: no Neo4j needed.
func TestExtractCommand(t *testing.T) {
	var out, errb bytes.Buffer
	file := filepath.Join("..", "..", "testdata", "extract", "00_bromley_cse_minute.txt")
	if err := run(context.Background(), []string{"extract", file}, noEnv, &out, &errb); err != nil {
		t.Fatalf("extract: %v\n%s", err, errb.String())
	}
	var got struct {
		DocumentKind string `json:"documentKind"`
		Contracts    []struct {
			Provider  string `json:"provider"`
			StartDate string `json:"startDate"`
			EndDate   string `json:"endDate"`
		} `json:"contracts"`
		Quotes map[string]string `json:"quotes"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s", err, out.String())
	}
	if got.DocumentKind != "minute" || len(got.Contracts) != 1 || got.Contracts[0].Provider != "Barnardo’s" ||
		got.Contracts[0].StartDate != "2017-10-01" || got.Contracts[0].EndDate != "2018-09-30" {
		t.Errorf("got %+v", got)
	}
	if q := got.Quotes["contracts[0].endDate"]; q != "30th September 2018" {
		t.Errorf("quote %q", q)
	}

	dir := t.TempDir()
	out.Reset()
	if err := run(context.Background(), []string{"extract", "-out", dir, file}, noEnv, &out, &errb); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "00_bromley_cse_minute.json"))
	if err != nil || !strings.Contains(string(b), `"provider": "Barnardo’s"`) {
		t.Errorf("-out file: %v %s", err, b)
	}

	empty := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err = run(context.Background(), []string{"extract", empty}, noEnv, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "invalid: empty.txt is empty") {
		t.Errorf("empty file: err %v", err)
	}
}

// TestEvalCommand scores the labelled set and reports verbatim quotes.
func TestEvalCommand(t *testing.T) {
	var out, errb bytes.Buffer
	dir := filepath.Join("..", "..", "testdata", "extract")
	if err := run(context.Background(), []string{"eval", dir}, noEnv, &out, &errb); err != nil {
		t.Fatalf("eval: %v\n%s", err, out.String())
	}
	for _, want := range []string{"OVERALL", "contracts.provider", "quotes: all verbatim", "documents: "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("eval output lacks %q:\n%s", want, out.String())
		}
	}
	if err := run(context.Background(), []string{"eval", filepath.Join(dir, "nope")}, noEnv, &out, &errb); err == nil {
		t.Error("eval of a missing folder succeeded")
	}
}
