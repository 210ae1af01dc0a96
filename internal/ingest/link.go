package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// linkField is the field of a claim that proposes to link an entity that
// accepting a document's claims made to one the graph held already, whose
// name is close to, but not the same as, the new one's. Its value is a
// LinkProposal. Accepting it merges the new entity into the one it is
// close to; rejecting it keeps them apart. It is never accepted in bulk
// (Request.Accept, acceptDocument): only by name.
const linkField = "link"

// RuleDoubtfulMatch is the rule of a proposal to link.
const RuleDoubtfulMatch = "doubtful-match"

// LinkProposal is the value of a claim of field "link": the entity made
// (From), the one it may be (Into), and why they may be one.
type LinkProposal struct {
	From string `json:"from"`
	Into string `json:"into"`
	Why  string `json:"why"`
}

// doubtful looks for providers whose names are close to name without being
// the same, for the new provider id. When it finds one it proposes, in the
// write, to link the two (once: a proposal already made is not made
// again), and returns "" so that the new provider is made; when that
// proposal was accepted before (the new provider was merged into the other
// one), it returns the other's id.
func (b *builder) doubtful(l cg.Label, prop, name, id string, f fact) (string, error) {
	key := cg.NameKey(name)
	seen := map[string]bool{}
	var close []cg.Entity
	for _, w := range searchWords(key) {
		cands, err := b.s.FindNamed(b.ctx, l, prop, w, "")
		if err != nil {
			return "", err
		}
		for _, c := range cands {
			if !seen[c.EntityID()] && closeNames(key, cg.NameKey(nameOf(c, prop))) {
				seen[c.EntityID()] = true
				close = append(close, c)
			}
		}
	}
	if len(close) == 0 || f.claim == nil {
		return "", nil
	}
	into := close[0]
	cid := fmt.Sprintf("claim:%s-link-%s", b.short, strings.NewReplacer(":", "-").Replace(id))
	switch e, err := b.s.FindEntity(b.ctx, cid); {
	case err == nil:
		if c, ok := e.(*cg.Claim); ok && c.Status == cg.ClaimAccepted {
			var p LinkProposal
			if json.Unmarshal([]byte(c.Value), &p) == nil && p.Into != "" {
				return p.Into, b.existing(p.Into)
			}
		}
		return "", nil // proposed already, or rejected: the new one stands apart
	case cg.ErrorCode(err) != cg.ENOTFOUND:
		return "", err
	}
	why := fmt.Sprintf("the document names %s %q, close to but not the same as %s %s %q",
		strings.ToLower(string(l)), name, strings.ToLower(string(l)), into.EntityID(), nameOf(into, prop))
	if len(close) > 1 {
		why += fmt.Sprintf(" (and %d more of close names)", len(close)-1)
	}
	value, err := json.Marshal(LinkProposal{From: id, Into: into.EntityID(), Why: why})
	if err != nil {
		return "", err
	}
	if err := b.existing(b.doc); err != nil {
		return "", err
	}
	b.add(&cg.Claim{ID: cid, Field: linkField, Value: string(value), Quote: f.claim.Quote, Start: f.claim.Start,
		End: f.claim.End, Rule: RuleDoubtfulMatch, Status: cg.ClaimProposed}, nil)
	b.g.Edges = append(b.g.Edges, cg.RelationshipBetween{Type: cg.RelClaimedIn, From: cid, To: b.doc})
	if f.source != "" {
		b.sourcesOf([]string{f.source})
		b.g.Edges = append(b.g.Edges, cg.RelationshipBetween{Type: cg.RelQuotes, From: cid, To: f.source})
	}
	return "", nil
}

// searchWords are the words to look for close names by: the longest word
// of the key, and the start of it, which a misspelling of its end shares.
func searchWords(key string) []string {
	words := strings.Fields(key)
	if len(words) == 0 {
		return nil
	}
	w := longest(words)
	r := []rune(w)
	if len(r) > 5 {
		return []string{w, string(r[:4])}
	}
	return []string{w}
}

// closeNames says whether two different keys (NameKey) are likely one
// name written two ways: one word more or fewer ("haven refuge" and
// "haven refuge trust"), or a slip of at most two letters in a name of
// six or more ("barnados", "barnardos").
func closeNames(a, b string) bool {
	if a == b || a == "" || b == "" {
		return false
	}
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	if len(wb) == len(wa)+1 && len(wa) > 0 {
		for skip := range wb {
			rest := append(append([]string{}, wb[:skip]...), wb[skip+1:]...)
			if strings.Join(rest, " ") == strings.Join(wa, " ") {
				return true
			}
		}
	}
	ra, rb := []rune(a), []rune(b)
	return min(len(ra), len(rb)) >= 6 && editDistance(ra, rb) <= 2
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// acceptLinks accepts proposals to link: each merges its new entity into
// the one it is close to (an admin's decision, audited by the merge), then
// the proposal is marked accepted.
func acceptLinks(ctx context.Context, s Store, by cg.Principal, links []cg.ClaimInfo) (*cg.ImportResult, error) {
	if err := by.MayAdminister(); err != nil {
		return nil, err
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	g := &cg.Graph{}
	for _, c := range links {
		if c.Claim.Status == cg.ClaimAccepted {
			continue
		}
		var p LinkProposal
		if err := json.Unmarshal([]byte(c.Claim.Value), &p); err != nil || p.From == "" || p.Into == "" {
			return nil, cg.Errorf(cg.EINVALID, "claim %s proposes no link", c.Claim.ID)
		}
		if _, err := s.MergeEntities(ctx, by, p.Into, []string{p.From}); err != nil {
			return nil, fmt.Errorf("link %s to %s: %w", p.From, p.Into, err)
		}
		claim := *c.Claim
		claim.Status, claim.DecidedBy, claim.DecidedAt = cg.ClaimAccepted, &by.Subject, &now
		g.Nodes = append(g.Nodes, cg.Node{Entity: &claim})
	}
	if len(g.Nodes) == 0 {
		return &cg.ImportResult{}, nil
	}
	res, err := s.ApplyGraph(ctx, by, g)
	return &res, err
}
