package maintenance

import (
	"math"
	"strings"
	"sync"
	"time"
)

// MaxZoneLen is the longest zone name a recurrence may hold, in bytes; the
// longest IANA name is about half as long.
const MaxZoneLen = 64

// zones caches the locations loaded by LoadZone, by name: loading reads
// the time zone database, and a schedule resolves every occurrence in its
// zone. Only names that loaded are kept, so the cache holds at most the
// few hundred names of the database.
var zones sync.Map // string -> *time.Location

// LoadZone returns the IANA time zone named name ("Europe/Berlin", "UTC"),
// from a cache after the first load. It refuses "" and "Local", whose
// meaning depends on the machine, names longer than [MaxZoneLen], and
// names the time zone database does not hold.
//
// Zones come from the system's database (or $ZONEINFO), else from the one
// embedded by importing time/tzdata: a host that must behave alike
// everywhere imports time/tzdata and sets ZONEINFO to Go's
// lib/time/zoneinfo.zip.
func LoadZone(name string) (*time.Location, bool) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), true
	}
	if name == "" || name == "Local" || len(name) > MaxZoneLen || strings.ContainsRune(name, 0) {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, false
	}
	zones.Store(name, loc)
	return loc, true
}

// resolver turns wall-clock times in one zone into instants by the rule of
// RFC 5545 (section 3.3.5): a time that falls in a gap (the clocks spring
// forward) is read with the offset in effect before the gap, so it moves
// forward by the gap's length; a time that occurs twice (the clocks fall
// back) is the first of the two instants.
//
// Go's time.Date does not follow one rule there: it documents that it
// picks one of the two zones, and in practice a time in Europe/Berlin's
// fall-back overlap becomes the second instant while one in
// America/New_York's fall-back overlap becomes the first, and a time in New
// York's spring-forward gap moves back an hour, not forward. The resolver
// finds the zone periods around the time with time.Time.ZoneBounds
// instead, and remembers the last period, so that times far from any
// change (nearly all of them) cost two comparisons.
//
// A resolver is not safe for concurrent use.
type resolver struct {
	loc *time.Location
	// The zone period of the last time resolved: instants [start, end) in
	// Unix seconds at offset off; valid when ok.
	start, end, off int64
	ok              bool
}

// slack exceeds any change of offset and any offset: time zones lie within
// a day of UTC, and no change has moved clocks by more than a day.
const slack = 26 * 3600

// resolve returns the instant, in Unix seconds, of the wall-clock time
// wall, given in Unix seconds as if the zone were UTC.
func (r *resolver) resolve(wall int64) int64 {
	if r.ok {
		// Far inside the remembered period, no other period can hold the
		// same wall-clock time: the instant is unique.
		if u := wall - r.off; u-slack >= r.start && u+slack < r.end {
			return u
		}
	}
	return r.slow(wall)
}

// slow walks the zone periods from a day and more before wall on: the
// first period that holds wall - offset gives the earliest instant; a wall
// time too late for one period and too early for the next lies in the gap
// between them.
func (r *resolver) slow(wall int64) int64 {
	t := time.Unix(wall-slack, 0).In(r.loc)
	var prevOff int64
	prevLate := false // whether the previous period's instant fell after it
	for range 16 {    // zones change at most a few times a day
		_, o := t.Zone()
		off := int64(o)
		s, e := t.ZoneBounds()
		start, end := int64(math.MinInt64), int64(math.MaxInt64)
		if !s.IsZero() {
			start = s.Unix()
		}
		if !e.IsZero() {
			end = e.Unix()
		}
		u := wall - off
		switch {
		case u >= start && u < end:
			r.start, r.end, r.off, r.ok = start, end, off, true
			return u
		case u < start && prevLate:
			return wall - prevOff // in the gap: the offset before it
		}
		if end == math.MaxInt64 || end > wall+slack {
			break
		}
		prevOff, prevLate = off, u >= end
		t = time.Unix(end, 0).In(r.loc)
	}
	// Not reached for any zone of the database; Go's choice is better than
	// none.
	w := time.Unix(wall, 0).UTC()
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, r.loc).Unix()
}

// wallOf returns the wall-clock time of instant t in loc, in Unix seconds
// as if the zone were UTC.
func wallOf(t time.Time, loc *time.Location) int64 {
	_, off := t.In(loc).Zone()
	return t.Unix() + int64(off)
}
