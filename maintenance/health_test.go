package maintenance_test

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// writeFailStore fails every write with errDown while broken is set.
type writeFailStore struct {
	*memstore.WindowStore
	broken atomic.Bool
	polls  atomic.Int32 // calls of Revision
}

func (s *writeFailStore) Revision(ctx context.Context) (int64, error) {
	s.polls.Add(1)
	return s.WindowStore.Revision(ctx)
}

// pollsPass advances mock until Run has polled store n more times.
func pollsPass(t *testing.T, mock interface{ Add(time.Duration) }, store *writeFailStore, n int32) {
	t.Helper()
	polls := store.polls.Load()
	require.Eventually(t, func() bool {
		mock.Add(time.Second)
		return store.polls.Load() >= polls+n
	}, 5*time.Second, time.Millisecond, "Run does not poll")
}

func (s *writeFailStore) Create(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	if s.broken.Load() {
		return maintenance.Window{}, errDown
	}
	return s.WindowStore.Create(ctx, w)
}

func (s *writeFailStore) Update(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	if s.broken.Load() {
		return maintenance.Window{}, errDown
	}
	return s.WindowStore.Update(ctx, w)
}

func (s *writeFailStore) Delete(ctx context.Context, id int64) error {
	if s.broken.Load() {
		return errDown
	}
	return s.WindowStore.Delete(ctx, id)
}

// checkingStore is a writeFailStore that is a maintenance.Checker.
type checkingStore struct {
	*writeFailStore
	checks atomic.Int32
}

func (s *checkingStore) Check(context.Context) error {
	s.checks.Add(1)
	if s.broken.Load() {
		return errDown
	}
	return nil
}

var _ maintenance.Checker = (*checkingStore)(nil)

func TestManager_HealthRecordsWriteFailures(t *testing.T) {
	ctx := context.Background()
	store := &writeFailStore{WindowStore: memstore.NewWindowStore()}
	var logs strings.Builder
	mock := newMock()
	m := maintenance.New(store, &maintenance.Options{Clock: mock, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	require.NoError(t, m.Refresh(ctx))
	w, err := m.Add(ctx, validWindow(), "alice")
	require.NoError(t, err)
	require.True(t, m.Health().OK())

	writes := []struct {
		name  string
		write func() error
	}{
		{"add", func() error { _, err := m.Add(ctx, validWindow(), "alice"); return err }},
		{"update", func() error { _, err := m.Update(ctx, w, "alice"); return err }},
		{"delete", func() error { return m.Delete(ctx, w.ID) }},
	}
	for _, tt := range writes {
		t.Run(tt.name+" that the store fails", func(t *testing.T) {
			store.broken.Store(true)
			mock.Add(time.Minute)
			require.ErrorIs(t, tt.write(), errDown)
			h := m.Health()
			assert.False(t, h.OK())
			assert.ErrorIs(t, h.WriteErr, errDown)
			assert.Equal(t, mock.Now(), h.WriteFailedAt)
			assert.NoError(t, h.Err, "the schedule's refresh is another matter")
			assert.True(t, h.Loaded)

			store.broken.Store(false)
			_, err := m.Add(ctx, validWindow(), "alice")
			require.NoError(t, err)
			h = m.Health()
			assert.True(t, h.OK(), "a successful write clears the failure")
			assert.NoError(t, h.WriteErr)
			assert.True(t, h.WriteFailedAt.IsZero())
		})
	}
	assert.Equal(t, 3, strings.Count(logs.String(), "store write failed"), "one log line per failure")
	assert.Equal(t, 3, strings.Count(logs.String(), "store writes recovered"), "and per recovery")

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	stale := w
	stale.Version = 99
	ghost := w
	ghost.ID = 404
	refused := []struct {
		name  string
		write func() error
	}{
		{"invalid window", func() error { _, err := m.Add(ctx, maintenance.Window{}, "alice"); return err }},
		{"blank actor", func() error { _, err := m.Add(ctx, validWindow(), " "); return err }},
		{"stale version", func() error { _, err := m.Update(ctx, stale, "alice"); return err }},
		{"unknown ID", func() error { _, err := m.Update(ctx, ghost, "alice"); return err }},
		{"delete unknown ID", func() error { return m.Delete(ctx, 404) }},
		{"canceled context", func() error { _, err := m.Add(canceled, validWindow(), "alice"); return err }},
	}
	for _, tt := range refused {
		t.Run(tt.name+" is refused, not failed", func(t *testing.T) {
			require.Error(t, tt.write())
			assert.True(t, m.Health().OK())
		})
	}
}

func TestManager_RunClearsWriteErrWhenTheStoreChecks(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store := &checkingStore{writeFailStore: &writeFailStore{WindowStore: memstore.NewWindowStore()}}
	mock := newMock()
	m := maintenance.New(store, &maintenance.Options{Clock: mock, Logger: quiet, PollInterval: time.Second})
	done := make(chan error)
	go func() { done <- m.Run(ctx) }()
	require.Eventually(t, func() bool { return m.Health().Loaded }, 5*time.Second, time.Millisecond)
	pollsPass(t, mock, store.writeFailStore, 3)
	assert.Zero(t, store.checks.Load(), "no check while writes work")

	store.broken.Store(true)
	_, err := m.Add(ctx, validWindow(), "alice")
	require.ErrorIs(t, err, errDown)
	require.Eventually(t, func() bool {
		mock.Add(time.Second)
		return store.checks.Load() >= 3
	}, 5*time.Second, time.Millisecond, "Run checks the store after a failed write")
	assert.ErrorIs(t, m.Health().WriteErr, errDown, "kept while Check fails")

	store.broken.Store(false)
	require.Eventually(t, func() bool {
		mock.Add(time.Second)
		return m.Health().OK()
	}, 5*time.Second, time.Millisecond, "Run clears the failure once Check passes")
	checks := store.checks.Load()
	pollsPass(t, mock, store.writeFailStore, 3)
	assert.Equal(t, checks, store.checks.Load(), "no check once writes work again")

	cancel()
	assert.NoError(t, <-done)
}

// A store that cannot check itself keeps the failure until a write
// succeeds: Run cannot know better.
func TestManager_RunKeepsWriteErrWithoutChecker(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store := &writeFailStore{WindowStore: memstore.NewWindowStore()}
	mock := newMock()
	m := maintenance.New(store, &maintenance.Options{Clock: mock, Logger: quiet, PollInterval: time.Second})
	done := make(chan error)
	go func() { done <- m.Run(ctx) }()
	require.Eventually(t, func() bool { return m.Health().Loaded }, 5*time.Second, time.Millisecond)

	store.broken.Store(true)
	_, err := m.Add(ctx, validWindow(), "alice")
	require.ErrorIs(t, err, errDown)
	store.broken.Store(false)
	pollsPass(t, mock, store, 3)
	assert.ErrorIs(t, m.Health().WriteErr, errDown)

	_, err = m.Add(ctx, validWindow(), "alice")
	require.NoError(t, err)
	assert.True(t, m.Health().OK())
	cancel()
	assert.NoError(t, <-done)
}
