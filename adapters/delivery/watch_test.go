package delivery_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/delivery"
	"github.com/sysmaint/sysmaint/adapters/internal/sendtest"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/webhook"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// An administrator's request never waits for a receiver: with the
// webhook's receiver hanging, each change to the schedule returns, Watch
// hands every event to the Queue, and the Queue takes what it can hold
// and drops the rest, counted.
func TestQueue_UnderWatch_HangingReceiver(t *testing.T) {
	mock := sendtest.Clock()
	recv := sendtest.NewReceiver(t, mock)
	recv.SetScript(recv.Hang())
	sender, err := webhook.New(recv.URL, []string{webhook.NewSecret()}, &webhook.Options{Clock: mock})
	require.NoError(t, err)
	q, err := delivery.NewQueue(sender, &delivery.QueueOptions{Size: 4, Clock: mock, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	require.NoError(t, m.Refresh(context.Background()))

	var handed atomic.Int64
	counting := notify.NotifierFunc(func(ctx context.Context, e notify.Event) error {
		handed.Add(1)
		return q.Notify(ctx, e)
	})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = q.Run(ctx) })
	wg.Go(func() { _ = notify.Watch(ctx, m, counting) })

	// Watch reports the changes made after its first look, which the test
	// cannot see: it adds windows until 20 were reported.
	added := 0
	require.Eventually(t, func() bool {
		added++
		start := mock.Now().Add(time.Duration(added) * 24 * time.Hour)
		_, err := m.Add(context.Background(), maintenance.Window{Start: start, Stop: start.Add(time.Hour),
			Comment: fmt.Sprintf("window %d", added), Validity: maintenance.Valid}, "admin")
		require.NoError(t, err)
		return handed.Load() >= 20
	}, 10*time.Second, time.Millisecond)
	<-recv.Hung // the first delivery hangs

	// Every event handed over is waiting, in flight or dropped (Watch may
	// still be handing over the last one).
	require.Eventually(t, func() bool {
		st := q.Stats()
		return uint64(handed.Load()) == st.Dropped+uint64(st.Len)+1
	}, 10*time.Second, time.Millisecond)
	st := q.Stats()
	assert.Equal(t, 4, st.Len, "the queue is full")
	assert.GreaterOrEqual(t, st.Dropped, uint64(20-4-1))

	cancel() // ends the hanging delivery too
	wg.Wait()
	st = q.Stats()
	assert.Equal(t, uint64(handed.Load()), st.Delivered+st.Dropped)
	assert.Zero(t, st.Delivered)
}
