package pgstore_test

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/sysmaint/sysmaint/adapters/pgstore"
	"github.com/sysmaint/sysmaint/adapters/pgstore/pgstoretest"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/maintenance/maintenancetest"
	"github.com/sysmaint/sysmaint/session"
	"github.com/sysmaint/sysmaint/session/sessiontest"
)

// monday is the fixed date the mock clocks are set to.
var monday = time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC)

func newMock() *clock.Mock {
	mock := clock.NewMock()
	mock.Set(monday)
	return mock
}

// window returns a valid window from monday+from to monday+to.
func window(comment string, from, to time.Duration) maintenance.Window {
	return maintenance.Window{
		Start: monday.Add(from), Stop: monday.Add(to), Comment: comment,
		Validity: maintenance.Valid, CreatedAt: monday, ChangedAt: monday,
		CreatedBy: "test", ChangedBy: "test",
	}
}

func TestWindowStore_Conformance(t *testing.T) {
	maintenancetest.RunStoreTests(t, func(t *testing.T) maintenance.Store { return pgstoretest.Open(t, nil).Windows() })
}

func TestSessionStore_Conformance(t *testing.T) {
	sessiontest.RunStoreTests(t, func(t *testing.T) session.Store { return pgstoretest.Open(t, nil).Sessions() })
}

// appliedVersions returns the schema versions recorded in db.
func appliedVersions(t *testing.T, db *pgstore.DB) []int64 {
	t.Helper()
	var vs []int64
	require.NoError(t, db.SQL().SelectContext(t.Context(), &vs,
		"SELECT version_id FROM sysmaint_goose_db_version WHERE version_id > 0 ORDER BY version_id"))
	return vs
}

// migrationVersions returns the versions of the migration files, read from
// the source tree: the number before the first underscore of each name.
func migrationVersions(t *testing.T) []int64 {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	var vs []int64
	for _, name := range names {
		num, _, _ := strings.Cut(filepath.Base(name), "_")
		v, err := strconv.ParseInt(num, 10, 64)
		require.NoError(t, err, name)
		vs = append(vs, v)
	}
	slices.Sort(vs)
	return vs
}

func TestOpen_TenInstancesAtOnceOnAnEmptySchema(t *testing.T) {
	dsn, schema := pgstoretest.DSN(t), pgstoretest.Schema(t)
	dbs := make([]*pgstore.DB, 10)
	var g errgroup.Group
	for i := range dbs {
		g.Go(func() error {
			db, err := pgstore.Open(t.Context(), dsn, &pgstore.Options{Schema: schema})
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
	require.NoError(t, err, "an instance failed to open")
	assert.Equal(t, migrationVersions(t), appliedVersions(t, dbs[0]), "each migration once")
	// Every instance works on the one schema.
	w, err := dbs[3].Windows().Create(t.Context(), window("shared", time.Hour, 2*time.Hour))
	require.NoError(t, err)
	got, err := dbs[7].Windows().Get(t.Context(), w.ID)
	require.NoError(t, err)
	assert.Equal(t, w, got)
}

func TestOpen_Twice(t *testing.T) {
	dsn, schema := pgstoretest.DSN(t), pgstoretest.Schema(t)
	first, err := pgstore.Open(t.Context(), dsn, &pgstore.Options{Schema: schema})
	require.NoError(t, err)
	w, err := first.Windows().Create(t.Context(), window("kept", time.Hour, 2*time.Hour))
	require.NoError(t, err)
	require.NoError(t, first.Close())
	require.NoError(t, first.Close(), "closing twice")

	again, err := pgstore.Open(t.Context(), dsn, &pgstore.Options{Schema: schema})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, again.Close()) })
	assert.Equal(t, migrationVersions(t), appliedVersions(t, again))
	got, err := again.Windows().Get(t.Context(), w.ID)
	require.NoError(t, err)
	assert.Equal(t, w, got)
	assert.Equal(t, schema, again.Schema())
}

func TestOpen_RefusesANewerSchema(t *testing.T) {
	dsn, schema := pgstoretest.DSN(t), pgstoretest.Schema(t)
	db, err := pgstore.Open(t.Context(), dsn, &pgstore.Options{Schema: schema})
	require.NoError(t, err)
	// A newer build recorded version 999.
	_, err = db.SQL().ExecContext(t.Context(),
		"INSERT INTO sysmaint_goose_db_version (version_id, is_applied) VALUES (999, true)")
	require.NoError(t, err)
	require.NoError(t, db.Close())

	_, err = pgstore.Open(t.Context(), dsn, &pgstore.Options{Schema: schema})
	require.ErrorIs(t, err, pgstore.ErrSchemaNewer)
	assert.Contains(t, err.Error(), "999")
}

func TestOpen_Refuses(t *testing.T) {
	dsn := pgstoretest.DSN(t)
	tests := []struct {
		name   string
		dsn    string
		schema string
	}{
		{"upper-case schema", dsn, "Maintenance"},
		{"quote in schema", dsn, `a"b`},
		{"schema too long", dsn, "s234567890123456789012345678901234567890x"},
		{"schema starting with a digit", dsn, "1abc"},
		{"malformed DSN", "postgres://%zz", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := pgstore.Open(t.Context(), tt.dsn, &pgstore.Options{Schema: tt.schema})
			require.Error(t, err)
			assert.Nil(t, db)
			assert.Contains(t, err.Error(), "pgstore: ")
		})
	}
}

func TestOpen_ServerDown(t *testing.T) {
	// Nothing listens on port 1.
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	db, err := pgstore.Open(ctx, "postgres://postgres@127.0.0.1:1/test?connect_timeout=2", nil)
	require.Error(t, err)
	assert.Nil(t, db)
}

func TestWindowStore_Closed(t *testing.T) {
	db := pgstoretest.Open(t, nil)
	ctx := t.Context()
	w, err := db.Windows().Create(ctx, window("before close", time.Hour, 2*time.Hour))
	require.NoError(t, err)
	require.NoError(t, db.Close())

	s := db.Windows()
	_, err = s.Create(ctx, window("after close", time.Hour, 2*time.Hour))
	assert.Error(t, err)
	_, err = s.Get(ctx, w.ID)
	assert.Error(t, err)
	_, err = s.Update(ctx, w)
	assert.Error(t, err)
	assert.Error(t, s.Delete(ctx, w.ID))
	_, err = s.List(ctx)
	assert.Error(t, err)
	_, err = s.Revision(ctx)
	assert.Error(t, err)
	_, err = db.Sessions().Counts(ctx)
	assert.Error(t, err)
}
