package maintenance

import "time"

// WallInstants returns every instant whose wall clock in loc reads as
// wall's date and time of day (wall's own location is ignored), earliest
// first: one for an ordinary reading, none for a reading the clocks jump
// over (spring forward), two for a reading they pass twice (fall back).
// It is how a form or a command line turns a date and time a person typed
// in their zone into an instant, refusing rather than silently shifting a
// local time that a daylight-saving change skips or repeats (time.Date
// picks one instant in both cases without saying so).
func WallInstants(wall time.Time, loc *time.Location) []time.Time {
	w := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), wall.Nanosecond(), time.UTC)
	// The offsets in force around that wall clock: zones change offset at
	// most a few times a year, so looking two days either way finds every
	// offset that could apply.
	var found []time.Time
	seen := map[int]bool{}
	for k := -4; k <= 4; k++ {
		_, off := w.Add(time.Duration(k) * 12 * time.Hour).In(loc).Zone()
		if seen[off] {
			continue
		}
		seen[off] = true
		t := w.Add(-time.Duration(off) * time.Second).In(loc)
		if _, o := t.Zone(); o != off {
			continue // this offset is not in force at that instant
		}
		found = append(found, t)
	}
	if len(found) == 2 && found[1].Before(found[0]) {
		found[0], found[1] = found[1], found[0]
	}
	return found
}
