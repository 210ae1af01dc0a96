package main_test

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
)

// `cgraph send` sends a mutation with an Idempotency-Key: sent twice with
// the same key it creates the entity once and answers the same both times.
func TestSendMutationWithKey(t *testing.T) {
	a := startAPI(t, "AUTH_JWT_SECRET="+testSecret)
	token := mint(t, "-sub", "e2e-sender", "-role", "admin")
	id := fmt.Sprintf("team:e2e-send-%d", time.Now().UnixNano())
	neo4jtest.MustForget(t, id)
	t.Cleanup(func() { neo4jtest.MustForget(t, id) })
	doc := `mutation($id: ID!) { createTeam(id: $id, input: {name: "Sent"}) { id version } }`
	vars := fmt.Sprintf(`{"id": %q}`, id)
	var answers []string
	for i := 0; i < 2; i++ {
		cmd := exec.Command(binary, "send", "-url", a.url+"/graphql", "-vars", vars, "-key", "send-"+id, doc)
		cmd.Env = append(os.Environ(), "CGRAPH_TOKEN="+token)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("send %d: %v\n%s", i, err, out)
		}
		answers = append(answers, strings.TrimSpace(string(out)))
	}
	if answers[0] != answers[1] || !strings.Contains(answers[0], `"version":1`) {
		t.Errorf("answers %q, want the same creation twice", answers)
	}
	if n := neo4jtest.MustCount(t, "MATCH (c:Change {entityId: $id}) RETURN count(c)", map[string]any{"id": id}); n != 1 {
		t.Errorf("%d changes recorded, want 1", n)
	}
	cmd := exec.Command(binary, "send", "-url", a.url+"/graphql", "-vars", vars, doc)
	cmd.Env = append(os.Environ(), "CGRAPH_TOKEN="+token)
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "CONFLICT") {
		t.Errorf("with a new key: %v %s; want CONFLICT", err, out)
	}
}
