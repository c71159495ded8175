package maintenance_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// pushStore is a store that pushes its changes: WatchChanges hands its
// report function to the test, which plays the listener.
type pushStore struct {
	*flakyStore
	reports  chan func(error)
	watching atomic.Int32 // WatchChanges calls running
}

var _ maintenance.ChangeNotifier = (*pushStore)(nil)

func (s *pushStore) WatchChanges(ctx context.Context, report func(error)) error {
	s.watching.Add(1)
	defer s.watching.Add(-1)
	s.reports <- report
	<-ctx.Done()
	return nil
}

func TestManager_RunWithPush(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store := &pushStore{flakyStore: &flakyStore{WindowStore: memstore.NewWindowStore()}, reports: make(chan func(error))}
	mock := newMock()
	reader := maintenance.New(store, &maintenance.Options{Clock: mock, Logger: quiet,
		PollInterval: time.Second, ResyncInterval: time.Minute})
	writer := maintenance.New(store.WindowStore, &maintenance.Options{Clock: mock, Logger: quiet})

	done := make(chan error)
	go func() { done <- reader.Run(ctx) }()
	report := <-store.reports
	require.Eventually(t, func() bool { return reader.Health().Loaded }, 5*time.Second, time.Millisecond)
	assert.False(t, reader.Health().Pushing, "not pushing before the listener says so")

	report(nil) // listening
	require.Eventually(t, func() bool { return reader.Health().Pushing }, 5*time.Second, time.Millisecond)

	// A pushed change is in force at once: the mock clock stands still.
	_, err := writer.Add(ctx, validWindow(), "alice")
	require.NoError(t, err)
	report(nil)
	require.Eventually(t, func() bool { return reader.Status().Active() }, 5*time.Second, time.Millisecond)
	polls := store.polls.Load()

	// While the push works, PollInterval passes without a poll; the
	// safety net runs every ResyncInterval.
	mock.Add(2 * time.Second)
	assert.Never(t, func() bool { return store.polls.Load() > polls }, 50*time.Millisecond, time.Millisecond,
		"polled every PollInterval although the push works")
	require.Eventually(t, func() bool {
		mock.Add(time.Minute)
		return store.polls.Load() > polls
	}, 5*time.Second, time.Millisecond, "no safety-net poll")

	// The push goes down: Health says so, and Run polls every
	// PollInterval until it is back.
	report(errDown)
	require.Eventually(t, func() bool { return reader.Health().PushErr != nil }, 5*time.Second, time.Millisecond)
	h := reader.Health()
	assert.False(t, h.Pushing)
	assert.ErrorIs(t, h.PushErr, errDown)
	require.NoError(t, writer.Delete(ctx, 1))
	require.Eventually(t, func() bool {
		mock.Add(time.Second)
		return !reader.Status().Active()
	}, 5*time.Second, time.Millisecond, "a change made while the push is down is polled")

	report(nil)
	require.Eventually(t, func() bool { return reader.Health().Pushing }, 5*time.Second, time.Millisecond)
	assert.NoError(t, reader.Health().PushErr)

	cancel()
	require.NoError(t, <-done)
	assert.Zero(t, store.watching.Load(), "the listener outlived Run")
	assert.False(t, reader.Health().Pushing, "not pushing once Run returned")
}

// TestManager_RunWithPushCatchesUpOnReconnect: a change made while the
// listener was away is loaded when it reports that it listens again, since
// the revision moved.
func TestManager_RunWithPushCatchesUpOnReconnect(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store := &pushStore{flakyStore: &flakyStore{WindowStore: memstore.NewWindowStore()}, reports: make(chan func(error))}
	mock := newMock()
	reader := maintenance.New(store, &maintenance.Options{Clock: mock, Logger: quiet,
		PollInterval: time.Hour, ResyncInterval: time.Hour})
	writer := maintenance.New(store.WindowStore, &maintenance.Options{Clock: mock, Logger: quiet})
	done := make(chan error)
	go func() { done <- reader.Run(ctx) }()
	report := <-store.reports
	report(nil)
	require.Eventually(t, func() bool { return reader.Health().Pushing }, 5*time.Second, time.Millisecond)

	report(errDown)
	require.Eventually(t, func() bool { return reader.Health().PushErr != nil }, 5*time.Second, time.Millisecond)
	_, err := writer.Add(ctx, validWindow(), "alice") // no notification for this one
	require.NoError(t, err)
	report(nil) // listening again
	require.Eventually(t, func() bool { return reader.Status().Active() }, 5*time.Second, time.Millisecond,
		"the change made while the listener was away was missed")
	cancel()
	require.NoError(t, <-done)
}
