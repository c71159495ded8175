package sqlstore_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/sysmaint/sysmaint/adapters/sqlstore"
)

// migrationFiles returns the number of embedded migrations, read from the
// source tree.
func migrationFiles(t *testing.T) int {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	return len(names)
}

func appliedMigrations(t *testing.T, db *sqlstore.DB) []int64 {
	t.Helper()
	var vs []int64
	require.NoError(t, db.SQL().SelectContext(t.Context(), &vs,
		"SELECT version_id FROM sysmaint_goose_db_version WHERE version_id > 0 ORDER BY version_id"))
	return vs
}

func TestOpen_Twice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sysmaint.db")
	ctx := t.Context()

	first, err := sqlstore.Open(ctx, path, nil)
	require.NoError(t, err)
	w, err := first.Windows().Create(ctx, window("kept", time.Hour, 2*time.Hour))
	require.NoError(t, err)
	applied := appliedMigrations(t, first)
	assert.Len(t, applied, migrationFiles(t))
	require.NoError(t, first.Close())

	again := openDB(t, path)
	assert.Equal(t, applied, appliedMigrations(t, again), "re-Open applied migrations again")
	got, err := again.Windows().Get(ctx, w.ID)
	require.NoError(t, err)
	assert.Equal(t, w, got)

	// A second handle while the first is open.
	third := openDB(t, path)
	assert.Equal(t, applied, appliedMigrations(t, third))
}

func TestOpen_ConcurrentlyOnANewFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "race.db")
	dbs := make([]*sqlstore.DB, 10)
	var g errgroup.Group
	for i := range dbs {
		g.Go(func() error {
			db, err := sqlstore.Open(t.Context(), path, nil)
			dbs[i] = db
			return err
		})
	}
	err := g.Wait()
	for _, db := range dbs {
		if db != nil {
			t.Cleanup(func() { assert.NoError(t, db.Close()) })
		}
	}
	require.NoError(t, err)
	assert.Len(t, appliedMigrations(t, dbs[0]), migrationFiles(t))
}

func TestOpen_Pragmas(t *testing.T) {
	db := newDB(t)
	var mode string
	require.NoError(t, db.SQL().GetContext(t.Context(), &mode, "PRAGMA journal_mode"))
	assert.Equal(t, "wal", mode)
	var fk, busy int
	require.NoError(t, db.SQL().GetContext(t.Context(), &fk, "PRAGMA foreign_keys"))
	assert.Equal(t, 1, fk)
	require.NoError(t, db.SQL().GetContext(t.Context(), &busy, "PRAGMA busy_timeout"))
	assert.Equal(t, 5000, busy)

	db2, err := sqlstore.Open(t.Context(), filepath.Join(t.TempDir(), "opts.db"),
		&sqlstore.Options{BusyTimeout: 1500 * time.Millisecond, MaxOpenConns: 2})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db2.Close()) })
	require.NoError(t, db2.SQL().GetContext(t.Context(), &busy, "PRAGMA busy_timeout"))
	assert.Equal(t, 1500, busy)
	assert.Equal(t, 2, db2.SQL().Stats().MaxOpenConnections)
}

func TestOpen_PathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "odd?dir#with%25")
	require.NoError(t, os.Mkdir(dir, 0o755))
	path := filepath.Join(dir, "a b?c#d%e.db")
	db := openDB(t, path)
	_, err := db.Windows().Create(t.Context(), window("a", time.Hour, 2*time.Hour))
	require.NoError(t, err)
	_, err = os.Stat(path)
	assert.NoError(t, err, "the file was not created at the path given")
}

func TestOpen_Refuses(t *testing.T) {
	tests := []struct {
		name string
		path string
	}{
		{"empty path", ""},
		{"in-memory database", ":memory:"},
		{"URI", "file:x.db?mode=memory"},
		{"missing directory", filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")},
		{"a directory", t.TempDir()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := sqlstore.Open(t.Context(), tt.path, nil)
			assert.Error(t, err)
			assert.Nil(t, db)
		})
	}
}

func TestOpen_CanceledContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "canceled.db")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	db, err := sqlstore.Open(ctx, path, nil)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Nil(t, db)
	// The file is still usable.
	assert.Len(t, appliedMigrations(t, openDB(t, path)), migrationFiles(t))
}

func TestOpen_RefusesANewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "newer.db")
	db := openDB(t, path)
	// A newer build recorded version 999.
	_, err := db.SQL().ExecContext(t.Context(),
		"INSERT INTO sysmaint_goose_db_version (version_id, is_applied) VALUES (999, 1)")
	require.NoError(t, err)

	_, err = sqlstore.Open(t.Context(), path, nil)
	require.ErrorIs(t, err, sqlstore.ErrSchemaNewer)
	assert.Contains(t, err.Error(), "999")
}

// TestOpen_AdoptsTheVersionsOfEarlierBuilds opens a file written by a build
// whose own runner recorded versions 1 and 2 in sysmaint_schema_migrations:
// goose takes them over and applies nothing twice, and the data stays.
func TestOpen_AdoptsTheVersionsOfEarlierBuilds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "earlier.db")
	raw, err := sql.Open("sqlite3", "file:"+path)
	require.NoError(t, err)
	for _, name := range []string{"0001_windows.sql", "0002_sessions.sql"} {
		b, err := os.ReadFile(filepath.Join("migrations", name))
		require.NoError(t, err)
		up, _, _ := strings.Cut(string(b), "-- +goose Down")
		up = strings.NewReplacer("-- +goose StatementBegin", "", "-- +goose StatementEnd", "").Replace(up)
		_, err = raw.Exec(up)
		require.NoError(t, err, name)
	}
	_, err = raw.Exec(`CREATE TABLE sysmaint_schema_migrations (version INTEGER PRIMARY KEY);
		INSERT INTO sysmaint_schema_migrations VALUES (1), (2);
		INSERT INTO sysmaint_windows (start_ms, stop_ms, comment, show_login_message, validity,
			created_at_ms, changed_at_ms, version) VALUES (0, 1000, 'from before', 0, 1, 0, 0, 1)`)
	require.NoError(t, err)
	require.NoError(t, raw.Close())

	db := openDB(t, path)
	assert.Len(t, appliedMigrations(t, db), migrationFiles(t), "every version recorded once")
	ws, err := db.Windows().List(t.Context())
	require.NoError(t, err)
	require.Len(t, ws, 1)
	assert.Equal(t, "from before", ws[0].Comment)
	again := openDB(t, path)
	assert.Len(t, appliedMigrations(t, again), migrationFiles(t))
}
