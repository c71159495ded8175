package memstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/sysmaint/sysmaint/notify"
)

// Outbox is a [notify.Outbox] that keeps events in memory: for a host with
// one instance, and for tests. The zero value is not ready: use NewOutbox.
// An Outbox is safe for concurrent use.
type Outbox struct {
	mu     sync.Mutex
	events map[string]*outboxEntry
}

// outboxEntry is a stored event and its delivery state.
type outboxEntry struct {
	p          notify.Pending
	due        time.Time
	owner      string
	leaseUntil time.Time
	delivered  bool
	dropped    bool
}

// NewOutbox returns an empty Outbox.
func NewOutbox() *Outbox { return &Outbox{events: map[string]*outboxEntry{}} }

var _ notify.Outbox = (*Outbox)(nil)

// ms returns t in UTC, truncated to the millisecond, as the Outbox keeps
// instants.
func ms(t time.Time) time.Time { return time.UnixMilli(t.UnixMilli()).UTC() }

// Record implements notify.Outbox.
func (o *Outbox) Record(ctx context.Context, e notify.Event, at time.Time) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if !e.Kind.Known() {
		return false, fmt.Errorf("memstore: record event %q: unknown kind %v", e.ID(), e.Kind)
	}
	id := e.ID()
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.events[id]; ok {
		return false, nil
	}
	e.At, e.Late = ms(e.At), false
	e.Window = e.Window.Normalize()
	e.Window.Recurrence.Exceptions = slices.Clone(e.Window.Recurrence.Exceptions) // the caller's slice stays the caller's
	at = ms(at)
	o.events[id] = &outboxEntry{p: notify.Pending{Event: e, RecordedAt: at}, due: at}
	return true, nil
}

// Claim implements notify.Outbox.
func (o *Outbox) Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, max int) ([]notify.Pending, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch {
	case owner == "":
		return nil, errors.New("memstore: claim events: empty owner")
	case lease <= 0:
		return nil, fmt.Errorf("memstore: claim events: lease %v is not positive", lease)
	case max < 1:
		return nil, fmt.Errorf("memstore: claim events: max %d is below 1", max)
	}
	now = ms(now)
	until := ms(now.Add(lease))
	o.mu.Lock()
	defer o.mu.Unlock()
	var due []*outboxEntry
	for _, en := range o.events {
		if !en.delivered && !en.dropped && !en.due.After(now) && !en.leaseUntil.After(now) {
			due = append(due, en)
		}
	}
	slices.SortFunc(due, func(a, b *outboxEntry) int { return notify.CompareEvents(a.p.Event, b.p.Event) })
	out := make([]notify.Pending, 0, min(len(due), max))
	for _, en := range due[:min(len(due), max)] {
		en.owner, en.leaseUntil = owner, until
		p := en.p
		p.Window.Recurrence.Exceptions = slices.Clone(p.Window.Recurrence.Exceptions)
		out = append(out, p)
	}
	return out, nil
}

// held returns the event id if owner holds it, else an error wrapping
// notify.ErrLeaseLost. o.mu is held.
func (o *Outbox) held(op, id, owner string) (*outboxEntry, error) {
	if owner == "" {
		return nil, fmt.Errorf("memstore: %s event %q: empty owner", op, id)
	}
	en, ok := o.events[id]
	if !ok || en.owner != owner || en.delivered || en.dropped {
		return nil, fmt.Errorf("memstore: %s event %q: not held by %q: %w", op, id, owner, notify.ErrLeaseLost)
	}
	return en, nil
}

// Ack implements notify.Outbox.
func (o *Outbox) Ack(ctx context.Context, id, owner string, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	en, err := o.held("ack", id, owner)
	if err != nil {
		return err
	}
	en.delivered, en.leaseUntil = true, time.Time{}
	return nil
}

// Retry implements notify.Outbox.
func (o *Outbox) Retry(ctx context.Context, id, owner string, next time.Time, reason string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	en, err := o.held("retry", id, owner)
	if err != nil {
		return err
	}
	en.owner, en.leaseUntil = "", time.Time{}
	en.p.Attempts++
	en.p.LastError = reason
	en.due = ms(next)
	return nil
}

// Drop implements notify.Outbox.
func (o *Outbox) Drop(ctx context.Context, id, owner string, at time.Time, reason string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	en, err := o.held("drop", id, owner)
	if err != nil {
		return err
	}
	en.dropped, en.leaseUntil = true, time.Time{}
	en.p.Attempts++
	en.p.LastError = reason
	return nil
}

// Prune implements notify.Outbox.
func (o *Outbox) Prune(ctx context.Context, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	before = ms(before)
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for id, en := range o.events {
		if (en.delivered || en.dropped) && en.p.RecordedAt.Before(before) && en.p.Window.Stop.Before(before) {
			delete(o.events, id)
			n++
		}
	}
	return n, nil
}
