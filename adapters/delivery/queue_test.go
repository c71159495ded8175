package delivery_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/sysmaint/sysmaint/adapters/delivery"
	"github.com/sysmaint/sysmaint/adapters/internal/sendtest"
	"github.com/sysmaint/sysmaint/notify"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// events returns n events of distinct IDs.
func events(n int) []notify.Event {
	es := make([]notify.Event, n)
	for i := range es {
		es[i] = sendtest.Event(notify.EventStarted)
		es[i].Window.ID = int64(i + 1)
	}
	return es
}

// gate is a Notifier that records the events and holds each delivery
// until it is let through (or its context ends), telling on arrived when
// one arrives.
type gate struct {
	arrived chan notify.Event
	pass    chan error // each value lets one delivery through with that result
	mu      sync.Mutex
	got     []string
}

func newGate() *gate {
	return &gate{arrived: make(chan notify.Event, 100), pass: make(chan error)}
}

func (g *gate) Notify(ctx context.Context, e notify.Event) error {
	g.arrived <- e
	select {
	case err := <-g.pass:
		g.mu.Lock()
		g.got = append(g.got, e.ID())
		g.mu.Unlock()
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (g *gate) ids() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.got...)
}

// logBuffer is a slog.Logger writing text to a buffer safe for
// concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(l, nil)) }

// start runs q until the test ends, and returns the function that stops
// it and waits for Run to return.
func start(t *testing.T, q *delivery.Queue) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			require.NoError(t, <-done)
		})
	}
	t.Cleanup(stop)
	return stop
}

func TestQueue_DeliversInOrder(t *testing.T) {
	g := newGate()
	q, err := delivery.NewQueue(g, &delivery.QueueOptions{Clock: sendtest.Clock()})
	require.NoError(t, err)
	es := events(5)
	for _, e := range es[:3] {
		require.NoError(t, q.Notify(context.Background(), e)) // before Run: they wait for it
	}
	start(t, q)
	for _, e := range es[3:] {
		require.NoError(t, q.Notify(context.Background(), e))
	}
	for range es {
		<-g.arrived
		g.pass <- nil
	}
	require.NoError(t, q.Flush(context.Background()))
	want := make([]string, len(es))
	for i, e := range es {
		want[i] = e.ID()
	}
	assert.Equal(t, want, g.ids())
	st := q.Stats()
	assert.Equal(t, uint64(5), st.Delivered)
	assert.Zero(t, st.Failed+st.Dropped+st.Retried+st.Late)
	assert.Zero(t, st.Len)
	assert.Equal(t, 1000, st.Cap)
}

// Notify never blocks, however slow the receiver: a full queue drops,
// counts and logs (once per run of drops, once more when it takes events
// again).
func TestQueue_FullDropsWithoutBlocking(t *testing.T) {
	g := newGate()
	var log logBuffer
	mock := sendtest.Clock()
	q, err := delivery.NewQueue(g, &delivery.QueueOptions{Size: 2, Clock: mock, Logger: log.logger()})
	require.NoError(t, err)
	start(t, q)
	es := events(12)
	require.NoError(t, q.Notify(context.Background(), es[0]))
	<-g.arrived // in flight, held
	for _, e := range es[1:11] {
		require.NoError(t, q.Notify(context.Background(), e)) // returns at once: the test would hang otherwise
	}
	st := q.Stats()
	assert.Equal(t, uint64(8), st.Dropped)
	assert.Zero(t, st.Failed, "dropped without an attempt")
	assert.Equal(t, 2, st.Len)
	assert.Equal(t, 2, st.MaxLen)
	require.ErrorIs(t, st.LastErr, delivery.ErrQueueFull)
	assert.Equal(t, sendtest.Now, st.LastErrAt)
	assert.Equal(t, 1, strings.Count(log.String(), "dropping events"), log.String())

	g.pass <- nil // the held one
	<-g.arrived   // the first queued
	g.pass <- nil
	<-g.arrived // the second
	g.pass <- nil
	require.NoError(t, q.Flush(context.Background()))
	require.NoError(t, q.Notify(context.Background(), es[11]))
	<-g.arrived
	g.pass <- nil
	require.NoError(t, q.Flush(context.Background()))
	assert.Contains(t, log.String(), "taking events again")
	assert.Contains(t, log.String(), "dropped=8")
	st = q.Stats()
	assert.Equal(t, uint64(4), st.Delivered)
	assert.Equal(t, uint64(12), st.Delivered+st.Dropped)
	assert.Equal(t, []string{es[0].ID(), es[1].ID(), es[2].ID(), es[11].ID()}, g.ids())
}

func TestQueue_FailuresCountedNotRetried(t *testing.T) {
	var log logBuffer
	var calls int
	failing := notify.NotifierFunc(func(context.Context, notify.Event) error {
		calls++
		return errors.New("webhook: answered 500")
	})
	q, err := delivery.NewQueue(failing, &delivery.QueueOptions{Clock: sendtest.Clock(), Logger: log.logger()})
	require.NoError(t, err)
	start(t, q)
	for _, e := range events(3) {
		require.NoError(t, q.Notify(context.Background(), e))
	}
	require.NoError(t, q.Flush(context.Background()))
	st := q.Stats()
	assert.Equal(t, uint64(3), st.Failed)
	assert.Equal(t, uint64(3), st.Dropped, "given up after their one attempt")
	assert.Equal(t, 3, calls, "the queue does not retry")
	assert.EqualError(t, st.LastErr, "webhook: answered 500")
	assert.Equal(t, 3, strings.Count(log.String(), "event not delivered"))
}

// A delivery that outlasts QueueOptions.Timeout is cut short and counted
// failed.
func TestQueue_Timeout(t *testing.T) {
	g := newGate()
	mock := sendtest.Clock()
	q, err := delivery.NewQueue(g, &delivery.QueueOptions{Clock: mock, Timeout: time.Minute, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	start(t, q)
	require.NoError(t, q.Notify(context.Background(), events(1)[0]))
	<-g.arrived
	mock.Add(time.Minute)
	require.NoError(t, q.Flush(context.Background()))
	st := q.Stats()
	assert.Equal(t, uint64(1), st.Failed)
	assert.ErrorIs(t, st.LastErr, context.DeadlineExceeded)
}

// When Run ends, the events waiting and the one in flight are dropped and
// counted, so are those handed over until Run is called again; then the
// queue takes events again.
func TestQueue_Stop(t *testing.T) {
	g := newGate()
	var log logBuffer
	q, err := delivery.NewQueue(g, &delivery.QueueOptions{Clock: sendtest.Clock(), Logger: log.logger()})
	require.NoError(t, err)
	stop := start(t, q)
	es := events(5)
	for _, e := range es[:4] {
		require.NoError(t, q.Notify(context.Background(), e))
	}
	<-g.arrived
	stop()
	st := q.Stats()
	assert.Equal(t, uint64(4), st.Dropped, "one in flight, three waiting")
	assert.Zero(t, st.Len)
	assert.Contains(t, log.String(), "stopped with events waiting")
	require.NoError(t, q.Flush(context.Background()), "every event taken is settled")

	require.NoError(t, q.Notify(context.Background(), es[4]))
	st = q.Stats()
	assert.Equal(t, uint64(5), st.Dropped)
	assert.ErrorIs(t, st.LastErr, delivery.ErrQueueStopped)

	assert.False(t, q.Stats().Running)
	start(t, q)
	require.Eventually(t, func() bool { return q.Stats().Running }, 5*time.Second, time.Millisecond)
	require.NoError(t, q.Notify(context.Background(), es[0]))
	<-g.arrived
	g.pass <- nil
	require.NoError(t, q.Flush(context.Background()))
	assert.Equal(t, uint64(1), q.Stats().Delivered)
}

func TestQueue_RunTwice(t *testing.T) {
	g := newGate()
	q, err := delivery.NewQueue(g, &delivery.QueueOptions{Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	stop := start(t, q)
	require.NoError(t, q.Notify(context.Background(), events(1)[0]))
	<-g.arrived // the first Run runs
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // were the second Run to run, it would return nil at once
	assert.ErrorContains(t, q.Run(ctx), "runs already")
	stop()
}

func TestQueue_FlushHonoursContext(t *testing.T) {
	q, err := delivery.NewQueue(newGate(), nil)
	require.NoError(t, err)
	require.NoError(t, q.Notify(context.Background(), events(1)[0])) // waits for a Run that never comes
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, q.Flush(ctx), context.Canceled)
}

func TestNewQueue_BadOptions(t *testing.T) {
	tests := []struct {
		opts delivery.QueueOptions
		want string
	}{
		{delivery.QueueOptions{Size: -1}, "QueueOptions.Size is negative"},
		{delivery.QueueOptions{Size: delivery.MaxQueueSize + 1}, fmt.Sprintf("exceeds %d", delivery.MaxQueueSize)},
		{delivery.QueueOptions{Timeout: -time.Second}, "QueueOptions.Timeout is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			q, err := delivery.NewQueue(newGate(), &tt.opts)
			require.Error(t, err)
			assert.Nil(t, q)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "delivery: "))
		})
	}
	assert.PanicsWithValue(t, "delivery: NewQueue called with a nil Notifier", func() { _, _ = delivery.NewQueue(nil, nil) })
}
