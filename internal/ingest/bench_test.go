package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/commissioning-graph/cgraph/internal/ingest"
)

// BenchmarkIngest ingests BENCH_DOCUMENTS (default 1,000) distinct decision
// notices, each read, split, extracted and written with its passages and
// claims in its own transaction, as `cgraph ingest` does, and reports
// documents per second and the seconds one run of them all takes.
func BenchmarkIngest(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("BENCH_DOCUMENTS")); err == nil && v > 0 {
		n = v
	}
	f := newFixture(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		for d := 0; d < n; d++ {
			data := f.notice(fmt.Sprintf("Reasons for the decision: run %d, notice %d of the benchmark.", i, d))
			data = bytes.Replace(data, []byte("?ID="), []byte(fmt.Sprintf("?run=%d&doc=%d&ID=", i, d)), 1)
			if _, err := ingest.Ingest(context.Background(), f.store, admin, ingest.Request{
				Name: fmt.Sprintf("notice-%d-%d.txt", i, d), Data: data, Authority: f.authority,
			}); err != nil {
				b.Fatal(err)
			}
		}
		took := time.Since(start)
		b.ReportMetric(float64(n)/took.Seconds(), "docs/s")
		b.ReportMetric(took.Seconds(), "s/run")
	}
}
