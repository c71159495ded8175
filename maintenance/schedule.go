package maintenance

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"sync/atomic"
	"time"
)

// Schedule is the compiled, immutable form of a set of windows: the time
// line cut into segments at every instant where the status changes (a
// notice begins, a window starts, a window stops), each segment holding its
// status ready-made. Build one with [Compile]; a [Manager] keeps its own.
//
// [Schedule.At] remembers the last segment it found, so the usual check (an
// instant inside the same segment as the previous one) is an atomic load and
// two integer comparisons: no allocation, no search, and the same cost for
// one window as for a hundred thousand. A Schedule is safe for concurrent use.
type Schedule struct {
	windows []Window // valid windows, sorted by Start, then ID
	start   []int64  // windows[i].Start in Unix ms
	stop    []int64  // windows[i].Stop in Unix ms
	segs    []segment
	lead    time.Duration
	cur     atomic.Pointer[segment]
}

// segment is the status over the instants [from, until), in Unix ms.
type segment struct {
	from, until int64
	primary     int32 // index into windows of the window that supplies messages, or -1
	upcoming    int32 // index into windows of the upcoming window, or -1
	active      int32 // number of active windows
	end         int64 // end of the current stretch of maintenance, when active > 0
}

// Compile builds the schedule of windows with the given default lead time
// (a window's own positive Lead replaces it; a lead of zero or less means no
// notice). Windows that are not [Valid], or whose Start is not before their
// Stop, take no part. The windows are copied: later changes to the slice do
// not affect the schedule.
//
// Instants are read at millisecond precision, on a time line that reaches
// as far as int64 Unix milliseconds do, some 292 million years either side
// of 1970: from time.UnixMilli(math.MinInt64+1) to
// time.UnixMilli(math.MaxInt64-1). Compile does not validate, so it may be
// handed instants beyond that reach (validated windows lie between
// [MinTime] and [MaxTime], far inside it): a window's Start and Stop, and
// the instants given to [Schedule.At], are clamped to the nearest end of
// the line, never wrapped, and a notice that would begin before the line
// begins with it. Everything the schedule says about clamped instants is
// what the rules say about the clamped values, and [Status.End] and
// [Status.Next] are instants on the line.
func Compile(windows []Window, lead time.Duration) *Schedule {
	s := &Schedule{lead: lead}
	type entry struct {
		w           Window
		start, stop int64
	}
	var es []entry
	for _, w := range windows {
		w = w.Normalize()
		start, stop := unixMS(w.Start), unixMS(w.Stop)
		if w.Validity == Valid && start < stop {
			es = append(es, entry{w, start, stop})
		}
	}
	// Sorted by the clamped Start, so that windows clamped to the same
	// instant are ordered by ID like any others that start together.
	slices.SortFunc(es, func(a, b entry) int {
		if c := cmp.Compare(a.start, b.start); c != 0 {
			return c
		}
		return cmp.Compare(a.w.ID, b.w.ID)
	})
	n := len(es)
	s.windows = make([]Window, n)
	s.start = make([]int64, n)
	s.stop = make([]int64, n)
	notice := make([]int64, n)
	for i, e := range es {
		s.windows[i], s.start[i], s.stop[i] = e.w, e.start, e.stop
		l := lead
		if e.w.Lead > 0 {
			l = e.w.Lead
		}
		notice[i] = subMS(e.start, l.Milliseconds())
	}
	s.segs = s.sweep(notice)
	s.cur.Store(&s.segs[0])
	return s
}

// The ends of the schedule's time line, in Unix ms. The values one step
// further out, math.MinInt64 and math.MaxInt64, are kept for the first
// segment's from and the last segment's until, so every instant on the
// line has a segment that ends after it.
const (
	minMS = math.MinInt64 + 1
	maxMS = math.MaxInt64 - 1
)

// fastSec bounds the Unix seconds whose milliseconds are computed without
// a check: for |sec| < fastSec, sec*1000 + 999 lies inside [minMS, maxMS].
const fastSec = maxMS / 1000

var (
	minInstant = time.UnixMilli(minMS)
	maxInstant = time.UnixMilli(maxMS)
)

// unixMS returns t in Unix milliseconds, rounded down, clamped to
// [minMS, maxMS]. Unlike t.UnixMilli, it never wraps. At repeats its fast
// path inline (unixMS is too big for the compiler to inline).
func unixMS(t time.Time) int64 {
	if sec := t.Unix(); uint64(sec+fastSec-1) < 2*fastSec-1 { // -fastSec < sec < fastSec
		return sec*1000 + int64(t.Nanosecond())/1e6
	}
	return unixMSFar(t)
}

// unixMSFar is unixMS for instants some 292 million years or more from
// 1970. t.Unix itself wraps for the farthest in the past, so they are
// placed by comparing them with the ends of the line.
func unixMSFar(t time.Time) int64 {
	switch {
	case t.Before(minInstant):
		return minMS
	case t.After(maxInstant):
		return maxMS
	}
	return t.UnixMilli()
}

// subMS returns a - b for a >= minMS and b >= 0, no less than minMS.
func subMS(a, b int64) int64 {
	if a < minMS+b { // minMS+b cannot overflow: minMS < 0 <= b
		return minMS
	}
	return a - b
}

// sweep walks the boundaries in order, keeping the windows whose notice has
// begun (by soonest start) and the active windows (by latest start) in
// heaps, and records one segment per stretch of unchanged status.
func (s *Schedule) sweep(notice []int64) []segment {
	n := len(s.windows)
	bounds := make([]int64, 0, 3*n)
	bounds = append(bounds, notice...)
	bounds = append(bounds, s.start...)
	bounds = append(bounds, s.stop...)
	slices.Sort(bounds)
	bounds = slices.Compact(bounds)

	byNotice := indexes(n, func(a, b int) int { return cmp.Compare(notice[a], notice[b]) })
	byStop := indexes(n, func(a, b int) int { return cmp.Compare(s.stop[a], s.stop[b]) })
	stretches := s.stretches()

	segs := make([]segment, 1, len(bounds)+1)
	segs[0] = segment{from: math.MinInt64, primary: -1, upcoming: -1}
	coming := &idxHeap{less: func(a, b int32) bool { return a < b }} // sorted order: soonest start, then lowest ID
	active := &idxHeap{less: func(a, b int32) bool {                 // latest start, then lowest ID
		if s.start[a] != s.start[b] {
			return s.start[a] > s.start[b]
		}
		return s.windows[a].ID < s.windows[b].ID
	}}
	var ni, si, ei, st int
	var count int32
	for _, b := range bounds {
		changed := false // whether the set of active windows changed at b
		for ; ni < n && notice[byNotice[ni]] <= b; ni++ {
			if i := byNotice[ni]; notice[i] < s.start[i] {
				coming.push(int32(i))
			}
		}
		for ; si < n && s.start[si] <= b; si++ {
			active.push(int32(si))
			count++
			changed = true
		}
		for ; ei < n && s.stop[byStop[ei]] <= b; ei++ {
			count--
			changed = true
		}
		for coming.Len() > 0 && s.start[coming.top()] <= b {
			coming.pop()
		}
		for active.Len() > 0 && s.stop[active.top()] <= b {
			active.pop()
		}
		seg := segment{from: b, primary: -1, upcoming: -1, active: count}
		if coming.Len() > 0 {
			seg.upcoming = coming.top()
		}
		if count > 0 {
			seg.primary = active.top()
			for stretches[st][1] <= b {
				st++
			}
			seg.end = stretches[st][1]
		}
		prev := &segs[len(segs)-1]
		if !changed && prev.primary == seg.primary && prev.upcoming == seg.upcoming &&
			prev.active == seg.active && prev.end == seg.end {
			continue // nothing a caller can see changed at b
		}
		prev.until = b
		segs = append(segs, seg)
	}
	segs[len(segs)-1].until = math.MaxInt64
	return slices.Clip(segs)
}

// stretches merges the windows' intervals where they overlap or touch and
// returns the merged intervals in order, as [start, stop) pairs in Unix ms.
func (s *Schedule) stretches() [][2]int64 {
	var out [][2]int64
	for i := range s.windows {
		if k := len(out) - 1; k >= 0 && s.start[i] <= out[k][1] {
			out[k][1] = max(out[k][1], s.stop[i])
			continue
		}
		out = append(out, [2]int64{s.start[i], s.stop[i]})
	}
	return out
}

func indexes(n int, cmp func(a, b int) int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, cmp)
	return idx
}

// idxHeap is a binary heap of window indexes ordered by less, typed so
// that pushing an index does not box it.
type idxHeap struct {
	items []int32
	less  func(a, b int32) bool
}

func (h *idxHeap) Len() int   { return len(h.items) }
func (h *idxHeap) top() int32 { return h.items[0] }

func (h *idxHeap) push(x int32) {
	h.items = append(h.items, x)
	for i := len(h.items) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.less(h.items[i], h.items[p]) {
			break
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *idxHeap) pop() {
	n := len(h.items) - 1
	h.items[0] = h.items[n]
	h.items = h.items[:n]
	for i := 0; ; {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h.less(h.items[c+1], h.items[c]) {
			c++
		}
		if !h.less(h.items[c], h.items[i]) {
			break
		}
		h.items[i], h.items[c] = h.items[c], h.items[i]
		i = c
	}
}

// At returns the status at t, any t (see [Compile] for instants beyond
// the schedule's reach). It allocates nothing; see [Schedule] for its
// cost.
func (s *Schedule) At(t time.Time) Status {
	var ms int64 // unixMS(t), inline
	if sec := t.Unix(); uint64(sec+fastSec-1) < 2*fastSec-1 {
		ms = sec*1000 + int64(t.Nanosecond())/1e6
	} else {
		ms = unixMSFar(t)
	}
	seg := s.cur.Load()
	if ms < seg.from || ms >= seg.until {
		seg = &s.segs[sort.Search(len(s.segs), func(i int) bool { return s.segs[i].until > ms })]
		s.cur.Store(seg)
	}
	return Status{s: s, seg: seg}
}

// Windows returns a new slice of the windows that take part in the
// schedule (the valid ones, Start before Stop), sorted by Start, then ID.
// The windows are as given to Compile, normalized, not clamped.
func (s *Schedule) Windows() []Window { return slices.Clone(s.windows) }

// Len returns the number of windows that take part in the schedule.
func (s *Schedule) Len() int { return len(s.windows) }

// Lead returns the default lead time the schedule was compiled with.
func (s *Schedule) Lead() time.Duration { return s.lead }

// Status is what the schedule says at one instant: whether maintenance is
// active and which window supplies the messages, which window is coming
// next within its lead time, when the current stretch of maintenance ends
// and when the status next changes. Its methods allocate nothing, except
// [Status.ActiveWindows]. The zero Status says nothing is active or coming.
type Status struct {
	s   *Schedule
	seg *segment
}

// Active reports whether a valid window is active.
func (st Status) Active() bool { return st.seg != nil && st.seg.active > 0 }

// Window returns the active window that supplies the messages (login
// message, notify message): of the active windows, the one that started
// last; of those that started together, the one with the lowest ID. The
// bool is false when no window is active.
func (st Status) Window() (Window, bool) {
	if !st.Active() {
		return Window{}, false
	}
	return st.s.windows[st.seg.primary], true
}

// ActiveCount returns the number of active windows.
func (st Status) ActiveCount() int {
	if st.seg == nil {
		return 0
	}
	return int(st.seg.active)
}

// ActiveWindows returns a new slice of the active windows, sorted by Start,
// then ID; empty, not nil, when none is active. It scans the schedule: call
// it for an admin screen, not on every request.
func (st Status) ActiveWindows() []Window {
	out := []Window{}
	if !st.Active() {
		return out
	}
	at := st.seg.from
	for i, w := range st.s.windows {
		if st.s.start[i] > at {
			break
		}
		if st.s.stop[i] > at {
			out = append(out, w)
		}
	}
	return out
}

// Upcoming returns the valid window that starts soonest among those whose
// notice has begun (Start-lead <= t < Start); ties go to the lowest ID. The
// bool is false when none is coming. It is reported whether or not a window
// is active at the same time; whether to show it then is the caller's
// choice (package notify shows the active window only).
func (st Status) Upcoming() (Window, bool) {
	if st.seg == nil || st.seg.upcoming < 0 {
		return Window{}, false
	}
	return st.s.windows[st.seg.upcoming], true
}

// End returns when the current stretch of maintenance ends: the Stop of the
// chain of active windows that overlap or touch one another, so a client
// told to retry then will not meet the same maintenance again. It is the
// zero time when no window is active.
func (st Status) End() time.Time {
	if !st.Active() {
		return time.Time{}
	}
	return time.UnixMilli(st.seg.end).UTC()
}

// Next returns the instant the status next changes: a notice begins, or a
// window starts or stops. It is the zero time when nothing will change.
func (st Status) Next() time.Time {
	if st.seg == nil || st.seg.until == math.MaxInt64 {
		return time.Time{}
	}
	return time.UnixMilli(st.seg.until).UTC()
}
