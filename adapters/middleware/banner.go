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
	b := banner{texts: t, viewer: viewer}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, b.attach(m.Status(), r))
		})
	}
}

// banner is the work of Banner at a given status, shared with Maintenance.
type banner struct {
	texts  *notify.Texts
	viewer ViewerFunc
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
	n := b.texts.Banner(st, v)
	if n.Kind == notify.NoticeNone {
		return r
	}
	return r.WithContext(context.WithValue(r.Context(), noticeKey{}, n))
}

// NoticeFromContext returns the notice [Banner] stored in ctx, or the zero
// [notify.Notice] (Kind NoticeNone: nothing to show) when there is none.
func NoticeFromContext(ctx context.Context) notify.Notice {
	n, _ := ctx.Value(noticeKey{}).(notify.Notice)
	return n
}
