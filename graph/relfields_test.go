package graph

import (
	"testing"

	"github.com/commissioning-graph/cgraph/graph/generated"
	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// Every relationship field follows a relationship type that may join the
// two labels, in the direction given, and exists in the schema.
func TestRelFieldsMatchTheDomainAndSchema(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{}}).Schema()
	for _, label := range cg.Labels {
		def := schema.Types[string(label)]
		if def == nil {
			t.Fatalf("schema has no type %s", label)
		}
		for _, f := range cg.RelFields(label) {
			name, hop := f.Name, f.Hop
			if def.Fields.ForName(name) == nil {
				t.Errorf("%s.%s is not in the schema", label, name)
			}
			if hop.Label == "" {
				continue // any entity at the other end
			}
			from, to := label, hop.Label
			if hop.Direction == "INCOMING" {
				from, to = to, from
			}
			if !hop.Type.Allows(from, to) {
				t.Errorf("%s.%s: %s may not join %s to %s", label, name, hop.Type, from, to)
			}
		}
	}
}
