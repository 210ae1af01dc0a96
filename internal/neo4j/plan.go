package neo4j

import (
	"sort"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// A graph write runs as a plan: the rows of the graph cut, once, into
// batches of at most maxRows rows, each batch one statement; batches
// grouped into phases, each begun once the one before has been written;
// and each phase's batches spread over lanes written at the same time.
// Planning knows neither Cypher nor the database (plan_test.go tests it on
// its own); write.go runs a plan.
//
// A graph of at most maxRows rows is written in one transaction: every
// batch of every phase, in order. A larger one is written a batch per
// transaction, as an import run (see importRun), so readers see all of it
// or none.

// maxRows bounds the rows of one statement, and of one transaction of a
// graph written in several: large enough that round trips do not
// dominate, small enough that each commit is quick and the server's memory
// for it modest (a graph of a million rows in one transaction would
// exhaust it).
const maxRows = 10000

// writers is how many transactions of one phase run at once. Neo4j runs a
// transaction on one thread, so a second one uses a core the first leaves
// idle.
const writers = 2

type batchKind int

const (
	batchSources     batchKind = iota // Sources, merged on their id
	batchNodes                        // entities of one label
	batchLinks                        // relationships of one type
	batchSuccessions                  // contracts to the contracts of the process they follow
	batchReconcile                    // links and tender-stage contracts newer statements no longer make (no rows)
	batchAuthorize                    // an editor's authority rule over the graph's entities (no rows)
)

// A batch is one statement of a plan. For a write staged under an import
// run, staged says the batch creates what the run stages (sources and
// nodes) and ends which ends of its links are staged (from, to).
type batch struct {
	kind   batchKind
	label  cg.Label
	rel    cg.RelType
	staged bool
	ends   [2]bool
	rows   []map[string]any
}

// A phase is written once the phases before it are: its lanes at the same
// time, each batch after batch. Batches of different lanes never lock the
// same node: sources and entities create different nodes, and the links of
// one type are split into lanes that share no node (see linkLanes). Links
// of different types meet at the same nodes (a contract is bought by an
// authority and held by a provider), so each type is a phase of its own.
type phase struct {
	lanes [][]batch
}

// A plan is the phases of a graph write; single says it is written in one
// transaction (it is not staged: a graph is staged when it holds more than
// maxRows rows).
type plan struct {
	phases []phase
	single bool
}

// planOptions are what a plan depends on besides the rows: the rows an
// import run stages (nil unless the write is one), whether newer
// statements reconcile what older ones wrote (an audited write in one
// transaction), and whether an editor's authority rule is checked.
type planOptions struct {
	staged    *stagedRows
	reconcile bool
	authorize bool
}

// rowCount is how many rows a graph write holds.
func rowCount(r graphRows) int {
	n := len(r.sources) + len(r.successions)
	for _, ns := range r.nodes {
		n += len(ns)
	}
	for _, es := range r.edges {
		n += len(es)
	}
	return n
}

// planWrite plans the write of rows: sources, then nodes one label at a
// time, then links one type at a time, then successions (which, for a
// staged write, its publish links), then what reconciling and authorizing
// ask. With o.staged, rows holds what is stored already and o.staged what
// the run stages.
func planWrite(rows graphRows, o planOptions) plan {
	st := o.staged
	var sources, nodes phase
	if st == nil {
		sources.spread(batchesOf(batch{kind: batchSources}, rows.sources))
	} else {
		sources.spread(batchesOf(batch{kind: batchSources, staged: true}, st.sources))
	}
	for _, l := range sortedKeys(rows.nodes) {
		nodes.spread(batchesOf(batch{kind: batchNodes, label: l}, rows.nodes[l]))
	}
	if st != nil {
		for _, l := range sortedKeys(st.nodes) {
			nodes.spread(batchesOf(batch{kind: batchNodes, label: l, staged: true}, st.nodes[l]))
		}
	}
	p := plan{phases: []phase{sources, nodes}}
	for _, t := range sortedKeys(rows.edges) {
		var links phase
		for _, lane := range linkLanes(rows.edges[t], writers) {
			var batches []batch
			if st == nil {
				batches = batchesOf(batch{kind: batchLinks, rel: t}, lane)
			} else { // each end is a stored entity or one the run stages
				byEnds := map[[2]bool][]map[string]any{}
				for _, r := range lane {
					k := [2]bool{st.ids[r["from"].(string)], st.ids[r["to"].(string)]}
					byEnds[k] = append(byEnds[k], r)
				}
				for _, k := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
					batches = append(batches, batchesOf(batch{kind: batchLinks, rel: t, ends: k}, byEnds[k])...)
				}
			}
			links.lanes = append(links.lanes, batches)
		}
		p.phases = append(p.phases, links)
	}
	if st == nil && len(rows.successions) > 0 {
		p.phases = append(p.phases, phase{lanes: [][]batch{batchesOf(batch{kind: batchSuccessions}, rows.successions)}})
	}
	if o.reconcile && st == nil {
		p.phases = append(p.phases, phase{lanes: [][]batch{{{kind: batchReconcile}}}})
	}
	if o.authorize {
		p.phases = append(p.phases, phase{lanes: [][]batch{{{kind: batchAuthorize}}}})
	}
	p.single = st == nil
	return p
}

// batches lists the plan's batches in the order one transaction writes
// them.
func (p plan) batches() []batch {
	var out []batch
	for _, ph := range p.phases {
		for _, lane := range ph.lanes {
			out = append(out, lane...)
		}
	}
	return out
}

// batchesOf cuts rows into batches like b of at most maxRows rows.
func batchesOf(b batch, rows []map[string]any) []batch {
	var out []batch
	for start := 0; start < len(rows); start += maxRows {
		c := b
		c.rows = rows[start:min(start+maxRows, len(rows))]
		out = append(out, c)
	}
	return out
}

// spread adds batches to the phase's lanes, each to the lane with the
// fewest rows so far, so that the lanes take about as long.
func (ph *phase) spread(batches []batch) {
	for len(ph.lanes) < writers {
		ph.lanes = append(ph.lanes, nil)
	}
	sizes := make([]int, len(ph.lanes))
	for i, lane := range ph.lanes {
		for _, b := range lane {
			sizes[i] += len(b.rows)
		}
	}
	for _, b := range batches {
		i := lightest(sizes)
		ph.lanes[i] = append(ph.lanes[i], b)
		sizes[i] += len(b.rows)
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

func sortedKeys[K ~string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
