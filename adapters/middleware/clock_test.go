package middleware_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// countingClock is a mock clock that counts the calls of Now.
type countingClock struct {
	*clock.Mock
	nows atomic.Int64
}

func (c *countingClock) Now() time.Time { c.nows.Add(1); return c.Mock.Now() }

// TestMiddleware_ReadsTheClockOnlyToLockOut: while Run keeps the status of
// now, Maintenance and Lockout read no clock far from a window, near one,
// or for a request they let through during one; the clock is read for a
// locked-out answer (Retry-After) only.
func TestMiddleware_ReadsTheClockOnlyToLockOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := &countingClock{Mock: clock.NewMock()}
		clk.Set(at(11, 0))
		m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: clk, PollInterval: time.Hour})
		_, err := m.Add(t.Context(), window(at(12, 0), at(14, 0)), "admin")
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- m.Run(ctx) }()
		defer func() { cancel(); assert.NoError(t, <-done) }()
		synctest.Wait()

		lo := &middleware.LockoutOptions{Allow: []string{"/login"},
			Bypass: &middleware.BypassOptions{Secrets: []string{secretA}}}
		viewer := func(*http.Request) (notify.Viewer, bool) { return notify.Viewer{}, true }
		handlers := map[string]http.Handler{
			"Lockout":     middleware.Lockout(m, lo)(&okHandler{}),
			"Maintenance": middleware.Maintenance(m, &middleware.Options{Viewer: viewer, Lockout: lo})(&okHandler{}),
		}
		tests := []struct {
			at     time.Time
			path   string
			code   int
			clocks int64
		}{
			{at(11, 0), "/tickets", http.StatusOK, 0},                  // far from the window
			{at(11, 45), "/tickets", http.StatusOK, 0},                 // its notice
			{at(12, 30), "/login", http.StatusOK, 0},                   // allowed during it
			{at(12, 30), "/tickets", http.StatusServiceUnavailable, 1}, // locked out
		}
		for _, tt := range tests {
			clk.Set(tt.at)
			synctest.Wait()
			for name, h := range handlers {
				before := clk.nows.Load()
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
				assert.Equal(t, tt.code, rec.Code, "%s: %s at %s", name, tt.path, tt.at.Format("15:04"))
				assert.Equal(t, tt.clocks, clk.nows.Load()-before, "%s: clock reads for %s at %s", name, tt.path, tt.at.Format("15:04"))
			}
		}
	})
}
