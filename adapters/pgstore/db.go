package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"
	"github.com/pressly/goose/v3"

	"github.com/sysmaint/sysmaint/adapters/internal/sqlcore"
	"github.com/sysmaint/sysmaint/notify"
)

// DefaultSchema is the schema that holds the sysmaint tables unless
// [Options.Schema] says otherwise.
const DefaultSchema = "public"

// DefaultConnMaxLifetime is how long a pooled connection is used before it
// is replaced, unless [Options.ConnMaxLifetime] says otherwise: a bound on
// how long a connection to a server that failed over is kept.
const DefaultConnMaxLifetime = 30 * time.Minute

// ErrSchemaNewer is wrapped by the error [Open] returns for a database whose
// schema a newer build of sysmaint migrated: this build refuses to work on
// it rather than guess what changed.
var ErrSchemaNewer = sqlcore.ErrSchemaNewer

// Options configures [Open]. A nil *Options, and every zero field, means the
// default.
type Options struct {
	// Schema is the PostgreSQL schema that holds the sysmaint tables; Open
	// creates it if it is missing. It must be a plain lower-case
	// identifier: a letter or underscore, then letters, digits or
	// underscores, at most 40 bytes (the notification channel's name
	// holds it, and PostgreSQL limits those to 63 bytes). Every connection
	// of the pool uses it as its search_path. Default: DefaultSchema.
	Schema string
	// MaxOpenConns limits the connections open at once. Default: no limit,
	// as database/sql.
	MaxOpenConns int
	// ConnMaxLifetime is how long a connection is used before it is
	// replaced. Default: DefaultConnMaxLifetime.
	ConnMaxLifetime time.Duration
	// StatementTimeout, when positive, makes the server cancel any
	// statement of the pool that runs longer (PostgreSQL's
	// statement_timeout). Default: the server's setting.
	StatementTimeout time.Duration
	// Clock times the listener's reconnection backoff and connection
	// checks (see [WindowStore.WatchChanges]). Default: the real clock.
	Clock clock.Clock
}

// DB is an open PostgreSQL database holding the sysmaint tables in one
// schema. It hands out the stores that live in it. A DB is safe for
// concurrent use; close it with [DB.Close] when done.
type DB struct {
	db      *sqlx.DB
	cfg     *pgx.ConnConfig // for connections outside the pool (LISTEN)
	schema  string
	clock   clock.Clock
	windows *WindowStore

	migrateMu sync.Mutex  // serializes the migrations of ready
	migrated  atomic.Bool // whether ready succeeded
}

// schemaName is what Options.Schema accepts.
var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,39}$`)

// New returns the DB for the PostgreSQL database named by dsn (a URL such
// as "postgres://user@host:5432/db?sslmode=disable", or a keyword/value
// string; see pgx.ParseConfig). It does no I/O: the first operation of a
// store connects, creates the schema of [Options.Schema] if it is missing
// and brings the sysmaint tables in it up to date, and every later one
// tries again until that succeeded. So a host may start while the database
// is down: its [maintenance.Manager] reports the failures in its Health and
// keeps trying. A bad DSN or Options give an error at once.
func New(dsn string, opts *Options) (*DB, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Schema == "" {
		o.Schema = DefaultSchema
	}
	if !schemaName.MatchString(o.Schema) {
		return nil, fmt.Errorf("pgstore: Options.Schema %q is not a lower-case identifier of at most 40 bytes", o.Schema)
	}
	if o.Clock == nil {
		o.Clock = clock.New()
	}
	if o.ConnMaxLifetime <= 0 {
		o.ConnMaxLifetime = DefaultConnMaxLifetime
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	cfg.RuntimeParams["search_path"] = quote(o.Schema)
	if o.StatementTimeout > 0 {
		cfg.RuntimeParams["statement_timeout"] = strconv.FormatInt(max(o.StatementTimeout.Milliseconds(), 1), 10)
	}
	sdb := sqlx.NewDb(stdlib.OpenDB(*cfg), "pgx")
	sdb.SetConnMaxLifetime(o.ConnMaxLifetime)
	if o.MaxOpenConns > 0 {
		sdb.SetMaxOpenConns(o.MaxOpenConns)
	}
	d := &DB{db: sdb, cfg: cfg, schema: o.Schema, clock: o.Clock}
	d.windows = &WindowStore{w: sqlcore.NewWindows(sdb, "pgstore", d.ready), db: d}
	return d, nil
}

// Open is [New] followed by the connection and the migrations, so that a
// database that cannot be reached or migrated is reported at once.
// Instances that open the same database at once migrate one after the
// other, under an advisory lock, and end with one schema. A database
// migrated by a newer build gives an error wrapping [ErrSchemaNewer]. ctx
// bounds the connection and the migrations only.
func Open(ctx context.Context, dsn string, opts *Options) (*DB, error) {
	d, err := New(dsn, opts)
	if err != nil {
		return nil, err
	}
	if err := d.ready(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("pgstore: open: %w", err), d.db.Close())
	}
	return d, nil
}

// ready migrates the database unless that was done: the check before every
// operation of the stores.
func (d *DB) ready(ctx context.Context) error {
	if d.migrated.Load() {
		return nil
	}
	d.migrateMu.Lock()
	defer d.migrateMu.Unlock()
	if d.migrated.Load() {
		return nil
	}
	if err := migrate(ctx, d.db, d.cfg, d.schema); err != nil {
		return fmt.Errorf("prepare schema %s: %w", d.schema, err)
	}
	d.migrated.Store(true)
	return nil
}

// migrationFS holds the schema: goose SQL files, one per step, applied in
// version order. Applied files must never change.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// migrate creates the schema and applies the migrations while holding an
// advisory lock on a connection of its own, so that instances starting at
// once take turns: the second finds everything done. The lock is the
// blocking pg_advisory_lock, which wakes the next instance as soon as the
// first is done (goose's session locker polls, every five seconds by
// default), and it covers the CREATE SCHEMA too, which PostgreSQL does not
// make safe against a concurrent twin.
func migrate(ctx context.Context, db *sqlx.DB, cfg *pgx.ConnConfig, schema string) (err error) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, conn.Close(context.WithoutCancel(ctx))) }()
	key := lockKey(schema)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		return fmt.Errorf("lock the schema for migration: %w", err)
	}
	defer func() {
		_, uerr := conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key)
		err = errors.Join(err, uerr)
	}()
	if _, err := conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+quote(schema)); err != nil {
		return fmt.Errorf("create schema %s: %w", schema, err)
	}
	sub, err := fs.Sub(migrationFS, "migrations")
	if err != nil {
		return err
	}
	return sqlcore.Migrate(ctx, db.DB, goose.DialectPostgres, sub)
}

// lockKey is the advisory lock key of the migrations of schema: the same
// in every instance, different for each schema.
func lockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("sysmaint migrate " + schema))
	return int64(h.Sum64())
}

// quote returns name as a quoted SQL identifier.
func quote(name string) string { return pgx.Identifier{name}.Sanitize() }

// Close closes the connection pool. The stores of d fail with an error
// afterwards. Closing twice is harmless.
func (d *DB) Close() error {
	if err := d.db.Close(); err != nil {
		return fmt.Errorf("pgstore: close: %w", err)
	}
	return nil
}

// Schema returns the schema that holds the sysmaint tables.
func (d *DB) Schema() string { return d.schema }

// Windows returns the store of maintenance windows kept in d.
func (d *DB) Windows() *WindowStore { return d.windows }

// Sessions returns the store of user sessions kept in d. The store holds
// no state of its own: every call returns an equivalent store over the
// same table.
func (d *DB) Sessions() *SessionStore {
	return &SessionStore{s: sqlcore.NewSessions(d.db, "pgstore", d.ready, sqlcore.Postgres)}
}

// Outbox returns the outbox of events kept in d (the table
// sysmaint_events), for [notify.Relay] on every instance that shares the
// database. Concurrent claims skip the rows another claim has locked (FOR
// UPDATE SKIP LOCKED), so instances never wait for each other's claims. It
// holds no state of its own: every call returns an equivalent outbox over
// the same table.
func (d *DB) Outbox() notify.Outbox {
	return sqlcore.NewOutbox(d.db, "pgstore", d.ready, sqlcore.Postgres)
}

// SQL returns the underlying connection pool, for hosts that keep tables of
// their own in the same database. Its connections use the schema of d as
// their search_path. Closing it closes d.
func (d *DB) SQL() *sqlx.DB { return d.db }
