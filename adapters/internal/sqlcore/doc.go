// Package sqlcore holds the SQL the SQLite and PostgreSQL stores share:
// the window and session stores over sqlx, written once with "?"
// placeholders that sqlx rebinds for the driver, and the migration runner
// (github.com/pressly/goose/v3) both stores use. The two adapters
// (adapters/sqlstore, adapters/pgstore) open the connection pool, choose
// the migrations and the lock, and wrap these types in their own exported
// ones.
//
// Both engines store instants as 64-bit Unix milliseconds in UTC, durations
// as milliseconds and booleans as the engine's booleans (SQLite: 0 or 1),
// so one set of statements serves both.
package sqlcore
