package notify

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/maintenance"
)

// The defaults of [RelayOptions].
const (
	DefaultLease       = time.Minute
	DefaultTimeout     = 30 * time.Second
	DefaultPoll        = 2 * time.Second
	DefaultRetryMin    = time.Second
	DefaultRetryMax    = 5 * time.Minute
	DefaultMaxAttempts = 10
	DefaultLateAfter   = time.Minute
	DefaultCatchUp     = 24 * time.Hour
	DefaultRetention   = 30 * 24 * time.Hour
)

// MaxOwnerLen is the longest [RelayOptions.Owner], in bytes.
const MaxOwnerLen = 200

// pruneEvery is how often Relay prunes its outbox: at its start, then
// every hour.
const pruneEvery = time.Hour

// relayBatch is the most events one claim of Relay takes.
const relayBatch = 16

// RelayOptions configures [Relay]. A nil *RelayOptions, and every zero
// field, means the default; a negative duration or count is refused.
type RelayOptions struct {
	// Owner names this instance in the outbox's leases; it must be unique
	// among the instances sharing the outbox, and at most MaxOwnerLen
	// bytes. Default: the host name, the process ID and a random suffix.
	Owner string
	// Lease is how long a claimed event belongs to this instance; when it
	// runs out before the event is acknowledged, another instance may
	// claim it. Default: DefaultLease (1 minute).
	Lease time.Duration
	// Timeout bounds one delivery: the context passed to Notify ends after
	// it. It must be shorter than Lease, so that a delivery ends before
	// its lease. Default: DefaultTimeout (30 seconds).
	Timeout time.Duration
	// Poll is how often the delivery loop looks for due events besides
	// those this instance records: retries, events of an instance that
	// died, events recorded by others. Default: DefaultPoll (2 seconds).
	Poll time.Duration
	// RetryMin and RetryMax bound the wait before the next attempt of a
	// failed delivery, and before a failed store operation is tried
	// again: the n-th wait is min(RetryMin·2^(n-1), RetryMax), less a
	// random part of up to half of it, and at least RetryMin. RetryMin
	// must not exceed RetryMax. Defaults: DefaultRetryMin (1 second),
	// DefaultRetryMax (5 minutes).
	RetryMin, RetryMax time.Duration
	// MaxAttempts is how many deliveries of an event may fail before it is
	// dropped; a failure marked permanent ([Permanent], [ErrPermanent])
	// drops it at once. Default: DefaultMaxAttempts (10).
	MaxAttempts int
	// LateAfter is how long after its At an event may be delivered before
	// it is marked Late. Default: DefaultLateAfter (1 minute).
	LateAfter time.Duration
	// CatchUp is how far back Relay looks, at its start, for windows that
	// ended while no instance was running. Default: DefaultCatchUp (24
	// hours).
	CatchUp time.Duration
	// Retention is how long delivered and dropped events are kept (past
	// their window's Stop) before they are pruned. It must exceed CatchUp,
	// so that a caught-up event is always found recorded. Default:
	// DefaultRetention (30 days).
	Retention time.Duration
	// Logger receives failures and recoveries. Default: slog.Default().
	Logger *slog.Logger
	// Stats, when set, counts this instance's deliveries: delivered, failed,
	// retried, dropped, late, and the last error (see [RelayStats]).
	// Default: nil, nothing is counted.
	Stats *RelayStats
}

// resolve returns o with the defaults filled in, or an error naming the
// first bad field.
func (opts *RelayOptions) resolve() (RelayOptions, error) {
	var o RelayOptions
	if opts != nil {
		o = *opts
	}
	durations := []struct {
		name string
		d    *time.Duration
		def  time.Duration
	}{
		{"Lease", &o.Lease, DefaultLease},
		{"Timeout", &o.Timeout, DefaultTimeout},
		{"Poll", &o.Poll, DefaultPoll},
		{"RetryMin", &o.RetryMin, DefaultRetryMin},
		{"RetryMax", &o.RetryMax, DefaultRetryMax},
		{"LateAfter", &o.LateAfter, DefaultLateAfter},
		{"CatchUp", &o.CatchUp, DefaultCatchUp},
		{"Retention", &o.Retention, DefaultRetention},
	}
	for _, f := range durations {
		switch {
		case *f.d < 0:
			return o, fmt.Errorf("notify: RelayOptions.%s is negative (%v)", f.name, *f.d)
		case *f.d == 0:
			*f.d = f.def
		}
	}
	switch {
	case o.MaxAttempts < 0:
		return o, fmt.Errorf("notify: RelayOptions.MaxAttempts is negative (%d)", o.MaxAttempts)
	case o.MaxAttempts == 0:
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.Timeout >= o.Lease {
		return o, fmt.Errorf("notify: RelayOptions.Timeout (%v) must be shorter than Lease (%v)", o.Timeout, o.Lease)
	}
	if o.RetryMin > o.RetryMax {
		return o, fmt.Errorf("notify: RelayOptions.RetryMin (%v) exceeds RetryMax (%v)", o.RetryMin, o.RetryMax)
	}
	if o.Retention <= o.CatchUp {
		return o, fmt.Errorf("notify: RelayOptions.Retention (%v) must exceed CatchUp (%v)", o.Retention, o.CatchUp)
	}
	if len(o.Owner) > MaxOwnerLen {
		return o, fmt.Errorf("notify: RelayOptions.Owner is %d bytes long, more than %d", len(o.Owner), MaxOwnerLen)
	}
	if o.Owner == "" {
		o.Owner = defaultOwner()
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o, nil
}

// defaultOwner returns the host name, the process ID and a random suffix.
func defaultOwner() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "host"
	}
	if len(host) > 100 {
		host = host[:100]
	}
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), strings.ToLower(rand.Text()[:8]))
}

// Relay delivers the events of m's schedule to n, each once across every
// instance that runs Relay over the same outbox box: run it on every
// instance, in a goroutine of its own, beside m's [maintenance.Manager.Run]
// (which makes the instances see each other's changes).
//
// It first makes sure m's schedule is loaded from the store (calling
// [maintenance.Manager.Refresh], retried with backoff, unless m's Health
// says it is), so that it starts from the store's state. Then it does
// three things at once:
//
//   - It watches the schedule exactly as [Watch] does and records every
//     event in box, where its [Event.ID] makes the copies of all instances
//     one. A failed Record is logged and tried again with backoff until it
//     succeeds: events are delayed, never lost.
//   - At its start it catches up, recording "started" for every window
//     active then, "reminder" for the upcoming one, and "started" and
//     "ended" for the windows that ended within RelayOptions.CatchUp. The
//     IDs make these no-ops when the events are recorded already, so an
//     instance (re)started during a window makes sure its start is
//     delivered, once.
//   - A delivery loop, started once the catch-up is recorded, claims the
//     events due, oldest first, each under a lease of RelayOptions.Lease
//     (a batch of them at a time; a delivery starts only while the lease
//     leaves room for it), hands them to n.Notify one at a time, each
//     with a context ending after RelayOptions.Timeout and with Late set
//     when it comes more than RelayOptions.LateAfter after its At, and
//     acknowledges each delivered.
//     A failed delivery is retried after a backoff, and dropped after
//     RelayOptions.MaxAttempts failures. The loop looks again as soon as
//     its own watcher recorded an event, and every RelayOptions.Poll (for
//     retries, events recorded by others, and the events of an instance
//     that died, once their lease ran out). It prunes the outbox of
//     events delivered or dropped more than RelayOptions.Retention ago at
//     its start and every hour.
//
// The package documentation (# Delivery) states what this guarantees.
// All timing is on m's clock, so tests drive Relay with a *clock.Mock.
//
// Relay returns nil when ctx is done, once every goroutine it started has
// ended, or at once an error naming a bad option. The failures of box and
// n are logged to RelayOptions.Logger and retried; they never stop Relay.
// It panics if m, box or n is nil.
func Relay(ctx context.Context, m *maintenance.Manager, box Outbox, n Notifier, opts *RelayOptions) error {
	if m == nil || box == nil || n == nil {
		panic("notify: Relay called with a nil Manager, Outbox or Notifier")
	}
	o, err := opts.resolve()
	if err != nil {
		return err
	}
	r := &relay{m: m, clk: m.Clock(), box: box, n: n, o: o, log: o.Logger.With("owner", o.Owner),
		wake: make(chan struct{}, 1)}
	if !r.load(ctx) {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	// The delivery loop starts once the watcher took its first look and
	// caught up, so that its first claim finds the caught-up events.
	first := func(s *maintenance.Schedule, t time.Time) error {
		if err := r.catchUp(ctx, s, t); err != nil {
			return err
		}
		wg.Go(func() { r.deliverLoop(ctx) })
		return nil
	}
	if err := watchLoop(ctx, m, first, func(e Event) error { return r.record(ctx, e) }, nil); err != nil {
		r.log.Error("notify: relay: watcher stopped", "err", err) // record gives up only when ctx is done
	}
	return nil
}

// relay is the state of one Relay.
type relay struct {
	m    *maintenance.Manager
	clk  clock.Clock
	box  Outbox
	n    Notifier
	o    RelayOptions
	log  *slog.Logger
	wake chan struct{} // signaled when the watcher recorded a new event

	claimFailing bool // whether the last claim failed; used by the delivery loop only
}

// sleep waits d on the clock; false when ctx ended first.
func (r *relay) sleep(ctx context.Context, d time.Duration) bool {
	t := r.clk.Timer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// backoff returns the wait before the attempt after the n-th failure
// (n >= 1): min(RetryMin·2^(n-1), RetryMax), less a random part of up to
// half of it, and at least RetryMin.
func (r *relay) backoff(n int) time.Duration {
	d := r.o.RetryMin
	for i := 1; i < n && d < r.o.RetryMax; i++ {
		d *= 2
	}
	d = min(d, r.o.RetryMax)
	if half := int64(d / 2); half > 0 {
		d -= time.Duration(mrand.Int64N(half + 1))
	}
	return max(d, r.o.RetryMin)
}

// load makes sure m's schedule was loaded from the store; false when ctx
// ended first.
func (r *relay) load(ctx context.Context) bool {
	for n := 1; !r.m.Health().Loaded; n++ {
		if err := r.m.Refresh(ctx); err == nil { // Refresh logs its failures
			break
		}
		if !r.sleep(ctx, r.backoff(n)) {
			return false
		}
	}
	return ctx.Err() == nil
}

// record records e, trying again with backoff until it succeeds or ctx is
// done, and wakes the delivery loop when e is new.
func (r *relay) record(ctx context.Context, e Event) error {
	for n := 1; ; n++ {
		isNew, err := r.box.Record(ctx, e, r.clk.Now())
		if err == nil {
			if n > 1 {
				r.log.Info("notify: relay: recorded after failures", "event", e.ID(), "attempts", n)
			}
			if isNew {
				select {
				case r.wake <- struct{}{}:
				default:
				}
			}
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r.log.Error("notify: relay: record event, trying again", "event", e.ID(), "err", err)
		if !r.sleep(ctx, r.backoff(n)) {
			return ctx.Err()
		}
	}
}

// catchUp records the events that the schedule s says must exist at t
// (see Relay).
func (r *relay) catchUp(ctx context.Context, s *maintenance.Schedule, t time.Time) error {
	for _, e := range catchUpEvents(s, t, r.o.CatchUp) {
		if err := r.record(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// catchUpEvents returns, in order, the events that must exist for schedule
// s at t: started for the windows active at t, a reminder for the upcoming
// one, started and ended for the windows that ended in (t-catchUp, t].
func catchUpEvents(s *maintenance.Schedule, t time.Time, catchUp time.Duration) []Event {
	st := s.At(t)
	var events []Event
	for _, w := range st.ActiveWindows() {
		events = append(events, Event{Kind: EventStarted, Window: w, At: w.Start})
	}
	if up, ok := st.Upcoming(); ok {
		lead := s.Lead()
		if up.Lead > 0 {
			lead = up.Lead
		}
		events = append(events, Event{Kind: EventReminder, Window: up, At: up.Start.Add(-lead)})
	}
	from := t.Add(-catchUp)
	for _, w := range s.Windows() {
		if w.Stop.After(from) && !w.Stop.After(t) {
			events = append(events,
				Event{Kind: EventStarted, Window: w, At: w.Start},
				Event{Kind: EventEnded, Window: w, At: w.Stop})
		}
	}
	slices.SortFunc(events, CompareEvents)
	return events
}

// deliverLoop delivers the due events until ctx is done: at once, when the
// watcher recorded one, and every Poll. It prunes at its start and every
// pruneEvery.
func (r *relay) deliverLoop(ctx context.Context) {
	var nextPrune time.Time
	for ctx.Err() == nil {
		r.deliverDue(ctx)
		if now := r.clk.Now(); !now.Before(nextPrune) && ctx.Err() == nil {
			r.prune(ctx, now)
			nextPrune = now.Add(pruneEvery)
		}
		t := r.clk.Timer(r.o.Poll)
		select {
		case <-ctx.Done():
		case <-r.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// deliverDue claims and delivers due events until none is left, a claim
// fails, or ctx is done.
func (r *relay) deliverDue(ctx context.Context) {
	for ctx.Err() == nil {
		now := r.clk.Now()
		batch, err := r.box.Claim(ctx, r.o.Owner, now, r.o.Lease, relayBatch)
		if err != nil {
			if ctx.Err() == nil && !r.claimFailing {
				r.log.Error("notify: relay: claim events, trying again every Poll", "err", err)
			}
			r.claimFailing = ctx.Err() == nil
			return
		}
		if r.claimFailing {
			r.log.Info("notify: relay: claiming events again")
			r.claimFailing = false
		}
		leaseEnd := now.Add(r.o.Lease)
		for _, p := range batch {
			if ctx.Err() != nil {
				return // the rest is delivered by another instance once the lease ends
			}
			if r.clk.Now().Add(r.o.Timeout + (r.o.Lease-r.o.Timeout)/2).After(leaseEnd) {
				// Too little lease left for one more delivery and its
				// acknowledgement: leave the rest to a later claim, once
				// the lease ends, rather than deliver it under a lease
				// that may run out.
				break
			}
			r.deliver(ctx, p)
		}
		if len(batch) < relayBatch {
			return
		}
	}
}

// deliver hands p to the Notifier and settles it in the outbox.
func (r *relay) deliver(ctx context.Context, p Pending) {
	e := p.Event
	id := e.ID()
	e.Late = r.clk.Since(e.At) > r.o.LateAfter
	dctx, cancel := withTimeout(r.clk, ctx, r.o.Timeout)
	err := r.n.Notify(dctx, e)
	cancel()
	if err == nil {
		r.o.Stats.noteDelivered(e.Late)
		r.ack(ctx, id)
		return
	}
	if ctx.Err() != nil {
		// Stopping: the attempt was cut short rather than failed. The event
		// stays leased and is delivered once the lease runs out.
		return
	}
	reason := cut(err.Error(), MaxReasonLen)
	attempts := p.Attempts + 1
	permanent := errors.Is(err, ErrPermanent)
	r.o.Stats.noteFailed(err, r.clk.Now(), permanent || attempts >= r.o.MaxAttempts)
	if permanent || attempts >= r.o.MaxAttempts {
		msg := "notify: relay: dropping event after failed deliveries"
		if permanent {
			msg = "notify: relay: dropping event the receiver refused for good"
		}
		r.log.Error(msg, "event", id, "attempts", attempts, "err", err)
		if err := r.box.Drop(ctx, id, r.o.Owner, r.clk.Now(), reason); err != nil {
			r.log.Error("notify: relay: drop event", "event", id, "err", err)
		}
		return
	}
	wait := r.backoff(attempts)
	r.log.Warn("notify: relay: delivery failed, will retry", "event", id, "attempts", attempts, "retry_in", wait, "err", err)
	if err := r.box.Retry(ctx, id, r.o.Owner, r.clk.Now().Add(wait), reason); err != nil {
		r.log.Error("notify: relay: release event for retry", "event", id, "err", err)
	}
}

// ack acknowledges the delivery of id, trying again with backoff until it
// succeeds, the lease is lost, or ctx is done; when ctx is done it still
// tries once (bounded by Timeout), so that an instance that stops does not
// leave a delivered event to be delivered again.
func (r *relay) ack(ctx context.Context, id string) {
	for n := 1; ; n++ {
		actx, cancel := withTimeout(r.clk, context.WithoutCancel(ctx), r.o.Timeout)
		err := r.box.Ack(actx, id, r.o.Owner, r.clk.Now())
		cancel()
		switch {
		case err == nil:
			if n > 1 {
				r.log.Info("notify: relay: acknowledged after failures", "event", id, "attempts", n)
			}
			return
		case errors.Is(err, ErrLeaseLost):
			r.log.Warn("notify: relay: delivered, but the lease was lost: another instance may deliver it again",
				"event", id, "err", err)
			return
		}
		r.log.Error("notify: relay: acknowledge delivery", "event", id, "err", err)
		if ctx.Err() != nil || !r.sleep(ctx, r.backoff(n)) {
			return
		}
	}
}

// prune removes the events delivered or dropped more than Retention ago.
func (r *relay) prune(ctx context.Context, now time.Time) {
	n, err := r.box.Prune(ctx, now.Add(-r.o.Retention))
	switch {
	case err != nil && ctx.Err() == nil:
		r.log.Error("notify: relay: prune events", "err", err)
	case n > 0:
		r.log.Info("notify: relay: pruned events", "events", n)
	}
}

// cut returns s cut to at most n bytes, at a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// withTimeout is clk.WithTimeout(parent, d) with an Err that reads the
// error only once Done is closed. The contexts of
// github.com/benbjohnson/clock's mock read their error without the lock
// that guards its write, a data race when the mock's time passes the
// deadline while another goroutine asks Err; the close of Done follows the
// write, so this read cannot race it. (adapters/internal/clockctx holds
// the same for the adapters: a domain package imports no adapter.)
func withTimeout(clk clock.Clock, parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := clk.WithTimeout(parent, d)
	return doneFirst{ctx}, cancel
}

// doneFirst is a context whose Err reads nothing before Done is closed.
type doneFirst struct{ context.Context }

// Err returns nil while Done is open, the context's error once it is
// closed.
func (c doneFirst) Err() error {
	select {
	case <-c.Done():
		return c.Context.Err()
	default:
		return nil
	}
}
