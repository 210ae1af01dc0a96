package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/document"
	"github.com/commissioning-graph/cgraph/internal/ingest"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
)

const ingestUsage = "usage: cgraph ingest [-url URL] [-authority ID] [-accept] [-as NAME] FILE..."

// ingestFiles ingests council documents: each file is read, split into
// passages, its facts proposed as claims and written in one transaction;
// with -accept its claims are applied too. A file that fails is reported
// and writes nothing; the files before it stay written.
func ingestFiles(ctx context.Context, c config, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	as := actorFlag(fs, getenv)
	url := fs.String("url", "", "the document's address (one file only); by default the one it gives")
	authority := fs.String("authority", "", "the id of the authority whose documents they are; by default the one each names")
	accept := fs.Bool("accept", false, "accept every proposed claim: for a trusted batch")
	maxBytes := fs.Int64("max-bytes", c.ingestMaxBytes, "refuse files larger than this, before reading them")
	if err := fs.Parse(args); err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		return errors.New(ingestUsage)
	}
	if *url != "" && len(files) > 1 {
		return errors.New("ingest: -url names one document: give one file with it")
	}
	total, err := totalSize(files)
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	db, err := open(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	store := neo4j.NewStore(db)
	by := cg.Principal{Subject: *as, Role: cg.RoleAdmin}

	bar := newBar(stdout, total)
	for _, f := range files {
		bar.Describe(f)
		data, err := readLimited(f, *maxBytes)
		var res *ingest.Result
		if err == nil {
			res, err = ingest.Ingest(ctx, store, by, ingest.Request{Name: f, Data: data, URL: *url, Authority: *authority,
				Accept: *accept, Options: document.Options{MaxBytes: *maxBytes}})
		}
		_ = bar.Add64(int64(len(data)))
		_ = bar.Clear()
		if err != nil {
			msg := cg.ErrorMessage(err)
			if cg.ErrorCode(err) == cg.EINTERNAL {
				msg = err.Error()
			}
			return fmt.Errorf("ingest %s: %s (nothing of this file was written)", f, msg)
		}
		switch {
		case res.Unchanged:
			fmt.Fprintf(stdout, "%s: %s is in the graph already, unchanged\n", f, res.Document.ID)
		default:
			fmt.Fprintf(stdout, "%s: %s (%s), %d passages, %d claims proposed", f, res.Document.ID, res.Document.Title, res.Passages, res.Claims)
			if res.Replaces != "" {
				fmt.Fprintf(stdout, ", replacing %s", res.Replaces)
			}
			fmt.Fprintln(stdout)
		}
		if a := res.Accepted; a != nil {
			fmt.Fprintf(stdout, "%s: accepted: %d entities new, %d updated, %d relationships new\n",
				f, a.EntitiesCreated, a.EntitiesUpdated, a.LinksCreated)
		}
	}
	_ = bar.Finish()
	return nil
}

// readLimited reads a file, refusing it before reading when it is larger
// than max bytes.
func readLimited(path string, max int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, cg.Errorf(cg.EINVALID, "cannot read %s", path)
	}
	if max > 0 && fi.Size() > max {
		return nil, cg.Errorf(cg.EINVALID, "the file is %d bytes, more than the limit of %d", fi.Size(), max)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, cg.Errorf(cg.EINVALID, "cannot read %s", path)
	}
	return data, nil
}
