package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/benbjohnson/clock"
)

// Health is the state of a DB's file and writes, from [DB.Health].
type Health struct {
	// WriteErr is the error of the last write that failed for a reason of
	// the store: the file read-only, gone or replaced, the disk full, an
	// I/O error, a lock held past the busy timeout. It is nil when no
	// write has failed since Open, or when a write, or the probe of
	// [DB.Check], succeeded since. A write refused for its own sake (a
	// constraint, a stale version, a done context) does not count.
	WriteErr error
	// WriteFailedAt is when WriteErr happened; zero when WriteErr is nil.
	WriteFailedAt time.Time
	// WroteAt is when a write last succeeded; zero if none has since Open.
	WroteAt time.Time
	// FileErr is the outcome of the last look at the file, nil when it
	// found the file the DB opened at its path. Otherwise it wraps
	// [ErrFileGone] or [ErrFileReplaced], or is the error of the look.
	FileErr error
	// FileCheckedAt is when the file was last looked at.
	FileCheckedAt time.Time
	// Evicted counts the connections the pool discarded since Open because
	// an error left their state suspect, or because they were open when an
	// error, or the recovery from one, made every open connection suspect.
	Evicted int64
}

// Err returns why the DB is not healthy: FileErr, else WriteErr, else nil.
func (h Health) Err() error {
	if h.FileErr != nil {
		return h.FileErr
	}
	return h.WriteErr
}

// state is what the connections of a DB share: the file guard and the
// health they report to.
type state struct {
	clock   clock.Clock
	file    *fileGuard
	evicted atomic.Int64
	gen     atomic.Uint64 // bumped when every open connection becomes suspect (see conn)

	mu            sync.Mutex
	writeErr      error     // guarded by mu
	writeFailedAt time.Time // guarded by mu
	wroteAt       time.Time // guarded by mu
}

// wrote records a successful write. The first after a failed one makes
// the connections opened before it suspect: they may date from the fault.
func (s *state) wrote() {
	now := s.clock.Now()
	s.mu.Lock()
	recovered := s.writeErr != nil
	s.writeErr, s.writeFailedAt, s.wroteAt = nil, time.Time{}, now
	s.mu.Unlock()
	if recovered {
		s.gen.Add(1)
	}
}

// writeFailed records a write that failed for a reason of the store.
func (s *state) writeFailed(err error) {
	now := s.clock.Now()
	s.mu.Lock()
	s.writeErr, s.writeFailedAt = err, now
	s.mu.Unlock()
}

func (s *state) lastWriteErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writeErr
}

// Health returns what the DB's statements and checks found last: whether
// the last write failed, and whether the last look at the file found it in
// place. It does no I/O; [DB.Check] looks now.
func (d *DB) Health() Health {
	d.st.mu.Lock()
	h := Health{WriteErr: d.st.writeErr, WriteFailedAt: d.st.writeFailedAt, WroteAt: d.st.wroteAt}
	d.st.mu.Unlock()
	h.FileCheckedAt, h.FileErr = d.st.file.last()
	h.Evicted = d.st.evicted.Load()
	return h
}

// probeQuery writes a row to itself. Run inside a transaction that is
// rolled back, it proves that the connection can write the file, without
// changing anything even if the rollback failed.
const probeQuery = `UPDATE sysmaint_windows_revision SET revision = revision WHERE id = 1`

// Check looks at the DB now and returns nil when it can take writes: the
// file at the path is the one Open opened (an os.Stat), and, if the last
// write failed, a probe write succeeds (a transaction that takes the write
// lock, updates a row to its own value and is rolled back, so nothing
// changes). A succeeding probe clears [Health.WriteErr]; a failing one
// discards the connection it ran on when its error says so, so that
// repeated checks drain the pool of connections the fault left behind.
// Otherwise the error says what is wrong, and is recorded in Health.
//
// Check is what a health endpoint calls, and what [maintenance.Manager.Run]
// calls through [WindowStore.Check] after a write failed, to learn that
// writes heal. When the last write succeeded it costs one os.Stat; the
// probe waits for the write lock up to the busy timeout, or until ctx is
// done.
func (d *DB) Check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sqlstore: check: %w", err)
	}
	if d.closed.Load() {
		return errors.New("sqlstore: check: database closed")
	}
	if err := d.st.file.check(true); err != nil {
		return err
	}
	if d.st.lastWriteErr() == nil {
		return nil
	}
	tx, err := d.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: check writes: %w", err)
	}
	_, err = tx.ExecContext(ctx, probeQuery)
	if rerr := tx.Rollback(); err == nil {
		err = rerr
	}
	if err != nil {
		return fmt.Errorf("sqlstore: check writes: %w", err)
	}
	d.st.wrote()
	return nil
}
