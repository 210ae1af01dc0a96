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

// batchSize is the most rows one UNWIND statement carries: large enough that
// round trips do not dominate, small enough to keep each statement's
// parameters and the server's memory for it modest.
const batchSize = 10000

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

// maxTxRows bounds the rows one transaction writes. A graph within it is
// written in one transaction. A larger one (a big import) is written in
// several, stage by stage (sources, nodes, links, successions), after it
// has been validated in full and checked against the store for clashing
// ids; should the database fail part-way, writing the same graph again
// completes it, since writes are idempotent. Transactions of this size
// commit faster than larger ones, and a graph of a million rows in one
// would exhaust the server's transaction memory.
const maxTxRows = 10000

// writers is how many transactions of one stage run at once. Neo4j runs a
// transaction on one thread, so a second one uses a core the first leaves
// idle.
const writers = 2

// chunk is one batched statement of a graph write: run writes rows in tx
// and adds what it did to res.
type chunk struct {
	rows []map[string]any
	run  runFunc
}

type runFunc func(ctx context.Context, tx tx, rows []map[string]any, res *cg.ImportResult) error

// A stage is a step of a graph write, begun once the stages before it are
// written. Its lanes are written at the same time, each chunk after chunk
// in transactions of up to maxTxRows rows, so chunks of different lanes
// must not lock the same nodes: sources and entities create different
// nodes, and the links of one type are split into lanes that share no node
// (see linkLanes). Links of different types meet at the same nodes (a
// contract is bought by an authority and held by a provider), so each type
// is a stage of its own.
type stage struct {
	lanes [][]chunk
}

// spread adds chunks to the stage's lanes, each to the lane with the fewest
// rows so far, so that the lanes take about as long.
func (st *stage) spread(chunks []chunk) {
	for len(st.lanes) < writers {
		st.lanes = append(st.lanes, nil)
	}
	sizes := make([]int, len(st.lanes))
	for i, lane := range st.lanes {
		sizes[i] = rowsIn(lane)
	}
	for _, c := range chunks {
		i := lightest(sizes)
		st.lanes[i] = append(st.lanes[i], c)
		sizes[i] += len(c.rows)
	}
}

// lightest returns the index of the smallest of sizes (the first of equals).
func lightest(sizes []int) int {
	best := 0
	for i := range sizes {
		if sizes[i] < sizes[best] {
			best = i
		}
	}
	return best
}

func rowsIn(chunks []chunk) int {
	n := 0
	for _, c := range chunks {
		n += len(c.rows)
	}
	return n
}

// chunksOf cuts rows into chunks of up to batchSize rows, each written by
// run.
func chunksOf(rows []map[string]any, run runFunc) []chunk {
	var out []chunk
	for start := 0; start < len(rows); start += batchSize {
		out = append(out, chunk{rows: rows[start:min(start+batchSize, len(rows))], run: run})
	}
	return out
}

// linkLanes splits link rows into up to n lanes whose rows share no node.
// Rows are grouped into the connected components their ends form (all the
// contracts one authority buys are one component), and each component goes
// whole to the lane with the fewest rows so far, largest first.
func linkLanes(rows []map[string]any, n int) [][]map[string]any {
	parent := map[string]string{}
	var find func(string) string
	find = func(id string) string {
		p, ok := parent[id]
		switch {
		case !ok:
			parent[id] = id
			return id
		case p == id:
			return id
		}
		root := find(p)
		parent[id] = root
		return root
	}
	for _, r := range rows {
		if a, b := find(r["from"].(string)), find(r["to"].(string)); a != b {
			parent[a] = b
		}
	}
	components := map[string][]map[string]any{}
	var roots []string
	for _, r := range rows {
		root := find(r["from"].(string))
		if _, ok := components[root]; !ok {
			roots = append(roots, root)
		}
		components[root] = append(components[root], r)
	}
	sort.SliceStable(roots, func(i, j int) bool { return len(components[roots[i]]) > len(components[roots[j]]) })
	lanes, sizes := make([][]map[string]any, n), make([]int, n)
	for _, root := range roots {
		i := lightest(sizes)
		lanes[i] = append(lanes[i], components[root]...)
		sizes[i] = len(lanes[i])
	}
	return lanes
}

// writeGraph writes g; when by is not nil it also records changes and
// counts what it did. A graph within maxTxRows is written in one
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
	n := len(rows.sources) + len(rows.successions)
	for _, ns := range rows.nodes {
		n += len(ns)
	}
	for _, es := range rows.edges {
		n += len(es)
	}
	total := cg.ImportResult{Sources: len(rows.sources)}
	oc := &outcome{lost: map[string]bool{}, replaced: map[string]bool{}}
	editor := by != nil && by.Role != cg.RoleAdmin
	if editor && n > maxTxRows {
		return total, cg.Errorf(cg.EINVALID, "an editor's write holds at most %d rows", maxTxRows)
	}
	if n <= maxTxRows { // all or nothing in one transaction
		var all []chunk
		for _, st := range s.stages(g, rows, by, nil, oc) {
			for _, lane := range st.lanes {
				all = append(all, lane...)
			}
		}
		if editor { // the authority rule, checked inside the write
			ids := make([]string, 0, len(g.Nodes))
			for _, n := range g.Nodes {
				ids = append(ids, n.Entity.EntityID())
			}
			all = append(all, chunk{rows: []map[string]any{{}}, run: func(ctx context.Context, tx tx, _ []map[string]any, _ *cg.ImportResult) error {
				return s.authorize(ctx, tx, *by, ids...)
			}})
		}
		err := s.writeChunks(ctx, all, &total)
		return total, err
	}
	run, err := s.beginRun(ctx, by)
	if err != nil {
		return total, err
	}
	defer run.end()
	staged := stageRows(&rows, stored, run.id)
	err = func() error {
		for _, st := range s.stages(g, rows, by, staged, oc) {
			if err := s.writeStage(ctx, st, &total); err != nil {
				return err
			}
		}
		return s.publish(ctx, run, staged, rows.successions, &total)
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

// stages returns the steps of writing rows: sources, nodes, the links of
// each type, and (unless the write is staged, when publish links them)
// successions. With staged set, what the graph adds is written out of
// readers' sight under its run.
func (s *Store) stages(g *cg.Graph, rows graphRows, by *cg.Principal, staged *stagedRows, oc *outcome) []*stage {
	var sources, nodes stage
	sourceRun := func(cypher string, params map[string]any) runFunc {
		return func(ctx context.Context, tx tx, rows []map[string]any, res *cg.ImportResult) error {
			if _, err := s.execBatches(ctx, tx, cypher, rows, params); err != nil {
				return fmt.Errorf("write sources: %w", err)
			}
			return nil
		}
	}
	if staged == nil {
		sources.spread(chunksOf(rows.sources, sourceRun(sourceStatement, nil)))
	} else {
		sources.spread(chunksOf(staged.sources, sourceRun(stagedSourceStatement, staged.params)))
	}
	for _, l := range sortedKeys(rows.nodes) {
		nodes.spread(chunksOf(rows.nodes[l], func(ctx context.Context, tx tx, rows []map[string]any, res *cg.ImportResult) error {
			if err := s.writeNodes(ctx, tx, l, rows, by, staged.runParams(), res, oc); err != nil {
				return fmt.Errorf("write %s nodes: %w", l, err)
			}
			return nil
		}))
		if staged != nil {
			nodes.spread(chunksOf(staged.nodes[l], func(ctx context.Context, tx tx, rows []map[string]any, res *cg.ImportResult) error {
				if err := s.writeStagedNodes(ctx, tx, l, rows, by, staged.params, res); err != nil {
					return fmt.Errorf("write %s nodes: %w", l, err)
				}
				return nil
			}))
		}
	}
	out := []*stage{&sources, &nodes}
	for _, t := range sortedKeys(rows.edges) {
		links := &stage{}
		for _, lane := range linkLanes(rows.edges[t], writers) {
			if staged == nil {
				links.lanes = append(links.lanes, chunksOf(lane, s.edgeRun(t, edgeStatement(t, false, false), nil, oc)))
				continue
			}
			// Each end is a stored entity or one this run stages.
			var chunks []chunk
			byEnds := map[[2]bool][]map[string]any{}
			for _, r := range lane {
				k := [2]bool{staged.ids[r["from"].(string)], staged.ids[r["to"].(string)]}
				byEnds[k] = append(byEnds[k], r)
			}
			for _, k := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
				chunks = append(chunks, chunksOf(byEnds[k], s.edgeRun(t, edgeStatement(t, k[0], k[1]), staged.params, nil))...)
			}
			links.lanes = append(links.lanes, chunks)
		}
		out = append(out, links)
	}
	if staged == nil {
		out = append(out, &stage{lanes: [][]chunk{chunksOf(rows.successions,
			func(ctx context.Context, tx tx, rows []map[string]any, res *cg.ImportResult) error {
				return s.writeSuccessions(ctx, tx, rows, res)
			})}})
	}
	if by != nil && staged == nil {
		// Links a newer statement of a contract no longer makes, and
		// tender-stage contracts that awarded ones of their process
		// replace, go. These chunks carry no rows of their own: what they
		// remove depends on what the stages before them found.
		ends := statedEnds(g)
		out = append(out, &stage{lanes: [][]chunk{{{run: func(ctx context.Context, tx tx, _ []map[string]any, res *cg.ImportResult) error {
			if err := s.removeUnstatedLinks(ctx, tx, *by, oc, ends, res); err != nil {
				return err
			}
			return s.removeSuperseded(ctx, tx, *by, g, res)
		}}}}})
	}
	return out
}

// edgeRun writes links of type t; with oc, only those the newest statement
// of each contract still makes (see outcome.stated).
func (s *Store) edgeRun(t cg.RelType, cypher string, params map[string]any, oc *outcome) runFunc {
	return func(ctx context.Context, tx tx, rows []map[string]any, res *cg.ImportResult) error {
		if oc != nil {
			rows = oc.stated(t, rows)
		}
		created, err := s.execBatches(ctx, tx, cypher, rows, params)
		if err != nil {
			return fmt.Errorf("write %s edges: %w", t, err)
		}
		res.LinksCreated += created
		res.LinksSame += len(rows) - created
		return nil
	}
}

// writeStage writes the lanes of a stage at the same time and waits for
// them. The first error stops the other lanes and is returned.
func (s *Store) writeStage(ctx context.Context, st *stage, total *cg.ImportResult) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	for _, lane := range st.lanes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, tx := range transactions(lane) {
				if ctx.Err() != nil {
					return
				}
				var part cg.ImportResult
				err := s.writeChunks(ctx, tx, &part)
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

// transactions groups chunks, in order, into transactions of up to
// maxTxRows rows (a larger chunk is a transaction of its own).
func transactions(chunks []chunk) [][]chunk {
	var txs [][]chunk
	for i := 0; i < len(chunks); {
		j, n := i, 0
		for j < len(chunks) && (j == i || n+len(chunks[j].rows) <= maxTxRows) {
			n += len(chunks[j].rows)
			j++
		}
		txs = append(txs, chunks[i:j])
		i = j
	}
	return txs
}

// writeChunks writes chunks in one transaction and adds what they did to
// res.
func (s *Store) writeChunks(ctx context.Context, chunks []chunk, res *cg.ImportResult) error {
	var part cg.ImportResult
	err := s.db.write(ctx, func(tx tx) error {
		part = cg.ImportResult{} // the function may be retried
		for _, c := range chunks {
			if err := c.run(ctx, tx, c.rows, &part); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		res.Add(part)
		s.db.observe.Wrote(ctx, rowsIn(chunks))
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
	for start := 0; start < len(rows); start += batchSize {
		res, err := s.db.read(ctx, `
			UNWIND $rows AS row
			MATCH (n:Entity {id: row.id})
			RETURN n.id, row.label IN labels(n), row.label, labels(n)`, map[string]any{"rows": rows[start:min(start+batchSize, len(rows))]})
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
		_, err := s.execBatches(ctx, tx, cypher, rows, params)
		return err
	}
	var changes []changeRow
	for start := 0; start < len(rows); start += batchSize {
		chunk := rows[start:min(start+batchSize, len(rows))]
		stored, err := s.mergeNodes(ctx, tx, cypher, chunk, params)
		if err != nil {
			return err
		}
		for _, row := range chunk {
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
			older := olderRelease(before, props)
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
	}
	run, _ := params["run"].(string)
	return s.recordChangesIn(ctx, tx, *by, run, changes)
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
// 1 and grows by one whenever the properties change. Properties read from
// an OCDS release older than the one a node was read from change nothing
// (see olderRelease). With staged set, the rows may also cite Sources an
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
		SET n += CASE WHEN n.releaseKey > row.props.releaseKey OR n.releaseDate > row.props.releaseDate
			THEN {} ELSE row.props END, n:Entity%s
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

// olderRelease reports whether props were read from an OCDS release older
// than the one the stored properties were, which nodeStatement does not let
// overwrite them: by release key (date, release id and digest) where both
// have one, else by release date.
func olderRelease(stored, props map[string]any) bool {
	if was, ok := stored["releaseKey"].(string); ok {
		if now, ok := props["releaseKey"].(string); ok && was > now {
			return true
		}
	}
	was, ok := stored["releaseDate"].(time.Time)
	now, ok2 := props["releaseDate"].(time.Time)
	return ok && ok2 && was.After(now)
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
	for start := 0; start < len(rows); start += batchSize {
		chunk := rows[start:min(start+batchSize, len(rows))]
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
			RETURN sum(CASE WHEN found = 0 THEN 1 ELSE 0 END) AS lost`, map[string]any{"rows": chunk})
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
		res.LinksSame += len(chunk) - int(lost) - created
	}
	return nil
}

// execBatches runs a statement over rows in batches and checks that every
// row was written, so that a row whose ends are missing fails the whole
// transaction. It returns how many relationships the statements created.
func (s *Store) execBatches(ctx context.Context, tx tx, cypher string, rows []map[string]any, params map[string]any) (int, error) {
	created := 0
	for start := 0; start < len(rows); start += batchSize {
		chunk := rows[start:min(start+batchSize, len(rows))]
		p := map[string]any{"rows": chunk}
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
		if got, _ := rec.Values[0].(int64); int(got) != len(chunk) {
			return 0, cg.Errorf(cg.EINVALID, "%d of %d rows refer to entities that do not exist", len(chunk)-int(got), len(chunk))
		}
		sum, err := res.Consume(ctx)
		if err != nil {
			return 0, err
		}
		created += sum.Counters().RelationshipsCreated()
	}
	return created, nil
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

func nonNil(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}
