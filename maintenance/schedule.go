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
// A recurring window takes part as its occurrences over the schedule's
// [Horizon]: each occurrence is a window of its own in the schedule, with
// the recurring window's ID and texts and the occurrence's Start and Stop.
//
// [Schedule.At] remembers the last segment it found, so the usual check (an
// instant inside the same segment as the previous one) is an atomic load and
// two integer comparisons: no allocation, no search, and the same cost for
// one window as for a hundred thousand, recurring or not. A Schedule is safe
// for concurrent use.
type Schedule struct {
	windows []Window  // windows taking part, as given (normalized), sorted by Start, then ID
	series  []*series // series[i] expands windows[i] when it recurs; nil for a one-off window
	// The entries: one-off windows and occurrences, sorted by start, then
	// ID. src indexes windows; start and stop are in Unix ms.
	src         []int32
	ids         []int64
	start, stop []int64
	segs        []segment
	lead        time.Duration
	horizon     Horizon
	untilMS     int64 // horizon.Until in Unix ms
	recurring   bool  // whether a recurring window takes part
	cur         atomic.Pointer[segment]
}

// segment is the status over the instants [from, until), in Unix ms.
type segment struct {
	from, until int64
	primary     int32 // index into the entries of the one that supplies messages, or -1
	upcoming    int32 // index into the entries of the upcoming one, or -1
	active      int32 // number of active entries
	end         int64 // end of the current stretch of maintenance, when active > 0
}

// DefaultHorizon is how far ahead a [Manager] expands recurring windows,
// unless [Options.Horizon] says otherwise, and how long the horizon of
// [Compile] is.
const DefaultHorizon = 400 * 24 * time.Hour

// MaxHorizon is the longest horizon a schedule expands recurring windows
// over: five years. A rule has at most one occurrence a day, so no rule
// gives a schedule more than some 1 830 occurrences.
const MaxHorizon = 5 * 366 * 24 * time.Hour

// Horizon is the stretch of time [From, Until) over which a [Schedule]
// expands recurring windows. The schedule holds every occurrence that ends
// after From and whose notice (Start minus its lead time) begins before
// Until; its status is exact at every instant of the horizon. Before From
// it may lack occurrences that ended earlier; from Until on it lacks those
// whose notice begins later, and [Status.Next] is never after Until, so
// that a caller waiting for the next change looks again by then. One-off
// windows take part whatever the horizon.
type Horizon struct {
	From, Until time.Time
}

// Compile builds the schedule of windows with the given default lead time,
// expanding recurring windows over [DefaultHorizon] from the earliest Start
// of a recurring window that takes part: fit for examples and tests at a
// fixed date. A [Manager] compiles over a horizon that follows its clock;
// use [CompileHorizon] to choose one.
func Compile(windows []Window, lead time.Duration) *Schedule {
	return compile(windows, lead, Horizon{}, nil)
}

// CompileHorizon builds the schedule of windows with the given default
// lead time (a window's own positive Lead replaces it; a lead of zero or
// less means no notice), expanding recurring windows over h (see
// [Horizon]), shortened to [MaxHorizon] from h.From when it is longer. A
// zero h means what it means to [Compile]. Windows that are
// not [Valid], whose Start is not before their Stop, or whose recurrence
// cannot be expanded (a rule that does not parse, an unknown zone, a Start
// or Stop not on a whole second or out of range, an occurrence longer than
// [MaxOccurrenceLength]) take no part. The windows are copied: later changes
// to the slice do not affect the schedule.
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
//
// Compiling costs about a microsecond per occurrence: a thousand weekly
// windows over the default horizon (some 57 000 occurrences) take some
// tens of milliseconds.
func CompileHorizon(windows []Window, lead time.Duration, h Horizon) *Schedule {
	return compile(windows, lead, h, nil)
}

// compile is CompileHorizon, reusing the series of prev (which may be nil)
// for the recurring windows it holds unchanged.
func compile(windows []Window, lead time.Duration, h Horizon, prev *Schedule) *Schedule {
	s := &Schedule{lead: lead}
	type source struct {
		w           Window
		sr          *series
		start, stop int64
	}
	var reuse map[int64]int
	if prev != nil && prev.recurring {
		reuse = make(map[int64]int, len(prev.windows))
		for i, w := range prev.windows {
			if prev.series[i] != nil {
				reuse[w.ID] = i
			}
		}
	}
	var srcs []source
	var earliest time.Time
	for _, w := range windows {
		w = w.Normalize()
		start, stop := unixMS(w.Start), unixMS(w.Stop)
		if w.Validity != Valid || start >= stop {
			continue
		}
		var sr *series
		if !w.Recurrence.IsZero() {
			if j, ok := reuse[w.ID]; ok && sameSeries(prev.windows[j], w) {
				sr = prev.series[j]
			} else if sr, _ = newSeries(w); sr == nil {
				continue
			}
			if earliest.IsZero() || w.Start.Before(earliest) {
				earliest = w.Start
			}
		}
		srcs = append(srcs, source{w, sr, start, stop})
	}
	// Sorted by the clamped Start, so that windows clamped to the same
	// instant are ordered by ID like any others that start together.
	slices.SortFunc(srcs, func(a, b source) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.w.ID, b.w.ID))
	})
	if h.From.IsZero() && h.Until.IsZero() && !earliest.IsZero() {
		h = Horizon{From: earliest, Until: earliest.Add(DefaultHorizon)}
	}
	if h.Until.Sub(h.From) > MaxHorizon { // Sub saturates: also for the farthest instants
		h.Until = h.From.Add(MaxHorizon)
	}
	s.horizon = h
	fromMS, untilMS := unixMS(h.From), unixMS(h.Until)
	s.untilMS = untilMS

	n := len(srcs)
	s.windows = make([]Window, n)
	s.series = make([]*series, n)
	type entry struct {
		src         int32
		id          int64
		start, stop int64
	}
	es := make([]entry, 0, n)
	for i, src := range srcs {
		s.windows[i], s.series[i] = src.w, src.sr
		if src.sr == nil {
			es = append(es, entry{int32(i), src.w.ID, src.start, src.stop})
			continue
		}
		s.recurring = true
		sr := src.sr
		leadMS := s.leadOf(src.w).Milliseconds()
		res := &resolver{loc: sr.loc}
		lo := floorDiv(subMS(fromMS, sr.dur), 1000) - slack
		hi := floorDiv(untilMS, 1000) + leadMS/1000 + slack // |untilMS/1000| and leadMS/1000 are far below 2^62
		sr.walk(res, lo, hi, func(_, ms int64) bool {
			if ms-leadMS >= untilMS {
				return false
			}
			if ms+sr.dur > fromMS && !sr.excepted(ms) {
				es = append(es, entry{int32(i), src.w.ID, ms, ms + sr.dur})
			}
			return true
		})
	}
	if s.recurring {
		slices.SortFunc(es, func(a, b entry) int {
			if a.start != b.start {
				return cmp.Compare(a.start, b.start)
			}
			return cmp.Compare(a.id, b.id)
		})
	}
	m := len(es)
	s.src = make([]int32, m)
	s.ids = make([]int64, m)
	s.start = make([]int64, m)
	s.stop = make([]int64, m)
	notice := make([]int64, m)
	leads := make([]int64, n)
	for i := range s.windows {
		leads[i] = s.leadOf(s.windows[i]).Milliseconds()
	}
	for i, e := range es {
		s.src[i], s.ids[i], s.start[i], s.stop[i] = e.src, e.id, e.start, e.stop
		notice[i] = subMS(e.start, leads[e.src])
	}
	s.segs = s.sweep(notice)
	s.cur.Store(&s.segs[0])
	return s
}

// leadOf returns the lead time of w in s: its own when positive, else the
// schedule's; never negative.
func (s *Schedule) leadOf(w Window) time.Duration {
	if w.Lead > 0 {
		return w.Lead
	}
	return max(s.lead, 0)
}

// sameSeries reports whether a and b, both normalized, expand alike.
func sameSeries(a, b Window) bool {
	return a.Start.Equal(b.Start) && a.Stop.Equal(b.Stop) && a.Recurrence.Rule == b.Recurrence.Rule &&
		a.Recurrence.Zone == b.Recurrence.Zone &&
		slices.EqualFunc(a.Recurrence.Exceptions, b.Recurrence.Exceptions, time.Time.Equal)
}

// floorDiv returns a/b rounded down, for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
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

// sweep walks the boundaries in order, keeping the entries whose notice has
// begun (by soonest start) and the active entries (by latest start) in
// heaps, and records one segment per stretch of unchanged status. The end
// of the horizon is a boundary too when a window recurs.
func (s *Schedule) sweep(notice []int64) []segment {
	n := len(s.start)
	bounds := make([]int64, 0, 3*n+1)
	bounds = append(bounds, notice...)
	bounds = append(bounds, s.start...)
	bounds = append(bounds, s.stop...)
	if s.recurring {
		bounds = append(bounds, s.untilMS)
	}
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
		return s.ids[a] < s.ids[b]
	}}
	var ni, si, ei, st int
	var count int32
	for _, b := range bounds {
		changed := s.recurring && b == s.untilMS // the horizon ends: look again
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

// stretches merges the entries' intervals where they overlap or touch and
// returns the merged intervals in order, as [start, stop) pairs in Unix ms.
func (s *Schedule) stretches() [][2]int64 {
	var out [][2]int64
	for i := range s.start {
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
// schedule (the valid ones, Start before Stop, with a recurrence that can be
// expanded), sorted by Start, then ID: each recurring window once, as
// stored, not its occurrences. The windows are as given to Compile,
// normalized, not clamped.
func (s *Schedule) Windows() []Window {
	out := slices.Clone(s.windows)
	for i := range out {
		out[i].Recurrence.Exceptions = slices.Clone(out[i].Recurrence.Exceptions)
	}
	return out
}

// Len returns the number of windows that take part in the schedule,
// counting a recurring window once.
func (s *Schedule) Len() int { return len(s.windows) }

// Occurrences returns the number of windows the schedule holds with every
// recurring window expanded: one-off windows, and occurrences over the
// horizon.
func (s *Schedule) Occurrences() int { return len(s.start) }

// Lead returns the default lead time the schedule was compiled with.
func (s *Schedule) Lead() time.Duration { return s.lead }

// Horizon returns the stretch of time over which the schedule expanded
// recurring windows.
func (s *Schedule) Horizon() Horizon { return s.horizon }

// entry returns the window of entry i: a one-off window as given, or an
// occurrence (see [Window.Occurrence]).
func (s *Schedule) entry(i int32) Window {
	if src := s.src[i]; s.series[src] == nil {
		return s.windows[src]
	}
	return s.occurrence(i)
}

// occurrence returns the window of entry i, an occurrence.
func (s *Schedule) occurrence(i int32) Window {
	w := s.windows[s.src[i]]
	start := time.UnixMilli(s.start[i]).UTC()
	w.Start, w.Occurrence = start, start
	w.Stop = start.Add(time.Duration(s.stop[i]-s.start[i]) * time.Millisecond)
	w.Recurrence.Exceptions = nil
	return w
}

// Status is what the schedule says at one instant: whether maintenance is
// active and which window supplies the messages, which window is coming
// next within its lead time, when the current stretch of maintenance ends
// and when the status next changes. Its methods allocate nothing, except
// [Status.ActiveWindows]. The zero Status says nothing is active or coming.
//
// The windows a Status reports are occurrences where a window recurs: the
// recurring window with the Start and Stop of the occurrence, its
// Occurrence set (see [Window.Occurrence]) and no Exceptions.
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
	i := st.seg.primary
	if src := st.s.src[i]; st.s.series[src] == nil {
		return st.s.windows[src], true // inline: the request path
	}
	return st.s.occurrence(i), true
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
	for i, start := range st.s.start {
		if start > at {
			break
		}
		if st.s.stop[i] > at {
			out = append(out, st.s.entry(int32(i)))
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
	i := st.seg.upcoming
	if src := st.s.src[i]; st.s.series[src] == nil {
		return st.s.windows[src], true
	}
	return st.s.occurrence(i), true
}

// HasUpcoming reports whether a window is upcoming: the bool of
// [Status.Upcoming] without the window, for the request path, which
// usually has nothing to show.
func (st Status) HasUpcoming() bool { return st.seg != nil && st.seg.upcoming >= 0 }

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
// window starts or stops; or the end of the schedule's [Horizon], when a
// window recurs. It is the zero time when nothing will change.
func (st Status) Next() time.Time {
	if st.seg == nil || st.seg.until == math.MaxInt64 {
		return time.Time{}
	}
	return time.UnixMilli(st.seg.until).UTC()
}
