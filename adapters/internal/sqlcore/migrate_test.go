package sqlcore_test

import (
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/jmoiron/sqlx"
	_ "github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/internal/sqlcore"
)

func openRaw(t *testing.T) *sqlx.DB {
	t.Helper()
	db, err := sqlx.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "m.db")+"?_txlock=immediate")
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	return db
}

func versions(t *testing.T, db *sqlx.DB) []int64 {
	t.Helper()
	var vs []int64
	require.NoError(t, db.SelectContext(t.Context(), &vs,
		"SELECT version_id FROM "+sqlcore.VersionTable+" WHERE version_id > 0 ORDER BY version_id"))
	return vs
}

func up(sql string) *fstest.MapFile { return &fstest.MapFile{Data: []byte("-- +goose Up\n" + sql)} }

func TestMigrate_OrderAndIdempotence(t *testing.T) {
	db := openRaw(t)
	fsys := fstest.MapFS{
		// Lexically "10_" sorts before "9_": the order must be numeric.
		"9_create.sql":  up("CREATE TABLE t (x INTEGER);\n"),
		"10_insert.sql": up("INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);\n"),
		"README.md":     {Data: []byte("not a migration")},
	}
	require.NoError(t, sqlcore.Migrate(t.Context(), db.DB, goose.DialectSQLite3, fsys))
	require.NoError(t, sqlcore.Migrate(t.Context(), db.DB, goose.DialectSQLite3, fsys), "second run")
	assert.Equal(t, []int64{9, 10}, versions(t, db))
	var n int
	require.NoError(t, db.GetContext(t.Context(), &n, "SELECT COUNT(*) FROM t"))
	assert.Equal(t, 2, n, "a migration ran twice")

	// Adding a file is all it takes.
	fsys["0011_more.sql"] = up("INSERT INTO t VALUES (3);")
	require.NoError(t, sqlcore.Migrate(t.Context(), db.DB, goose.DialectSQLite3, fsys))
	assert.Equal(t, []int64{9, 10, 11}, versions(t, db))
}

func TestMigrate_FailedStepLeavesNothing(t *testing.T) {
	db := openRaw(t)
	fsys := fstest.MapFS{
		"1_ok.sql":  up("CREATE TABLE a (x INTEGER);"),
		"2_bad.sql": up("CREATE TABLE b (x INTEGER);\nINSERT INTO missing VALUES (1);"),
		"3_ok.sql":  up("CREATE TABLE c (x INTEGER);"),
	}
	require.Error(t, sqlcore.Migrate(t.Context(), db.DB, goose.DialectSQLite3, fsys))
	assert.Equal(t, []int64{1}, versions(t, db))
	var n int
	require.NoError(t, db.GetContext(t.Context(), &n, "SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('b', 'c')"))
	assert.Zero(t, n, "the failed step was half applied, or a later one ran")

	fsys["2_bad.sql"] = up("CREATE TABLE b (x INTEGER);")
	require.NoError(t, sqlcore.Migrate(t.Context(), db.DB, goose.DialectSQLite3, fsys), "after the fix")
	assert.Equal(t, []int64{1, 2, 3}, versions(t, db))
}

func TestMigrate_RefusesANewerSchema(t *testing.T) {
	db := openRaw(t)
	newer := fstest.MapFS{"1_a.sql": up("CREATE TABLE a (x INTEGER);"), "2_b.sql": up("CREATE TABLE b (x INTEGER);")}
	require.NoError(t, sqlcore.Migrate(t.Context(), db.DB, goose.DialectSQLite3, newer))

	older := fstest.MapFS{"1_a.sql": newer["1_a.sql"]}
	err := sqlcore.Migrate(t.Context(), db.DB, goose.DialectSQLite3, older)
	require.ErrorIs(t, err, sqlcore.ErrSchemaNewer)
	assert.Contains(t, err.Error(), "version 2")
}

func TestMigrate_BadFiles(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
	}{
		{"no migrations", fstest.MapFS{"README.md": {}}},
		{"same version twice", fstest.MapFS{"0001_a.sql": up("SELECT 1;"), "1_b.sql": up("SELECT 1;")}},
		{"no goose annotation", fstest.MapFS{"1_a.sql": {Data: []byte("CREATE TABLE a (x INTEGER);")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openRaw(t)
			assert.Error(t, sqlcore.Migrate(t.Context(), db.DB, goose.DialectSQLite3, tt.fsys))
		})
	}
}
