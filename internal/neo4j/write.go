package neo4j

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

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
		r.nodes[l] = append(r.nodes[l], map[string]any{
			"id": n.Entity.EntityID(), "props": encode(n.Entity), "sources": nonNil(n.SourceIDs),
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

type runFunc func(ctx context.Context, tx neo4j.ManagedTransaction, rows []map[string]any, res *cg.ImportResult) error

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
// counts what it did.
func (s *Store) writeGraph(ctx context.Context, g *cg.Graph, by *cg.Principal) (cg.ImportResult, error) {
	if err := g.Validate(); err != nil {
		return cg.ImportResult{}, err
	}
	rows := rowsOf(g)
	if err := s.checkLabels(ctx, rows.nodes); err != nil {
		return cg.ImportResult{}, err
	}
	var sources, nodes stage
	sources.spread(chunksOf(rows.sources, func(ctx context.Context, tx neo4j.ManagedTransaction, rows []map[string]any, res *cg.ImportResult) error {
		if _, err := s.execBatches(ctx, tx, sourceStatement, rows); err != nil {
			return fmt.Errorf("write sources: %w", err)
		}
		return nil
	}))
	for _, l := range sortedKeys(rows.nodes) {
		nodes.spread(chunksOf(rows.nodes[l], func(ctx context.Context, tx neo4j.ManagedTransaction, rows []map[string]any, res *cg.ImportResult) error {
			if err := s.writeNodes(ctx, tx, l, rows, by, res); err != nil {
				return fmt.Errorf("write %s nodes: %w", l, err)
			}
			return nil
		}))
	}
	stages := []*stage{&sources, &nodes}
	for _, t := range sortedKeys(rows.edges) {
		run := func(ctx context.Context, tx neo4j.ManagedTransaction, rows []map[string]any, res *cg.ImportResult) error {
			created, err := s.execBatches(ctx, tx, edgeStatement(t), rows)
			if err != nil {
				return fmt.Errorf("write %s edges: %w", t, err)
			}
			res.LinksCreated += created
			res.LinksSame += len(rows) - created
			return nil
		}
		links := &stage{}
		for _, lane := range linkLanes(rows.edges[t], writers) {
			links.lanes = append(links.lanes, chunksOf(lane, run))
		}
		stages = append(stages, links)
	}
	stages = append(stages, &stage{lanes: [][]chunk{chunksOf(rows.successions,
		func(ctx context.Context, tx neo4j.ManagedTransaction, rows []map[string]any, res *cg.ImportResult) error {
			return s.writeSuccessions(ctx, tx, rows, res)
		})}})

	total := cg.ImportResult{Sources: len(rows.sources)}
	var all []chunk
	for _, st := range stages {
		for _, lane := range st.lanes {
			all = append(all, lane...)
		}
	}
	if rowsIn(all) <= maxTxRows { // all or nothing
		err := s.writeChunks(ctx, all, &total)
		return total, err
	}
	for _, st := range stages {
		if err := s.writeStage(ctx, st, &total); err != nil {
			return total, err
		}
	}
	return total, nil
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
	err := s.db.write(ctx, func(tx neo4j.ManagedTransaction) error {
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
const sourceStatement = `
	UNWIND $rows AS row
	MERGE (s:Source {id: row.id})
	ON CREATE SET s += row.props, s:Entity, s.version = 1, s.recordedAt = datetime()
	SET s.version = coalesce(s.version, 1)`

func edgeStatement(t cg.RelType) string {
	return fmt.Sprintf(`
		UNWIND $rows AS row
		MATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})
		MERGE (a)-[r:%s]->(b)
		ON CREATE SET r.recordedAt = datetime()
		SET r.sources = reduce(acc = coalesce(r.sources, []), sid IN row.sources |
			CASE WHEN sid IN acc THEN acc ELSE acc + sid END)`, quote(string(t)))
}

// checkLabels refuses, before anything is written, a graph whose ids belong
// to stored entities of another label.
func (s *Store) checkLabels(ctx context.Context, nodes map[cg.Label][]map[string]any) error {
	var rows []map[string]any
	for l, ns := range nodes {
		for _, n := range ns {
			rows = append(rows, map[string]any{"id": n["id"], "label": string(l)})
		}
	}
	for start := 0; start < len(rows); start += batchSize {
		res, err := s.db.read(ctx, `
			UNWIND $rows AS row
			MATCH (n:Entity {id: row.id})
			WHERE NOT row.label IN labels(n)
			RETURN n.id, row.label, labels(n) LIMIT 1`, map[string]any{"rows": rows[start:min(start+batchSize, len(rows))]})
		if err != nil {
			return fmt.Errorf("check ids: %w", err)
		}
		if len(res.Records) > 0 {
			v := res.Records[0].Values
			return cg.Errorf(cg.ECONFLICT, "%s %v is already the id of a %s", v[1], v[0], labelOf(stringList(v[2])))
		}
	}
	return nil
}

// writeNodes merges the nodes of one label. With a principal the same
// statement also returns what each node held before, to count and record
// what changes.
func (s *Store) writeNodes(ctx context.Context, tx neo4j.ManagedTransaction, l cg.Label, rows []map[string]any, by *cg.Principal, res *cg.ImportResult) error {
	if by == nil {
		_, err := s.execBatches(ctx, tx, nodeStatement(l), rows)
		return err
	}
	var changes []changeRow
	for start := 0; start < len(rows); start += batchSize {
		chunk := rows[start:min(start+batchSize, len(rows))]
		stored, err := s.mergeNodes(ctx, tx, l, chunk)
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
			if props := row["props"].(map[string]any); !olderRelease(before, props) {
				for k, v := range props {
					after[k] = v
				}
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
			changes = append(changes, changeRow{entityID: id, label: l, op: cg.OpImport, fields: fields})
		}
	}
	return s.recordChanges(ctx, tx, *by, changes)
}

// mergeNodes runs nodeStatement over rows and returns, by id, the
// properties each node had before it.
func (s *Store) mergeNodes(ctx context.Context, tx neo4j.ManagedTransaction, l cg.Label, rows []map[string]any) (map[string]map[string]any, error) {
	res, err := s.db.run(ctx, tx, nodeStatement(l)+"\nRETURN row.id AS id, before", map[string]any{"rows": rows})
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
// (see olderRelease).
func nodeStatement(l cg.Label) string {
	return fmt.Sprintf(`
		UNWIND $rows AS row
		MERGE (n:%s {id: row.id})
		ON CREATE SET n.recordedAt = datetime()
		WITH n, row, properties(n) AS before
		SET n += CASE WHEN n.releaseDate > row.props.releaseDate THEN {} ELSE row.props END, n:Entity
		SET n.version = CASE WHEN n.version IS NULL OR properties(n) <> before
			THEN coalesce(n.version, 0) + 1 ELSE n.version END
		WITH n, row, before
		CALL (n, row) {
			UNWIND row.sources AS sid
			MATCH (s:Source {id: sid})
			MERGE (n)-[:SOURCED_FROM]->(s)
		}`, quote(string(l)))
}

// olderRelease reports whether props were read from an OCDS release older
// than the one the stored properties were, which nodeStatement does not let
// overwrite them.
func olderRelease(stored, props map[string]any) bool {
	was, ok := stored["releaseDate"].(time.Time)
	now, ok2 := props["releaseDate"].(time.Time)
	return ok && ok2 && was.After(now)
}

// writeSuccessions links each contract to the contracts of the process it
// follows, found by ocid among what is stored (including what this
// transaction wrote).
func (s *Store) writeSuccessions(ctx context.Context, tx neo4j.ManagedTransaction, rows []map[string]any, res *cg.ImportResult) error {
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
func (s *Store) execBatches(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, rows []map[string]any) (int, error) {
	created := 0
	for start := 0; start < len(rows); start += batchSize {
		chunk := rows[start:min(start+batchSize, len(rows))]
		res, err := s.db.run(ctx, tx, cypher+"\nRETURN count(*) AS written", map[string]any{"rows": chunk})
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
