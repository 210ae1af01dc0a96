package main

// With -anchor, cgbench measures the API against the Neo4j GraphQL Library
// (@neo4j/graphql on Apollo Server, bench/anchor), over the same Neo4j and
// graph: the same query classes, asked of each side in its own syntax for
// the same data, in interleaved rounds. Before measuring it checks, for every
// variant of every class, that both sides give the same answer. The
// analytics, which the library has no counterpart for, are measured against
// the driver replaying the API's statements, as without -anchor.
//
//	cgbench -api http://127.0.0.1:18300/graphql \
//	  -anchor one=http://127.0.0.1:18301/,cores=http://127.0.0.1:18302/ \
//	  -pids api=PID,neo4j=PID,one=PID,cores=PID
//
// Each name of -anchor is one library endpoint (one Node process, or one per
// core); the ratio of a class is the API against the endpoint that served
// more of it. The CPU of each process named in -pids (with its descendants,
// so the primary of a node:cluster counts its workers) is read from /proc
// before and after every run, and reported per request.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// anchorClass is a query class asked of both the API and the library.
type anchorClass struct {
	name     string
	api, lib string // the queries, each in its side's schema
	variants []map[string]any
	// libVars gives the library's variables for a variant; nil, the same.
	libVars func(map[string]any) map[string]any
	// fromLib reshapes the library's answer to the API's names (after the
	// connections of both have become lists, see canon); nil, unchanged.
	fromLib func(map[string]any) map[string]any
	// ordered: the order of the outermost list is part of the answer.
	ordered bool
}

// searchWords are names of synthetic places that the full-text index finds
// in at most 10 entities, of which at least two are authorities, in the graph
// of `cgraph generate -seed 1`: so that the API's search of authorities, which
// keeps the authorities among the 10 best hits of every type, and the
// library's, which keeps the 10 best authorities, have the same answer.
var searchWords = []string{"Ashford", "Ashton", "Brookmouth", "Castlefield", "Dunwick", "Elmdale", "Fernfield", "Glenborough"}

// anchorMix builds the classes asked of both sides, and the analytics
// classes measured against the driver.
func anchorMix(api string) ([]*anchorClass, []*class, error) {
	c, a, err := sample(api)
	if err != nil {
		return nil, nil, err
	}
	byID := func(ids []string) []map[string]any {
		out := make([]map[string]any, len(ids))
		for i, id := range ids {
			out[i] = map[string]any{"id": id}
		}
		return out
	}
	dates := func(span bool) []map[string]any {
		out := make([]map[string]any, 12)
		for i := range out {
			out[i] = map[string]any{"from": month(i)}
			if span {
				t, _ := time.Parse(time.DateOnly, month(i))
				out[i]["to"] = t.AddDate(0, 3, 0).Format(time.DateOnly)
			}
		}
		return out
	}
	var words []map[string]any
	for _, w := range searchWords {
		words = append(words, map[string]any{"t": w})
	}
	rename := func(from, to string, single bool) func(map[string]any) map[string]any {
		return func(d map[string]any) map[string]any {
			v := d[from]
			if l, ok := v.([]any); ok && single {
				v = nil
				if len(l) == 1 {
					v = l[0]
				}
			}
			return map[string]any{to: v}
		}
	}
	const (
		twoLevels = `{ id title endDate provider { id name sector } service { id name serviceType authority { id name } } }`
		datePage  = `{ id title endDate value provider { name } service { name authority { name } } }`
		buyerPage = `{ id title startDate endDate value }`
	)
	anchored := []*anchorClass{
		{name: "lookup", api: lookupQuery,
			lib:      `query($id: ID!) { contracts(where: {id: {eq: $id}}) { id title startDate endDate value procurementMethod } }`,
			variants: byID(c), fromLib: rename("contracts", "contract", true)},
		{name: "two-levels", api: `query($id: ID!) { contract(id: $id) ` + twoLevels + ` }`,
			lib:      `query($id: ID!) { contracts(where: {id: {eq: $id}}) ` + twoLevels + ` }`,
			variants: byID(c), fromLib: rename("contracts", "contract", true)},
		{name: "three-levels", api: threeLevelsQuery,
			lib:      `query($id: ID!) { authorities(where: {id: {eq: $id}}) { name services { name team { name } contracts { id endDate provider { name sector } } } } }`,
			variants: byID(a), fromLib: rename("authorities", "authority", true)},
		{name: "date-page", ordered: true,
			api:      `query($from: Date!, $to: Date!) { contracts(filter: {synthetic: true, endDate: {gte: $from, lt: $to}}, orderBy: {field: END_DATE}, first: 20) { edges { node ` + datePage + ` } } }`,
			lib:      `query($from: Date!, $to: Date!) { contracts(where: {synthetic: {eq: true}, endDate: {gte: $from, lt: $to}}, sort: [{endDate: ASC}, {id: ASC}], limit: 20) ` + datePage + ` }`,
			variants: dates(true)},
		{name: "buyer-page", ordered: true,
			api:      `query($id: ID!) { contracts(filter: {buyer: {id: {eq: $id}}}, orderBy: {field: END_DATE}, first: 20) { edges { node ` + buyerPage + ` } } }`,
			lib:      `query($id: ID!) { contracts(where: {buyer: {id: {eq: $id}}}, sort: [{endDate: ASC}, {id: ASC}], limit: 20) ` + buyerPage + ` }`,
			variants: byID(a)},
		{name: "count",
			api:      `query($from: Date!) { contracts(filter: {synthetic: true, endDate: {gte: $from}, value: {gte: 100000}}) { totalCount } }`,
			lib:      `query($from: Date!) { contractsConnection(where: {synthetic: {eq: true}, endDate: {gte: $from}, value: {gte: 100000}}) { totalCount } }`,
			variants: dates(false), fromLib: rename("contractsConnection", "contracts", false)},
		{name: "search",
			api: `query($t: String!) { search(text: $t, types: [AUTHORITY], first: 10) { score node { id ... on Authority { name kind } } } }`,
			lib: `query($t: String!) { authoritiesFulltext(phrase: $t, sort: [{score: DESC}], first: 10) { edges { score node { id name kind } } } }`,
			// The library passes the phrase to Lucene as it is: it is given
			// the query the API makes of the same words.
			libVars:  func(v map[string]any) map[string]any { return map[string]any{"t": lucene(v["t"].(string))} },
			variants: words, fromLib: rename("authoritiesFulltext", "search", false)},
	}
	return anchored, []*class{comparisonClass(), endingContractsClass()}, nil
}

// lucene is the full-text query the API makes of a word (see luceneQuery
// in internal/neo4j): the word, and the word as a prefix.
func lucene(word string) string { return word + " " + strings.ToLower(word) + "*" }

// canon makes an answer comparable across the two schemas: a connection
// becomes the list of its nodes (its totalCount kept), cursors and page
// infos go, and every list but the outermost of an ordered class is
// sorted, since neither side promises an order for relationship lists.
func canon(v any, ordered bool) any {
	switch x := v.(type) {
	case map[string]any:
		if edges, ok := x["edges"].([]any); ok {
			nodes := make([]any, len(edges))
			for i, e := range edges {
				m, _ := e.(map[string]any)
				delete(m, "cursor")
				if n, ok := m["node"]; ok && len(m) == 1 {
					nodes[i] = n
				} else {
					nodes[i] = m
				}
			}
			if tc, ok := x["totalCount"]; ok {
				return map[string]any{"nodes": canon(nodes, ordered), "totalCount": tc}
			}
			return canon(nodes, ordered)
		}
		out := map[string]any{}
		for k, e := range x {
			if k == "pageInfo" || k == "__typename" {
				continue
			}
			out[k] = canon(e, ordered)
		}
		return out
	case []any:
		out := make([]any, len(x))
		keys := make([]string, len(x))
		for i, e := range x {
			out[i] = canon(e, false)
			b, _ := json.Marshal(out[i])
			keys[i] = string(b)
		}
		if !ordered {
			idx := make([]int, len(out))
			for i := range idx {
				idx[i] = i
			}
			sort.Slice(idx, func(a, b int) bool { return keys[idx[a]] < keys[idx[b]] })
			sorted := make([]any, len(out))
			for i, j := range idx {
				sorted[i] = out[j]
			}
			out = sorted
		}
		return out
	}
	return v
}

// same asks one variant of a class of both sides and returns the two
// answers, canonical, and whether the API's says anything.
func same(client *http.Client, api, lib string, c *anchorClass, v map[string]any) (a, l string, err error) {
	lv := v
	if c.libVars != nil {
		lv = c.libVars(v)
	}
	canonical := func(url, query string, vars map[string]any, reshape func(map[string]any) map[string]any) (string, error) {
		data, err := post(client, url, query, vars)
		if err != nil {
			return "", err
		}
		var d map[string]any
		if err := json.Unmarshal(data, &d); err != nil {
			return "", err
		}
		if reshape != nil {
			d = reshape(d)
		}
		b, err := json.Marshal(canon(d, c.ordered))
		return string(b), err
	}
	if a, err = canonical(api, c.api, v, nil); err != nil {
		return "", "", fmt.Errorf("API: %w", err)
	}
	if l, err = canonical(lib, c.lib, lv, c.fromLib); err != nil {
		return "", "", fmt.Errorf("library: %w", err)
	}
	return a, l, nil
}

// empty reports whether a canonical answer holds nothing to compare: a
// null or an empty list at its root field.
func empty(answer string) bool {
	var d map[string]any
	if json.Unmarshal([]byte(answer), &d) != nil {
		return true
	}
	for _, v := range d {
		switch x := v.(type) {
		case nil:
			return true
		case []any:
			return len(x) == 0
		case map[string]any:
			if l, ok := x["nodes"].([]any); ok {
				return len(l) == 0
			}
		}
	}
	return false
}

type anchorRun struct {
	client              *http.Client
	api, anchors, pids  string
	drv                 driver.DriverWithContext
	concurrency, rounds int
	duration, warmup    time.Duration
	endpoints           []endpoint
	procs               []proc
}

type endpoint struct{ name, url string }

// proc is a process whose CPU is measured.
type proc struct {
	name string
	pid  int
}

// side is one way of answering a class: the API, one library endpoint, or
// the driver, with what its runs measured.
type side struct {
	name    string
	do      func(i int) error
	results []result
	reqs    int64
	cpu     map[string]time.Duration // process name -> CPU over every measured run
}

func runAnchor(ctx context.Context, r anchorRun, anchored []*anchorClass, analytics []*class, w io.Writer) error {
	for _, kv := range strings.Split(r.anchors, ",") {
		name, url, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("-anchor: want name=url, got %q", kv)
		}
		r.endpoints = append(r.endpoints, endpoint{name, url})
	}
	if r.pids != "" {
		for _, kv := range strings.Split(r.pids, ",") {
			name, p, ok := strings.Cut(kv, "=")
			pid, err := strconv.Atoi(p)
			if !ok || err != nil {
				return fmt.Errorf("-pids: want name=pid, got %q", kv)
			}
			if _, err := procCPU(pid); err != nil {
				return fmt.Errorf("-pids: %s: %w", name, err)
			}
			r.procs = append(r.procs, proc{name, pid})
		}
	}
	r.procs = append(r.procs, proc{"cgbench", os.Getpid()})

	// The answers first: every variant of every class, on every endpoint.
	for _, c := range anchored {
		for _, e := range r.endpoints {
			for i, v := range c.variants {
				a, l, err := same(r.client, r.api, e.url, c, v)
				if err != nil {
					return fmt.Errorf("%s, variant %d, %s: %w", c.name, i, e.name, err)
				}
				if a != l {
					return fmt.Errorf("%s, variant %d: the answers differ\nAPI:     %.600s\nlibrary: %.600s", c.name, i, a, l)
				}
				if empty(a) {
					return fmt.Errorf("%s, variant %d: an empty answer proves nothing: %.200s", c.name, i, a)
				}
			}
		}
		fmt.Fprintf(w, "%s: the API and the library give the same answers to its %d variants\n", c.name, len(c.variants))
	}

	type row struct {
		name  string
		sides []*side
	}
	var rows []row
	for _, c := range anchored {
		apiBodies := bodies(c.api, c.variants, nil)
		sides := []*side{{name: "api", do: func(i int) error { return load(r.client, r.api, apiBodies[i%len(apiBodies)]) }}}
		for _, e := range r.endpoints {
			libBodies := bodies(c.lib, c.variants, c.libVars)
			sides = append(sides, &side{name: e.name, do: func(i int) error { return load(r.client, e.url, libBodies[i%len(libBodies)]) }})
		}
		rows = append(rows, row{c.name, sides})
	}
	for _, c := range analytics {
		apiBodies := bodies(c.query, c.variants, nil)
		rows = append(rows, row{c.name, []*side{
			{name: "api", do: func(i int) error { return load(r.client, r.api, apiBodies[i%len(apiBodies)]) }},
			{name: "driver", do: func(i int) error {
				for _, s := range c.stmts[i%len(c.stmts)] {
					if _, err := driver.ExecuteQuery(ctx, r.drv, s.cypher, s.params, driver.EagerResultTransformer,
						driver.ExecuteQueryWithReadersRouting()); err != nil {
						return err
					}
				}
				return nil
			}},
		}})
	}

	// A warm-up of each side, unmeasured; then the rounds, in which the
	// sides of a class run one after the other, the first moving on by one
	// from round to round.
	for _, rw := range rows {
		for _, s := range rw.sides {
			measure(r.concurrency, r.warmup, s.do)
			s.cpu = map[string]time.Duration{}
		}
	}
	for round := 0; round < r.rounds; round++ {
		for _, rw := range rows {
			for k := range rw.sides {
				s := rw.sides[(k+round)%len(rw.sides)]
				before := r.sampleCPU()
				res := measure(r.concurrency, r.duration, s.do)
				after := r.sampleCPU()
				for name, t := range after {
					s.cpu[name] += t - before[name]
				}
				s.results = append(s.results, res)
				s.reqs += res.n
			}
		}
	}

	// Per side: throughput, latency, errors and CPU per request of every
	// measured process.
	names := make([]string, len(r.procs))
	for i, p := range r.procs {
		names[i] = p.name
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "\n")
	fmt.Fprintf(tw, "class\tside\treq/s\tp50\tp99\terrors\tCPU/req: %s\t\n", strings.Join(names, "\t"))
	for _, rw := range rows {
		for _, s := range rw.sides {
			m := median(slices.Clone(s.results))
			var errs int64
			for _, res := range s.results {
				errs += res.errors
			}
			cells := make([]string, len(names))
			for i, n := range names {
				if s.reqs > 0 {
					cells[i] = ms(s.cpu[n] / time.Duration(s.reqs))
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%.0f\t%s\t%s\t%d\t%s\t\n", rw.name, s.name, m.rate, ms(m.p50), ms(m.p99), errs, strings.Join(cells, "\t"))
		}
	}
	tw.Flush()

	// Per class: the API against the side that served more.
	fmt.Fprintf(w, "\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "class\tagainst\tAPI req/s\ttheir req/s\tratio\tAPI p99\ttheir p99\t\n")
	logSum, n := 0.0, 0
	for _, rw := range rows {
		a := median(slices.Clone(rw.sides[0].results))
		best, bestName := result{}, ""
		for _, s := range rw.sides[1:] {
			if m := median(slices.Clone(s.results)); m.rate > best.rate {
				best, bestName = m, s.name
			}
		}
		ratio := a.rate / best.rate
		if bestName != "driver" {
			logSum += math.Log(ratio)
			n++
		}
		fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.0f\t%.2f\t%s\t%s\t\n", rw.name, bestName, a.rate, best.rate, ratio, ms(a.p99), ms(best.p99))
	}
	tw.Flush()
	if n > 0 {
		fmt.Fprintf(w, "\ngeometric mean of the ratios against the library: %.2f\n", math.Exp(logSum/float64(n)))
	}
	fmt.Fprintf(w, "concurrency %d, %s per class and side, median of %d rounds; CPU per request over all rounds\n",
		r.concurrency, r.duration, r.rounds)
	return nil
}

// bodies encodes the request bodies of a query's variants.
func bodies(query string, variants []map[string]any, vars func(map[string]any) map[string]any) [][]byte {
	out := make([][]byte, len(variants))
	for i, v := range variants {
		if vars != nil {
			v = vars(v)
		}
		out[i], _ = json.Marshal(map[string]any{"query": query, "variables": v})
	}
	return out
}

// sampleCPU reads the CPU time of every measured process.
func (r anchorRun) sampleCPU() map[string]time.Duration {
	out := make(map[string]time.Duration, len(r.procs))
	for _, p := range r.procs {
		out[p.name], _ = procCPU(p.pid)
	}
	return out
}

// clockTick is the unit of the times in /proc/<pid>/stat (USER_HZ, 100 on
// Linux everywhere that matters).
const clockTick = 10 * time.Millisecond

// procCPU returns the user and system CPU time of a process and of its
// living descendants, from /proc.
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The fields after the command, which is in parentheses and may hold
	// spaces: state is the first, utime the 12th and stime the 13th.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	total := time.Duration(ut+st) * clockTick
	tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	for _, t := range tasks {
		children, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/children", pid, t.Name()))
		for _, c := range strings.Fields(string(children)) {
			if cpid, err := strconv.Atoi(c); err == nil {
				if ct, err := procCPU(cpid); err == nil {
					total += ct
				}
			}
		}
	}
	return total, nil
}
