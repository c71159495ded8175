package middleware_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

// users is the host's user base for the login gate tests: login to
// password and principal.
var users = map[string]struct {
	password string
	p        maintenance.Principal
}{
	"root":  {"secret", maintenance.Principal{Login: "root", Kind: session.Agent, Admin: true}},
	"anna":  {"secret", maintenance.Principal{Login: "anna", Kind: session.Agent}},
	"carl":  {"secret", maintenance.Principal{Login: "carl", Kind: session.Customer}},
	"admin": {"secret", maintenance.Principal{Login: "admin", Kind: session.Customer, Admin: true}},
}

// identify checks the form's credentials against users, counting its calls.
func identify(calls *int, lang string) middleware.IdentifyFunc {
	return func(r *http.Request) (maintenance.Principal, notify.Viewer, bool) {
		*calls++
		u, ok := users[r.PostFormValue("user")]
		if !ok || u.password != r.PostFormValue("password") {
			return maintenance.Principal{}, notify.Viewer{Language: lang}, false // the language is known anyway
		}
		return u.p, notify.Viewer{Kind: u.p.Kind, Language: lang}, true
	}
}

func loginRequest(method, user, password string) *http.Request {
	form := url.Values{"user": {user}, "password": {password}}
	if method == http.MethodGet {
		return httptest.NewRequest(method, "/login?"+form.Encode(), nil)
	}
	r := httptest.NewRequest(method, "/login", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func TestLoginGate(t *testing.T) {
	active := window(at(12, 0), at(14, 0))
	tests := []struct {
		name         string
		now          time.Time
		method       string
		user, pass   string
		lang         string
		wantIdentify int
		wantNext     bool
		wantRefused  string // login of the refused principal; "" when not refused
		wantText     string
	}{
		{name: "admin passes during a window", now: at(12, 30), method: http.MethodPost, user: "root", pass: "secret", wantIdentify: 1, wantNext: true},
		{name: "plain agent refused", now: at(12, 30), method: http.MethodPost, user: "anna", pass: "secret", wantIdentify: 1, wantRefused: "anna", wantText: notify.DefaultLoginRefused},
		{name: "customer refused", now: at(12, 30), method: http.MethodPost, user: "carl", pass: "secret", wantIdentify: 1, wantRefused: "carl", wantText: notify.DefaultLoginRefused},
		{name: "customer marked admin refused", now: at(12, 30), method: http.MethodPost, user: "admin", pass: "secret", wantIdentify: 1, wantRefused: "admin", wantText: notify.DefaultLoginRefused},
		{name: "refusal in the viewer's language", now: at(12, 30), method: http.MethodPost, user: "anna", pass: "secret", lang: "de", wantIdentify: 1, wantRefused: "anna", wantText: "Wir führen planmäßige Wartungsarbeiten durch. Die Anmeldung ist vorübergehend nicht möglich."},
		{name: "bad credentials pass through", now: at(12, 30), method: http.MethodPost, user: "anna", pass: "wrong", wantIdentify: 1, wantNext: true},
		{name: "unknown user passes through", now: at(12, 30), method: http.MethodPost, user: "nobody", pass: "secret", wantIdentify: 1, wantNext: true},
		{name: "outside a window, identify not called", now: at(10, 0), method: http.MethodPost, user: "anna", pass: "secret", wantNext: true},
		{name: "upcoming is not a window yet", now: at(11, 59), method: http.MethodPost, user: "carl", pass: "secret", wantNext: true},
		{name: "at the stop instant the window is over", now: at(14, 0), method: http.MethodPost, user: "carl", pass: "secret", wantNext: true},
		{name: "GET shows the form during a window", now: at(12, 30), method: http.MethodGet, user: "anna", pass: "secret", wantNext: true},
		{name: "HEAD passes during a window", now: at(12, 30), method: http.MethodHead, user: "anna", pass: "secret", wantNext: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newManager(t, tt.now, active)
			calls := 0
			var refused *maintenance.LoginRefusedError
			var text string
			refuse := func(w http.ResponseWriter, _ *http.Request, err *maintenance.LoginRefusedError, txt string) {
				refused, text = err, txt
				w.WriteHeader(http.StatusOK) // the host shows its login page again
			}
			next := &okHandler{}
			serve(middleware.LoginGate(m, notify.New(nil), identify(&calls, tt.lang), refuse)(next), loginRequest(tt.method, tt.user, tt.pass))

			assert.Equal(t, tt.wantIdentify, calls, "identify calls")
			assert.Equal(t, tt.wantNext, next.calls == 1, "next called")
			if tt.wantRefused == "" {
				assert.Nil(t, refused)
				return
			}
			require.NotNil(t, refused, "refuse not called")
			assert.Equal(t, 0, next.calls, "a refused login never reaches the host")
			assert.Equal(t, tt.wantRefused, refused.Principal.Login)
			assert.True(t, errors.Is(refused, maintenance.ErrLoginRefused))
			assert.Equal(t, at(12, 0), refused.Window.Start, "the refusal names the window in force")
			assert.Equal(t, tt.wantText, text)
		})
	}
}

func TestLoginGate_DefaultRefuse(t *testing.T) {
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	calls := 0
	next := &okHandler{}
	rec := serve(middleware.LoginGate(m, notify.New(nil), identify(&calls, "de"), nil)(next), loginRequest(http.MethodPost, "carl", "secret"))

	assert.Equal(t, http.StatusForbidden, rec.Code)
	assert.Equal(t, "text/plain; charset=utf-8", rec.Header().Get("Content-Type"))
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	assert.Equal(t, "Wir führen planmäßige Wartungsarbeiten durch. Die Anmeldung ist vorübergehend nicht möglich.\n", rec.Body.String())
	assert.Equal(t, 0, next.calls)
}

// The rule is checked again after identify, which may be slow: a window that
// ends while the password is being checked no longer refuses.
func TestLoginGate_WindowEndsDuringIdentify(t *testing.T) {
	m, mock := newManager(t, at(13, 59), window(at(12, 0), at(14, 0)))
	slow := func(*http.Request) (maintenance.Principal, notify.Viewer, bool) {
		mock.Add(2 * time.Minute)
		return users["carl"].p, notify.Viewer{}, true
	}
	next := &okHandler{}
	rec := serve(middleware.LoginGate(m, notify.New(nil), slow, nil)(next), loginRequest(http.MethodPost, "carl", "secret"))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, 1, next.calls)
}

// The host's login handler reads the same form identify read.
func TestLoginGate_FormStaysReadable(t *testing.T) {
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	calls := 0
	var user string
	next := http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { user = r.PostFormValue("user") })
	serve(middleware.LoginGate(m, notify.New(nil), identify(&calls, ""), nil)(next), loginRequest(http.MethodPost, "root", "secret"))
	assert.Equal(t, 1, calls)
	assert.Equal(t, "root", user)
}

func TestLoginGate_PanicsOnNil(t *testing.T) {
	m, _ := newManager(t, at(10, 0))
	texts := notify.New(nil)
	calls := 0
	id := identify(&calls, "")
	assert.PanicsWithValue(t, "middleware: LoginGate: nil *maintenance.Manager", func() { middleware.LoginGate(nil, texts, id, nil) })
	assert.PanicsWithValue(t, "middleware: LoginGate: nil *notify.Texts", func() { middleware.LoginGate(m, nil, id, nil) })
	assert.PanicsWithValue(t, "middleware: LoginGate: nil IdentifyFunc", func() { middleware.LoginGate(m, texts, nil, nil) })
}

// TestLoginGateWith checks the gate that fails closed: during a window, a
// request identify cannot identify (an unknown user, as one of an external
// login backend would be, or bad credentials) is refused, unless
// PassUnidentified is set.
func TestLoginGateWith(t *testing.T) {
	active := window(at(12, 0), at(14, 0))
	tests := []struct {
		name         string
		now          time.Time
		method       string
		user, pass   string
		pass_        bool // PassUnidentified
		wantIdentify int
		wantNext     bool
		wantRefused  bool
		wantLogin    string // Principal.Login of the refusal
	}{
		{name: "admin passes", now: at(12, 30), method: http.MethodPost, user: "root", pass: "secret", wantIdentify: 1, wantNext: true},
		{name: "agent refused", now: at(12, 30), method: http.MethodPost, user: "anna", pass: "secret", wantIdentify: 1, wantRefused: true, wantLogin: "anna"},
		{name: "customer refused", now: at(12, 30), method: http.MethodPost, user: "carl", pass: "secret", wantIdentify: 1, wantRefused: true, wantLogin: "carl"},
		{name: "unknown user refused", now: at(12, 30), method: http.MethodPost, user: "ldap-user", pass: "secret", wantIdentify: 1, wantRefused: true},
		{name: "bad password refused", now: at(12, 30), method: http.MethodPost, user: "root", pass: "wrong", wantIdentify: 1, wantRefused: true},
		{name: "unknown user passed on when asked", now: at(12, 30), method: http.MethodPost, user: "ldap-user", pass: "secret", pass_: true, wantIdentify: 1, wantNext: true},
		{name: "agent refused when passing unidentified", now: at(12, 30), method: http.MethodPost, user: "anna", pass: "secret", pass_: true, wantIdentify: 1, wantRefused: true, wantLogin: "anna"},
		{name: "outside a window, identify not called", now: at(10, 0), method: http.MethodPost, user: "ldap-user", pass: "secret", wantNext: true},
		{name: "after the window", now: at(14, 0), method: http.MethodPost, user: "ldap-user", pass: "secret", wantNext: true},
		{name: "GET shows the form", now: at(12, 30), method: http.MethodGet, user: "ldap-user", pass: "secret", wantNext: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newManager(t, tt.now, active)
			calls := 0
			var refused *maintenance.LoginRefusedError
			var text string
			refuse := func(w http.ResponseWriter, _ *http.Request, err *maintenance.LoginRefusedError, txt string) {
				refused, text = err, txt
				w.WriteHeader(http.StatusForbidden)
			}
			next := &okHandler{}
			gate := middleware.LoginGateWith(m, identify(&calls, "de"), &middleware.LoginGateOptions{Refuse: refuse, PassUnidentified: tt.pass_})
			serve(gate(next), loginRequest(tt.method, tt.user, tt.pass))

			assert.Equal(t, tt.wantIdentify, calls, "identify calls")
			assert.Equal(t, tt.wantNext, next.calls == 1, "next called")
			if !tt.wantRefused {
				assert.Nil(t, refused)
				return
			}
			require.NotNil(t, refused, "refuse not called")
			assert.Equal(t, 0, next.calls, "a refused login never reaches the host")
			assert.True(t, errors.Is(refused, maintenance.ErrLoginRefused))
			assert.Equal(t, tt.wantLogin, refused.Principal.Login)
			assert.Equal(t, at(12, 0), refused.Window.Start, "the refusal names the window in force")
			assert.Equal(t, notify.DefaultLoginRefused, refused.Message)
			assert.Equal(t, "Wir führen planmäßige Wartungsarbeiten durch. Die Anmeldung ist vorübergehend nicht möglich.", text)
		})
	}
}

// With nil options the gate fails closed and refuses with 403; an
// unidentified request whose window ends during identify goes on.
func TestLoginGateWith_Defaults(t *testing.T) {
	m, mock := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	calls := 0
	next := &okHandler{}
	h := middleware.LoginGateWith(m, identify(&calls, ""), nil)(next)
	rec := serve(h, loginRequest(http.MethodPost, "ldap-user", "secret"))
	assert.Equal(t, http.StatusForbidden, rec.Code)
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	assert.Equal(t, notify.DefaultLoginRefused+"\n", rec.Body.String())
	assert.Equal(t, 0, next.calls)

	mock.Set(at(13, 59))
	slow := func(*http.Request) (maintenance.Principal, notify.Viewer, bool) {
		mock.Add(2 * time.Minute)
		return maintenance.Principal{}, notify.Viewer{}, false
	}
	rec = serve(middleware.LoginGateWith(m, slow, nil)(next), loginRequest(http.MethodPost, "ldap-user", "secret"))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, 1, next.calls)
}

func TestLoginGateWith_PanicsOnNil(t *testing.T) {
	m, _ := newManager(t, at(10, 0))
	calls := 0
	assert.PanicsWithValue(t, "middleware: LoginGateWith: nil *maintenance.Manager", func() { middleware.LoginGateWith(nil, identify(&calls, ""), nil) })
	assert.PanicsWithValue(t, "middleware: LoginGateWith: nil IdentifyFunc", func() { middleware.LoginGateWith(m, nil, nil) })
}
