package scalar

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// MarshalDateTime writes a time as RFC 3339 with as many fractional
// digits as it has, or null for the zero time.
func MarshalDateTime(t time.Time) graphql.Marshaler {
	if t.IsZero() {
		return graphql.Null
	}
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.Format(time.RFC3339Nano)))
	})
}

// UnmarshalDateTime reads an RFC 3339 date and time with its offset, such
// as "2017-09-30T14:00:00Z", and refuses anything else with EINVALID: a
// month 13, an hour 25, a missing offset, an empty string. (gqlgen's own
// Time accepted "" as the zero time and reported a bad value as an
// internal error.)
func UnmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, cg.Errorf(cg.EINVALID, "a DateTime is a string such as \"2017-09-30T14:00:00Z\", not %s", kindOf(v))
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || len(s) > 64 {
		return time.Time{}, cg.Errorf(cg.EINVALID, "%.64q is not a date and time such as \"2017-09-30T14:00:00Z\"", s)
	}
	return t, nil
}

// kindOf names the JSON kind of a value a client sent.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case int, int64, float64, jsonNumber:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "that value"
}

type jsonNumber interface{ Float64() (float64, error) }
