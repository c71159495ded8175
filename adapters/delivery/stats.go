package delivery

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/sysmaint/sysmaint/notify"
)

// Counters keeps the [notify.DeliveryStats] of a sender or a [Queue], the
// reading package prom's collector takes from every deliverer. Its zero
// value is ready to use; it is safe for concurrent use and must not be
// copied after first use. Senders written by a host can use it too.
//
// The counts follow notify.DeliveryStats: Delivered counts the events
// handed over, Failed the attempts that failed, each of them either
// Retried (another attempt followed) or the last one made for an event,
// which is then Dropped (given up) with the events given up without an
// attempt (a full Queue's).
type Counters struct {
	delivered, failed, retried, dropped, late atomic.Uint64

	mu      sync.Mutex
	lastErr error
	lastAt  time.Time
}

// AddDelivered counts an event handed over, and whether it came late
// (notify.Event.Late).
func (c *Counters) AddDelivered(late bool) {
	c.delivered.Add(1)
	if late {
		c.late.Add(1)
	}
}

// AddRetried counts an attempt that failed with err at at and is followed
// by another.
func (c *Counters) AddRetried(err error, at time.Time) {
	c.failed.Add(1)
	c.retried.Add(1)
	c.note(err, at)
}

// AddGivenUp counts an attempt that failed with err at at, after which its
// event is given up.
func (c *Counters) AddGivenUp(err error, at time.Time) {
	c.failed.Add(1)
	c.dropped.Add(1)
	c.note(err, at)
}

// AddDropped counts n events given up without an attempt, because of err
// at at.
func (c *Counters) AddDropped(n uint64, err error, at time.Time) {
	c.dropped.Add(n)
	c.note(err, at)
}

// AddError records err, at at, as the last error without counting
// anything: a part of a delivery that failed while the event was
// delivered, such as one recipient a mail server refused.
func (c *Counters) AddError(err error, at time.Time) { c.note(err, at) }

func (c *Counters) note(err error, at time.Time) {
	if err == nil {
		return
	}
	c.mu.Lock()
	c.lastErr, c.lastAt = err, at
	c.mu.Unlock()
}

// Stats returns the counts so far and the last error.
func (c *Counters) Stats() notify.DeliveryStats {
	c.mu.Lock()
	lastErr, lastAt := c.lastErr, c.lastAt
	c.mu.Unlock()
	return notify.DeliveryStats{
		Delivered: c.delivered.Load(), Failed: c.failed.Load(), Retried: c.retried.Load(),
		Dropped: c.dropped.Load(), Late: c.late.Load(), LastErr: lastErr, LastErrAt: lastAt,
	}
}

// The defaults of the HTTP senders' retry options (webhook.Options,
// chat.Options): each attempt may take DefaultTimeout; a Notify makes at
// most DefaultMaxAttempts, waiting between them from DefaultRetryMin,
// doubling, up to DefaultRetryMax, or what the receiver asks for in a
// Retry-After up to DefaultMaxRetryAfter. Together they fit within
// notify.Relay's default delivery timeout of 30 seconds.
const (
	DefaultTimeout       = 5 * time.Second
	DefaultMaxAttempts   = 3
	DefaultRetryMin      = 500 * time.Millisecond
	DefaultRetryMax      = 5 * time.Second
	DefaultMaxRetryAfter = 10 * time.Second
)
