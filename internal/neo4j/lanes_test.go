package neo4j_test

import (
	"fmt"
	"testing"

	"github.com/commissioning-graph/cgraph/internal/neo4j"
)

func link(from, to string) map[string]any { return map[string]any{"from": from, "to": to} }

// Links written at the same time must not meet at a node, or their
// transactions wait on each other's locks.
func TestLinkLanesShareNoNode(t *testing.T) {
	var rows []map[string]any
	// Three authorities buying 5, 3 and 2 contracts, and a provider holding
	// contracts of two of them, which joins those two into one component.
	for a, n := range []int{5, 3, 2} {
		for c := range n {
			rows = append(rows, link(fmt.Sprintf("contract:%d-%d", a, c), fmt.Sprintf("authority:%d", a)))
		}
	}
	rows = append(rows, link("contract:1-0", "provider:p"), link("contract:2-0", "provider:p"))

	lanes := neo4j.LinkLanes(rows, 2)
	if len(lanes) != 2 {
		t.Fatalf("got %d lanes, want 2", len(lanes))
	}
	laneOf := map[string]int{}
	seen := 0
	for i, lane := range lanes {
		for _, r := range lane {
			seen++
			for _, id := range []string{r["from"].(string), r["to"].(string)} {
				if j, ok := laneOf[id]; ok && j != i {
					t.Errorf("%s is in lanes %d and %d", id, j, i)
				}
				laneOf[id] = i
			}
		}
	}
	if seen != len(rows) {
		t.Errorf("lanes hold %d rows, want %d", seen, len(rows))
	}
	// Components of 5 and 7 rows (3 + 2 + the provider's 2): one lane each.
	if got := []int{len(lanes[0]), len(lanes[1])}; got[0]+got[1] != 12 || (got[0] != 7 && got[0] != 5) {
		t.Errorf("lane sizes %v, want 7 and 5", got)
	}
}

// A graph that is one component is written in one lane.
func TestLinkLanesKeepAComponentWhole(t *testing.T) {
	rows := []map[string]any{link("a", "b"), link("b", "c"), link("c", "d"), link("e", "d")}
	lanes := neo4j.LinkLanes(rows, 2)
	if len(lanes[0])+len(lanes[1]) != 4 || (len(lanes[0]) != 4 && len(lanes[1]) != 4) {
		t.Errorf("lane sizes %d and %d, want all 4 rows in one lane", len(lanes[0]), len(lanes[1]))
	}
}
