package ocds

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// DefaultMaxBytes is the largest file read unless configured otherwise.
const DefaultMaxBytes = 50 << 20

// MaxProblems is the most problems one file reports; the rest are counted.
const MaxProblems = 100

// Options says how to read a file.
type Options struct {
	// MaxBytes is the largest document read (DefaultMaxBytes when 0).
	MaxBytes int64
	// SkipInvalid leaves out the processes that have problems, listing
	// them in Result.Skipped, rather than refusing the whole file.
	SkipInvalid bool
}

// Result is the graph a file maps to and the processes left out of it.
type Result struct {
	Graph   *cg.Graph
	Skipped []cg.SkippedProcess
}

// ReadFile reads and maps the OCDS file at path, refusing it whole when it
// has any problem. A file larger than maxBytes is refused before it is
// read. Sources name the file by its base name.
func ReadFile(path string, maxBytes int64) (*cg.Graph, error) {
	res, err := ReadPath(path, Options{MaxBytes: maxBytes})
	if err != nil {
		return nil, err
	}
	return res.Graph, nil
}

// ReadPath reads and maps the OCDS file at path as opt says.
func ReadPath(path string, opt Options) (*Result, error) {
	opt = opt.withDefaults()
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return nil, cg.Errorf(cg.EINVALID, "%s: cannot open: %v", path, errors.Unwrap(err))
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > opt.MaxBytes {
		return nil, failf(name, "$", "the file is %d bytes, more than the limit of %d", fi.Size(), opt.MaxBytes)
	}
	data, err := io.ReadAll(io.LimitReader(f, opt.MaxBytes+1))
	if err != nil {
		return nil, cg.Errorf(cg.EINVALID, "%s: cannot read: %v", path, err)
	}
	return Read(name, data, opt)
}

// Parse maps the OCDS document data, read from the file name, refusing it
// whole when it has any problem.
func Parse(name string, data []byte, maxBytes int64) (*cg.Graph, error) {
	res, err := Read(name, data, Options{MaxBytes: maxBytes})
	if err != nil {
		return nil, err
	}
	return res.Graph, nil
}

func (o Options) withDefaults() Options {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	return o
}

// Read maps the OCDS document data, read from the file name. Every problem
// of the document is found in one run. Without opt.SkipInvalid any problem
// refuses the document, with an error that lists them all (up to
// MaxProblems); with it, the processes that have problems are left out and
// listed, and only a document that cannot be read at all is refused.
func Read(name string, data []byte, opt Options) (*Result, error) {
	opt = opt.withDefaults()
	if int64(len(data)) > opt.MaxBytes {
		return nil, failf(name, "$", "the document is more than the limit of %d bytes", opt.MaxBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, notJSON(name, data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, failf(name, "$", "not JSON: more data after the document (byte %d)", dec.InputOffset())
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, failf(name, "$", "want an object (a release package, record package or record), got %s", kind(v))
	}
	fileProbs := &problems{file: name}
	top := object{m: m, path: "$", file: name, probs: fileProbs}
	releases := releasesOf(top)
	if len(fileProbs.list) > 0 && len(releases) == 0 {
		return nil, fileProbs.err()
	}
	b := newBuilder(name, publisherOf(top))
	b.named = namedOrgs(releases)
	res := &Result{}
	all := &problems{file: name}
	all.addAll(fileProbs)
	for _, group := range byProcess(releases) {
		probs := &problems{file: name}
		for i := range group.releases {
			group.releases[i].probs = probs
		}
		sub := b.sub()
		sub.process(group, probs)
		if len(probs.list) > 0 {
			all.addAll(probs)
			res.Skipped = append(res.Skipped, cg.SkippedProcess{File: name, OCID: group.ocid, Problems: probs.list})
			continue
		}
		b.absorb(sub)
	}
	if len(all.list) > 0 && !opt.SkipInvalid {
		return nil, all.err()
	}
	if len(fileProbs.list) > 0 {
		res.Skipped = append(res.Skipped, cg.SkippedProcess{File: name, Problems: fileProbs.list})
	}
	res.Graph = b.graph()
	return res, nil
}

// problems collects what is wrong with a document or one of its processes.
type problems struct {
	file string
	list []cg.Problem
	more int // problems beyond MaxProblems, counted only
}

func (p *problems) add(path, reason string) {
	if len(p.list) >= MaxProblems {
		p.more++
		return
	}
	p.list = append(p.list, cg.Problem{File: p.file, Path: path, Reason: reason})
}

func (p *problems) addAll(o *problems) {
	for _, pr := range o.list {
		p.add(pr.Path, pr.Reason)
	}
	p.more += o.more
}

// err is the error that refuses a document for its problems: one line per
// problem, "file: JSON path: reason".
func (p *problems) err() error {
	var b strings.Builder
	n := len(p.list) + p.more
	if n > 1 {
		fmt.Fprintf(&b, "%s: %d problems\n", p.file, n)
	}
	for i, pr := range p.list {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s: %s: %s", pr.File, pr.Path, pr.Reason)
	}
	if p.more > 0 {
		fmt.Fprintf(&b, "\n%s: and %d more problems", p.file, p.more)
	}
	return cg.Errorf(cg.EINVALID, "%s", b.String())
}

func failf(file, path, format string, args ...any) error {
	return cg.Errorf(cg.EINVALID, "%s: %s: %s", file, path, fmt.Sprintf(format, args...))
}

func notJSON(name string, data []byte, err error) error {
	var syntax *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF) && len(bytes.TrimSpace(data)) == 0:
		return failf(name, "$", "not JSON: the file is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return failf(name, "$", "not JSON: truncated, the document ends at byte %d before it is complete", len(data))
	case errors.As(err, &syntax):
		return failf(name, "$", "not JSON: %s at byte %d", syntax.Error(), syntax.Offset)
	}
	return failf(name, "$", "not JSON: %v", err)
}

// releasesOf finds the releases to map in a release package, a record
// package or a bare record: a record's compiledRelease when it has one,
// otherwise its releases when they are full releases rather than links.
func releasesOf(top object) []object {
	switch {
	case top.has("records"):
		var out []object
		for _, r := range top.objects("records") {
			out = append(out, recordReleases(r)...)
		}
		return out
	case top.has("compiledRelease"):
		return recordReleases(top)
	case top.has("releases"):
		var out []object
		for _, r := range top.objects("releases") {
			if !r.has("ocid") {
				if r.has("url") {
					r.bad("", "a link to a release, not a release: this file holds no data to import")
				} else {
					r.bad("ocid", "missing: every release needs an ocid")
				}
				continue
			}
			out = append(out, r)
		}
		return out
	case top.has("ocid"):
		return []object{top}
	}
	top.bad("", "not an OCDS release package, record package or record: it has no releases, records or compiledRelease")
	return nil
}

func recordReleases(r object) []object {
	if c := r.obj("compiledRelease"); c != nil {
		if !c.has("ocid") && r.has("ocid") {
			c.m["ocid"] = r.m["ocid"]
		}
		return []object{*c}
	}
	if !r.has("releases") {
		r.bad("", "a record needs a compiledRelease or releases")
		return nil
	}
	// Without a compiled release the releases are read as a release package.
	return releasesOf(object{m: map[string]any{"releases": r.m["releases"]}, path: r.path, file: r.file, probs: r.probs})
}

// group is the releases of one process, in the order they apply.
type group struct {
	ocid     string
	releases []object
}

// byProcess groups releases by ocid, in order of first appearance, each
// group in the order of the OCDS merge rules: by date (an instant, so
// offsets compare correctly; releases without one first), and releases of
// the same date by release id, so that which wins does not depend on the
// order of the file.
func byProcess(releases []object) []group {
	index := map[string]int{}
	var groups []group
	for _, r := range releases {
		ocid := r.loose().text("ocid")
		key := ""
		if ocid != nil {
			key = *ocid
		}
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			groups = append(groups, group{ocid: key})
		}
		groups[i].releases = append(groups[i].releases, r)
	}
	for _, g := range groups {
		sort.SliceStable(g.releases, func(i, j int) bool {
			return releaseOrder(g.releases[i]) < releaseOrder(g.releases[j])
		})
	}
	return groups
}

// releaseOrder is the key releases of one process are applied in.
func releaseOrder(r object) string {
	l := r.loose()
	return stamp(l.instant("date"), l.id("id"))
}

// stamp is a string that sorts as releases apply: by date, then id.
func stamp(date *time.Time, id string) string {
	d := "0000-00-00T00:00:00.000000000Z"
	if date != nil {
		d = date.UTC().Format("2006-01-02T15:04:05.000000000Z")
	}
	return d + "|" + id
}

// publisherOf names who published a package: its publisher's name, or its
// uri, or the host of the package's uri; "" for a bare record.
func publisherOf(top object) string {
	l := top.loose()
	if p := l.obj("publisher"); p != nil {
		if n := p.text("name"); n != nil {
			return *n
		}
		if u := p.text("uri"); u != nil {
			return *u
		}
	}
	if u := l.text("uri"); u != nil {
		if pu, err := url.Parse(*u); err == nil && pu.Host != "" {
			return pu.Host
		}
	}
	return ""
}

// ocidPrefix is the registered prefix of an ocid (ocds-213czf), which names
// its publisher.
func ocidPrefix(ocid string) string {
	parts := strings.SplitN(ocid, "-", 3)
	if len(parts) >= 2 {
		return parts[0] + "-" + parts[1]
	}
	return ocid
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes a readable id part from an OCDS id or a name.
func slug(s string) string {
	return strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// clean keeps an OCDS id as it is, but for spaces, which ids may not hold.
func clean(s string) string {
	return strings.Join(strings.Fields(s), "-")
}
