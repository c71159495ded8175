package app

import (
	"context"
	"errors"

	"github.com/jmoiron/sqlx"

	"github.com/sysmaint/sysmaint/adapters/pgstore"
	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

// Database is where the helpdesk keeps its data: sysmaint's window and
// session stores, and its own two tables (helpdesk_users,
// helpdesk_settings) in the same database. [SQLite] and [Postgres] make
// one from an open store.
type Database struct {
	// Windows keeps the maintenance windows.
	Windows maintenance.Store
	// Sessions keeps the logged-in users' sessions.
	Sessions session.Store
	// SQL reaches the database for the helpdesk's own tables. Its
	// statements are written with "?" and rebound for its driver.
	SQL *sqlx.DB
	// Check reports whether the database takes writes now, for /healthz;
	// nil means the Manager's health is all there is to know.
	Check func(context.Context) error
	// Outbox keeps the maintenance events for notify.Relay, so that
	// instances sharing the database report each event once; nil for
	// none.
	Outbox notify.Outbox
}

// SQLite returns the Database of a SQLite file: its health check also
// notices a file deleted or replaced under the running helpdesk.
func SQLite(db *sqlstore.DB) Database {
	return Database{Windows: db.Windows(), Sessions: db.Sessions(), SQL: db.SQL(), Check: db.Check, Outbox: db.Outbox()}
}

// Postgres returns the Database of a PostgreSQL schema: several helpdesk
// instances may share it, and each sees the others' windows within
// milliseconds and their sessions at once.
func Postgres(db *pgstore.DB) Database {
	return Database{Windows: db.Windows(), Sessions: db.Sessions(), SQL: db.SQL(), Check: db.SQL().PingContext,
		Outbox: db.Outbox()}
}

// validate reports what is missing from d.
func (d Database) validate() error {
	if d.Windows == nil || d.Sessions == nil || d.SQL == nil {
		return errors.New("helpdesk: Config.DB needs Windows, Sessions and SQL (see SQLite and Postgres)")
	}
	return nil
}
