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
// Stop, take no part. Instants are read at millisecond precision. The
// windows are copied: later changes to the slice do not affect the schedule.
func Compile(windows []Window, lead time.Duration) *Schedule {
	s := &Schedule{lead: lead}
	for _, w := range windows {
		w = w.Normalize()
		if w.Validity == Valid && w.Start.Before(w.Stop) {
			s.windows = append(s.windows, w)
		}
	}
	slices.SortFunc(s.windows, byStartID)
	n := len(s.windows)
	s.start = make([]int64, n)
	s.stop = make([]int64, n)
	notice := make([]int64, n)
	for i, w := range s.windows {
		s.start[i] = w.Start.UnixMilli()
		s.stop[i] = w.Stop.UnixMilli()
		l := lead
		if w.Lead > 0 {
			l = w.Lead
		}
		notice[i] = s.start[i] - max(l.Milliseconds(), 0)
	}
	s.segs = s.sweep(notice)
	s.cur.Store(&s.segs[0])
	return s
}

func byStartID(a, b Window) int {
	if c := a.Start.Compare(b.Start); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
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

// At returns the status at t. It allocates nothing; see [Schedule] for its
// cost.
func (s *Schedule) At(t time.Time) Status {
	ms := t.UnixMilli()
	seg := s.cur.Load()
	if ms < seg.from || ms >= seg.until {
		seg = &s.segs[sort.Search(len(s.segs), func(i int) bool { return s.segs[i].until > ms })]
		s.cur.Store(seg)
	}
	return Status{s: s, seg: seg}
}

// Windows returns a new slice of the windows that take part in the
// schedule (the valid ones, Start before Stop), sorted by Start, then ID.
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
