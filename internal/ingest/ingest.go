// Package ingest brings council documents into the graph. It reads a
// document (internal/document), proposes the facts it states
// (internal/extract), and stores the document, its passages (as Sources,
// full-text indexed) and its claims in one write. Claims an analyst accepts
// become entities and relationships, each resting on the passage its words
// are in; claims are never applied without that review, unless a trusted
// batch is ingested with Accept.
package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/document"
	"github.com/commissioning-graph/cgraph/internal/extract"
)

// Store is what ingesting needs of the graph.
type Store interface {
	FindEntity(ctx context.Context, id string) (cg.Entity, error)
	FindEntities(ctx context.Context, ids []string) (map[string]cg.Entity, error)
	cg.DocumentStore
	// MergeEntities makes entities one, when an analyst accepts a
	// proposal to link them.
	MergeEntities(ctx context.Context, by cg.Principal, into string, from []string) (cg.Entity, error)
}

// Request is one document to ingest.
type Request struct {
	// Name is the file name, whose extension says how to read Data.
	Name string
	Data []byte
	// URL is the document's address; empty takes the one the document
	// gives (a .txt's first line, an HTML page's canonical link).
	URL string
	// Authority is the id of the authority whose document it is; empty
	// looks for the authority the document names, and for an editor means
	// the editor's own.
	Authority string
	// Title names the document when its text names it no better (a
	// minute whose heading is only its report's reference).
	Title string
	// Reviewed is an analyst's review of the document, applied as it is
	// ingested; with Authority, its facts may name an authority new to the
	// graph, which an admin's ingest then creates.
	Reviewed *Reviewed
	// Accept applies every claim as it is proposed (a trusted batch).
	Accept bool
	// Options bound reading: size, PDF time.
	Options document.Options
}

// Result says what ingesting a document did.
type Result struct {
	Document *cg.Document
	// Unchanged is true when the same content was in the graph already.
	Unchanged bool
	// Replaces is the id of the earlier version of the same page, if any.
	Replaces string
	Passages int
	Claims   int
	// Accepted counts what accepting the claims wrote, when Accept.
	Accepted *cg.ImportResult
}

// Ingest reads one document and writes it, its passages and its claims.
// The same content ingested again changes nothing; a changed page becomes a
// new document that replaces the old one, which stays citable.
func Ingest(ctx context.Context, s Store, by cg.Principal, req Request) (*Result, error) {
	if err := by.MayWrite(); err != nil {
		return nil, err
	}
	opts := req.Options
	if req.URL != "" {
		opts.URL = req.URL
	}
	doc, err := document.Read(req.Name, req.Data, opts)
	if err != nil {
		return nil, err
	}
	if t := strings.TrimSpace(req.Title); t != "" {
		doc.Title = t
	}
	res := extract.Extract(doc)
	reviewed, rejected, err := req.Reviewed.claims(doc.Text)
	if err != nil {
		return nil, err
	}
	authority, err := findAuthority(ctx, s, by, req.Authority, res.Facts.Authority)
	if cg.ErrorCode(err) == cg.ENOTFOUND && by.Role == cg.RoleAdmin {
		if a := req.Reviewed.reviewedAuthority(req.Authority); a != nil {
			authority, err = a, nil
		}
	}
	if err != nil {
		return nil, err
	}
	id := "document:" + doc.Hash[:20]
	if existing, err := s.FindEntity(ctx, id); err == nil {
		out := &Result{Document: existing.(*cg.Document), Unchanged: true}
		if req.Accept {
			out.Accepted, err = acceptDocument(ctx, s, by, id)
		}
		return out, err
	} else if cg.ErrorCode(err) != cg.ENOTFOUND {
		return nil, err
	}

	g, d, claims := documentGraph(by, doc, res, reviewed, rejected, id, authority)
	out := &Result{Document: d, Passages: len(g.Sources), Claims: claims}
	if doc.URL != "" {
		prev, err := s.LatestDocument(ctx, doc.URL)
		switch {
		case err == nil:
			g.Nodes = append(g.Nodes, cg.Node{Entity: prev})
			g.Edges = append(g.Edges, cg.RelationshipBetween{Type: cg.RelReplaces, From: id, To: prev.ID})
			out.Replaces = prev.ID
		case cg.ErrorCode(err) != cg.ENOTFOUND:
			return nil, err
		}
	}
	if _, err := s.ApplyGraph(ctx, by, g); err != nil {
		return nil, fmt.Errorf("ingest %s: %w", req.Name, err)
	}
	if req.Accept {
		if out.Accepted, err = acceptDocument(ctx, s, by, id); err != nil {
			return out, err
		}
	}
	return out, nil
}

// findAuthority returns the authority a document is ingested for: the one
// given, else for an editor the editor's own, else the one the document
// names when exactly one authority in the graph has that name.
func findAuthority(ctx context.Context, s Store, by cg.Principal, given, named string) (*cg.Authority, error) {
	if given == "" && by.Role == cg.RoleEditor {
		given = by.Authority
	}
	if given != "" {
		e, err := s.FindEntity(ctx, given)
		if err != nil {
			return nil, err
		}
		a, ok := e.(*cg.Authority)
		if !ok {
			return nil, cg.Errorf(cg.EINVALID, "%s is a %s, not an authority", given, e.EntityLabel())
		}
		if by.Role == cg.RoleEditor && a.ID != by.Authority {
			return nil, cg.Errorf(cg.EFORBIDDEN, "an editor for %s may not ingest documents of %s", by.Authority, a.ID)
		}
		return a, nil
	}
	key := cg.AuthorityKey(named)
	if key == "" {
		return nil, cg.Errorf(cg.EINVALID, "the document's authority is neither given (-authority, or authority in the mutation) nor named in the document")
	}
	word := strings.Fields(key)[0]
	cands, err := s.FindNamed(ctx, cg.LabelAuthority, "name", word, "")
	if err != nil {
		return nil, err
	}
	var found []*cg.Authority
	for _, c := range cands {
		if a := c.(*cg.Authority); cg.AuthorityKey(a.Name) == key {
			found = append(found, a)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, cg.Errorf(cg.EINVALID, "the document names its authority as %q, which is not in the graph: give the authority's id", named)
	}
	return nil, cg.Errorf(cg.EINVALID, "the document names its authority as %q, which matches %d authorities: give the authority's id", named, len(found))
}

// documentGraph is the document, its passages and its claims as a graph,
// with the number of claims proposed. The rules' claims come first, those
// an analyst rejected (or stated otherwise) already rejected; then the
// analyst's own.
func documentGraph(by cg.Principal, doc *document.Document, res *extract.Result, reviewed []extract.Claim, rejected map[string]string,
	id string, authority *cg.Authority) (*cg.Graph, *cg.Document, int) {
	short := doc.Hash[:12]
	passages := unnumbered(doc.Text, doc.Passages)
	d := &cg.Document{
		ID: id, Title: title(doc), ContentHash: doc.Hash, ReadAt: time.Now().UTC(), Text: doc.Text,
		URL: opt(doc.URL), Kind: opt(doc.Kind), File: opt(doc.Name), Format: opt(doc.Format),
	}
	g := &cg.Graph{}
	cited := d.Title
	if doc.URL != "" {
		cited += " (" + doc.URL + ")"
	}
	for i, p := range passages {
		if strings.TrimSpace(p.Text) == "" {
			continue
		}
		start, end := p.Start, p.End
		sid := fmt.Sprintf("source:%s-%d", short, i)
		g.Sources = append(g.Sources, cg.Source{
			ID: sid, Document: cited, File: opt(doc.Name), Passage: p.Text,
			Start: &start, End: &end, Label: opt(p.Label),
		})
		g.Edges = append(g.Edges, cg.RelationshipBetween{Type: cg.RelPassageOf, From: sid, To: id})
	}
	g.Nodes = append(g.Nodes, cg.Node{Entity: d}, cg.Node{Entity: authority})
	g.Edges = append(g.Edges, cg.RelationshipBetween{Type: cg.RelIssuedBy, From: id, To: authority.ID})
	now := time.Now().UTC().Truncate(time.Millisecond)
	proposed := 0
	claim := func(cid string, c extract.Claim, status string) {
		if c.Start < 0 || c.End > len(doc.Text) || doc.Text[c.Start:c.End] != c.Quote {
			return // a quote that is not the document's words is no claim
		}
		value, err := json.Marshal(c.Value)
		if err != nil {
			return
		}
		cl := &cg.Claim{ID: cid, Field: c.Field, Value: string(value), Quote: c.Quote, Start: c.Start, End: c.End,
			Rule: c.Rule, Status: status}
		if status != cg.ClaimProposed {
			cl.DecidedBy, cl.DecidedAt = &by.Subject, &now
		} else {
			proposed++
		}
		g.Nodes = append(g.Nodes, cg.Node{Entity: cl})
		g.Edges = append(g.Edges, cg.RelationshipBetween{Type: cg.RelClaimedIn, From: cid, To: id})
		if p := passageOf(passages, c.Start, c.End); p >= 0 {
			g.Edges = append(g.Edges, cg.RelationshipBetween{Type: cg.RelQuotes, From: cid, To: fmt.Sprintf("source:%s-%d", short, p)})
		}
	}
	for i, c := range res.Claims {
		status := cg.ClaimProposed
		if _, no := rejected[c.Field]; no {
			status = cg.ClaimRejected
		}
		claim(fmt.Sprintf("claim:%s-%d", short, i), c, status)
	}
	for i, c := range reviewed {
		claim(fmt.Sprintf("claim:%s-r%d", short, i), c, cg.ClaimProposed)
	}
	return g, d, proposed
}

// numberedItem is the number of an item of a numbered list, such as a
// resolution's "1.", and the space after it.
var numberedItem = regexp.MustCompile(`^\(?\d{1,3}[.)]\)?[\s\x{00a0}]+`)

// unnumbered returns the passages with the number of a numbered item taken
// off its words and kept as its label: a resolution's passage is its
// sentence, as quoted, and "1." says which it is.
func unnumbered(text string, ps []document.Passage) []document.Passage {
	out := make([]document.Passage, len(ps))
	for i, p := range ps {
		out[i] = p
		m := numberedItem.FindString(p.Text)
		if m == "" || p.Label != "" || len(m) == len(p.Text) || !strings.HasPrefix(text[p.Start:], m) {
			continue
		}
		out[i].Start = p.Start + len(m)
		out[i].Text = p.Text[len(m):]
		out[i].Label = strings.TrimSpace(m)
	}
	return out
}

// passageOf returns the index of the passage that holds [start, end), or
// failing that the first that overlaps it; -1 when none does.
func passageOf(ps []document.Passage, start, end int) int {
	overlap := -1
	for i, p := range ps {
		if strings.TrimSpace(p.Text) == "" {
			continue
		}
		if p.Start <= start && end <= p.End {
			return i
		}
		if overlap < 0 && p.Start < end && start < p.End {
			overlap = i
		}
	}
	return overlap
}

func title(doc *document.Document) string {
	if t := strings.TrimSpace(doc.Title); t != "" {
		return t
	}
	if doc.Name != "" {
		return doc.Name
	}
	return "Untitled document"
}

func opt(s string) *string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &s
}
