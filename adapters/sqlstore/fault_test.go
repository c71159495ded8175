//go:build cgo

package sqlstore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

// openReadOnlySpell opens the file at path with a hook that, while the
// returned switch is on, opens new connections read-only (mode=ro). That
// is what SQLite does when the file is not writable (chmod 444): it falls
// back to read-only, and the connection stays read-only for good, even
// after the file is writable again. Unlike chmod, root cannot bypass it.
func openReadOnlySpell(t *testing.T, path string, opts *sqlstore.Options) (*sqlstore.DB, *atomic.Bool) {
	t.Helper()
	var spell atomic.Bool
	db, err := sqlstore.OpenWithDSNHook(t.Context(), path, opts, func(dsn string) string {
		if spell.Load() {
			require.Contains(t, dsn, "mode=rw", "later connections must never create the file")
			return strings.Replace(dsn, "mode=rw", "mode=ro", 1)
		}
		return dsn
	})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	return db, &spell
}

// renewPool closes the pool's idle connections, so the next statements
// open new ones, as a busy pool does at any time.
func renewPool(db *sqlstore.DB) {
	db.SQL().SetMaxIdleConns(0)
	db.SQL().SetMaxIdleConns(2)
}

func isReadOnly(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrReadonly
}

func countWindows(t *testing.T, db *sqlstore.DB) int {
	t.Helper()
	ws, err := db.Windows().List(t.Context())
	require.NoError(t, err)
	return len(ws)
}

func TestDB_WritesHealAfterReadOnlySpell(t *testing.T) {
	ctx := t.Context()
	mock := newMock()
	db, spell := openReadOnlySpell(t, filepath.Join(t.TempDir(), "ro.db"), &sqlstore.Options{Clock: mock})
	create := func() error {
		_, err := db.Windows().Create(ctx, window("w", time.Hour, 2*time.Hour))
		return err
	}
	require.NoError(t, create())

	spell.Store(true)
	renewPool(db)
	for i := range 3 {
		err := create()
		assert.True(t, isReadOnly(err), "write %d during the spell: want SQLITE_READONLY, got %v", i, err)
	}
	h := db.Health()
	assert.True(t, isReadOnly(h.WriteErr), "Health.WriteErr: %v", h.WriteErr)
	assert.Equal(t, mock.Now(), h.WriteFailedAt)
	assert.NoError(t, h.FileErr)

	spell.Store(false)
	mock.Add(time.Second)
	for i := range 5 {
		assert.NoError(t, create(), "write %d after the spell", i)
	}
	h = db.Health()
	assert.NoError(t, h.Err())
	assert.Equal(t, mock.Now(), h.WroteAt)
	assert.True(t, h.WriteFailedAt.IsZero())
	assert.GreaterOrEqual(t, h.Evicted, int64(3), "every read-only connection was discarded")
	assert.Equal(t, 6, countWindows(t, db))
}

// A connection opened read-only during the spell that only read fails
// nothing until it writes. Check, which a health endpoint calls, drains
// such connections before a user's write lands on one.
func TestDB_CheckDrainsReadOnlyConnections(t *testing.T) {
	ctx := t.Context()
	db, spell := openReadOnlySpell(t, filepath.Join(t.TempDir(), "ro.db"), &sqlstore.Options{Clock: newMock()})
	create := func() error {
		_, err := db.Windows().Create(ctx, window("w", time.Hour, 2*time.Hour))
		return err
	}
	require.NoError(t, create())
	require.NoError(t, db.Check(ctx), "nothing failed: Check only looks at the file")

	// readOnTwo reads on two connections at once, so two stay in the pool.
	readOnTwo := func() {
		t.Helper()
		var cs []interface{ Close() error }
		for range 2 {
			c, err := db.SQL().Connx(ctx)
			require.NoError(t, err)
			var n int
			require.NoError(t, c.GetContext(ctx, &n, "SELECT count(*) FROM sysmaint_windows"), "reads work during the spell")
			cs = append(cs, c)
		}
		for _, c := range cs {
			require.NoError(t, c.Close())
		}
	}
	spell.Store(true)
	renewPool(db)
	readOnTwo()
	assert.True(t, isReadOnly(create()))
	readOnTwo() // read-only connections opened after the last failure
	spell.Store(false)

	require.Error(t, db.Health().WriteErr, "nothing wrote since the failure")
	err := db.Check(ctx)
	assert.True(t, isReadOnly(err), "the probe lands on a read-only connection left from the spell: %v", err)
	require.NoError(t, db.Check(ctx), "the second probe runs on a new connection")
	assert.NoError(t, db.Health().Err())
	for i := range 3 {
		assert.NoError(t, create(), "write %d after the check", i)
	}
	assert.GreaterOrEqual(t, db.Health().Evicted, int64(4))
}

func TestDB_ManagerWriteHealthHeals(t *testing.T) {
	ctx := t.Context()
	mock := newMock()
	db, spell := openReadOnlySpell(t, filepath.Join(t.TempDir(), "ro.db"), &sqlstore.Options{Clock: mock})
	m := maintenance.New(db.Windows(), &maintenance.Options{Clock: mock, Logger: quiet})
	require.NoError(t, m.Refresh(ctx))

	spell.Store(true)
	renewPool(db)
	_, err := m.Add(ctx, window("during the spell", time.Hour, 2*time.Hour), "alice")
	require.True(t, isReadOnly(err), "got %v", err)
	h := m.Health()
	assert.False(t, h.OK())
	assert.True(t, isReadOnly(h.WriteErr), "Manager.Health().WriteErr: %v", h.WriteErr)
	assert.Equal(t, mock.Now(), h.WriteFailedAt)
	assert.NoError(t, h.Err, "the schedule still loads")

	spell.Store(false)
	runInBackground(t, m)
	require.Eventually(t, func() bool {
		mock.Add(maintenance.DefaultPollInterval)
		return m.Health().OK()
	}, 10*time.Second, 5*time.Millisecond, "Run does not find the store writable again")
	_, err = m.Add(ctx, window("after the spell", time.Hour, 2*time.Hour), "alice")
	assert.NoError(t, err)
}

func TestDB_FileDeleted(t *testing.T) {
	ctx := t.Context()
	mock := newMock()
	path := filepath.Join(t.TempDir(), "deleted.db")
	db, err := sqlstore.Open(ctx, path, &sqlstore.Options{Clock: mock})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	ws := db.Windows()
	w, err := ws.Create(ctx, window("kept", time.Hour, 2*time.Hour))
	require.NoError(t, err)
	require.NoError(t, db.Sessions().Create(ctx, session.Session{ID: "s1", Kind: session.Agent, UserLogin: "alice"}))

	require.NoError(t, os.Remove(path))
	_, err = ws.Create(ctx, window("lost", time.Hour, 2*time.Hour))
	require.ErrorIs(t, err, sqlstore.ErrFileGone)
	assert.Contains(t, err.Error(), path, "the error names the file")

	tests := []struct {
		name string
		op   func() error
	}{
		{"update", func() error { _, err := ws.Update(ctx, w); return err }},
		{"delete", func() error { return ws.Delete(ctx, w.ID) }},
		{"get", func() error { _, err := ws.Get(ctx, w.ID); return err }},
		{"revision", func() error { _, err := ws.Revision(ctx); return err }},
		{"touch session", func() error { return db.Sessions().Touch(ctx, "s1", mock.Now()) }},
		{"create session", func() error {
			return db.Sessions().Create(ctx, session.Session{ID: "s2", Kind: session.Agent, UserLogin: "bob"})
		}},
		{"host's own statement", func() error {
			_, err := db.SQL().ExecContext(ctx, "CREATE TABLE host_things (id INTEGER)")
			return err
		}},
		{"transaction", func() error { _, err := db.SQL().BeginTx(ctx, nil); return err }},
		{"check", func() error { return db.Check(ctx) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorIs(t, tt.op(), sqlstore.ErrFileGone)
		})
	}

	h := db.Health()
	assert.ErrorIs(t, h.FileErr, sqlstore.ErrFileGone)
	assert.ErrorIs(t, h.WriteErr, sqlstore.ErrFileGone)
	assert.ErrorIs(t, h.Err(), sqlstore.ErrFileGone)
	assert.Equal(t, mock.Now(), h.FileCheckedAt)
	_, err = os.Stat(path)
	assert.ErrorIs(t, err, os.ErrNotExist, "no connection created an empty database at the path")

	m := maintenance.New(ws, &maintenance.Options{Clock: mock, Logger: quiet})
	assert.ErrorIs(t, m.Refresh(ctx), sqlstore.ErrFileGone, "the Manager's health fails too")
}

func TestDB_FileMovedAwayAndBack(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	path, moved := filepath.Join(dir, "sysmaint.db"), filepath.Join(dir, "moved.db")
	db, err := sqlstore.Open(ctx, path, &sqlstore.Options{Clock: newMock()})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	create := func(comment string) error {
		_, err := db.Windows().Create(ctx, window(comment, time.Hour, 2*time.Hour))
		return err
	}
	require.NoError(t, create("before"))

	require.NoError(t, os.Rename(path, moved))
	assert.ErrorIs(t, create("while away"), sqlstore.ErrFileGone)
	assert.ErrorIs(t, db.Check(ctx), sqlstore.ErrFileGone)

	require.NoError(t, os.Rename(moved, path))
	require.NoError(t, db.Check(ctx), "the same file is back")
	assert.NoError(t, create("after"))
	assert.NoError(t, db.Health().Err())
	assert.Equal(t, 2, countWindows(t, db))
	assert.Equal(t, 2, countWindows(t, openDB(t, path)), "the writes are in the file at the path")
}

func TestDB_FileReplaced(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	path, moved := filepath.Join(dir, "sysmaint.db"), filepath.Join(dir, "moved.db")
	db, err := sqlstore.Open(ctx, path, &sqlstore.Options{Clock: newMock()})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	create := func() error {
		_, err := db.Windows().Create(ctx, window("w", time.Hour, 2*time.Hour))
		return err
	}
	require.NoError(t, create())

	// Another database, made elsewhere, takes the place of the file.
	otherPath := filepath.Join(t.TempDir(), "other.db")
	other, err := sqlstore.Open(ctx, otherPath, nil)
	require.NoError(t, err)
	require.NoError(t, other.Close())
	require.NoError(t, os.Rename(path, moved))
	require.NoError(t, os.Rename(otherPath, path))

	err = create()
	assert.ErrorIs(t, err, sqlstore.ErrFileReplaced)
	assert.NotErrorIs(t, err, sqlstore.ErrFileGone)
	assert.ErrorIs(t, db.Health().FileErr, sqlstore.ErrFileReplaced)

	// Final: even the first file back at the path does not revive the DB.
	require.NoError(t, os.Rename(moved, path))
	assert.ErrorIs(t, create(), sqlstore.ErrFileReplaced)
	assert.ErrorIs(t, db.Check(ctx), sqlstore.ErrFileReplaced)
	_, err = db.Windows().List(ctx)
	assert.ErrorIs(t, err, sqlstore.ErrFileReplaced)
}

// Reads look at the file at most once per FileCheckInterval, by the
// injected clock; writes look every time.
func TestDB_ReadsLookAtTheFileOncePerInterval(t *testing.T) {
	ctx := t.Context()
	mock := newMock()
	path := filepath.Join(t.TempDir(), "sysmaint.db")
	db, err := sqlstore.Open(ctx, path, &sqlstore.Options{Clock: mock, FileCheckInterval: time.Minute})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	w, err := db.Windows().Create(ctx, window("w", time.Hour, 2*time.Hour))
	require.NoError(t, err)

	require.NoError(t, os.Remove(path))
	mock.Add(time.Minute - time.Millisecond)
	_, err = db.Windows().Get(ctx, w.ID)
	assert.NoError(t, err, "a read within the interval does not look")
	mock.Add(time.Millisecond)
	_, err = db.Windows().Get(ctx, w.ID)
	assert.ErrorIs(t, err, sqlstore.ErrFileGone, "a read after the interval looks")
}

func TestOpen_ConnMaxLifetime(t *testing.T) {
	tests := []struct {
		name       string
		lifetime   time.Duration
		wantClosed bool
	}{
		{"default", 0, false},
		{"no limit", -1, false},
		{"a nanosecond", time.Nanosecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := sqlstore.Open(t.Context(), filepath.Join(t.TempDir(), "x.db"),
				&sqlstore.Options{ConnMaxLifetime: tt.lifetime})
			require.NoError(t, err)
			t.Cleanup(func() { assert.NoError(t, db.Close()) })
			for range 3 {
				_, err := db.Windows().List(t.Context())
				require.NoError(t, err)
			}
			assert.Equal(t, tt.wantClosed, db.SQL().Stats().MaxLifetimeClosed > 0)
		})
	}
}

func TestDB_CheckAfterClose(t *testing.T) {
	db, err := sqlstore.Open(t.Context(), filepath.Join(t.TempDir(), "x.db"), nil)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, db.Check(ctx), context.Canceled)
	require.NoError(t, db.Check(t.Context()))
	require.NoError(t, db.Close())
	assert.Error(t, db.Check(t.Context()))
}
