package commissioning

import (
	"fmt"
	"time"
)

// Date is a calendar date with no time of day or zone, as contracts and
// decisions use them. The zero Date is "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses an ISO 8601 calendar date (2006-01-02) and rejects dates
// that do not exist, such as 2024-02-30.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Errorf(EINVALID, "%q is not a date (want YYYY-MM-DD that exists)", s)
	}
	return DateOf(t), nil
}

// MustParseDate is ParseDate for literals known to be valid; it panics otherwise.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Time().Before(e.Time()) }

// MonthsBefore returns the date n calendar months before d. Month ends map to
// month ends (30 September less 6 months is 31 March), and a day that the
// earlier month lacks is clamped to its last day (31 August less 6 months is
// 28 or 29 February), which is how council rules of the form "six months
// before the contract ends" are read.
func (d Date) MonthsBefore(n int) Date {
	first := time.Date(d.Year, d.Month-time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := daysIn(first.Year(), first.Month())
	day := d.Day
	if d.Day == daysIn(d.Year, d.Month) || day > last {
		day = last
	}
	return Date{Year: first.Year(), Month: first.Month(), Day: day}
}

func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
