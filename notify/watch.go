package notify

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/maintenance"
)

// EventKind says what happened to a window.
type EventKind int8

// The kinds of event, in the order [Watch] reports those of one instant:
// windows end before others start, and reminders come last.
const (
	EventEnded    EventKind = iota + 1 // the window stopped, or stopped counting (deleted, made invalid)
	EventStarted                       // the window became active
	EventReminder                      // the window became the upcoming one: its notice began
)

// String returns "ended", "started" or "reminder"; an unknown value prints
// as "EventKind(N)".
func (k EventKind) String() string {
	switch k {
	case EventEnded:
		return "ended"
	case EventStarted:
		return "started"
	case EventReminder:
		return "reminder"
	}
	return fmt.Sprintf("EventKind(%d)", int8(k))
}

// Event is a change in what the schedule says about one window.
type Event struct {
	Kind EventKind
	// Window is the window as the schedule held it: for EventEnded, as it
	// was while active.
	Window maintenance.Window
	// At is when the change happened: the window's Start, Stop, or Start
	// minus its lead time, when that instant lies within the stretch
	// Watch is reporting on; otherwise (the window was added, changed or
	// deleted in the meantime) the instant Watch saw the change.
	At time.Time
}

// Notifier receives the events of [Watch], one at a time, in order.
type Notifier interface {
	// Notify delivers e. An error stops Watch, which returns it.
	Notify(ctx context.Context, e Event) error
}

// NotifierFunc adapts a function to the [Notifier] interface.
type NotifierFunc func(ctx context.Context, e Event) error

// Notify calls f(ctx, e).
func (f NotifierFunc) Notify(ctx context.Context, e Event) error { return f(ctx, e) }

// waitHook, when set (by tests), is called each time Watch is about to
// wait, with the instant it waits for.
var waitHook func(until time.Time)

// Watch reports, until ctx is done, the changes in m's schedule to n:
// [EventReminder] when a window becomes the upcoming one (its notice
// begins, Start minus the lead time; a window announced once is not
// announced again unless its Start moves), [EventStarted] when a window
// becomes active and [EventEnded] when it stops being active. It reports
// changes from the moment it starts: windows already active or upcoming
// then give no event.
//
// Watch waits on m's clock until the status next changes
// ([maintenance.Status.Next]) or the schedule is replaced
// ([maintenance.Manager.Changed]), so a window added, changed or deleted
// is reported at once. It reads the schedule only, never the store: run
// [maintenance.Manager.Run] as well to follow other processes.
// Events of one instant come in the order of their [EventKind], then by
// window ID.
//
// Watch returns nil when ctx is done, or the error of n, wrapped, as soon
// as n fails; a Notifier that should not stop Watch logs its failures and
// returns nil. Run Watch in a goroutine of its own. It panics if m or n is
// nil.
func Watch(ctx context.Context, m *maintenance.Manager, n Notifier) error {
	if m == nil || n == nil {
		panic("notify: Watch called with a nil Manager or Notifier")
	}
	clk := m.Clock()
	w := &watcher{active: map[int64]maintenance.Window{}, reminded: map[int64]time.Time{}}
	// Each look takes the Changed channel before loading the schedule, and
	// waits for the next change of that very schedule: a replacement after
	// the load closes the channel, so none slips between look and wait.
	changed := m.Changed()
	s := m.Schedule()
	t := clk.Now()
	w.diff(s, t) // the state at the start: no events
	for {
		next := s.At(t).Next()
		if ctx.Err() != nil {
			return nil
		}
		if d := clk.Until(next); next.IsZero() || d > 0 {
			var timer *clock.Timer
			var fire <-chan time.Time // nil when only a change can wake us
			if !next.IsZero() {
				timer = clk.Timer(d)
				fire = timer.C
			}
			if waitHook != nil {
				waitHook(next)
			}
			select {
			case <-ctx.Done():
			case <-fire:
			case <-changed:
			}
			if timer != nil {
				timer.Stop()
			}
			if ctx.Err() != nil {
				return nil
			}
		}
		changed = m.Changed()
		s = m.Schedule()
		t = clk.Now()
		for _, e := range w.diff(s, t) {
			if err := n.Notify(ctx, e); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return fmt.Errorf("notify: watch: %w", err)
			}
		}
	}
}

// watcher remembers what the schedule said at the last look.
type watcher struct {
	started  bool                         // whether the state at the start is known
	last     time.Time                    // instant of the last look
	active   map[int64]maintenance.Window // active windows then, by ID
	reminded map[int64]time.Time          // windows announced, by ID, with the Start announced
}

// diff looks at schedule s at t and returns the events since the last
// look, in order.
func (w *watcher) diff(s *maintenance.Schedule, t time.Time) []Event {
	st := s.At(t)
	var events []Event
	now := make(map[int64]maintenance.Window, st.ActiveCount())
	for _, win := range st.ActiveWindows() {
		now[win.ID] = win
		if _, ok := w.active[win.ID]; !ok {
			events = append(events, Event{Kind: EventStarted, Window: win, At: w.when(win.Start, t)})
		}
	}
	for id, win := range w.active {
		if _, ok := now[id]; !ok {
			events = append(events, Event{Kind: EventEnded, Window: win, At: w.when(win.Stop, t)})
		}
	}
	if up, ok := st.Upcoming(); ok {
		if start, done := w.reminded[up.ID]; !done || !start.Equal(up.Start) {
			w.reminded[up.ID] = up.Start
			lead := s.Lead() // the lead s was compiled with
			if up.Lead > 0 {
				lead = up.Lead
			}
			events = append(events, Event{Kind: EventReminder, Window: up, At: w.when(up.Start.Add(-lead), t)})
		}
	}
	for id, start := range w.reminded {
		if !start.After(t) {
			delete(w.reminded, id) // started (or dropped): no longer to be announced
		}
	}
	w.active, w.last = now, t
	if !w.started {
		w.started = true
		return nil
	}
	slices.SortFunc(events, func(a, b Event) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Window.ID, b.Window.ID))
	})
	return events
}

// when returns at if it lies in (last, t], else t.
func (w *watcher) when(at, t time.Time) time.Time {
	if at.After(w.last) && !at.After(t) {
		return at
	}
	return t
}
