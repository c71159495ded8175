package middleware_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// TestSynctest_WindowStartsOnTime tests a host's maintenance behaviour
// with testing/synctest and the real clock instead of a *clock.Mock:
// inside the bubble time.Sleep advances the fake time at once, as soon as
// every goroutine of the bubble is blocked. A window is written to the
// store by another process (a second Manager) to start in 10 minutes; the
// host's Manager.Run picks it up by polling, notify.Watch and notify.Relay
// report its start, and the lockout flips at the exact instant.
func TestSynctest_WindowStartsOnTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		quiet := slog.New(slog.DiscardHandler)
		store := memstore.NewWindowStore()
		m := maintenance.New(store, &maintenance.Options{Logger: quiet}) // the real clock: fake time in the bubble

		start := time.Now().Add(10 * time.Minute)
		other := maintenance.New(store, &maintenance.Options{Logger: quiet})
		_, err := other.Add(ctx, maintenance.Window{
			Start: start, Stop: start.Add(time.Hour), Comment: "Database upgrade", Validity: maintenance.Valid,
		}, "admin")
		require.NoError(t, err)

		// What Watch and Relay report, with the instant they report it.
		type report struct {
			kind notify.EventKind
			at   time.Time
		}
		var mu sync.Mutex
		reports := map[string][]report{}
		notifier := func(who string) notify.Notifier {
			return notify.NotifierFunc(func(_ context.Context, e notify.Event) error {
				mu.Lock()
				defer mu.Unlock()
				reports[who] = append(reports[who], report{e.Kind, time.Now()})
				return nil
			})
		}
		var wg sync.WaitGroup
		wg.Go(func() { assert.NoError(t, m.Run(ctx)) })
		wg.Go(func() { assert.NoError(t, notify.Watch(ctx, m, notifier("watch"))) })
		wg.Go(func() {
			assert.NoError(t, notify.Relay(ctx, m, memstore.NewOutbox(), notifier("relay"), &notify.RelayOptions{Logger: quiet}))
		})

		h := middleware.Lockout(m, nil)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
		get := func() int {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/tickets", nil))
			return rec.Code
		}

		time.Sleep(time.Second) // Run polls (every 500 ms) and loads the window
		synctest.Wait()
		_, up := m.Status().Upcoming()
		require.True(t, up, "Run loaded the window written by the other process")
		assert.Equal(t, http.StatusOK, get())

		time.Sleep(time.Until(start) - time.Millisecond)
		assert.Equal(t, http.StatusOK, get(), "a millisecond before the start")
		time.Sleep(time.Millisecond)
		assert.True(t, time.Now().Equal(start))
		assert.Equal(t, http.StatusServiceUnavailable, get(), "at the start")
		synctest.Wait() // Watch and Relay have reported the start
		mu.Lock()
		for _, who := range []string{"watch", "relay"} {
			var started []time.Time
			for _, r := range reports[who] {
				if r.kind == notify.EventStarted {
					started = append(started, r.at)
				}
			}
			assert.Equal(t, []time.Time{start}, started, "%s reports the start once, at the instant", who)
		}
		mu.Unlock()

		time.Sleep(time.Hour)
		assert.Equal(t, http.StatusOK, get(), "after the window")

		cancel()
		wg.Wait() // every goroutine sysmaint started has ended
	})
}
