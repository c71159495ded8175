package middleware

import (
	"context"
	"net/http"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// ViewerFunc returns the logged-in user who is making r, as a
// [notify.Viewer] (kind, time zone, language). The bool is false for an
// anonymous request. It is called only while a window is active or
// upcoming, never on the hot path, so it may read the host's session.
type ViewerFunc func(r *http.Request) (notify.Viewer, bool)

// noticeKey is the context key under which Banner stores the notice.
type noticeKey struct{}

// Banner returns a middleware that puts the maintenance banner for the
// logged-in viewer into the request context, where templates read it with
// [NoticeFromContext].
//
// When no window is active or upcoming, the request goes to next unchanged:
// no viewer lookup, no new context, no allocation. Otherwise viewer is asked
// who is reading; an anonymous request, or one with nothing to show, goes to
// next unchanged, and a logged-in one with the notice [notify.Texts.Banner]
// gives for the status and the viewer.
//
// The notice's text comes from the Texts' cache, but a request with a
// notice costs what net/http's r.WithContext costs: two allocations, the
// copy of the request and its new context, on every request near or during
// a window. A handler that reads the notice through [Notices] instead pays
// none.
//
// Banner panics if m, t or viewer is nil.
func Banner(m *maintenance.Manager, t *notify.Texts, viewer ViewerFunc) func(http.Handler) http.Handler {
	if m == nil {
		panic("middleware: Banner: nil *maintenance.Manager")
	}
	if t == nil {
		panic("middleware: Banner: nil *notify.Texts")
	}
	if viewer == nil {
		panic("middleware: Banner: nil ViewerFunc")
	}
	b := newBanner(t, viewer)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, b.attach(m.Status(), r))
		})
	}
}

// banner is the work of Banner at a given status, shared with Maintenance
// and Notices.
type banner struct {
	texts  *notify.Texts
	viewer ViewerFunc
	cache  noticeCache
}

func newBanner(t *notify.Texts, viewer ViewerFunc) banner {
	return banner{texts: t, viewer: viewer, cache: newNoticeCache()}
}

// attach returns r with the viewer's notice at st in its context, or r
// itself when there is nothing to show: always so when no window is active
// or upcoming, without asking who the viewer is.
func (b banner) attach(st maintenance.Status, r *http.Request) *http.Request {
	if !st.Active() {
		if !st.HasUpcoming() {
			return r
		}
	}
	v, ok := b.viewer(r)
	if !ok {
		return r
	}
	n := b.cache.notice(b.texts, st, v)
	if n.Kind == notify.NoticeNone {
		return r
	}
	return r.WithContext(&noticeCtx{Context: r.Context(), notice: n})
}

// noticeCtx is the context Banner gives a request: its parent with the
// notice as the value of noticeKey, as context.WithValue would make it,
// but in one allocation of three words: WithValue would take a second to
// box the notice (some 330 bytes) into an interface.
type noticeCtx struct {
	context.Context
	notice *notify.Notice // from the cache: never changed
}

// Value returns the notice for noticeKey and asks the parent for every
// other key, as context.WithValue's context does.
func (c *noticeCtx) Value(key any) any {
	if key == (noticeKey{}) {
		return c.notice
	}
	return c.Context.Value(key)
}

// String describes the context, as those of package context do.
func (c *noticeCtx) String() string { return "middleware.noticeCtx" }

// NoticeFromContext returns the notice [Banner] stored in ctx, or the zero
// [notify.Notice] (Kind NoticeNone: nothing to show) when there is none.
func NoticeFromContext(ctx context.Context) notify.Notice {
	if n, ok := ctx.Value(noticeKey{}).(*notify.Notice); ok {
		return *n
	}
	return notify.Notice{}
}

// Notices gives handlers the maintenance banner for their request without
// the request context: Notice reads the Manager's status, asks the viewer
// and returns the notice from the Texts' cache, with no allocation, where
// [Banner] pays net/http's r.WithContext on every request near or during a
// window. Build one when the host starts, keep it where the handlers (or
// the function that fills the templates' data) reach it, and ask it once
// per request:
//
//	notices := middleware.NewNotices(m, texts, viewer)
//	...
//	data.Notice = notices.Notice(r) // in the template: {{if .Notice.Kind}}
//
// A Notices is safe for concurrent use, provided viewer is.
type Notices struct {
	m *maintenance.Manager
	b banner
}

// NewNotices returns the Notices for m's windows, with the texts t for the
// viewer of a request. It panics if m, t or viewer is nil.
func NewNotices(m *maintenance.Manager, t *notify.Texts, viewer ViewerFunc) *Notices {
	if m == nil {
		panic("middleware: NewNotices: nil *maintenance.Manager")
	}
	if t == nil {
		panic("middleware: NewNotices: nil *notify.Texts")
	}
	if viewer == nil {
		panic("middleware: NewNotices: nil ViewerFunc")
	}
	return &Notices{m: m, b: newBanner(t, viewer)}
}

// Notice returns the notice for the viewer of r, as [Banner] would put it
// into r's context: the zero [notify.Notice] when no window is active or
// upcoming (viewer is not asked then), for an anonymous request, or when
// there is nothing to show. It allocates nothing once the notice has been
// shown to a viewer of the same language, time zone and kind at the same
// status: notices are kept for the Manager's status of the moment, a few
// hundred at most, and made again when it changes.
func (n *Notices) Notice(r *http.Request) notify.Notice {
	st := n.m.Status()
	if !st.Active() {
		if !st.HasUpcoming() {
			return notify.Notice{}
		}
	}
	v, ok := n.b.viewer(r)
	if !ok {
		return notify.Notice{}
	}
	return *n.b.cache.notice(n.b.texts, st, v)
}
