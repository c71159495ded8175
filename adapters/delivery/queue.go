package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/internal/clockctx"
	"github.com/sysmaint/sysmaint/notify"
)

// The defaults of [QueueOptions].
const (
	DefaultQueueSize    = 1000
	DefaultQueueTimeout = time.Minute
)

// MaxQueueSize is the largest [QueueOptions.Size].
const MaxQueueSize = 1 << 20

// ErrQueueFull is the error a [Queue] records (as its LastErr) for an
// event it drops because it is full.
var ErrQueueFull = errors.New("delivery: queue full")

// ErrQueueStopped is the error, or is wrapped by the error, a [Queue]
// records for the events it drops because its Run ended: those waiting
// then, the one in flight, and those handed to it afterwards.
var ErrQueueStopped = errors.New("delivery: queue stopped")

// QueueOptions configures a [Queue]. A nil *QueueOptions, and every zero
// field, means the default; a negative value is refused.
type QueueOptions struct {
	// Size is how many events may wait; an event that finds the queue full
	// is dropped. At most MaxQueueSize. Default: DefaultQueueSize (1000).
	Size int
	// Timeout bounds one delivery: the context passed to the Notifier ends
	// after it. Default: DefaultQueueTimeout (1 minute).
	Timeout time.Duration
	// Clock times the deliveries and the failures. Default: the real
	// clock.
	Clock clock.Clock
	// Logger receives failed and dropped events. Default: slog.Default().
	Logger *slog.Logger
}

func (opts *QueueOptions) resolve() (QueueOptions, error) {
	var o QueueOptions
	if opts != nil {
		o = *opts
	}
	switch {
	case o.Size < 0:
		return o, fmt.Errorf("delivery: QueueOptions.Size is negative (%d)", o.Size)
	case o.Size > MaxQueueSize:
		return o, fmt.Errorf("delivery: QueueOptions.Size (%d) exceeds %d", o.Size, MaxQueueSize)
	case o.Size == 0:
		o.Size = DefaultQueueSize
	}
	switch {
	case o.Timeout < 0:
		return o, fmt.Errorf("delivery: QueueOptions.Timeout is negative (%v)", o.Timeout)
	case o.Timeout == 0:
		o.Timeout = DefaultQueueTimeout
	}
	if o.Clock == nil {
		o.Clock = clock.New()
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o, nil
}

// The states of a Queue.
const (
	queueIdle    = iota // Run not called yet: events wait for it
	queueRunning        // Run is delivering
	queueStopped        // Run returned: events are dropped until Run is called again
)

// Queue is a [notify.Notifier] that hands events to another Notifier
// beside its caller: Notify puts the event in a bounded queue and returns
// at once, and Run, in a goroutine of its own, delivers the events one
// after another, in order. It is for hosts that run [notify.Watch], whose
// Notifier would otherwise hold up the events behind a slow receiver;
// hosts that run [notify.Relay] need no Queue (see the package
// documentation).
//
// An event that finds the queue full is dropped, counted (Dropped) and
// logged: at the first drop of a run of drops, and once more with their
// number when an event is taken again, so a burst costs two lines of log.
// A failed delivery is counted (Failed, and Dropped: the event is given
// up) and logged, never retried by the Queue (the sender retries within
// its Notify). Every event handed to Notify is counted once it is
// settled: Delivered or Dropped.
//
// A Queue is safe for concurrent use.
type Queue struct {
	n      notify.Notifier
	o      QueueOptions
	ch     chan notify.Event
	maxLen atomic.Int64
	c      Counters

	mu       sync.Mutex // guards the fields below, and the hand-over of events at the end of Run
	state    int
	dropping int64         // events dropped since the queue was last found with room
	accepted int64         // events taken into the queue
	settled  int64         // events taken and since delivered, failed or dropped
	change   chan struct{} // closed and replaced when settled grows
}

// NewQueue returns a Queue delivering to n; nothing runs until [Queue.Run]
// is called. It returns an error naming a bad option, and panics if n is
// nil.
func NewQueue(n notify.Notifier, opts *QueueOptions) (*Queue, error) {
	if n == nil {
		panic("delivery: NewQueue called with a nil Notifier")
	}
	o, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	return &Queue{n: n, o: o, ch: make(chan notify.Event, o.Size), change: make(chan struct{})}, nil
}

// Notify puts e in the queue and returns nil at once, whatever becomes of
// e: it never blocks and never fails, so that it never holds up or stops
// [notify.Watch]. It drops e, counting and logging it, when the queue is
// full or its Run has ended. Events handed over before Run starts wait for
// it. ctx is not used: the delivery runs under Run's context.
func (q *Queue) Notify(_ context.Context, e notify.Event) error {
	q.mu.Lock()
	var accepted bool
	if q.state != queueStopped {
		select {
		case q.ch <- e:
			accepted = true
		default:
		}
	}
	stopped := q.state == queueStopped
	dropped, resumed := q.dropping, int64(0)
	switch {
	case accepted:
		q.accepted++
		resumed, q.dropping = q.dropping, 0
	default:
		q.dropping++
	}
	if l := int64(len(q.ch)); accepted && l > q.maxLen.Load() {
		q.maxLen.Store(l)
	}
	q.mu.Unlock()

	if accepted {
		if resumed > 0 {
			q.o.Logger.Warn("delivery: queue: taking events again", "dropped", resumed)
		}
		return nil
	}
	err := ErrQueueFull
	if stopped {
		err = ErrQueueStopped
	}
	q.c.AddDropped(1, err, q.o.Clock.Now())
	if dropped == 0 {
		q.o.Logger.Error("delivery: queue: dropping events", "event", e.ID(), "err", err, "size", q.o.Size)
	}
	return nil
}

// Run delivers the queued events, one at a time in order, each with a
// context that ends after QueueOptions.Timeout, until ctx is done. Then
// it drops (counting and logging them) the events still waiting, and
// those handed to Notify afterwards, until Run is called again; an event
// whose delivery ctx cut short counts as dropped too. Run returns nil when
// ctx is done, or at once an error if another Run is running.
func (q *Queue) Run(ctx context.Context) error {
	q.mu.Lock()
	if q.state == queueRunning {
		q.mu.Unlock()
		return errors.New("delivery: Queue.Run called while it runs already")
	}
	q.state = queueRunning
	q.mu.Unlock()
	for {
		select {
		case <-ctx.Done():
			q.stop(0)
			return nil
		case e := <-q.ch:
			if ctx.Err() != nil { // both were ready: stop, e among the waiting
				q.stop(1)
				return nil
			}
			q.deliver(ctx, e)
		}
	}
}

// deliver hands e to the Notifier and counts the outcome.
func (q *Queue) deliver(ctx context.Context, e notify.Event) {
	defer q.settle(1)
	dctx, cancel := clockctx.WithTimeout(q.o.Clock, ctx, q.o.Timeout)
	err := q.n.Notify(dctx, e)
	cancel()
	switch {
	case err == nil:
		q.c.AddDelivered(e.Late)
	case ctx.Err() != nil:
		err = fmt.Errorf("%w: event %s cut short: %w", ErrQueueStopped, e.ID(), err)
		q.c.AddDropped(1, err, q.o.Clock.Now())
		q.o.Logger.Warn("delivery: queue: stopped during a delivery", "event", e.ID(), "err", err)
	default:
		q.c.AddGivenUp(err, q.o.Clock.Now())
		q.o.Logger.Error("delivery: queue: event not delivered", "event", e.ID(), "err", err)
	}
}

// stop ends a Run: it drops the events still waiting, and taken more
// that Run took from the queue without delivering them.
func (q *Queue) stop(taken int64) {
	q.mu.Lock()
	q.state = queueStopped
	n := taken
	for {
		select {
		case <-q.ch:
			n++
			continue
		default:
		}
		break
	}
	q.mu.Unlock()
	if n > 0 {
		err := fmt.Errorf("%w: %d events waiting dropped", ErrQueueStopped, n)
		q.c.AddDropped(uint64(n), err, q.o.Clock.Now())
		q.settle(n)
		q.o.Logger.Error("delivery: queue: stopped with events waiting", "dropped", n)
	}
}

// settle counts n events taken into the queue as settled (counted as
// sent, failed or dropped) and wakes Flush.
func (q *Queue) settle(n int64) {
	if n == 0 {
		return
	}
	q.mu.Lock()
	q.settled += n
	close(q.change)
	q.change = make(chan struct{})
	q.mu.Unlock()
}

// Flush waits until every event that Notify took into the queue before
// Flush was called is settled: delivered, failed or dropped, and counted.
// It returns nil then, or ctx's error when ctx is done first. A host that
// stops calls it after stopping Watch and before ending Run, with a
// deadline, so that the events waiting are delivered rather than dropped.
// Events wait for Run: Flush does not return while Run is not running and
// events wait.
func (q *Queue) Flush(ctx context.Context) error {
	q.mu.Lock()
	target := q.accepted
	for q.settled < target {
		ch := q.change
		q.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
		q.mu.Lock()
	}
	q.mu.Unlock()
	return nil
}

// QueueStats is what [Queue.Stats] reports: the counts of its deliveries
// and the queue's length.
type QueueStats struct {
	// DeliveryStats counts the events the Queue delivered (Delivered, and
	// Late among them) and gave up (Dropped: refused because the queue was
	// full or stopped, and those whose one attempt failed, counted in
	// Failed too); Retried stays zero, the Queue retries nothing. The last
	// error is of either kind. Pass Stats().DeliveryStats to a metrics
	// collector (prom.DeliverySource).
	notify.DeliveryStats
	// Len is how many events wait now.
	Len int
	// MaxLen is the most events that ever waited at once.
	MaxLen int
	// Cap is how many events may wait (QueueOptions.Size).
	Cap int
	// Running reports whether Run is running: false before it starts
	// (events wait for it) and after it returned (events are dropped).
	Running bool
}

// Stats returns the counts so far and the queue's length. Delivered +
// Dropped + Len, plus the one event being delivered if any, is the number
// of events handed to Notify.
func (q *Queue) Stats() QueueStats {
	q.mu.Lock()
	running := q.state == queueRunning
	q.mu.Unlock()
	return QueueStats{DeliveryStats: q.c.Stats(), Len: len(q.ch), MaxLen: int(q.maxLen.Load()), Cap: q.o.Size, Running: running}
}
