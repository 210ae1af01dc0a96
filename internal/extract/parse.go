package extract

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// rx compiles a pattern in which \s also matches a non-breaking space, as
// council pages are full of them.
func rx(p string) *regexp.Regexp {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			if p[i+1] == 's' {
				if inClass {
					b.WriteString(`\s\x{00a0}`)
				} else {
					b.WriteString(`[\s\x{00a0}]`)
				}
			} else {
				b.WriteByte(c)
				b.WriteByte(p[i+1])
			}
			i++
			continue
		case c == '[' && !inClass:
			inClass = true
		case c == ']' && inClass:
			inClass = false
		}
		b.WriteByte(c)
	}
	return regexp.MustCompile(b.String())
}

const (
	monthNames = `(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?`
	dayPart    = `([0-3]?[0-9])(?:st|nd|rd|th)?`
)

var months = map[string]time.Month{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

func monthOf(s string) time.Month {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	if m, ok := months[s]; ok {
		return m
	}
	if len(s) >= 3 {
		if m, ok := months[s[:3]]; ok {
			return m
		}
	}
	return 0
}

// A dateMatch is one full date found in text: a day, a month and a year.
type dateMatch struct {
	Start, End int
	Date       string // YYYY-MM-DD
}

var (
	dateDMY     = rx(`(?i)\b` + dayPart + `(?:\s+of)?\s+` + monthNames + `,?\s+((?:19|20)\d\d)\b`)
	dateMDY     = rx(`(?i)\b` + monthNames + `\s+` + dayPart + `,\s*((?:19|20)\d\d)\b`)
	dateNumeric = rx(`\b([0-3]?[0-9])[/.]([01]?[0-9])[/.]((?:19|20)\d\d)\b`)
	dateISO     = rx(`\b((?:19|20)\d\d)-([01][0-9])-([0-3][0-9])\b`)
	// A day and month whose year comes from the date after it:
	// "1st October to 30th September 2018".
	dateRangeNoYear = rx(`(?i)\b` + dayPart + `\s+` + monthNames + `\s+(?:to|until|-|–)\s+` + dayPart + `\s+` + monthNames + `,?\s+((?:19|20)\d\d)\b`)
)

func mkDate(y, m, d int) (string, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2100 {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

// findDates returns every full date in s, in order, with offsets relative
// to s. A month without a day ("March 2018") is not a date.
func findDates(s string) []dateMatch {
	var out []dateMatch
	taken := func(a, b int) bool {
		for _, d := range out {
			if a < d.End && b > d.Start {
				return true
			}
		}
		return false
	}
	for _, m := range dateRangeNoYear.FindAllStringSubmatchIndex(s, -1) {
		d1, _ := strconv.Atoi(s[m[2]:m[3]])
		m1 := int(monthOf(s[m[4]:m[5]]))
		y, _ := strconv.Atoi(s[m[10]:m[11]])
		m2 := int(monthOf(s[m[8]:m[9]]))
		d2, _ := strconv.Atoi(s[m[6]:m[7]])
		y1 := y
		if m1 > m2 || (m1 == m2 && d1 > d2) {
			y1 = y - 1
		}
		if a, ok := mkDate(y1, m1, d1); ok {
			if b, ok := mkDate(y, m2, d2); ok {
				out = append(out, dateMatch{m[2], m[5], a})
				// the second date is found below by dateDMY
				_ = b
			}
		}
	}
	for _, m := range dateDMY.FindAllStringSubmatchIndex(s, -1) {
		d, _ := strconv.Atoi(s[m[2]:m[3]])
		y, _ := strconv.Atoi(s[m[6]:m[7]])
		if v, ok := mkDate(y, int(monthOf(s[m[4]:m[5]])), d); ok && !taken(m[0], m[1]) {
			out = append(out, dateMatch{m[0], m[1], v})
		}
	}
	for _, m := range dateMDY.FindAllStringSubmatchIndex(s, -1) {
		d, _ := strconv.Atoi(s[m[4]:m[5]])
		y, _ := strconv.Atoi(s[m[6]:m[7]])
		if v, ok := mkDate(y, int(monthOf(s[m[2]:m[3]])), d); ok && !taken(m[0], m[1]) {
			out = append(out, dateMatch{m[0], m[1], v})
		}
	}
	for _, m := range dateNumeric.FindAllStringSubmatchIndex(s, -1) {
		d, _ := strconv.Atoi(s[m[2]:m[3]])
		mo, _ := strconv.Atoi(s[m[4]:m[5]])
		y, _ := strconv.Atoi(s[m[6]:m[7]])
		if v, ok := mkDate(y, mo, d); ok && !taken(m[0], m[1]) {
			out = append(out, dateMatch{m[0], m[1], v})
		}
	}
	for _, m := range dateISO.FindAllStringSubmatchIndex(s, -1) {
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		mo, _ := strconv.Atoi(s[m[4]:m[5]])
		d, _ := strconv.Atoi(s[m[6]:m[7]])
		if v, ok := mkDate(y, mo, d); ok && !taken(m[0], m[1]) {
			out = append(out, dateMatch{m[0], m[1], v})
		}
	}
	sortDates(out)
	return out
}

func sortDates(d []dateMatch) {
	for i := 1; i < len(d); i++ {
		for j := i; j > 0 && d[j].Start < d[j-1].Start; j-- {
			d[j], d[j-1] = d[j-1], d[j]
		}
	}
}

// ParseDate reads one date written the ways councils write them and
// returns it as YYYY-MM-DD; ok is false when s is not exactly one full date.
func ParseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	ds := findDates(s)
	if len(ds) != 1 || ds[0].Start != 0 || ds[0].End != len(s) {
		return "", false
	}
	return ds[0].Date, true
}

// A moneyMatch is one amount of money found in text.
type moneyMatch struct {
	Start, End int
	Value      float64
	Currency   string
	Approx     bool   // "c.", "approximately": still the stated value
	Bound      string // "up to", "over", ...: a bound, not a value
}

var moneyRe = rx(`(?i)(?:\b(up\s+to|over|in\s+excess\s+of|more\s+than|less\s+than|under|at\s+least|maximum\s+of|c\.|circa|approximately|approx\.?|around|about|estimated)\s*)?([£€$])\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s?(million|billion|thousand|mn|bn|m|k)\b)?`)

// findMoney returns the amounts of money in s with offsets relative to s.
// "c.£4.837m" is 4837000; "up to £3.4m" is 3400000 with Bound "up to".
func findMoney(s string) []moneyMatch {
	var out []moneyMatch
	for _, m := range moneyRe.FindAllStringSubmatchIndex(s, -1) {
		whole := strings.ReplaceAll(s[m[6]:m[7]], ",", "")
		frac := ""
		if m[8] >= 0 {
			frac = s[m[8]:m[9]]
		}
		v, err := strconv.ParseFloat(whole+"."+frac+"0", 64)
		if err != nil {
			continue
		}
		mult := 1.0
		if m[10] >= 0 {
			switch strings.ToLower(s[m[10]:m[11]]) {
			case "m", "mn", "million":
				mult = 1e6
			case "k", "thousand":
				mult = 1e3
			case "bn", "billion":
				mult = 1e9
			}
		}
		v = math.Round(v*mult*100) / 100
		mm := moneyMatch{Start: m[0], End: m[1], Value: v}
		switch s[m[4]:m[5]] {
		case "£":
			mm.Currency = "GBP"
		case "€":
			mm.Currency = "EUR"
		case "$":
			mm.Currency = "USD"
		}
		if m[2] >= 0 {
			q := strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s[m[2]:m[3]], "\u00a0", " ")), " "))
			switch q {
			case "c.", "circa", "approximately", "approx", "approx.", "around", "about", "estimated":
				mm.Approx = true
			default:
				mm.Bound = q
			}
		}
		out = append(out, mm)
	}
	return out
}

// ParseMoney reads one amount ("£1.2m", "c.£4.837m", "£660,050.73") and
// returns its value in the currency's unit and the ISO currency code.
func ParseMoney(s string) (float64, string, bool) {
	s = strings.TrimSpace(s)
	ms := findMoney(s)
	if len(ms) != 1 || ms[0].Start != 0 || ms[0].End != len(s) {
		return 0, "", false
	}
	return ms[0].Value, ms[0].Currency, true
}

var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "twenty-four": 24, "thirty": 30,
	"thirty-six": 36, "forty": 40, "fifty": 50, "a": 1, "an": 1,
}

const numberPart = `(\d{1,3}(?:,\d{3})+|\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty-four|twenty|thirty-six|thirty|forty|fifty)`

func number(s string) (int, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if n, err := strconv.Atoi(strings.ReplaceAll(s, ",", "")); err == nil {
		return n, true
	}
	n, ok := numberWords[s]
	return n, ok
}

// A periodMatch is a contract length found in text.
type periodMatch struct {
	Start, End int
	Months     int
	// Option is set for "2 + 1 years": the words that state an option to
	// extend beyond the initial Months.
	Option string
}

var (
	periodRes = []*regexp.Regexp{
		rx(`(?i)\bfor\s+(?:an?\s+)?(?:further\s+|additional\s+|initial\s+|fixed\s+)?(?:term|period|duration)\s+of\s+` + numberPart + `(?:\s*\(\d+\))?\s+(months?|years?)\b`),
		rx(`(?i)\b(?:a|an)\s+(?:further\s+|additional\s+|initial\s+|new\s+)?` + numberPart + `(?:\s*\(\d+\))?[\s-]+(month|year)s?\s+(?:period|term|contract|extension|agreement|arrangement)\b`),
		rx(`(?i)\b` + numberPart + `(?:\s*\(\d+\))?[\s-]+(month|year)s?\s+(?:contract|extension|agreement|arrangement|term)\b`),
		rx(`(?i)\b(?:extension|extend(?:ed|ing)?(?:\s+it|\s+the\s+contract)?)\s+(?:of|by|for)\s+(?:up\s+to\s+)?(?:a\s+further\s+|an\s+additional\s+|a\s+period\s+of\s+)?` + numberPart + `(?:\s*\(\d+\))?\s+(months?|years?)\b`),
		rx(`(?i)\bfor\s+(?:a\s+further\s+|an\s+additional\s+|a\s+further\s+period\s+of\s+)?` + numberPart + `(?:\s*\(\d+\))?\s+(months?|years?)\b`),
	}
	periodPlus = rx(`(?i)\b(\d{1,2})\s*\+\s*(\d{1,2})(?:\s*\+\s*(\d{1,2}))?\s+(years?|months?)\b`)
)

// findPeriods returns contract lengths in s, in whole months.
func findPeriods(s string) []periodMatch {
	var out []periodMatch
	taken := func(a, b int) bool {
		for _, d := range out {
			if a < d.End && b > d.Start {
				return true
			}
		}
		return false
	}
	for _, m := range periodPlus.FindAllStringSubmatchIndex(s, -1) {
		a, _ := strconv.Atoi(s[m[2]:m[3]])
		unit := 12
		if strings.HasPrefix(strings.ToLower(s[m[8]:m[9]]), "month") {
			unit = 1
		}
		out = append(out, periodMatch{Start: m[0], End: m[1], Months: a * unit, Option: s[m[0]:m[1]]})
	}
	for _, re := range periodRes {
		for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
			if taken(m[0], m[1]) {
				continue
			}
			n, ok := number(s[m[2]:m[3]])
			if !ok || n == 0 {
				continue
			}
			unit := 12
			if strings.HasPrefix(strings.ToLower(s[m[4]:m[5]]), "month") {
				unit = 1
			}
			out = append(out, periodMatch{Start: m[0], End: m[1], Months: n * unit})
		}
	}
	return out
}

// ParsePeriod reads a contract length ("for a period of 12 months", "one
// year", "a further nine month period") and returns whole months.
func ParsePeriod(s string) (int, bool) {
	ps := findPeriods(s)
	if len(ps) != 1 {
		if n, ok := simplePeriod(s); ok {
			return n, true
		}
		return 0, false
	}
	return ps[0].Months, true
}

var simplePeriodRe = rx(`(?i)^\s*` + numberPart + `[\s-]+(months?|years?)\s*$`)

func simplePeriod(s string) (int, bool) {
	m := simplePeriodRe.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, ok := number(m[1])
	if !ok {
		return 0, false
	}
	if strings.HasPrefix(strings.ToLower(m[2]), "year") {
		n *= 12
	}
	return n, true
}

func fmtValue(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case *float64:
		return strconv.FormatFloat(*x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}
