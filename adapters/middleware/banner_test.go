package middleware_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

func TestBanner(t *testing.T) {
	noon := window(at(12, 0), at(14, 0))
	noon.NotifyMessage = "Read-only until 14:00 UTC."
	plain := window(at(12, 0), at(14, 0))
	tests := []struct {
		name       string
		now        time.Time
		windows    []maintenance.Window
		lang       string
		anonymous  bool
		wantViewer bool // whether the viewer is asked
		wantKind   notify.Kind
		wantText   string
		sameReq    bool // next gets the very request Banner got
	}{
		{name: "no window", now: at(10, 0), sameReq: true},
		{name: "window far away", now: at(10, 0), windows: []maintenance.Window{noon}, sameReq: true},
		{name: "window finished", now: at(14, 0), windows: []maintenance.Window{noon}, sameReq: true},
		{
			name: "upcoming", now: at(11, 30), windows: []maintenance.Window{noon}, wantViewer: true,
			wantKind: notify.NoticeUpcoming,
			wantText: "A system maintenance period will start at: 11/24/2026 13:00 CET and is expected to stop at: 11/24/2026 15:00 CET",
		},
		{
			name: "upcoming in German", now: at(11, 30), windows: []maintenance.Window{noon}, lang: "de", wantViewer: true,
			wantKind: notify.NoticeUpcoming,
			wantText: "Eine Systemwartung beginnt am 24.11.2026 13:00 CET und endet voraussichtlich am 24.11.2026 15:00 CET",
		},
		{name: "active with the window's message", now: at(12, 0), windows: []maintenance.Window{noon}, wantViewer: true, wantKind: notify.NoticeActive, wantText: "Read-only until 14:00 UTC."},
		{name: "active with the default message", now: at(13, 59), windows: []maintenance.Window{plain}, wantViewer: true, wantKind: notify.NoticeActive, wantText: notify.DefaultActiveNotification},
		{name: "anonymous during a window", now: at(12, 30), windows: []maintenance.Window{noon}, anonymous: true, wantViewer: true, sameReq: true},
		{name: "anonymous while upcoming", now: at(11, 45), windows: []maintenance.Window{noon}, anonymous: true, wantViewer: true, sameReq: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newManager(t, tt.now, tt.windows...)
			asked := false
			viewer := func(*http.Request) (notify.Viewer, bool) {
				asked = true
				return agentViewer(t, tt.lang), !tt.anonymous
			}
			req := httptest.NewRequest(http.MethodGet, "/tickets", nil)
			var got notify.Notice
			var gotReq *http.Request
			next := http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				gotReq = r
				got = middleware.NoticeFromContext(r.Context())
			})
			rec := serve(middleware.Banner(m, notify.New(nil), viewer)(next), req)

			assert.Equal(t, http.StatusOK, rec.Code)
			require.NotNil(t, gotReq, "next was not called")
			assert.Equal(t, tt.wantViewer, asked, "viewer asked")
			assert.Equal(t, tt.sameReq, gotReq == req, "request passed unchanged")
			assert.Equal(t, tt.wantKind, got.Kind)
			assert.Equal(t, tt.wantText, got.Text)
		})
	}
}

// The window supplying an active notice is in the notice, for templates that
// show its stop.
func TestBanner_NoticeWindow(t *testing.T) {
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	var got notify.Notice
	h := middleware.Banner(m, notify.New(nil), func(*http.Request) (notify.Viewer, bool) { return notify.Viewer{}, true })(
		http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = middleware.NoticeFromContext(r.Context()) }))
	serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Equal(t, at(14, 0), got.Window.Stop)
}

func TestBanner_NoAllocsWithoutWindow(t *testing.T) {
	m, _ := newManager(t, at(10, 0), window(at(12, 0), at(14, 0)))
	h := middleware.Banner(m, notify.New(nil), func(*http.Request) (notify.Viewer, bool) {
		t.Fatal("viewer asked on the hot path")
		return notify.Viewer{}, false
	})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	var w nopWriter
	assert.Zero(t, testing.AllocsPerRun(100, func() { h.ServeHTTP(w, req) }))
}

func TestNoticeFromContext_Missing(t *testing.T) {
	assert.Equal(t, notify.Notice{}, middleware.NoticeFromContext(context.Background()))
	type otherKey struct{}
	ctx := context.WithValue(context.Background(), otherKey{}, notify.Notice{Kind: notify.NoticeActive})
	assert.Equal(t, notify.Notice{}, middleware.NoticeFromContext(ctx), "another package's key is not ours")
}

func TestBanner_PanicsOnNil(t *testing.T) {
	m, _ := newManager(t, at(10, 0))
	texts := notify.New(nil)
	viewer := func(*http.Request) (notify.Viewer, bool) { return notify.Viewer{}, false }
	assert.PanicsWithValue(t, "middleware: Banner: nil *maintenance.Manager", func() { middleware.Banner(nil, texts, viewer) })
	assert.PanicsWithValue(t, "middleware: Banner: nil *notify.Texts", func() { middleware.Banner(m, nil, viewer) })
	assert.PanicsWithValue(t, "middleware: Banner: nil ViewerFunc", func() { middleware.Banner(m, texts, nil) })
}

// nopWriter is a ResponseWriter that discards everything, for alloc counts
// and benchmarks.
type nopWriter struct{}

func (nopWriter) Header() http.Header         { return nil }
func (nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (nopWriter) WriteHeader(int)             {}
