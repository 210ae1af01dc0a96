package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/commissioning-graph/cgraph/internal/auth"
	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/ocds"
)

// mintToken prints a bearer token signed with AUTH_JWT_SECRET, for local use
// and tests.
func mintToken(c config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sub := fs.String("sub", "", "subject: who the token speaks for")
	role := fs.String("role", "viewer", "viewer, editor or admin")
	authority := fs.String("authority", "", "for an editor, the id of its Authority (authority:bromley)")
	ttl := fs.Duration("ttl", time.Hour, "how long the token is valid")
	if err := fs.Parse(args); err != nil {
		return err
	}
	token, err := auth.Mint(c.jwtSecret, *sub, cg.Role(*role), *authority, *ttl)
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	fmt.Fprintln(stdout, token)
	return nil
}

// importFiles imports OCDS files, each in its own transaction, as an admin
// named by -as. By default it stops at the first file refused, listing all
// of that file's problems; what that file holds is not written. With
// -skip-invalid it writes the valid processes of every file and lists the
// processes it left out, with their problems.
func importFiles(ctx context.Context, c config, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const usage = "usage: cgraph import ocds [-as NAME] [-skip-invalid] FILE..."
	if len(args) == 0 || args[0] != "ocds" {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("import ocds", flag.ContinueOnError)
	fs.SetOutput(stderr)
	as := actorFlag(fs, getenv)
	skip := fs.Bool("skip-invalid", false, "write the valid processes of a file and list the ones left out, rather than refusing the file")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		return errors.New(usage)
	}
	total, err := totalSize(files)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}

	db, err := open(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	store := neo4j.NewStore(db)
	by := cg.Principal{Subject: *as, Role: cg.RoleAdmin}

	bar := newBar(stdout, total)
	skipped := 0
	for _, f := range files {
		bar.Describe(f)
		read, err := ocds.ReadPath(f, ocds.Options{MaxBytes: c.graphql.ImportMaxBytes, SkipInvalid: *skip})
		if err == nil {
			var res cg.ImportResult
			if res, err = store.ImportGraph(ctx, by, read.Graph); err == nil {
				fi, _ := os.Stat(f)
				_ = bar.Add64(fi.Size())
				_ = bar.Clear()
				fmt.Fprintf(stdout, "%s: %d entities (%d new, %d updated, %d unchanged), %d relationships (%d new, %d unchanged), %d sources\n",
					f, res.EntitiesCreated+res.EntitiesUpdated+res.EntitiesSame, res.EntitiesCreated, res.EntitiesUpdated, res.EntitiesSame,
					res.LinksCreated+res.LinksSame, res.LinksCreated, res.LinksSame, res.Sources)
				if res.LinksRemoved > 0 {
					fmt.Fprintf(stdout, "%s: %d buyer or supplier links removed: the newest release no longer states them\n", f, res.LinksRemoved)
				}
				if res.EntitiesRemoved > 0 {
					fmt.Fprintf(stdout, "%s: %d tender-stage contracts removed: their processes' awarded contracts replace them\n", f, res.EntitiesRemoved)
				}
				if res.PredecessorsLost > 0 {
					fmt.Fprintf(stdout, "%s: %d contracts follow a process that is not in the graph yet; import it and then this file again to link them\n",
						f, res.PredecessorsLost)
				}
				for _, sp := range read.Skipped {
					skipped++
					what := "process " + sp.OCID
					if sp.OCID == "" {
						what = "outside any process"
					}
					fmt.Fprintf(stdout, "%s: skipped %s:\n", f, what)
					for _, p := range sp.Problems {
						fmt.Fprintf(stdout, "  %s: %s\n", p.Path, p.Reason)
					}
				}
				continue
			}
		}
		_ = bar.Clear()
		if cg.ErrorCode(err) == cg.EINTERNAL {
			// What the database said is for its operator, not a message.
			return fmt.Errorf("import: %s: the database could not write it (nothing of this file was written): %w", f, errors.Join(internalError{err}))
		}
		return fmt.Errorf("import: %s (nothing of this file was written)", cg.ErrorMessage(err))
	}
	_ = bar.Finish()
	if skipped > 0 {
		fmt.Fprintf(stdout, "%d processes skipped for their problems\n", skipped)
	}
	return nil
}

// internalError hides what the database said behind a message that names
// no driver internals, keeping it in the chain for errors.As.
type internalError struct{ err error }

func (e internalError) Error() string { return "internal error" }
func (e internalError) Unwrap() error { return e.err }

// actorFlag adds -as, who the audit trail records as making a change from
// the command line: by default cli: and the login name.
func actorFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	user := getenv("USER")
	if user == "" {
		user = "operator"
	}
	return fs.String("as", "cli:"+user, "who the audit trail records as making the change")
}

// totalSize is the bytes of files together, for a progress bar; it fails
// on the first file that cannot be read.
func totalSize(files []string) (int64, error) {
	var total int64
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			return 0, err
		}
		total += fi.Size()
	}
	return total, nil
}

// newBar returns a progress bar over the bytes of the files when stdout is
// a terminal, and a silent one otherwise.
func newBar(stdout io.Writer, total int64) *progressbar.ProgressBar {
	if f, ok := stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return progressbar.NewOptions64(total, progressbar.OptionSetWriter(stdout), progressbar.OptionShowBytes(true),
			progressbar.OptionClearOnFinish(), progressbar.OptionSetWidth(30))
	}
	return progressbar.DefaultSilent(total)
}
