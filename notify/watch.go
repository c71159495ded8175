package notify

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/maintenance"
)

// EventKind says what happened to a window.
type EventKind int8

// The kinds of event. Their values are fixed: the first three keep the
// numbers they always had, later kinds come after. The order in which
// [Watch] reports the events of one instant is not their numeric order: see
// [Watch].
const (
	// EventEnded: the window stopped being active, at its Stop or because
	// it left the schedule or was moved while active.
	EventEnded EventKind = iota + 1
	// EventStarted: the window became active.
	EventStarted
	// EventReminder: the window became the upcoming one: its notice began.
	EventReminder
	// EventScheduled: the window entered the schedule: it was added valid,
	// or made valid again.
	EventScheduled
	// EventChanged: a window in the schedule was changed (its Version
	// moved), whether or not the change shows in what users see.
	EventChanged
	// EventWithdrawn: the window left the schedule, which holds valid
	// windows only: it was deleted, or made invalid (Invalid or
	// InvalidTemporarily). The schedule cannot tell the two apart; ask the
	// Manager for the window to know which.
	EventWithdrawn
)

// String returns "ended", "started", "reminder", "scheduled", "changed" or
// "withdrawn"; an unknown value prints as "EventKind(N)".
func (k EventKind) String() string {
	switch k {
	case EventEnded:
		return "ended"
	case EventStarted:
		return "started"
	case EventReminder:
		return "reminder"
	case EventScheduled:
		return "scheduled"
	case EventChanged:
		return "changed"
	case EventWithdrawn:
		return "withdrawn"
	}
	return fmt.Sprintf("EventKind(%d)", int8(k))
}

// rank is the place of k among the events of one instant: the changes to
// the schedule first (scheduled, changed, withdrawn), then what follows from
// them and from the clock (ended, started, reminder).
func (k EventKind) rank() int {
	switch k {
	case EventScheduled:
		return 1
	case EventChanged:
		return 2
	case EventWithdrawn:
		return 3
	case EventEnded:
		return 4
	case EventStarted:
		return 5
	case EventReminder:
		return 6
	}
	return 7
}

// Event is a change in what the schedule says about one window.
type Event struct {
	Kind EventKind
	// Window is the window as the schedule held it: for EventEnded, as it
	// was while active; for EventChanged, after the change; for
	// EventWithdrawn, as the schedule last held it (for a window made
	// invalid, its last valid version).
	//
	// For a recurring window, EventReminder, EventStarted and EventEnded
	// are about one occurrence: Window is the occurrence, with the
	// recurring window's ID and the occurrence's Start and Stop, and its
	// Occurrence set (see [maintenance.Window.Occurrence]), so the ID,
	// kind and Start of an event tell its occurrence apart from every
	// other. EventScheduled, EventChanged and EventWithdrawn are about the
	// recurring window as stored, its Start and Stop those of its first
	// occurrence.
	Window maintenance.Window
	// At is when the change happened. For EventScheduled, EventChanged and
	// EventWithdrawn it is the instant Watch saw the change (the clock's
	// Now then). For the others it is the window's Start, Stop, or Start
	// minus its lead time, when that instant lies within the stretch
	// Watch is reporting on; otherwise, and always for a window that was
	// scheduled, changed or withdrawn in that stretch, the instant Watch
	// saw the change.
	At time.Time
	// Late reports that [Relay] delivers the event more than
	// RelayOptions.LateAfter after its At: it was caught up after every
	// instance had been down, or it waited for retries. [Watch] never sets
	// it, and an [Outbox] does not keep it.
	Late bool
}

// ID returns the identity of the event: the same string for the same event
// in every process that watches the same schedule, so that an [Outbox]
// records it once and a receiver can drop what it has already seen.
//
// A change to the schedule is named by the window's ID and Version and the
// kind: "w42/v3/scheduled", "w42/v4/changed", "w42/v4/withdrawn" (the
// Version the schedule last held). A change in time is named by the
// window's ID, the kind and the instant it belongs to, in UTC at
// millisecond precision, RFC 3339: the window's Start for a reminder or a
// start ("w42/reminder/2026-11-24T10:00:00Z",
// "w42/started/2026-11-24T10:00:00Z"), its Stop for an end
// ("w42/ended/2026-11-24T12:00:00Z"). Neither At (for some events the
// instant a process saw a change, which differs between processes) nor
// the lead time takes part: a changed lead does not announce a window
// again, a moved Start or Stop does.
//
// Two corners follow from the rule. A window withdrawn while active and
// put back with the same Start is not reported started again, nor ended
// again if its Stop is the same too: those IDs were used. And a process
// that saw two changes of a window in one reload reports the later Version
// only, under its own ID ("w42/v2/scheduled" where another process saw
// "w42/v1/scheduled" and "w42/v2/changed").
//
// An ID is at most 100 bytes long (see [MaxEventIDLen]).
func (e Event) ID() string {
	id := "w" + strconv.FormatInt(e.Window.ID, 10) + "/"
	switch e.Kind {
	case EventScheduled, EventChanged, EventWithdrawn:
		return id + "v" + strconv.FormatInt(e.Window.Version, 10) + "/" + e.Kind.String()
	case EventReminder, EventStarted:
		return id + e.Kind.String() + "/" + stamp(e.Window.Start)
	case EventEnded:
		return id + e.Kind.String() + "/" + stamp(e.Window.Stop)
	}
	return id + e.Kind.String()
}

// MaxEventIDLen bounds the length in bytes of [Event.ID], for stores that
// keep IDs in a column of bounded size.
const MaxEventIDLen = 100

// stamp formats t in UTC at millisecond precision, RFC 3339.
func stamp(t time.Time) string {
	return time.UnixMilli(t.UnixMilli()).UTC().Format(time.RFC3339Nano)
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

// Notifiers is a [Notifier] that hands each event to several Notifiers, in
// order, for instance a log and a webhook. Its elements must not be nil.
type Notifiers []Notifier

// Notify calls Notify on every element of ns with ctx and e, in order, also
// after one failed, and returns their errors joined ([errors.Join]); nil
// when all succeed, or when ns is empty. Since [Watch] stops at an error, a
// host that wants best effort wraps each Notifier in one that logs its
// failures and returns nil.
func (ns Notifiers) Notify(ctx context.Context, e Event) error {
	var errs []error
	for _, n := range ns {
		if err := n.Notify(ctx, e); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// waitHook, when set (by tests), is called each time Watch is about to
// wait, with the instant it waits for.
var waitHook func(until time.Time)

// Watch reports, until ctx is done, the changes in m's schedule to n.
//
// Changes to the schedule: [EventScheduled] when a window enters it (added
// valid, or made valid), [EventChanged] when a window in it is updated,
// [EventWithdrawn] when a window leaves it (deleted, or made invalid).
// Watch finds them by comparing the windows of the schedule, by ID and
// Version, with those of the previous schedule, and does so only when the
// schedule was replaced: a wake-up at a boundary costs the same for one
// window as for a hundred thousand; a replaced schedule costs a copy of the
// windows of both schedules and one pass over them. Replacing the schedule without changing a window
// ([maintenance.Manager.SetLead], a reload that found nothing new) gives no
// such event. Finished windows count like the others: deleting last
// year's window reports it withdrawn.
//
// Changes in time: [EventReminder] when a window becomes the upcoming one
// (its notice begins, Start minus the lead time; a window announced once
// is not announced again unless its Start moves or it leaves the schedule
// and comes back), [EventStarted] when a window becomes active and
// [EventEnded] when it stops being active, also when it is withdrawn or
// moved while active. A recurring window gives these three for each of
// its occurrences: each occurrence is announced, starts and ends.
//
// Watch reports changes from the moment it starts: windows in the schedule
// then give no event, nor do those already active or upcoming.
//
// Events come in the order of their At. Those of one instant come in this
// order of kind, then by window ID: scheduled, changed, withdrawn, ended,
// started, reminder. A change to the schedule comes before what follows
// from it: a window added inside its lead time is reported scheduled, then
// reminded; a window deleted while active is reported withdrawn, then
// ended, so a notifier can say why the maintenance ended early. Of the
// rest, windows end before others start, and reminders come last.
//
// Watch waits on m's clock until the status next changes
// ([maintenance.Status.Next]) or the schedule is replaced
// ([maintenance.Manager.Changed]), so a window added, changed or deleted
// is reported at once. It reads the schedule only, never the store: run
// [maintenance.Manager.Run] as well to follow other processes.
//
// Watch returns nil when ctx is done, or the error of n, wrapped, as soon
// as n fails; a Notifier that should not stop Watch logs its failures and
// returns nil. Run Watch in a goroutine of its own. It panics if m or n is
// nil.
func Watch(ctx context.Context, m *maintenance.Manager, n Notifier) error {
	if m == nil || n == nil {
		panic("notify: Watch called with a nil Manager or Notifier")
	}
	err := watchLoop(ctx, m, nil, func(e Event) error { return n.Notify(ctx, e) }, waitHook)
	if err != nil {
		return fmt.Errorf("notify: watch: %w", err)
	}
	return nil
}

// watchLoop is the loop of Watch, shared with Relay. It takes its first
// look at m's schedule, calls first (when not nil) with that schedule and
// instant, then hands emit the events of every later look, in order, until
// ctx is done. hook, when not nil, is called each time the loop is about to
// wait, with the instant it waits for. watchLoop returns nil when ctx is
// done, else the first error of first or emit.
func watchLoop(ctx context.Context, m *maintenance.Manager, first func(s *maintenance.Schedule, t time.Time) error,
	emit func(Event) error, hook func(until time.Time)) error {
	clk := m.Clock()
	w := &watcher{active: map[occKey]maintenance.Window{}, reminded: map[int64]time.Time{}}
	// Each look takes the Changed channel before loading the schedule, and
	// waits for the next change of that very schedule: a replacement after
	// the load closes the channel, so none slips between look and wait.
	changed := m.Changed()
	s := m.Schedule()
	t := clk.Now()
	w.diff(s, t) // the state at the start: no events
	if first != nil {
		if err := first(s, t); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
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
			if hook != nil {
				hook(next)
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
			if err := emit(e); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
		}
	}
}

// watcher remembers what the schedule said at the last look.
type watcher struct {
	sched    *maintenance.Schedule         // the schedule at the last look; nil before the first
	last     time.Time                     // instant of the last look
	active   map[occKey]maintenance.Window // active windows then, by ID and occurrence
	reminded map[int64]time.Time           // windows announced, by ID, with the Start announced
}

// occKey identifies an active window: a one-off window by its ID, an
// occurrence of a recurring window by its ID and its original start.
type occKey struct {
	id  int64
	occ int64 // Window.Occurrence in Unix ns; 0 for a one-off window
}

func keyOf(w maintenance.Window) occKey {
	if w.Occurrence.IsZero() {
		return occKey{id: w.ID}
	}
	return occKey{w.ID, w.Occurrence.UnixNano()}
}

// diff looks at schedule s at t and returns the events since the last
// look, in order.
func (w *watcher) diff(s *maintenance.Schedule, t time.Time) []Event {
	first := w.sched == nil
	var events []Event
	// touched holds the windows scheduled, changed or withdrawn since the
	// last look: their events come at t, the instant the change was seen.
	var touched map[int64]bool
	if !first && s != w.sched {
		scheduled, changed, withdrawn := diffWindows(w.sched.Windows(), s.Windows())
		touched = make(map[int64]bool, len(scheduled)+len(changed)+len(withdrawn))
		for _, c := range []struct {
			kind EventKind
			ws   []maintenance.Window
		}{{EventScheduled, scheduled}, {EventChanged, changed}, {EventWithdrawn, withdrawn}} {
			for _, win := range c.ws {
				touched[win.ID] = true
				events = append(events, Event{Kind: c.kind, Window: win, At: t})
			}
		}
		for _, win := range withdrawn {
			delete(w.reminded, win.ID) // announced again if it comes back
		}
	}
	// when returns at if it lies in (last, t] and the window was not
	// touched, else t.
	when := func(id int64, at time.Time) time.Time {
		if !touched[id] && at.After(w.last) && !at.After(t) {
			return at
		}
		return t
	}

	st := s.At(t)
	now := make(map[occKey]maintenance.Window, st.ActiveCount())
	for _, win := range st.ActiveWindows() {
		k := keyOf(win)
		now[k] = win
		if _, ok := w.active[k]; !ok {
			events = append(events, Event{Kind: EventStarted, Window: win, At: when(win.ID, win.Start)})
		}
	}
	for k, win := range w.active {
		if _, ok := now[k]; !ok {
			events = append(events, Event{Kind: EventEnded, Window: win, At: when(k.id, win.Stop)})
		}
	}
	if up, ok := st.Upcoming(); ok {
		if start, done := w.reminded[up.ID]; !done || !start.Equal(up.Start) {
			w.reminded[up.ID] = up.Start
			lead := s.Lead() // the lead s was compiled with
			if up.Lead > 0 {
				lead = up.Lead
			}
			events = append(events, Event{Kind: EventReminder, Window: up, At: when(up.ID, up.Start.Add(-lead))})
		}
	}
	for id, start := range w.reminded {
		if !start.After(t) {
			delete(w.reminded, id) // started (or dropped): no longer to be announced
		}
	}
	w.sched, w.active, w.last = s, now, t
	if first {
		return nil
	}
	slices.SortFunc(events, func(a, b Event) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Kind.rank(), b.Kind.rank()), cmp.Compare(a.Window.ID, b.Window.ID),
			a.Window.Start.Compare(b.Window.Start))
	})
	return events
}

// diffWindows compares the windows of two schedules, each sorted by Start,
// then ID (as [maintenance.Schedule.Windows] returns them), and returns
// those only in cur (scheduled), those in both whose Version moved
// (changed, as in cur) and those only in old (withdrawn, as in old). It
// walks both lists once: a window that kept its Start is matched in the
// walk, and only the few that moved, entered or left are matched by ID.
func diffWindows(old, cur []maintenance.Window) (scheduled, changed, withdrawn []maintenance.Window) {
	var left, entered []maintenance.Window // unmatched in the walk
	i, j := 0, 0
	for i < len(old) && j < len(cur) {
		switch c := cmp.Or(old[i].Start.Compare(cur[j].Start), cmp.Compare(old[i].ID, cur[j].ID)); {
		case c == 0:
			if old[i].Version != cur[j].Version {
				changed = append(changed, cur[j])
			}
			i++
			j++
		case c < 0:
			left = append(left, old[i])
			i++
		default:
			entered = append(entered, cur[j])
			j++
		}
	}
	left = append(left, old[i:]...)
	entered = append(entered, cur[j:]...)
	if len(left) == 0 {
		return entered, changed, nil
	}
	gone := make(map[int64]maintenance.Window, len(left))
	for _, win := range left {
		gone[win.ID] = win
	}
	for _, win := range entered {
		if _, ok := gone[win.ID]; ok {
			delete(gone, win.ID)
			changed = append(changed, win) // its Start moved
		} else {
			scheduled = append(scheduled, win)
		}
	}
	for _, win := range left {
		if _, ok := gone[win.ID]; ok {
			withdrawn = append(withdrawn, win)
		}
	}
	return scheduled, changed, withdrawn
}
