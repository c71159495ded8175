package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3" // the SQLite driver

	"github.com/sysmaint/sysmaint/adapters/internal/sqlcore"
	"github.com/sysmaint/sysmaint/notify"
)

// Defaults of [Options].
const (
	// DefaultBusyTimeout is how long a statement waits for a lock held by
	// another connection or process.
	DefaultBusyTimeout = 5 * time.Second
	// DefaultFileCheckInterval is how long a read may go without looking
	// whether the file at the path is still the one opened.
	DefaultFileCheckInterval = time.Second
	// DefaultConnMaxLifetime is how long a pooled connection is used
	// before it is closed and replaced.
	DefaultConnMaxLifetime = 5 * time.Minute
	// DefaultConnMaxIdleTime is how long a pooled connection may sit idle
	// before it is closed.
	DefaultConnMaxIdleTime = time.Minute
)

// Options configures [Open]. A nil *Options, and every zero field, means
// the default.
type Options struct {
	// BusyTimeout is how long a statement waits for a lock held by another
	// connection or process before it fails with "database is locked".
	// Default: DefaultBusyTimeout (5 seconds).
	BusyTimeout time.Duration
	// MaxOpenConns limits the connections open to the file at once.
	// Default: no limit, as database/sql.
	MaxOpenConns int
	// ConnMaxLifetime is how long a connection is used before the pool
	// closes it and opens a new one: a bound on how long a connection the
	// eviction missed can live (see "Faults" in the package
	// documentation). Default: DefaultConnMaxLifetime (5 minutes); a
	// negative value means no limit. database/sql measures it by the
	// real clock.
	ConnMaxLifetime time.Duration
	// ConnMaxIdleTime is how long a connection may sit idle in the pool
	// before it is closed. Default: DefaultConnMaxIdleTime (1 minute); a
	// negative value means no limit. database/sql measures it by the real
	// clock.
	ConnMaxIdleTime time.Duration
	// FileCheckInterval is how long a read may go without looking whether
	// the file at the path is still the one Open opened; writes and new
	// connections look every time. Default: DefaultFileCheckInterval
	// (1 second).
	FileCheckInterval time.Duration
	// Clock is the source of time of the file checks and of the times in
	// [Health]. Default: the real clock. Tests pass a *clock.Mock.
	Clock clock.Clock
}

// DB is an open SQLite file holding the sysmaint tables. It hands out the
// stores that live in it. A DB is safe for concurrent use; close it with
// [DB.Close] when done.
type DB struct {
	db      *sqlx.DB
	st      *state
	windows *WindowStore
	closed  atomic.Bool
}

// Open opens (creating it if need be) the SQLite file at path in WAL mode
// with foreign keys on, and brings its schema up to date: the embedded
// migrations not yet recorded in the file are applied, in order, each in a
// transaction of its own, under a lock on the file path+".lock" (see
// "Schema" in the package documentation). Opening a file again, from this
// process or another, applies nothing twice; a file migrated by a newer
// build gives an error wrapping [ErrSchemaNewer]. ctx bounds the opening
// and the migrations only.
//
// path is a plain file path, not a "file:" URI (Open builds the URI and
// escapes the path); ":memory:" is refused, because every pooled
// connection would get a database of its own. A relative path is made
// absolute first. Open remembers which file it opened: the DB refuses to
// go on in a file that is no longer at the path (see [ErrFileGone]), and
// later connections never create the file.
func Open(ctx context.Context, path string, opts *Options) (*DB, error) {
	return open(ctx, path, opts, nil)
}

// open is Open; hook, when set, rewrites the data source name of every new
// connection (for tests).
func open(ctx context.Context, path string, opts *Options, hook func(string) string) (*DB, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("sqlstore: open %q: want the path of a file", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open %q: %w", path, err)
	}
	path = abs
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = DefaultBusyTimeout
	}
	if o.ConnMaxLifetime == 0 {
		o.ConnMaxLifetime = DefaultConnMaxLifetime
	}
	if o.ConnMaxIdleTime == 0 {
		o.ConnMaxIdleTime = DefaultConnMaxIdleTime
	}
	if o.FileCheckInterval <= 0 {
		o.FileCheckInterval = DefaultFileCheckInterval
	}
	if o.Clock == nil {
		o.Clock = clock.New()
	}
	st := &state{clock: o.Clock, file: newFileGuard(path, o.Clock, o.FileCheckInterval)}
	base := dsn(path, o.BusyTimeout)
	sdb := sqlx.NewDb(sql.OpenDB(&connector{
		drv: &sqlite3.SQLiteDriver{}, create: base, existing: base + "&mode=rw", hook: hook, st: st,
	}), "sqlite3")
	if o.MaxOpenConns > 0 {
		sdb.SetMaxOpenConns(o.MaxOpenConns)
	}
	sdb.SetConnMaxLifetime(max(o.ConnMaxLifetime, 0)) // database/sql: 0 is no limit
	sdb.SetConnMaxIdleTime(max(o.ConnMaxIdleTime, 0))
	unlock, err := lockForOpen(ctx, path)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("sqlstore: open %s: %w", path, err), sdb.Close())
	}
	defer unlock()
	if err := sdb.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("sqlstore: open %s: %w", path, err), sdb.Close())
	}
	if err := st.file.remember(); err != nil {
		return nil, errors.Join(fmt.Errorf("sqlstore: open %s: %w", path, err), sdb.Close())
	}
	if err := migrate(ctx, sdb); err != nil {
		return nil, errors.Join(fmt.Errorf("sqlstore: open %s: %w", path, err), sdb.Close())
	}
	d := &DB{db: sdb, st: st}
	d.windows = &WindowStore{w: sqlcore.NewWindows(sdb, "sqlstore", nil), check: d.Check}
	return d, nil
}

// dsn returns the go-sqlite3 data source name for the file at path. Write
// transactions begin IMMEDIATE, taking the write lock at once, so two
// writers queue on the busy timeout instead of failing on a lock upgrade.
func dsn(path string, busy time.Duration) string {
	// In a URI filename '?' and '#' end the path and '%' escapes.
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + esc + "?_busy_timeout=" + strconv.FormatInt(busy.Milliseconds(), 10) +
		"&_journal_mode=WAL&_foreign_keys=on&_txlock=immediate"
}

// Close closes the file. The stores of d fail with an error afterwards.
// Closing twice is harmless.
func (d *DB) Close() error {
	d.closed.Store(true)
	if err := d.db.Close(); err != nil {
		return fmt.Errorf("sqlstore: close: %w", err)
	}
	return nil
}

// Windows returns the store of maintenance windows kept in d.
func (d *DB) Windows() *WindowStore { return d.windows }

// Outbox returns the outbox of events kept in d (the table
// sysmaint_events), for [notify.Relay] in every process that shares the
// file. It holds no state of its own: every call returns an equivalent
// outbox over the same table.
func (d *DB) Outbox() notify.Outbox {
	return sqlcore.NewOutbox(d.db, "sqlstore", nil, sqlcore.SQLite)
}

// SQL returns the underlying connection pool, for hosts that keep tables
// of their own in the same file. Closing it closes d.
func (d *DB) SQL() *sqlx.DB { return d.db }
