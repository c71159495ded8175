package maintenance_test

import (
	"errors"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// This file holds a naive expansion of recurring windows, written without
// rrule-go and without the package's resolver, and FuzzRecurrence, which
// checks the compiled schedule against it.

// fuzzZones are the zones FuzzRecurrence draws from: one- and half-hour
// changes, odd offsets, changes at midnight, none.
var fuzzZones = []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham",
	"America/Santiago", "Asia/Kathmandu", "Asia/Tokyo", "UTC"}

// The stretch of time the naive zone tables cover, in Unix seconds.
var (
	naiveFrom = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC).Unix()
	naiveTo   = time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
)

// transition is a change of a zone's offset at the instant at (Unix s).
type transition struct {
	at            int64
	before, after int64 // offsets in seconds
}

// zoneTable is a zone as the naive expansion sees it: its offset at the
// start of the covered stretch and every change in it.
type zoneTable struct {
	first int64
	trans []transition
}

var (
	tablesMu sync.Mutex
	tables   = map[string]*zoneTable{}
)

// offsetAt returns the zone's offset at the instant u (Unix s) by asking
// Go for it: the one thing the naive expansion takes from the time
// package.
func offsetAt(loc *time.Location, u int64) int64 {
	_, off := time.Unix(u, 0).In(loc).Zone()
	return int64(off)
}

// table samples the zone every ten minutes over the covered stretch and
// finds each change to the second by bisection.
func table(name string) *zoneTable {
	tablesMu.Lock()
	defer tablesMu.Unlock()
	if zt, ok := tables[name]; ok {
		return zt
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	zt := &zoneTable{first: offsetAt(loc, naiveFrom)}
	prev := zt.first
	for u := naiveFrom + 600; u <= naiveTo; u += 600 {
		if off := offsetAt(loc, u); off != prev {
			lo, hi := u-600, u // offset prev at lo, off at hi
			for hi-lo > 1 {
				if mid := (lo + hi) / 2; offsetAt(loc, mid) == prev {
					lo = mid
				} else {
					hi = mid
				}
			}
			zt.trans = append(zt.trans, transition{hi, prev, off})
			prev = off
		}
	}
	tables[name] = zt
	return zt
}

// offset is the zone's offset at u by the table.
func (zt *zoneTable) offset(u int64) int64 {
	if u < naiveFrom || u > naiveTo {
		panic("naive zone table: outside the stretch covered")
	}
	off := zt.first
	for _, tr := range zt.trans {
		if tr.at > u {
			break
		}
		off = tr.after
	}
	return off
}

// resolve turns the wall-clock time wall (Unix s as if UTC) into an
// instant by RFC 5545, by trying every offset the zone has: the earliest
// instant whose offset gives wall; in a gap, wall read with the offset
// before the gap.
func (zt *zoneTable) resolve(wall int64) int64 {
	offs := []int64{zt.first}
	for _, tr := range zt.trans {
		offs = append(offs, tr.after)
	}
	best, found := int64(0), false
	for _, off := range offs {
		if u := wall - off; zt.offset(u) == off && (!found || u < best) {
			best, found = u, true
		}
	}
	if found {
		return best
	}
	for _, tr := range zt.trans {
		if wall-tr.before >= tr.at && wall-tr.after < tr.at {
			return wall - tr.before
		}
	}
	panic("naive resolve: no instant and no gap")
}

// naiveMatch reports whether the rule, begun on the date of dtstart (a
// wall-clock time as UTC), selects the date d (UTC midnight): the rule
// parts read one by one, as RFC 5545 defines them for the subset.
func naiveMatch(r maintenance.Rule, dtstart, d time.Time) bool {
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	s := day(dtstart)
	if d.Before(s) {
		return false
	}
	k := max(r.Interval, 1)
	switch r.Freq {
	case maintenance.Daily:
		if int(d.Sub(s).Hours()/24)%k != 0 {
			return false
		}
	case maintenance.Weekly:
		wkst := r.WeekStart
		if k == 1 {
			wkst = time.Monday
		}
		weekOf := func(t time.Time) time.Time { return t.AddDate(0, 0, -int((t.Weekday()-wkst+7)%7)) }
		if int(weekOf(d).Sub(weekOf(s)).Hours()/24/7)%k != 0 {
			return false
		}
	case maintenance.Monthly:
		if ((d.Year()*12+int(d.Month()))-(s.Year()*12+int(s.Month())))%k != 0 {
			return false
		}
	case maintenance.Yearly:
		if (d.Year()-s.Year())%k != 0 {
			return false
		}
	}
	byMonth, byMonthDay, byDay := r.ByMonth, r.ByMonthDay, r.ByDay
	if len(byMonthDay) == 0 && len(byDay) == 0 {
		switch r.Freq {
		case maintenance.Weekly:
			byDay = []maintenance.Weekday{{Day: s.Weekday()}}
		case maintenance.Monthly:
			byMonthDay = []int{s.Day()}
		case maintenance.Yearly:
			if len(byMonth) == 0 {
				byMonth = []time.Month{s.Month()}
			}
			byMonthDay = []int{s.Day()}
		}
	}
	if len(byMonth) > 0 && !slices.Contains(byMonth, d.Month()) {
		return false
	}
	daysInMonth := time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if len(byMonthDay) > 0 && !slices.Contains(byMonthDay, d.Day()) && !slices.Contains(byMonthDay, d.Day()-daysInMonth-1) {
		return false
	}
	if len(byDay) == 0 {
		return true
	}
	inYear := r.Freq == maintenance.Yearly && len(r.ByMonth) == 0
	for _, bd := range byDay {
		if bd.Day != d.Weekday() {
			continue
		}
		if bd.N == 0 {
			return true
		}
		// Count the same weekdays before and after d in its month (or
		// year), one by one.
		first, last := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC), time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC)
		if inYear {
			first, last = time.Date(d.Year(), 1, 1, 0, 0, 0, 0, time.UTC), time.Date(d.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
		}
		nth, fromEnd := 0, 0
		for x := first; !x.After(last); x = x.AddDate(0, 0, 1) {
			if x.Weekday() == d.Weekday() {
				if !x.After(d) {
					nth++
				}
				if !x.Before(d) {
					fromEnd--
				}
			}
		}
		if bd.N == nth || bd.N == fromEnd {
			return true
		}
	}
	return false
}

// naiveOccurrences expands the valid recurring window w day by day, from
// its first date to the wall-clock day end, and returns its occurrences as
// a Schedule reports them.
func naiveOccurrences(w maintenance.Window, end time.Time) []maintenance.Window {
	r, err := maintenance.ParseRule(w.Recurrence.Rule)
	if err != nil {
		panic(err)
	}
	zt := table(w.Recurrence.Zone)
	loc, _ := time.LoadLocation(w.Recurrence.Zone)
	_, off := w.Start.In(loc).Zone()
	dtstart := time.Unix(w.Start.Unix()+int64(off), 0).UTC()
	tod := dtstart.Sub(time.Date(dtstart.Year(), dtstart.Month(), dtstart.Day(), 0, 0, 0, 0, time.UTC))
	length := w.Stop.Sub(w.Start)
	var out []maintenance.Window
	count := 0
	prev := int64(-1 << 62)
	for d := time.Date(dtstart.Year(), dtstart.Month(), dtstart.Day(), 0, 0, 0, 0, time.UTC); !d.After(end); d = d.AddDate(0, 0, 1) {
		if !naiveMatch(r, dtstart, d) {
			continue
		}
		count++
		if r.Count > 0 && count > r.Count {
			break
		}
		u := zt.resolve(d.Add(tod).Unix())
		start := time.Unix(u, 0).UTC()
		if !r.Until.IsZero() && start.After(r.Until) {
			continue
		}
		if u <= prev || slices.ContainsFunc(w.Recurrence.Exceptions, start.Equal) {
			continue
		}
		prev = u
		o := w
		o.Start, o.Stop, o.Occurrence, o.Recurrence.Exceptions = start, start.Add(length), start, nil
		out = append(out, o)
	}
	return out
}

// fuzzAnchorsRec are the horizons' starts: each some weeks before a
// daylight-saving change of several of the zones.
var fuzzAnchorsRec = []time.Time{
	time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),   // Europe, America in March; Chile, Australia, New Zealand in April
	time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),   // Chile, New Zealand, Australia in September/October; Europe in October
	time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC), // Europe, America in October/November
	time.Date(2027, 3, 20, 0, 0, 0, 0, time.UTC),  // Europe in March, the south in April
}

// fuzzWindow decodes 11 bytes into a recurring window with the given ID
// whose first occurrence lies near from, or false when the bytes give a
// rule without one there.
func fuzzWindow(t *testing.T, id int64, b []byte, from time.Time) (maintenance.Window, bool) {
	zoneName := fuzzZones[int(b[0])%len(fuzzZones)]
	r := maintenance.Rule{Freq: maintenance.Freq(b[1]%4 + 1), Interval: int(b[1]>>2)%3 + 1, WeekStart: time.Weekday(b[1] >> 4 % 7)}
	ordinals := []int{0, 1, -1, 2, -2, 5, 3}
	n := ordinals[int(b[3])%len(ordinals)]
	if r.Freq != maintenance.Monthly && r.Freq != maintenance.Yearly {
		n = 0
	}
	for d := range 7 {
		if b[2]&(1<<d) != 0 {
			r.ByDay = append(r.ByDay, maintenance.Weekday{N: n, Day: time.Weekday(d)})
		}
	}
	if md := []int{0, 1, 15, 29, 30, 31, -1, -7}[b[4]%8]; md != 0 && r.Freq != maintenance.Weekly {
		r.ByMonthDay = []int{md}
	}
	if b[5]%3 == 0 {
		months := []time.Month{2, 3, 4, 9, 10, 11}
		for i, m := range months {
			if b[5]&(1<<(i+2)) != 0 {
				r.ByMonth = append(r.ByMonth, m)
			}
		}
	}
	zt := table(zoneName)
	tod := time.Duration(b[8]%24)*time.Hour + time.Duration(b[8]/24%4)*15*time.Minute
	first := from.AddDate(0, 0, int(b[7])%90-60)
	length := time.Duration(b[9]%8+1) * 30 * time.Minute
	if b[9]&0x80 != 0 {
		length = time.Duration(b[9]%3+1) * 24 * time.Hour
	}
	// The first date the rule selects from first on, at a wall-clock time
	// that exists (a Start's wall-clock time is the rule's).
	var start time.Time
	for d := first; d.Before(first.AddDate(2, 0, 0)); d = d.AddDate(0, 0, 1) { // inside the zone tables
		if !naiveMatch(r, d.Add(tod), d) {
			continue
		}
		// The dates the rule selects depend on its first date: take this
		// one as the first if it selects itself.
		wall := d.Add(tod).Unix()
		u := zt.resolve(wall)
		if u+zt.offset(u) == wall {
			start = time.Unix(u, 0).UTC()
			break
		}
	}
	if start.IsZero() {
		return maintenance.Window{}, false
	}
	switch e := b[6] % 4; {
	case e == 1:
		r.Count = int(b[6]>>2)%20 + 1
	case e == 2:
		r.Until = start.Add(time.Duration(b[6]>>2) * 24 * time.Hour).Add(time.Duration(b[6]%3-1) * time.Second)
	}
	w := maintenance.Window{ID: id, Start: start, Stop: start.Add(length), Comment: "fuzz", Validity: maintenance.Valid,
		Recurrence: maintenance.Recurrence{Rule: r.String(), Zone: zoneName}}
	if b[10]%5 != 0 {
		w.Lead = time.Duration(b[10]%5) * 45 * time.Minute
	}
	if skip := int(b[10] >> 4); skip > 0 {
		occ := naiveOccurrences(w, start.AddDate(0, 0, 400))
		if skip < len(occ) {
			w.Recurrence.Exceptions = []time.Time{occ[skip].Start}
		}
	}
	err := w.Validate()
	if len(naiveOccurrences(w, start.AddDate(0, 0, 2))) == 0 { // UNTIL before the start
		var ve *maintenance.ValidationError
		require.True(t, errors.As(err, &ve), "a rule without occurrence is valid: %s from %s", w.Recurrence.Rule, start)
		return maintenance.Window{}, false
	}
	require.NoError(t, err, "the naive first occurrence is not a valid start: %s in %s from %s",
		w.Recurrence.Rule, zoneName, show(start, zt2loc(zoneName)))
	return w, true
}

func zt2loc(name string) *time.Location {
	loc, _ := time.LoadLocation(name)
	return loc
}

// FuzzRecurrence checks that the schedule compiled from random recurring
// windows agrees with the naive expansion at a random instant and around
// the boundaries of the occurrences, over horizons that hold
// daylight-saving changes. Each window takes 11 bytes (see fuzzWindow).
func FuzzRecurrence(f *testing.F) {
	f.Add([]byte{0, 1, 1, 0, 0, 0, 0, 60, 2, 3, 0}, uint8(0), uint32(0))                                         // weekly Sunday 02:00 Berlin
	f.Add([]byte{1, 2, 4, 1, 0, 0, 1, 40, 1, 1, 17, 3, 0, 0, 0, 0, 0, 0, 70, 98, 0, 33}, uint8(3), uint32(5000)) // first Tuesday NY; daily Chatham
	f.Add([]byte{2, 0, 0, 0, 0, 0, 0, 70, 50, 0, 0, 4, 3, 0, 0, 6, 3, 2, 80, 0, 129, 2}, uint8(1), uint32(77))
	f.Add([]byte{4, 0, 0, 0, 0, 0, 10, 89, 0, 1, 32, 5, 1, 0, 0, 0, 0, 0, 89, 2, 1, 0}, uint8(2), uint32(60000))
	f.Add([]byte{0, 7, 127, 2, 6, 12, 6, 50, 74, 255, 255}, uint8(3), uint32(1))
	f.Fuzz(func(t *testing.T, data []byte, anchor uint8, atMinute uint32) {
		from := fuzzAnchorsRec[int(anchor)%len(fuzzAnchorsRec)]
		h := maintenance.Horizon{From: from, Until: from.AddDate(0, 0, 45)}
		const lead = 30 * time.Minute
		var ws, occ []maintenance.Window
		for i := 0; i+11 <= len(data) && len(ws) < 4; i += 11 {
			w, ok := fuzzWindow(t, int64(10-len(ws)), data[i:i+11], from)
			if !ok {
				continue
			}
			ws = append(ws, w)
			l := lead
			if w.Lead > 0 {
				l = w.Lead
			}
			for _, o := range naiveOccurrences(w, h.Until.Add(l).AddDate(0, 0, 2)) {
				if o.Stop.After(h.From) && o.Start.Add(-l).Before(h.Until) {
					occ = append(occ, o)
				}
			}
		}
		if len(data)%2 == 1 { // and a one-off window among them
			once := maintenance.Window{ID: 1, Start: from.Add(36 * time.Hour), Stop: from.Add(40 * time.Hour), Comment: "once",
				Validity: maintenance.Valid}
			ws, occ = append(ws, once), append(occ, once)
		}
		s := maintenance.CompileHorizon(ws, lead, h)
		require.Equal(t, len(occ), s.Occurrences(), "number of occurrences")

		span := int64(h.Until.Sub(h.From) / time.Minute)
		check := []time.Time{h.From, h.From.Add(time.Duration(int64(atMinute)%span) * time.Minute)}
		sort.Slice(occ, func(i, j int) bool { return occ[i].Start.Before(occ[j].Start) })
		for i, o := range occ {
			if i >= 16 && i%7 != 0 {
				continue
			}
			l := lead
			if o.Lead > 0 {
				l = o.Lead
			}
			for _, b := range []time.Time{o.Start.Add(-l), o.Start, o.Stop} {
				if !b.Before(h.From) && b.Before(h.Until) {
					check = append(check, b, b.Add(-time.Millisecond))
				}
			}
		}
		for _, ti := range check {
			assertNaiveOcc(t, occ, lead, ti, s.At(ti), h.Until, len(ws) > 0 && !ws[0].Recurrence.IsZero() || len(ws) > 1)
		}
	})
}

// assertNaiveOcc checks the compiled status st at ti against the naive
// scan of the occurrences occ (and one-off windows), including which
// occurrence is active or coming and, when horizonBound, Next no later
// than the horizon's end.
func assertNaiveOcc(t *testing.T, occ []maintenance.Window, lead time.Duration, ti time.Time, st maintenance.Status,
	until time.Time, horizonBound bool) {
	t.Helper()
	want := naive(occ, lead, ti)
	got := naiveStatus{active: ids(st.ActiveWindows()), end: st.End()}
	pw, pok := st.Window()
	if pok {
		got.primary = pw.ID
	}
	uw, uok := st.Upcoming()
	if uok {
		got.upcoming = uw.ID
	}
	if !assert.True(t, want.equal(got), "at %v: naive %+v, compiled %+v", ti, want, got) {
		return
	}
	// Which occurrences: the starts of the active ones, of the primary
	// and of the upcoming.
	var wantStarts, gotStarts []time.Time
	for _, o := range occ {
		if o.ActiveAt(ti) {
			wantStarts = append(wantStarts, o.Start)
		}
	}
	for _, a := range st.ActiveWindows() {
		gotStarts = append(gotStarts, a.Start)
	}
	slices.SortFunc(wantStarts, time.Time.Compare)
	slices.SortFunc(gotStarts, time.Time.Compare)
	assert.True(t, slices.EqualFunc(wantStarts, gotStarts, time.Time.Equal), "at %v: active starts %v, compiled %v", ti, wantStarts, gotStarts)
	if pok {
		var best *maintenance.Window
		for i, o := range occ {
			if o.ActiveAt(ti) && (best == nil || o.Start.After(best.Start) || o.Start.Equal(best.Start) && o.ID < best.ID) {
				best = &occ[i]
			}
		}
		assert.True(t, best.Start.Equal(pw.Start), "at %v: primary starts %v, compiled %v", ti, best.Start, pw.Start)
		assert.True(t, pw.Occurrence.IsZero() == pw.Recurrence.IsZero(), "Occurrence set on occurrences only")
	}
	if uok {
		var best *maintenance.Window
		for i, o := range occ {
			if o.UpcomingAt(ti, lead) && (best == nil || o.Start.Before(best.Start) || o.Start.Equal(best.Start) && o.ID < best.ID) {
				best = &occ[i]
			}
		}
		assert.True(t, best.Start.Equal(uw.Start), "at %v: upcoming starts %v, compiled %v", ti, best.Start, uw.Start)
	}
	// Next: the first boundary after ti where the naive status differs,
	// or the end of the horizon.
	var bounds []time.Time
	for _, o := range occ {
		l := lead
		if o.Lead > 0 {
			l = o.Lead
		}
		for _, b := range []time.Time{o.Start.Add(-l), o.Start, o.Stop} {
			if b.After(ti) {
				bounds = append(bounds, b)
			}
		}
	}
	slices.SortFunc(bounds, time.Time.Compare)
	var next time.Time
	for _, b := range bounds {
		if !naive(occ, lead, b).equal(want) {
			next = b
			break
		}
	}
	if horizonBound && until.After(ti) && (next.IsZero() || until.Before(next)) {
		next = until
	}
	assert.True(t, next.Equal(st.Next()), "at %v: next: naive %v, compiled %v", ti, next, st.Next())
}
