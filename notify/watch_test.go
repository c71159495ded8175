package notify_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	h := startWatch(t, nil, active, coming)

	got := evs(h.advance(now.Add(4 * time.Hour)))
	assert.Equal(t, []ev{
		{notify.EventEnded, 1, now.Add(time.Hour)},
		{notify.EventStarted, 2, now.Add(2 * time.Hour)},
		{notify.EventEnded, 2, now.Add(3 * time.Hour)},
	}, got, "no started for the active window, no reminder for the announced one")
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
		{notify.EventReminder, w.ID, now}, // inside its lead time when added
		{notify.EventStarted, w.ID, now.Add(10 * time.Second)},
	}, evs(h.advance(now.Add(time.Minute))))

	// Deleted while active: it ends at once.
	require.NoError(t, h.m.Delete(ctx, w.ID))
	h.sync()
	assert.Equal(t, []ev{{notify.EventEnded, w.ID, now.Add(time.Minute)}}, evs(h.advance(now.Add(time.Minute))))

	// Added inside its lead time: announced at once.
	c, err := h.m.Add(ctx, window(now.Add(20*time.Minute), now.Add(time.Hour)), "admin")
	require.NoError(t, err)
	h.sync()
	assert.Equal(t, []ev{{notify.EventReminder, c.ID, now.Add(time.Minute)}}, evs(h.advance(now.Add(time.Minute))))
	assert.Empty(t, h.advance(now.Add(3*time.Minute)), "announced once")

	// Rescheduled after its reminder: announced again.
	c.Start, c.Stop = now.Add(25*time.Minute), now.Add(2*time.Hour)
	c, err = h.m.Update(ctx, c, "admin")
	require.NoError(t, err)
	h.sync()
	assert.Equal(t, []ev{{notify.EventReminder, c.ID, now.Add(3 * time.Minute)}}, evs(h.advance(now.Add(3*time.Minute))))

	// Made invalid while upcoming: nothing starts.
	c.Validity = maintenance.Invalid
	_, err = h.m.Update(ctx, c, "admin")
	require.NoError(t, err)
	h.sync()
	assert.Empty(t, h.advance(now.Add(3*time.Hour)))
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
		k    notify.EventKind
		want string
	}{
		{notify.EventEnded, "ended"},
		{notify.EventStarted, "started"},
		{notify.EventReminder, "reminder"},
		{0, "EventKind(0)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.k.String())
	}
}
