package neo4j_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
	"github.com/commissioning-graph/cgraph/internal/ocds"
)

// The import benchmarks write a generated OCDS release package (see
// ocds.Generate) and report what they wrote per second: entity and source
// nodes plus relationships (links, provenance and successions). The
// batched import also writes its audit trail, which is timed but not
// counted. Run them with
//
//	NEO4J_URI=... go test -run '^$' -bench Import -benchtime 3x ./internal/neo4j/
//
// BENCH_PROCESSES and BENCH_NAIVE_PROCESSES set the sizes (10000 and 1000);
// make bench-writes runs them as docs/BENCHMARKS.md reports them.

func benchGraph(b *testing.B, env string, def int) (*cg.Graph, int) {
	b.Helper()
	n := def
	if v, err := strconv.Atoi(os.Getenv(env)); err == nil && v > 0 {
		n = v
	}
	var buf bytes.Buffer
	if err := ocds.Generate(&buf, n); err != nil {
		b.Fatal(err)
	}
	g, err := ocds.Parse(fmt.Sprintf("bench-%d.json", n), buf.Bytes(), int64(buf.Len())+1)
	if err != nil {
		b.Fatal(err)
	}
	writes := len(g.Sources) + len(g.Nodes) + len(g.Edges) + len(g.Successions)
	for _, node := range g.Nodes {
		writes += len(node.SourceIDs)
	}
	return g, writes
}

func forgetBench(b *testing.B, db *neo4j.DB) {
	b.Helper()
	for _, q := range []string{
		"MATCH (c:Change) WHERE c.actor = 'bench' CALL (c) { DETACH DELETE c } IN TRANSACTIONS OF 10000 ROWS",
		"MATCH (n:Entity) WHERE n.id STARTS WITH 'contract:ocds-synth' OR n.id STARTS WITH 'service:ocds-synth' OR n.id STARTS WITH 'authority:ocds-gb-synth' OR n.id STARTS WITH 'provider:ocds-gb-chc' CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
		"MATCH (s:Source) WHERE s.file STARTS WITH 'bench-' CALL (s) { DETACH DELETE s } IN TRANSACTIONS OF 10000 ROWS",
	} {
		db.MustExec(b, q, nil)
	}
}

func BenchmarkImportBatched(b *testing.B) {
	by := cg.Principal{Subject: "bench", Role: cg.RoleAdmin}
	benchWrites(b, "BENCH_PROCESSES", 10000, func(s *neo4j.Store, g *cg.Graph) error {
		_, err := s.ImportGraph(context.Background(), by, g)
		return err
	})
}

func BenchmarkImportNaive(b *testing.B) {
	benchWrites(b, "BENCH_NAIVE_PROCESSES", 1000, func(s *neo4j.Store, g *cg.Graph) error {
		return s.WriteGraphNaively(context.Background(), g)
	})
}

// BenchmarkWriteGraph writes the same generated graph with WriteGraph, which
// records no audit trail (the seed's path), to show what the audit costs.
func BenchmarkWriteGraph(b *testing.B) {
	benchWrites(b, "BENCH_PROCESSES", 10000, func(s *neo4j.Store, g *cg.Graph) error {
		return s.WriteGraph(context.Background(), g)
	})
}

// benchWrites times write over a generated graph of as many processes as
// the environment variable env says (def when unset), from a graph without
// them each time, and reports writes per second. It writes the graph once
// untimed first: the first large write after Neo4j starts runs at about half
// speed while the JVM compiles its code.
func benchWrites(b *testing.B, env string, def int, write func(*neo4j.Store, *cg.Graph) error) {
	db := neo4jtest.MustOpen(b)
	store := neo4j.NewStore(db)
	g, writes := benchGraph(b, env, def)
	forgetBench(b, db)
	if err := write(store, g); err != nil {
		b.Fatal(err)
	}
	var took, slowest time.Duration
	for b.Loop() {
		b.StopTimer()
		forgetBench(b, db)
		b.StartTimer()
		start := time.Now()
		if err := write(store, g); err != nil {
			b.Fatal(err)
		}
		// Until the full-text index holds what was written, a search
		// waits for it: that work is part of the write.
		db.MustExec(b, "CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()", nil)
		run := time.Since(start)
		took += run
		slowest = max(slowest, run)
	}
	b.StopTimer()
	forgetBench(b, db)
	b.ReportMetric(float64(writes), "writes/op")
	b.ReportMetric(float64(writes)*float64(b.N)/took.Seconds(), "writes/s")
	b.ReportMetric(float64(writes)/slowest.Seconds(), "slowest-run-writes/s")
}
