package sqlstore

import "fmt"

// fault is what an error returned by the driver means beyond the
// statement that got it.
type fault int

const (
	// faultNone: the statement's own failure (a constraint, an SQL error,
	// an interruption); the connection and the store are fine.
	faultNone fault = iota
	// faultStore: the store did not take the work (a lock held past the
	// busy timeout); the connection is fine.
	faultStore
	// faultConn: the connection's state is suspect (opened read-only, an
	// I/O error, a damaged file, ...); it is discarded.
	faultConn
)

// needsCgo wraps err, the error go-sqlite3 returns for every connection
// when the program was built without cgo, with what to do about it.
func needsCgo(err error) error {
	return fmt.Errorf("sqlstore: SQLite needs cgo: install a C compiler (gcc) and build with CGO_ENABLED=1 (%w)", err)
}
