package maintenance_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

func TestManager_End(t *testing.T) {
	ctx := context.Background()
	m, mock := newManager(t, memstore.NewWindowStore())
	active, err := m.Add(ctx, win(0, -60, 60), "alice")
	require.NoError(t, err)
	planned, err := m.Add(ctx, win(0, 30, 90), "alice")
	require.NoError(t, err)
	finished, err := m.Add(ctx, win(0, -90, -30), "alice")
	require.NoError(t, err)

	_, err = m.End(ctx, active.ID, active.Version+1, "bob")
	require.ErrorIs(t, err, maintenance.ErrConflict, "a version the caller did not read")

	mock.Add(time.Minute)
	ended, err := m.End(ctx, active.ID, active.Version, "bob")
	require.NoError(t, err)
	assert.Equal(t, mock.Now(), ended.Stop)
	assert.Equal(t, "bob", ended.ChangedBy)
	assert.False(t, m.Status().Active(), "the schedule follows at once")

	for _, tt := range []struct {
		w     maintenance.Window
		state maintenance.State
	}{{planned, maintenance.Planned}, {finished, maintenance.Finished}, {ended, maintenance.Finished}} {
		_, err := m.End(ctx, tt.w.ID, 0, "bob")
		var nae *maintenance.NotActiveError
		require.ErrorAs(t, err, &nae, "window %d", tt.w.ID)
		assert.ErrorIs(t, err, maintenance.ErrNotActive)
		assert.Equal(t, tt.state, nae.State)
		got, gerr := m.Get(ctx, tt.w.ID)
		require.NoError(t, gerr)
		assert.Equal(t, tt.w.Version, got.Version, "an End refused wrote nothing")
	}
	_, err = m.End(ctx, 404, 0, "bob")
	assert.ErrorIs(t, err, maintenance.ErrNotFound)

	// One that starts at this very instant cannot stop before it starts:
	// it is cancelled, as EndAll does.
	startsNow, err := m.Add(ctx, maintenance.Window{Start: mock.Now(), Stop: mock.Now().Add(time.Hour),
		Comment: "starts now", Validity: maintenance.Valid}, "alice")
	require.NoError(t, err)
	cancelled, err := m.End(ctx, startsNow.ID, 0, "bob")
	require.NoError(t, err)
	assert.Equal(t, maintenance.Invalid, cancelled.Validity)
	assert.Equal(t, startsNow.Stop, cancelled.Stop)
}

func TestManager_ExtendAndCancel(t *testing.T) {
	ctx := context.Background()
	m, _ := newManager(t, memstore.NewWindowStore())
	w, err := m.Add(ctx, win(0, -60, 60), "alice")
	require.NoError(t, err)

	longer, err := m.Extend(ctx, w.ID, 0, 30*time.Minute, "bob")
	require.NoError(t, err)
	assert.Equal(t, w.Stop.Add(30*time.Minute), longer.Stop)
	assert.Equal(t, w.Version+1, longer.Version)

	_, err = m.Extend(ctx, w.ID, 0, -3*time.Hour, "bob")
	var ve *maintenance.ValidationError
	require.ErrorAs(t, err, &ve, "a stop before the start")
	_, ok := ve.Reason(maintenance.FieldStart)
	assert.True(t, ok)

	cancelled, err := m.Cancel(ctx, w.ID, longer.Version, "bob")
	require.NoError(t, err)
	assert.Equal(t, maintenance.Invalid, cancelled.Validity)
	assert.False(t, m.Status().Active())
	again, err := m.Cancel(ctx, w.ID, 0, "bob")
	require.NoError(t, err)
	assert.Equal(t, cancelled.Version, again.Version, "cancelling an invalid window writes nothing")
}

func TestManager_StartNowAndEndAll(t *testing.T) {
	ctx := context.Background()
	m, mock := newManager(t, memstore.NewWindowStore())
	down, err := m.StartNow(ctx, maintenance.Window{Comment: "deploy", Validity: maintenance.Valid}, 20*time.Minute, "ci")
	require.NoError(t, err)
	assert.Equal(t, mock.Now(), down.Start)
	assert.Equal(t, mock.Now().Add(20*time.Minute), down.Stop)
	assert.True(t, m.Status().Active())

	_, err = m.StartNow(ctx, maintenance.Window{Comment: "zero", Validity: maintenance.Valid}, 0, "ci")
	var ve *maintenance.ValidationError
	require.ErrorAs(t, err, &ve)

	mock.Add(5 * time.Minute)
	startsNow, err := m.Add(ctx, maintenance.Window{Start: mock.Now(), Stop: mock.Now().Add(time.Hour),
		Comment: "starts now", Validity: maintenance.Valid}, "ci")
	require.NoError(t, err)
	planned, err := m.Add(ctx, win(0, 60, 120), "ci")
	require.NoError(t, err)

	changed, err := m.EndAll(ctx, "ci")
	require.NoError(t, err)
	require.Len(t, changed, 2)
	assert.Equal(t, down.ID, changed[0].ID)
	assert.Equal(t, mock.Now(), changed[0].Stop, "the active window stops now")
	assert.Equal(t, startsNow.ID, changed[1].ID)
	assert.Equal(t, maintenance.Invalid, changed[1].Validity, "one that starts now cannot stop before it starts")
	assert.False(t, m.Status().Active())
	got, err := m.Get(ctx, planned.ID)
	require.NoError(t, err)
	assert.Equal(t, planned, got, "a planned window is left alone")

	none, err := m.EndAll(ctx, "ci")
	require.NoError(t, err)
	assert.Empty(t, none)
	assert.NotNil(t, none)
}

// racingStore lands a write of its own between the Manager's read and
// write, races times.
type racingStore struct {
	*memstore.WindowStore
	races   atomic.Int32
	updates atomic.Int32
}

func (s *racingStore) Update(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	s.updates.Add(1)
	if s.races.Add(-1) >= 0 {
		cur, err := s.WindowStore.Get(ctx, w.ID)
		if err != nil {
			return maintenance.Window{}, err
		}
		cur.Comment = "changed by another writer"
		if _, err := s.WindowStore.Update(ctx, cur); err != nil {
			return maintenance.Window{}, err
		}
	}
	return s.WindowStore.Update(ctx, w)
}

func TestManager_ModifyRetries(t *testing.T) {
	ctx := context.Background()
	store := &racingStore{WindowStore: memstore.NewWindowStore()}
	m, _ := newManager(t, store)
	w, err := m.Add(ctx, win(0, -60, 60), "alice")
	require.NoError(t, err)

	store.races.Store(maintenance.ModifyAttempts - 1)
	ext, err := m.Extend(ctx, w.ID, 0, time.Minute, "bob")
	require.NoError(t, err, "the last try gets through")
	assert.Equal(t, w.Stop.Add(time.Minute), ext.Stop)
	assert.Equal(t, int32(maintenance.ModifyAttempts), store.updates.Load())

	store.updates.Store(0)
	store.races.Store(maintenance.ModifyAttempts)
	_, err = m.Extend(ctx, w.ID, 0, time.Minute, "bob")
	require.ErrorIs(t, err, maintenance.ErrConflict, "gives up")
	assert.Equal(t, int32(maintenance.ModifyAttempts), store.updates.Load())

	// A version the caller expects is checked again on every retry.
	cur, err := m.Get(ctx, w.ID)
	require.NoError(t, err)
	store.races.Store(1)
	_, err = m.End(ctx, w.ID, cur.Version, "bob")
	require.ErrorIs(t, err, maintenance.ErrConflict)
	got, err := m.Get(ctx, w.ID)
	require.NoError(t, err)
	assert.Equal(t, cur.Stop, got.Stop, "ended although another write came first")

	_, _, err = m.Modify(ctx, w.ID, "bob", func(time.Time, maintenance.Window) (maintenance.Window, bool, error) {
		return maintenance.Window{}, false, errors.New("refused by the caller")
	})
	assert.EqualError(t, err, "refused by the caller")
}

// TestManager_EndAndExtendAnOccurrence ends and extends a recurring window
// in one occurrence, after its first: the series goes on as it was, the
// occurrence becomes a window of its own, and the first occurrence's times
// (the series' Start and Stop) are left alone.
func TestManager_EndAndExtendAnOccurrence(t *testing.T) {
	ctx := context.Background()
	m, mock := newManager(t, memstore.NewWindowStore())
	series, err := m.Add(ctx, weekly(t, 0), "alice") // Tuesdays 12:00-13:00 UTC from base
	require.NoError(t, err)
	third := base.Add(2 * week)

	// Between occurrences: End refuses, Extend stretches the next one.
	mock.Set(third.Add(-time.Hour))
	_, err = m.End(ctx, series.ID, 0, "bob")
	var nae *maintenance.NotActiveError
	require.ErrorAs(t, err, &nae)
	assert.Equal(t, maintenance.Planned, nae.State)
	longer, err := m.Extend(ctx, series.ID, series.Version, 30*time.Minute, "bob")
	require.NoError(t, err)
	assert.Equal(t, series.Start, longer.Start, "the series keeps its first occurrence")
	assert.Equal(t, series.Stop, longer.Stop)
	assert.Equal(t, []time.Time{third}, longer.Recurrence.Exceptions)
	moved := onlyOneOff(t, m)
	assert.Equal(t, third, moved.Start)
	assert.Equal(t, third.Add(90*time.Minute), moved.Stop)
	assert.Equal(t, "weekly notice", moved.NotifyMessage)

	// In the occurrence after: End moves it to a window that stops now.
	fourth := base.Add(3 * week)
	mock.Set(fourth.Add(20 * time.Minute))
	require.True(t, m.Status().Active())
	ended, err := m.End(ctx, series.ID, longer.Version, "bob")
	require.NoError(t, err)
	assert.Equal(t, series.Start, ended.Start)
	assert.Equal(t, series.Stop, ended.Stop)
	assert.Equal(t, []time.Time{third, fourth}, ended.Recurrence.Exceptions)
	assert.False(t, m.Status().Active(), "the schedule follows at once")
	ws, err := m.List(ctx, maintenance.Valid)
	require.NoError(t, err)
	require.Len(t, ws, 3)
	assert.Equal(t, fourth, ws[2].Start)
	assert.Equal(t, mock.Now(), ws[2].Stop, "the occurrence ran until it was ended")
	next, err := ended.Occurrences(mock.Now(), 1)
	require.NoError(t, err)
	assert.Equal(t, base.Add(4*week), next[0].Start, "the series goes on")
	st := m.StatusAt(base.Add(4*week + 10*time.Minute))
	assert.True(t, st.Active(), "and its next occurrence is in the schedule")

	// At the very start of an occurrence there is nothing to keep: skipped.
	mock.Set(base.Add(4 * week))
	skipped, err := m.End(ctx, series.ID, 0, "bob")
	require.NoError(t, err)
	assert.Equal(t, []time.Time{third, fourth, base.Add(4 * week)}, skipped.Recurrence.Exceptions)
	ws, err = m.List(ctx, maintenance.Valid)
	require.NoError(t, err)
	assert.Len(t, ws, 3, "no window for an occurrence that never ran")
	assert.False(t, m.Status().Active())

	// EndAll ends the occurrence in progress the same way.
	mock.Set(base.Add(5*week + 30*time.Minute))
	all, err := m.EndAll(ctx, "ci")
	require.NoError(t, err)
	require.Len(t, all, 1)
	assert.Equal(t, series.ID, all[0].ID)
	assert.Equal(t, series.Stop, all[0].Stop, "the series keeps its first occurrence")
	assert.Contains(t, all[0].Recurrence.Exceptions, base.Add(5*week))
	assert.False(t, m.Status().Active())

	// A series with nothing to come cannot be extended.
	done, err := m.Add(ctx, repeating(t, 0, "FREQ=DAILY;COUNT=2", "UTC", base.Format("2006-01-02 15:04"), time.Hour), "alice")
	require.NoError(t, err)
	_, err = m.Extend(ctx, done.ID, 0, time.Hour, "bob")
	require.ErrorAs(t, err, &nae)
	assert.Equal(t, maintenance.Finished, nae.State)
}

// onlyOneOff returns the one window of m that does not recur.
func onlyOneOff(t *testing.T, m *maintenance.Manager) maintenance.Window {
	t.Helper()
	ws, err := m.List(context.Background(), maintenance.Valid)
	require.NoError(t, err)
	var out []maintenance.Window
	for _, w := range ws {
		if w.Recurrence.IsZero() {
			out = append(out, w)
		}
	}
	require.Len(t, out, 1)
	return out[0]
}
