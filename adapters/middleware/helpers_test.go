package middleware_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

// day is the fixed date of the tests; at returns the instant hh:mm on it.
var day = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

func at(hh, mm int) time.Time {
	return day.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}

// newManager returns a Manager over a memstore with a mock clock set to now,
// holding the given windows (added through the Manager, then refreshed).
func newManager(t testing.TB, now time.Time, ws ...maintenance.Window) (*maintenance.Manager, *clock.Mock) {
	t.Helper()
	mock := clock.NewMock()
	mock.Set(now)
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	ctx := context.Background()
	for _, w := range ws {
		if w.Comment == "" {
			w.Comment = "test window"
		}
		if w.Validity == 0 {
			w.Validity = maintenance.Valid
		}
		_, err := m.Add(ctx, w, "admin")
		require.NoError(t, err)
	}
	require.NoError(t, m.Refresh(ctx))
	return m, mock
}

// window returns a valid window [start, stop).
func window(start, stop time.Time) maintenance.Window {
	return maintenance.Window{Start: start, Stop: stop, Comment: "test window", Validity: maintenance.Valid}
}

// okHandler answers 200 "ok" and counts its calls.
type okHandler struct{ calls int }

func (h *okHandler) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	h.calls++
	_, _ = io.WriteString(w, "ok")
}

// serve runs h on a request and returns the recorder.
func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func agentViewer(t testing.TB, lang string) notify.Viewer {
	t.Helper()
	v, err := notify.NewViewer(session.Agent, "Europe/Berlin", lang)
	require.NoError(t, err)
	return v
}
