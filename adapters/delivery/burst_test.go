package delivery_test

import (
	"context"
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/delivery"
	"github.com/sysmaint/sysmaint/adapters/internal/sendtest"
	"github.com/sysmaint/sysmaint/adapters/webhook"
	"github.com/sysmaint/sysmaint/notify"
)

// slowReceiver holds every request until open is closed, then answers
// 410 Gone to every tenth and 204 to the others, counting both.
type slowReceiver struct {
	open           chan struct{}
	gone, accepted atomic.Int64
	n              atomic.Int64
}

func (r *slowReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	select {
	case <-r.open:
	case <-req.Context().Done():
		return
	}
	if r.n.Add(1)%10 == 0 {
		r.gone.Add(1)
		w.WriteHeader(http.StatusGone)
		return
	}
	r.accepted.Add(1)
	w.WriteHeader(http.StatusNoContent)
}

// The figure of a burst: 10 000 events handed at once to a webhook sender
// behind a Queue, whose receiver holds every request until the burst is
// over. Notify never blocks; the queue never holds more than its size;
// the heap grows by what the waiting events hold at most; every event is
// accounted for, as sent, failed or dropped. Run with -v to see the
// figures.
func TestQueue_Burst(t *testing.T) {
	const burst = 10_000
	recv := &slowReceiver{open: make(chan struct{})}
	r := sendtest.NewReceiver(t, sendtest.Clock())
	r.Config.Handler = recv
	sender, err := webhook.New(r.URL, []string{webhook.NewSecret()}, &webhook.Options{Clock: sendtest.Clock()})
	require.NoError(t, err)
	q, err := delivery.NewQueue(sender, &delivery.QueueOptions{Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	stop := start(t, q)

	es := events(burst)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	began := time.Now()
	for _, e := range es {
		require.NoError(t, q.Notify(context.Background(), e))
	}
	took := time.Since(began)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(es)
	mid := q.Stats()

	close(recv.open)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, q.Flush(ctx))
	st := q.Stats()
	stop()

	assert.Equal(t, uint64(burst), st.Delivered+st.Dropped, "every event accounted for")
	assert.Equal(t, uint64(recv.accepted.Load()), st.Delivered)
	assert.Equal(t, uint64(recv.gone.Load()), st.Failed, "410 is not retried")
	assert.Zero(t, sender.Stats().Retried)
	refused := st.Dropped - st.Failed // by the full queue, without an attempt
	assert.LessOrEqual(t, st.MaxLen, st.Cap, "the queue never holds more than its size")
	assert.Zero(t, st.Len)
	heapGrowth := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	// What may stay alive: the events waiting (their window's strings are
	// shared) and the one request in flight. 1 MiB is far above it, and
	// far below what 10 000 queued events and requests would hold.
	assert.Less(t, heapGrowth, int64(1<<20), "heap growth")

	t.Logf("burst of %d events into a queue of %d, receiver held; the queue's buffer (%d B an event, %d B) is allocated by NewQueue",
		burst, st.Cap, unsafe.Sizeof(notify.Event{}), uintptr(st.Cap)*unsafe.Sizeof(notify.Event{}))
	t.Logf("  Notify: %v in all, %v per event; waiting after the burst: %d, max %d", took, took/burst, mid.Len, mid.MaxLen)
	t.Logf("  heap growth (live, after GC): %d B; allocated during the burst: %d B in %d objects",
		heapGrowth, after.TotalAlloc-before.TotalAlloc, after.Mallocs-before.Mallocs)
	t.Logf("  delivered %d + failed (410) %d + dropped by the full queue %d = %d",
		st.Delivered, st.Failed, refused, st.Delivered+st.Failed+refused)
}

// BenchmarkQueue_Notify measures a Notify that the queue takes, with a
// consumer that takes the events as fast as it can.
func BenchmarkQueue_Notify(b *testing.B) {
	q, err := delivery.NewQueue(notify.NotifierFunc(func(context.Context, notify.Event) error { return nil }),
		&delivery.QueueOptions{Size: delivery.MaxQueueSize})
	require.NoError(b, err)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = q.Run(ctx) })
	e := events(1)[0]
	b.ReportAllocs()
	for b.Loop() {
		_ = q.Notify(ctx, e)
	}
	b.StopTimer()
	_ = q.Flush(ctx)
	cancel()
	wg.Wait()
}

// BenchmarkQueue_NotifyFull measures a Notify that a full queue drops.
func BenchmarkQueue_NotifyFull(b *testing.B) {
	q, err := delivery.NewQueue(newGate(), &delivery.QueueOptions{Size: 1, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(b, err)
	e := events(1)[0]
	_ = q.Notify(context.Background(), e) // fills it: no Run takes it
	b.ReportAllocs()
	for b.Loop() {
		_ = q.Notify(context.Background(), e)
	}
	b.ReportMetric(float64(q.Stats().Dropped)/float64(b.N), "drops/op")
}
