package middleware_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

// A request's user travels in the X-User header: "admin", "agent",
// "customer" or none.
func userOf(r *http.Request) (session.Session, bool) {
	switch u := r.Header.Get("X-User"); u {
	case "admin":
		return session.Session{ID: "s-admin", Kind: session.Agent, UserLogin: u, Admin: true}, true
	case "agent":
		return session.Session{ID: "s-agent", Kind: session.Agent, UserLogin: u}, true
	case "customer":
		return session.Session{ID: "s-customer", Kind: session.Customer, UserLogin: u}, true
	}
	return session.Session{}, false
}

func viewerOf(r *http.Request) (notify.Viewer, bool) {
	s, ok := userOf(r)
	if !ok {
		return notify.Viewer{}, false
	}
	return notify.Viewer{Kind: s.Kind, Language: r.Header.Get("Accept-Language")}, true
}

// echo answers 200 with the notice the banner left in the context.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	n := middleware.NoticeFromContext(r.Context())
	fmt.Fprintf(w, "%s|%s", n.Kind, n.Text)
})

func endSession(w http.ResponseWriter, r *http.Request, s session.Session) {
	http.Redirect(w, r, "/login?ended="+s.ID, http.StatusSeeOther)
}

// TestMaintenance_SameAsStacked checks that the combined middleware answers
// every request exactly as EndSessions, Lockout and Banner stacked do,
// across a window's whole life.
func TestMaintenance_SameAsStacked(t *testing.T) {
	w := window(at(12, 0), at(13, 0))
	w.NotifyMessage = "Back at 13:00."
	m, mock := newManager(t, at(10, 0), w, window(at(13, 0), at(14, 0)))
	texts := notify.New(nil)
	lockOpts := &middleware.LockoutOptions{
		Allow:   []string{"/login", "/static/"},
		IsAdmin: func(r *http.Request) bool { s, ok := userOf(r); return ok && s.Admin },
	}
	sessOpts := &middleware.EndSessionsOptions{Session: userOf, End: endSession}

	stacked := middleware.EndSessions(m, sessOpts)(
		middleware.Lockout(m, &middleware.LockoutOptions{Allow: lockOpts.Allow, IsAdmin: lockOpts.IsAdmin, Texts: texts, Viewer: viewerOf})(
			middleware.Banner(m, texts, viewerOf)(echo)))
	combined := middleware.Maintenance(m, &middleware.Options{
		Texts: texts, Viewer: viewerOf, Lockout: lockOpts, Sessions: sessOpts,
	})(echo)

	instants := []time.Time{at(10, 0), at(11, 30), at(11, 59), at(12, 0), at(12, 30), at(13, 0), at(13, 59), at(14, 0)}
	type req struct{ user, path, accept, lang string }
	reqs := []req{
		{"", "/tickets", "", ""},
		{"", "/login", "", ""},
		{"admin", "/admin", "", ""},
		{"agent", "/tickets", "", "de"},
		{"agent", "/login/../tickets", "application/json", ""},
		{"customer", "/static/app.css", "", ""},
		{"customer", "/tickets", "application/json", ""},
	}
	sawLockout, sawEnded, sawBanner := false, false, false
	for _, ti := range instants {
		mock.Set(ti)
		for _, q := range reqs {
			t.Run(fmt.Sprintf("%s %s %s", ti.Format("15:04"), q.user, q.path), func(t *testing.T) {
				newReq := func() *http.Request {
					r := httptest.NewRequest(http.MethodGet, q.path, nil)
					if q.user != "" {
						r.Header.Set("X-User", q.user)
					}
					if q.accept != "" {
						r.Header.Set("Accept", q.accept)
					}
					r.Header.Set("Accept-Language", q.lang)
					return r
				}
				want, got := serve(stacked, newReq()), serve(combined, newReq())
				assert.Equal(t, want.Code, got.Code)
				assert.Equal(t, want.Header(), got.Header())
				assert.Equal(t, want.Body.String(), got.Body.String())
				switch {
				case got.Code == http.StatusServiceUnavailable:
					sawLockout = true
				case got.Code == http.StatusSeeOther:
					sawEnded = true
				case got.Body.String() != "none|":
					sawBanner = true
				}
			})
		}
	}
	assert.True(t, sawLockout && sawEnded && sawBanner, "the cases reach every branch")
}

func TestMaintenance_Defaults(t *testing.T) {
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(13, 0)))
	h := middleware.Maintenance(m, nil)(echo)
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("X-User", "agent")
	rec := serve(h, r)
	assert.Equal(t, http.StatusOK, rec.Code, "no lockout unless asked")
	assert.Equal(t, "none|", rec.Body.String(), "no banner without a Viewer")

	assert.PanicsWithValue(t, "middleware: Maintenance: nil *maintenance.Manager", func() { middleware.Maintenance(nil, nil) })
	assert.Panics(t, func() {
		middleware.Maintenance(m, &middleware.Options{Sessions: &middleware.EndSessionsOptions{}})
	}, "sessions without callbacks")
}

// With no window near, Maintenance allocates nothing and calls no callback.
func TestMaintenance_NoAllocs(t *testing.T) {
	m, _ := newManager(t, at(10, 0), window(at(12, 0), at(14, 0)))
	h := combined(t, m, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	req := httptest.NewRequest(http.MethodGet, "/tickets", nil)
	var w nopWriter
	assert.Zero(t, testing.AllocsPerRun(1000, func() { h.ServeHTTP(w, req) }))
}

// combined wraps h in Maintenance with every part on, and callbacks that
// fail the test if called: on the hot path none is.
func combined(tb testing.TB, m *maintenance.Manager, h http.Handler) http.Handler {
	return combinedWith(tb, m, h, &middleware.LockoutOptions{Allow: []string{"/login", "/static/"}})
}

// combinedWith is combined with the lockout's options lo; its IsAdmin is
// set to one that fails the test.
func combinedWith(tb testing.TB, m *maintenance.Manager, h http.Handler, lo *middleware.LockoutOptions) http.Handler {
	fail := func(what string) { tb.Error(what + " called on the hot path") }
	return middleware.Maintenance(m, &middleware.Options{
		Viewer:  func(*http.Request) (notify.Viewer, bool) { fail("viewer"); return notify.Viewer{}, false },
		Lockout: withAdmin(lo, func(*http.Request) bool { fail("IsAdmin"); return false }),
		Sessions: &middleware.EndSessionsOptions{
			Session: func(*http.Request) (session.Session, bool) { fail("Session"); return session.Session{}, false },
			End:     func(http.ResponseWriter, *http.Request, session.Session) { fail("End") },
		},
	})(h)
}
