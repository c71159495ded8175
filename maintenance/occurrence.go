package maintenance

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxOccurrences is the most occurrences [Window.Occurrences] lists at
// once.
const MaxOccurrences = 1000

// Occurrences returns, in order, up to n occurrences of w that end after
// the instant after: the occurrence in progress then, if any, and those
// that follow, exceptions left out. Each is w with the occurrence's Start
// and Stop, Occurrence set and no Exceptions, as a [Schedule] reports it.
// A window that does not recur is its own only occurrence. n is at most
// [MaxOccurrences]; zero or less gives an empty slice. The result is never
// nil.
//
// It is what a form shows before saving ("the next five occurrences") and
// what an overview shows ("the next occurrence"): show each Start and Stop
// in the viewer's zone with time.Time.In. w need not be stored, but its
// recurrence must be valid: otherwise Occurrences returns the
// *ValidationError of [Window.Validate]. w is normalized first.
func (w Window) Occurrences(after time.Time, n int) ([]Window, error) {
	w = w.Normalize()
	out := []Window{}
	n = min(n, MaxOccurrences)
	if n <= 0 {
		return out, nil
	}
	if w.Recurrence.IsZero() {
		if w.Stop.After(after) {
			out = append(out, w)
		}
		return out, nil
	}
	if err := w.checkRecurrence(); err != nil {
		return nil, err
	}
	sr, _ := newSeries(w) // checked
	res := &resolver{loc: sr.loc}
	afterMS := unixMS(after)
	lo := floorDiv(subMS(afterMS, sr.dur), 1000) - slack
	sr.walk(res, lo, maxSec, func(_, ms int64) bool {
		if ms+sr.dur > afterMS && !sr.excepted(ms) {
			out = append(out, occurrence(w, ms, sr.dur))
		}
		return len(out) < n
	})
	return out, nil
}

// occurrence returns w's occurrence starting at ms, lasting dur ms.
func occurrence(w Window, ms, dur int64) Window {
	w.Start = time.UnixMilli(ms).UTC()
	w.Stop = time.UnixMilli(ms + dur).UTC()
	w.Occurrence = w.Start
	w.Recurrence.Exceptions = nil
	return w
}

// checkRecurrence returns the *ValidationError of w's recurrence and of
// the fields it depends on (Start, Stop), or nil.
func (w Window) checkRecurrence() error {
	e := &ValidationError{}
	for _, f := range w.problems().Fields {
		switch f.Field {
		case FieldStart, FieldStop, FieldRecurrence, FieldZone, FieldExceptions:
			e.Fields = append(e.Fields, f)
		}
	}
	return e.err()
}

// Align returns w with Start moved to the first occurrence of its rule at
// or after Start's wall-clock time in its zone, and Stop moved with it (the
// window keeps its length); an occurrence that a daylight-saving gap moves
// cannot be the first, whose wall-clock time is the rule's time of day, so
// Align passes over it (a rule whose every occurrence falls in a gap, such
// as the last Sunday of March at 02:30 in Europe/Berlin, has no start). A
// form that takes a start date and "weekly on
// Sunday" calls it before saving, since a recurring window's Start must be
// its first occurrence. A window that does not recur is returned as it is,
// normalized. A recurrence that cannot be expanded, or whose rule has no
// occurrence from Start on, gives a *ValidationError naming the field.
func (w Window) Align() (Window, error) {
	w = w.Normalize()
	if w.Recurrence.IsZero() {
		return w, nil
	}
	p := w.recurrenceProblems()
	if p.rule != "" || p.zone != "" || p.stop != "" || (p.start != "" && p.start != ReasonNotAnOccurrence) {
		return w, w.checkRecurrence()
	}
	if w.Start.IsZero() || w.Stop.IsZero() || !w.Start.Before(w.Stop) {
		return w, w.checkRecurrence()
	}
	sr, bad := newSeries(w)
	if bad != nil {
		return w, w.checkRecurrence()
	}
	// The first occurrence that no daylight-saving gap moved: Start's
	// wall-clock time is the rule's time of day.
	first, found := int64(0), false
	sr.walk(&resolver{loc: sr.loc}, sr.wall, maxSec, func(wall, ms int64) bool {
		first, found = ms, wall == wallOf(time.UnixMilli(ms), sr.loc)
		return !found
	})
	if !found {
		return w, &ValidationError{Fields: []FieldError{{FieldRecurrence, ReasonNoOccurrence}}}
	}
	w.Start = time.UnixMilli(first).UTC()
	w.Stop = time.UnixMilli(first + sr.dur).UTC()
	return w, nil
}

// Calendar is a recurring window as an iCalendar (RFC 5545) VEVENT writes
// it, so that calendar clients show the occurrences the schedule enforces:
//
//	DTSTART;TZID=Europe/Berlin:20261129T020000
//	DURATION:PT2H
//	RRULE:FREQ=WEEKLY;BYDAY=SU
//	EXDATE;TZID=Europe/Berlin:20261206T020000
//
// Every occurrence lasts the same exact time, as RFC 5545 (section
// 3.8.5.3) has it for an event with DTEND, and as a DURATION in hours,
// minutes and seconds says (a duration in days would be nominal): write
// either DURATION or DTEND (in UTC), not both.
//
// The event needs its zone: either a VTIMEZONE component for TZID, or the
// IANA name alone, which Google Calendar, Apple Calendar and Outlook
// resolve.
type Calendar struct {
	// TZID is the zone, an IANA name: the TZID parameter of DTSTART and
	// EXDATE.
	TZID string
	// DTStart is the first occurrence's start, as a local date-time in
	// TZID: "20261129T020000".
	DTStart string
	// DTEnd is the first occurrence's stop in UTC: "20261129T010000Z".
	DTEnd string
	// Duration is the length of every occurrence, in RFC 5545 form:
	// "PT2H", "PT1H30M", "PT0S" never (a window has a length).
	Duration string
	// RRule is the rule, the value of RRULE: "FREQ=WEEKLY;BYDAY=SU".
	RRule string
	// ExDates are the exceptions, in order, as local date-times in TZID,
	// for one EXDATE property each or a comma-separated list. Each is the
	// wall-clock time the rule gives the occurrence (an occurrence moved
	// forward out of a daylight-saving gap keeps its time in the gap),
	// which a client resolves to the same instant.
	ExDates []string
}

// localLayout is the RFC 5545 form of a local date-time.
const localLayout = "20060102T150405"

// Calendar returns w as an iCalendar event writes it (see [Calendar]),
// and true; false for a window that does not recur or whose recurrence
// Validate refuses. w is normalized first.
func (w Window) Calendar() (Calendar, bool) {
	w = w.Normalize()
	if w.Recurrence.IsZero() || w.checkRecurrence() != nil {
		return Calendar{}, false
	}
	sr, _ := newSeries(w) // checked
	c := Calendar{
		TZID:     w.Recurrence.Zone,
		DTStart:  time.Unix(sr.wall, 0).UTC().Format(localLayout),
		DTEnd:    w.Stop.Format(untilLayout),
		Duration: isoDuration(w.Stop.Sub(w.Start)),
		RRule:    w.Recurrence.Rule,
	}
	res := &resolver{loc: sr.loc}
	for _, t := range w.Recurrence.Exceptions {
		wall, _ := sr.occursAt(res, unixMS(t)) // checked
		c.ExDates = append(c.ExDates, time.Unix(wall, 0).UTC().Format(localLayout))
	}
	return c, true
}

// isoDuration formats d, a positive whole number of seconds, as an RFC
// 5545 duration in hours, minutes and seconds: "PT2H", "PT1H30M",
// "PT49H0M5S".
func isoDuration(d time.Duration) string {
	secs := int64(d / time.Second)
	h, m, s := secs/3600, secs/60%60, secs%60
	var b strings.Builder
	b.WriteString("PT")
	if h > 0 {
		b.WriteString(strconv.FormatInt(h, 10) + "H")
	}
	if m > 0 || (h > 0 && s > 0) {
		b.WriteString(strconv.FormatInt(m, 10) + "M")
	}
	if s > 0 || secs == 0 {
		b.WriteString(strconv.FormatInt(s, 10) + "S")
	}
	return b.String()
}

// String returns the rule, zone and number of exceptions of r, for logs:
// "FREQ=WEEKLY;BYDAY=SU in Europe/Berlin, 2 exceptions"; "once" for the
// zero Recurrence.
func (r Recurrence) String() string {
	switch {
	case r.IsZero():
		return "once"
	case len(r.Exceptions) == 1:
		return fmt.Sprintf("%s in %s, 1 exception", r.Rule, r.Zone)
	}
	return fmt.Sprintf("%s in %s, %d exceptions", r.Rule, r.Zone, len(r.Exceptions))
}

// From returns w as a series of its own that begins at its first
// occurrence starting at or after t, and reports whether it has one: what
// [Manager.UpdateFollowing] takes to change a series from now on without
// rewriting the occurrences that have happened. Start and Stop become
// that occurrence's, the exceptions before it are dropped, and a COUNT
// counts only the occurrences left, so that the series from t has the
// occurrences w has from t, no more. An occurrence that a daylight-saving
// gap moved is passed over, as a start must carry the rule's time of day
// (see [Window.Align]).
//
// A window whose first occurrence starts at or after t is returned as it
// is (normalized), with true; so is a window that does not recur and
// starts at or after t. A window that does not recur and starts before t,
// a recurrence with no occurrence starting at or after t, or one that
// cannot be expanded give false.
func (w Window) From(t time.Time) (Window, bool) {
	w = w.Normalize()
	if !w.Start.Before(t) {
		return w, true
	}
	if w.Recurrence.IsZero() {
		return w, false
	}
	sr, bad := newSeries(w)
	if bad != nil {
		return w, false
	}
	tms := unixMS(t)
	before, split, found := 0, int64(0), false
	sr.walk(&resolver{loc: sr.loc}, sr.wall, maxSec, func(wall, ms int64) bool {
		if ms >= tms && wall == wallOf(time.UnixMilli(ms), sr.loc) {
			split, found = ms, true
			return false
		}
		before++
		return true
	})
	if !found {
		return w, false
	}
	if sr.rule.Count > 0 {
		rule := sr.rule
		rule.Count -= before
		w.Recurrence.Rule = rule.String()
	}
	w.Start = time.UnixMilli(split).UTC()
	w.Stop = time.UnixMilli(split + sr.dur).UTC()
	w.Recurrence.Exceptions = slices.DeleteFunc(slices.Clone(w.Recurrence.Exceptions),
		func(e time.Time) bool { return e.Before(w.Start) })
	if len(w.Recurrence.Exceptions) == 0 {
		w.Recurrence.Exceptions = nil
	}
	return w, true
}
