package sysmaint_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// The start of the package overview, run: a window, the middleware in
// front of a host's handler, and what a request sees before and during it.
func Example() {
	ctx := context.Background()
	mock := clock.NewMock() // the real clock when Options.Clock is nil
	mock.Set(time.Date(2026, 11, 24, 21, 45, 0, 0, time.UTC))

	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	if err := m.Refresh(ctx); err != nil {
		panic(err)
	}
	_, err := m.Add(ctx, maintenance.Window{
		Start:         time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC),
		Stop:          time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC),
		Comment:       "Database upgrade",
		NotifyMessage: "Read-only until 23:00 UTC.",
		Validity:      maintenance.Valid,
	}, "root")
	if err != nil {
		panic(err)
	}

	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "banner: "+middleware.NoticeFromContext(r.Context()).Text)
	})
	h := middleware.Maintenance(m, &middleware.Options{
		Texts:   notify.New(nil),
		Viewer:  func(*http.Request) (notify.Viewer, bool) { return notify.Viewer{}, true },
		Lockout: &middleware.LockoutOptions{Allow: []string{"/healthz"}},
	})(app)

	for _, now := range []string{"21:45", "22:30"} {
		t, _ := time.Parse("15:04", now)
		mock.Set(time.Date(2026, 11, 24, t.Hour(), t.Minute(), 0, 0, time.UTC))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/tickets", nil))
		fmt.Printf("%s %d Retry-After=%q %s\n", now, rec.Code, rec.Header().Get("Retry-After"), firstLine(rec.Body.String()))
	}
	// Output:
	// 21:45 200 Retry-After="" banner: A system maintenance period will start at: 11/24/2026 22:00 UTC and is expected to stop at: 11/24/2026 23:00 UTC
	// 22:30 503 Retry-After="1800" <!DOCTYPE html>
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}
