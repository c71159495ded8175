package sqlstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/benbjohnson/clock"
)

// Errors of a DB whose file is no longer at its path, checked with
// errors.Is. The error returned wraps one of them and names the path.
var (
	// ErrFileGone means nothing is at the path the DB was opened at any
	// more: the file was deleted, or moved away. Every statement is
	// refused, because a write would go to a file that nobody opens again
	// and be lost. The DB works again by itself if the same file comes
	// back to the path (moved back); otherwise close it and open the path
	// anew, which creates an empty database if nothing is there.
	ErrFileGone = errors.New("sqlstore: database file gone")
	// ErrFileReplaced means another file is at the path the DB was opened
	// at: the file was deleted or moved away and something else put in its
	// place (a restored backup, a copy, a new empty database). Every
	// statement is refused from then on, even if the first file comes
	// back: the DB's connections may have seen both files. Close the DB
	// and open the path anew.
	ErrFileReplaced = errors.New("sqlstore: database file replaced")
)

// fileGuard checks that the file at path is the one the DB opened: the
// same device and inode (os.SameFile), so that statements do not go on in
// a file that was deleted, moved away or replaced.
type fileGuard struct {
	path     string
	clock    clock.Clock
	interval time.Duration

	id      atomic.Pointer[fs.FileInfo] // the file opened; nil before remember
	okUntil atomic.Int64                // clock nanoseconds before which a read needs no look; 0 after a failed check

	mu        sync.Mutex // serializes looks
	err       error      // outcome of the last look; guarded by mu
	checkedAt time.Time  // guarded by mu
	replaced  bool       // final; guarded by mu
}

func newFileGuard(path string, c clock.Clock, interval time.Duration) *fileGuard {
	return &fileGuard{path: path, clock: c, interval: interval}
}

// remember records the identity of the file now at the path: the one the
// DB opened.
func (g *fileGuard) remember() error {
	fi, err := os.Stat(g.path)
	if err != nil {
		return fmt.Errorf("sqlstore: %w", err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.clock.Now()
	g.id.Store(&fi)
	g.checkedAt = now
	g.okUntil.Store(now.Add(g.interval).UnixNano())
	return nil
}

// opened reports whether remember has run: the file exists, and new
// connections must open it, never create it.
func (g *fileGuard) opened() bool { return g.id.Load() != nil }

// check returns nil when the file at the path is the one the DB opened.
// With force unset (a read) it looks at most once per interval while the
// last look found the file in place; with force set (a write, a new
// connection, [DB.Check]) it looks now. A look is one os.Stat.
//
// A missing file gives an error wrapping ErrFileGone, until a look finds
// the same file back; another file gives one wrapping ErrFileReplaced, for
// good. Any other error of os.Stat (the directory unreadable, an I/O
// error) is returned as it is, and the next check looks again.
func (g *fileGuard) check(force bool) error {
	id := g.id.Load()
	if id == nil {
		return nil // Open has not recorded the file yet
	}
	if !force && g.clock.Now().UnixNano() < g.okUntil.Load() {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.replaced {
		return g.err
	}
	now := g.clock.Now()
	fi, err := os.Stat(g.path)
	switch {
	case err == nil && os.SameFile(*id, fi):
		g.err = nil
	case err == nil:
		g.err, g.replaced = fmt.Errorf("%w: %s is another file than the one opened", ErrFileReplaced, g.path), true
	case errors.Is(err, fs.ErrNotExist):
		g.err = fmt.Errorf("%w: %s was deleted or moved away", ErrFileGone, g.path)
	default:
		g.err = fmt.Errorf("sqlstore: check database file: %w", err)
	}
	g.checkedAt = now
	if g.err == nil {
		g.okUntil.Store(now.Add(g.interval).UnixNano())
	} else {
		g.okUntil.Store(0)
	}
	return g.err
}

// last returns the time and the outcome of the last look.
func (g *fileGuard) last() (time.Time, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.checkedAt, g.err
}
