// Command cgbench measures the GraphQL API against the same Cypher sent
// straight through the driver. It runs a fixed mix of query classes at a
// fixed concurrency, first against the running cgraph binary over HTTP, then
// by replaying, through neo4j-go-driver, the exact statements the API sent
// for each request (recorded in-process beforehand). It prints throughput
// and p50/p95/p99 latency per class for both, and the ratio API/driver, as
// the median over several rounds.
//
//	cgbench -api http://127.0.0.1:8080/graphql -concurrency 8 -duration 5s -rounds 3
//
// Neo4j is reached through NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD, and
// must hold a generated graph (cgraph generate).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/commissioning-graph/cgraph/graph"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
)

// class is one kind of request in the mix, with its variants (the same
// query with different variables) so that caches see realistic variety.
type class struct {
	name     string
	query    string
	variants []map[string]any
	// stmts[i] are the statements the API sent for variants[i].
	stmts [][]statement
}

type statement struct {
	cypher string
	params map[string]any
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cgbench:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("cgbench", flag.ContinueOnError)
	api := fs.String("api", "http://127.0.0.1:8080/graphql", "GraphQL endpoint of the running API")
	concurrency := fs.Int("concurrency", 8, "requests in flight at once")
	duration := fs.Duration("duration", 5*time.Second, "how long each class runs on each side per round")
	rounds := fs.Int("rounds", 3, "rounds; figures are medians over rounds")
	warmup := fs.Duration("warmup", 2*time.Second, "unmeasured run of each class on each side before the rounds")
	profile := fs.Bool("profile", false, "print the PROFILE plan of each class's statements, and its statements and db hits per request over every variant, instead of measuring (with -anchor, of the anchored classes too)")
	anchor := fs.String("anchor", "", "measure against the Neo4j GraphQL Library instead of the driver: name=url of each of its endpoints, comma-separated (see anchor.go)")
	pids := fs.String("pids", "", "with -anchor, name=pid of each process whose CPU is measured, comma-separated: api, neo4j and the names of -anchor")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// The driver replay stands for an application using the driver
	// directly; it runs with the collector target that `cgraph serve` uses,
	// so the two sides differ only in the GraphQL layer.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	ctx := context.Background()
	cfg := neo4j.Config{URI: os.Getenv("NEO4J_URI"), User: env("NEO4J_USER", "neo4j"), Password: env("NEO4J_PASSWORD", "commissioning-dev")}

	// Record, in-process, the statements the API sends for each variant.
	var mu sync.Mutex
	var recorded []statement
	cfg.OnQuery = func(cypher string, params map[string]any) {
		mu.Lock()
		recorded = append(recorded, statement{cypher, params})
		mu.Unlock()
	}
	db, err := neo4j.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	var classes []*class
	var anchored []*anchorClass
	if *anchor != "" {
		anchored, classes, err = anchorMix(*api)
	} else {
		classes, err = mix(*api)
	}
	if err != nil {
		return err
	}
	if *profile {
		// The anchored classes are profiled as the API asks them.
		for _, ac := range anchored {
			classes = append(classes, &class{name: ac.name, query: ac.api, variants: ac.variants})
		}
	}
	handler := graph.NewHandler(neo4j.NewStore(db), graph.Options{})
	for _, c := range classes {
		for _, v := range c.variants {
			mu.Lock()
			recorded = nil
			mu.Unlock()
			if _, err := exec(handler, c.query, v); err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			mu.Lock()
			c.stmts = append(c.stmts, slices.Clone(recorded))
			mu.Unlock()
		}
	}

	drv, err := driver.NewDriverWithContext(cfg.URI, driver.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		return err
	}
	defer drv.Close(ctx)
	if *profile {
		return printProfiles(ctx, drv, classes, stdout)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *concurrency * 2}}
	if *anchor != "" {
		return runAnchor(ctx, anchorRun{client: client, api: *api, anchors: *anchor, pids: *pids, drv: drv,
			concurrency: *concurrency, duration: *duration, rounds: *rounds, warmup: *warmup}, anchored, classes, stdout)
	}

	// Each class has two sides: the GraphQL query over HTTP, and the
	// statements the API sent for it replayed through the driver.
	sides := func(c *class) (overHTTP, throughDriver func(i int) error) {
		bodies := make([][]byte, len(c.variants))
		for i, v := range c.variants {
			bodies[i], _ = json.Marshal(map[string]any{"query": c.query, "variables": v})
		}
		overHTTP = func(i int) error { return load(client, *api, bodies[i%len(bodies)]) }
		throughDriver = func(i int) error {
			for _, s := range c.stmts[i%len(c.stmts)] {
				if _, err := driver.ExecuteQuery(ctx, drv, s.cypher, s.params, driver.EagerResultTransformer,
					driver.ExecuteQueryWithReadersRouting()); err != nil {
					return err
				}
			}
			return nil
		}
		return overHTTP, throughDriver
	}
	// A warm-up run of each side first, unmeasured, so that neither side
	// pays for the JIT compiler, query plans or connection pools; then the
	// rounds, with the side that goes first alternating from round to round.
	overHTTP := make([]func(int) error, len(classes))
	throughDriver := make([]func(int) error, len(classes))
	for i, c := range classes {
		overHTTP[i], throughDriver[i] = sides(c)
		measure(*concurrency, *warmup, overHTTP[i])
		measure(*concurrency, *warmup, throughDriver[i])
	}
	results := map[string][]result{} // "class/side" -> one per round
	for r := 0; r < *rounds; r++ {
		for i, c := range classes {
			a, d := overHTTP[i], throughDriver[i]
			if r%2 == 1 {
				results[c.name+"/driver"] = append(results[c.name+"/driver"], measure(*concurrency, *duration, d))
			}
			results[c.name+"/api"] = append(results[c.name+"/api"], measure(*concurrency, *duration, a))
			if r%2 == 0 {
				results[c.name+"/driver"] = append(results[c.name+"/driver"], measure(*concurrency, *duration, d))
			}
		}
	}

	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "class\tstatements\tAPI req/s\tdriver req/s\tratio\tAPI p50\tp95\tp99\tdriver p50\tp95\tp99\terrors\t\n")
	var apiTotal, drvTotal float64
	for _, c := range classes {
		a, d := median(results[c.name+"/api"]), median(results[c.name+"/driver"])
		apiTotal += 1 / a.rate // seconds per request of a mix with one of each
		drvTotal += 1 / d.rate
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.0f\t%.2f\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t\n", c.name, len(c.stmts[0]),
			a.rate, d.rate, a.rate/d.rate, ms(a.p50), ms(a.p95), ms(a.p99), ms(d.p50), ms(d.p95), ms(d.p99), a.errors+d.errors)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\noverall (one request of each class): API %.0f req/s, driver %.0f req/s, ratio API/driver %.2f\n",
		float64(len(classes))/apiTotal, float64(len(classes))/drvTotal, drvTotal/apiTotal)
	fmt.Fprintf(stdout, "concurrency %d, %s per class and side, median of %d rounds\n", *concurrency, *duration, *rounds)
	return nil
}

// mix builds the query classes, drawing their variables from the graph
// through the API itself.
func mix(api string) ([]*class, error) {
	c, a, err := sample(api)
	if err != nil {
		return nil, err
	}
	each := func(n int, f func(i int) map[string]any) []map[string]any {
		out := make([]map[string]any, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	words := []string{"exploitation", "Atlas", "short breaks", "carers", "youth justice", "Barnardo", "family support", "domestic abuse"}
	return []*class{
		{name: "lookup", query: lookupQuery,
			variants: each(len(c), func(i int) map[string]any { return map[string]any{"id": c[i]} })},
		{name: "filtered-page", query: `query($from: Date!) { contracts(filter: {synthetic: true, endDate: {gte: $from}, value: {gte: 100000}}, orderBy: {field: END_DATE}, first: 20) { edges { node { id title endDate value } } } }`,
			variants: each(12, func(i int) map[string]any { return map[string]any{"from": month(i)} })},
		{name: "three-levels", query: threeLevelsQuery,
			variants: each(len(a), func(i int) map[string]any { return map[string]any{"id": a[i]} })},
		{name: "search", query: `query($t: String!) { search(text: $t, first: 10) { score node { id } } }`,
			variants: each(len(words), func(i int) map[string]any { return map[string]any{"t": words[i]} })},
		comparisonClass(),
		endingContractsClass(),
	}, nil
}

// The queries that both mixes ask.
const (
	lookupQuery      = `query($id: ID!) { contract(id: $id) { id title startDate endDate value procurementMethod } }`
	threeLevelsQuery = `query($id: ID!) { authority(id: $id) { name services { name team { name } contracts { id endDate provider { name sector } } } } }`
)

// month returns the first day of the (2i)th month from January 2019, for
// i < 12: twelve dates two months apart.
func month(i int) string { return fmt.Sprintf("20%02d-%02d-01", 19+i/6, 1+2*(i%6)) }

// The analytics classes, which both mixes measure against the driver.
func comparisonClass() *class {
	return &class{name: "comparison", query: `query($t: String!) { deliveryComparison(serviceType: $t, sortBy: COST_PER_CHILD) { rows { authority { name } deliveryModel provider { name } contractValue childrenSupported waitingList costPerChild } } }`,
		variants: []map[string]any{{"t": "CSE_SUPPORT"}, {"t": "SHORT_BREAKS"}, {"t": "CARERS_SUPPORT"}}}
}

func endingContractsClass() *class {
	c := &class{name: "ending-contracts", query: `query($from: Date!) { endingContracts(from: $from, months: 6) { contract { id } endDate approvalDeadline status } }`}
	for i := 0; i < 12; i++ {
		c.variants = append(c.variants, map[string]any{"from": month(i)})
	}
	return c
}

// sample draws the ids of 50 synthetic contracts and 50 synthetic
// authorities from the graph, through the API itself.
func sample(api string) (contracts, authorities []string, err error) {
	data, err := post(http.DefaultClient, api, `{
		contracts(first: 50, filter: {synthetic: true}) { edges { node { id } } }
		authorities(first: 50, filter: {synthetic: true}) { edges { node { id } } }
	}`, nil)
	if err != nil {
		return nil, nil, err
	}
	var ids struct {
		Contracts struct {
			Edges []struct{ Node struct{ ID string } }
		}
		Authorities struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	if err := json.Unmarshal(data, &ids); err != nil {
		return nil, nil, err
	}
	if len(ids.Contracts.Edges) == 0 || len(ids.Authorities.Edges) == 0 {
		return nil, nil, fmt.Errorf("no synthetic data: run cgraph generate first")
	}
	for _, e := range ids.Contracts.Edges {
		contracts = append(contracts, e.Node.ID)
	}
	for _, e := range ids.Authorities.Edges {
		authorities = append(authorities, e.Node.ID)
	}
	return contracts, authorities, nil
}

type result struct {
	rate          float64
	p50, p95, p99 time.Duration
	errors        int64
	n             int64 // requests that finished
}

// measure runs do from concurrency workers for d and reports the rate and
// latency percentiles of the requests that finished.
func measure(concurrency int, d time.Duration, do func(i int) error) result {
	var next, errs atomic.Int64
	lat := make([][]time.Duration, concurrency)
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for time.Now().Before(deadline) {
				t := time.Now()
				if err := do(int(next.Add(1))); err != nil {
					errs.Add(1)
					continue
				}
				lat[w] = append(lat[w], time.Since(t))
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	pct := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[min(len(all)-1, int(p*float64(len(all))))]
	}
	return result{rate: float64(len(all)) / elapsed.Seconds(), p50: pct(.5), p95: pct(.95), p99: pct(.99), errors: errs.Load(), n: int64(len(all))}
}

func median(rs []result) result {
	sort.Slice(rs, func(i, j int) bool { return rs[i].rate < rs[j].rate })
	return rs[len(rs)/2]
}

func post(client *http.Client, url, query string, vars map[string]any) (json.RawMessage, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	res, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	return decode(res.Body)
}

// load sends one request of the measured load and checks that it succeeded
// without decoding the answer, so that the load generator takes as little as
// possible of the CPU it shares with the API: gqlgen writes "errors" before
// "data", so an answer without errors starts with {"data":.
func load(client *http.Client, url string, body []byte) error {
	res, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(res.Body); err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK || !bytes.HasPrefix(buf.Bytes(), []byte(`{"data":{`)) {
		return fmt.Errorf("status %d: %.200s", res.StatusCode, buf.Bytes())
	}
	return nil
}

// exec runs a query through the handler in-process.
func exec(h http.Handler, query string, vars map[string]any) (json.RawMessage, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return decode(rec.Body)
}

func decode(r io.Reader) (json.RawMessage, error) {
	var out struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.NewDecoder(r).Decode(&out); err != nil {
		return nil, err
	}
	if len(out.Errors) > 0 {
		msgs := make([]string, len(out.Errors))
		for i, e := range out.Errors {
			msgs[i] = e.Message
		}
		return nil, fmt.Errorf("graphql: %s", strings.Join(msgs, "; "))
	}
	return out.Data, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// printProfiles runs each statement of each class's first variant under
// PROFILE and prints the plan: operators, rows and database hits, which
// show whether the lookups use the indexes. Then, for every class, the
// statements and database hits per request, mean over all its variants.
func printProfiles(ctx context.Context, drv driver.DriverWithContext, classes []*class, w io.Writer) error {
	hits := make([]int64, len(classes))
	stmts := make([]int, len(classes))
	for ci, c := range classes {
		for vi, variant := range c.stmts {
			stmts[ci] += len(variant)
			for i, s := range variant {
				res, err := driver.ExecuteQuery(ctx, drv, "PROFILE "+s.cypher, s.params, driver.EagerResultTransformer)
				if err != nil {
					return fmt.Errorf("%s: %w", c.name, err)
				}
				hits[ci] += dbHits(res.Summary.Profile())
				if vi > 0 {
					continue
				}
				fmt.Fprintf(w, "### %s, statement %d of %d\n\n```cypher\n%s\n```\n\n```\n", c.name, i+1, len(variant), strings.TrimSpace(dedent(s.cypher)))
				printPlan(w, res.Summary.Profile(), 0)
				fmt.Fprintf(w, "```\n\n")
			}
		}
	}
	fmt.Fprintf(w, "| class | statements per request | db hits per request |\n|---|---|---|\n")
	for ci, c := range classes {
		n := max(len(c.stmts), 1)
		fmt.Fprintf(w, "| %s | %.1f | %d |\n", c.name, float64(stmts[ci])/float64(n), hits[ci]/int64(n))
	}
	return nil
}

// dbHits is the database hits of a plan and all below it.
func dbHits(p driver.ProfiledPlan) int64 {
	if p == nil {
		return 0
	}
	n := p.DbHits()
	for _, c := range p.Children() {
		n += dbHits(c)
	}
	return n
}

func printPlan(w io.Writer, p driver.ProfiledPlan, depth int) {
	if p == nil {
		return
	}
	details, _ := p.Arguments()["Details"].(string)
	fmt.Fprintf(w, "%s%s %s  rows=%d dbHits=%d\n", strings.Repeat("  ", depth), p.Operator(), details, p.Records(), p.DbHits())
	for _, c := range p.Children() {
		printPlan(w, c, depth+1)
	}
}

func dedent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, "\t")
	}
	return strings.Join(lines, "\n")
}
