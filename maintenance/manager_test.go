package maintenance_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

func newMock() *clock.Mock {
	m := clock.NewMock()
	m.Set(base)
	return m
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newManager(t *testing.T, store maintenance.Store) (*maintenance.Manager, *clock.Mock) {
	t.Helper()
	mock := newMock()
	m := maintenance.New(store, &maintenance.Options{Clock: mock, Logger: quiet})
	require.NoError(t, m.Refresh(context.Background()))
	return m, mock
}

func TestNew_NilStorePanics(t *testing.T) {
	assert.PanicsWithValue(t, "maintenance: New called with a nil Store", func() { maintenance.New(nil, nil) })
}

func TestNew_Defaults(t *testing.T) {
	m := maintenance.New(memstore.NewWindowStore(), nil)
	assert.Equal(t, maintenance.DefaultLead, m.Lead())
	assert.NotNil(t, m.Clock())
	assert.False(t, m.Health().Loaded, "nothing loaded before Refresh")
	assert.False(t, m.Status().Active())
}

func TestManager_Add(t *testing.T) {
	ctx := context.Background()
	m, mock := newManager(t, memstore.NewWindowStore())
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	w := validWindow()
	w.ID, w.Version = 99, 7 // ignored
	w.Start = base.In(berlin).Add(123456 * time.Nanosecond)
	got, err := m.Add(ctx, w, "root@localhost")
	require.NoError(t, err)
	assert.Equal(t, int64(1), got.ID)
	assert.Equal(t, int64(1), got.Version)
	assert.Equal(t, base, got.Start, "UTC, millisecond precision")
	assert.Equal(t, time.UTC, got.Start.Location())
	assert.Equal(t, mock.Now(), got.CreatedAt)
	assert.Equal(t, mock.Now(), got.ChangedAt)
	assert.Equal(t, "root@localhost", got.CreatedBy)
	assert.Equal(t, "root@localhost", got.ChangedBy)

	again, err := m.Add(ctx, w, "root@localhost")
	require.NoError(t, err)
	assert.Equal(t, int64(2), again.ID, "an identical window is a new window with its own ID")

	stored, err := m.Get(ctx, got.ID)
	require.NoError(t, err)
	assert.Equal(t, got, stored)
}

func TestManager_AddInvalidWritesNothing(t *testing.T) {
	ctx := context.Background()
	store := memstore.NewWindowStore()
	m, _ := newManager(t, store)
	_, err := m.Add(ctx, maintenance.Window{Comment: " "}, "root")
	var ve *maintenance.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Fields, 4) // start, stop, comment, validity
	all, err := m.List(ctx)
	require.NoError(t, err)
	assert.Empty(t, all)
}

func TestManager_Update(t *testing.T) {
	ctx := context.Background()
	m, mock := newManager(t, memstore.NewWindowStore())
	w, err := m.Add(ctx, validWindow(), "alice")
	require.NoError(t, err)

	mock.Add(time.Hour)
	w.Comment = "changed"
	up, err := m.Update(ctx, w, "bob")
	require.NoError(t, err)
	assert.Equal(t, int64(2), up.Version)
	assert.Equal(t, "changed", up.Comment)
	assert.Equal(t, "alice", up.CreatedBy)
	assert.Equal(t, base, up.CreatedAt)
	assert.Equal(t, "bob", up.ChangedBy)
	assert.Equal(t, base.Add(time.Hour), up.ChangedAt)

	t.Run("stale version is a conflict", func(t *testing.T) {
		stale := w // still at version 1
		stale.Comment = "lost update"
		_, err := m.Update(ctx, stale, "carol")
		assert.ErrorIs(t, err, maintenance.ErrConflict)
		got, err := m.Get(ctx, w.ID)
		require.NoError(t, err)
		assert.Equal(t, "changed", got.Comment, "nothing written")
	})
	t.Run("unknown ID is not found", func(t *testing.T) {
		ghost := up
		ghost.ID = 404
		_, err := m.Update(ctx, ghost, "carol")
		assert.ErrorIs(t, err, maintenance.ErrNotFound)
	})
	t.Run("invalid window is refused", func(t *testing.T) {
		bad := up
		bad.Stop = bad.Start
		_, err := m.Update(ctx, bad, "carol")
		var ve *maintenance.ValidationError
		require.ErrorAs(t, err, &ve)
		got, err := m.Get(ctx, w.ID)
		require.NoError(t, err)
		assert.Equal(t, up, got, "nothing written")
	})
}

func TestManager_Delete(t *testing.T) {
	ctx := context.Background()
	m, _ := newManager(t, memstore.NewWindowStore())
	w, err := m.Add(ctx, validWindow(), "alice")
	require.NoError(t, err)
	assert.True(t, m.Status().Active())
	require.NoError(t, m.Delete(ctx, w.ID))
	assert.False(t, m.Status().Active(), "deleting an active window ends maintenance at once")
	assert.ErrorIs(t, m.Delete(ctx, w.ID), maintenance.ErrNotFound)
	_, err = m.Get(ctx, w.ID)
	assert.ErrorIs(t, err, maintenance.ErrNotFound)
}

func TestManager_List(t *testing.T) {
	ctx := context.Background()
	m, _ := newManager(t, memstore.NewWindowStore())
	add := func(start int, v maintenance.Validity) int64 {
		w := win(0, start, start+60)
		w.Validity = v
		got, err := m.Add(ctx, w, "alice")
		require.NoError(t, err)
		return got.ID
	}
	a := add(60, maintenance.Valid)
	b := add(0, maintenance.Invalid)
	c := add(60, maintenance.InvalidTemporarily)
	d := add(-7*24*60, maintenance.Valid)

	all, err := m.List(ctx)
	require.NoError(t, err)
	assert.Equal(t, []int64{d, b, a, c}, ids(all), "by start, then ID")
	valid, err := m.List(ctx, maintenance.Valid)
	require.NoError(t, err)
	assert.Equal(t, []int64{d, a}, ids(valid))
	notValid, err := m.List(ctx, maintenance.Invalid, maintenance.InvalidTemporarily)
	require.NoError(t, err)
	assert.Equal(t, []int64{b, c}, ids(notValid))
}

func TestManager_StatusFollowsClock(t *testing.T) {
	ctx := context.Background()
	m, mock := newManager(t, memstore.NewWindowStore())
	_, err := m.Add(ctx, win(0, 60, 120), "alice")
	require.NoError(t, err)

	steps := []struct {
		advance  time.Duration
		active   bool
		upcoming bool
	}{
		{0, false, false},
		{30*time.Minute - time.Millisecond, false, false},
		{time.Millisecond, false, true}, // start - lead
		{30*time.Minute - time.Millisecond, false, true},
		{time.Millisecond, true, false}, // start
		{time.Hour - time.Millisecond, true, false},
		{time.Millisecond, false, false}, // stop
	}
	for _, s := range steps {
		mock.Add(s.advance)
		st := m.Status()
		assert.Equal(t, s.active, st.Active(), "active at %v", mock.Now())
		_, up := st.Upcoming()
		assert.Equal(t, s.upcoming, up, "upcoming at %v", mock.Now())
	}
}

func TestManager_Options(t *testing.T) {
	ctx := context.Background()
	mock := newMock()
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock, Lead: 2 * time.Hour, Logger: quiet})
	_, err := m.Add(ctx, win(0, 90, 120), "alice")
	require.NoError(t, err)
	_, up := m.Status().Upcoming()
	assert.True(t, up, "a 90-minute-away window is upcoming with a 2-hour lead")
	assert.Equal(t, 2*time.Hour, m.Schedule().Lead())
}

// flakyStore fails List while broken is set.
type flakyStore struct {
	*memstore.WindowStore
	broken  atomic.Bool
	lists   atomic.Int32
	polls   atomic.Int32 // calls of Revision
	changes atomic.Int32 // calls of ChangesSince
}

func (s *flakyStore) ChangesSince(ctx context.Context, rev int64) (maintenance.Changes, error) {
	s.changes.Add(1)
	if s.broken.Load() {
		return maintenance.Changes{}, errDown
	}
	return s.WindowStore.ChangesSince(ctx, rev)
}

func (s *flakyStore) Revision(ctx context.Context) (int64, error) {
	s.polls.Add(1)
	return s.WindowStore.Revision(ctx)
}

var errDown = errors.New("database is down")

func (s *flakyStore) List(ctx context.Context, v ...maintenance.Validity) ([]maintenance.Window, error) {
	s.lists.Add(1)
	if s.broken.Load() {
		return nil, errDown
	}
	return s.WindowStore.List(ctx, v...)
}

func TestManager_RefreshFailureKeepsSchedule(t *testing.T) {
	ctx := context.Background()
	store := &flakyStore{WindowStore: memstore.NewWindowStore()}
	var logs strings.Builder
	mock := newMock()
	m := maintenance.New(store, &maintenance.Options{Clock: mock, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	require.NoError(t, m.Refresh(ctx))
	_, err := m.Add(ctx, validWindow(), "alice")
	require.NoError(t, err)
	require.True(t, m.Status().Active())

	store.broken.Store(true)
	mock.Add(time.Minute)
	err = m.Refresh(ctx)
	require.ErrorIs(t, err, errDown)
	assert.True(t, m.Status().Active(), "the active window survives the failure")
	h := m.Health()
	assert.True(t, h.Loaded)
	assert.ErrorIs(t, h.Err, errDown)
	assert.Equal(t, mock.Now(), h.FailedAt)
	assert.Equal(t, base, h.LoadedAt)
	assert.Contains(t, logs.String(), "database is down")

	// A write made while the reload fails still succeeds and is kept.
	w2, err := m.Add(ctx, win(0, 200, 260), "alice")
	require.NoError(t, err)

	store.broken.Store(false)
	require.NoError(t, m.Refresh(ctx))
	h = m.Health()
	assert.NoError(t, h.Err)
	assert.True(t, h.FailedAt.IsZero())
	assert.Contains(t, logs.String(), "refreshed after failure")
	_, err = m.Get(ctx, w2.ID)
	assert.NoError(t, err)
	assert.Equal(t, 2, m.Schedule().Len())
}

func TestManager_RunFollowsOtherProcess(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store := &flakyStore{WindowStore: memstore.NewWindowStore()}
	mock := newMock()
	reader := maintenance.New(store, &maintenance.Options{Clock: mock, Logger: quiet, PollInterval: time.Second})
	writer := maintenance.New(store.WindowStore, &maintenance.Options{Clock: mock, Logger: quiet})

	done := make(chan error)
	go func() { done <- reader.Run(ctx) }()
	require.Eventually(t, func() bool { return reader.Health().Loaded }, 5*time.Second, time.Millisecond)

	_, err := writer.Add(ctx, validWindow(), "alice")
	require.NoError(t, err)
	assert.False(t, reader.Status().Active(), "not seen before the next poll")

	// Each poll sees the change once; polls without a change do not list.
	require.Eventually(t, func() bool {
		mock.Add(time.Second)
		return reader.Status().Active()
	}, 5*time.Second, time.Millisecond)
	lists, polls := store.lists.Load(), store.polls.Load()
	require.Eventually(t, func() bool {
		mock.Add(time.Second)
		return store.polls.Load() >= polls+5
	}, 5*time.Second, time.Millisecond, "Run polls the revision")
	assert.Equal(t, lists, store.lists.Load(), "no reload while the revision stands still")

	store.broken.Store(true)
	require.NoError(t, writer.Delete(ctx, 1))
	mock.Add(time.Second)
	require.Eventually(t, func() bool { return reader.Health().Err != nil }, 5*time.Second, time.Millisecond)
	assert.True(t, reader.Status().Active(), "last good schedule kept while the store fails")

	store.broken.Store(false)
	require.Eventually(t, func() bool {
		mock.Add(time.Second)
		return !reader.Status().Active() && reader.Health().Err == nil
	}, 5*time.Second, time.Millisecond)

	cancel()
	assert.NoError(t, <-done)
}

func TestManager_CanceledContext(t *testing.T) {
	m, _ := newManager(t, memstore.NewWindowStore())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := m.Add(ctx, validWindow(), "alice")
	assert.ErrorIs(t, err, context.Canceled)
	_, err = m.Get(ctx, 1)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, m.Delete(ctx, 1), context.Canceled)
	_, err = m.List(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, m.Refresh(ctx), context.Canceled)
	all, err := m.List(context.Background())
	require.NoError(t, err)
	assert.Empty(t, all)
}

func TestManager_SetLead(t *testing.T) {
	ctx := context.Background()
	store := &flakyStore{WindowStore: memstore.NewWindowStore()}
	m, _ := newManager(t, store)
	_, err := m.Add(ctx, win(0, 60, 120), "alice")
	require.NoError(t, err)
	_, up := m.Status().Upcoming()
	require.False(t, up, "an hour away is not upcoming with the default lead")

	lists := store.lists.Load()
	m.SetLead(61 * time.Minute)
	assert.Equal(t, 61*time.Minute, m.Lead())
	w, up := m.Status().Upcoming()
	assert.True(t, up, "upcoming once the lead is raised")
	assert.Equal(t, "w", w.Comment)
	assert.Equal(t, lists, store.lists.Load(), "no store read")

	require.NoError(t, m.Refresh(ctx))
	_, up = m.Status().Upcoming()
	assert.True(t, up, "the new lead survives a reload")

	m.SetLead(0)
	assert.Equal(t, maintenance.DefaultLead, m.Lead())
}

func TestManager_Changed(t *testing.T) {
	ctx := context.Background()
	m, _ := newManager(t, memstore.NewWindowStore())
	closed := func(ch <-chan struct{}) bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	}
	ch := m.Changed()
	assert.False(t, closed(ch))
	w, err := m.Add(ctx, validWindow(), "alice")
	require.NoError(t, err)
	assert.True(t, closed(ch), "closed by Add")

	ch = m.Changed()
	assert.False(t, closed(ch), "a fresh channel after the change")
	_, err = m.Update(ctx, w, "")
	require.Error(t, err)
	assert.False(t, closed(ch), "a refused update changes nothing")
	m.SetLead(time.Hour)
	assert.True(t, closed(ch), "closed by SetLead")

	ch = m.Changed()
	require.NoError(t, m.Delete(ctx, w.ID))
	assert.True(t, closed(ch), "closed by Delete")

	ch, sched := m.Changed(), m.Schedule()
	invalid := validWindow()
	invalid.Validity = maintenance.Invalid
	_, err = m.Add(ctx, invalid, "alice")
	require.NoError(t, err)
	assert.True(t, closed(ch), "closed by a write that leaves the schedule as it was")
	assert.Same(t, sched, m.Schedule(), "and nothing recompiled")
}
