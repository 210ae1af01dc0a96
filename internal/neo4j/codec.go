package neo4j

import (
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// The codec maps domain structs to node properties and back by their `prop`
// struct tags. A nil pointer is an unknown fact and is stored as an absent
// property, never as an invented value.

type field struct {
	index int
	prop  string
}

// structInfo is what the codec knows of a struct type: its tagged fields,
// and the field index of each property name.
type structInfo struct {
	fields []field
	byProp map[string]int
}

var structCache sync.Map // reflect.Type -> *structInfo

func infoOf(t reflect.Type) *structInfo {
	if info, ok := structCache.Load(t); ok {
		return info.(*structInfo)
	}
	info := &structInfo{byProp: map[string]int{}}
	for i := 0; i < t.NumField(); i++ {
		if p := t.Field(i).Tag.Get("prop"); p != "" {
			info.fields = append(info.fields, field{index: i, prop: p})
			info.byProp[p] = i
		}
	}
	structCache.Store(t, info)
	return info
}

var (
	dateType = reflect.TypeOf(cg.Date{})
	timeType = reflect.TypeOf(time.Time{})
)

// systemProps are the properties the store manages itself: they are never
// taken from an entity's fields and never count as a change.
var systemProps = map[string]bool{"id": true, "version": true, "recordedAt": true}

// encode returns the properties of an entity, without its id and version.
func encode(e cg.Entity) map[string]any {
	v := reflect.Indirect(reflect.ValueOf(e))
	props := map[string]any{}
	for _, f := range infoOf(v.Type()).fields {
		if f.prop == "id" || f.prop == "version" {
			continue
		}
		fv := v.Field(f.index)
		if fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				continue
			}
			fv = fv.Elem()
		}
		switch fv.Type() {
		case dateType:
			props[f.prop] = neo4j.Date(fv.Interface().(cg.Date).Time())
			continue
		case timeType:
			if t := fv.Interface().(time.Time); !t.IsZero() {
				props[f.prop] = t
			}
			continue
		}
		switch fv.Kind() {
		case reflect.String: // a codelist's value is stored as its text
			props[f.prop] = fv.String()
		case reflect.Int:
			props[f.prop] = fv.Int()
		case reflect.Slice:
			if fv.Len() > 0 {
				props[f.prop] = fv.Interface()
			}
		default:
			props[f.prop] = fv.Interface()
		}
	}
	return props
}

// decode builds the domain entity for a node.
func decode(n dbtype.Node) (cg.Entity, error) {
	e, err := decodeProps(entityLabel(n.Labels), n.Props)
	if err != nil {
		return nil, fmt.Errorf("node %v: %w", n.Labels, err)
	}
	return e, nil
}

// decodeProps builds the domain entity labelled label from properties, all
// of a node's or those a query projected.
func decodeProps(label cg.Label, props map[string]any) (cg.Entity, error) {
	e, err := cg.NewEntity(label)
	if err != nil {
		return nil, err
	}
	v := reflect.ValueOf(e).Elem()
	byProp := infoOf(v.Type()).byProp
	for prop, raw := range props { // a node holds fewer properties than its type has fields
		i, ok := byProp[prop]
		if !ok || raw == nil {
			continue
		}
		if err := set(v.Field(i), raw); err != nil {
			return nil, fmt.Errorf("%s.%s: %w", label, prop, err)
		}
	}
	return e, nil
}

// entityLabel picks the entity label among a node's labels.
func entityLabel(labels []string) cg.Label {
	for _, l := range labels {
		if cg.Label(l).Valid() {
			return cg.Label(l)
		}
	}
	return ""
}

func set(dst reflect.Value, raw any) error {
	if dst.Kind() == reflect.Pointer {
		p := reflect.New(dst.Type().Elem())
		if err := set(p.Elem(), raw); err != nil {
			return err
		}
		dst.Set(p)
		return nil
	}
	switch dst.Type() {
	case dateType:
		d, ok := raw.(dbtype.Date)
		if !ok {
			return fmt.Errorf("want date, got %T", raw)
		}
		dst.Set(reflect.ValueOf(cg.DateOf(time.Time(d))))
		return nil
	case timeType:
		t, ok := raw.(time.Time)
		if !ok {
			return fmt.Errorf("want datetime, got %T", raw)
		}
		dst.Set(reflect.ValueOf(t))
		return nil
	}
	switch dst.Kind() {
	case reflect.String:
		s, ok := raw.(string)
		if !ok {
			return fmt.Errorf("want string, got %T", raw)
		}
		dst.SetString(s)
	case reflect.Bool:
		b, ok := raw.(bool)
		if !ok {
			return fmt.Errorf("want boolean, got %T", raw)
		}
		dst.SetBool(b)
	case reflect.Int:
		i, ok := raw.(int64)
		if !ok {
			return fmt.Errorf("want integer, got %T", raw)
		}
		dst.SetInt(i)
	case reflect.Float64:
		switch x := raw.(type) {
		case float64:
			dst.SetFloat(x)
		case int64:
			dst.SetFloat(float64(x))
		default:
			return fmt.Errorf("want number, got %T", raw)
		}
	case reflect.Slice:
		items, ok := raw.([]any)
		if !ok || dst.Type().Elem().Kind() != reflect.String {
			return fmt.Errorf("want list of strings, got %T", raw)
		}
		out := make([]string, len(items))
		for i, it := range items {
			if out[i], ok = it.(string); !ok {
				return fmt.Errorf("want list of strings, got %T in it", it)
			}
		}
		dst.Set(reflect.ValueOf(out))
	default:
		return fmt.Errorf("unsupported field kind %s", dst.Kind())
	}
	return nil
}
