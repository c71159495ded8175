package maintenance_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// win builds a valid window with the given ID over [start, stop), both in
// minutes after base.
func win(id int64, start, stop int) maintenance.Window {
	return maintenance.Window{
		ID:       id,
		Start:    base.Add(time.Duration(start) * time.Minute),
		Stop:     base.Add(time.Duration(stop) * time.Minute),
		Comment:  "w",
		Validity: maintenance.Valid,
	}
}

func at(minutes int) time.Time { return base.Add(time.Duration(minutes) * time.Minute) }

func ids(ws []maintenance.Window) []int64 {
	out := []int64{}
	for _, w := range ws {
		out = append(out, w.ID)
	}
	return out
}

func TestSchedule_At(t *testing.T) {
	invalid := win(7, 0, 60)
	invalid.Validity = maintenance.Invalid
	invalidTemp := win(8, 0, 60)
	invalidTemp.Validity = maintenance.InvalidTemporarily
	leadOwn := win(9, 120, 180)
	leadOwn.Lead = 90 * time.Minute

	tests := []struct {
		name         string
		windows      []maintenance.Window
		at           time.Time
		active       []int64
		primary      int64 // 0: none
		upcoming     int64 // 0: none
		end          time.Time
		next         time.Time
		naiveAgrees  bool
		upcomingLead time.Duration
	}{
		{name: "empty", at: at(0), active: []int64{}},
		{name: "now equals start is active", windows: []maintenance.Window{win(1, 0, 60)}, at: at(0),
			active: []int64{1}, primary: 1, end: at(60), next: at(60)},
		{name: "one millisecond before start is upcoming", windows: []maintenance.Window{win(1, 0, 60)}, at: at(0).Add(-time.Millisecond),
			active: []int64{}, upcoming: 1, next: at(0)},
		{name: "now equals stop is not active", windows: []maintenance.Window{win(1, 0, 60)}, at: at(60),
			active: []int64{}},
		{name: "last millisecond is active", windows: []maintenance.Window{win(1, 0, 60)}, at: at(60).Add(-time.Millisecond),
			active: []int64{1}, primary: 1, end: at(60), next: at(60)},
		{name: "start equals now plus lead is upcoming", windows: []maintenance.Window{win(1, 30, 60)}, at: at(0),
			active: []int64{}, upcoming: 1, next: at(30)},
		{name: "start one millisecond past the lead is not upcoming", windows: []maintenance.Window{win(1, 30, 60)}, at: at(0).Add(-time.Millisecond),
			active: []int64{}, next: at(0)},
		{name: "invalid windows are never active", windows: []maintenance.Window{invalid, invalidTemp}, at: at(10), active: []int64{}},
		{name: "invalid windows are never upcoming", windows: []maintenance.Window{invalid, invalidTemp}, at: at(-10), active: []int64{}},
		{name: "two active windows: the later start supplies messages", windows: []maintenance.Window{win(1, 0, 120), win(2, 30, 60)}, at: at(45),
			active: []int64{1, 2}, primary: 2, end: at(120), next: at(60)},
		{name: "two active windows starting together: lowest ID", windows: []maintenance.Window{win(5, 0, 60), win(3, 0, 90)}, at: at(10),
			active: []int64{3, 5}, primary: 3, end: at(90), next: at(60)},
		{name: "upcoming is the soonest start, not the lowest ID", windows: []maintenance.Window{win(1, 20, 60), win(2, 10, 60)}, at: at(0),
			active: []int64{}, upcoming: 2, next: at(10)},
		{name: "upcoming is reported while another is active", windows: []maintenance.Window{win(1, 0, 60), win(2, 70, 80)}, at: at(50),
			active: []int64{1}, primary: 1, upcoming: 2, end: at(60), next: at(60)},
		{name: "overlapping chain: end is the stop of the last link", windows: []maintenance.Window{win(1, 0, 60), win(2, 50, 100), win(3, 90, 150)}, at: at(10),
			active: []int64{1}, primary: 1, end: at(150), next: at(20)},
		{name: "touching windows chain", windows: []maintenance.Window{win(1, 0, 60), win(2, 60, 90)}, at: at(10),
			active: []int64{1}, primary: 1, end: at(90), next: at(30)},
		{name: "a gap breaks the chain", windows: []maintenance.Window{win(1, 0, 60), win(2, 61, 90)}, at: at(10),
			active: []int64{1}, primary: 1, end: at(60), next: at(31)},
		{name: "own lead replaces the default", windows: []maintenance.Window{leadOwn}, at: at(30),
			active: []int64{}, upcoming: 9, next: at(120)},
		{name: "own lead: before it begins", windows: []maintenance.Window{leadOwn}, at: at(29),
			active: []int64{}, next: at(30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := maintenance.Compile(tt.windows, maintenance.DefaultLead)
			st := s.At(tt.at)
			assert.Equal(t, tt.active, ids(st.ActiveWindows()), "active windows")
			assert.Equal(t, len(tt.active) > 0, st.Active())
			assert.Equal(t, len(tt.active), st.ActiveCount())
			w, ok := st.Window()
			assert.Equal(t, tt.primary != 0, ok)
			assert.Equal(t, tt.primary, w.ID, "window supplying messages")
			u, ok := st.Upcoming()
			assert.Equal(t, tt.upcoming != 0, ok)
			assert.Equal(t, tt.upcoming, u.ID, "upcoming window")
			assert.True(t, tt.end.Equal(st.End()), "end: want %v, got %v", tt.end, st.End())
			assert.True(t, tt.next.Equal(st.Next()), "next: want %v, got %v", tt.next, st.Next())
			assertNaive(t, tt.windows, maintenance.DefaultLead, tt.at, st)
		})
	}
}

func TestSchedule_ZeroStatus(t *testing.T) {
	var st maintenance.Status
	assert.False(t, st.Active())
	_, ok := st.Window()
	assert.False(t, ok)
	_, ok = st.Upcoming()
	assert.False(t, ok)
	assert.Empty(t, st.ActiveWindows())
	assert.NotNil(t, st.ActiveWindows())
	assert.True(t, st.End().IsZero())
	assert.True(t, st.Next().IsZero())
}

func TestSchedule_CopiesWindows(t *testing.T) {
	ws := []maintenance.Window{win(1, 0, 60)}
	s := maintenance.Compile(ws, time.Minute)
	ws[0].Comment = "changed"
	ws[0].Validity = maintenance.Invalid
	w, ok := s.At(at(1)).Window()
	require.True(t, ok)
	assert.Equal(t, "w", w.Comment)
	assert.Equal(t, 1, s.Len())
	assert.Equal(t, time.Minute, s.Lead())
	got := s.Windows()
	require.Len(t, got, 1)
	got[0].Comment = "changed too"
	assert.Equal(t, "w", s.Windows()[0].Comment, "Windows returns a copy")
}

// TestSchedule_WalkForwardAndBack checks that the remembered segment never
// answers for an instant outside it, whichever order instants come in.
func TestSchedule_WalkForwardAndBack(t *testing.T) {
	ws := []maintenance.Window{win(1, 0, 60), win(2, 50, 100), win(3, 200, 210)}
	s := maintenance.Compile(ws, 30*time.Minute)
	var instants []time.Time
	for m := -60; m <= 260; m += 5 {
		instants = append(instants, at(m))
	}
	order := slices.Clone(instants)
	slices.Reverse(order)
	for _, ts := range [][]time.Time{instants, order} {
		for _, ti := range ts {
			assertNaive(t, ws, 30*time.Minute, ti, s.At(ti))
		}
	}
}

// naiveStatus is what naive finds.
type naiveStatus struct {
	active   []int64
	primary  int64
	upcoming int64
	end      time.Time
}

// naive computes the status at t by scanning every window: the rules of the
// package written as plainly as possible. The windows and the instant are
// given clamped (see clampT).
func naive(ws []maintenance.Window, lead time.Duration, t time.Time) naiveStatus {
	var st naiveStatus
	st.active = []int64{}
	var valid []maintenance.Window
	for _, w := range ws {
		if w.Validity == maintenance.Valid && w.Start.Before(w.Stop) {
			valid = append(valid, w)
		}
	}
	slices.SortFunc(valid, func(a, b maintenance.Window) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	var primary, upcoming *maintenance.Window
	for i, w := range valid {
		if w.ActiveAt(t) {
			st.active = append(st.active, w.ID)
			if primary == nil || w.Start.After(primary.Start) || (w.Start.Equal(primary.Start) && w.ID < primary.ID) {
				primary = &valid[i]
			}
			if len(st.active) == 1 || w.Stop.After(st.end) { // the zero end is year 1, not "none"
				st.end = w.Stop
			}
		}
		if w.UpcomingAt(t, lead) {
			if upcoming == nil || w.Start.Before(upcoming.Start) || (w.Start.Equal(upcoming.Start) && w.ID < upcoming.ID) {
				upcoming = &valid[i]
			}
		}
	}
	if primary != nil {
		st.primary = primary.ID
	}
	if upcoming != nil {
		st.upcoming = upcoming.ID
	}
	for grew := len(st.active) > 0; grew; {
		grew = false
		for _, w := range valid {
			if !w.Start.After(st.end) && w.Stop.After(st.end) {
				st.end, grew = w.Stop, true
			}
		}
	}
	return st
}

func (a naiveStatus) equal(b naiveStatus) bool {
	return slices.Equal(a.active, b.active) && a.primary == b.primary && a.upcoming == b.upcoming && a.end.Equal(b.end)
}

// clampT returns t as the schedule reads it, by the rule Compile documents:
// at millisecond precision, on the time line of int64 Unix milliseconds
// less one at each end, instants beyond it moved to its nearest end.
func clampT(t time.Time) time.Time {
	lo, hi := time.UnixMilli(math.MinInt64+1).UTC(), time.UnixMilli(math.MaxInt64-1).UTC()
	switch {
	case t.Before(lo):
		return lo
	case t.After(hi):
		return hi
	}
	return t.UTC().Truncate(time.Millisecond)
}

// clampWindows returns a copy of ws normalized (Lead at millisecond
// precision), with Start and Stop clamped.
func clampWindows(ws []maintenance.Window) []maintenance.Window {
	out := make([]maintenance.Window, len(ws))
	for i, w := range ws {
		w = w.Normalize()
		w.Start, w.Stop = clampT(w.Start), clampT(w.Stop)
		out[i] = w
	}
	return out
}

// assertNaive checks st, the compiled status at t, against the naive scan,
// including Next: the first boundary after t where the naive status differs.
// Both are computed on the clamped time line.
func assertNaive(t *testing.T, ws []maintenance.Window, lead time.Duration, ti time.Time, st maintenance.Status) {
	t.Helper()
	ws, ti = clampWindows(ws), clampT(ti)
	want := naive(ws, lead, ti)
	got := naiveStatus{active: ids(st.ActiveWindows()), end: st.End()}
	if w, ok := st.Window(); ok {
		got.primary = w.ID
	}
	if w, ok := st.Upcoming(); ok {
		got.upcoming = w.ID
	}
	if !assert.True(t, want.equal(got), "at %v: naive %+v, compiled %+v", ti, want, got) {
		return
	}
	var bounds []time.Time
	for _, w := range ws {
		l := lead
		if w.Lead > 0 {
			l = w.Lead
		}
		for _, b := range []time.Time{clampT(w.Start.Add(-l.Truncate(time.Millisecond))), w.Start, w.Stop} {
			if b.After(ti) {
				bounds = append(bounds, b)
			}
		}
	}
	slices.SortFunc(bounds, time.Time.Compare)
	var next time.Time
	for _, b := range bounds {
		if !naive(ws, lead, b).equal(want) {
			next = b
			break
		}
	}
	assert.True(t, next.Equal(st.Next()), "at %v: next: naive %v, compiled %v", ti, next, st.Next())
}

// fuzzAnchors are the instants FuzzSchedule places windows and instants
// around: today, the ends of the valid range, and the ends of the
// schedule's time line and of time.Time, where Unix milliseconds saturate
// or wrap.
var fuzzAnchors = []time.Time{
	base, base, base, base, // mostly today, so windows meet
	maintenance.MinTime, maintenance.MaxTime,
	lineStart, lineEnd, minMilli, maxMilli,
	earliestUnix, earliest, latest, wrapsToBase,
}

// fuzzLead turns a byte into a window's own lead: mostly minutes, and at
// the top of the range the longest leads a window can carry, validated or
// not.
func fuzzLead(b byte) time.Duration {
	switch b {
	case 255:
		return math.MaxInt64
	case 254:
		return maintenance.MaxLead
	}
	return time.Duration(b%70) * time.Minute
}

// FuzzSchedule checks that the compiled schedule agrees with the naive scan
// for random windows, at a random instant and around every boundary,
// also at the extremes of time.Time (see Compile for the clamped time
// line). Each window takes 5 bytes: start minute, length, validity, lead,
// anchor.
func FuzzSchedule(f *testing.F) {
	f.Add([]byte{0, 10, 1, 0, 0, 5, 20, 1, 0, 0, 30, 5, 2, 0, 0}, uint8(0), int16(7))
	f.Add([]byte{0, 60, 1, 0, 0, 60, 30, 1, 0, 0, 90, 60, 1, 40, 0}, uint8(0), int16(59))
	f.Add([]byte{10, 10, 1, 0, 0, 10, 10, 1, 0, 0, 10, 10, 3, 0, 0}, uint8(0), int16(10))
	f.Add([]byte{250, 20, 1, 255, 7, 0, 10, 1, 0, 7}, uint8(7), int16(-1))
	f.Add([]byte{0, 89, 1, 60, 6, 5, 5, 1, 254, 4}, uint8(6), int16(3))
	f.Add([]byte{127, 89, 1, 0, 9, 200, 30, 1, 10, 12}, uint8(9), int16(32767))
	f.Add([]byte{0, 30, 1, 0, 13, 0, 30, 1, 0, 0}, uint8(13), int16(10))
	f.Fuzz(func(t *testing.T, data []byte, atAnchor uint8, atMinute int16) {
		var ws []maintenance.Window
		for i := 0; i+5 <= len(data) && len(ws) < 12; i += 5 {
			anchor := fuzzAnchors[int(data[i+4])%len(fuzzAnchors)]
			start := anchor.Add(time.Duration(int8(data[i])) * time.Minute)
			// IDs descend, so sorting by start must not lean on ID order.
			w := maintenance.Window{ID: int64(100 - len(ws)), Start: start,
				Stop: start.Add(time.Duration(data[i+1]%90) * time.Minute), Comment: "w"}
			w.Validity = maintenance.Validity(data[i+2]%3 + 1)
			w.Lead = fuzzLead(data[i+3])
			ws = append(ws, w)
		}
		lead := 30 * time.Minute
		s := maintenance.Compile(ws, lead)
		anchor := fuzzAnchors[int(atAnchor)%len(fuzzAnchors)]
		check := []time.Time{anchor.Add(time.Duration(atMinute) * time.Minute), lineStart, lineEnd, maxMilli, earliest, latest}
		for _, w := range ws {
			for _, b := range []time.Time{w.Start.Add(-w.Lead), w.Start.Add(-lead), w.Start, w.Stop} {
				check = append(check, b, b.Add(-time.Millisecond))
			}
		}
		for _, ti := range check {
			assertNaive(t, ws, lead, ti, s.At(ti))
		}
	})
}
