package neo4j

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

var _ cg.GraphWriter = (*Store)(nil)

// WriteGraph validates g and writes it in one transaction: sources, then
// nodes one label at a time, then edges one type at a time, each as UNWIND
// ... MERGE on the id in batches. Writing the same graph again changes
// nothing; a graph that fails validation or whose edges miss an end writes
// nothing. It records no changes in the audit trail: it is how the seed,
// which is the graph's founding data, is written.
func (s *Store) WriteGraph(ctx context.Context, g *cg.Graph) error {
	_, err := s.writeGraph(ctx, g, nil)
	return err
}

// ImportGraph writes g as WriteGraph does and records, in the same
// transaction, a change for every entity it creates or changes. Only admins
// may import.
func (s *Store) ImportGraph(ctx context.Context, by cg.Principal, g *cg.Graph) (cg.ImportResult, error) {
	if err := by.MayAdminister(); err != nil {
		return cg.ImportResult{}, err
	}
	return s.writeGraph(ctx, g, &by)
}

// ApplyGraph writes g as ImportGraph does for any principal that may write.
// An editor's graph is written in one transaction, which fails unless every
// entity it writes then belongs to the editor's authority or is shared (the
// authority rule, checked as for every write). It is how accepted claims of
// a document join the graph.
func (s *Store) ApplyGraph(ctx context.Context, by cg.Principal, g *cg.Graph) (cg.ImportResult, error) {
	if err := by.MayWrite(); err != nil {
		return cg.ImportResult{}, err
	}
	return s.writeGraph(ctx, g, &by)
}

type graphRows struct {
	sources     []map[string]any
	nodes       map[cg.Label][]map[string]any
	edges       map[cg.RelType][]map[string]any
	successions []map[string]any
}

func rowsOf(g *cg.Graph) graphRows {
	r := graphRows{nodes: map[cg.Label][]map[string]any{}, edges: map[cg.RelType][]map[string]any{}}
	for i := range g.Sources {
		r.sources = append(r.sources, map[string]any{"id": g.Sources[i].ID, "props": encode(&g.Sources[i])})
	}
	for _, n := range g.Nodes {
		l := n.Entity.EntityLabel()
		props := encode(n.Entity)
		for k, v := range n.Facts {
			if _, declared := props[k]; !declared {
				props[k] = v
			}
		}
		if len(n.Aliases) > 0 {
			props["aliases"] = n.Aliases
		}
		if n.Release != "" {
			props["releaseKey"] = n.Release
		}
		r.nodes[l] = append(r.nodes[l], map[string]any{
			"id": n.Entity.EntityID(), "props": props, "sources": nonNil(n.SourceIDs),
		})
	}
	for _, e := range g.Edges {
		r.edges[e.Type] = append(r.edges[e.Type], map[string]any{
			"from": e.From, "to": e.To, "sources": nonNil(e.SourceIDs),
		})
	}
	for _, sc := range g.Successions {
		r.successions = append(r.successions, map[string]any{
			"from": sc.Contract, "ocid": sc.PriorOCID, "sources": nonNil(sc.SourceIDs),
		})
	}
	return r
}

// writeGraph writes g; when by is not nil it also records changes and
// counts what it did. A graph of at most maxRows rows is written in one
// transaction. A larger one is written as an import run (see importRun):
// what it adds is staged out of readers' sight and published by its last
// transaction, so readers see all of it or none of it, however the write
// ends.
func (s *Store) writeGraph(ctx context.Context, g *cg.Graph, by *cg.Principal) (cg.ImportResult, error) {
	if err := g.Validate(); err != nil {
		return cg.ImportResult{}, err
	}
	g, err := s.withoutSuperseded(ctx, g)
	if err != nil {
		return cg.ImportResult{}, err
	}
	if by != nil {
		if g, err = s.withMerged(ctx, g); err != nil {
			return cg.ImportResult{}, err
		}
	}
	rows := rowsOf(g)
	stored, err := s.storedIDs(ctx, rows)
	if err != nil {
		return cg.ImportResult{}, err
	}
	w := &graphWrite{store: s, g: g, by: by, oc: &outcome{lost: map[string]bool{}, replaced: map[string]bool{}}}
	total := cg.ImportResult{Sources: len(rows.sources)}
	editor := by != nil && by.Role != cg.RoleAdmin
	n := rowCount(rows)
	if editor && n > maxRows {
		return total, cg.Errorf(cg.EINVALID, "an editor's write holds at most %d rows", maxRows)
	}
	if n <= maxRows { // all or nothing in one transaction
		p := planWrite(rows, planOptions{reconcile: by != nil, authorize: editor})
		err := w.writeBatches(ctx, p.batches(), &total)
		return total, err
	}
	run, err := s.beginRun(ctx, by)
	if err != nil {
		return total, err
	}
	defer run.end()
	w.staged = stageRows(&rows, stored, run.id)
	err = func() error {
		for _, ph := range planWrite(rows, planOptions{staged: w.staged}).phases {
			if err := w.writePhase(ctx, ph, &total); err != nil {
				return err
			}
		}
		return s.publish(ctx, run, w.staged, rows.successions, &total)
	}()
	if err != nil {
		// Readers never saw the run; clear it now rather than at the next
		// sweep, when the database lets us (clearing a run that did
		// publish, its commit lost, deletes nothing).
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		_ = s.clearRun(cctx, run.id)
		return total, err
	}
	return total, nil
}

// A graphWrite runs the batches of a plan: it knows the Cypher of each kind
// and what the batches of one write share (the contracts' outcome, which
// the link batches read once the node batches have found it).
type graphWrite struct {
	store  *Store
	g      *cg.Graph
	by     *cg.Principal
	staged *stagedRows // the import run's, or nil
	oc     *outcome
}

// run writes one batch in tx and adds what it did to res.
func (w *graphWrite) run(ctx context.Context, tx tx, b batch, res *cg.ImportResult) error {
	s := w.store
	switch b.kind {
	case batchSources:
		cypher, params := sourceStatement, map[string]any(nil)
		if b.staged {
			cypher, params = stagedSourceStatement, w.staged.params
		}
		if _, err := s.exec(ctx, tx, cypher, b.rows, params); err != nil {
			return fmt.Errorf("write sources: %w", err)
		}
	case batchNodes:
		var err error
		if b.staged {
			err = s.writeStagedNodes(ctx, tx, b.label, b.rows, w.by, w.staged.params, res)
		} else {
			err = s.writeNodes(ctx, tx, b.label, b.rows, w.by, w.staged.runParams(), res, w.oc)
		}
		if err != nil {
			return fmt.Errorf("write %s nodes: %w", b.label, err)
		}
	case batchLinks:
		rows, params := b.rows, w.staged.runParams()
		if w.staged == nil { // only the links the newest statement of each contract still makes
			rows = w.oc.stated(b.rel, rows)
		}
		created, err := s.exec(ctx, tx, edgeStatement(b.rel, b.ends[0], b.ends[1]), rows, params)
		if err != nil {
			return fmt.Errorf("write %s edges: %w", b.rel, err)
		}
		res.LinksCreated += created
		res.LinksSame += len(rows) - created
	case batchSuccessions:
		return s.writeSuccessions(ctx, tx, b.rows, res)
	case batchReconcile:
		// Links a newer statement of a contract no longer makes, and
		// tender-stage contracts that awarded ones of their process
		// replace, go: what depends on what the node batches found.
		if err := s.removeUnstatedLinks(ctx, tx, *w.by, w.oc, statedEnds(w.g), res); err != nil {
			return err
		}
		return s.removeSuperseded(ctx, tx, *w.by, w.g, res)
	case batchAuthorize: // the authority rule, checked inside the write
		ids := make([]string, 0, len(w.g.Nodes))
		for _, n := range w.g.Nodes {
			ids = append(ids, n.Entity.EntityID())
		}
		return s.authorize(ctx, tx, *w.by, ids...)
	}
	return nil
}

// writePhase writes the lanes of a phase at the same time, a batch per
// transaction, and waits for them. The first error stops the other lanes
// and is returned.
func (w *graphWrite) writePhase(ctx context.Context, ph phase, total *cg.ImportResult) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	for _, lane := range ph.lanes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, b := range lane {
				if ctx.Err() != nil {
					return
				}
				var part cg.ImportResult
				err := w.writeBatches(ctx, []batch{b}, &part)
				mu.Lock()
				total.Add(part)
				if err != nil && first == nil {
					first = err
					cancel()
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	if first == nil {
		first = mapError(ctx.Err())
	}
	return first
}

// writeBatches writes batches in one transaction and adds what they did to
// res.
func (w *graphWrite) writeBatches(ctx context.Context, batches []batch, res *cg.ImportResult) error {
	var part cg.ImportResult
	err := w.store.db.write(ctx, func(tx tx) error {
		part = cg.ImportResult{} // the function may be retried
		for _, b := range batches {
			if err := w.run(ctx, tx, b, &part); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		res.Add(part)
		rows := 0
		for _, b := range batches {
			rows += len(b.rows)
		}
		w.store.db.observe.Wrote(ctx, rows)
	}
	return err
}

// sourceStatement writes Sources. A Source's id is derived from its
// document and passage, so one that exists already says the same.
// One passage may be read from several files (a release package and a
// record package of the same release): the Source names the first by name,
// whatever the order they are imported in.
const sourceStatement = `
	UNWIND $rows AS row
	MERGE (s:Source {id: row.id})
	ON CREATE SET s += row.props, s:Entity, s.version = 1, s.recordedAt = datetime()
	ON MATCH SET s.file = CASE WHEN row.props.file < s.file THEN row.props.file ELSE s.file END
	SET s.version = coalesce(s.version, 1)`

// edgeStatement merges links of type t; fromStaged and toStaged say
// whether the ends are stored entities or nodes the import run stages.
func edgeStatement(t cg.RelType, fromStaged, toStaged bool) string {
	end := func(v, key string, staged bool) string {
		if staged {
			return fmt.Sprintf("(%s:ImportStaged {importRun: $run, id: row.%s})", v, key)
		}
		return fmt.Sprintf("(%s:Entity {id: row.%s})", v, key)
	}
	return fmt.Sprintf(`
		UNWIND $rows AS row
		MATCH %s, %s
		MERGE (a)-[r:%s]->(b)
		ON CREATE SET r.recordedAt = datetime()
		SET r.sources = CASE WHEN row.reset THEN row.sources ELSE reduce(acc = coalesce(r.sources, []), sid IN row.sources |
			CASE WHEN sid IN acc THEN acc ELSE acc + sid END) END`, end("a", "from", fromStaged), end("b", "to", toStaged), quote(string(t)))
}

// storedIDs returns which of the graph's ids (entities and sources) are
// stored already, and refuses, before anything is written, a graph whose
// ids belong to stored entities of another label.
func (s *Store) storedIDs(ctx context.Context, r graphRows) (map[string]bool, error) {
	var rows []map[string]any
	for l, ns := range r.nodes {
		for _, n := range ns {
			rows = append(rows, map[string]any{"id": n["id"], "label": string(l)})
		}
	}
	for _, src := range r.sources {
		rows = append(rows, map[string]any{"id": src["id"], "label": string(cg.LabelSource)})
	}
	stored := map[string]bool{}
	for start := 0; start < len(rows); start += maxRows {
		res, err := s.db.read(ctx, `
			UNWIND $rows AS row
			MATCH (n:Entity {id: row.id})
			RETURN n.id, row.label IN labels(n), row.label, labels(n)`, map[string]any{"rows": rows[start:min(start+maxRows, len(rows))]})
		if err != nil {
			return nil, fmt.Errorf("check ids: %w", err)
		}
		for _, rec := range res.Records {
			v := rec.Values
			if same, _ := v[1].(bool); !same {
				return nil, cg.Errorf(cg.ECONFLICT, "%s %v is already the id of a %s", v[2], v[0], entityLabel(stringList(v[3])))
			}
			stored[v[0].(string)] = true
		}
	}
	return stored, nil
}

// writeNodes merges the nodes of one label. With a principal the same
// statement also returns what each node held before, to count and record
// what changes.
// With params (an import run's), the nodes may also cite Sources the run
// stages, and the changes are recorded under the run.
func (s *Store) writeNodes(ctx context.Context, tx tx, l cg.Label, rows []map[string]any, by *cg.Principal, params map[string]any, res *cg.ImportResult, out *outcome) error {
	cypher := nodeStatement(l, params != nil)
	if by == nil {
		_, err := s.exec(ctx, tx, cypher, rows, params)
		return err
	}
	stored, err := s.mergeNodes(ctx, tx, cypher, rows, params)
	if err != nil {
		return err
	}
	var changes []changeRow
	for _, row := range rows {
		id := row["id"].(string)
		before := stored[id]
		_, exists := before["version"] // a node this statement created had none
		if !exists {
			before = nil
		}
		after := map[string]any{}
		for k, v := range before {
			after[k] = v // SET += keeps what the row does not mention
		}
		props := row["props"].(map[string]any)
		was, _ := before["releaseKey"].(string)
		now, _ := props["releaseKey"].(string)
		older := cg.OlderRelease(was, now)
		if !older {
			for k, v := range props {
				after[k] = v
			}
		}
		if aliases, ok := props["aliases"]; ok {
			after["aliases"] = unionSorted(before["aliases"], aliases)
		}
		if l == cg.LabelContract && props["releaseKey"] != nil {
			out.record(id, exists, older, before["releaseKey"] != props["releaseKey"])
		}
		fields := diff(before, after)
		switch {
		case !exists:
			res.EntitiesCreated++
		case len(fields) > 0:
			res.EntitiesUpdated++
		default:
			res.EntitiesSame++
			continue
		}
		changes = append(changes, changeRow{entityID: id, label: l, op: cg.ChangeImport, fields: fields})
	}
	run, _ := params["run"].(string)
	return s.recordChangesIn(ctx, tx, *by, run, false, changes)
}

// mergeNodes runs a nodeStatement over rows and returns, by id, the
// properties each node had before it.
func (s *Store) mergeNodes(ctx context.Context, tx tx, cypher string, rows []map[string]any, params map[string]any) (map[string]map[string]any, error) {
	p := map[string]any{"rows": rows}
	for k, v := range params {
		p[k] = v
	}
	res, err := s.db.run(ctx, tx, cypher+"\nRETURN row.id AS id, before", p)
	if err != nil {
		return nil, err
	}
	out := make(map[string]map[string]any, len(rows))
	for res.Next(ctx) {
		rec := res.Record()
		before, _ := rec.Values[1].(map[string]any)
		out[rec.Values[0].(string)] = before
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	if len(out) != len(rows) {
		return nil, cg.Errorf(cg.EINVALID, "%d of %d rows were not written", len(rows)-len(out), len(rows))
	}
	return out, nil
}

// nodeStatement merges nodes of label l on their id. The version starts at
// 1 and grows by one whenever the properties change. A statement read from
// an older release than the stored one changes nothing (see
// commissioning.OlderRelease: releaseKey is the node's Release). With staged set, the rows may also cite Sources an
// import run stages (row.staged).
func nodeStatement(l cg.Label, staged bool) string {
	cite := ""
	if staged {
		cite = `
		CALL (n, row) {
			UNWIND row.staged AS sid
			MATCH (s:ImportStaged {importRun: $run, id: sid})
			MERGE (n)-[:SOURCED_FROM]->(s)
		}`
	}
	return fmt.Sprintf(`
		UNWIND $rows AS row
		MERGE (n:%s {id: row.id})
		ON CREATE SET n.recordedAt = datetime()
		WITH n, row, properties(n) AS before
		SET n += CASE WHEN n.releaseKey > row.props.releaseKey THEN {} ELSE row.props END, n:Entity%s
		SET n.version = CASE WHEN n.version IS NULL OR properties(n) <> before
			THEN coalesce(n.version, 0) + 1 ELSE n.version END
		WITH n, row, before
		CALL (n, row) {
			UNWIND row.sources AS sid
			MATCH (s:Source {id: sid})
			MERGE (n)-[:SOURCED_FROM]->(s)
		}%s`, quote(string(l)), aliasClause(l), cite)
}

// aliasClause keeps, for organisations, every alias any statement gave,
// sorted, so that the order of imports does not show.
func aliasClause(l cg.Label) string {
	if l != cg.LabelAuthority && l != cg.LabelProvider {
		return ""
	}
	return `
		SET n.aliases = CASE WHEN row.props.aliases IS NULL THEN before.aliases
			ELSE COLLECT { UNWIND coalesce(before.aliases, []) + row.props.aliases AS a WITH DISTINCT a ORDER BY a RETURN a } END`
}

// unionSorted is the sorted union of two lists of strings, as aliasClause
// computes it.
func unionSorted(a, b any) []any {
	seen := map[string]bool{}
	var out []string
	for _, list := range []any{a, b} {
		for _, v := range stringList(list) {
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	sort.Strings(out)
	res := make([]any, len(out))
	for i, v := range out {
		res[i] = v
	}
	return res
}

// writeSuccessions links each contract to the contracts of the process it
// follows, found by ocid among what is stored (including what this
// transaction wrote).
func (s *Store) writeSuccessions(ctx context.Context, tx tx, rows []map[string]any, res *cg.ImportResult) error {
	if len(rows) == 0 {
		return nil
	}
	r, err := s.db.run(ctx, tx, `
		UNWIND $rows AS row
		MATCH (a:Contract {id: row.from})
		OPTIONAL MATCH (b:Contract {ocid: row.ocid}) WHERE b <> a
		CALL (a, b, row) {
			WITH a, b, row WHERE b IS NOT NULL
			MERGE (a)-[r:SUCCEEDS]->(b)
			ON CREATE SET r.recordedAt = datetime()
			SET r.sources = reduce(acc = coalesce(r.sources, []), sid IN row.sources |
				CASE WHEN sid IN acc THEN acc ELSE acc + sid END)
		}
		WITH row, count(b) AS found
		RETURN sum(CASE WHEN found = 0 THEN 1 ELSE 0 END) AS lost`, map[string]any{"rows": rows})
	if err != nil {
		return fmt.Errorf("write successions: %w", err)
	}
	rec, err := r.Single(ctx)
	if err != nil {
		return fmt.Errorf("write successions: %w", err)
	}
	lost, _ := rec.Values[0].(int64)
	res.PredecessorsLost += int(lost)
	sum, err := r.Consume(ctx)
	if err != nil {
		return fmt.Errorf("write successions: %w", err)
	}
	created := sum.Counters().RelationshipsCreated()
	res.LinksCreated += created
	res.LinksSame += len(rows) - int(lost) - created
	return nil
}

// exec runs a statement over rows (a batch of a plan, at most maxRows) and
// checks that every row was written, so that a row whose ends are missing
// fails the whole transaction. It returns how many relationships the
// statement created.
func (s *Store) exec(ctx context.Context, tx tx, cypher string, rows []map[string]any, params map[string]any) (int, error) {
	if len(rows) == 0 {
		return 0, nil
	}
	p := map[string]any{"rows": rows}
	for k, v := range params {
		p[k] = v
	}
	res, err := s.db.run(ctx, tx, cypher+"\nRETURN count(*) AS written", p)
	if err != nil {
		return 0, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return 0, err
	}
	if got, _ := rec.Values[0].(int64); int(got) != len(rows) {
		return 0, cg.Errorf(cg.EINVALID, "%d of %d rows refer to entities that do not exist", len(rows)-int(got), len(rows))
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		return 0, err
	}
	return sum.Counters().RelationshipsCreated(), nil
}

func nonNil(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}
