package notify_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// The Relay tests drive Relay with a mock clock and never sleep: they wait
// (require.Eventually) for what Relay does in its goroutines, and move the
// clock either to an instant Relay waits for or, where Relay's own timers
// must fire an unknown number of times, step by step until what they wait
// for happened (stepUntil). Instants they check are read from the mock
// clock where Relay acts (the receiver, the spy outbox), so the stepping
// does not blur them.

// quietLog discards Relay's logs; relayLog collects them when a test
// checks them.
var quietLog = slog.New(slog.DiscardHandler)

// receiver is the counting receiver: it counts the deliveries of each
// event ID, keeps the events in order and the mock instant of each call,
// and fails every call while fail is set.
type receiver struct {
	mock *clock.Mock
	mu   sync.Mutex
	got  map[string]int
	evs  []notify.Event
	when []time.Time
	fail error
}

func newReceiver(mock *clock.Mock) *receiver { return &receiver{mock: mock, got: map[string]int{}} }

func (r *receiver) Notify(_ context.Context, e notify.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got[e.ID()]++
	r.evs = append(r.evs, e)
	r.when = append(r.when, r.mock.Now())
	return r.fail
}

func (r *receiver) counts() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.got)
}

func (r *receiver) calls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.evs)
}

func (r *receiver) events() []notify.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.evs)
}

// spyOutbox is an Outbox that watches one instance's use of a shared one,
// and can fail its Record calls.
type spyOutbox struct {
	notify.Outbox
	mock       *clock.Mock
	mu         sync.Mutex
	records    map[string]int // successful Record calls, by ID
	acked      map[string]bool
	claims     int
	retries    []retryCall
	drops      []string
	prunes     []time.Time
	failRecord int // Record calls still to fail
}

type retryCall struct {
	id     string
	at     time.Time // the mock's instant at the call
	next   time.Time
	reason string
}

func spy(box notify.Outbox, mock *clock.Mock) *spyOutbox {
	return &spyOutbox{Outbox: box, mock: mock, records: map[string]int{}, acked: map[string]bool{}}
}

var errStoreDown = errors.New("store down")

func (s *spyOutbox) Record(ctx context.Context, e notify.Event, at time.Time) (bool, error) {
	s.mu.Lock()
	if s.failRecord > 0 {
		s.failRecord--
		s.mu.Unlock()
		return false, errStoreDown
	}
	s.mu.Unlock()
	isNew, err := s.Outbox.Record(ctx, e, at)
	if err == nil {
		s.mu.Lock()
		s.records[e.ID()]++
		s.mu.Unlock()
	}
	return isNew, err
}

func (s *spyOutbox) Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, max int) ([]notify.Pending, error) {
	ps, err := s.Outbox.Claim(ctx, owner, now, lease, max)
	s.mu.Lock()
	s.claims++
	s.mu.Unlock()
	return ps, err
}

func (s *spyOutbox) Ack(ctx context.Context, id, owner string, at time.Time) error {
	err := s.Outbox.Ack(ctx, id, owner, at)
	if err == nil {
		s.mu.Lock()
		s.acked[id] = true
		s.mu.Unlock()
	}
	return err
}

func (s *spyOutbox) Retry(ctx context.Context, id, owner string, next time.Time, reason string) error {
	s.mu.Lock()
	s.retries = append(s.retries, retryCall{id, s.mock.Now(), next, reason})
	s.mu.Unlock()
	return s.Outbox.Retry(ctx, id, owner, next, reason)
}

func (s *spyOutbox) Drop(ctx context.Context, id, owner string, at time.Time, reason string) error {
	s.mu.Lock()
	s.drops = append(s.drops, id)
	s.mu.Unlock()
	return s.Outbox.Drop(ctx, id, owner, at, reason)
}

func (s *spyOutbox) Prune(ctx context.Context, before time.Time) (int, error) {
	s.mu.Lock()
	s.prunes = append(s.prunes, before)
	s.mu.Unlock()
	return s.Outbox.Prune(ctx, before)
}

// recorded reports whether the instance recorded (or found recorded) each
// of ids.
func (s *spyOutbox) recorded(ids ...string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		if s.records[id] == 0 {
			return false
		}
	}
	return true
}

// claimed reports whether the instance claimed events yet: its Relay took
// its first look at the schedule and caught up.
func (s *spyOutbox) claimed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.claims > 0
}

func (s *spyOutbox) with(f func(s *spyOutbox)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

// startRelay runs Relay in the background until the test ends; stop stops
// it and waits until it returned.
func startRelay(t *testing.T, m *maintenance.Manager, box notify.Outbox, n notify.Notifier, opts *notify.RelayOptions) (stop func()) {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = quietLog
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- notify.Relay(ctx, m, box, n, opts) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				assert.NoError(t, err, "Relay")
			case <-time.After(10 * time.Second):
				t.Error("Relay did not return after its context ended")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// eventually waits (in real time, polling) until cond holds.
func eventually(t *testing.T, cond func() bool, msg string, args ...any) {
	t.Helper()
	require.Eventually(t, cond, 10*time.Second, time.Millisecond, append([]any{msg}, args...)...)
}

// stepUntil moves the mock clock on by step until cond holds, for timers
// of Relay whose number is not known in advance.
func stepUntil(t *testing.T, mock *clock.Mock, step time.Duration, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after stepping the clock to %v: %s", mock.Now(), msg)
		}
		mock.Add(step)
	}
}

func newMock(at time.Time) *clock.Mock {
	mock := clock.NewMock()
	mock.Set(at)
	return mock
}

func ids(events ...notify.Event) []string {
	out := []string{}
	for _, e := range events {
		out = append(out, e.ID())
	}
	return out
}

// lifeIDs returns the IDs of the events of w's life: scheduled, reminder,
// started, ended.
func lifeIDs(w maintenance.Window) []string {
	return ids(
		notify.Event{Kind: notify.EventScheduled, Window: w},
		notify.Event{Kind: notify.EventReminder, Window: w},
		notify.Event{Kind: notify.EventStarted, Window: w},
		notify.Event{Kind: notify.EventEnded, Window: w})
}

func once(ids ...string) map[string]int {
	out := map[string]int{}
	for _, id := range ids {
		out[id] = 1
	}
	return out
}

// Two instances (two Managers over one window store, two Relays over one
// outbox) see every event of a window's life; the receiver gets each once.
func TestRelay_TwoInstancesDeliverEachEventOnce(t *testing.T) {
	mock := newMock(now)
	store, box := memstore.NewWindowStore(), memstore.NewOutbox()
	recv := newReceiver(mock)
	type instance struct {
		m   *maintenance.Manager
		box *spyOutbox
	}
	var insts []instance
	for _, owner := range []string{"a", "b"} {
		in := instance{maintenance.New(store, &maintenance.Options{Clock: mock}), spy(box, mock)}
		// The deliverers wake for each event recorded; a long Poll keeps
		// the mock clock's jumps from firing thousands of polls.
		startRelay(t, in.m, in.box, recv, &notify.RelayOptions{Owner: owner, Poll: 10 * time.Minute})
		insts = append(insts, in)
	}
	// settled: both instances recorded ids, and every event recorded was
	// acknowledged (so moving the clock cannot expire a lease).
	settled := func(ids ...string) func() bool {
		return func() bool {
			acked := map[string]bool{}
			for _, in := range insts {
				if !in.box.recorded(ids...) {
					return false
				}
				in.box.with(func(s *spyOutbox) { maps.Copy(acked, s.acked) })
			}
			for _, id := range ids {
				if !acked[id] {
					return false
				}
			}
			return true
		}
	}

	for _, in := range insts {
		eventually(t, in.box.claimed, "relay running")
	}
	start := now.Add(2 * time.Hour)
	w := add(t, insts[0].m, window(start, start.Add(time.Hour)))
	require.NoError(t, insts[1].m.Refresh(context.Background())) // b's Run would do this
	life := lifeIDs(w)
	eventually(t, settled(life[0]), "scheduled recorded by both and delivered")
	for i, at := range []time.Time{start.Add(-30 * time.Minute), start, start.Add(time.Hour)} {
		mock.Set(at)
		eventually(t, settled(life[1+i]), "%s recorded by both and delivered", life[1+i])
	}
	assert.Equal(t, once(life...), recv.counts())
	for _, e := range recv.events() {
		assert.False(t, e.Late, "%s delivered on time", e.ID())
	}
	for i, in := range insts {
		in.box.with(func(s *spyOutbox) {
			assert.Equal(t, once(life...), s.records, "instance %d recorded each event once", i)
		})
	}
}

// An instance (re)started during a window makes sure "started" is
// delivered, once, however often it restarts; it comes marked late.
func TestRelay_StartedDuringWindowDeliveredOnce(t *testing.T) {
	mock := newMock(now)
	store, box := memstore.NewWindowStore(), memstore.NewOutbox()
	w := add(t, maintenance.New(store, &maintenance.Options{Clock: mock}), window(now.Add(-10*time.Minute), now.Add(time.Hour)))
	startedID := ids(notify.Event{Kind: notify.EventStarted, Window: w})[0]
	recv := newReceiver(mock)

	for i, owner := range []string{"first", "second", "third"} {
		m := maintenance.New(store, &maintenance.Options{Clock: mock}) // a new process: not loaded yet
		sb := spy(box, mock)
		stop := startRelay(t, m, sb, recv, &notify.RelayOptions{Owner: owner})
		eventually(t, func() bool { return sb.recorded(startedID) }, "%s: started recorded", owner)
		if i == 0 {
			eventually(t, func() bool { return recv.calls() == 1 }, "started delivered")
		}
		stop()
		assert.Equal(t, once(startedID), recv.counts(), "after %s", owner)
	}
	evs := recv.events()
	require.Len(t, evs, 1)
	assert.Equal(t, w, evs[0].Window)
	assert.Equal(t, w.Start, evs[0].At)
	assert.True(t, evs[0].Late, "started ten minutes before it was delivered")
}

// At its start Relay records what must exist: started for the active
// windows, the reminder of the upcoming one, started and ended for windows
// that ended within CatchUp; nothing for older or later windows.
func TestRelay_CatchUp(t *testing.T) {
	mock := newMock(now)
	store, box := memstore.NewWindowStore(), memstore.NewOutbox()
	m := maintenance.New(store, &maintenance.Options{Clock: mock})
	active := add(t, m, window(now.Add(-10*time.Second), now.Add(time.Hour)))
	upcoming := add(t, m, window(now.Add(2*time.Hour), now.Add(3*time.Hour)))
	upcoming.Lead = 3 * time.Hour
	upcoming = update(t, m, upcoming)
	add(t, m, window(now.Add(10*time.Hour), now.Add(11*time.Hour))) // later: nothing yet
	ended := add(t, m, window(now.Add(-5*time.Hour), now.Add(-2*time.Hour)))
	add(t, m, window(now.Add(-30*time.Hour), now.Add(-25*time.Hour))) // ended before CatchUp: nothing

	recv := newReceiver(mock)
	startRelay(t, maintenance.New(store, &maintenance.Options{Clock: mock}), box, recv,
		&notify.RelayOptions{Owner: "a", CatchUp: 24 * time.Hour})
	want := []notify.Event{ // in delivery order: by At
		{Kind: notify.EventStarted, Window: ended, At: ended.Start},
		{Kind: notify.EventEnded, Window: ended, At: ended.Stop},
		{Kind: notify.EventReminder, Window: upcoming, At: upcoming.Start.Add(-3 * time.Hour)},
		{Kind: notify.EventStarted, Window: active, At: active.Start},
	}
	eventually(t, func() bool { return recv.calls() >= len(want) }, "caught-up events delivered")
	got := recv.events()
	assert.Equal(t, ids(want...), ids(got...))
	for i, e := range got {
		if i < len(want) {
			assert.Equal(t, want[i].At, e.At, e.ID())
			assert.Equal(t, want[i].Window, e.Window, e.ID())
		}
	}
	late := map[string]bool{}
	for _, e := range got {
		late[e.ID()] = e.Late
	}
	assert.Equal(t, map[string]bool{
		want[0].ID(): true, want[1].ID(): true, want[2].ID(): true,
		want[3].ID(): false, // ten seconds ago: within LateAfter
	}, late)
}

// A Notifier that keeps failing is retried with exponential backoff and
// jitter, then dropped after MaxAttempts; nothing more comes after.
func TestRelay_FailingNotifierRetriedThenDropped(t *testing.T) {
	mock := newMock(now)
	store, box := memstore.NewWindowStore(), memstore.NewOutbox()
	w := add(t, maintenance.New(store, &maintenance.Options{Clock: mock}), window(now, now.Add(time.Hour)))
	recv := newReceiver(mock)
	recv.fail = errors.New("503 Service Unavailable")
	sb := spy(box, mock)
	stats := &notify.RelayStats{}
	opts := &notify.RelayOptions{Owner: "a", RetryMin: time.Second, RetryMax: 4 * time.Second, MaxAttempts: 5, Poll: time.Second, Stats: stats}
	startRelay(t, maintenance.New(store, &maintenance.Options{Clock: mock}), sb, recv, opts)

	for attempt := 1; attempt <= 5; attempt++ {
		stepUntil(t, mock, 500*time.Millisecond, func() bool { return recv.calls() == attempt }, "next attempt")
		assert.Equal(t, attempt, recv.calls(), "attempts")
		settledAttempt := func() bool {
			n := 0
			sb.with(func(s *spyOutbox) { n = len(s.retries) + len(s.drops) })
			return n == attempt
		}
		eventually(t, settledAttempt, "attempt %d retried or dropped", attempt)
	}
	startedID := ids(notify.Event{Kind: notify.EventStarted, Window: w})[0]
	sb.with(func(s *spyOutbox) {
		assert.Equal(t, []string{startedID}, s.drops, "dropped after MaxAttempts")
		require.Len(t, s.retries, 4)
		// The n-th wait: min(RetryMin·2^(n-1), RetryMax), less up to half
		// of it, at least RetryMin.
		bounds := [][2]time.Duration{{time.Second, time.Second}, {time.Second, 2 * time.Second},
			{2 * time.Second, 4 * time.Second}, {2 * time.Second, 4 * time.Second}}
		for i, r := range s.retries {
			d := r.next.Sub(r.at)
			assert.True(t, d >= bounds[i][0] && d <= bounds[i][1], "wait %d is %v, want %v to %v", i+1, d, bounds[i][0], bounds[i][1])
			assert.Equal(t, "503 Service Unavailable", r.reason)
		}
	})
	// Each attempt came no sooner than its retry was due.
	recv.mu.Lock()
	when := slices.Clone(recv.when)
	recv.mu.Unlock()
	sb.with(func(s *spyOutbox) {
		for i, r := range s.retries {
			assert.False(t, when[i+1].Before(r.next), "attempt %d at %v, due at %v", i+2, when[i+1], r.next)
		}
	})

	claims := 0
	sb.with(func(s *spyOutbox) { claims = s.claims })
	stepUntil(t, mock, time.Second, func() bool {
		n := 0
		sb.with(func(s *spyOutbox) { n = s.claims })
		return n >= claims+5
	}, "the delivery loop polls on")
	assert.Equal(t, 5, recv.calls(), "delivered after it was dropped")
	st := stats.Stats()
	assert.Equal(t, recv.fail, st.LastErr)
	assert.False(t, st.LastErrAt.IsZero())
	st.LastErr, st.LastErrAt = nil, time.Time{}
	assert.Equal(t, notify.DeliveryStats{Failed: 5, Retried: 4, Dropped: 1}, st)
}

// RelayStats counts deliveries, late ones, failed attempts and their
// retries, and keeps the last error and when it happened.
func TestRelay_Stats(t *testing.T) {
	mock := newMock(now)
	store, box := memstore.NewWindowStore(), memstore.NewOutbox()
	m := maintenance.New(store, &maintenance.Options{Clock: mock})
	add(t, m, window(now.Add(-10*time.Minute), now.Add(time.Hour))) // its start is delivered late
	recv := &flakyReceiver{receiver: newReceiver(mock), failures: 2}
	stats := &notify.RelayStats{}
	assert.Equal(t, notify.DeliveryStats{}, stats.Stats())
	assert.Equal(t, notify.DeliveryStats{}, (*notify.RelayStats)(nil).Stats())
	startRelay(t, maintenance.New(store, &maintenance.Options{Clock: mock}), box, recv,
		&notify.RelayOptions{Owner: "a", RetryMin: time.Second, RetryMax: time.Second, Poll: time.Second, Stats: stats})

	stepUntil(t, mock, 500*time.Millisecond, func() bool { return stats.Stats().Delivered == 1 }, "delivered after two failures")
	st := stats.Stats()
	assert.ErrorIs(t, st.LastErr, errFlaky)
	failedAt := st.LastErrAt
	assert.False(t, failedAt.Before(now) || failedAt.After(mock.Now()), "failed at %v", failedAt)
	st.LastErr, st.LastErrAt = nil, time.Time{}
	assert.Equal(t, notify.DeliveryStats{Delivered: 1, Failed: 2, Retried: 2, Late: 1}, st)
}

var errFlaky = errors.New("flaky receiver")

// flakyReceiver fails its first failures calls with errFlaky.
type flakyReceiver struct {
	*receiver
	failures int
}

func (r *flakyReceiver) Notify(ctx context.Context, e notify.Event) error {
	_ = r.receiver.Notify(ctx, e)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failures > 0 {
		r.failures--
		return errFlaky
	}
	return nil
}

// An instance that died after claiming (its lease stands, no Ack comes)
// leaves its events to the others once the lease ran out.
func TestRelay_DeadOwnersEventsDeliveredAfterLease(t *testing.T) {
	mock := newMock(now)
	store, box := memstore.NewWindowStore(), memstore.NewOutbox()
	w := add(t, maintenance.New(store, &maintenance.Options{Clock: mock}), window(now, now.Add(time.Hour)))
	started := notify.Event{Kind: notify.EventStarted, Window: w, At: w.Start}
	isNew, err := box.Record(context.Background(), started, now)
	require.NoError(t, err)
	require.True(t, isNew)
	claimed, err := box.Claim(context.Background(), "dead", now, time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, claimed, 1)

	recv := newReceiver(mock)
	startRelay(t, maintenance.New(store, &maintenance.Options{Clock: mock}), box, recv,
		&notify.RelayOptions{Owner: "alive", Lease: time.Minute})
	stepUntil(t, mock, time.Second, func() bool { return recv.calls() == 1 }, "delivered by the instance alive")
	recv.mu.Lock()
	when := recv.when[0]
	recv.mu.Unlock()
	assert.False(t, when.Before(now.Add(time.Minute)), "delivered at %v, before the dead owner's lease ended", when)
	assert.Equal(t, once(started.ID()), recv.counts())
	assert.ErrorIs(t, box.Ack(context.Background(), started.ID(), "dead", mock.Now()), notify.ErrLeaseLost)
}

// A failed Record is tried again with backoff until it succeeds: the event
// is late, not lost. The failure is logged.
func TestRelay_RecordRetriedUntilItSucceeds(t *testing.T) {
	mock := newMock(now)
	store, box := memstore.NewWindowStore(), memstore.NewOutbox()
	m := maintenance.New(store, &maintenance.Options{Clock: mock})
	sb := spy(box, mock)
	var logs syncBuffer
	recv := newReceiver(mock)
	startRelay(t, m, sb, recv, &notify.RelayOptions{Owner: "a",
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	eventually(t, sb.claimed, "relay running")

	sb.with(func(s *spyOutbox) { s.failRecord = 3 })
	w := add(t, m, window(now.Add(2*time.Hour), now.Add(3*time.Hour)))
	scheduled := notify.Event{Kind: notify.EventScheduled, Window: w}.ID()
	stepUntil(t, mock, time.Second, func() bool { return recv.calls() == 1 }, "scheduled delivered after the store came back")
	assert.Equal(t, once(scheduled), recv.counts())
	sb.with(func(s *spyOutbox) { assert.Zero(t, s.failRecord, "three failures") })
	assert.Equal(t, 3, strings.Count(logs.String(), "record event, trying again"), logs.String())
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Relay prunes at its start and every hour, by Retention.
func TestRelay_Prunes(t *testing.T) {
	mock := newMock(now)
	sb := spy(memstore.NewOutbox(), mock)
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	startRelay(t, m, sb, newReceiver(mock), &notify.RelayOptions{Owner: "a", Retention: 48 * time.Hour, Poll: 10 * time.Minute})
	prunes := func() []time.Time {
		var p []time.Time
		sb.with(func(s *spyOutbox) { p = slices.Clone(s.prunes) })
		return p
	}
	eventually(t, func() bool { return len(prunes()) == 1 }, "pruned at the start")
	assert.Equal(t, now.Add(-48*time.Hour), prunes()[0])
	stepUntil(t, mock, 10*time.Minute, func() bool { return len(prunes()) == 2 }, "pruned again")
	assert.False(t, prunes()[1].Before(now.Add(time.Hour-48*time.Hour)), "pruned again before an hour passed: %v", prunes()[1])
}

func TestRelay_RefusesBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts notify.RelayOptions
		want string // the field the error names
	}{
		{"negative lease", notify.RelayOptions{Lease: -time.Second}, "Lease"},
		{"timeout as long as the lease", notify.RelayOptions{Lease: time.Minute, Timeout: time.Minute}, "Timeout"},
		{"default timeout beyond a short lease", notify.RelayOptions{Lease: 10 * time.Second}, "Timeout"},
		{"retry min above max", notify.RelayOptions{RetryMin: time.Minute, RetryMax: time.Second}, "RetryMin"},
		{"retention within catch-up", notify.RelayOptions{CatchUp: 48 * time.Hour, Retention: 24 * time.Hour}, "Retention"},
		{"negative attempts", notify.RelayOptions{MaxAttempts: -1}, "MaxAttempts"},
		{"negative poll", notify.RelayOptions{Poll: -1}, "Poll"},
		{"owner too long", notify.RelayOptions{Owner: strings.Repeat("x", notify.MaxOwnerLen+1)}, "Owner"},
	}
	m, _, _ := newManager(t, now)
	n := notify.NotifierFunc(func(context.Context, notify.Event) error { return nil })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := notify.Relay(context.Background(), m, memstore.NewOutbox(), n, &tt.opts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "RelayOptions."+tt.want)
		})
	}
}

func TestRelay_NilPanics(t *testing.T) {
	m, _, _ := newManager(t, now)
	box := memstore.NewOutbox()
	n := notify.NotifierFunc(func(context.Context, notify.Event) error { return nil })
	assert.Panics(t, func() { _ = notify.Relay(context.Background(), nil, box, n, nil) })
	assert.Panics(t, func() { _ = notify.Relay(context.Background(), m, nil, n, nil) })
	assert.Panics(t, func() { _ = notify.Relay(context.Background(), m, box, nil, nil) })
}

// Relay returns nil at once with a done context, and when its context
// ends while a store is failing.
func TestRelay_ReturnsWhenDone(t *testing.T) {
	m, mock, _ := newManager(t, now, window(now, now.Add(time.Hour)))
	n := notify.NotifierFunc(func(context.Context, notify.Event) error { return nil })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.NoError(t, notify.Relay(ctx, m, memstore.NewOutbox(), n, &notify.RelayOptions{Logger: quietLog}))

	sb := spy(memstore.NewOutbox(), mock)
	sb.failRecord = 1 << 30 // the store is down for good
	stop := startRelay(t, m, sb, n, &notify.RelayOptions{Owner: "a"})
	eventually(t, func() bool { f := 0; sb.with(func(s *spyOutbox) { f = s.failRecord }); return f < 1<<30 }, "recording")
	stop() // fails the test if Relay does not return
}

// A delivery starts only while the lease leaves time for it (Timeout) and
// its acknowledgement: the rest of a batch waits for a later claim, so a
// slow Notifier never works under a lease that may have run out.
func TestRelay_DeliversOnlyWithinItsLease(t *testing.T) {
	mock := newMock(now)
	store := memstore.NewWindowStore()
	m := maintenance.New(store, &maintenance.Options{Clock: mock})
	for i := range 3 {
		add(t, m, window(now.Add(-time.Duration(i+1)*time.Minute), now.Add(time.Hour))) // three started events
	}
	sb := &claimLog{Outbox: memstore.NewOutbox(), claimedAt: map[string]time.Time{}}
	var mu sync.Mutex
	var late []string // deliveries that started too far into their lease
	calls := 0
	slow := notify.NotifierFunc(func(ctx context.Context, e notify.Event) error {
		mu.Lock()
		calls++
		if d := mock.Now().Sub(sb.claimed(e.ID())); d > 15*time.Second {
			late = append(late, fmt.Sprintf("%s started %v into its lease", e.ID(), d))
		}
		mu.Unlock()
		<-ctx.Done() // takes the whole Timeout
		return ctx.Err()
	})
	startRelay(t, maintenance.New(store, &maintenance.Options{Clock: mock}), sb, slow,
		&notify.RelayOptions{Owner: "a", Lease: time.Minute, Timeout: 30 * time.Second, Poll: time.Second})
	stepUntil(t, mock, time.Second, func() bool { mu.Lock(); defer mu.Unlock(); return calls >= 4 }, "four attempts")
	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, late)
}

// claimLog is an Outbox that remembers when each event was last claimed.
type claimLog struct {
	notify.Outbox
	mu        sync.Mutex
	claimedAt map[string]time.Time
}

func (c *claimLog) Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, max int) ([]notify.Pending, error) {
	ps, err := c.Outbox.Claim(ctx, owner, now, lease, max)
	c.mu.Lock()
	for _, p := range ps {
		c.claimedAt[p.ID()] = now
	}
	c.mu.Unlock()
	return ps, err
}

func (c *claimLog) claimed(id string) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.claimedAt[id]
}

// The start of a window longer than Retention is not pruned while the
// window lasts, so an instance restarted late in it does not deliver the
// start again.
func TestRelay_LongWindowStartedOnceAfterRetention(t *testing.T) {
	mock := newMock(now)
	store, box := memstore.NewWindowStore(), memstore.NewOutbox()
	w := add(t, maintenance.New(store, &maintenance.Options{Clock: mock}), window(now.Add(-time.Minute), now.Add(10*24*time.Hour)))
	recv := newReceiver(mock)
	opts := func(owner string) *notify.RelayOptions {
		return &notify.RelayOptions{Owner: owner, CatchUp: time.Hour, Retention: 2 * time.Hour}
	}
	for i, owner := range []string{"first", "second", "third"} {
		if i > 0 {
			mock.Add(3 * 24 * time.Hour) // while no instance runs
		}
		sb := spy(box, mock)
		stop := startRelay(t, maintenance.New(store, &maintenance.Options{Clock: mock}), sb, recv, opts(owner))
		eventually(t, func() bool {
			var pruned bool
			sb.with(func(s *spyOutbox) { pruned = len(s.prunes) > 0 && s.claims > 0 })
			return pruned && recv.calls() > 0
		}, "%s caught up and pruned", owner)
		stop()
	}
	assert.Equal(t, once(notify.Event{Kind: notify.EventStarted, Window: w}.ID()), recv.counts())
}

// A failure the notifier marks permanent (a receiver that answered 410,
// say) drops the event at its first attempt: no retry can mend it.
func TestRelay_PermanentFailureDroppedAtOnce(t *testing.T) {
	mock := newMock(now)
	store, box := memstore.NewWindowStore(), memstore.NewOutbox()
	w := add(t, maintenance.New(store, &maintenance.Options{Clock: mock}), window(now, now.Add(time.Hour)))
	recv := newReceiver(mock)
	recv.fail = notify.Permanent(errors.New("410 Gone"))
	sb := spy(box, mock)
	stats := &notify.RelayStats{}
	opts := &notify.RelayOptions{Owner: "a", RetryMin: time.Second, RetryMax: 4 * time.Second, MaxAttempts: 5, Poll: time.Second, Stats: stats}
	startRelay(t, maintenance.New(store, &maintenance.Options{Clock: mock}), sb, recv, opts)

	startedID := ids(notify.Event{Kind: notify.EventStarted, Window: w})[0]
	stepUntil(t, mock, 500*time.Millisecond, func() bool {
		dropped := false
		sb.with(func(s *spyOutbox) { dropped = slices.Contains(s.drops, startedID) })
		return dropped
	}, "the event dropped")
	sb.with(func(s *spyOutbox) { assert.Empty(t, s.retries, "a permanent failure was retried") })
	stepUntil(t, mock, time.Second, func() bool {
		n := 0
		sb.with(func(s *spyOutbox) { n = s.claims })
		return n >= 5
	}, "the delivery loop polls on")
	assert.Equal(t, 1, recv.calls(), "delivered again after a permanent failure")
	st := stats.Stats()
	assert.Equal(t, uint64(1), st.Dropped)
	assert.Equal(t, uint64(0), st.Retried)
}
