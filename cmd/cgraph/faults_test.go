//go:build faults

// The fault suite: the real binary against the test Neo4j, with the
// database cut off under a write load and the importer killed part-way.
// It is bounded in count and time and uses loopback only. Run it with
// `make test-faults`; docs/FAULTS.md reports what it measures.

package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
	"github.com/commissioning-graph/cgraph/internal/ocds"
)

// attempt is one HTTP request of the write load.
type attempt struct {
	start, end time.Time
	code       string // "" for success, an extensions.code, or NETWORK
}

// keyed sends a mutation with an Idempotency-Key and returns its error code.
func keyed(client *http.Client, apiURL, token, key, query string, vars map[string]any) (code string, data json.RawMessage) {
	req, _ := http.NewRequest(http.MethodPost, apiURL+"/graphql", strings.NewReader(gqlBody(query, vars, nil)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	res, err := client.Do(req)
	if err != nil {
		return "NETWORK", nil
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		return fmt.Sprintf("HTTP_%d", res.StatusCode), nil
	}
	if len(r.Errors) > 0 {
		c, _ := r.Errors[0].Extensions["code"].(string)
		return c, nil
	}
	return "", r.Data
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[int(p*float64(len(ds)-1))]
}

// Neo4j is cut off several times (a TCP proxy between the API and the
// database closes every connection and refuses new ones) while four
// clients create entities, each write with an Idempotency-Key and retried
// with the same key on UNAVAILABLE, OUTCOME_UNKNOWN or a network error.
// Every acknowledged write is in the graph exactly once, with one audit
// record; requests fail fast while the database is down and succeed soon
// after it is back, with no restart of the API.
func TestFaultWritesSurviveCutOff(t *testing.T) {
	c := neo4jtest.Config(t)
	u, err := url.Parse(c.URI)
	if err != nil {
		t.Fatal(err)
	}
	proxy := neo4jtest.MustProxy(t, u.Host)
	a := startAPI(t, "AUTH_JWT_SECRET="+testSecret, "NEO4J_URI=bolt://"+proxy.Addr)
	token := mint(t, "-sub", "fault-writer", "-role", "admin")
	run := fmt.Sprint(time.Now().Unix())
	prefix := "team:fault-" + run + "-"
	t.Cleanup(func() {
		neo4jtest.MustCount(t, "MATCH (n:Team) WHERE n.id STARTS WITH $p DETACH DELETE n RETURN 0", map[string]any{"p": prefix})
		neo4jtest.MustCount(t, "MATCH (c:Change) WHERE c.entityId STARTS WITH $p DETACH DELETE c RETURN 0", map[string]any{"p": prefix})
	})

	// Cuts, as offsets from the start of the load: long outages, and short
	// flaps that land in the middle of transactions and commits.
	type window struct{ from, to time.Duration }
	cuts := []window{{2 * time.Second, 5 * time.Second}, {7 * time.Second, 7300 * time.Millisecond},
		{8 * time.Second, 8100 * time.Millisecond}, {9 * time.Second, 12 * time.Second}}
	const load = 14 * time.Second
	const workers = 4

	var (
		mu       sync.Mutex
		attempts []attempt
		acked    []string
		lost     []string
		unknowns int
	)
	start := time.Now()
	var cutAt, restoredAt []time.Time
	go func() {
		for _, w := range cuts {
			time.Sleep(time.Until(start.Add(w.from)))
			proxy.Cut()
			mu.Lock()
			cutAt = append(cutAt, time.Now())
			mu.Unlock()
			time.Sleep(time.Until(start.Add(w.to)))
			proxy.Restore()
			mu.Lock()
			restoredAt = append(restoredAt, time.Now())
			mu.Unlock()
		}
	}()
	client := &http.Client{Timeout: 20 * time.Second}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Since(start) < load; i++ {
				id := fmt.Sprintf("%s%d-%d", prefix, w, i)
				key := fmt.Sprintf("fault-%s-%d-%d", run, w, i)
				deadline := time.Now().Add(60 * time.Second)
				for {
					s := time.Now()
					code, _ := keyed(client, a.url, token, key, `mutation($id: ID!, $name: String!) { createTeam(id: $id, input: {name: $name}) { id version } }`,
						map[string]any{"id": id, "name": "Fault " + id})
					mu.Lock()
					attempts = append(attempts, attempt{s, time.Now(), code})
					if code == "OUTCOME_UNKNOWN" {
						unknowns++
					}
					mu.Unlock()
					if code == "" {
						mu.Lock()
						acked = append(acked, id)
						mu.Unlock()
						break
					}
					if code != "UNAVAILABLE" && code != "OUTCOME_UNKNOWN" && code != "NETWORK" || time.Now().After(deadline) {
						mu.Lock()
						lost = append(lost, id+": "+code)
						mu.Unlock()
						break
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	if len(lost) > 0 {
		t.Errorf("%d writes failed for good (a retry with the same key should never be refused): %v", len(lost), lost[:min(len(lost), 5)])
	}

	// Every acknowledged write is there once, with one audit record, and
	// nothing else was written.
	n := neo4jtest.MustCount(t, "UNWIND $ids AS id MATCH (n:Team {id: id}) RETURN count(n)", map[string]any{"ids": acked})
	all := neo4jtest.MustCount(t, "MATCH (n:Team) WHERE n.id STARTS WITH $p RETURN count(n)", map[string]any{"p": prefix})
	changes := neo4jtest.MustCount(t, "MATCH (c:Change) WHERE c.entityId STARTS WITH $p RETURN count(c)", map[string]any{"p": prefix})
	if n != int64(len(acked)) || all != n || changes != n {
		t.Errorf("%d acknowledged writes: %d of them in the graph, %d entities and %d audit records in all; want %d of each",
			len(acked), n, all, changes, len(acked))
	}

	// Time to fail: from each cut to the first UNAVAILABLE; latency of the
	// answers while the database was known to be down. Time to recover:
	// from each restore to the first success.
	var failAfter, recoverAfter, downLatency []time.Duration
	for i := range cutAt {
		var firstFail, firstOK time.Time
		for _, at := range attempts {
			if at.code == "UNAVAILABLE" && at.end.After(cutAt[i]) && at.end.Before(restoredAt[i]) && (firstFail.IsZero() || at.end.Before(firstFail)) {
				firstFail = at.end
			}
			if at.code == "" && at.end.After(restoredAt[i]) && (firstOK.IsZero() || at.end.Before(firstOK)) {
				firstOK = at.end
			}
		}
		if !firstFail.IsZero() {
			failAfter = append(failAfter, firstFail.Sub(cutAt[i]))
			for _, at := range attempts {
				if at.start.After(firstFail) && at.end.Before(restoredAt[i]) {
					downLatency = append(downLatency, at.end.Sub(at.start))
				}
			}
		}
		if firstOK.IsZero() {
			t.Errorf("no write succeeded after the database came back at %v", restoredAt[i].Sub(start))
			continue
		}
		recoverAfter = append(recoverAfter, firstOK.Sub(restoredAt[i]))
	}
	maxOf := func(ds []time.Duration) time.Duration {
		m := time.Duration(0)
		for _, d := range ds {
			m = max(m, d)
		}
		return m
	}
	codes := map[string]int{}
	for _, at := range attempts {
		codes[at.code]++
	}
	t.Logf("%d writes acknowledged, %d requests (%v by code; \"\" is success), %d OUTCOME_UNKNOWN answers settled by a retry", len(acked), len(attempts), codes, unknowns)
	t.Logf("%d cuts: time to fail (cut to first UNAVAILABLE) max %v; answers while down: %d, p50 %v, p99 %v, max %v",
		len(cutAt), maxOf(failAfter).Round(time.Millisecond), len(downLatency), percentile(downLatency, 0.5).Round(time.Millisecond),
		percentile(downLatency, 0.99).Round(time.Millisecond), maxOf(downLatency).Round(time.Millisecond))
	t.Logf("time to recover (restore to first success): %v, max %v", recoverAfter, maxOf(recoverAfter).Round(time.Millisecond))
	if m := maxOf(downLatency); m > time.Second {
		t.Errorf("while the database was known to be down an answer took %v; want at most 1s", m)
	}
	if m := maxOf(recoverAfter); m > 5*time.Second {
		t.Errorf("the first success came %v after the database was back; want at most 5s", m)
	}
	if len(acked) < 20 {
		t.Errorf("only %d writes acknowledged: the load did not run", len(acked))
	}
}

// `cgraph import ocds` on a generated file too large for one transaction
// is killed (SIGKILL) at random moments, several times: each time readers
// see all of the file or none of it. An import run to the end afterwards
// writes all of it once, and what the killed runs staged is swept.
func TestFaultImportKilledIsAllOrNothing(t *testing.T) {
	c := neo4jtest.Config(t)
	path := filepath.Join(t.TempDir(), "killed-4000.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := ocds.Generate(f, 4000); err != nil {
		t.Fatal(err)
	}
	f.Close()
	g, err := ocds.ReadFile(path, ocds.DefaultMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 0, len(g.Nodes)+len(g.Sources))
	for _, n := range g.Nodes {
		ids = append(ids, n.Entity.EntityID())
	}
	for _, s := range g.Sources {
		ids = append(ids, s.ID)
	}
	neo4jtest.MustForget(t, ids...)
	t.Cleanup(func() { neo4jtest.MustForget(t, ids...) })
	visible := func() int64 {
		return neo4jtest.MustCount(t, "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN count(n)", map[string]any{"ids": ids})
	}
	importer := func() *exec.Cmd {
		cmd := exec.Command(binary, "import", "ocds", "-as", "fault-importer", path)
		cmd.Env = append(os.Environ(), "NEO4J_URI="+c.URI, "NEO4J_PASSWORD="+c.Password)
		return cmd
	}

	// How long a whole import takes here, to kill within it.
	began := time.Now()
	if out, err := importer().CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	full := time.Since(began)
	if got := visible(); got != int64(len(ids)) {
		t.Fatalf("a whole import shows %d of %d nodes", got, len(ids))
	}
	neo4jtest.MustForget(t, ids...)
	t.Logf("a whole import of %d entities and %d sources takes %v", len(g.Nodes), len(g.Sources), full.Round(time.Millisecond))

	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	const kills = 6
	none, whole := 0, 0
	for i := 0; i < kills; i++ {
		// Half the kills anywhere, half near the end, where the publishing
		// transaction runs.
		after := time.Duration(rng.Int63n(int64(full)))
		if i%2 == 1 {
			after = full*8/10 + time.Duration(rng.Int63n(int64(full*3/10)))
		}
		cmd := importer()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(after)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		switch got := visible(); got {
		case 0:
			none++
			t.Logf("killed after %v: readers see none of the file", after.Round(time.Millisecond))
		case int64(len(ids)):
			whole++
			t.Logf("killed after %v: readers see all of the file", after.Round(time.Millisecond))
			neo4jtest.MustForget(t, ids...)
		default:
			t.Fatalf("killed after %v: readers see %d of the file's %d nodes", after.Round(time.Millisecond), got, len(ids))
		}
	}
	t.Logf("%d kills: %d left none of the file, %d all of it, none a part", kills, none, whole)

	if out, err := importer().CombinedOutput(); err != nil {
		t.Fatalf("import after the kills: %v\n%s", err, out)
	}
	if got := visible(); got != int64(len(ids)) {
		t.Errorf("after the kills a whole import shows %d of %d nodes", got, len(ids))
	}
	ctx := context.Background()
	db, err := neo4j.Open(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	store := neo4j.NewStore(db)
	changes := neo4jtest.MustCount(t, `MATCH (c:Change {actor: 'fault-importer'}) WHERE c.importRun IS NULL OR NOT EXISTS { MATCH (:ImportRun {id: c.importRun}) }
		RETURN count(c)`, nil)
	if changes != int64(len(g.Nodes)) { // forgetting the file forgot the audit of earlier whole imports
		t.Errorf("%d audit records visible for the importer; want %d (the last import's), none from the killed ones", changes, len(g.Nodes))
	}
	left := neo4jtest.MustCount(t, "MATCH (n:ImportStaged) RETURN count(n)", nil)
	if err := store.Sweep(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if n := neo4jtest.MustCount(t, "MATCH (n:ImportStaged) RETURN count(n)", nil); n != 0 {
		t.Errorf("%d staged nodes left after a sweep", n)
	}
	t.Logf("%d staged nodes of killed runs were left (invisible) and swept", left)
	neo4jtest.MustCount(t, "MATCH (c:Change {actor: 'fault-importer'}) DETACH DELETE c RETURN 0", nil)
}
