package httpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// benchAPI returns a Manager over a memory store holding n windows, a
// quarter of them cancelled, one active at t0, and a handler over it.
func benchAPI(b *testing.B, n int) (*maintenance.Manager, func() http.Handler) {
	mock := clock.NewMock()
	mock.Set(t0)
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock, Logger: slog.New(slog.DiscardHandler)})
	ctx := context.Background()
	for i := range n {
		w := maintenance.Window{
			Start: at(time.Duration(i-n/2) * time.Hour), Stop: at(time.Duration(i-n/2)*time.Hour + 90*time.Minute),
			Comment: "window, with text; to escape", NotifyMessage: "Maintenance until later", Validity: maintenance.Valid,
		}
		if i%4 == 3 {
			w.Validity = maintenance.Invalid
		}
		if _, err := m.Add(ctx, w, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	return m, func() http.Handler {
		return httpapi.New(m, authorize, &httpapi.Options{Logger: slog.New(slog.DiscardHandler)})
	}
}

// serve sends one GET to h and returns the recorder.
func serve(h http.Handler, path string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.Header.Set("Authorization", "Bearer "+adminToken)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// BenchmarkStatus measures GET /status on 1 000 windows, during
// maintenance: authorization, the status from the compiled schedule, and
// the JSON.
func BenchmarkStatus(b *testing.B) {
	m, newHandler := benchAPI(b, 1000)
	if !m.Status().Active() {
		b.Fatal("no window is active")
	}
	h := newHandler()
	b.ReportAllocs()
	for b.Loop() {
		if w := serve(h, "/status"); w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkCalendar measures the feed on 1 000 windows (those within its
// history): built (a new handler each time, so nothing is kept), kept
// (served from the last build), and a conditional poll answered 304. It
// reports the builds per request: 1 when built, 0 otherwise.
func BenchmarkCalendar(b *testing.B) {
	_, newHandler := benchAPI(b, 1000)
	b.Run("build", func(b *testing.B) {
		b.ReportAllocs()
		var builds int64
		for b.Loop() {
			b.StopTimer()
			h := newHandler()
			b.StartTimer()
			if w := serve(h, "/calendar.ics"); w.Code != http.StatusOK {
				b.Fatal(w.Code)
			}
			builds += httpapi.FeedBuilds(h)
		}
		b.ReportMetric(float64(builds)/float64(b.N), "builds/op")
	})
	for _, c := range []struct {
		name   string
		status int
	}{{"kept", http.StatusOK}, {"304", http.StatusNotModified}} {
		b.Run(c.name, func(b *testing.B) {
			h := newHandler()
			first := serve(h, "/calendar.ics")
			header := []string{}
			if c.status == http.StatusNotModified {
				header = []string{"If-None-Match", first.Header().Get("ETag")}
			}
			before := httpapi.FeedBuilds(h)
			b.ReportAllocs()
			for b.Loop() {
				if w := serve(h, "/calendar.ics", header...); w.Code != c.status {
					b.Fatal(w.Code)
				}
			}
			b.ReportMetric(float64(httpapi.FeedBuilds(h)-before)/float64(b.N), "builds/op")
		})
	}
}

// BenchmarkCalendar_Recurring measures building the feed of 1 000 weekly
// windows in Europe/Berlin, begun a year before, each with two
// exceptions: one event each, with its RRULE and EXDATEs.
func BenchmarkCalendar_Recurring(b *testing.B) {
	mock := clock.NewMock()
	mock.Set(t0)
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock, Logger: slog.New(slog.DiscardHandler)})
	berlin, _ := maintenance.LoadZone("Europe/Berlin")
	for i := range 1000 {
		start := time.Date(2025, 11, 2+i%7, i%24, 0, 0, 0, berlin) // a year before, on each weekday
		w := maintenance.Window{Start: start, Stop: start.Add(2 * time.Hour), Comment: "weekly", Validity: maintenance.Valid,
			Recurrence: maintenance.Recurrence{Rule: "FREQ=WEEKLY", Zone: "Europe/Berlin",
				Exceptions: []time.Time{start.AddDate(0, 0, 7), start.AddDate(0, 0, 14)}}}
		if _, err := m.Add(context.Background(), w, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		h := httpapi.New(m, authorize, &httpapi.Options{Logger: slog.New(slog.DiscardHandler)})
		b.StartTimer()
		if w := serve(h, "/calendar.ics"); w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}
