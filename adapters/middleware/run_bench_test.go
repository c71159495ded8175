package middleware_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// BenchmarkMiddleware_Run measures the middleware on a Manager with the
// real clock and no window near, with and without Run keeping the status
// of now: without Run each status read reads the clock, with Run it is an
// atomic load. "bare" is the handler alone; "combined-full" is Maintenance
// with banner, session ending and every lockout option; "stack-full" the
// separate Banner, LoginGate and Lockout stacked.
//
//	go test -run '^$' -bench 'Middleware_Run' ./adapters/middleware/
func BenchmarkMiddleware_Run(b *testing.B) {
	trivial := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	m := maintenance.New(memstore.NewWindowStore(), nil) // the real clock, no window
	run := func(b *testing.B, h http.Handler) {
		req := httptest.NewRequest(http.MethodGet, "/tickets", nil)
		var w nopWriter
		b.ReportAllocs()
		for b.Loop() {
			h.ServeHTTP(w, req)
		}
	}
	cases := func(b *testing.B) {
		b.Run("bare", func(b *testing.B) { run(b, trivial) })
		b.Run("combined-full", func(b *testing.B) { run(b, combinedWith(b, m, trivial, fullLockout(b))) })
		b.Run("stack-full", func(b *testing.B) { run(b, stackWith(b, m, trivial, fullLockout(b))) })
	}
	b.Run("no-Run", cases)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- m.Run(ctx) }()
	for !m.Health().Running {
		runtime.Gosched()
	}
	b.Run("Run", cases)
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}
