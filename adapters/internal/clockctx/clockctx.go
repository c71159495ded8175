// Package clockctx gives the adapters a context with a timeout on an
// injected clock that is safe under the race detector with
// github.com/benbjohnson/clock's mock, whose contexts read their error
// without the lock that guards its write (a data race when the mock's time
// passes the deadline while another goroutine asks Err). notify keeps a
// copy of its own (a domain package imports no adapter).
package clockctx

import (
	"context"
	"time"

	"github.com/benbjohnson/clock"
)

// WithTimeout is clk.WithTimeout(parent, d) with an Err that reads the
// error only once Done is closed: the close follows the write, so the read
// cannot race it.
func WithTimeout(clk clock.Clock, parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := clk.WithTimeout(parent, d)
	return doneFirst{ctx}, cancel
}

// doneFirst is a context whose Err waits for nothing and reads nothing
// before Done is closed.
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
