// Package pgstore keeps the sysmaint stores in PostgreSQL, so that several
// instances of a host behind a load balancer share one truth: the
// maintenance windows, the users' sessions and the events to deliver. It
// uses github.com/jmoiron/sqlx over pgx's database/sql driver
// (github.com/jackc/pgx/v5/stdlib), and pgx itself for LISTEN.
//
//	db, err := pgstore.Open(ctx, "postgres://app@db:5432/app", &pgstore.Options{Schema: "sysmaint"})
//	if err != nil { ... }
//	defer db.Close()
//	m := maintenance.New(db.Windows(), nil)
//	go m.Run(ctx) // reloads within milliseconds of a change made by any instance
//	sessions := session.New(db.Sessions(), nil)
//
// # Many instances
//
// Every instance keeps its own compiled schedule in memory, so the check on
// the request path never touches the database. [WindowStore] is a
// [maintenance.ChangeNotifier]: a trigger on sysmaint_windows sends a
// notification on every change, committed by whichever instance (or by
// SQL typed into psql), and [maintenance.Manager.Run] reloads at once.
// Run [notify.Relay] on every instance with [DB.Outbox] and each event
// (reminder, started, ended, ...) is delivered once, not once per
// instance. The
// listener uses a connection of its own; when it is cut (a server restart,
// a failover, a network fault) it reconnects with backoff and the Manager
// compares revisions once it listens again, so no change is missed; while
// it is down, Run polls. Sessions live in the database: a session killed
// through one instance is gone for all of them at their next read.
//
// # Schema
//
// The tables live in the schema of [Options.Schema] ("public" by default),
// which every connection of the pool uses as its search_path; Open creates
// the schema if it is missing. Their names are prefixed sysmaint_:
//
//   - sysmaint_windows: one row per window, id a bigint identity (IDs are
//     never reused); indexed on (validity, start_ms) and on start_ms. A
//     recurring window keeps its rule, zone and exceptions in the text
//     columns recurrence_rule, recurrence_zone and recurrence_exceptions
//     (Unix milliseconds, comma-separated), as the SQLite store does.
//   - sysmaint_windows_revision: one row whose counter the trigger
//     sysmaint_windows_changed bumps once per transaction that inserts,
//     updates, deletes or truncates in sysmaint_windows, whatever the
//     number of rows (a statement writing 100 000 windows takes under a
//     second); the same trigger calls pg_notify on the channel
//     [DB.Channel] ("sysmaint_windows:" and the schema), stamps each row
//     written with the transaction's revision (column revision) and
//     leaves a tombstone of each deletion in sysmaint_window_deletions,
//     which [WindowStore.ChangesSince] reads.
//   - sysmaint_sessions: the sessions of [DB.Sessions].
//   - sysmaint_events: the events of [DB.Outbox], the [notify.Outbox] of
//     notify.Relay: each recorded once by its ID, however many instances
//     record it, and claimed by one instance at a time with FOR UPDATE
//     SKIP LOCKED under a lease, until delivered or dropped.
//   - sysmaint_goose_db_version: the applied schema versions.
//
// The schema is embedded as goose migrations (github.com/pressly/goose/v3,
// the same runner as the SQLite store's). Instances that start at once on
// an empty database take turns under a PostgreSQL advisory lock, so they
// end with one schema and no error; a database migrated by a newer build is
// refused with an error wrapping [ErrSchemaNewer].
//
// # Time
//
// Instants are bigint Unix milliseconds in UTC (columns ending in _ms),
// read back in UTC at millisecond precision, exactly as the
// [maintenance.Store] contract says, and as the SQLite store keeps them,
// so both share one set of statements. Durations (lead_ms) are bigint
// milliseconds. The store reads no clock for what it stores and computes
// no "now" in SQL: the Managers stamp the times from their own clocks.
// The clock of [Options.Clock] times only the listener's reconnections.
//
// # Faults
//
// [New] does no I/O: a host starts while the database is down, and the
// first operation that reaches it creates the schema. Until then every
// operation fails with the connection's error, and the Manager keeps the
// last good schedule and shows the failure in its Health. Dead connections
// are replaced by the pool; a connection is closed after
// [Options.ConnMaxLifetime] (30 minutes) in any case, so a failed-over
// server is left in time. [Options.StatementTimeout] bounds every
// statement on the server. After [DB.Close] every method returns an error;
// none panics.
//
// # Errors
//
// Driver errors are wrapped with the operation and the ID: a missing row
// gives an error wrapping [maintenance.ErrNotFound] or [session.ErrNotFound],
// a stale Version one wrapping [maintenance.ErrConflict]. An update is one
// UPDATE guarded by ID and Version, so of two instances updating the same
// version exactly one wins, at any isolation level. When the context is
// done the error wraps context.Canceled or context.DeadlineExceeded.
//
// # Tests
//
// Package [github.com/sysmaint/sysmaint/adapters/pgstore/pgstoretest] gives
// each test a fresh schema on the server named by SYSMAINT_POSTGRES_DSN.
package pgstore
