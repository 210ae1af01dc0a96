package neo4j

import (
	"context"
	"fmt"
	"sort"
	"sync"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// A contract read from OCDS is what its newest release says, links
// included: a buyer or supplier an older release named and the newest no
// longer does is not the contract's any more, and a release older than the
// stored one adds no link. So an import notes, as it writes contracts, which
// rows lost to a newer stored release and which replaced an older one, then
// writes only the links of the rows that won and removes from the contracts
// it replaced the links their new statement does not make.

// outcome is what the node stage of an import found out about contracts
// read from releases (rows with a releaseKey).
type outcome struct {
	mu       sync.Mutex
	lost     map[string]bool // the store holds a newer release
	replaced map[string]bool // the row replaced another release's statement
}

func (o *outcome) record(id string, existed, older, changed bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case older:
		o.lost[id] = true
	case existed && changed:
		o.replaced[id] = true
	}
}

// stated drops the link rows of contracts whose row lost, and marks those
// of contracts whose row replaced another statement to reset the link's
// sources to the new statement's.
func (o *outcome) stated(t cg.RelType, rows []map[string]any) []map[string]any {
	end := ""
	switch t {
	case cg.RelBoughtBy:
		end = "from"
	case cg.RelHoldsContract:
		end = "to"
	default:
		return rows
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.lost)+len(o.replaced) == 0 {
		return rows
	}
	out := make([]map[string]any, 0, len(rows))
	for _, r := range rows {
		id := r[end].(string)
		switch {
		case o.lost[id]:
		case o.replaced[id]:
			out = append(out, map[string]any{"from": r["from"], "to": r["to"], "sources": r["sources"], "reset": true})
		default:
			out = append(out, r)
		}
	}
	return out
}

func (o *outcome) replacedIDs() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	ids := make([]string, 0, len(o.replaced))
	for id := range o.replaced {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// ends are, per contract id, the ids of the buyers and the suppliers a graph
// states.
type ends map[string]*[2][]string

func statedEnds(g *cg.Graph) ends {
	out := ends{}
	at := func(id string) *[2][]string {
		if out[id] == nil {
			out[id] = &[2][]string{{}, {}}
		}
		return out[id]
	}
	for _, e := range g.Edges {
		switch e.Type {
		case cg.RelBoughtBy:
			at(e.From)[0] = append(at(e.From)[0], e.To)
		case cg.RelHoldsContract:
			at(e.To)[1] = append(at(e.To)[1], e.From)
		}
	}
	return out
}

// removeUnstatedLinks removes, from the contracts an import replaced, the
// BOUGHT_BY and HOLDS_CONTRACT links that rest only on OCDS sources and
// that the new statement does not make, recording each removal.
func (s *Store) removeUnstatedLinks(ctx context.Context, tx tx, by cg.Principal, out *outcome, stated ends, res *cg.ImportResult) error {
	ids := out.replacedIDs()
	if len(ids) == 0 {
		return nil
	}
	rows := make([]map[string]any, 0, len(ids))
	for _, id := range ids {
		e := stated[id]
		if e == nil {
			e = &[2][]string{{}, {}}
		}
		rows = append(rows, map[string]any{"id": id, "buyers": e[0], "suppliers": e[1]})
	}
	var changes []changeRow
	for _, q := range []struct{ cypher, rel string }{
		{`UNWIND $rows AS row
			MATCH (c:Contract {id: row.id})-[r:BOUGHT_BY]->(o:Entity)
			WHERE NOT o.id IN row.buyers AND size(coalesce(r.sources, [])) > 0
				AND all(sid IN r.sources WHERE sid STARTS WITH 'source:ocds-')
			WITH c, o, r, r.sources AS sources
			DELETE r
			RETURN c.id, o.id, labels(c), sources`, string(cg.RelBoughtBy)},
		{`UNWIND $rows AS row
			MATCH (o:Entity)-[r:HOLDS_CONTRACT]->(c:Contract {id: row.id})
			WHERE NOT o.id IN row.suppliers AND size(coalesce(r.sources, [])) > 0
				AND all(sid IN r.sources WHERE sid STARTS WITH 'source:ocds-')
			WITH c, o, r, r.sources AS sources
			DELETE r
			RETURN o.id, c.id, labels(o), sources`, string(cg.RelHoldsContract)},
	} {
		for start := 0; start < len(rows); start += maxRows {
			r, err := s.db.run(ctx, tx, q.cypher, map[string]any{"rows": rows[start:min(start+maxRows, len(rows))]})
			if err != nil {
				return fmt.Errorf("remove links no release states: %w", err)
			}
			for r.Next(ctx) {
				v := r.Record().Values
				changes = append(changes, changeRow{entityID: v[0].(string), label: entityLabel(stringList(v[2])), op: cg.ChangeUnlink,
					relType: q.rel, toID: v[1].(string), fields: diff(map[string]any{"sources": v[3]}, nil)})
			}
			if err := r.Err(); err != nil {
				return fmt.Errorf("remove links no release states: %w", err)
			}
		}
	}
	res.LinksRemoved += len(changes)
	return s.recordChanges(ctx, tx, by, changes)
}

// A process known only by its tender is a contract of stage "tender"; once
// the process has awarded contracts, those are its contracts. An import of
// awarded contracts removes the tender-stage one, and a tender-stage
// contract whose process has awarded ones in the store is not written, so
// the same files give the same contracts in any order.

const stageTender = "tender"

// withoutSuperseded returns g without the tender-stage contracts whose
// process the store already holds awarded contracts of (and without their
// links).
func (s *Store) withoutSuperseded(ctx context.Context, g *cg.Graph) (*cg.Graph, error) {
	var rows []map[string]any
	for _, n := range g.Nodes {
		if c, ok := n.Entity.(*cg.Contract); ok && n.Facts["stage"] == stageTender && c.OCID != nil {
			rows = append(rows, map[string]any{"id": c.ID, "ocid": *c.OCID})
		}
	}
	if len(rows) == 0 {
		return g, nil
	}
	drop := map[string]bool{}
	for start := 0; start < len(rows); start += maxRows {
		res, err := s.db.read(ctx, `
			UNWIND $rows AS row
			MATCH (o:Contract {ocid: row.ocid})
			WHERE o.id <> row.id AND coalesce(o.stage, '') <> 'tender'
			RETURN DISTINCT row.id`, map[string]any{"rows": rows[start:min(start+maxRows, len(rows))]})
		if err != nil {
			return nil, fmt.Errorf("find awarded contracts: %w", err)
		}
		for _, rec := range res.Records {
			drop[rec.Values[0].(string)] = true
		}
	}
	if len(drop) == 0 {
		return g, nil
	}
	out := &cg.Graph{Sources: g.Sources}
	for _, n := range g.Nodes {
		if !drop[n.Entity.EntityID()] {
			out.Nodes = append(out.Nodes, n)
		}
	}
	for _, e := range g.Edges {
		if !drop[e.From] && !drop[e.To] {
			out.Edges = append(out.Edges, e)
		}
	}
	for _, sc := range g.Successions {
		if !drop[sc.Contract] {
			out.Successions = append(out.Successions, sc)
		}
	}
	return out, nil
}

// removeSuperseded removes the stored tender-stage contracts of the
// processes g has awarded contracts of, recording each removal.
func (s *Store) removeSuperseded(ctx context.Context, tx tx, by cg.Principal, g *cg.Graph, res *cg.ImportResult) error {
	var rows []map[string]any
	seen := map[string]bool{}
	for _, n := range g.Nodes {
		c, ok := n.Entity.(*cg.Contract)
		if ok && c.OCID != nil && n.Facts["stage"] != "" && n.Facts["stage"] != stageTender && !seen[*c.OCID] {
			seen[*c.OCID] = true
			rows = append(rows, map[string]any{"ocid": *c.OCID})
		}
	}
	var changes []changeRow
	for start := 0; start < len(rows); start += maxRows {
		r, err := s.db.run(ctx, tx, `
			UNWIND $rows AS row
			MATCH (p:Contract {ocid: row.ocid}) WHERE p.stage = 'tender'
			WITH p, p.id AS id, properties(p) AS props
			DETACH DELETE p
			RETURN id, props`, map[string]any{"rows": rows[start:min(start+maxRows, len(rows))]})
		if err != nil {
			return fmt.Errorf("remove tender-stage contracts: %w", err)
		}
		for r.Next(ctx) {
			v := r.Record().Values
			props, _ := v[1].(map[string]any)
			changes = append(changes, changeRow{entityID: v[0].(string), label: cg.LabelContract, op: cg.ChangeDelete, fields: diff(props, nil)})
		}
		if err := r.Err(); err != nil {
			return fmt.Errorf("remove tender-stage contracts: %w", err)
		}
	}
	res.EntitiesRemoved += len(changes)
	return s.recordChanges(ctx, tx, by, changes)
}
