// Package send holds the retry discipline the senders share: attempts
// bounded in number and time, exponential backoff with jitter on the
// injected clock, Retry-After honoured up to a bound, and the sorting of
// failures into permanent and temporary ones (see notify.ErrPermanent).
// Post applies it to an HTTP POST.
package send

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/delivery"
	"github.com/sysmaint/sysmaint/adapters/internal/clockctx"
	"github.com/sysmaint/sysmaint/notify"
)

// Policy is how a sender tries: set every field (Resolve fills the zero
// ones with defaults).
type Policy struct {
	// Name prefixes errors and log messages ("webhook").
	Name string
	// Clock times the attempts and the waits between them.
	Clock clock.Clock
	// Logger receives the failed attempts that are tried again.
	Logger *slog.Logger
	// Timeout bounds one attempt.
	Timeout time.Duration
	// MaxAttempts bounds the attempts of one Do.
	MaxAttempts int
	// RetryMin and RetryMax bound the backoff: the n-th wait is
	// min(RetryMin·2^(n-1), RetryMax), less a random part of up to half of
	// it, and at least RetryMin.
	RetryMin, RetryMax time.Duration
	// MaxRetryAfter is the longest wait a receiver may ask for (an HTTP
	// Retry-After); one that asks for longer ends Do with the failure.
	MaxRetryAfter time.Duration
	// Counters counts what Do does.
	Counters *delivery.Counters
	// OnWait, when set (by tests), is called with the length of each wait
	// between attempts, once its timer is set on Clock.
	OnWait func(time.Duration)
}

// Limits are the tunable fields of a Policy as a sender's Options hold
// them, and their defaults.
type Limits struct {
	Timeout, RetryMin, RetryMax, MaxRetryAfter time.Duration
	MaxAttempts                                int
}

// MaxAttemptsLimit is the most attempts a Policy may make.
const MaxAttemptsLimit = 100

// Resolve returns the Policy of l, its zero fields taken from def, or an
// error naming the first bad field as "<prefix>Field" ("webhook:
// Options.Timeout is negative").
func Resolve(prefix string, l, def Limits) (Limits, error) {
	durations := []struct {
		name string
		d    *time.Duration
		def  time.Duration
	}{
		{"Timeout", &l.Timeout, def.Timeout},
		{"RetryMin", &l.RetryMin, def.RetryMin},
		{"RetryMax", &l.RetryMax, def.RetryMax},
		{"MaxRetryAfter", &l.MaxRetryAfter, def.MaxRetryAfter},
	}
	for _, f := range durations {
		switch {
		case *f.d < 0:
			return l, fmt.Errorf("%s%s is negative (%v)", prefix, f.name, *f.d)
		case *f.d == 0:
			*f.d = f.def
		}
	}
	switch {
	case l.MaxAttempts < 0:
		return l, fmt.Errorf("%sMaxAttempts is negative (%d)", prefix, l.MaxAttempts)
	case l.MaxAttempts > MaxAttemptsLimit:
		return l, fmt.Errorf("%sMaxAttempts (%d) exceeds %d", prefix, l.MaxAttempts, MaxAttemptsLimit)
	case l.MaxAttempts == 0:
		l.MaxAttempts = def.MaxAttempts
	}
	if l.RetryMin > l.RetryMax {
		return l, fmt.Errorf("%sRetryMin (%v) exceeds RetryMax (%v)", prefix, l.RetryMin, l.RetryMax)
	}
	return l, nil
}

// Apply sets p's tunable fields from l.
func (p *Policy) Apply(l Limits) {
	p.Timeout, p.RetryMin, p.RetryMax, p.MaxRetryAfter, p.MaxAttempts =
		l.Timeout, l.RetryMin, l.RetryMax, l.MaxRetryAfter, l.MaxAttempts
}

// retryAfterError is a temporary failure whose receiver asked to be tried
// again after a while.
type retryAfterError struct {
	err   error
	after time.Duration
}

func (e *retryAfterError) Error() string { return e.err.Error() }
func (e *retryAfterError) Unwrap() error { return e.err }

// RetryAfter returns err, a temporary failure, with the wait the receiver
// asked for before the next attempt. A wait of zero or less is ignored.
func RetryAfter(err error, after time.Duration) error {
	if after <= 0 {
		return err
	}
	return &retryAfterError{err: err, after: after}
}

// Do calls attempt, each time with a context that ends after p.Timeout,
// until it returns nil, a permanent failure (errors.Is(err,
// notify.ErrPermanent)), or p.MaxAttempts failures, or until ctx is done.
// Between attempts it waits the backoff, or what the receiver asked for
// (see RetryAfter) when that is no more than p.MaxRetryAfter; it gives up
// rather than start a wait that ends after ctx's deadline. It counts the
// outcome in p.Counters (a failed attempt retried, or given up with its
// event) and returns nil or the last failure, prefixed with p.Name and the
// event's ID, keeping its permanent mark.
func (p *Policy) Do(ctx context.Context, e notify.Event, attempt func(ctx context.Context) error) error {
	event := e.ID()
	var err error
	n := 0
	for {
		n++
		actx, cancel := clockctx.WithTimeout(p.Clock, ctx, p.Timeout)
		err = attempt(doneOnly{actx})
		timedOut := actx.Err() != nil && ctx.Err() == nil
		cancel()
		if err == nil {
			p.Counters.AddDelivered(e.Late)
			return nil
		}
		if ctx.Err() != nil {
			err = fmt.Errorf("%s: event %s: %w (attempt %d cut short: %w)", p.Name, event, ctx.Err(), n, err)
			break
		}
		if timedOut {
			err = fmt.Errorf("attempt timed out after %v: %w", p.Timeout, err)
		}
		if errors.Is(err, notify.ErrPermanent) {
			err = fmt.Errorf("%s: event %s: %w (attempt %d of %d, permanent: not tried again)", p.Name, event, err, n, p.MaxAttempts)
			break
		}
		if n >= p.MaxAttempts {
			err = fmt.Errorf("%s: event %s: %w (attempt %d of %d)", p.Name, event, err, n, p.MaxAttempts)
			break
		}
		wait := p.backoff(n)
		var ra *retryAfterError
		if errors.As(err, &ra) {
			if ra.after > p.MaxRetryAfter {
				err = fmt.Errorf("%s: event %s: %w (attempt %d of %d; asked to wait %v, more than %v)",
					p.Name, event, err, n, p.MaxAttempts, ra.after, p.MaxRetryAfter)
				break
			}
			wait = ra.after
		}
		if dl, ok := ctx.Deadline(); ok && p.Clock.Now().Add(wait).After(dl) {
			err = fmt.Errorf("%s: event %s: %w (attempt %d of %d; no time left to wait %v for another)",
				p.Name, event, err, n, p.MaxAttempts, wait)
			break
		}
		p.Counters.AddRetried(err, p.Clock.Now())
		p.Logger.WarnContext(ctx, p.Name+": attempt failed, trying again", "event", event,
			"attempt", n, "max_attempts", p.MaxAttempts, "retry_in", wait, "err", err)
		if !p.sleep(ctx, wait) {
			err = fmt.Errorf("%s: event %s: %w (waiting after attempt %d: %w)", p.Name, event, ctx.Err(), n, err)
			break
		}
	}
	p.Counters.AddGivenUp(err, p.Clock.Now())
	return err
}

// doneOnly is a context that ends by its Done channel alone: it hides
// the deadline of an attempt, set on the Policy's clock, from the
// standard library (net.Dialer, tls), which would read it on the real
// clock: a test's mock clock would cut or stretch the attempt.
type doneOnly struct{ context.Context }

func (doneOnly) Deadline() (time.Time, bool) { return time.Time{}, false }

// sleep waits d on the clock; false when ctx ended first.
func (p *Policy) sleep(ctx context.Context, d time.Duration) bool {
	t := p.Clock.Timer(d)
	defer t.Stop()
	if p.OnWait != nil {
		p.OnWait(d)
	}
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// backoff returns the wait after the n-th failure (n >= 1).
func (p *Policy) backoff(n int) time.Duration {
	d := p.RetryMin
	for i := 1; i < n && d < p.RetryMax; i++ {
		d *= 2
	}
	d = min(d, p.RetryMax)
	if half := int64(d / 2); half > 0 {
		d -= time.Duration(mrand.Int64N(half + 1))
	}
	return max(d, p.RetryMin)
}
