package maintenance

import (
	"slices"
	"time"

	"github.com/teambition/rrule-go"
)

// Recurrence makes a window repeat. The zero Recurrence means the window
// happens once.
//
// A recurring window's Start and Stop are those of its first occurrence.
// Every occurrence starts at the wall-clock time of Start in Zone, on the
// dates Rule selects from Start's date on, and lasts as long as the first
// (Stop - Start, an exact duration); Exceptions name occurrences that do
// not happen. See the package documentation, section Recurrence, for the
// rules on daylight-saving changes.
type Recurrence struct {
	// Rule is an RFC 5545 RRULE value without the "RRULE:" prefix, such as
	// "FREQ=WEEKLY;BYDAY=SU" (see [ParseRule] for what it may hold, and
	// [Rule.String] to write one). Window.Normalize rewrites a rule that
	// parses in its canonical form.
	Rule string
	// Zone is the IANA time zone the rule runs in, such as
	// "Europe/Berlin" (see [LoadZone]).
	Zone string
	// Exceptions are the occurrences that do not happen (RFC 5545 EXDATE),
	// each named by its start as the rule gives it. Each must be an
	// occurrence of the rule; at most MaxExceptions. Window.Normalize puts
	// them in UTC at millisecond precision, sorted, without duplicates, and
	// nil when there are none.
	Exceptions []time.Time
}

// IsZero reports whether r is the zero Recurrence: the window does not
// repeat.
func (r Recurrence) IsZero() bool { return r.Rule == "" && r.Zone == "" && len(r.Exceptions) == 0 }

// normalize returns r with its rule in canonical form (when it parses) and
// its exceptions normalized. It copies the exceptions only when they
// change, and never changes the caller's slice.
func (r Recurrence) normalize() Recurrence {
	if r.Rule != "" {
		if rule, err := ParseRule(r.Rule); err == nil {
			r.Rule = rule.String()
		}
	}
	ex := r.Exceptions
	if len(ex) == 0 {
		r.Exceptions = nil
		return r
	}
	normal := true
	for i, t := range ex {
		if !t.Equal(normTime(t)) || t.Location() != time.UTC || (i > 0 && !ex[i-1].Before(t)) {
			normal = false
			break
		}
	}
	if normal {
		return r
	}
	out := make([]time.Time, len(ex))
	for i, t := range ex {
		out[i] = normTime(t)
	}
	slices.SortFunc(out, time.Time.Compare)
	r.Exceptions = slices.CompactFunc(out, time.Time.Equal)
	return r
}

// series is a recurring window ready to expand: its rule parsed, its zone
// loaded, its first occurrence's wall-clock time and its length known. It
// is immutable once built, and shared by the schedules compiled from the
// same window.
type series struct {
	rule Rule
	loc  *time.Location
	// wall is Start's wall-clock time in loc, in Unix seconds as if loc
	// were UTC: the rule's DTSTART, computed as a floating time.
	wall int64
	// dur is the length of every occurrence, in milliseconds.
	dur int64
	// opt is the rule for rrule-go, with every default made explicit (see
	// newSeries), without COUNT and UNTIL, Dtstart unset.
	opt rrule.ROption
	// last is the wall-clock time of the last occurrence the rule allows
	// (its COUNT-th), or math.MaxInt64; until is UNTIL in Unix seconds, or
	// math.MaxInt64.
	last, until int64
	// ex holds the exceptions in Unix ms, sorted.
	ex []int64
}

// seriesProblem says why a recurring window cannot be expanded; its field
// and reason are those Validate reports.
type seriesProblem struct {
	field  string
	reason Reason
}

// newSeries prepares w, normalized, for expansion. It checks what
// expansion needs (the rule parses, the zone loads, Start and Stop are
// set, in range, on whole seconds, in order and not too far apart) and
// returns the first problem otherwise. It does not check that Start is an
// occurrence, nor the exceptions.
func newSeries(w Window) (*series, *seriesProblem) {
	rule, err := ParseRule(w.Recurrence.Rule)
	if err != nil {
		return nil, &seriesProblem{FieldRecurrence, ReasonBadRule}
	}
	loc, ok := LoadZone(w.Recurrence.Zone)
	if !ok {
		return nil, &seriesProblem{FieldZone, ReasonUnknownZone}
	}
	switch {
	case w.Start.IsZero() || !inRange(w.Start):
		return nil, &seriesProblem{FieldStart, ReasonOutOfRange}
	case w.Stop.IsZero() || !inRange(w.Stop):
		return nil, &seriesProblem{FieldStop, ReasonOutOfRange}
	case w.Start.Nanosecond() != 0:
		return nil, &seriesProblem{FieldStart, ReasonNotWholeSecond}
	case w.Stop.Nanosecond() != 0:
		return nil, &seriesProblem{FieldStop, ReasonNotWholeSecond}
	case !w.Start.Before(w.Stop):
		return nil, &seriesProblem{FieldStart, ReasonNotBeforeStop}
	case w.Stop.Sub(w.Start) > MaxOccurrenceLength:
		return nil, &seriesProblem{FieldStop, ReasonOccurrenceTooLong}
	}
	sr := &series{rule: rule, loc: loc, wall: wallOf(w.Start, loc),
		dur: w.Stop.Sub(w.Start).Milliseconds(), last: maxSec, until: maxSec}
	if !rule.Until.IsZero() {
		sr.until = rule.Until.Unix()
	}
	dtstart := time.Unix(sr.wall, 0).UTC()
	opt := rrule.ROption{
		Freq:     map[Freq]rrule.Frequency{Daily: rrule.DAILY, Weekly: rrule.WEEKLY, Monthly: rrule.MONTHLY, Yearly: rrule.YEARLY}[rule.Freq],
		Interval: rule.Interval,
		Wkst:     rdays[rule.WeekStart],
		Byhour:   []int{dtstart.Hour()},
		Byminute: []int{dtstart.Minute()},
		Bysecond: []int{dtstart.Second()},
	}
	for _, m := range rule.ByMonth {
		opt.Bymonth = append(opt.Bymonth, int(m))
	}
	opt.Bymonthday = slices.Clone(rule.ByMonthDay)
	for _, d := range rule.ByDay {
		opt.Byweekday = append(opt.Byweekday, rdays[d.Day].Nth(d.N))
	}
	// The defaults RFC 5545 takes from DTSTART, made explicit as rrule-go
	// would make them, so that expansion may start from a later DTSTART.
	if len(rule.ByMonthDay) == 0 && len(rule.ByDay) == 0 {
		switch rule.Freq {
		case Weekly:
			opt.Byweekday = []rrule.Weekday{rdays[dtstart.Weekday()]}
		case Monthly:
			opt.Bymonthday = []int{dtstart.Day()}
		case Yearly:
			if len(opt.Bymonth) == 0 {
				opt.Bymonth = []int{int(dtstart.Month())}
			}
			opt.Bymonthday = []int{dtstart.Day()}
		}
	}
	sr.opt = opt
	if rule.Count > 0 {
		sr.last = sr.countEnd()
	}
	for _, t := range w.Recurrence.Exceptions {
		sr.ex = append(sr.ex, unixMS(t))
	}
	slices.Sort(sr.ex)
	return sr, nil
}

// maxSec stands for "no end" among wall-clock times and instants in Unix
// seconds.
const maxSec = int64(1<<63 - 1)

// rdays are rrule-go's weekdays, indexed by time.Weekday.
var rdays = [7]rrule.Weekday{rrule.SU, rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA}

// countEnd returns the wall-clock time of the rule's COUNT-th occurrence
// (of its last, if it has fewer), walking the rule from DTSTART.
func (sr *series) countEnd() int64 {
	opt := sr.opt
	opt.Dtstart = time.Unix(sr.wall, 0).UTC()
	opt.Count = sr.rule.Count
	r, err := rrule.NewRRule(opt)
	if err != nil {
		return sr.wall
	}
	last := sr.wall
	next := r.Iterator()
	for t, ok := next(); ok; t, ok = next() {
		last = t.Unix()
	}
	return last
}

// seek returns the DTSTART from which rrule-go yields the same occurrences
// as from the rule's own, for every occurrence on or after the wall-clock
// time from: the start of the latest period (day, week, month or year, a
// whole number of intervals after DTSTART's) that begins at or before
// from; DTSTART itself when from is not after the first period. This is
// what keeps expanding a rule that began years ago as cheap as expanding a
// new one: rrule-go always walks from DTSTART. It needs the defaults
// newSeries makes explicit, and is not used for a rule with a COUNT, whose
// occurrences are counted from DTSTART.
func (sr *series) seek(from int64) time.Time {
	start := time.Unix(sr.wall, 0).UTC()
	f := time.Unix(from, 0).UTC()
	k := sr.rule.Interval
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	var at time.Time
	switch sr.rule.Freq {
	case Daily:
		days := int(day(f).Sub(day(start)) / (24 * time.Hour))
		at = day(start).AddDate(0, 0, days/k*k)
	case Weekly:
		week := day(start).AddDate(0, 0, -int((start.Weekday()-sr.rule.WeekStart+7)%7))
		weeks := int(day(f).Sub(week) / (7 * 24 * time.Hour))
		at = week.AddDate(0, 0, weeks/k*k*7)
	case Monthly:
		months := (f.Year()*12 + int(f.Month())) - (start.Year()*12 + int(start.Month()))
		at = time.Date(start.Year(), start.Month()+time.Month(months/k*k), 1, 0, 0, 0, 0, time.UTC)
	case Yearly:
		years := f.Year() - start.Year()
		at = time.Date(start.Year()+years/k*k, time.January, 1, 0, 0, 0, 0, time.UTC)
	}
	if !at.After(start) {
		return start
	}
	return at
}

// walk calls fn with the wall-clock time (Unix seconds as if the zone were
// UTC) and the start (Unix ms) of every occurrence of the rule, exceptions
// included, in order, whose wall-clock time lies in [lo, hi], until fn
// returns false. Starts only grow: an occurrence that resolves to the
// instant of the one before (possible only where a zone skipped a whole
// day) is left out.
func (sr *series) walk(res *resolver, lo, hi int64, fn func(wall, start int64) bool) {
	hi = min(hi, sr.last)
	if sr.until != maxSec {
		hi = min(hi, sr.until+slack) // UNTIL is an instant; wall-clock times lie within a day of it
	}
	if hi < sr.wall || lo > hi {
		return
	}
	opt := sr.opt
	if sr.rule.Count > 0 || lo <= sr.wall {
		opt.Dtstart = time.Unix(sr.wall, 0).UTC()
	} else {
		opt.Dtstart = sr.seek(lo)
	}
	r, err := rrule.NewRRule(opt)
	if err != nil {
		return
	}
	prev := int64(-1 << 63)
	next := r.Iterator()
	for t, ok := next(); ok; t, ok = next() {
		wall := t.Unix()
		if wall > hi {
			return
		}
		if wall < lo {
			continue
		}
		u := res.resolve(wall)
		if u > sr.until {
			return
		}
		if ms := u * 1000; ms > prev {
			prev = ms
			if !fn(wall, ms) {
				return
			}
		}
	}
}

// excepted reports whether the occurrence starting at ms is an exception.
func (sr *series) excepted(ms int64) bool {
	_, found := slices.BinarySearch(sr.ex, ms)
	return found
}

// first returns the start of the rule's first occurrence, in Unix ms, and
// whether it has one. An occurrence is searched as far as rrule-go goes
// (the year 9999), so a rule that has none costs up to some 0.1 s to
// refuse.
func (sr *series) first(res *resolver) (int64, bool) {
	var first int64
	found := false
	sr.walk(res, sr.wall, maxSec, func(_, ms int64) bool {
		first, found = ms, true
		return false
	})
	return first, found
}

// occursAt reports whether the rule has an occurrence starting at the
// instant ms, exceptions aside, and returns the wall-clock time the rule
// gives it: ms's own, unless a daylight-saving gap moved the occurrence.
func (sr *series) occursAt(res *resolver, ms int64) (wall int64, ok bool) {
	w := wallOf(time.UnixMilli(ms), sr.loc)
	sr.walk(res, w-slack, w+slack, func(wl, s int64) bool {
		wall, ok = wl, s == ms
		return s < ms
	})
	return wall, ok
}
