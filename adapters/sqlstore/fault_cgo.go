//go:build cgo

package sqlstore

import (
	"errors"

	"github.com/mattn/go-sqlite3"
)

// faultOf classifies an error returned by go-sqlite3 by its SQLite result
// code (https://sqlite.org/rescode.html).
//
// The connection is discarded after the codes that say the connection, or
// the file under it, is not what it should be: it was opened read-only
// (SQLITE_READONLY: the file was not writable when the connection opened,
// and SQLite never reopens it read-write), the file could not be opened or
// read (SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_NOLFS, SQLITE_PERM), it is
// damaged or not a database (SQLITE_CORRUPT, SQLITE_NOTADB), the disk is
// full (SQLITE_FULL: SQLite may have rolled back on its own), the locking
// protocol failed (SQLITE_PROTOCOL), memory ran out (SQLITE_NOMEM), or
// SQLite reported an internal error or a misuse (SQLITE_INTERNAL,
// SQLITE_MISUSE). A fresh connection costs a file open and a few pragmas;
// keeping a broken one costs every statement that lands on it.
//
// A lock held past the busy timeout (SQLITE_BUSY, SQLITE_LOCKED) is a
// failure of the store but not of the connection. Everything else (a
// constraint, an SQL error, an interruption by a done context) is the
// statement's own failure.
func faultOf(err error) fault {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return faultNone
	}
	switch se.Code {
	case sqlite3.ErrReadonly, sqlite3.ErrCantOpen, sqlite3.ErrIoErr, sqlite3.ErrNoLFS, sqlite3.ErrPerm,
		sqlite3.ErrCorrupt, sqlite3.ErrNotADB, sqlite3.ErrFull, sqlite3.ErrProtocol, sqlite3.ErrNomem,
		sqlite3.ErrInternal, sqlite3.ErrMisuse:
		return faultConn
	case sqlite3.ErrBusy, sqlite3.ErrLocked:
		return faultStore
	}
	return faultNone
}

// driverError returns the error of opening a connection as it is.
func driverError(err error) error { return err }
