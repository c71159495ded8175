package maintenance_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// TestManager_Stats counts loads, failed loads and failed writes; refused
// writes are not failures.
func TestManager_Stats(t *testing.T) {
	ctx := context.Background()
	store := &flakyWriteStore{flakyStore: flakyStore{WindowStore: memstore.NewWindowStore()}}
	m := maintenance.New(store, &maintenance.Options{Clock: newMock(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	assert.Equal(t, maintenance.Stats{}, m.Stats())

	require.NoError(t, m.Refresh(ctx))
	w, err := m.Add(ctx, validWindow(), "alice") // a write, then a load
	require.NoError(t, err)
	assert.Equal(t, maintenance.Stats{Loads: 2}, m.Stats())

	store.broken.Store(true)
	require.Error(t, m.Refresh(ctx))
	require.Error(t, m.Refresh(ctx))
	assert.Equal(t, maintenance.Stats{Loads: 2, LoadFailures: 2}, m.Stats())

	store.broken.Store(false)
	store.writesBroken.Store(true)
	_, err = m.Add(ctx, validWindow(), "alice")
	require.ErrorIs(t, err, errDown)
	assert.Equal(t, maintenance.Stats{Loads: 2, LoadFailures: 2, WriteFailures: 1}, m.Stats())

	store.writesBroken.Store(false)
	stale := w
	_, err = m.Update(ctx, w, "bob")
	require.NoError(t, err)
	_, err = m.Update(ctx, stale, "bob")
	require.ErrorIs(t, err, maintenance.ErrConflict, "refused, not failed")
	require.ErrorIs(t, m.Delete(ctx, 999), maintenance.ErrNotFound)
	_, err = m.Add(ctx, maintenance.Window{}, "alice")
	require.Error(t, err, "invalid")
	assert.Equal(t, maintenance.Stats{Loads: 3, LoadFailures: 2, WriteFailures: 1}, m.Stats())
}

// flakyWriteStore is a flakyStore whose Create also fails while
// writesBroken is set.
type flakyWriteStore struct {
	flakyStore
	writesBroken atomic.Bool
}

func (s *flakyWriteStore) Create(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	if s.writesBroken.Load() {
		return maintenance.Window{}, errDown
	}
	return s.flakyStore.Create(ctx, w)
}

// A refresh cut short by a canceled context (Run stopping) is returned but
// neither logged nor recorded as a failure: it says nothing about the
// store.
func TestManager_RefreshCanceled(t *testing.T) {
	var logs strings.Builder
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: newMock(), Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	require.NoError(t, m.Refresh(context.Background()))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, m.Refresh(ctx), context.Canceled)
	assert.True(t, m.Health().OK(), "health unchanged")
	assert.Equal(t, maintenance.Stats{Loads: 1}, m.Stats())
	assert.Empty(t, logs.String())
}
