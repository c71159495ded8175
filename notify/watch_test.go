package notify_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// watchHarness runs Watch over a Manager with a mock clock and moves the
// clock in lock-step with it: the clock is only ever set to the instant
// Watch waits for (so exactly its timer fires) or to an instant before it
// (so none does), and only while Watch is waiting. No sleeps.
type watchHarness struct {
	t      *testing.T
	m      *maintenance.Manager
	mock   *clock.Mock
	events chan notify.Event
	hooks  chan time.Time
	until  time.Time // the instant Watch waits for
	cancel context.CancelFunc
	done   chan error
}

func startWatch(t *testing.T, n notify.Notifier, ws ...maintenance.Window) *watchHarness {
	t.Helper()
	m, mock, _ := newManager(t, now, ws...)
	return startWatchOn(t, m, mock, n)
}

// startWatchOn starts Watch over m, whose clock is mock. A nil n collects
// the events for advance.
func startWatchOn(t *testing.T, m *maintenance.Manager, mock *clock.Mock, n notify.Notifier) *watchHarness {
	t.Helper()
	h := &watchHarness{t: t, m: m, mock: mock, events: make(chan notify.Event, 64),
		hooks: make(chan time.Time, 1), done: make(chan error, 1)}
	if n == nil {
		n = notify.NotifierFunc(func(_ context.Context, e notify.Event) error {
			h.events <- e
			return nil
		})
	}
	restore := notify.SetWaitHook(func(until time.Time) { h.hooks <- until })
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.done <- notify.Watch(ctx, m, n) }()
	t.Cleanup(func() {
		cancel()
		<-h.done
		restore()
	})
	h.until = h.nextHook()
	return h
}

func (h *watchHarness) nextHook() time.Time {
	h.t.Helper()
	select {
	case u := <-h.hooks:
		return u
	case err := <-h.done:
		h.t.Fatalf("Watch returned %v", err)
	case <-time.After(10 * time.Second):
		h.t.Fatal("Watch did not wait again")
	}
	return time.Time{}
}

// advance moves the clock to "to", letting Watch handle every instant it
// waits for on the way, and returns the events reported.
func (h *watchHarness) advance(to time.Time) []notify.Event {
	h.t.Helper()
	for !h.until.IsZero() && !h.until.After(to) {
		h.mock.Set(h.until)
		h.until = h.nextHook()
	}
	h.mock.Set(to)
	var out []notify.Event
	for {
		select {
		case e := <-h.events:
			out = append(out, e)
		default:
			return out
		}
	}
}

// ev is an event reduced to what the tests compare.
type ev struct {
	Kind notify.EventKind
	ID   int64
	At   time.Time
}

func evs(events []notify.Event) []ev {
	out := []ev{}
	for _, e := range events {
		out = append(out, ev{e.Kind, e.Window.ID, e.At.UTC()})
	}
	return out
}

func TestWatch_Lifecycle(t *testing.T) {
	start := now.Add(2 * time.Hour)
	stop := start.Add(time.Hour)
	long := window(start, stop)
	long.Lead = 90 * time.Minute

	tests := []struct {
		name   string
		w      maintenance.Window
		notice time.Time
	}{
		{"default lead", window(start, stop), start.Add(-30 * time.Minute)},
		{"per-window lead", long, start.Add(-90 * time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startWatch(t, nil, tt.w)
			const id = 1
			assert.Empty(t, h.advance(tt.notice.Add(-time.Millisecond)), "before the notice")
			assert.Equal(t, []ev{{notify.EventReminder, id, tt.notice}}, evs(h.advance(tt.notice)))
			assert.Empty(t, h.advance(start.Add(-time.Millisecond)))
			assert.Equal(t, []ev{{notify.EventStarted, id, start}}, evs(h.advance(start)))
			assert.Empty(t, h.advance(stop.Add(-time.Millisecond)))
			assert.Equal(t, []ev{{notify.EventEnded, id, stop}}, evs(h.advance(stop)))
			assert.Empty(t, h.advance(stop.Add(time.Hour)), "nothing after the stop")
		})
	}
}

func TestWatch_BackToBack(t *testing.T) {
	s := now.Add(time.Hour)
	a := window(s, s.Add(time.Hour))
	b := window(s.Add(time.Hour), s.Add(2*time.Hour))
	h := startWatch(t, nil, a, b)

	got := evs(h.advance(s.Add(3 * time.Hour)))
	assert.Equal(t, []ev{
		{notify.EventReminder, 1, s.Add(-30 * time.Minute)},
		{notify.EventStarted, 1, s},
		{notify.EventReminder, 2, s.Add(30 * time.Minute)}, // reported though a window is active
		{notify.EventEnded, 1, s.Add(time.Hour)},           // ends before the next starts
		{notify.EventStarted, 2, s.Add(time.Hour)},
		{notify.EventEnded, 2, s.Add(2 * time.Hour)},
	}, got)
}

func TestWatch_Overlapping(t *testing.T) {
	a := window(now.Add(time.Hour), now.Add(4*time.Hour))
	b := window(now.Add(2*time.Hour), now.Add(3*time.Hour))
	h := startWatch(t, nil, a, b)

	got := evs(h.advance(now.Add(5 * time.Hour)))
	assert.Equal(t, []ev{
		{notify.EventReminder, 1, now.Add(30 * time.Minute)},
		{notify.EventStarted, 1, now.Add(time.Hour)},
		{notify.EventReminder, 2, now.Add(90 * time.Minute)},
		{notify.EventStarted, 2, now.Add(2 * time.Hour)},
		{notify.EventEnded, 2, now.Add(3 * time.Hour)},
		{notify.EventEnded, 1, now.Add(4 * time.Hour)},
	}, got)
}

func TestWatch_StateAtStartIsNotReported(t *testing.T) {
	active := window(now.Add(-time.Hour), now.Add(time.Hour))
	coming := window(now.Add(2*time.Hour), now.Add(3*time.Hour))
	coming.Lead = 3 * time.Hour // upcoming already
	later := window(now.Add(10*time.Hour), now.Add(11*time.Hour))
	h := startWatch(t, nil, active, coming, later)

	got := evs(h.advance(now.Add(4 * time.Hour)))
	assert.Equal(t, []ev{
		{notify.EventEnded, 1, now.Add(time.Hour)},
		{notify.EventStarted, 2, now.Add(2 * time.Hour)},
		{notify.EventEnded, 2, now.Add(3 * time.Hour)},
	}, got, "no started for the active window, no reminder for the announced one, none scheduled")
}

// sync waits until Watch, woken by a change of the schedule, waits again.
func (h *watchHarness) sync() {
	h.t.Helper()
	h.until = h.nextHook()
}

func TestWatch_ScheduleChanges(t *testing.T) {
	h := startWatch(t, nil)
	ctx := context.Background()
	assert.True(t, h.until.IsZero(), "an empty schedule waits for a change only")

	// A window added while Watch waits: it now waits for the start.
	w, err := h.m.Add(ctx, window(now.Add(10*time.Second), now.Add(2*time.Hour)), "admin")
	require.NoError(t, err)
	h.sync()
	assert.Equal(t, now.Add(10*time.Second), h.until)
	assert.Equal(t, []ev{
		{notify.EventScheduled, w.ID, now},
		{notify.EventReminder, w.ID, now}, // inside its lead time when added
		{notify.EventStarted, w.ID, now.Add(10 * time.Second)},
	}, evs(h.advance(now.Add(time.Minute))))

	// Deleted while active: it ends at once, after leaving the schedule.
	require.NoError(t, h.m.Delete(ctx, w.ID))
	h.sync()
	assert.Equal(t, []ev{
		{notify.EventWithdrawn, w.ID, now.Add(time.Minute)},
		{notify.EventEnded, w.ID, now.Add(time.Minute)},
	}, evs(h.advance(now.Add(time.Minute))))

	// Added inside its lead time: announced at once.
	c, err := h.m.Add(ctx, window(now.Add(20*time.Minute), now.Add(time.Hour)), "admin")
	require.NoError(t, err)
	h.sync()
	assert.Equal(t, []ev{
		{notify.EventScheduled, c.ID, now.Add(time.Minute)},
		{notify.EventReminder, c.ID, now.Add(time.Minute)},
	}, evs(h.advance(now.Add(time.Minute))))
	assert.Empty(t, h.advance(now.Add(3*time.Minute)), "announced once")

	// Rescheduled after its reminder: announced again.
	c.Start, c.Stop = now.Add(25*time.Minute), now.Add(2*time.Hour)
	c, err = h.m.Update(ctx, c, "admin")
	require.NoError(t, err)
	h.sync()
	assert.Equal(t, []ev{
		{notify.EventChanged, c.ID, now.Add(3 * time.Minute)},
		{notify.EventReminder, c.ID, now.Add(3 * time.Minute)},
	}, evs(h.advance(now.Add(3*time.Minute))))

	// Made invalid while upcoming: it leaves the schedule, nothing starts.
	c.Validity = maintenance.Invalid
	_, err = h.m.Update(ctx, c, "admin")
	require.NoError(t, err)
	h.sync()
	assert.Equal(t, []ev{{notify.EventWithdrawn, c.ID, now.Add(3 * time.Minute)}}, evs(h.advance(now.Add(3*time.Hour))),
		"withdrawn, and neither started nor ended")
}

func TestWatch_NotifierError(t *testing.T) {
	errBoom := errors.New("boom")
	m, mock, _ := newManager(t, now, window(now.Add(10*time.Minute), now.Add(time.Hour)))
	hooks := make(chan time.Time, 1)
	restore := notify.SetWaitHook(func(until time.Time) { hooks <- until })
	defer restore()
	done := make(chan error, 1)
	go func() {
		done <- notify.Watch(context.Background(), m, notify.NotifierFunc(func(context.Context, notify.Event) error { return errBoom }))
	}()
	for {
		select {
		case until := <-hooks:
			mock.Set(until) // on to the start, where the first event fails
		case err := <-done:
			require.ErrorIs(t, err, errBoom)
			return
		case <-time.After(10 * time.Second):
			t.Fatal("Watch did not return the Notifier's error")
		}
	}
}

func TestWatch_Cancel(t *testing.T) {
	m, _, _ := newManager(t, now)
	hooks := make(chan time.Time, 1)
	restore := notify.SetWaitHook(func(until time.Time) { hooks <- until })
	defer restore()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- notify.Watch(ctx, m, notify.NotifierFunc(func(context.Context, notify.Event) error { return nil }))
	}()
	<-hooks
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Watch did not return after cancel")
	}

	// Already done: returns at once.
	assert.NoError(t, notify.Watch(ctx, m, notify.NotifierFunc(func(context.Context, notify.Event) error { return nil })))
}

func TestWatch_NilPanics(t *testing.T) {
	m, _, _ := newManager(t, now)
	n := notify.NotifierFunc(func(context.Context, notify.Event) error { return nil })
	assert.Panics(t, func() { _ = notify.Watch(context.Background(), nil, n) })
	assert.Panics(t, func() { _ = notify.Watch(context.Background(), m, nil) })
}

func TestEventKind_String(t *testing.T) {
	tests := []struct {
		k     notify.EventKind
		value int8 // fixed: hosts may store or log the number
		want  string
	}{
		{notify.EventEnded, 1, "ended"},
		{notify.EventStarted, 2, "started"},
		{notify.EventReminder, 3, "reminder"},
		{notify.EventScheduled, 4, "scheduled"},
		{notify.EventChanged, 5, "changed"},
		{notify.EventWithdrawn, 6, "withdrawn"},
		{0, 0, "EventKind(0)"},
		{7, 7, "EventKind(7)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.value, int8(tt.k))
		assert.Equal(t, tt.want, tt.k.String())
	}
}

// change makes one change through the Manager while Watch waits, waits
// until Watch waits again, and returns the events reported at that instant.
func (h *watchHarness) change(f func(ctx context.Context, m *maintenance.Manager)) []ev {
	h.t.Helper()
	f(context.Background(), h.m)
	h.sync()
	return evs(h.advance(h.mock.Now()))
}

// add adds w through m, failing the test on error.
func add(t *testing.T, m *maintenance.Manager, w maintenance.Window) maintenance.Window {
	t.Helper()
	stored, err := m.Add(context.Background(), w, "admin")
	require.NoError(t, err)
	return stored
}

// update updates w through m, failing the test on error.
func update(t *testing.T, m *maintenance.Manager, w maintenance.Window) maintenance.Window {
	t.Helper()
	stored, err := m.Update(context.Background(), w, "admin")
	require.NoError(t, err)
	return stored
}

func TestWatch_Scheduled(t *testing.T) {
	invalid := window(now.Add(time.Hour), now.Add(2*time.Hour))
	invalid.Validity = maintenance.InvalidTemporarily

	tests := []struct {
		name string
		w    maintenance.Window
		want []notify.EventKind
	}{
		{"planned", window(now.Add(2*time.Hour), now.Add(3*time.Hour)), []notify.EventKind{notify.EventScheduled}},
		{"inside its lead time", window(now.Add(10*time.Minute), now.Add(time.Hour)),
			[]notify.EventKind{notify.EventScheduled, notify.EventReminder}},
		{"active", window(now.Add(-10*time.Minute), now.Add(time.Hour)),
			[]notify.EventKind{notify.EventScheduled, notify.EventStarted}},
		{"finished", window(now.Add(-2*time.Hour), now.Add(-time.Hour)), []notify.EventKind{notify.EventScheduled}},
		{"invalid", invalid, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startWatch(t, nil)
			var w maintenance.Window
			got := h.change(func(_ context.Context, m *maintenance.Manager) { w = add(t, m, tt.w) })
			want := []ev{}
			for _, k := range tt.want {
				want = append(want, ev{k, w.ID, now})
			}
			assert.Equal(t, want, got)
		})
	}

	t.Run("then its notice and start come on time", func(t *testing.T) {
		h := startWatch(t, nil)
		start := now.Add(2 * time.Hour)
		got := h.change(func(_ context.Context, m *maintenance.Manager) { add(t, m, window(start, start.Add(time.Hour))) })
		assert.Equal(t, []ev{{notify.EventScheduled, 1, now}}, got)
		assert.Equal(t, []ev{
			{notify.EventReminder, 1, start.Add(-30 * time.Minute)},
			{notify.EventStarted, 1, start},
		}, evs(h.advance(start)))
	})
}

// A window added with its Start in the stretch since the last look did not
// start then: it was not in the schedule. Its events come at the instant
// Watch saw it.
func TestWatch_AddedWithStartInThePast(t *testing.T) {
	h := startWatch(t, nil)
	assert.Empty(t, h.advance(now.Add(time.Hour)), "an empty schedule: Watch does not wake")
	got := h.change(func(_ context.Context, m *maintenance.Manager) {
		add(t, m, window(now.Add(30*time.Minute), now.Add(2*time.Hour)))
	})
	assert.Equal(t, []ev{
		{notify.EventScheduled, 1, now.Add(time.Hour)},
		{notify.EventStarted, 1, now.Add(time.Hour)}, // not at its Start, 30 minutes ago
	}, got)
}

func TestWatch_Changed(t *testing.T) {
	planned := window(now.Add(2*time.Hour), now.Add(3*time.Hour))
	active := window(now.Add(-time.Hour), now.Add(time.Hour))

	tests := []struct {
		name string
		w    maintenance.Window
		edit func(w *maintenance.Window)
		want []notify.EventKind
	}{
		{"comment", planned, func(w *maintenance.Window) { w.Comment = "new comment" },
			[]notify.EventKind{notify.EventChanged}},
		{"nothing visible", planned, func(*maintenance.Window) {},
			[]notify.EventKind{notify.EventChanged}}, // the Version moved
		{"start moved into the lead time", planned, func(w *maintenance.Window) { w.Start = now.Add(10 * time.Minute) },
			[]notify.EventKind{notify.EventChanged, notify.EventReminder}},
		{"start moved to now", planned, func(w *maintenance.Window) { w.Start = now },
			[]notify.EventKind{notify.EventChanged, notify.EventStarted}},
		{"lead made longer", planned, func(w *maintenance.Window) { w.Lead = 3 * time.Hour },
			[]notify.EventKind{notify.EventChanged, notify.EventReminder}},
		{"active, stop moved", active, func(w *maintenance.Window) { w.Stop = now.Add(time.Minute) },
			[]notify.EventKind{notify.EventChanged}},
		{"active, stop moved to the past", active, func(w *maintenance.Window) { w.Stop = now.Add(-time.Minute) },
			[]notify.EventKind{notify.EventChanged, notify.EventEnded}},
		{"active, start moved ahead", active, func(w *maintenance.Window) { w.Start = now.Add(time.Minute) },
			[]notify.EventKind{notify.EventChanged, notify.EventEnded, notify.EventReminder}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, mock, stored := newManager(t, now, tt.w)
			h := startWatchOn(t, m, mock, nil)
			w := stored[0]
			got := h.change(func(_ context.Context, m *maintenance.Manager) {
				tt.edit(&w)
				w = update(t, m, w)
			})
			want := []ev{}
			for _, k := range tt.want {
				want = append(want, ev{k, w.ID, now})
			}
			assert.Equal(t, want, got)
		})
	}
}

func TestWatch_ChangedCarriesTheNewVersion(t *testing.T) {
	m, mock, stored := newManager(t, now, window(now.Add(2*time.Hour), now.Add(3*time.Hour)))
	h := startWatchOn(t, m, mock, nil)
	w := stored[0]
	w.Comment = "new comment"
	w = update(t, m, w)
	h.sync()
	got := h.advance(now)
	require.Len(t, got, 1)
	assert.Equal(t, notify.EventChanged, got[0].Kind)
	assert.Equal(t, w, got[0].Window)
}

func TestWatch_Withdrawn(t *testing.T) {
	actions := []struct {
		name string
		do   func(t *testing.T, m *maintenance.Manager, w maintenance.Window)
	}{
		{"deleted", func(t *testing.T, m *maintenance.Manager, w maintenance.Window) {
			require.NoError(t, m.Delete(context.Background(), w.ID))
		}},
		{"made invalid", func(t *testing.T, m *maintenance.Manager, w maintenance.Window) {
			w.Validity = maintenance.Invalid
			update(t, m, w)
		}},
		{"made invalid temporarily", func(t *testing.T, m *maintenance.Manager, w maintenance.Window) {
			w.Validity = maintenance.InvalidTemporarily
			update(t, m, w)
		}},
	}
	states := []struct {
		name string
		w    maintenance.Window
		want []notify.EventKind
	}{
		{"planned", window(now.Add(2*time.Hour), now.Add(3*time.Hour)), []notify.EventKind{notify.EventWithdrawn}},
		{"upcoming", window(now.Add(10*time.Minute), now.Add(time.Hour)), []notify.EventKind{notify.EventWithdrawn}},
		{"active", window(now.Add(-time.Hour), now.Add(time.Hour)),
			[]notify.EventKind{notify.EventWithdrawn, notify.EventEnded}}, // the cause, then its effect
		{"finished", window(now.Add(-2*time.Hour), now.Add(-time.Hour)), []notify.EventKind{notify.EventWithdrawn}},
	}
	for _, st := range states {
		for _, a := range actions {
			t.Run(st.name+"/"+a.name, func(t *testing.T) {
				m, mock, stored := newManager(t, now, st.w)
				h := startWatchOn(t, m, mock, nil)
				a.do(t, m, stored[0])
				h.sync()
				got := h.advance(now)
				want := []ev{}
				for _, k := range st.want {
					want = append(want, ev{k, stored[0].ID, now})
				}
				require.Equal(t, want, evs(got))
				assert.Equal(t, stored[0], got[0].Window, "as the schedule last held it")
				assert.Empty(t, h.advance(now.Add(4*time.Hour)), "nothing more: it never starts or ends")
			})
		}
	}
}

func TestWatch_ScheduledAgain(t *testing.T) {
	start := now.Add(10 * time.Minute)
	m, mock, stored := newManager(t, now.Add(-time.Hour), window(start, start.Add(time.Hour)))
	h := startWatchOn(t, m, mock, nil)
	w := stored[0]
	assert.Equal(t, []ev{{notify.EventReminder, w.ID, start.Add(-30 * time.Minute)}}, evs(h.advance(now)))

	got := h.change(func(_ context.Context, m *maintenance.Manager) {
		w.Validity = maintenance.InvalidTemporarily
		w = update(t, m, w)
	})
	assert.Equal(t, []ev{{notify.EventWithdrawn, w.ID, now}}, got)
	assert.Empty(t, h.advance(now.Add(time.Minute)))

	got = h.change(func(_ context.Context, m *maintenance.Manager) {
		w.Validity = maintenance.Valid
		w = update(t, m, w)
	})
	assert.Equal(t, []ev{
		{notify.EventScheduled, w.ID, now.Add(time.Minute)},
		{notify.EventReminder, w.ID, now.Add(time.Minute)}, // announced again: it had been withdrawn
	}, got)
	assert.Equal(t, []ev{{notify.EventStarted, w.ID, start}}, evs(h.advance(start)))
}

// A schedule replaced without a window changing (SetLead, a reload that
// found nothing new) gives no lifecycle event; a reminder that follows from
// a longer lead time is still reported.
func TestWatch_ScheduleReplacedWithoutChange(t *testing.T) {
	w := window(now.Add(2*time.Hour), now.Add(3*time.Hour))
	h := startWatch(t, nil, w)

	before := h.m.Schedule()
	assert.Empty(t, h.change(func(_ context.Context, m *maintenance.Manager) { m.SetLead(10 * time.Minute) }), "SetLead")
	assert.NotSame(t, before, h.m.Schedule(), "SetLead replaced the schedule")
	assert.Equal(t, now.Add(2*time.Hour-10*time.Minute), h.until, "Watch woke and waits for the new notice")

	before = h.m.Schedule()
	assert.Empty(t, h.change(func(ctx context.Context, m *maintenance.Manager) { require.NoError(t, m.Refresh(ctx)) }), "Refresh")
	assert.NotSame(t, before, h.m.Schedule(), "Refresh replaced the schedule")

	assert.Equal(t, []ev{{notify.EventReminder, 1, now}},
		h.change(func(_ context.Context, m *maintenance.Manager) { m.SetLead(3 * time.Hour) }), "SetLead with a longer lead")
}

// Changes made by another process reach the Manager in one reload: Watch
// reports them together, in the documented order.
func TestWatch_OrderAtOneInstant(t *testing.T) {
	store := memstore.NewWindowStore()
	mock := clock.NewMock()
	mock.Set(now)
	opts := &maintenance.Options{Clock: mock}
	m := maintenance.New(store, opts)
	other := maintenance.New(store, opts) // another process sharing the store
	ctx := context.Background()

	active := add(t, other, window(now.Add(-time.Hour), now.Add(time.Hour)))       // 1
	toInvalid := add(t, other, window(now.Add(5*time.Hour), now.Add(6*time.Hour))) // 2
	toChange := add(t, other, window(now.Add(3*time.Hour), now.Add(4*time.Hour)))  // 3
	add(t, other, window(now.Add(7*time.Hour), now.Add(8*time.Hour)))              // 4, kept
	require.NoError(t, m.Refresh(ctx))
	h := startWatchOn(t, m, mock, nil)

	require.NoError(t, other.Delete(ctx, active.ID))
	toInvalid.Validity = maintenance.Invalid
	update(t, other, toInvalid)
	toChange.Start = now.Add(-time.Minute)
	update(t, other, toChange)
	coming := add(t, other, window(now.Add(20*time.Minute), now.Add(time.Hour))) // 5
	started := add(t, other, window(now, now.Add(time.Hour)))                    // 6
	assert.Empty(t, h.advance(now), "not yet reloaded")

	got := h.change(func(ctx context.Context, m *maintenance.Manager) { require.NoError(t, m.Refresh(ctx)) })
	assert.Equal(t, []ev{
		{notify.EventScheduled, coming.ID, now},
		{notify.EventScheduled, started.ID, now},
		{notify.EventChanged, toChange.ID, now},
		{notify.EventWithdrawn, active.ID, now},
		{notify.EventWithdrawn, toInvalid.ID, now},
		{notify.EventEnded, active.ID, now},
		{notify.EventStarted, toChange.ID, now},
		{notify.EventStarted, started.ID, now},
		{notify.EventReminder, coming.ID, now},
	}, got)
}
