package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/commissioning-graph/cgraph/graph"
	"github.com/commissioning-graph/cgraph/internal/neo4j"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
)

// BenchmarkHandler measures a request through the whole GraphQL layer,
// in-process, against the real Neo4j.
func BenchmarkHandler(b *testing.B) {
	db := neo4jtest.MustOpen(b)
	h := graph.NewHandler(neo4j.NewStore(db), graph.Options{})
	for name, q := range map[string]string{
		"lookup":        `{ contract(id: "contract:bromley-cse-barnardos-2017-18") { id title startDate endDate value procurementMethod } }`,
		"filtered-page": `{ contracts(filter: {endDate: {gte: "2017-01-01"}}, orderBy: {field: END_DATE}, first: 20) { edges { node { id title endDate value } } } }`,
		"three-levels":  `{ authority(id: "authority:bromley") { name services { name team { name } contracts { id endDate provider { name sector } } } } }`,
	} {
		body, _ := json.Marshal(map[string]string{"query": q})
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Body.String())
				}
			}
		})
	}
}
