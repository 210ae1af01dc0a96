package ingest

import (
	"reflect"
	"testing"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// Every text property a reviewed claim may state lands in the field that
// holds it: setProps relies on JSON matching property names to fields.
func TestSetPropsFillsTheFieldOfEachProperty(t *testing.T) {
	for _, l := range cg.Labels {
		for _, p := range cg.PropsOf(l) {
			if p.Kind != cg.KindString || p.Name == "id" {
				continue
			}
			e, err := cg.NewEntity(l)
			if err != nil {
				t.Fatal(err)
			}
			if err := setProps(e, []statedProp{{name: p.Name, value: mustJSON("stated")}}); err != nil {
				t.Errorf("%s.%s: %v", l, p.Name, err)
				continue
			}
			v := reflect.ValueOf(e).Elem()
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).Tag.Get("prop") != p.Name {
					continue
				}
				f := v.Field(i)
				if f.Kind() == reflect.Pointer {
					f = f.Elem()
				}
				if !f.IsValid() || f.String() != "stated" {
					t.Errorf("%s.%s: the field holds %v, want the stated value", l, p.Name, f)
				}
			}
		}
	}
}
