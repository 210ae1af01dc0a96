package neo4j

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// LatestDocument returns the newest version of the document at url: the one
// no other document replaces. ENOTFOUND when no document has that address.
func (s *Store) LatestDocument(ctx context.Context, url string) (*cg.Document, error) {
	res, err := s.db.read(ctx, `
		MATCH (d:Document {url: $url})
		WHERE NOT EXISTS { MATCH (:Document)-[:REPLACES]->(d) }
		RETURN d ORDER BY d.readAt DESC, d.id LIMIT 1`, map[string]any{"url": url})
	if err != nil {
		return nil, fmt.Errorf("find document: %w", err)
	}
	if len(res.Records) == 0 {
		return nil, cg.Errorf(cg.ENOTFOUND, "no document has the address %q", url)
	}
	e, err := decode(res.Records[0].Values[0].(dbtype.Node))
	if err != nil {
		return nil, fmt.Errorf("find document: %w", err)
	}
	return e.(*cg.Document), nil
}

// FindNamed returns the entities of label l whose property prop contains
// word, ignoring case, that belong to the authority (or, when authority is
// empty, all of them), at most 200. It finds the candidates a name may
// match; the caller compares their names.
func (s *Store) FindNamed(ctx context.Context, l cg.Label, prop, word, authority string) ([]cg.Entity, error) {
	if !l.Valid() {
		return nil, cg.Errorf(cg.EINVALID, "unknown label %q", l)
	}
	if _, ok := cg.Props(l)[prop]; !ok {
		return nil, cg.Errorf(cg.EINVALID, "%s has no property %q", l, prop)
	}
	scope := ""
	if authority != "" {
		scope = "AND EXISTS { MATCH " + belongsCypher + " (:Authority {id: $authority}) }"
	}
	res, err := s.db.read(ctx, fmt.Sprintf(`
		MATCH (n:%s)
		WHERE toLower(n.%s) CONTAINS $word %s
		RETURN n ORDER BY n.id LIMIT 200`, quote(string(l)), quote(prop), scope), map[string]any{
		"word": strings.ToLower(word), "authority": authority,
		"up": relNames(cg.BelongsUp()), "down": relNames(cg.BelongsDown()),
	})
	if err != nil {
		return nil, fmt.Errorf("find %s by %s: %w", l, prop, err)
	}
	out := make([]cg.Entity, 0, len(res.Records))
	for _, rec := range res.Records {
		e, err := decode(rec.Values[0].(dbtype.Node))
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// FindClaims returns the claims with the given ids, each with its document,
// authority and passage, in the order of ids; ENOTFOUND names the first id
// that is no claim.
func (s *Store) FindClaims(ctx context.Context, ids []string) ([]cg.ClaimInfo, error) {
	res, err := s.db.read(ctx, `
		UNWIND $ids AS id
		MATCH (c:Claim {id: id})-[:CLAIMED_IN]->(d:Document)
		OPTIONAL MATCH (d)-[:ISSUED_BY]->(a:Authority)
		OPTIONAL MATCH (c)-[:QUOTES]->(p:Source)
		RETURN c, d.id, a.id, p.id, EXISTS { MATCH (:Document)-[:REPLACES]->(d) }`, map[string]any{"ids": ids})
	if err != nil {
		return nil, fmt.Errorf("find claims: %w", err)
	}
	byID := map[string]cg.ClaimInfo{}
	for _, rec := range res.Records {
		e, err := decode(rec.Values[0].(dbtype.Node))
		if err != nil {
			return nil, err
		}
		c := e.(*cg.Claim)
		info := cg.ClaimInfo{Claim: c, Document: rec.Values[1].(string)}
		info.Authority, _ = rec.Values[2].(string)
		info.Passage, _ = rec.Values[3].(string)
		info.Replaced, _ = rec.Values[4].(bool)
		byID[c.ID] = info
	}
	out := make([]cg.ClaimInfo, 0, len(ids))
	for _, id := range ids {
		info, ok := byID[id]
		if !ok {
			return nil, cg.Errorf(cg.ENOTFOUND, "no claim has id %q", id)
		}
		out = append(out, info)
	}
	return out, nil
}

// DocumentClaims returns the claims of a document, in the order of their
// quotes in its text, filtered by status when it is not empty.
func (s *Store) DocumentClaims(ctx context.Context, document, status string) ([]cg.ClaimInfo, error) {
	res, err := s.db.read(ctx, `
		MATCH (c:Claim)-[:CLAIMED_IN]->(d:Document {id: $document})
		WHERE $status = '' OR c.status = $status
		RETURN c.id ORDER BY c.start, c.id`, map[string]any{"document": document, "status": status})
	if err != nil {
		return nil, fmt.Errorf("find claims: %w", err)
	}
	ids := make([]string, len(res.Records))
	for i, rec := range res.Records {
		ids[i] = rec.Values[0].(string)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return s.FindClaims(ctx, ids)
}

// MatchContracts returns the contracts that provider holds and buyer buys
// running exactly from start to end.
func (s *Store) MatchContracts(ctx context.Context, provider, buyer string, start, end cg.Date) ([]*cg.Contract, error) {
	res, err := s.db.read(ctx, `
		MATCH (:Provider {id: $provider})-[:HOLDS_CONTRACT]->(c:Contract)-[:BOUGHT_BY]->(:Authority {id: $buyer})
		WHERE c.startDate = $start AND c.endDate = $end
		RETURN c ORDER BY c.id`, map[string]any{
		"provider": provider, "buyer": buyer, "start": neo4j.Date(start.Time()), "end": neo4j.Date(end.Time()),
	})
	if err != nil {
		return nil, fmt.Errorf("match contracts: %w", err)
	}
	out := make([]*cg.Contract, 0, len(res.Records))
	for _, rec := range res.Records {
		e, err := decode(rec.Values[0].(dbtype.Node))
		if err != nil {
			return nil, err
		}
		out = append(out, e.(*cg.Contract))
	}
	return out, nil
}
