package ocds

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// object is a JSON object with the path it was found at, for errors and
// sources.
type object struct {
	m    map[string]any
	path string
	file string
}

func (o object) fail(key, format string, args ...any) error {
	return failf(o.file, o.at(key), format, args...)
}

func failf(file, path, format string, args ...any) error {
	return cg.Errorf(cg.EINVALID, "%s: %s: %s", file, path, fmt.Sprintf(format, args...))
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

func (o object) has(key string) bool {
	v, ok := o.m[key]
	return ok && v != nil
}

// text returns a string field, trimmed; nil when absent, null or blank.
func (o object) text(key string) (*string, error) {
	v, ok := o.m[key]
	if !ok || v == nil {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, o.fail(key, "want a string, got %s", kind(v))
	}
	if s = strings.TrimSpace(s); s == "" {
		return nil, nil
	}
	return &s, nil
}

// firstText returns the first of the keys that holds text, such as title
// and its English variant title_en.
func (o object) firstText(keys ...string) (*string, error) {
	for _, k := range keys {
		s, err := o.text(k)
		if s != nil || err != nil {
			return s, err
		}
	}
	return nil, nil
}

// id returns an OCDS id, which may be a string or, in older data, a number.
func (o object) id(key string) (string, error) {
	switch v := o.m[key].(type) {
	case nil:
		return "", nil
	case string:
		return strings.TrimSpace(v), nil
	case json.Number:
		return v.String(), nil
	default:
		return "", o.fail(key, "want an id (a string or number), got %s", kind(v))
	}
}

func (o object) number(key string) (*float64, error) {
	v, ok := o.m[key]
	if !ok || v == nil {
		return nil, nil
	}
	n, ok := v.(json.Number)
	if !ok {
		return nil, o.fail(key, "want a number, got %s", kind(v))
	}
	f, err := strconv.ParseFloat(n.String(), 64)
	if err != nil {
		return nil, o.fail(key, "%s is not a number we can hold", n)
	}
	return &f, nil
}

// date returns a date-time or date field as a calendar date.
func (o object) date(key string) (*cg.Date, error) {
	t, err := o.instant(key)
	if t == nil || err != nil {
		return nil, err
	}
	d := cg.DateOf(*t)
	return &d, nil
}

// instant reads a date and time, or a date (as its midnight UTC).
func (o object) instant(key string) (*time.Time, error) {
	s, err := o.text(key)
	if s == nil || err != nil {
		return nil, err
	}
	for _, layout := range []string{time.RFC3339, time.DateOnly} {
		if t, err := time.Parse(layout, *s); err == nil {
			return &t, nil
		}
	}
	return nil, o.fail(key, "%q is not a date that exists (want 2017-10-01 or 2017-10-01T00:00:00Z)", *s)
}

func (o object) obj(key string) (*object, error) {
	v, ok := o.m[key]
	if !ok || v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, o.fail(key, "want an object, got %s", kind(v))
	}
	return &object{m: m, path: o.at(key), file: o.file}, nil
}

func (o object) objects(key string) ([]object, error) {
	v, ok := o.m[key]
	if !ok || v == nil {
		return nil, nil
	}
	items, ok := v.([]any)
	if !ok {
		return nil, o.fail(key, "want an array, got %s", kind(v))
	}
	out := make([]object, len(items))
	for i, it := range items {
		m, ok := it.(map[string]any)
		path := fmt.Sprintf("%s[%d]", o.at(key), i)
		if !ok {
			return nil, failf(o.file, path, "want an object, got %s", kind(it))
		}
		out[i] = object{m: m, path: path, file: o.file}
	}
	return out, nil
}

func (o object) strings(key string) ([]string, error) {
	v, ok := o.m[key]
	if !ok || v == nil {
		return nil, nil
	}
	items, ok := v.([]any)
	if !ok {
		return nil, o.fail(key, "want an array of strings, got %s", kind(v))
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, failf(o.file, fmt.Sprintf("%s[%d]", o.at(key), i), "want a string, got %s", kind(it))
		}
		out = append(out, s)
	}
	return out, nil
}
