package ocds

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// DefaultMaxBytes is the largest file read unless configured otherwise.
const DefaultMaxBytes = 50 << 20

// ReadFile reads and maps the OCDS file at path. A file larger than maxBytes
// is refused before it is read. Sources name the file by its base name, so
// the same file gives the same graph wherever it is read from.
func ReadFile(path string, maxBytes int64) (*cg.Graph, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return nil, cg.Errorf(cg.EINVALID, "%s: cannot open: %v", path, errors.Unwrap(err))
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > maxBytes {
		return nil, failf(name, "$", "the file is %d bytes, more than the limit of %d", fi.Size(), maxBytes)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxBytes+1))
	if err != nil {
		return nil, cg.Errorf(cg.EINVALID, "%s: cannot read: %v", path, err)
	}
	return Parse(name, data, maxBytes)
}

// Parse maps the OCDS document data, read from the file name.
func Parse(name string, data []byte, maxBytes int64) (*cg.Graph, error) {
	if int64(len(data)) > maxBytes {
		return nil, failf(name, "$", "the document is more than the limit of %d bytes", maxBytes)
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
	top, ok := v.(map[string]any)
	if !ok {
		return nil, failf(name, "$", "want an object (a release package, record package or record), got %s", kind(v))
	}
	releases, err := releasesOf(object{m: top, path: "$", file: name})
	if err != nil {
		return nil, err
	}
	b := newBuilder(name)
	for _, group := range byProcess(releases) {
		if err := b.process(group); err != nil {
			return nil, err
		}
	}
	return b.graph()
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
func releasesOf(top object) ([]object, error) {
	switch {
	case top.has("records"):
		records, err := top.objects("records")
		if err != nil {
			return nil, err
		}
		var out []object
		for _, r := range records {
			rs, err := recordReleases(r)
			if err != nil {
				return nil, err
			}
			out = append(out, rs...)
		}
		return out, nil
	case top.has("compiledRelease"):
		return recordReleases(top)
	case top.has("releases"):
		rs, err := top.objects("releases")
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if !r.has("ocid") {
				if r.has("url") {
					return nil, r.fail("", "a link to a release, not a release: this file holds no data to import")
				}
				return nil, r.fail("ocid", "missing: every release needs an ocid")
			}
		}
		return rs, nil
	case top.has("ocid"):
		return []object{top}, nil
	}
	return nil, top.fail("", "not an OCDS release package, record package or record: it has no releases, records or compiledRelease")
}

func recordReleases(r object) ([]object, error) {
	if r.has("compiledRelease") {
		c, err := r.obj("compiledRelease")
		if err != nil {
			return nil, err
		}
		return []object{*c}, nil
	}
	if !r.has("releases") {
		return nil, r.fail("", "a record needs a compiledRelease or releases")
	}
	// Without a compiled release the releases are read as a release package.
	return releasesOf(object{m: map[string]any{"releases": r.m["releases"]}, path: r.path, file: r.file})
}

// byProcess groups releases by ocid, in order of first appearance, each
// group in date order (stable, so releases without a date keep theirs).
func byProcess(releases []object) [][]object {
	index := map[string]int{}
	var groups [][]object
	for _, r := range releases {
		ocid, _ := r.m["ocid"].(string)
		i, ok := index[ocid]
		if !ok {
			i = len(groups)
			index[ocid] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], r)
	}
	for _, g := range groups {
		sort.SliceStable(g, func(i, j int) bool {
			a, _ := g[i].m["date"].(string)
			b, _ := g[j].m["date"].(string)
			return a < b
		})
	}
	return groups
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

// SourceID is the id of the Source for a JSON path of a file.
func SourceID(file, path string) string {
	h := sha256.Sum256([]byte(file + "\x00" + path))
	return "source:ocds-" + hex.EncodeToString(h[:12])
}

// Document is how a file is cited in its Sources.
func Document(file string) string { return "OCDS data in " + file }
