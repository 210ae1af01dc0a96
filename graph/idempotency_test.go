package graph_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/commissioning-graph/cgraph/graph"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
)

func forget(t *testing.T, ids ...string) {
	t.Helper()
	neo4jtest.MustForget(t, ids...)
	t.Cleanup(func() { neo4jtest.MustForget(t, ids...) })
}

func changesOf(t *testing.T, id string) int64 {
	t.Helper()
	return neo4jtest.MustCount(t, "MATCH (c:Change {entityId: $id}) RETURN count(c)", map[string]any{"id": id})
}

// A mutation retried with the same Idempotency-Key returns the first
// answer and writes nothing more; without the key the retry of a create
// is a CONFLICT and the retry of an update a version CONFLICT, which a
// client cannot tell from someone else's write.
func TestIdempotencyKey(t *testing.T) {
	a := newAPI(t, graph.Options{Verifier: testTokens})
	const team, svc = "team:test-idem", "service:test-idem"
	forget(t, team, svc)
	create := `mutation { first: createTeam(id: "team:test-idem", input: {name: "Idem"}) { id version name }
		second: createService(id: "service:test-idem", input: {name: "Idem service"}) { id version } }`
	run := fmt.Sprint(time.Now().UnixNano()) // keys of earlier runs are kept a day
	key := map[string]string{"Idempotency-Key": "create-" + run}

	r := a.send("admin", key, create, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("first try: %+v", r.Errors)
	}
	for i := 0; i < 3; i++ {
		again := a.send("admin", key, create, nil)
		if len(again.Errors) > 0 {
			t.Fatalf("retry %d: %+v", i, again.Errors)
		}
		if at(again.Data, "first", "id") != team || at(again.Data, "second", "id") != svc || at(again.Data, "first", "version") != float64(1) {
			t.Errorf("retry %d answered %v, want the first answer %v", i, again.Data, r.Data)
		}
	}
	if n := neo4jtest.MustCount(t, "MATCH (n:Entity) WHERE n.id IN $ids RETURN count(n)", map[string]any{"ids": []string{team, svc}}); n != 2 {
		t.Errorf("%d entities, want 2", n)
	}
	if n := changesOf(t, team); n != 1 {
		t.Errorf("%d changes recorded for %s, want 1", n, team)
	}
	if r := a.send("admin", nil, create, nil); r.Errors == nil || r.Errors[0].Extensions["code"] != "CONFLICT" {
		t.Errorf("without a key the retry is %+v; want CONFLICT (the case keys are for)", r.Errors)
	}

	t.Run("update", func(t *testing.T) {
		update := `mutation { updateTeam(id: "team:test-idem", version: 1, input: {name: "Idem 2"}) { version name } }`
		key := map[string]string{"Idempotency-Key": "update-" + run}
		for i := 0; i < 3; i++ {
			r := a.send("admin", key, update, nil)
			if len(r.Errors) > 0 {
				t.Fatalf("try %d: %+v", i, r.Errors)
			}
			if at(r.Data, "updateTeam", "version") != float64(2) {
				t.Errorf("try %d: %v, want version 2", i, r.Data)
			}
		}
		if n := changesOf(t, team); n != 2 {
			t.Errorf("%d changes recorded, want 2", n)
		}
	})
	t.Run("link and unlink", func(t *testing.T) {
		link := `mutation { link(type: INTEGRATED_INTO, from: "service:test-idem", to: "team:test-idem") { type node { id } } }`
		unlink := `mutation { unlink(type: INTEGRATED_INTO, from: "service:test-idem", to: "team:test-idem") }`
		for i := 0; i < 2; i++ {
			if r := a.send("admin", map[string]string{"Idempotency-Key": "link-" + run}, link, nil); len(r.Errors) > 0 || at(r.Data, "link", "node", "id") != team {
				t.Fatalf("link try %d: %v %+v", i, r.Data, r.Errors)
			}
		}
		for i := 0; i < 2; i++ {
			if r := a.send("admin", map[string]string{"Idempotency-Key": "unlink-" + run}, unlink, nil); len(r.Errors) > 0 {
				t.Fatalf("unlink try %d: %+v", i, r.Errors)
			}
		}
	})
	t.Run("same key, other request", func(t *testing.T) {
		other := `mutation { first: createTeam(id: "team:test-idem", input: {name: "Something else"}) { id } }`
		r := a.send("admin", key, other, nil)
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "CONFLICT" {
			t.Fatalf("%+v, want CONFLICT", r.Errors)
		}
	})
	t.Run("keys belong to their principal", func(t *testing.T) {
		r := a.send("admin2", key, create, nil)
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "CONFLICT" {
			t.Fatalf("another admin's request with the same key: %+v; want the id CONFLICT of a write of its own", r.Errors)
		}
	})
	t.Run("malformed key", func(t *testing.T) {
		r := a.send("admin", map[string]string{"Idempotency-Key": "caf\u00e9"}, create, nil)
		if r.Status != 400 || len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "INVALID" {
			t.Fatalf("status %d %+v, want 400 INVALID", r.Status, r.Errors)
		}
	})
}

// A document of several mutations keeps the answers of those that
// succeeded when a later one fails: the failed field is null beside its
// error, not the whole of data (which hid the ids already created).
func TestPartialMutationResults(t *testing.T) {
	a := newAPI(t, graph.Options{Verifier: testTokens})
	const team = "team:test-partial"
	forget(t, team)
	r := a.send("admin", nil, `mutation {
		first: createTeam(id: "team:test-partial", input: {name: "Partial"}) { id version }
		second: createTeam(id: "team:test-partial", input: {name: "Partial again"}) { id version }
	}`, nil)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "CONFLICT" {
		t.Fatalf("errors %+v, want one CONFLICT", r.Errors)
	}
	if at(r.Data, "first", "id") != team {
		t.Errorf("data %v, want first.id %s", r.Data, team)
	}
	if r.Data == nil || r.Data["second"] != nil {
		t.Errorf("data %v, want second null", r.Data)
	}
}
