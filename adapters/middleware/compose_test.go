package middleware_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

// router has the shape of chi's: Use adds middleware around everything,
// With returns a router whose routes get extra middleware inline, Method
// registers a handler. It is built on http.ServeMux only, so the test needs
// no router dependency.
type router struct {
	mux *http.ServeMux
	use []func(http.Handler) http.Handler // around the mux, as chi's Use
	in  []func(http.Handler) http.Handler // per route, as chi's With
}

func newRouter() *router { return &router{mux: http.NewServeMux()} }

func (rt *router) Use(mw ...func(http.Handler) http.Handler) { rt.use = append(rt.use, mw...) }

func (rt *router) With(mw ...func(http.Handler) http.Handler) *router {
	return &router{mux: rt.mux, in: append(slices.Clone(rt.in), mw...)}
}

func (rt *router) Method(method, pattern string, h http.Handler) {
	rt.mux.Handle(method+" "+pattern, chain(rt.in, h))
}

func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	chain(rt.use, rt.mux).ServeHTTP(w, r)
}

// chain wraps h in mw, the first outermost, as chi and alice do.
func chain(mw []func(http.Handler) http.Handler, h http.Handler) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// TestCompose runs a small helpdesk through a window: the banner before,
// the lockout, the login gate and the ended sessions during, and normal
// service after.
func TestCompose(t *testing.T) {
	w := window(at(12, 0), at(14, 0))
	w.NotifyMessage = "Helpdesk down until 14:00."
	m, mock := newManager(t, at(11, 0), w)
	sm := session.New(memstore.NewSessionStore(), &session.Options{Clock: mock})
	host := &sessionHost{sm: sm}
	texts := notify.New(nil)

	viewer := func(r *http.Request) (notify.Viewer, bool) {
		s, ok := host.session(r)
		return notify.Viewer{Kind: s.Kind}, ok
	}
	isAdmin := func(r *http.Request) bool { s, ok := host.session(r); return ok && s.Admin }
	identify := func(r *http.Request) (maintenance.Principal, notify.Viewer, bool) {
		u, ok := users[r.PostFormValue("user")]
		if !ok || u.password != r.PostFormValue("password") {
			return maintenance.Principal{}, notify.Viewer{}, false
		}
		return u.p, notify.Viewer{Kind: u.p.Kind}, true
	}
	login := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ok := users[r.PostFormValue("user")]
		if !ok || u.password != r.PostFormValue("password") {
			http.Error(w, "Login failed!", http.StatusUnauthorized)
			return
		}
		s, err := sm.Add(r.Context(), session.Session{ID: u.p.Login + "-web", Kind: u.p.Kind, UserLogin: u.p.Login, Admin: u.p.Admin})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: s.ID})
		http.Redirect(w, r, "/tickets", http.StatusSeeOther)
	})
	tickets := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "tickets [%s]", middleware.NoticeFromContext(r.Context()).Text)
	})

	r := newRouter()
	r.Use(
		middleware.EndSessions(m, &middleware.EndSessionsOptions{Session: host.session, End: host.end}),
		middleware.Lockout(m, &middleware.LockoutOptions{Allow: []string{"/login", "/healthz"}, IsAdmin: isAdmin}),
		middleware.Banner(m, texts, viewer),
	)
	r.Method(http.MethodGet, "/login", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		msg, _ := texts.LoginMessage(m.Status(), notify.Viewer{})
		fmt.Fprintf(w, "login form [%s]", msg)
	}))
	r.With(middleware.LoginGate(m, texts, identify, nil)).Method(http.MethodPost, "/login", login)
	r.Method(http.MethodGet, "/tickets", tickets)
	r.Method(http.MethodGet, "/healthz", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }))

	srv := httptest.NewServer(r)
	defer srv.Close()
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	do := func(method, path, sid string, form url.Values) (int, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequest(method, srv.URL+path, body)
		require.NoError(t, err)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if sid != "" {
			req.AddCookie(&http.Cookie{Name: "sid", Value: sid})
		}
		resp, err := client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(b)
	}
	creds := func(user string) url.Values { return url.Values{"user": {user}, "password": {"secret"}} }

	// 11:00, an hour before: everyone logs in, nothing to show.
	for _, u := range []string{"root", "anna", "carl"} {
		code, _ := do(http.MethodPost, "/login", "", creds(u))
		require.Equal(t, http.StatusSeeOther, code, u)
	}
	code, body := do(http.MethodGet, "/tickets", "anna-web", nil)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "tickets []", body)

	// 11:45, upcoming: logged-in users see the notice, anonymous ones don't.
	mock.Set(at(11, 45))
	_, body = do(http.MethodGet, "/tickets", "anna-web", nil)
	assert.Equal(t, "tickets [A system maintenance period will start at: 11/24/2026 12:00 UTC and is expected to stop at: 11/24/2026 14:00 UTC]", body)
	_, body = do(http.MethodGet, "/tickets", "", nil)
	assert.Equal(t, "tickets []", body)

	// 12:30, active.
	mock.Set(at(12, 30))
	code, body = do(http.MethodGet, "/tickets", "", nil)
	assert.Equal(t, http.StatusServiceUnavailable, code, "anonymous locked out")
	assert.Contains(t, body, "Helpdesk down until 14:00.")
	code, _ = do(http.MethodGet, "/tickets", "anna-web", nil)
	assert.Equal(t, http.StatusSeeOther, code, "non-admin session ended, sent to the login page")
	code, _ = do(http.MethodGet, "/tickets", "anna-web", nil)
	assert.Equal(t, http.StatusServiceUnavailable, code, "then locked out like anyone anonymous")
	code, body = do(http.MethodGet, "/tickets", "root-web", nil)
	assert.Equal(t, http.StatusOK, code, "admin works on")
	assert.Equal(t, "tickets [Helpdesk down until 14:00.]", body)
	code, _ = do(http.MethodGet, "/healthz", "", nil)
	assert.Equal(t, http.StatusOK, code)

	// The login page stays open; the gate refuses non-admins and lets the
	// admin in; bad credentials get the host's own error.
	code, body = do(http.MethodGet, "/login", "", nil)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "login form []", body, "ShowLoginMessage is off for this window")
	code, body = do(http.MethodPost, "/login", "", creds("carl"))
	assert.Equal(t, http.StatusForbidden, code)
	assert.Equal(t, notify.DefaultLoginRefused+"\n", body)
	code, body = do(http.MethodPost, "/login", "", url.Values{"user": {"carl"}, "password": {"wrong"}})
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Equal(t, "Login failed!\n", body)

	// A non-admin session is ended on an allowed path too.
	code, _ = do(http.MethodGet, "/login", "carl-web", nil)
	assert.Equal(t, http.StatusSeeOther, code)
	sessions, err := sm.List(t.Context())
	require.NoError(t, err)
	require.Len(t, sessions, 1)
	assert.Equal(t, "root-web", sessions[0].ID, "only the admin's session is left")

	// 14:00, over: everyone is back.
	mock.Set(at(14, 0))
	code, _ = do(http.MethodPost, "/login", "", creds("anna"))
	assert.Equal(t, http.StatusSeeOther, code)
	code, body = do(http.MethodGet, "/tickets", "anna-web", nil)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "tickets []", body)
}
