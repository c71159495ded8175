// Package sqlstore keeps the sysmaint stores in a SQLite file, through
// github.com/jmoiron/sqlx and github.com/mattn/go-sqlite3. go-sqlite3 is
// cgo: building needs a C compiler (gcc) and CGO_ENABLED=1; a program built
// without cgo fails in [Open] with an error saying so.
//
// [Open] opens the file and brings its schema up to date; [DB.Windows]
// returns the [maintenance.Store] of maintenance windows, which also
// implements [maintenance.ChangeTracker] so that a [maintenance.Manager] in
// every process sharing the file reloads its schedule when, and only when,
// a window changed:
//
//	db, err := sqlstore.Open(ctx, "/var/lib/helpdesk/sysmaint.db", nil)
//	if err != nil { ... }
//	defer db.Close()
//	m := maintenance.New(db.Windows(), nil)
//	go m.Run(ctx)
//
// # Schema
//
// The schema is embedded as numbered goose migrations
// (migrations/0001_windows.sql, ...; github.com/pressly/goose/v3, the
// same runner as the PostgreSQL store's). Open applies the ones the file
// has not recorded yet, in order, each in a transaction together with its
// row in sysmaint_goose_db_version, while it holds an exclusive lock on the
// file PATH.lock beside the database, so that processes opening a new file
// at once take turns and the second finds everything done (the operating
// system releases the lock of a process that dies). A file whose schema a
// newer build migrated is refused with an error wrapping [ErrSchemaNewer].
// Every table is prefixed sysmaint_, so a host may keep its own tables in
// the same file ([DB.SQL] gives it the connection pool):
//
//   - sysmaint_windows: one row per window. id is an INTEGER PRIMARY KEY
//     AUTOINCREMENT, so IDs are never reused; validity is 1, 2 or 3 as in
//     [maintenance.Validity] (the table refuses other values); version
//     counts the updates. Indexed on (validity, start_ms) and on start_ms.
//     A recurring window keeps its rule, zone and exceptions in
//     recurrence_rule, recurrence_zone and recurrence_exceptions (its
//     skipped occurrences as Unix milliseconds, comma-separated), added by
//     migration 0004; the rows of a one-off window hold empty texts.
//   - sysmaint_windows_revision: one row whose counter is bumped by
//     triggers after every insert, update and delete on sysmaint_windows,
//     whoever makes it; [WindowStore.Revision] reads it.
//   - sysmaint_sessions: the logged-in users' sessions of [DB.Sessions]
//     (migration 0002; see [SessionStore]).
//   - sysmaint_events: the events of [DB.Outbox], the [notify.Outbox] of
//     notify.Relay (migration 0003): each recorded once by its ID, leased
//     to one process at a time until delivered or dropped.
//   - sysmaint_goose_db_version: the applied schema versions, goose's
//     table under a name of sysmaint's own (a host using goose itself
//     keeps goose_db_version to itself). Files written by earlier builds,
//     which recorded their versions in sysmaint_schema_migrations, are
//     taken over once: their versions are copied, nothing is applied twice,
//     and the old table is left as it was.
//
// The file is opened in WAL mode with foreign keys on, a busy timeout
// ([Options.BusyTimeout], 5 seconds by default) and write transactions
// that take the write lock when they begin.
//
// # Faults
//
// The DB recovers from a fault of its file by itself once the fault has
// passed, without a restart. When the file is not writable (permissions, a
// read-only mount), SQLite opens new connections read-only and keeps them
// so, also after the file is writable again. So a pooled connection whose statement fails with an
// error that leaves its state suspect (SQLITE_READONLY, SQLITE_CANTOPEN,
// SQLITE_IOERR, SQLITE_FULL, SQLITE_CORRUPT and their kin) is discarded,
// and so is every connection opened before such an error, or before the
// first write that succeeds after one. A read-only connection that has
// only read fails at its first write, and is then discarded; [DB.Check]
// drains such connections before a user's write lands on one. As a safety
// net, connections are closed after [Options.ConnMaxLifetime] (5 minutes)
// and after [Options.ConnMaxIdleTime] (1 minute) idle.
//
// A file that is deleted or moved away while the DB is open would take
// writes that nobody reads again, so the DB remembers which file it opened
// (device and inode) and fails closed when the path no longer names it:
// every statement, from the stores and from the host's own SQL through
// [DB.SQL], returns an error wrapping [ErrFileGone], or [ErrFileReplaced]
// when another file is at the path. A statement that writes on its own, a
// commit, a new connection and [DB.Check] look at the file every time (an
// os.Stat, about a microsecond); other statements at most once per
// [Options.FileCheckInterval] (1 second). Later connections open the file
// with mode=rw, so no connection creates an empty database at the path. A
// DB whose file comes back (moved back to the path) works again; a
// replaced file is final: close the DB and open the path anew.
//
// [DB.Health] reports the last write's failure, the last look at the file
// and the connections discarded, without I/O; [DB.Check] looks now, and is
// what a health endpoint calls. The [WindowStore] is a
// [maintenance.Checker], so a [maintenance.Manager] whose write failed
// learns from its Run loop when writes work again.
//
// # Time
//
// Instants are stored as INTEGER Unix milliseconds (columns ending in _ms)
// and read back in UTC; finer digits are dropped, as
// [maintenance.Window.Normalize] does. Durations (lead_ms) are INTEGER
// milliseconds. No stored time comes from the store's clock, and no "now"
// is computed in SQL: the [maintenance.Manager] stamps the audit times
// from its own clock. The DB's clock ([Options.Clock]) times only the
// looks at the file and the times in [Health].
//
// # Errors
//
// Driver errors are translated at the boundary and wrapped with the
// operation and the ID: a missing row gives an error wrapping
// [maintenance.ErrNotFound] ("sqlstore: get window 7: maintenance: window
// not found"), a stale Version one wrapping [maintenance.ErrConflict].
// When the context is done the error wraps context.Canceled or
// context.DeadlineExceeded, and nothing is written. When the file is gone
// from its path the error wraps [ErrFileGone] or [ErrFileReplaced] (see
// Faults). After [DB.Close] every method returns an error; none panics.
//
// # Concurrency
//
// A DB and its stores are safe for concurrent use by many goroutines, and
// the file may be shared by several processes, each with its own DB.
// Writers queue on the file's write lock for up to the busy timeout; an
// update is a single UPDATE guarded by ID and Version, so of two updates
// made from the same version exactly one wins and the other gets
// [maintenance.ErrConflict].
package sqlstore
