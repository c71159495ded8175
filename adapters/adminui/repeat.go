package adminui

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
)

// The names of the window form's repeat fields, as the form posts them and
// as FormErrors.Fields keys them. The end date is posted as three selects
// named RepeatUntilDay, RepeatUntilMonth and RepeatUntilYear.
const (
	// FormRepeat says how the window repeats: one of the Repeat* values;
	// absent or empty means RepeatNone.
	FormRepeat = "Repeat"
	// FormRepeatDays are the days of a weekly repetition, each a value
	// such as "MO" (a checkbox each).
	FormRepeatDays = "RepeatDays"
	// FormRepeatOrdinal and FormRepeatWeekday are "the n-th weekday" of a
	// monthly repetition: 1 to 4 or -1 (the last), and a day such as "TU".
	FormRepeatOrdinal = "RepeatOrdinal"
	FormRepeatWeekday = "RepeatWeekday"
	// FormRepeatMonthDay is the day of the month of a monthly repetition:
	// 1 to 31, or -1 (the last day).
	FormRepeatMonthDay = "RepeatMonthDay"
	// FormRepeatInterval repeats every N weeks or months: 1 to
	// maintenance.MaxInterval; empty means 1.
	FormRepeatInterval = "RepeatInterval"
	// FormRepeatEnd says when the repetition ends: one of the End* values;
	// absent or empty means EndNever.
	FormRepeatEnd = "RepeatEnd"
	// FormRepeatUntil is the last date of an EndUntil repetition, in the
	// repetition's zone (three selects).
	FormRepeatUntil = "RepeatUntil"
	// FormRepeatCount is the number of occurrences of an EndCount
	// repetition: 1 to maintenance.MaxCount.
	FormRepeatCount = "RepeatCount"
	// FormRepeatRule is the RFC 5545 RRULE of a RepeatCustom repetition.
	FormRepeatRule = "RepeatRule"
	// FormRepeatZone is a hidden field: the IANA zone the repetition runs
	// in. Empty means the admin's zone; a stored window keeps its own.
	FormRepeatZone = "RepeatZone"
)

// The values of FormRepeat.
const (
	RepeatNone = "none"
	// RepeatWeekly repeats on the days of FormRepeatDays.
	RepeatWeekly = "weekly"
	// RepeatMonthlyWeekday repeats on the n-th weekday of the month
	// (FormRepeatOrdinal, FormRepeatWeekday).
	RepeatMonthlyWeekday = "monthly-weekday"
	// RepeatMonthlyDay repeats on a day of the month (FormRepeatMonthDay).
	RepeatMonthlyDay = "monthly-day"
	// RepeatCustom repeats as the RRULE of FormRepeatRule says: what the
	// form shows for a rule made elsewhere that the other choices cannot
	// say, so that saving the form keeps it.
	RepeatCustom = "rule"
)

// The values of FormRepeatEnd.
const (
	EndNever = "never"
	EndUntil = "until"
	EndCount = "count"
)

// The messages of the repeat fields, in English.
const (
	MsgUnknownValue       = MsgUnknownValidity // the same text
	MsgRepeatNoZone       = "Repeating needs a time zone with a name, such as Europe/Berlin; yours is a fixed offset from UTC, so this system maintenance cannot repeat."
	MsgRepeatUnknownZone  = "The time zone of this repetition is not known."
	MsgRepeatDays         = "Choose at least one day of the week."
	MsgRepeatInterval     = "Enter a whole number from 1 to 1000."
	MsgRepeatCount        = "Enter a number of occurrences from 1 to 1000."
	MsgRepeatRule         = "This is not a repetition rule the schedule supports (an RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=SU)."
	MsgRepeatNoOccurrence = "The repetition has no occurrence from the start date on."
	MsgRepeatWholeSecond  = "A repeating system maintenance starts and stops on a whole second: choose the minute again."
	MsgRepeatTooLong      = "An occurrence of a repeating system maintenance lasts at most 366 days."
)

// ruleDays are the RFC 5545 names of the days, Monday first, as the form
// offers them, and their weekdays.
var ruleDays = []struct {
	name string
	day  time.Weekday
}{
	{"MO", time.Monday}, {"TU", time.Tuesday}, {"WE", time.Wednesday}, {"TH", time.Thursday},
	{"FR", time.Friday}, {"SA", time.Saturday}, {"SU", time.Sunday},
}

// dayName returns the RFC 5545 name of d.
func dayName(d time.Weekday) string {
	for _, rd := range ruleDays {
		if rd.day == d {
			return rd.name
		}
	}
	return ""
}

// parseDay reads an RFC 5545 day name.
func parseDay(s string) (time.Weekday, bool) {
	for _, rd := range ruleDays {
		if rd.name == s {
			return rd.day, true
		}
	}
	return 0, false
}

// ordinals are the n of "the n-th weekday of the month" the form offers.
var ordinals = []int{1, 2, 3, 4, -1}

// repeatZone returns the zone the repetition of f runs in: the hidden
// field's, else loc's name when it names an IANA zone; "" when neither.
func repeatZone(f url.Values, loc *time.Location) string {
	if z := f.Get(FormRepeatZone); z != "" {
		return z
	}
	return zoneName(loc)
}

// zoneName returns the IANA name of loc, or "" when loc has none that
// LoadZone knows (a fixed offset, "Local").
func zoneName(loc *time.Location) string {
	if _, ok := maintenance.LoadZone(loc.String()); ok {
		return loc.String()
	}
	return ""
}

// parseRepeat reads the repeat fields of f: the zero Recurrence when the
// window does not repeat. Problems are added to errs.
func parseRepeat(f url.Values, loc *time.Location, errs *FormErrors) maintenance.Recurrence {
	kind := f.Get(FormRepeat)
	switch kind {
	case "", RepeatNone:
		return maintenance.Recurrence{}
	case RepeatWeekly, RepeatMonthlyWeekday, RepeatMonthlyDay, RepeatCustom:
	default:
		errs.add(FormRepeat, MsgUnknownValue)
		return maintenance.Recurrence{}
	}
	zone := repeatZone(f, loc)
	zloc, ok := maintenance.LoadZone(zone)
	switch {
	case zone == "":
		errs.add(FormRepeat, MsgRepeatNoZone)
		return maintenance.Recurrence{}
	case !ok:
		errs.add(FormRepeat, MsgRepeatUnknownZone)
		return maintenance.Recurrence{}
	}
	rule, ok := buildRule(f, kind, zloc, errs)
	if !ok {
		return maintenance.Recurrence{}
	}
	return maintenance.Recurrence{Rule: rule, Zone: zone}
}

// buildRule returns the rule the repeat fields of f say for kind, in its
// canonical form; its dates are in zloc.
func buildRule(f url.Values, kind string, zloc *time.Location, errs *FormErrors) (string, bool) {
	if kind == RepeatCustom {
		s := strings.TrimSpace(f.Get(FormRepeatRule))
		if s == "" {
			errs.add(FormRepeatRule, MsgRequired)
			return "", false
		}
		r, err := maintenance.ParseRule(s)
		if len(s) > maintenance.MaxRuleLen || err != nil {
			errs.add(FormRepeatRule, MsgRepeatRule)
			return "", false
		}
		return r.String(), true
	}
	before := len(errs.Fields)
	r := maintenance.Rule{WeekStart: time.Monday} // RFC 5545's default; the form has no other
	switch kind {
	case RepeatWeekly:
		r.Freq = maintenance.Weekly
		for _, s := range f[FormRepeatDays] {
			d, ok := parseDay(s)
			if !ok {
				errs.add(FormRepeatDays, MsgUnknownValue)
				break
			}
			r.ByDay = append(r.ByDay, maintenance.Weekday{Day: d})
		}
		if len(f[FormRepeatDays]) == 0 {
			errs.add(FormRepeatDays, MsgRepeatDays)
		}
	case RepeatMonthlyWeekday:
		r.Freq = maintenance.Monthly
		n, err := strconv.Atoi(f.Get(FormRepeatOrdinal))
		if err != nil || !slices.Contains(ordinals, n) || strconv.Itoa(n) != f.Get(FormRepeatOrdinal) {
			errs.add(FormRepeatOrdinal, MsgUnknownValue)
		}
		d, ok := parseDay(f.Get(FormRepeatWeekday))
		if !ok {
			errs.add(FormRepeatWeekday, MsgUnknownValue)
		}
		r.ByDay = []maintenance.Weekday{{N: n, Day: d}}
	case RepeatMonthlyDay:
		r.Freq = maintenance.Monthly
		s := f.Get(FormRepeatMonthDay)
		n, err := strconv.Atoi(s)
		if err != nil || strconv.Itoa(n) != s || (n != -1 && (n < 1 || n > 31)) {
			errs.add(FormRepeatMonthDay, MsgUnknownValue)
		}
		r.ByMonthDay = []int{n}
	}
	r.Interval = 1
	if s := f.Get(FormRepeatInterval); s != "" {
		n, ok := parseDigits(s)
		if !ok || n < 1 || n > maintenance.MaxInterval {
			errs.add(FormRepeatInterval, MsgRepeatInterval)
		}
		r.Interval = n
	}
	switch f.Get(FormRepeatEnd) {
	case "", EndNever:
	case EndUntil:
		until, ok := parseUntil(f, zloc)
		if !ok {
			errs.add(FormRepeatUntil, MsgDateInvalid)
		}
		r.Until = until
	case EndCount:
		n, ok := parseDigits(f.Get(FormRepeatCount))
		if !ok || n < 1 || n > maintenance.MaxCount {
			errs.add(FormRepeatCount, MsgRepeatCount)
		}
		r.Count = n
	default:
		errs.add(FormRepeatEnd, MsgUnknownValue)
	}
	if len(errs.Fields) > before {
		return "", false
	}
	if r.Validate() != nil { // not reached: the fields are checked above
		errs.add(FormRepeat, MsgRepeatRule)
		return "", false
	}
	return r.String(), true
}

// parseUntil reads the end date's three selects: the repetition ends at
// the end of that day in zloc (its last second), as an instant.
func parseUntil(f url.Values, zloc *time.Location) (time.Time, bool) {
	var n [3]int
	for i, part := range []string{"Day", "Month", "Year"} {
		v, ok := parseDigits(f.Get(FormRepeatUntil + part))
		if !ok {
			return time.Time{}, false
		}
		n[i] = v
	}
	day, month, year := n[0], n[1], n[2]
	if year < minFormYear || year >= maxFormYear || month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), year) {
		return time.Time{}, false
	}
	return endOfDay(year, time.Month(month), day, zloc), true
}

// endOfDay returns the last second of the date in zloc, in UTC: a second
// before the first instant of the next day.
func endOfDay(year int, month time.Month, day int, zloc *time.Location) time.Time {
	next := time.Date(year, month, day+1, 0, 0, 0, 0, time.UTC)
	if found := maintenance.WallInstants(next, zloc); len(found) > 0 {
		return found[0].Add(-time.Second).UTC()
	}
	// Midnight falls in a gap: the day starts when the gap ends, at the
	// start of the zone period that holds midnight read with the offset
	// in force before it.
	_, before := next.Add(-24 * time.Hour).In(zloc).Zone()
	start, _ := next.Add(-time.Duration(before) * time.Second).In(zloc).ZoneBounds()
	return start.Add(-time.Second).UTC()
}

// formatRepeat sets the repeat fields of f to show w's recurrence, with
// the choices the other kinds would need preset from w's start (in the
// repetition's zone, else in loc), so that a new choice starts sensibly.
// A rule that the structured fields cannot say exactly (made elsewhere)
// is shown as RepeatCustom, so that saving the form keeps it.
func formatRepeat(f url.Values, w maintenance.Window, loc *time.Location) {
	zloc := loc
	if z, ok := maintenance.LoadZone(w.Recurrence.Zone); ok {
		zloc = z
	}
	start := w.Start.In(zloc)
	f.Set(FormRepeat, RepeatNone)
	f.Set(FormRepeatInterval, "1")
	f.Set(FormRepeatEnd, EndNever)
	f[FormRepeatDays] = []string{dayName(start.Weekday())}
	f.Set(FormRepeatOrdinal, strconv.Itoa(min((start.Day()-1)/7+1, 4)))
	if start.Day() > 28 { // the fifth of its weekday: the last
		f.Set(FormRepeatOrdinal, "-1")
	}
	f.Set(FormRepeatWeekday, dayName(start.Weekday()))
	f.Set(FormRepeatMonthDay, strconv.Itoa(start.Day()))
	f.Set(FormRepeatUntil+"Day", pad2(start.Day()))
	f.Set(FormRepeatUntil+"Month", pad2(int(start.Month())))
	f.Set(FormRepeatUntil+"Year", strconv.Itoa(start.Year()))
	f.Set(FormRepeatCount, "10")
	if w.Recurrence.IsZero() {
		return
	}
	f.Set(FormRepeatZone, w.Recurrence.Zone)
	r, err := maintenance.ParseRule(w.Recurrence.Rule)
	if err != nil || !formatRule(f, r, zloc) {
		f.Set(FormRepeat, RepeatCustom)
		f.Set(FormRepeatRule, w.Recurrence.Rule)
	}
}

// formatRule sets the structured repeat fields of f to say r, and reports
// whether they say it exactly (building the rule from them gives r's
// text); f is left as it was when not.
func formatRule(f url.Values, r maintenance.Rule, zloc *time.Location) bool {
	g := url.Values{}
	for k, v := range f {
		g[k] = append([]string(nil), v...)
	}
	switch {
	case len(r.ByMonth) > 0:
		return false
	case r.Freq == maintenance.Weekly && len(r.ByDay) > 0:
		g.Set(FormRepeat, RepeatWeekly)
		var days []string
		for _, d := range r.ByDay {
			days = append(days, dayName(d.Day))
		}
		g[FormRepeatDays] = days
	case r.Freq == maintenance.Monthly && len(r.ByDay) == 1 && len(r.ByMonthDay) == 0:
		g.Set(FormRepeat, RepeatMonthlyWeekday)
		g.Set(FormRepeatOrdinal, strconv.Itoa(r.ByDay[0].N))
		g.Set(FormRepeatWeekday, dayName(r.ByDay[0].Day))
	case r.Freq == maintenance.Monthly && len(r.ByDay) == 0 && len(r.ByMonthDay) == 1:
		g.Set(FormRepeat, RepeatMonthlyDay)
		g.Set(FormRepeatMonthDay, strconv.Itoa(r.ByMonthDay[0]))
	default:
		return false
	}
	g.Set(FormRepeatInterval, strconv.Itoa(max(r.Interval, 1)))
	switch {
	case r.Count > 0:
		g.Set(FormRepeatEnd, EndCount)
		g.Set(FormRepeatCount, strconv.Itoa(r.Count))
	case !r.Until.IsZero():
		g.Set(FormRepeatEnd, EndUntil)
		d := r.Until.In(zloc)
		g.Set(FormRepeatUntil+"Day", pad2(d.Day()))
		g.Set(FormRepeatUntil+"Month", pad2(int(d.Month())))
		g.Set(FormRepeatUntil+"Year", strconv.Itoa(d.Year()))
	}
	var probe FormErrors
	s, ok := buildRule(g, g.Get(FormRepeat), zloc, &probe)
	if !ok || s != r.String() {
		return false
	}
	for k, v := range g {
		f[k] = v
	}
	return true
}
