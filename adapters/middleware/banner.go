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
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			st := m.Status()
			if !st.Active() {
				if _, ok := st.Upcoming(); !ok {
					next.ServeHTTP(w, r)
					return
				}
			}
			v, ok := viewer(r)
			if !ok {
				next.ServeHTTP(w, r)
				return
			}
			n := t.Banner(st, v)
			if n.Kind == notify.NoticeNone {
				next.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), noticeKey{}, n)))
		})
	}
}

// NoticeFromContext returns the notice [Banner] stored in ctx, or the zero
// [notify.Notice] (Kind NoticeNone: nothing to show) when there is none.
func NoticeFromContext(ctx context.Context) notify.Notice {
	n, _ := ctx.Value(noticeKey{}).(notify.Notice)
	return n
}
