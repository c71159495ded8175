package pgstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sysmaint/sysmaint/adapters/internal/clockctx"
)

// Timings of the listener behind [WindowStore.WatchChanges].
const (
	// listenBackoffMin and listenBackoffMax bound the wait before the
	// listener reconnects after a failure: it doubles from the minimum,
	// with jitter, and starts again from the minimum once listening.
	listenBackoffMin = 100 * time.Millisecond
	listenBackoffMax = 10 * time.Second
	// listenPing is how long the listener waits for a notification before
	// it checks that the connection is alive: a server that vanished
	// without closing the connection is noticed within about this long.
	listenPing = 30 * time.Second
)

// Channel returns the notification channel on which the trigger of
// sysmaint_windows announces every change in d's schema; the payload is the
// new revision.
func (d *DB) Channel() string { return "sysmaint_windows:" + d.schema }

// WatchChanges implements [maintenance.ChangeNotifier] with PostgreSQL's
// LISTEN on [DB.Channel], over a connection of its own outside the pool. It
// calls report(nil) once listening starts, then after every change to a
// window committed by any instance; when the connection fails it calls
// report with the error, reconnects after a backoff (100 ms doubling up to
// 10 s, with jitter, by the clock of [Options.Clock]) and, listening
// again, calls report(nil), so the caller compares revisions and misses no
// change made meanwhile. Every 30 seconds without a notification it checks
// the connection with a round trip. It returns nil when ctx is done.
func (s *WindowStore) WatchChanges(ctx context.Context, report func(error)) error {
	backoff := listenBackoffMin
	for {
		listening, err := s.listen(ctx, report)
		if ctx.Err() != nil {
			return nil
		}
		report(fmt.Errorf("pgstore: listen on %s: %w", s.db.Channel(), err))
		if listening {
			backoff = listenBackoffMin
		}
		// Up to a fifth less than the backoff, so that instances cut off
		// together do not reconnect in step.
		wait := backoff - time.Duration(rand.Int64N(int64(backoff)/5+1))
		t := s.db.clock.Timer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		backoff = min(2*backoff, listenBackoffMax)
	}
}

// listen connects, listens and reports until the connection fails or ctx
// is done. listening says whether LISTEN had succeeded.
func (s *WindowStore) listen(ctx context.Context, report func(error)) (listening bool, err error) {
	conn, err := pgx.ConnectConfig(ctx, s.db.cfg)
	if err != nil {
		return false, err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if _, err := conn.Exec(ctx, "LISTEN "+quote(s.db.Channel())); err != nil {
		return false, err
	}
	// Changes made before LISTEN took effect were not announced to this
	// connection: the caller compares revisions now.
	report(nil)
	for {
		wctx, cancel := clockctx.WithTimeout(s.db.clock, ctx, listenPing)
		_, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			report(nil)
		case ctx.Err() != nil:
			return true, ctx.Err()
		case errors.Is(err, context.DeadlineExceeded):
			// Quiet for a while: is the server still there?
			if _, err := conn.Exec(ctx, "SELECT 1"); err != nil {
				return true, err
			}
		default:
			return true, err
		}
	}
}
