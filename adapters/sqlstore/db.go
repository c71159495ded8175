package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// DefaultBusyTimeout is how long a statement waits for a lock held by
// another connection or process, unless [Options.BusyTimeout] says
// otherwise.
const DefaultBusyTimeout = 5 * time.Second

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
}

// DB is an open SQLite file holding the sysmaint tables. It hands out the
// stores that live in it. A DB is safe for concurrent use; close it with
// [DB.Close] when done.
type DB struct {
	db      *sqlx.DB
	windows *WindowStore
}

// Open opens (creating it if need be) the SQLite file at path in WAL mode
// with foreign keys on, and brings its schema up to date: the embedded
// migrations not yet recorded in the file are applied, in order, each in a
// transaction of its own. Opening a file again, from this process or
// another, applies nothing twice. ctx bounds the opening and the
// migrations only.
//
// path is a plain file path, not a "file:" URI (Open builds the URI and
// escapes the path); ":memory:" is refused, because every pooled
// connection would get a database of its own.
func Open(ctx context.Context, path string, opts *Options) (*DB, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("sqlstore: open %q: want the path of a file", path)
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = DefaultBusyTimeout
	}
	sdb, err := sqlx.Open("sqlite3", dsn(path, o.BusyTimeout))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open %s: %w", path, err)
	}
	if o.MaxOpenConns > 0 {
		sdb.SetMaxOpenConns(o.MaxOpenConns)
	}
	if err := sdb.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("sqlstore: open %s: %w", path, err), sdb.Close())
	}
	if err := migrate(ctx, sdb, migrationFS); err != nil {
		return nil, errors.Join(fmt.Errorf("sqlstore: open %s: %w", path, err), sdb.Close())
	}
	return &DB{db: sdb, windows: newWindowStore(sdb)}, nil
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
	if err := d.db.Close(); err != nil {
		return fmt.Errorf("sqlstore: close: %w", err)
	}
	return nil
}

// Windows returns the store of maintenance windows kept in d.
func (d *DB) Windows() *WindowStore { return d.windows }

// SQL returns the underlying connection pool, for hosts that keep tables
// of their own in the same file. Closing it closes d.
func (d *DB) SQL() *sqlx.DB { return d.db }
