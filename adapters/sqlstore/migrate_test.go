package sqlstore

import (
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func openRaw(t *testing.T) *sqlx.DB {
	t.Helper()
	db, err := sqlx.Open("sqlite3", dsn(filepath.Join(t.TempDir(), "m.db"), time.Second))
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	return db
}

func versions(t *testing.T, db *sqlx.DB) []int64 {
	t.Helper()
	var vs []int64
	require.NoError(t, db.SelectContext(t.Context(), &vs, "SELECT version FROM "+migrationsTable+" ORDER BY version"))
	return vs
}

func TestMigrate_OrderAndIdempotence(t *testing.T) {
	db := openRaw(t)
	fsys := fstest.MapFS{
		// Lexically "10_" sorts before "9_": the order must be numeric.
		"migrations/9_create.sql":  {Data: []byte("-- a comment\nCREATE TABLE t (x INTEGER);\n")},
		"migrations/10_insert.sql": {Data: []byte("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);\n-- trailing comment\n")},
		"migrations/README.md":     {Data: []byte("not a migration")},
	}
	require.NoError(t, migrate(t.Context(), db, fsys))
	require.NoError(t, migrate(t.Context(), db, fsys), "second run")
	assert.Equal(t, []int64{9, 10}, versions(t, db))
	var n int
	require.NoError(t, db.GetContext(t.Context(), &n, "SELECT COUNT(*) FROM t"))
	assert.Equal(t, 2, n, "a migration ran twice")

	// Adding a file is all it takes.
	fsys["migrations/0011_more.sql"] = &fstest.MapFile{Data: []byte("INSERT INTO t VALUES (3);")}
	require.NoError(t, migrate(t.Context(), db, fsys))
	assert.Equal(t, []int64{9, 10, 11}, versions(t, db))
}

func TestMigrate_FailedStepLeavesNothing(t *testing.T) {
	db := openRaw(t)
	fsys := fstest.MapFS{
		"migrations/1_ok.sql":  {Data: []byte("CREATE TABLE a (x INTEGER);")},
		"migrations/2_bad.sql": {Data: []byte("CREATE TABLE b (x INTEGER); INSERT INTO missing VALUES (1);")},
		"migrations/3_ok.sql":  {Data: []byte("CREATE TABLE c (x INTEGER);")},
	}
	err := migrate(t.Context(), db, fsys)
	require.Error(t, err)
	assert.Equal(t, []int64{1}, versions(t, db))
	var n int
	require.NoError(t, db.GetContext(t.Context(), &n, "SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('b', 'c')"))
	assert.Zero(t, n, "the failed step was half applied, or a later one ran")

	fsys["migrations/2_bad.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE b (x INTEGER);")}
	require.NoError(t, migrate(t.Context(), db, fsys), "after the fix")
	assert.Equal(t, []int64{1, 2, 3}, versions(t, db))
}

func TestLoadMigrations_BadNames(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
	}{
		{"no version", fstest.MapFS{"migrations/windows.sql": {}}},
		{"no underscore", fstest.MapFS{"migrations/0001.sql": {}}},
		{"version zero", fstest.MapFS{"migrations/0000_x.sql": {}}},
		{"same version twice", fstest.MapFS{"migrations/0001_a.sql": {}, "migrations/1_b.sql": {}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadMigrations(tt.fsys)
			assert.Error(t, err)
		})
	}
}

func TestLoadMigrations_Embedded(t *testing.T) {
	ms, err := loadMigrations(migrationFS)
	require.NoError(t, err)
	require.NotEmpty(t, ms)
	assert.Equal(t, int64(1), ms[0].version)
	assert.Equal(t, "0001_windows.sql", ms[0].name)
}
