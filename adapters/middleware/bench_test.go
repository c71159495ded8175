package middleware_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// stack wraps h in Banner, LoginGate and Lockout, with callbacks that fail
// the test if they are called: on the hot path none is.
func stack(tb testing.TB, m *maintenance.Manager, h http.Handler) http.Handler {
	return stackWith(tb, m, h, &middleware.LockoutOptions{Allow: []string{"/login", "/static/"}})
}

// fullLockout returns lockout options with everything configured: allow
// patterns, the address allow list behind trusted proxies, the bypass,
// the page hook, the status and counters.
func fullLockout(tb testing.TB) *middleware.LockoutOptions {
	return &middleware.LockoutOptions{
		Allow:          []string{"/login", "/static/"},
		AllowIPs:       []string{"192.0.2.0/24", "2001:db8:1::/48"},
		TrustedProxies: []string{"10.0.0.0/8"},
		Bypass:         &middleware.BypassOptions{Secrets: []string{secretA, secretB}},
		Status:         http.StatusOK,
		RetryAfter:     middleware.RetryAfterDate,
		Page: func(http.ResponseWriter, *http.Request, middleware.LockoutPage) {
			tb.Error("Page called on the hot path")
		},
		Stats: &middleware.Stats{},
	}
}

// stackWith is stack with the lockout's options lo; its IsAdmin is set to
// one that fails the test.
func stackWith(tb testing.TB, m *maintenance.Manager, h http.Handler, lo *middleware.LockoutOptions) http.Handler {
	texts := notify.New(nil)
	viewer := func(*http.Request) (notify.Viewer, bool) {
		tb.Error("viewer called on the hot path")
		return notify.Viewer{}, false
	}
	identify := func(*http.Request) (maintenance.Principal, notify.Viewer, bool) {
		tb.Error("identify called on the hot path")
		return maintenance.Principal{}, notify.Viewer{}, false
	}
	isAdmin := func(*http.Request) bool {
		tb.Error("IsAdmin called on the hot path")
		return false
	}
	return middleware.Banner(m, texts, viewer)(
		middleware.LoginGate(m, texts, identify, nil)(
			middleware.Lockout(m, withAdmin(lo, isAdmin))(h)))
}

// withAdmin returns a copy of lo with IsAdmin set.
func withAdmin(lo *middleware.LockoutOptions, isAdmin func(*http.Request) bool) *middleware.LockoutOptions {
	o := *lo
	o.IsAdmin = isAdmin
	return &o
}

// With no window near, the three middleware together allocate nothing, for
// GET and for POST (which LoginGate checks).
func TestMiddleware_NoAllocs(t *testing.T) {
	m, _ := newManager(t, at(10, 0), window(at(12, 0), at(14, 0)))
	trivial := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	hosts := map[string]http.Handler{
		"stack":             stack(t, m, trivial),
		"stack, full":       stackWith(t, m, trivial, fullLockout(t)),
		"combined, full":    combinedWith(t, m, trivial, fullLockout(t)),
		"combined, default": combined(t, m, trivial),
	}
	for name, h := range hosts {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			req := httptest.NewRequest(method, "/maintenance-bypass/"+secretA, nil)
			req.RemoteAddr = "10.0.0.1:5000"
			req.Header.Set("X-Forwarded-For", "192.0.2.1")
			var w nopWriter
			assert.Zero(t, testing.AllocsPerRun(1000, func() { h.ServeHTTP(w, req) }), name+" "+method)
		}
	}
}

// BenchmarkMiddleware measures what Banner, LoginGate and Lockout together
// add to a trivial handler when no window is near: "bare" is the handler
// alone, "wrapped" the same handler in the three. The mock clock is fixed,
// so the measure is the middleware's; "real-clock" runs the stack on a
// Manager with the real clock, whose time.Now is part of the price.
// "combined" is Maintenance with banner, lockout and session ending on,
// which reads the clock once where the stack reads it once per middleware.
// "lockout" is Lockout alone; the "-full" variants configure every lockout
// option (fullLockout: address allow list behind trusted proxies, bypass,
// page hook, status, counters), none of which runs far from a window.
func BenchmarkMiddleware(b *testing.B) {
	trivial := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mocked, _ := newManager(b, at(10, 0), window(at(12, 0), at(14, 0)))
	real := maintenance.New(memstore.NewWindowStore(), nil) // real clock, no window
	require.NoError(b, real.Refresh(context.Background()))

	run := func(b *testing.B, h http.Handler, method string) {
		req := httptest.NewRequest(method, "/tickets", nil)
		var w nopWriter
		b.ReportAllocs()
		for b.Loop() {
			h.ServeHTTP(w, req)
		}
	}
	b.Run("bare", func(b *testing.B) { run(b, trivial, http.MethodGet) })
	b.Run("wrapped", func(b *testing.B) { run(b, stack(b, mocked, trivial), http.MethodGet) })
	b.Run("wrapped-post", func(b *testing.B) { run(b, stack(b, mocked, trivial), http.MethodPost) })
	b.Run("real-clock/bare", func(b *testing.B) { run(b, trivial, http.MethodGet) })
	b.Run("real-clock/wrapped", func(b *testing.B) { run(b, stack(b, real, trivial), http.MethodGet) })
	b.Run("real-clock/wrapped-post", func(b *testing.B) { run(b, stack(b, real, trivial), http.MethodPost) })
	b.Run("combined", func(b *testing.B) { run(b, combined(b, mocked, trivial), http.MethodGet) })
	b.Run("real-clock/combined", func(b *testing.B) { run(b, combined(b, real, trivial), http.MethodGet) })
	// The same with every lockout option configured: the allow list of
	// addresses behind trusted proxies, the bypass, the page hook, the
	// status and counters. Far from a window none of it runs.
	lockout := func(b *testing.B, m *maintenance.Manager, lo *middleware.LockoutOptions) http.Handler {
		return middleware.Lockout(m, withAdmin(lo, func(*http.Request) bool { b.Error("IsAdmin called on the hot path"); return false }))(trivial)
	}
	b.Run("lockout", func(b *testing.B) { run(b, lockout(b, mocked, &middleware.LockoutOptions{}), http.MethodGet) })
	b.Run("lockout-full", func(b *testing.B) { run(b, lockout(b, mocked, fullLockout(b)), http.MethodGet) })
	b.Run("real-clock/lockout", func(b *testing.B) { run(b, lockout(b, real, &middleware.LockoutOptions{}), http.MethodGet) })
	b.Run("real-clock/lockout-full", func(b *testing.B) { run(b, lockout(b, real, fullLockout(b)), http.MethodGet) })
	b.Run("wrapped-full", func(b *testing.B) { run(b, stackWith(b, mocked, trivial, fullLockout(b)), http.MethodGet) })
	b.Run("combined-full", func(b *testing.B) { run(b, combinedWith(b, mocked, trivial, fullLockout(b)), http.MethodGet) })
	b.Run("real-clock/wrapped-full", func(b *testing.B) { run(b, stackWith(b, real, trivial, fullLockout(b)), http.MethodGet) })
	b.Run("real-clock/combined-full", func(b *testing.B) { run(b, combinedWith(b, real, trivial, fullLockout(b)), http.MethodGet) })
}

// headerWriter is a ResponseWriter that keeps the header map and discards
// the rest, for benchmarks of answers that set headers.
type headerWriter struct{ h http.Header }

func (w headerWriter) Header() http.Header       { return w.h }
func (headerWriter) Write(b []byte) (int, error) { return len(b), nil }
func (headerWriter) WriteHeader(int)             {}

// BenchmarkLockout_Window measures the lockout during a window: a request
// the allow list lets through (exact pattern, subtree pattern), one from an
// admin on a path not allowed (the allow check fails, then IsAdmin), and
// one locked out (the 503 written).
func BenchmarkLockout_Window(b *testing.B) {
	m, _ := newManager(b, at(12, 30), window(at(12, 0), at(14, 0)))
	trivial := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	h := middleware.Lockout(m, &middleware.LockoutOptions{
		Allow:   []string{"/login", "/healthz", "/static/", "GET /api/status"},
		IsAdmin: func(r *http.Request) bool { return r.Header.Get("X-Admin") != "" },
	})(trivial)
	run := func(b *testing.B, path string, admin bool) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if admin {
			req.Header.Set("X-Admin", "1")
		}
		w := headerWriter{h: http.Header{}}
		b.ReportAllocs()
		for b.Loop() {
			clear(w.h)
			h.ServeHTTP(w, req)
		}
	}
	b.Run("allowed-exact", func(b *testing.B) { run(b, "/healthz", false) })
	b.Run("allowed-subtree", func(b *testing.B) { run(b, "/static/css/app.css", false) })
	b.Run("admin", func(b *testing.B) { run(b, "/tickets/42", true) })
	b.Run("locked-out", func(b *testing.B) { run(b, "/tickets/42", false) })
}
