package middleware_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/notify"
)

// TestNotices answers as Banner does, through and around a window.
func TestNotices(t *testing.T) {
	noon := window(at(12, 0), at(14, 0))
	noon.NotifyMessage = "Read-only until 14:00 UTC."
	tests := []struct {
		name       string
		now        time.Time
		lang       string
		anonymous  bool
		wantViewer bool
		wantKind   notify.Kind
		wantText   string
	}{
		{name: "far", now: at(10, 0)},
		{name: "finished", now: at(14, 0)},
		{name: "upcoming", now: at(11, 30), wantViewer: true, wantKind: notify.NoticeUpcoming,
			wantText: "A system maintenance period will start at: 11/24/2026 13:00 CET and is expected to stop at: 11/24/2026 15:00 CET"},
		{name: "upcoming in German", now: at(11, 30), lang: "de", wantViewer: true, wantKind: notify.NoticeUpcoming,
			wantText: "Eine Systemwartung beginnt am 24.11.2026 13:00 CET und endet voraussichtlich am 24.11.2026 15:00 CET"},
		{name: "active", now: at(12, 0), wantViewer: true, wantKind: notify.NoticeActive, wantText: noon.NotifyMessage},
		{name: "anonymous", now: at(12, 30), anonymous: true, wantViewer: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newManager(t, tt.now, noon)
			asked := 0
			viewer := func(*http.Request) (notify.Viewer, bool) {
				asked++
				return agentViewer(t, tt.lang), !tt.anonymous
			}
			texts := notify.New(nil)
			notices := middleware.NewNotices(m, texts, viewer)
			req := httptest.NewRequest(http.MethodGet, "/tickets", nil)
			for range 2 { // the second from the cache
				got := notices.Notice(req)
				assert.Equal(t, tt.wantKind, got.Kind)
				assert.Equal(t, tt.wantText, got.Text)
				if tt.wantKind != notify.NoticeNone {
					assert.Equal(t, at(12, 0), got.Window.Start)
				}
			}
			want := 0
			if tt.wantViewer {
				want = 2
			}
			assert.Equal(t, want, asked, "viewer asked")

			// Banner puts the same notice into the context.
			var fromCtx notify.Notice
			serve(middleware.Banner(m, texts, viewer)(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				fromCtx = middleware.NoticeFromContext(r.Context())
			})), req)
			assert.Equal(t, notices.Notice(req), fromCtx)
		})
	}
}

func TestNewNotices_PanicsOnNil(t *testing.T) {
	m, _ := newManager(t, at(10, 0))
	texts := notify.New(nil)
	viewer := func(*http.Request) (notify.Viewer, bool) { return notify.Viewer{}, false }
	assert.PanicsWithValue(t, "middleware: NewNotices: nil *maintenance.Manager", func() { middleware.NewNotices(nil, texts, viewer) })
	assert.PanicsWithValue(t, "middleware: NewNotices: nil *notify.Texts", func() { middleware.NewNotices(m, nil, viewer) })
	assert.PanicsWithValue(t, "middleware: NewNotices: nil ViewerFunc", func() { middleware.NewNotices(m, texts, nil) })
}

// Notice allocates nothing, far from, before and during a window, and
// Banner's context costs net/http's WithContext and one more allocation.
func TestNotices_NoAllocs(t *testing.T) {
	for _, now := range []time.Time{at(10, 0), at(11, 45), at(12, 30)} {
		m, _ := newManager(t, now, window(at(12, 0), at(14, 0)))
		v := agentViewer(t, "de")
		viewer := func(*http.Request) (notify.Viewer, bool) { return v, true }
		notices := middleware.NewNotices(m, notify.New(nil), viewer)
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		assert.Zero(t, testing.AllocsPerRun(100, func() { notices.Notice(req) }), now)

		h := middleware.Banner(m, notify.New(nil), viewer)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		var w nopWriter
		want := 2.0 // r.WithContext's copy of the request, and the context
		if now.Equal(at(10, 0)) {
			want = 0
		}
		assert.Equal(t, want, testing.AllocsPerRun(100, func() { h.ServeHTTP(w, req) }), now)
	}
}

// countingTexts returns Texts whose translator counts its calls. It is not
// a LanguageMatcher, so every text Texts does not keep is rendered.
func countingTexts() (*notify.Texts, *atomic.Int64) {
	var n atomic.Int64
	return notify.New(&notify.Settings{Translator: notify.TranslatorFunc(func(lang, text string) string {
		n.Add(1)
		return notify.DefaultCatalog().Translate(lang, text)
	})}), &n
}

// A notice is made once per status, however many requests at however many
// instants ask for it: the first request at a new instant allocates
// nothing and renders nothing. When the status changes, it is made again.
func TestNotices_OncePerStatus(t *testing.T) {
	m, mock := newManager(t, at(11, 31), window(at(12, 0), at(14, 0)))
	texts, translated := countingTexts()
	v := agentViewer(t, "de")
	notices := middleware.NewNotices(m, texts, func(*http.Request) (notify.Viewer, bool) { return v, true })
	req := httptest.NewRequest(http.MethodGet, "/", nil)

	for _, from := range []time.Time{at(11, 31), at(12, 0)} {
		n := notices.Notice(req)
		require.NotEqual(t, notify.NoticeNone, n.Kind)
		rendered := translated.Load()
		require.NotZero(t, rendered)
		for i := range 20 {
			mock.Set(from.Add(time.Duration(i) * time.Minute))
			assert.Zero(t, allocsOnce(func() { n = notices.Notice(req) }), "first request at %v", mock.Now())
			assert.Equal(t, n.Kind, notices.Notice(req).Kind)
		}
		assert.Equal(t, rendered, translated.Load(), "no rendering while the status holds")
		mock.Set(at(12, 0))
		translated.Store(0)
	}
}

// allocsOnce returns the number of allocations of one call of f, with no
// call before it (testing.AllocsPerRun calls f once first, unmeasured).
func allocsOnce(f func()) uint64 {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.Mallocs - before.Mallocs
}

// A window changed through the Manager shows at once.
func TestNotices_ChangedWindow(t *testing.T) {
	ctx := context.Background()
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	notices := middleware.NewNotices(m, notify.New(nil), func(*http.Request) (notify.Viewer, bool) { return notify.Viewer{}, true })
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	assert.Equal(t, notify.DefaultActiveNotification, notices.Notice(req).Text)

	w := m.Status()
	active, ok := w.Window()
	require.True(t, ok)
	active.NotifyMessage = "Back at three."
	active.Stop = at(15, 0)
	_, err := m.Update(ctx, active, "admin")
	require.NoError(t, err)
	n := notices.Notice(req)
	assert.Equal(t, "Back at three.", n.Text)
	assert.Equal(t, at(15, 0), n.Window.Stop)
}

// The context Banner makes answers for its parent's values and
// cancellation, as context.WithValue's does.
func TestBanner_Context(t *testing.T) {
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	type key struct{}
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "parent's"))
	req := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(parent)
	var ctx context.Context
	h := middleware.Banner(m, notify.New(nil), func(*http.Request) (notify.Viewer, bool) { return notify.Viewer{}, true })(
		http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { ctx = r.Context() }))
	serve(h, req)
	require.NotNil(t, ctx)
	assert.Equal(t, notify.NoticeActive, middleware.NoticeFromContext(ctx).Kind)
	assert.Equal(t, "parent's", ctx.Value(key{}))
	child, stop := context.WithCancel(ctx)
	defer stop()
	cancel()
	<-child.Done()
	assert.ErrorIs(t, ctx.Err(), context.Canceled)
}

// Many requests from viewers of many languages and zones, more than the
// cache keeps, get their own notices while the status changes under them
// (run with -race).
func TestNotices_Concurrent(t *testing.T) {
	m, mock := newManager(t, at(11, 55), window(at(12, 0), at(14, 0)))
	texts := notify.New(nil)
	langs := []string{"de", "en", "de-AT", "fr", "x-made-up"}
	type viewerKey struct{}
	notices := middleware.NewNotices(m, texts, func(r *http.Request) (notify.Viewer, bool) {
		return r.Context().Value(viewerKey{}).(notify.Viewer), true
	})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 400 {
				v := notify.Viewer{Location: time.FixedZone("", (g*400+i)%1000*60), Language: langs[i%len(langs)]}
				req := httptest.NewRequest(http.MethodGet, "/", nil)
				req = req.WithContext(context.WithValue(req.Context(), viewerKey{}, v))
				n := notices.Notice(req)
				var want string
				switch n.Kind {
				case notify.NoticeUpcoming:
					want = texts.Upcoming(n.Window, v)
				case notify.NoticeActive:
					want = texts.Banner(m.StatusAt(at(12, 30)), v).Text
				default:
					t.Errorf("%v: no notice", v)
					return
				}
				if n.Text != want {
					t.Errorf("%v: got %q, want %q", v, n.Text, want)
					return
				}
			}
		})
	}
	for range 10 {
		mock.Add(time.Minute)
	}
	wg.Wait()
}
