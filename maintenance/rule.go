package maintenance

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Freq is how often a recurrence rule repeats: the FREQ of an RFC 5545
// RRULE. Rules that repeat more often than daily are not supported: a
// window's time of day is its Start.
type Freq int8

// The frequencies a [Rule] may have. The zero Freq is not one of them.
const (
	Daily Freq = iota + 1
	Weekly
	Monthly
	Yearly
)

// String returns the RRULE name of f: "DAILY", "WEEKLY", "MONTHLY" or
// "YEARLY"; an unknown value prints as "Freq(N)".
func (f Freq) String() string {
	switch f {
	case Daily:
		return "DAILY"
	case Weekly:
		return "WEEKLY"
	case Monthly:
		return "MONTHLY"
	case Yearly:
		return "YEARLY"
	}
	return fmt.Sprintf("Freq(%d)", int8(f))
}

// Weekday is one entry of a rule's BYDAY: a day of the week and, for
// MONTHLY and YEARLY rules, an optional ordinal: N = 1 is the first such
// day of the month (of the year, for a YEARLY rule without BYMONTH), 2 the
// second, -1 the last, -2 the one before; 0 means every such day.
type Weekday struct {
	N   int
	Day time.Weekday
}

// String returns the BYDAY form of d: "SU", "1TU", "-1FR".
func (d Weekday) String() string {
	if d.N == 0 {
		return dayNames[d.Day%7]
	}
	return strconv.Itoa(d.N) + dayNames[d.Day%7]
}

// dayNames are the RFC 5545 names of the days, indexed by time.Weekday.
var dayNames = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// Bounds of a recurrence, enforced by [ParseRule] and [Window.Validate].
const (
	// MaxRuleLen is the longest rule text, in bytes.
	MaxRuleLen = 500
	// MaxInterval is the largest INTERVAL.
	MaxInterval = 1000
	// MaxCount is the largest COUNT.
	MaxCount = 1000
	// MaxExceptions is the most exceptions a recurring window may hold.
	MaxExceptions = 1000
	// MaxOccurrenceLength is the longest a recurring window's occurrence
	// may last (Stop - Start): a year, leap day included.
	MaxOccurrenceLength = 366 * 24 * time.Hour
)

// Rule is a parsed recurrence rule: the subset of an RFC 5545 RRULE that
// maintenance windows use. Build one in code or with [ParseRule]; its
// [Rule.String] is the RRULE text a [Recurrence] holds.
//
// The occurrences of a rule are the dates it selects, each at the wall-clock
// time of the window's Start (see [Recurrence]). BYMONTH, BYMONTHDAY and
// BYDAY narrow the dates or, where RFC 5545 says so, expand them: WEEKLY
// with BYDAY=MO,TH repeats on Mondays and Thursdays; MONTHLY with BYDAY=1TU
// on the first Tuesday of each month, with BYDAY=-1FR on the last Friday,
// with BYMONTHDAY=-1 on the last day. Without BYDAY and BYMONTHDAY a rule
// takes the day from the first occurrence (the weekday for WEEKLY, the day
// of the month for MONTHLY, the day and month for YEARLY), as RFC 5545
// does.
type Rule struct {
	// Freq is the rule's FREQ; required.
	Freq Freq
	// Interval is the INTERVAL: 2 means every other day, week, month or
	// year. 0 and 1 both mean every one. At most MaxInterval.
	Interval int
	// ByMonth limits the occurrences to these months (BYMONTH).
	ByMonth []time.Month
	// ByMonthDay is the BYMONTHDAY: days of the month, 1 to 31, or -1 (the
	// last day) to -31. Not allowed in a WEEKLY rule.
	ByMonthDay []int
	// ByDay is the BYDAY. Ordinals (N != 0) are allowed in MONTHLY rules
	// (-5 to 5) and YEARLY ones (-5 to 5 with ByMonth, else -53 to 53).
	ByDay []Weekday
	// WeekStart is the day weeks start on (WKST). It matters only to a
	// WEEKLY rule with an Interval above 1, where it says which days share
	// a week. ParseRule sets time.Monday, RFC 5545's default, when the rule
	// has no WKST; String writes it only where it matters and it is not
	// Monday. Note that the zero value is time.Sunday.
	WeekStart time.Weekday
	// Count, when positive, ends the rule after that many occurrences
	// (COUNT), exceptions included; at most MaxCount.
	Count int
	// Until, when not zero, ends the rule at that instant, inclusive
	// (UNTIL): the last occurrence starts at or before it. It is an
	// instant in UTC at whole seconds. Count and Until exclude each other.
	Until time.Time
}

// ErrBadRule is wrapped by every error of [ParseRule] and [Rule.Validate].
var ErrBadRule = errors.New("maintenance: bad recurrence rule")

func badRule(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadRule, fmt.Sprintf(format, args...))
}

// untilLayout is the RFC 5545 form of a UTC date-time.
const untilLayout = "20060102T150405Z"

// ParseRule parses an RFC 5545 RRULE value such as
// "FREQ=WEEKLY;BYDAY=SU" or "FREQ=MONTHLY;BYDAY=1TU;COUNT=12", with or
// without a leading "RRULE:". Names and values are case-insensitive; the
// parts may come in any order. It accepts FREQ (DAILY, WEEKLY, MONTHLY,
// YEARLY), INTERVAL, BYMONTH, BYMONTHDAY, BYDAY, WKST, COUNT and UNTIL (a
// UTC date-time, "20261231T230000Z"), and refuses, with an error wrapping
// [ErrBadRule] that says why, everything else: a missing FREQ, a
// frequency above daily, the parts that set a time of day (BYHOUR,
// BYMINUTE, BYSECOND) or that sysmaint does not support (BYSETPOS,
// BYYEARDAY, BYWEEKNO), a part given twice, a value out of range, COUNT
// with UNTIL, and a text longer than [MaxRuleLen].
func ParseRule(s string) (Rule, error) {
	if len(s) > MaxRuleLen {
		return Rule{}, badRule("longer than %d bytes", MaxRuleLen)
	}
	if len(s) >= 6 && strings.EqualFold(s[:6], "RRULE:") {
		s = s[6:]
	}
	if s == "" {
		return Rule{}, badRule("empty")
	}
	r := Rule{WeekStart: time.Monday}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, ";") {
		name, value, ok := strings.Cut(part, "=")
		name = strings.ToUpper(name)
		if !ok || name == "" || value == "" {
			return Rule{}, badRule("%q is not NAME=VALUE", part)
		}
		if seen[name] {
			return Rule{}, badRule("%s given twice", name)
		}
		seen[name] = true
		value = strings.ToUpper(value)
		var err error
		switch name {
		case "FREQ":
			r.Freq, err = parseFreq(value)
		case "INTERVAL":
			r.Interval, err = parseInt(name, value, 1, MaxInterval)
		case "COUNT":
			r.Count, err = parseInt(name, value, 1, MaxCount)
		case "UNTIL":
			r.Until, err = time.Parse(untilLayout, value)
			if err != nil {
				err = badRule("UNTIL=%s is not a UTC date-time such as 20261231T230000Z", value)
			}
		case "BYMONTH":
			r.ByMonth, err = parseList(name, value, func(v string) (time.Month, error) {
				m, err := parseInt(name, v, 1, 12)
				return time.Month(m), err
			})
		case "BYMONTHDAY":
			r.ByMonthDay, err = parseList(name, value, func(v string) (int, error) {
				d, err := parseInt(name, v, -31, 31)
				if err == nil && d == 0 {
					err = badRule("BYMONTHDAY=0: days run from 1 to 31 or -31 to -1")
				}
				return d, err
			})
		case "BYDAY":
			r.ByDay, err = parseList(name, value, parseWeekday)
		case "WKST":
			var d Weekday
			if d, err = parseWeekday(value); err == nil && d.N != 0 {
				err = badRule("WKST=%s takes a day without an ordinal", value)
			}
			r.WeekStart = d.Day
		case "BYHOUR", "BYMINUTE", "BYSECOND":
			err = badRule("%s is not supported: a window's time of day is its Start", name)
		case "BYSETPOS", "BYYEARDAY", "BYWEEKNO":
			err = badRule("%s is not supported", name)
		default:
			err = badRule("unknown part %s", name)
		}
		if err != nil {
			return Rule{}, err
		}
	}
	if err := r.Validate(); err != nil {
		return Rule{}, err
	}
	return r.canonical(), nil
}

func parseFreq(v string) (Freq, error) {
	for f := Daily; f <= Yearly; f++ {
		if v == f.String() {
			return f, nil
		}
	}
	switch v {
	case "SECONDLY", "MINUTELY", "HOURLY":
		return 0, badRule("FREQ=%s is more often than daily, which is not supported", v)
	}
	return 0, badRule("unknown FREQ=%s", v)
}

// parseInt parses a decimal integer in [lo, hi], with an optional sign.
func parseInt(name, v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || len(v) > 6 {
		return 0, badRule("%s=%s is not a number", name, v)
	}
	if n < lo || n > hi {
		return 0, badRule("%s=%s is outside %d to %d", name, v, lo, hi)
	}
	return n, nil
}

func parseList[T any](name, v string, parse func(string) (T, error)) ([]T, error) {
	var out []T
	for item := range strings.SplitSeq(v, ",") {
		if item == "" {
			return nil, badRule("%s=%s has an empty item", name, v)
		}
		x, err := parse(item)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

func parseWeekday(v string) (Weekday, error) {
	if len(v) < 2 {
		return Weekday{}, badRule("%q is not a day such as MO or 1TU", v)
	}
	num, name := v[:len(v)-2], v[len(v)-2:]
	i := slices.Index(dayNames[:], name)
	if i < 0 {
		return Weekday{}, badRule("%q is not a day such as MO or 1TU", v)
	}
	d := Weekday{Day: time.Weekday(i)}
	if num != "" {
		n, err := parseInt("BYDAY", num, -53, 53)
		if err != nil || n == 0 {
			return Weekday{}, badRule("%q is not a day such as MO or 1TU", v)
		}
		d.N = n
	}
	return d, nil
}

// Validate reports whether r is a rule [ParseRule] would accept, with an
// error wrapping [ErrBadRule] that says why not.
func (r Rule) Validate() error {
	switch {
	case r.Freq < Daily || r.Freq > Yearly:
		return badRule("FREQ is required: DAILY, WEEKLY, MONTHLY or YEARLY")
	case r.Interval < 0 || r.Interval > MaxInterval:
		return badRule("INTERVAL=%d is outside 1 to %d", r.Interval, MaxInterval)
	case r.Count < 0 || r.Count > MaxCount:
		return badRule("COUNT=%d is outside 1 to %d", r.Count, MaxCount)
	case r.Count > 0 && !r.Until.IsZero():
		return badRule("COUNT and UNTIL exclude each other")
	case r.WeekStart < time.Sunday || r.WeekStart > time.Saturday:
		return badRule("WKST is not a day")
	}
	if !r.Until.IsZero() && (!inRange(r.Until) || !r.Until.Equal(r.Until.Truncate(time.Second))) {
		return badRule("UNTIL is not a whole second in the years 1 to 9999")
	}
	for _, m := range r.ByMonth {
		if m < time.January || m > time.December {
			return badRule("BYMONTH=%d is outside 1 to 12", int(m))
		}
	}
	if len(r.ByMonthDay) > 0 && r.Freq == Weekly {
		return badRule("BYMONTHDAY is not allowed with FREQ=WEEKLY")
	}
	for _, d := range r.ByMonthDay {
		if d == 0 || d < -31 || d > 31 {
			return badRule("BYMONTHDAY=%d is outside 1 to 31 and -31 to -1", d)
		}
	}
	maxN := 0 // the largest ordinal allowed
	switch {
	case r.Freq == Monthly, r.Freq == Yearly && len(r.ByMonth) > 0:
		maxN = 5
	case r.Freq == Yearly:
		maxN = 53
	}
	for _, d := range r.ByDay {
		if d.Day < time.Sunday || d.Day > time.Saturday {
			return badRule("BYDAY holds a day that is not one")
		}
		if d.N != 0 && maxN == 0 {
			return badRule("BYDAY=%s: an ordinal needs FREQ=MONTHLY or YEARLY", d)
		}
		if d.N < -maxN || d.N > maxN {
			return badRule("BYDAY=%s: the ordinal is outside %d to %d", d, -maxN, maxN)
		}
	}
	return nil
}

// canonical returns r with its lists sorted and without duplicates, its
// Interval 1 when it was 0, Until in UTC, and WeekStart Monday where it
// does not matter.
func (r Rule) canonical() Rule {
	r.Interval = max(r.Interval, 1)
	if r.Freq != Weekly || r.Interval == 1 {
		r.WeekStart = time.Monday
	}
	r.ByMonth = sortedSet(r.ByMonth, cmp.Compare)
	r.ByMonthDay = sortedSet(r.ByMonthDay, func(a, b int) int {
		// 1..31, then -1..-31: the order people read them in
		if (a < 0) != (b < 0) {
			return cmp.Compare(b, a)
		}
		return cmp.Compare(abs(a), abs(b))
	})
	r.ByDay = sortedSet(r.ByDay, func(a, b Weekday) int {
		return cmp.Or(cmp.Compare((a.Day+6)%7, (b.Day+6)%7), cmp.Compare(a.N, b.N)) // Monday first
	})
	if !r.Until.IsZero() {
		r.Until = r.Until.UTC()
	}
	return r
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// sortedSet returns a sorted copy of s without duplicates; nil when s is
// empty.
func sortedSet[T comparable](s []T, cmp func(a, b T) int) []T {
	if len(s) == 0 {
		return nil
	}
	out := slices.Clone(s)
	slices.SortFunc(out, cmp)
	return slices.Compact(out)
}

// String returns r as an RRULE value without the "RRULE:" prefix, in a
// canonical form: FREQ, INTERVAL (when above 1), BYMONTH, BYMONTHDAY,
// BYDAY, WKST (for a WEEKLY rule with an interval above 1, when not
// Monday), then COUNT or UNTIL, each list sorted without duplicates. A rule
// that Validate refuses prints all the same, for the error to show; it does
// not parse.
func (r Rule) String() string {
	r = r.canonical()
	var b strings.Builder
	b.WriteString("FREQ=")
	b.WriteString(r.Freq.String())
	if r.Interval > 1 {
		b.WriteString(";INTERVAL=")
		b.WriteString(strconv.Itoa(r.Interval))
	}
	writeList(&b, "BYMONTH", r.ByMonth, func(m time.Month) string { return strconv.Itoa(int(m)) })
	writeList(&b, "BYMONTHDAY", r.ByMonthDay, strconv.Itoa)
	writeList(&b, "BYDAY", r.ByDay, Weekday.String)
	if r.Freq == Weekly && r.Interval > 1 && r.WeekStart != time.Monday {
		b.WriteString(";WKST=")
		b.WriteString(dayNames[r.WeekStart%7])
	}
	if r.Count > 0 {
		b.WriteString(";COUNT=")
		b.WriteString(strconv.Itoa(r.Count))
	}
	if !r.Until.IsZero() {
		b.WriteString(";UNTIL=")
		b.WriteString(r.Until.Format(untilLayout))
	}
	return b.String()
}

func writeList[T any](b *strings.Builder, name string, items []T, format func(T) string) {
	for i, x := range items {
		if i == 0 {
			b.WriteByte(';')
			b.WriteString(name)
			b.WriteByte('=')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(format(x))
	}
}
