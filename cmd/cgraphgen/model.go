package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// model is what the generator knows of the entity types: their
// declarations, their properties read from the structs, and the doc
// comments read from the source.
type model struct {
	types     []*entity
	byLabel   map[cg.Label]*entity
	relTypes  []cg.RelType // declared, in the order first seen
	codelists []*codelist
}

// codelist is a declared codelist: its type, its values and their docs.
type codelist struct {
	name, doc string
	other     string // the value for one outside the list, or ""
	codes     []code
}

// code is one value of a codelist: its constant, the value stored and its doc.
type code struct {
	goName, value, doc string
}

// enumName is the code's GraphQL enum value: pending is PENDING.
func (c code) enumName() string {
	return strings.ToUpper(strings.NewReplacer(" ", "_", "-", "_").Replace(c.value))
}

type entity struct {
	decl  *cg.TypeDecl
	doc   string
	props []prop
	rels  []cg.RelFieldInfo
}

type prop struct {
	goName, name, doc string
	goType            reflect.Type // without the pointer
	pointer, slice    bool
	kind              cg.Kind
	flags             map[string]bool
	codes             *codelist // the property's codelist, or nil
}

// required reports whether the property always has a value.
func (p prop) required() bool { return !p.pointer && !p.slice }

// common are the properties every type has, described once.
var common = map[string]string{
	"id":        "A stable id, unique across the graph, such as service:bromley-cse-recovery.",
	"version":   "How many times the entity has been written: 1 when created, one more on each change.",
	"synthetic": "True for generated data that stands in for real authorities.",
}

var (
	dateType = reflect.TypeOf(cg.Date{})
	timeType = reflect.TypeOf(time.Time{})
)

func load(dir string) (*model, error) {
	docs, err := readDocs(dir)
	if err != nil {
		return nil, err
	}
	m := &model{byLabel: map[cg.Label]*entity{}}
	codes, err := readCodes(dir)
	if err != nil {
		return nil, err
	}
	byType := map[reflect.Type]*codelist{}
	for _, d := range cg.Codelists {
		t := reflect.TypeOf(d.Zero)
		if t == nil || t.Kind() != reflect.String || len(codes[t.Name()]) == 0 {
			return nil, fmt.Errorf("codelist %v: Zero must be a string type with constants", d.Zero)
		}
		c := &codelist{name: t.Name(), doc: docs[t.Name()][""], other: d.Other, codes: codes[t.Name()]}
		if c.doc == "" {
			return nil, fmt.Errorf("codelist %s has no doc comment", c.name)
		}
		if d.Other != "" && !slices.ContainsFunc(c.codes, func(k code) bool { return k.value == d.Other }) {
			return nil, fmt.Errorf("codelist %s: Other %q is not one of its values", c.name, d.Other)
		}
		m.codelists = append(m.codelists, c)
		byType[t] = c
	}
	seen := map[cg.RelType]bool{}
	for i := range cg.Types {
		d := &cg.Types[i]
		t := reflect.TypeOf(d.Zero)
		if t == nil || t.Kind() != reflect.Struct || t.Name() != string(d.Label) {
			return nil, fmt.Errorf("%s: Zero must be the struct %s{}", d.Label, d.Label)
		}
		e := &entity{decl: d, doc: docs[t.Name()][""], rels: cg.RelFields(d.Label)}
		if e.doc == "" {
			return nil, fmt.Errorf("%s has no doc comment", t.Name())
		}
		for j := 0; j < t.NumField(); j++ {
			f := t.Field(j)
			name := f.Tag.Get("prop")
			if name == "" {
				continue
			}
			p := prop{goName: f.Name, name: name, goType: f.Type, flags: map[string]bool{}}
			for _, fl := range strings.Split(f.Tag.Get("cg"), ",") {
				if fl != "" {
					p.flags[fl] = true
				}
			}
			if p.goType.Kind() == reflect.Pointer {
				p.pointer, p.goType = true, p.goType.Elem()
			}
			p.codes = byType[p.goType]
			if p.codes == nil && p.goType.Kind() == reflect.String && p.goType != reflect.TypeOf("") {
				return nil, fmt.Errorf("%s.%s: %s is not declared in Codelists", t.Name(), f.Name, p.goType)
			}
			switch {
			case p.goType == dateType:
				p.kind = cg.KindDate
			case p.goType == timeType:
				p.kind = cg.KindDateTime
			case p.goType.Kind() == reflect.String:
				p.kind = cg.KindString
			case p.goType.Kind() == reflect.Int:
				p.kind = cg.KindInt
			case p.goType.Kind() == reflect.Float64:
				p.kind = cg.KindFloat
			case p.goType.Kind() == reflect.Bool:
				p.kind = cg.KindBool
			case p.goType.Kind() == reflect.Slice && p.goType.Elem().Kind() == reflect.String:
				p.kind, p.slice = cg.KindStrings, true
			default:
				return nil, fmt.Errorf("%s.%s: type %s is not one a property may have", t.Name(), f.Name, f.Type)
			}
			p.doc = docs[t.Name()][f.Name]
			if p.doc == "" {
				p.doc = common[name]
			}
			if p.doc == "" {
				return nil, fmt.Errorf("%s.%s has no doc comment", t.Name(), f.Name)
			}
			e.props = append(e.props, p)
		}
		for _, r := range e.rels {
			for _, p := range e.props {
				if p.name == r.Name {
					return nil, fmt.Errorf("%s: the relationship field %s has the name of a property", d.Label, r.Name)
				}
			}
			if r.Name == "sources" || r.Name == "relationships" {
				return nil, fmt.Errorf("%s: %s is a field of every entity, not a relationship field", d.Label, r.Name)
			}
		}
		for _, l := range d.Relationships {
			if !seen[l.Type] {
				seen[l.Type] = true
				m.relTypes = append(m.relTypes, l.Type)
			}
		}
		m.types = append(m.types, e)
		m.byLabel[d.Label] = e
	}
	return m, nil
}

// readDocs returns, per struct of the package in dir, its doc comment
// (key "") and its fields' doc comments, as plain text.
func readDocs(dir string) (map[string]map[string]string, error) {
	files, err := parseDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	for _, f := range files {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				st, _ := ts.Type.(*ast.StructType)
				docs := map[string]string{}
				doc := gd.Doc
				if ts.Doc != nil {
					doc = ts.Doc
				}
				if doc != nil {
					// "Authority is a local authority ..." becomes "A local authority ...".
					text := strings.Join(strings.Fields(doc.Text()), " ")
					text = strings.TrimPrefix(text, ts.Name.Name+" is ")
					text = strings.TrimPrefix(text, ts.Name.Name+" are ")
					if text != "" {
						text = ucFirst(text)
					}
					docs[""] = text
				}
				for _, fld := range structFields(st) {
					if fld.Doc == nil {
						continue
					}
					text := strings.Join(strings.Fields(fld.Doc.Text()), " ")
					for _, id := range fld.Names {
						docs[id.Name] = text
					}
				}
				out[ts.Name.Name] = docs
			}
		}
	}
	return out, nil
}

// parseDir parses the package in dir, less its tests and generated files,
// in the order of the file names.
func parseDir(dir string) ([]*ast.File, error) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []*ast.File
	for _, e := range entries { // ReadDir sorts by name
		n := e.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || strings.HasSuffix(n, "_gen.go") {
			continue
		}
		f, err := parser.ParseFile(fset, dir+"/"+n, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

func structFields(st *ast.StructType) []*ast.Field {
	if st == nil {
		return nil
	}
	return st.Fields.List
}

// readCodes returns, per type of the package in dir, its typed string
// constants in source order, each with its doc comment less its name
// ("ContractActive: in force." is "In force.").
func readCodes(dir string) (map[string][]code, error) {
	files, err := parseDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[string][]code{}
	for _, f := range files {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				typ, ok := vs.Type.(*ast.Ident)
				if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 {
					continue
				}
				lit, ok := vs.Values[0].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				value, err := strconv.Unquote(lit.Value)
				if err != nil {
					return nil, err
				}
				c := code{goName: vs.Names[0].Name, value: value}
				if vs.Doc != nil {
					text := strings.Join(strings.Fields(vs.Doc.Text()), " ")
					text = strings.TrimPrefix(text, c.goName+": ")
					if text != "" {
						c.doc = ucFirst(text)
					}
				}
				out[typ.Name] = append(out[typ.Name], c)
			}
		}
	}
	return out, nil
}

// gqlType is the GraphQL type of a property in an object type.
func (p prop) gqlType() string {
	var s string
	switch p.kind {
	case cg.KindString:
		s = "String"
		if p.name == "id" {
			s = "ID"
		}
		if p.codes != nil {
			s = p.codes.name
		}
	case cg.KindInt:
		s = "Int"
	case cg.KindFloat:
		s = "Float"
	case cg.KindBool:
		s = "Boolean"
	case cg.KindDate:
		s = "Date"
	case cg.KindDateTime:
		s = "DateTime"
	case cg.KindStrings:
		return "[String!]!"
	}
	if p.required() {
		s += "!"
	}
	return s
}

// filterType is the input type that filters a property, or "".
func (p prop) filterType() string {
	if p.name == "id" {
		return "IDFilter"
	}
	if p.name == "version" {
		return ""
	}
	switch p.kind {
	case cg.KindString:
		if p.codes != nil {
			return p.codes.name + "Filter"
		}
		return "StringFilter"
	case cg.KindInt:
		return "IntFilter"
	case cg.KindFloat:
		return "FloatFilter"
	case cg.KindBool:
		return "Boolean"
	case cg.KindDate:
		return "DateFilter"
	case cg.KindStrings:
		return "StringListFilter"
	}
	return ""
}

// sortable reports whether lists can be sorted by the property.
func (p prop) sortable() bool {
	switch p.kind {
	case cg.KindString, cg.KindInt, cg.KindFloat, cg.KindDate:
		return p.name != "version"
	}
	return false
}

// filterRels are the relationship fields a filter can follow: those that
// reach one label.
func (e *entity) filterRels() []cg.RelFieldInfo {
	var out []cg.RelFieldInfo
	for _, r := range e.rels {
		if r.Hop.Label != "" {
			out = append(out, r)
		}
	}
	return out
}

// relDoc describes a relationship field.
func relDoc(e *entity, r cg.RelFieldInfo) string {
	if r.Doc != "" {
		return r.Doc
	}
	target := "entity"
	if r.Hop.Label != "" {
		target = words(string(r.Hop.Label))
	}
	if r.Many {
		return fmt.Sprintf("Every linked %s (%s).", target, r.Hop.Type)
	}
	return fmt.Sprintf("The linked %s (%s).", target, r.Hop.Type)
}

func hopExpr(h cg.Hop) string {
	fn := "cg.Out"
	if h.Direction == cg.Incoming {
		fn = "cg.In"
	}
	label := `""`
	if h.Label != "" {
		label = "cg.Label" + string(h.Label)
	}
	return fmt.Sprintf("%s(cg.Rel%s, %s)", fn, camelType(h.Type), label)
}
