package middleware_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
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

// stringHeaderWriter is headerWriter with WriteString, as net/http's own
// ResponseWriter has: the lockout writes its cached bodies through it.
type stringHeaderWriter struct{ headerWriter }

func (stringHeaderWriter) WriteString(s string) (int, error) { return len(s), nil }

// sinkKind keeps the kind of the notices the benchmarks read, so that
// the compiler cannot drop the reads.
var sinkKind notify.Kind

// BenchmarkMiddleware_Window measures what a request pays near and during
// a window, beside bare handlers in the same run: "bare" answers at once;
// "bare-reading" also reads the notice from the request context as a
// template would (about 10 ns for the context lookup), with no middleware
// around it, and is the base of "far" and "context", whose handler does
// the same. "far" is Maintenance (banner and lockout) two hours before the
// window; "upcoming" a quarter of an hour before it, within the lead time;
// "active" during it. The banner is read in the handler: "context"
// through Maintenance and NoticeFromContext, which costs net/http's
// r.WithContext allocations; "notices" through Notices by the bare
// handler, with no middleware. "allowed" is a path of the lockout's allow
// list (a stylesheet), "locked-out-html" and "locked-out-json" the answer
// to a request it refuses, by its Accept header: Maintenance with the
// lockout only, so that the banner is not counted twice. The viewer is an
// agent in Berlin reading German.
//
// Each Manager runs as in production: the real clock, and Run keeping the
// status of now, so a figure holds every clock read the request pays (the
// 503 reads the clock once, for Retry-After). The window is placed
// relative to the clock when the benchmark starts and is hours from any
// boundary the run could cross.
//
//	go test -run '^$' -bench 'Middleware_Window' ./adapters/middleware/
func BenchmarkMiddleware_Window(b *testing.B) {
	viewer := agentViewer(b, "de")
	viewerFunc := func(*http.Request) (notify.Viewer, bool) { return viewer, true }
	texts := notify.New(nil)
	bare := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	fromContext := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := middleware.NoticeFromContext(r.Context()); n.Kind != notify.NoticeNone {
			sinkKind = n.Kind
		}
		w.WriteHeader(http.StatusNoContent)
	})
	notices := func(m *maintenance.Manager) http.Handler {
		ns := middleware.NewNotices(m, texts, viewerFunc)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if n := ns.Notice(r); n.Kind != notify.NoticeNone {
				sinkKind = n.Kind
			}
			w.WriteHeader(http.StatusNoContent)
		})
	}
	// manager returns a running Manager on the real clock whose one window
	// starts in start from now and lasts two hours.
	manager := func(start time.Duration) *maintenance.Manager {
		real := clock.New()
		m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: real})
		ctx, cancel := context.WithCancel(context.Background())
		w := window(real.Now().Add(start).Truncate(time.Second), real.Now().Add(start+2*time.Hour).Truncate(time.Second))
		w.NotifyMessage = "Helpdesk down for two hours."
		_, err := m.Add(ctx, w, "admin")
		require.NoError(b, err)
		done := make(chan error)
		go func() { done <- m.Run(ctx) }()
		b.Cleanup(func() {
			cancel()
			require.NoError(b, <-done)
		})
		for !m.Health().Running {
			runtime.Gosched()
		}
		return m
	}
	banner := func(m *maintenance.Manager) http.Handler {
		return middleware.Maintenance(m, &middleware.Options{Texts: texts, Viewer: viewerFunc})(fromContext)
	}
	lockout := func(m *maintenance.Manager) http.Handler {
		return middleware.Maintenance(m, &middleware.Options{Texts: texts,
			Lockout: &middleware.LockoutOptions{Allow: []string{"/login", "/static/"}, Viewer: viewerFunc}})(fromContext)
	}
	full := func(m *maintenance.Manager) http.Handler {
		return middleware.Maintenance(m, &middleware.Options{Texts: texts, Viewer: viewerFunc,
			Lockout: &middleware.LockoutOptions{Allow: []string{"/login", "/static/"}}})(fromContext)
	}
	run := func(b *testing.B, h http.Handler, path, accept string) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		w := stringHeaderWriter{headerWriter{h: http.Header{}}}
		h.ServeHTTP(w, req) // fill the caches
		b.ReportAllocs()
		for b.Loop() {
			clear(w.h)
			h.ServeHTTP(w, req)
		}
	}
	far, upcoming, active := manager(2*time.Hour), manager(15*time.Minute), manager(-30*time.Minute)
	require.False(b, far.Status().HasUpcoming() || far.Status().Active(), "far")
	require.True(b, upcoming.Status().HasUpcoming(), "upcoming")
	require.True(b, active.Status().Active(), "active")
	b.Run("bare", func(b *testing.B) { run(b, bare, "/tickets", "") })
	b.Run("bare-reading", func(b *testing.B) { run(b, fromContext, "/tickets", "") })
	b.Run("far", func(b *testing.B) { run(b, full(far), "/tickets", "") })
	b.Run("upcoming/context", func(b *testing.B) { run(b, banner(upcoming), "/tickets", "") })
	b.Run("upcoming/notices", func(b *testing.B) { run(b, notices(upcoming), "/tickets", "") })
	b.Run("active/context", func(b *testing.B) { run(b, banner(active), "/tickets", "") })
	b.Run("active/notices", func(b *testing.B) { run(b, notices(active), "/tickets", "") })
	b.Run("active/allowed", func(b *testing.B) { run(b, lockout(active), "/static/app.css", "") })
	b.Run("active/locked-out-html", func(b *testing.B) { run(b, lockout(active), "/tickets", "text/html") })
	b.Run("active/locked-out-json", func(b *testing.B) { run(b, lockout(active), "/tickets", "application/json") })
}

// BenchmarkLockout_Server serves locked-out requests through a real
// net/http server and client over loopback, beside a handler that writes
// an answer of the same headers and size itself (Header().Set, one
// Write): the difference is what the lockout costs beyond what net/http
// needs for any such answer. Both figures include the client's work.
func BenchmarkLockout_Server(b *testing.B) {
	m, _ := newManager(b, at(12, 30), window(at(12, 0), at(14, 0)))
	lockout := middleware.Lockout(m, nil)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { b.Error("next called") }))
	rec := httptest.NewRecorder()
	lockout.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/tickets", nil))
	body, header := rec.Body.Bytes(), rec.Header()
	same := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		for _, k := range []string{"Retry-After", "Cache-Control", "X-Content-Type-Options", "Vary", "Content-Type", "Content-Length"} {
			h.Set(k, header.Get(k))
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write(body)
	})
	run := func(b *testing.B, h http.Handler) {
		srv := httptest.NewServer(h)
		defer srv.Close()
		client := srv.Client()
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/tickets", nil)
		require.NoError(b, err)
		buf := make([]byte, 4096)
		b.ReportAllocs()
		for b.Loop() {
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			for {
				if _, err := resp.Body.Read(buf); err != nil {
					break
				}
			}
			_ = resp.Body.Close()
		}
	}
	b.Run("same-answer", func(b *testing.B) { run(b, same) })
	b.Run("lockout", func(b *testing.B) { run(b, lockout) })
}
