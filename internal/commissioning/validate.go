package commissioning

import (
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// Lists of kinds that entity fields are checked against, beside the
// codelists (codelist.go), which are checked by their type.
var (
	MetricKinds = []string{MetricChildrenSupported, MetricWaitingList, MetricOutcomes, MetricValueForMoney,
		MetricChildrenPlaced, MetricFamilies, MetricHouseholds, MetricAdults, MetricPeople, MetricReferrals}
	RuleKinds = []string{RuleApprovalBeforeEnd}
)

// MaxIDLength bounds the length of an entity id.
const MaxIDLength = 512

// MaxTextBytes bounds every text field of an entity, however it is
// written (the API, an import, the seed). Neo4j refuses to index a value
// much beyond 8 KB (a range index key must fit in a page) and fails the
// whole transaction when asked to, so a longer value is refused here with
// a message instead. The API's own bound on every argument
// (graph.Options.MaxStringBytes) is usually lower.
const MaxTextBytes = 8000

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// ValidateID checks that id is a usable entity id: a prefix naming the kind
// of thing, a colon, and the rest, with no spaces or control characters
// (service:bromley-cse-recovery).
func ValidateID(id string) error {
	if id == "" {
		return Errorf(EINVALID, "id is empty")
	}
	if len(id) > MaxIDLength {
		return Errorf(EINVALID, "id %.40q... is longer than %d bytes", id, MaxIDLength)
	}
	if i := strings.IndexByte(id, ':'); i < 1 || i == len(id)-1 {
		return Errorf(EINVALID, "id %q: want a prefix, a colon and a name, such as service:bromley-cse-recovery", id)
	}
	if strings.IndexFunc(id, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return Errorf(EINVALID, "id %q contains a space or control character", id)
	}
	return nil
}

// ValidateEntity checks an entity before it is written: a valid id, every
// required (non-pointer) text field present, values inside their codelists,
// dates of reduced precision that exist, and a contract that does not end
// before it starts. Dates of full precision are checked when parsed
// (ParseDate), so a Date value always exists.
func ValidateEntity(e Entity) error {
	if err := ValidateID(e.EntityID()); err != nil {
		return err
	}
	v := reflect.Indirect(reflect.ValueOf(e))
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if f.Type.Kind() == reflect.String && f.Tag.Get("prop") != "id" && strings.TrimSpace(v.Field(i).String()) == "" {
			return Errorf(EINVALID, "%s %s: %s is required", e.EntityLabel(), e.EntityID(), f.Tag.Get("prop"))
		}
		if n := textBytes(v.Field(i)); n > MaxTextBytes {
			return Errorf(EINVALID, "%s %.60s: %s is %d bytes long; the limit is %d", e.EntityLabel(), e.EntityID(), f.Tag.Get("prop"), n, MaxTextBytes)
		}
		if fv := reflect.Indirect(v.Field(i)); fv.IsValid() {
			if c, ok := fv.Interface().(code); ok && !c.Valid() {
				return Errorf(EINVALID, "%s %s: %s %q is not one of %s", e.EntityLabel(), e.EntityID(), f.Tag.Get("prop"), fv.String(), c.Values())
			}
		}
	}
	bad := func(field, format string, args ...any) error {
		return Errorf(EINVALID, "%s %s: %s "+format, append([]any{e.EntityLabel(), e.EntityID(), field}, args...)...)
	}
	switch x := e.(type) {
	case *Contract:
		if x.Currency != nil && !currencyCode.MatchString(*x.Currency) {
			return bad("currency", "%q is not an ISO 4217 code such as GBP", *x.Currency)
		}
		if x.Value != nil && *x.Value < 0 {
			return bad("value", "%v is negative", *x.Value)
		}
		if x.DurationMonths != nil && *x.DurationMonths < 0 {
			return bad("durationMonths", "%d is negative", *x.DurationMonths)
		}
		if x.StartDate != nil && x.EndDate != nil && x.EndDate.Before(*x.StartDate) {
			return bad("endDate", "%s is before startDate %s", x.EndDate, x.StartDate)
		}
	case *Metric:
		if !oneOf(x.Kind, MetricKinds) {
			return bad("kind", "%q is not one of %s", x.Kind, strings.Join(MetricKinds, ", "))
		}
	case *Rule:
		if !oneOf(x.Kind, RuleKinds) {
			return bad("kind", "%q is not one of %s", x.Kind, strings.Join(RuleKinds, ", "))
		}
		if x.MonthsBeforeEnd != nil && *x.MonthsBeforeEnd < 0 {
			return bad("monthsBeforeEnd", "%d is negative", *x.MonthsBeforeEnd)
		}
	case *Resolution:
		if x.Number < 1 {
			return bad("number", "%d is not a resolution number", x.Number)
		}
	case *Team:
		if x.Launched != nil && !partialDate(*x.Launched) {
			return bad("launched", "%q is not a date such as 2017, 2017-01 or 2017-01-31", *x.Launched)
		}
	case *Review:
		if x.Planned != nil && !partialDate(*x.Planned) {
			return bad("planned", "%q is not a date such as 2017, 2017-10 or 2017-10-02", *x.Planned)
		}
	}
	return nil
}

// textBytes returns the length of the longest text in a string, string
// pointer or list of strings.
func textBytes(v reflect.Value) int {
	switch v.Kind() {
	case reflect.String:
		return v.Len()
	case reflect.Pointer:
		if !v.IsNil() {
			return textBytes(v.Elem())
		}
	case reflect.Slice:
		longest := 0
		for i := 0; i < v.Len(); i++ {
			longest = max(longest, textBytes(v.Index(i)))
		}
		return longest
	}
	return 0
}

func oneOf(s string, list []string) bool {
	for _, v := range list {
		if s == v {
			return true
		}
	}
	return false
}

// partialDate reports whether s is an ISO 8601 date of year, month or day
// precision that exists.
func partialDate(s string) bool {
	for _, layout := range []string{"2006", "2006-01", time.DateOnly} {
		if len(s) == len(layout) {
			if _, err := time.Parse(layout, s); err == nil {
				return true
			}
		}
	}
	return false
}
