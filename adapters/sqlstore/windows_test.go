package sqlstore_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/maintenance/maintenancetest"
)

func TestConformance(t *testing.T) {
	maintenancetest.RunStoreTests(t, func(t *testing.T) maintenance.Store { return newDB(t).Windows() })
}

// newDB opens a new file under t.TempDir, closed when t ends.
func newDB(t *testing.T) *sqlstore.DB {
	t.Helper()
	return openDB(t, filepath.Join(t.TempDir(), "sysmaint.db"))
}

// openDB opens the file at path, closed when t ends.
func openDB(t *testing.T, path string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(t.Context(), path, nil)
	require.NoError(t, err, "Open")
	t.Cleanup(func() { assert.NoError(t, db.Close(), "Close") })
	return db
}

// monday is the fixed date the mock clocks are set to.
var monday = time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC)

func newMock() *clock.Mock {
	mock := clock.NewMock()
	mock.Set(monday)
	return mock
}

var quiet = slog.New(slog.DiscardHandler)

// runInBackground runs m.Run until t ends, and checks that it returned nil.
func runInBackground(t *testing.T, m *maintenance.Manager) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done, "Run")
	})
}

// window returns a valid window from monday+from to monday+to.
func window(comment string, from, to time.Duration) maintenance.Window {
	return maintenance.Window{
		Start:    monday.Add(from),
		Stop:     monday.Add(to),
		Comment:  comment,
		Validity: maintenance.Valid,
	}
}

func TestWindowStore_RevisionAcrossHandles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	a, b := openDB(t, path).Windows(), openDB(t, path).Windows()
	ctx := t.Context()

	rev := func() int64 {
		t.Helper()
		r, err := b.Revision(ctx)
		require.NoError(t, err)
		return r
	}
	r0 := rev()

	w, err := a.Create(ctx, window("made by a", time.Hour, 2*time.Hour))
	require.NoError(t, err)
	r1 := rev()
	assert.NotEqual(t, r0, r1, "create through another handle")

	got, err := b.Get(ctx, w.ID)
	require.NoError(t, err)
	assert.Equal(t, w, got)

	w.Comment = "changed by a"
	w, err = a.Update(ctx, w)
	require.NoError(t, err)
	r2 := rev()
	assert.NotEqual(t, r1, r2, "update through another handle")

	require.NoError(t, a.Delete(ctx, w.ID))
	r3 := rev()
	assert.NotEqual(t, r2, r3, "delete through another handle")

	_, err = a.List(ctx)
	require.NoError(t, err)
	assert.Equal(t, r3, rev(), "a read moved the revision")
}

func TestWindowStore_RevisionAfterHostSQL(t *testing.T) {
	db := newDB(t)
	ctx := t.Context()
	w, err := db.Windows().Create(ctx, window("a", time.Hour, 2*time.Hour))
	require.NoError(t, err)
	r0, err := db.Windows().Revision(ctx)
	require.NoError(t, err)

	// A host (or an operator with the sqlite3 shell) changes the table directly.
	_, err = db.SQL().ExecContext(ctx, db.SQL().Rebind(`UPDATE sysmaint_windows SET comment = ? WHERE id = ?`), "by hand", w.ID)
	require.NoError(t, err)
	r1, err := db.Windows().Revision(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, r0, r1)
}

func TestWindowStore_RefusesUnknownValidity(t *testing.T) {
	s := newDB(t).Windows()
	w := window("odd", time.Hour, 2*time.Hour)
	w.Validity = 0
	_, err := s.Create(t.Context(), w)
	require.Error(t, err)
	assert.NotErrorIs(t, err, maintenance.ErrNotFound)
	list, err := s.List(t.Context())
	require.NoError(t, err)
	assert.Empty(t, list)
}

func TestWindowStore_Closed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "closed.db")
	db, err := sqlstore.Open(t.Context(), path, nil)
	require.NoError(t, err)
	s := db.Windows()
	w, err := s.Create(t.Context(), window("a", time.Hour, 2*time.Hour))
	require.NoError(t, err)
	require.NoError(t, db.Close())
	require.NoError(t, db.Close(), "second Close")

	ctx := t.Context()
	require.NotPanics(t, func() {
		_, err := s.Create(ctx, window("b", time.Hour, 2*time.Hour))
		assert.Error(t, err, "Create")
		_, err = s.Get(ctx, w.ID)
		assert.Error(t, err, "Get")
		assert.NotErrorIs(t, err, maintenance.ErrNotFound, "Get")
		_, err = s.Update(ctx, w)
		assert.Error(t, err, "Update")
		assert.Error(t, s.Delete(ctx, w.ID), "Delete")
		_, err = s.List(ctx)
		assert.Error(t, err, "List")
		_, err = s.Revision(ctx)
		assert.Error(t, err, "Revision")
	})

	// A Manager over the closed store keeps its schedule and reports.
	m := maintenance.New(s, &maintenance.Options{Clock: newMock(), Logger: quiet})
	require.NotPanics(t, func() { assert.Error(t, m.Refresh(ctx)) })
	assert.Error(t, m.Health().Err)

	// The data survived: reopen the file.
	got, err := openDB(t, path).Windows().Get(ctx, w.ID)
	require.NoError(t, err)
	assert.Equal(t, w, got)
}

func TestManager_SeesOtherHandleAfterRefresh(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	mock := newMock()
	ctx := t.Context()
	ma := maintenance.New(openDB(t, path).Windows(), &maintenance.Options{Clock: mock, Logger: quiet})
	mb := maintenance.New(openDB(t, path).Windows(), &maintenance.Options{Clock: mock, Logger: quiet})
	require.NoError(t, ma.Refresh(ctx))
	require.NoError(t, mb.Refresh(ctx))
	during := monday.Add(90 * time.Minute)

	w, err := ma.Add(ctx, window("kernel update", time.Hour, 3*time.Hour), "admin")
	require.NoError(t, err)
	require.True(t, ma.StatusAt(during).Active(), "the writing Manager sees its change at once")
	assert.False(t, mb.StatusAt(during).Active(), "b has not refreshed yet")

	require.NoError(t, mb.Refresh(ctx))
	got, ok := mb.StatusAt(during).Window()
	require.True(t, ok, "b sees the window after Refresh")
	assert.Equal(t, w, got)
	assert.Equal(t, monday.Add(3*time.Hour), mb.StatusAt(during).End())

	w.Stop = monday.Add(2 * time.Hour)
	w, err = ma.Update(ctx, w, "admin")
	require.NoError(t, err)
	require.NoError(t, mb.Refresh(ctx))
	assert.Equal(t, monday.Add(2*time.Hour), mb.StatusAt(during).End(), "b sees the update")

	require.NoError(t, ma.Delete(ctx, w.ID))
	require.NoError(t, mb.Refresh(ctx))
	assert.False(t, mb.StatusAt(during).Active(), "b sees the delete")
}

func TestManager_RunFollowsOtherHandle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	mock := newMock()
	ma := maintenance.New(openDB(t, path).Windows(), &maintenance.Options{Clock: mock, Logger: quiet})
	mb := maintenance.New(openDB(t, path).Windows(), &maintenance.Options{Clock: mock, Logger: quiet})
	runInBackground(t, mb)

	w, err := ma.Add(t.Context(), window("database upgrade", -time.Hour, 24*time.Hour), "admin")
	require.NoError(t, err)

	// Run works in its own goroutine: tick the mock clock until b has
	// followed, which takes one poll after Run's first load.
	require.Eventually(t, func() bool {
		mock.Add(maintenance.DefaultPollInterval)
		got, ok := mb.StatusAt(monday).Window()
		return ok && got.ID == w.ID
	}, 10*time.Second, time.Millisecond, "b's Run loop did not pick up the window added through a")
	h := mb.Health()
	assert.True(t, h.Loaded)
	assert.NoError(t, h.Err)
}

// flakyWindows is a WindowStore whose List fails while down is set.
type flakyWindows struct {
	*sqlstore.WindowStore
	down atomic.Bool
}

var errDown = errors.New("test: database unreachable")

func (s *flakyWindows) List(ctx context.Context, v ...maintenance.Validity) ([]maintenance.Window, error) {
	if s.down.Load() {
		return nil, errDown
	}
	return s.WindowStore.List(ctx, v...)
}

func TestManager_KeepsLastGoodSchedule(t *testing.T) {
	ctx := t.Context()
	mock := newMock()
	store := &flakyWindows{WindowStore: newDB(t).Windows()}
	m := maintenance.New(store, &maintenance.Options{Clock: mock, Logger: quiet})
	require.NoError(t, m.Refresh(ctx))
	a, err := m.Add(ctx, window("a", -time.Hour, 3*time.Hour), "admin")
	require.NoError(t, err)
	loadedAt := m.Health().LoadedAt

	store.down.Store(true)
	mock.Add(time.Minute)
	b, err := store.WindowStore.Create(ctx, window("b", 30*time.Minute, 2*time.Hour)) // another process
	require.NoError(t, err, "the write succeeded; only the reload fails")
	assert.ErrorIs(t, m.Refresh(ctx), errDown)

	h := m.Health()
	assert.ErrorIs(t, h.Err, errDown)
	assert.Equal(t, mock.Now(), h.FailedAt)
	assert.True(t, h.Loaded)
	assert.Equal(t, loadedAt, h.LoadedAt, "LoadedAt is that of the schedule in force")
	got, ok := m.StatusAt(monday.Add(time.Hour)).Window()
	require.True(t, ok, "the active window was dropped")
	assert.Equal(t, a.ID, got.ID, "the last good schedule knows only a")
	assert.Equal(t, 1, m.Schedule().Len())

	store.down.Store(false)
	mock.Add(time.Minute)
	require.NoError(t, m.Refresh(ctx))
	h = m.Health()
	assert.NoError(t, h.Err)
	assert.Equal(t, mock.Now(), h.LoadedAt)
	assert.Equal(t, 2, m.Schedule().Len())
	got, ok = m.StatusAt(monday.Add(time.Hour)).Window()
	require.True(t, ok)
	assert.Equal(t, b.ID, got.ID, "after recovery, b (started last) supplies the messages")
}

func TestManager_RunRecoversAfterFailure(t *testing.T) {
	mock := newMock()
	store := &flakyWindows{WindowStore: newDB(t).Windows()}
	m := maintenance.New(store, &maintenance.Options{Clock: mock, Logger: quiet})
	require.NoError(t, m.Refresh(t.Context()))
	_, err := m.Add(t.Context(), window("a", -time.Hour, 3*time.Hour), "admin")
	require.NoError(t, err)

	store.down.Store(true)
	// A change the Manager has not loaded: Run must retry even though the
	// revision it reads stays the same from now on.
	_, err = store.WindowStore.Create(t.Context(), window("b", time.Hour, 2*time.Hour))
	require.NoError(t, err)
	require.Error(t, m.Refresh(t.Context()))

	runInBackground(t, m)
	assert.True(t, m.StatusAt(monday).Active(), "the last good schedule stays in force while the store is down")

	store.down.Store(false)
	require.Eventually(t, func() bool {
		mock.Add(maintenance.DefaultPollInterval)
		return m.Health().Err == nil && m.Schedule().Len() == 2
	}, 10*time.Second, time.Millisecond, "Run did not recover")
}
