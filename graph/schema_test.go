package graph_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/commissioning-graph/cgraph/graph/generated"
	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// Every entity's input type has exactly the entity's fields, so a field
// added to a domain struct cannot be forgotten in its mutations; and every
// entity type shows its version.
func TestInputsMatchEntities(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	for _, l := range cg.Labels {
		if typ := schema.Types[string(l)]; typ == nil || typ.Fields.ForName("version") == nil {
			t.Errorf("type %s has no version field", l)
		}
		if cg.TypeOf(l).ReadOnly {
			continue // written by the writes that make them, such as ingestDocument
		}
		var want []string
		for _, p := range cg.PropsOf(l) {
			if p.Name != "id" && p.Name != "version" && !p.ReadOnly {
				want = append(want, p.Name)
			}
		}
		in := schema.Types[string(l)+"Input"]
		if in == nil {
			t.Errorf("no input type %sInput", l)
			continue
		}
		var got []string
		for _, f := range in.Fields {
			got = append(got, f.Name)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%sInput fields = %v, want %v", l, got, want)
		}
		for _, m := range []string{"create" + string(l), "update" + string(l)} {
			if schema.Mutation.Fields.ForName(m) == nil {
				t.Errorf("no mutation %s", m)
			}
		}
	}
}

// Every type, field, argument and enum value of the schema says what it is,
// so that GraphiQL's documentation explorer answers an analyst's question.
func TestEverythingIsDescribed(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	for name, def := range schema.Types {
		if def.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		for _, f := range def.Fields {
			if f.Description == "" && !strings.HasPrefix(f.Name, "__") {
				t.Errorf("%s.%s has no description", name, f.Name)
			}
		}
	}
}
