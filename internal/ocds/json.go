package ocds

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// object is a JSON object with the path it was found at, for problems and
// sources. Its accessors never fail: a value of the wrong shape is recorded
// as a problem of the process being read (or, in a lenient object, one that
// holds fields outside OCDS 1.1, ignored) and read as absent, so that one
// run finds every problem of a file.
type object struct {
	m       map[string]any
	path    string
	file    string
	probs   *problems
	lenient bool
}

// bad records a problem at key of o, unless o is lenient.
func (o object) bad(key, format string, args ...any) {
	if o.lenient || o.probs == nil {
		return
	}
	o.probs.add(o.at(key), fmt.Sprintf(format, args...))
}

// loose returns o as a lenient object: fields outside OCDS 1.1 (extensions,
// publishers' own) of an unexpected shape are ignored, not problems.
func (o object) loose() object {
	o.lenient = true
	return o
}

func (o object) at(key string) string {
	if key == "" {
		return o.path
	}
	return o.path + "." + key
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// get returns the value at key; a blank string, like null, is absent:
// publishers write "" for what they do not know.
func (o object) get(key string) any {
	v := o.m[key]
	if s, ok := v.(string); ok && strings.TrimSpace(s) == "" {
		return nil
	}
	return v
}

func (o object) has(key string) bool { return o.get(key) != nil }

// text returns a string field, trimmed; nil when absent, null or blank.
func (o object) text(key string) *string {
	switch v := o.get(key).(type) {
	case nil:
		return nil
	case string:
		s := strings.TrimSpace(v)
		return &s
	default:
		o.bad(key, "want a string, got %s", kind(v))
		return nil
	}
}

// firstText returns the first of the keys that holds text, such as title
// and its English variant title_en (an extension, read leniently).
func (o object) firstText(key string, variants ...string) *string {
	if s := o.text(key); s != nil {
		return s
	}
	for _, k := range variants {
		if s := o.loose().text(k); s != nil {
			return s
		}
	}
	return nil
}

// id returns an OCDS id, which may be a string or, in older data, a number.
func (o object) id(key string) string {
	switch v := o.get(key).(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(v)
	case json.Number:
		return v.String()
	default:
		o.bad(key, "want an id (a string or number), got %s", kind(v))
		return ""
	}
}

// number reads a number; a number written as a string ("1200.50"), as some
// publishers do, is read as that number.
func (o object) number(key string) *float64 {
	var s string
	switch v := o.get(key).(type) {
	case nil:
		return nil
	case json.Number:
		s = v.String()
	case string:
		s = strings.ReplaceAll(strings.TrimSpace(v), ",", "")
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			o.bad(key, "want a number, got a string (%q)", v)
			return nil
		}
	default:
		o.bad(key, "want a number, got %s", kind(v))
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		o.bad(key, "%s is not a number we can hold", s)
		return nil
	}
	return &f
}

// date returns a date-time or date field as the calendar date it names
// where it was written: 2017-09-30T23:00:00-04:00 is 30 September.
func (o object) date(key string) *cg.Date {
	t := o.moment(key)
	if t == nil {
		return nil
	}
	d := cg.DateOf(*t)
	return &d
}

// instant reads a date and time as an instant in UTC; a date alone is its
// midnight UTC.
func (o object) instant(key string) *time.Time {
	t := o.moment(key)
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// layouts are the shapes of dates publishers write: RFC 3339 with any
// offset, a date and time without one (read as UTC), and a date alone.
var layouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", time.DateOnly}

// moment reads a date-time in the offset it was written with.
func (o object) moment(key string) *time.Time {
	s := o.text(key)
	if s == nil {
		return nil
	}
	v := strings.Replace(*s, " ", "T", 1)
	if len(v) > 10 && (v[len(v)-1] == 'z') {
		v = v[:len(v)-1] + "Z"
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, v); err == nil {
			return &t
		}
	}
	o.bad(key, "%q is not a date that exists (want 2017-10-01 or 2017-10-01T00:00:00Z)", *s)
	return nil
}

func (o object) child(key string, m map[string]any) object {
	return object{m: m, path: o.at(key), file: o.file, probs: o.probs, lenient: o.lenient}
}

// obj returns the object at key, or nil when absent or of another shape.
func (o object) obj(key string) *object {
	switch v := o.get(key).(type) {
	case nil:
		return nil
	case map[string]any:
		c := o.child(key, v)
		return &c
	default:
		o.bad(key, "want an object, got %s", kind(v))
		return nil
	}
}

// objects returns the objects of the array at key; an element of another
// shape is a problem and left out.
func (o object) objects(key string) []object {
	var items []any
	switch v := o.get(key).(type) {
	case nil:
		return nil
	case []any:
		items = v
	default:
		o.bad(key, "want an array, got %s", kind(v))
		return nil
	}
	out := make([]object, 0, len(items))
	for i, it := range items {
		path := fmt.Sprintf("%s[%d]", o.at(key), i)
		m, ok := it.(map[string]any)
		if !ok {
			if !o.lenient && o.probs != nil && it != nil {
				o.probs.add(path, "want an object, got "+kind(it))
			}
			continue
		}
		out = append(out, object{m: m, path: path, file: o.file, probs: o.probs, lenient: o.lenient})
	}
	return out
}

// strings returns the strings of the array at key; a single string is read
// as an array of one.
func (o object) strings(key string) []string {
	var items []any
	switch v := o.get(key).(type) {
	case nil:
		return nil
	case string:
		return []string{strings.TrimSpace(v)}
	case []any:
		items = v
	default:
		o.bad(key, "want an array of strings, got %s", kind(v))
		return nil
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		s, ok := it.(string)
		if !ok {
			if !o.lenient && o.probs != nil {
				o.probs.add(fmt.Sprintf("%s[%d]", o.at(key), i), "want a string, got "+kind(it))
			}
			continue
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out
}
