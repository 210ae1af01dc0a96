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
	res := extract.Extract(doc)
	authority, err := findAuthority(ctx, s, by, req.Authority, res.Facts.Authority)
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

	g, d := documentGraph(doc, res, id, authority)
	out := &Result{Document: d, Passages: len(g.Sources), Claims: len(res.Claims)}
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

// documentGraph is the document, its passages and its claims as a graph.
func documentGraph(doc *document.Document, res *extract.Result, id string, authority *cg.Authority) (*cg.Graph, *cg.Document) {
	short := doc.Hash[:12]
	d := &cg.Document{
		ID: id, Title: title(doc), ContentHash: doc.Hash, ReadAt: time.Now().UTC(), Text: doc.Text,
		URL: opt(doc.URL), Kind: opt(doc.Kind), File: opt(doc.Name), Format: opt(doc.Format),
	}
	g := &cg.Graph{}
	cited := d.Title
	if doc.URL != "" {
		cited += " (" + doc.URL + ")"
	}
	for i, p := range doc.Passages {
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
	for i, c := range res.Claims {
		if c.Start < 0 || c.End > len(doc.Text) || doc.Text[c.Start:c.End] != c.Quote {
			continue // a quote that is not the document's words is no claim
		}
		value, err := json.Marshal(c.Value)
		if err != nil {
			continue
		}
		cid := fmt.Sprintf("claim:%s-%d", short, i)
		g.Nodes = append(g.Nodes, cg.Node{Entity: &cg.Claim{
			ID: cid, Field: c.Field, Value: string(value), Quote: c.Quote, Start: c.Start, End: c.End,
			Rule: c.Rule, Status: cg.ClaimProposed,
		}})
		g.Edges = append(g.Edges, cg.RelationshipBetween{Type: cg.RelClaimedIn, From: cid, To: id})
		if p := passageOf(doc.Passages, c.Start, c.End); p >= 0 {
			g.Edges = append(g.Edges, cg.RelationshipBetween{Type: cg.RelQuotes, From: cid, To: fmt.Sprintf("source:%s-%d", short, p)})
		}
	}
	return g, d
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
