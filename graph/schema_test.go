package graph_test

import (
	"reflect"
	"slices"
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
		e, err := cg.NewEntity(l)
		if err != nil {
			t.Fatal(err)
		}
		if typ := schema.Types[string(l)]; typ == nil || typ.Fields.ForName("version") == nil {
			t.Errorf("type %s has no version field", l)
		}
		if l == cg.LabelSource {
			continue // sources are written as the provenance of other writes
		}
		var want []string
		st := reflect.TypeOf(e).Elem()
		for i := 0; i < st.NumField(); i++ {
			if p := st.Field(i).Tag.Get("prop"); p != "id" && p != "version" {
				want = append(want, p)
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
