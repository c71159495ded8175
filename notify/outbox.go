package notify

import (
	"cmp"
	"context"
	"errors"
	"time"
)

// ErrLeaseLost is wrapped by the error of [Outbox.Ack], [Outbox.Retry] and
// [Outbox.Drop] when the owner does not hold the event: another owner
// claimed it after the lease ran out, it was acknowledged, retried or
// dropped already, or the owner never claimed it (or no such event is
// stored).
var ErrLeaseLost = errors.New("notify: lease lost")

// Outbox is the store capability behind [Relay]: the events of a schedule,
// kept where every instance relaying that schedule sees them, each recorded
// once by its [Event.ID] and handed to one instance at a time under a
// lease, until it is acknowledged as delivered or dropped.
//
// Every method takes a context first and, when the context is done before
// the work is, returns an error satisfying errors.Is(err, ctx.Err()) and
// changes nothing. The instants are the caller's ("now" is always passed
// in: an Outbox reads no clock) and are kept in UTC at millisecond
// precision. Events cross the boundary as values. An empty owner is
// refused with an error by every method that takes one. An Outbox is safe
// for concurrent use, by many processes when it lives in a shared
// database.
//
// The conformance suite in package notify/notifytest checks each sentence
// of this contract.
type Outbox interface {
	// Record stores e under e.ID(), recorded at at and due at once, unless
	// an event with that ID is stored (delivered or not, until Prune
	// removes it): then nothing changes. It reports whether it stored e.
	// e.At and the instants of e.Window are kept at millisecond precision
	// in UTC, e.Window.Lead at millisecond precision; e.Late is not kept.
	// An event whose Kind is none of the six is refused with an error, and
	// nothing is stored.
	Record(ctx context.Context, e Event, at time.Time) (bool, error)

	// Claim leases to owner, until now+lease, up to max events that are
	// due (due at or before now), neither delivered nor dropped, and not
	// leased (or whose lease ended at or before now), and returns them in
	// the order of [CompareEvents]. None gives an empty slice, never nil.
	// Concurrent claims, by this process or by others, get disjoint
	// events. A lease of zero or less, or a max below 1, is refused with
	// an error.
	Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, max int) ([]Pending, error)

	// Ack marks the event id delivered at at, provided owner holds it: it
	// claimed it, and since then no one else claimed it and no one
	// acknowledged, retried or dropped it. (A lease that ran out while no
	// one else claimed the event is still owner's.) Otherwise Ack returns
	// an error wrapping ErrLeaseLost and changes nothing. A delivered event
	// is never claimed again.
	Ack(ctx context.Context, id, owner string, at time.Time) error

	// Retry releases the event id, provided owner holds it (as for Ack;
	// else an error wrapping ErrLeaseLost, and nothing changes): it counts
	// one more attempt, keeps reason as the event's LastError and makes
	// the event due again at next, for any owner.
	Retry(ctx context.Context, id, owner string, next time.Time, reason string) error

	// Drop gives up the event id, provided owner holds it (as for Ack;
	// else an error wrapping ErrLeaseLost, and nothing changes): it counts
	// one more attempt, keeps reason and marks the event dropped at at. A
	// dropped event is never claimed again; it is kept, for the record,
	// until Prune removes it.
	Drop(ctx context.Context, id, owner string, at time.Time, reason string) error

	// Prune removes the events, delivered or dropped, that were recorded
	// before before and whose window stopped before before, and returns
	// how many it removed. Events neither delivered nor dropped are never
	// removed, however old. (The window's Stop keeps the events of a long
	// window as long as [Relay] may catch them up again: a removed ID can
	// be recorded anew.)
	Prune(ctx context.Context, before time.Time) (int, error)
}

// Pending is an event as [Outbox.Claim] hands it out.
type Pending struct {
	// Event is the event as recorded, with Late false.
	Event
	// Attempts counts the failed deliveries so far: the calls of
	// [Outbox.Retry] for this event.
	Attempts int
	// RecordedAt is when the event was recorded.
	RecordedAt time.Time
	// LastError is the reason of the last [Outbox.Retry], empty before the
	// first.
	LastError string
}

// MaxReasonLen is the most bytes of a failure's reason that [Relay] passes
// to [Outbox.Retry] and [Outbox.Drop]; longer reasons are cut.
const MaxReasonLen = 1000

// Known reports whether k is one of the six kinds of event.
func (k EventKind) Known() bool { return k >= EventEnded && k <= EventWithdrawn }

// CompareEvents orders events as [Watch] reports them and as an [Outbox]
// hands them out: by At, then (for events of one instant) by kind in the
// order scheduled, changed, withdrawn, ended, started, reminder, then by
// window ID, then by [Event.ID]. It returns -1, 0 or +1, for
// [slices.SortFunc].
func CompareEvents(a, b Event) int {
	return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Kind.rank(), b.Kind.rank()),
		cmp.Compare(a.Window.ID, b.Window.ID), cmp.Compare(a.ID(), b.ID()))
}
