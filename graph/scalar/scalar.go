// Package scalar marshals the schema's custom scalars to and from GraphQL.
package scalar

import (
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

// MarshalDate writes a Date as an ISO 8601 string.
func MarshalDate(d cg.Date) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(d.String()))
	})
}

// UnmarshalDate reads an ISO 8601 date and refuses dates that do not exist.
func UnmarshalDate(v any) (cg.Date, error) {
	s, ok := v.(string)
	if !ok {
		return cg.Date{}, cg.Errorf(cg.EINVALID, "a Date is a string such as \"2017-09-30\", not %s", kindOf(v))
	}
	return cg.ParseDate(s)
}
