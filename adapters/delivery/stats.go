package delivery

import (
	"sync"
	"sync/atomic"
	"time"
)

// Stats counts what a sender or a [Queue] did since it was made. Read it
// with their Stats method; a metrics collector turns it into counters.
type Stats struct {
	// Sent counts the events delivered.
	Sent int64
	// Failed counts the events given up on: for a sender, the Notify
	// calls that returned an error (a caller that retries, such as
	// notify.Relay, calls again, and a second failure counts again); for
	// a Queue, the events its Notifier failed to deliver.
	Failed int64
	// Retried counts the attempts that failed and were tried again within
	// one Notify call (senders only; a Queue does not retry).
	Retried int64
	// Dropped counts the events a Queue refused because it was full or
	// stopped, or that were waiting or in flight when it stopped (a Queue
	// only; a sender never drops).
	Dropped int64
	// LastError is the last failure of any kind (a failed attempt, a
	// failed or dropped event, a mail recipient refused), nil before the
	// first.
	LastError error
	// LastErrorAt is when LastError happened, on the sender's clock; zero
	// before the first failure.
	LastErrorAt time.Time
}

// Counters keeps the [Stats] of a sender. Its zero value is ready to use;
// it is safe for concurrent use and must not be copied after first use.
// Senders written by a host can use it for Stats of the same shape.
type Counters struct {
	sent, failed, retried, dropped atomic.Int64

	mu      sync.Mutex
	lastErr error
	lastAt  time.Time
}

// AddSent counts one event delivered.
func (c *Counters) AddSent() { c.sent.Add(1) }

// AddFailed counts one event given up on, because of err at at.
func (c *Counters) AddFailed(err error, at time.Time) {
	c.failed.Add(1)
	c.note(err, at)
}

// AddRetried counts one attempt that failed with err at at and will be
// tried again.
func (c *Counters) AddRetried(err error, at time.Time) {
	c.retried.Add(1)
	c.note(err, at)
}

// AddDropped counts n events dropped, because of err at at.
func (c *Counters) AddDropped(n int64, err error, at time.Time) {
	c.dropped.Add(n)
	c.note(err, at)
}

// AddError records err, at at, as the last error without counting an
// event: a part of a delivery that failed while the event was delivered,
// such as one recipient a mail server refused.
func (c *Counters) AddError(err error, at time.Time) { c.note(err, at) }

func (c *Counters) note(err error, at time.Time) {
	if err == nil {
		return
	}
	c.mu.Lock()
	c.lastErr, c.lastAt = err, at
	c.mu.Unlock()
}

// Stats returns the counts so far.
func (c *Counters) Stats() Stats {
	c.mu.Lock()
	lastErr, lastAt := c.lastErr, c.lastAt
	c.mu.Unlock()
	return Stats{
		Sent: c.sent.Load(), Failed: c.failed.Load(), Retried: c.retried.Load(), Dropped: c.dropped.Load(),
		LastError: lastErr, LastErrorAt: lastAt,
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
