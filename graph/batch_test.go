package graph_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/commissioning-graph/cgraph/graph"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
)

const batchDoc = `mutation($ops: [BatchOperation!]!) { batch(operations: $ops) {
	operation id node { id ... on Team { version name } } relationship { type node { id } } } }`

// A batch applies its operations in one transaction, in order, ids created
// early usable later; one failing operation leaves nothing of it.
func TestBatch(t *testing.T) {
	a := newAPI(t, graph.Options{Verifier: testTokens})
	const team, svc = "team:test-batch", "service:test-batch"
	forget(t, team, svc)
	ops := []any{
		map[string]any{"create": map[string]any{"id": team, "team": map[string]any{"name": "Batch"}}},
		map[string]any{"create": map[string]any{"id": svc, "service": map[string]any{"name": "Batch service"},
			"source": map[string]any{"document": "test", "passage": "The batch service was set up."}}},
		map[string]any{"link": map[string]any{"type": "INTEGRATED_INTO", "from": svc, "to": team}},
		map[string]any{"update": map[string]any{"id": team, "version": 1, "team": map[string]any{"name": "Batch 2"}}},
	}

	t.Run("one failing operation leaves nothing", func(t *testing.T) {
		bad := append(append([]any{}, ops...), map[string]any{"link": map[string]any{"type": "INTEGRATED_INTO", "from": svc, "to": "team:test-batch-nowhere"}})
		r := a.send("admin", nil, batchDoc, map[string]any{"ops": bad})
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "NOT_FOUND" || !strings.Contains(r.Errors[0].Message, "operation 5") {
			t.Fatalf("errors %+v, want NOT_FOUND naming operation 5", r.Errors)
		}
		if n := neo4jtest.MustCount(t, "MATCH (n:Entity) WHERE n.id IN $ids RETURN count(n)", map[string]any{"ids": []string{team, svc}}); n != 0 {
			t.Errorf("%d of the batch's entities written", n)
		}
		if n := changesOf(t, team) + changesOf(t, svc); n != 0 {
			t.Errorf("%d audit records of a batch that failed", n)
		}
	})

	key := map[string]string{"Idempotency-Key": fmt.Sprint("batch-", time.Now().UnixNano())}
	var first any
	for i := 0; i < 2; i++ {
		r := a.send("admin", key, batchDoc, map[string]any{"ops": ops})
		if len(r.Errors) > 0 {
			t.Fatalf("try %d: %+v", i, r.Errors)
		}
		res := r.Data["batch"].([]any)
		if len(res) != 4 || at(res[3], "node", "version") != float64(2) || at(res[3], "node", "name") != "Batch 2" ||
			at(res[2], "relationship", "node", "id") != team || at(res[0], "operation") != "CREATE" {
			t.Errorf("try %d: %v", i, res)
		}
		if i == 0 {
			first = at(res[1], "node", "id")
		} else if at(res[1], "node", "id") != first {
			t.Errorf("retry answered %v, want %v", at(res[1], "node", "id"), first)
		}
	}
	if n := neo4jtest.MustCount(t, "MATCH (c:Change) WHERE c.entityId IN $ids RETURN count(c)", map[string]any{"ids": []string{team, svc}}); n != 4 {
		t.Errorf("%d audit records, want 4 (one per operation, none from the retry)", n)
	}

	t.Run("exactly one kind per operation", func(t *testing.T) {
		r := a.send("admin", nil, batchDoc, map[string]any{"ops": []any{
			map[string]any{"create": map[string]any{"id": "team:test-batch-x", "team": map[string]any{"name": "x"}, "service": map[string]any{"name": "y"}}},
		}})
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "INVALID" {
			t.Fatalf("errors %+v, want INVALID", r.Errors)
		}
		r = a.send("admin", nil, batchDoc, map[string]any{"ops": []any{map[string]any{}}})
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "INVALID" {
			t.Fatalf("errors %+v, want INVALID", r.Errors)
		}
	})
}
