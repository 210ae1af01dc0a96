package neo4j

import (
	"fmt"
	"testing"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// rowsFor makes graph rows of n contracts, each citing a source of its
// own, bought by authorities of ten contracts each.
func rowsFor(n int) graphRows {
	r := graphRows{nodes: map[cg.Label][]map[string]any{}, edges: map[cg.RelType][]map[string]any{}}
	for i := range n {
		c, a := fmt.Sprintf("contract:%d", i), fmt.Sprintf("authority:%d", i/10)
		r.sources = append(r.sources, map[string]any{"id": "source:" + c})
		r.nodes[cg.LabelContract] = append(r.nodes[cg.LabelContract],
			map[string]any{"id": c, "props": map[string]any{}, "sources": []string{"source:" + c}})
		if i%10 == 0 {
			r.nodes[cg.LabelAuthority] = append(r.nodes[cg.LabelAuthority],
				map[string]any{"id": a, "props": map[string]any{}, "sources": []string{}})
		}
		r.edges[cg.RelBoughtBy] = append(r.edges[cg.RelBoughtBy], map[string]any{"from": c, "to": a})
	}
	return r
}

// A small graph is one transaction whose statements come in the order the
// store needs: sources before the nodes citing them, nodes (label by label)
// before links, then successions, reconciling and the authority rule.
func TestPlanOfASmallGraphIsOneTransactionInOrder(t *testing.T) {
	r := rowsFor(20)
	r.successions = []map[string]any{{"from": "contract:1", "ocid": "x"}}
	p := planWrite(r, planOptions{reconcile: true, authorize: true})
	if !p.single {
		t.Fatal("a graph that is not staged is not planned as one transaction")
	}
	var got []batchKind
	var labels []cg.Label
	rows := 0
	for _, b := range p.batches() {
		if len(got) == 0 || got[len(got)-1] != b.kind {
			got = append(got, b.kind)
		}
		if b.kind == batchNodes {
			labels = append(labels, b.label)
		}
		rows += len(b.rows)
	}
	want := []batchKind{batchSources, batchNodes, batchLinks, batchSuccessions, batchReconcile, batchAuthorize}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("statement kinds in order %v, want %v", got, want)
	}
	if fmt.Sprint(labels) != fmt.Sprint([]cg.Label{cg.LabelAuthority, cg.LabelContract}) {
		t.Errorf("node batches by label %v, want Authority then Contract", labels)
	}
	if rows != rowCount(r) {
		t.Errorf("the plan writes %d rows of %d", rows, rowCount(r))
	}
}

// A large graph is cut once: every row in exactly one batch, no batch over
// maxRows, the lanes of a phase about as full, the lanes of a link phase
// sharing no node, and nothing planned that the run's publish does.
func TestPlanCutsEveryRowOnceAndBalancesLanes(t *testing.T) {
	const n = 3*maxRows + 17
	r := rowsFor(n)
	st := stageRows(&r, map[string]bool{}, "run:test")
	p := planWrite(r, planOptions{staged: st})
	if p.single {
		t.Fatal("a staged graph is planned as one transaction")
	}
	seen := map[string]int{}
	links := 0
	for i, ph := range p.phases {
		if len(ph.lanes) > writers {
			t.Errorf("phase %d has %d lanes, more than %d writers", i, len(ph.lanes), writers)
		}
		var sizes []int
		laneOf := map[string]int{}
		for li, lane := range ph.lanes {
			size := 0
			for _, b := range lane {
				if len(b.rows) > maxRows || len(b.rows) == 0 {
					t.Errorf("phase %d: a batch of %d rows", i, len(b.rows))
				}
				if (b.kind == batchSources || b.kind == batchNodes) && !b.staged {
					t.Errorf("new rows planned as stored ones (%v)", b.kind)
				}
				if b.kind == batchSuccessions || b.kind == batchReconcile {
					t.Errorf("a staged write plans %v, which its publish does", b.kind)
				}
				size += len(b.rows)
				for _, row := range b.rows {
					id, _ := row["id"].(string)
					if b.kind != batchLinks {
						seen[id]++
						continue
					}
					links++
					if !b.ends[0] || !b.ends[1] {
						t.Errorf("a link between two staged nodes is planned with ends %v", b.ends)
					}
					for _, end := range []string{row["from"].(string), row["to"].(string)} {
						if j, ok := laneOf[end]; ok && j != li {
							t.Errorf("phase %d: %s is in lanes %d and %d", i, end, j, li)
						}
						laneOf[end] = li
					}
				}
			}
			sizes = append(sizes, size)
		}
		if len(sizes) == 2 && (sizes[0]-sizes[1] > maxRows || sizes[1]-sizes[0] > maxRows) {
			t.Errorf("phase %d: lanes of %v rows", i, sizes)
		}
	}
	for i := range n {
		for _, id := range []string{fmt.Sprintf("contract:%d", i), fmt.Sprintf("source:contract:%d", i), fmt.Sprintf("authority:%d", i/10)} {
			if seen[id] != 1 {
				t.Fatalf("%s is in %d batches, want 1", id, seen[id])
			}
		}
	}
	if want := 2*n + (n+9)/10; len(seen) != want {
		t.Errorf("%d nodes planned, want %d", len(seen), want)
	}
	if links != n {
		t.Errorf("%d links planned, want %d", links, n)
	}
}

// The full-text index is made again when it covers other labels or
// properties than the declarations search, or is not eventually
// consistent.
func TestStaleFullTextIndexIsKnown(t *testing.T) {
	eventual := map[string]any{"fulltext.eventually_consistent": true}
	labels, props := fullTextLabels(), fullTextProps()
	if !sameFullTextIndex(labels, props, eventual) {
		t.Error("the index fullTextIndex makes is taken for stale")
	}
	reversed := append([]string(nil), props...)
	for i, j := 0, len(reversed)-1; i < j; i, j = i+1, j-1 {
		reversed[i], reversed[j] = reversed[j], reversed[i]
	}
	if !sameFullTextIndex(labels, reversed, eventual) {
		t.Error("the same properties in another order are taken for stale")
	}
	for name, c := range map[string]struct {
		labels, props []string
		config        map[string]any
	}{
		"consistent":       {labels, props, map[string]any{"fulltext.eventually_consistent": false}},
		"no config":        {labels, props, nil},
		"a label fewer":    {labels[1:], props, eventual},
		"a property fewer": {labels, props[1:], eventual},
		"another property": {labels, append(props[1:], "other"), eventual},
	} {
		if sameFullTextIndex(c.labels, c.props, c.config) {
			t.Errorf("%s: a stale index is taken for current", name)
		}
	}
}
