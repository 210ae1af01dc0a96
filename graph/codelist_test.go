package graph_test

import (
	"fmt"
	"testing"

	"github.com/commissioning-graph/cgraph/graph"
	"github.com/commissioning-graph/cgraph/internal/neo4j/neo4jtest"
)

// Codelist properties are stored as the text they were stored as before
// they became enums: a node written with those strings reads as the enum
// values, filters on them, and keeps what an import gave beside them.
func TestCodelistsReadWhatWasStoredAsText(t *testing.T) {
	a := newAPI(t, graph.Options{})
	const contract, provider, service = "contract:test-codes-old", "provider:test-codes-old", "service:test-codes-old"
	forget(t, contract, provider, service)
	neo4jtest.MustRows(t, `
		CREATE (:Contract:Entity {id: $contract, version: 1, synthetic: false, title: 'Old contract',
			status: 'active', ocdsStatus: 'contract: active', procurementMethod: 'other', ocdsProcurementMethod: 'negotiated'})
		CREATE (:Provider:Entity {id: $provider, version: 1, synthetic: false, name: 'Old provider',
			sector: 'VOLUNTARY', identifier: 'GB-CHC-1000001', aliases: ['name:gb:old provider', 'ocds-b5fd17/9']})
		CREATE (:Service:Entity {id: $service, version: 1, synthetic: false, name: 'Old service', deliveryModel: 'IN_HOUSE'})`,
		map[string]any{"contract": contract, "provider": provider, "service": service})

	data := a.mustQuery(`query($c: ID!, $p: ID!, $s: ID!) {
		contract(id: $c) { status ocdsStatus procurementMethod ocdsProcurementMethod }
		provider(id: $p) { sector sectorText identifier aliases }
		service(id: $s) { deliveryModel }
	}`, map[string]any{"c": contract, "p": provider, "s": service})
	if got, want := fmt.Sprint(data), "map[contract:map[ocdsProcurementMethod:negotiated ocdsStatus:contract: active procurementMethod:OTHER status:ACTIVE] "+
		"provider:map[aliases:[name:gb:old provider ocds-b5fd17/9] identifier:GB-CHC-1000001 sector:VOLUNTARY sectorText:<nil>] "+
		"service:map[deliveryModel:IN_HOUSE]]"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	for _, tt := range []struct {
		filter string
		want   int
	}{
		{`{status: {eq: ACTIVE}}`, 1},
		{`{status: {in: [PENDING, TERMINATED]}}`, 0},
		{`{procurementMethod: {in: [OTHER, OPEN]}, status: {isNull: false}}`, 1},
		{`{NOT: {status: {eq: ACTIVE}}}`, 0},
	} {
		data := a.mustQuery(`{ contracts(filter: {AND: [{id: {eq: "`+contract+`"}}, `+tt.filter+`]}) { totalCount } }`, nil)
		if got := at(data, "contracts", "totalCount"); got != float64(tt.want) {
			t.Errorf("%s: totalCount = %v, want %d", tt.filter, got, tt.want)
		}
	}
}

// A value outside a codelist is refused by GraphQL itself, before any
// resolver runs, whether written in the document or sent as a variable.
func TestValueOutsideACodelistIsRefused(t *testing.T) {
	a := newAPI(t, graph.Options{})
	for _, tt := range []struct {
		name, query string
		vars        map[string]any
	}{
		{"text for an enum", `{ contracts(filter: {status: {eq: "active"}}) { totalCount } }`, nil},
		{"unknown value", `{ contracts(filter: {status: {eq: FINISHED}}) { totalCount } }`, nil},
		{"unknown value in a variable", `query($f: ContractFilter) { contracts(filter: $f) { totalCount } }`,
			map[string]any{"f": map[string]any{"procurementMethod": map[string]any{"eq": "negotiated"}}}},
		{"unknown sector in an input", `mutation { createProvider(id: "provider:test-codes-bad", input: {name: "X", sector: CHARITY}) { id } }`, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := a.query(tt.query, tt.vars)
			if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "GRAPHQL_VALIDATION_FAILED" || r.Data != nil {
				t.Errorf("got %s, want one GRAPHQL_VALIDATION_FAILED error and no data", r.Raw)
			}
		})
	}
}
