package scsstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "github.com/mattn/go-sqlite3"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/pgstore/pgstoretest"
)

// backends are the scs stores the tests run on: each returns a new, empty
// store (without the cleanup goroutines scs's stores start by default).
var backends = []struct {
	name string
	open func(t testing.TB) scs.Store
}{
	{"memstore", openMem},
	{"sqlite3store", openSQLite},
	{"postgresstore", openPostgres},
}

func openMem(testing.TB) scs.Store { return memstore.NewWithCleanupInterval(0) }

// openSQLite opens scs's sqlite3store on a file under t.TempDir(), with
// the table its documentation gives.
func openSQLite(t testing.TB) scs.Store {
	path := filepath.Join(t.TempDir(), "sessions.db")
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000&_journal_mode=WAL")
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	_, err = db.Exec(`CREATE TABLE sessions (token TEXT PRIMARY KEY, data BLOB NOT NULL, expiry REAL NOT NULL);
		CREATE INDEX sessions_expiry_idx ON sessions(expiry);`)
	require.NoError(t, err)
	return sqlite3store.NewWithCleanupInterval(db, 0)
}

// openPostgres opens scs's postgresstore in a schema of its own on the
// test server (pgstoretest.DSN: skipped without one, failed under CI),
// with the table its documentation gives, through pgx's database/sql
// driver.
func openPostgres(t testing.TB) scs.Store {
	dsn := pgstoretest.DSN(t)
	schema := pgstoretest.Schema(t)
	cfg, err := pgx.ParseConfig(dsn)
	require.NoError(t, err)
	cfg.RuntimeParams["search_path"] = schema
	db := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { _ = db.Close() })
	ctx := context.Background()
	_, err = db.ExecContext(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize())
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, `CREATE TABLE sessions (token TEXT PRIMARY KEY, data BYTEA NOT NULL, expiry TIMESTAMPTZ NOT NULL)`)
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, `CREATE INDEX sessions_expiry_idx ON sessions (expiry)`)
	require.NoError(t, err)
	return postgresstore.NewWithCleanupInterval(db, 0)
}

// newManager returns an scs SessionManager on store that hashes tokens,
// as the adapter requires.
func newManager(store scs.Store) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
	sm.HashTokenInStore = true
	return sm
}
