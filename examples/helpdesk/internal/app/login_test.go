package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/app"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

const msgLoginFailed = "Login failed! Your user name or password was entered incorrectly."

func TestLogin(t *testing.T) {
	tests := []struct {
		name       string
		path       string
		user, pass string
		wantStatus int
		wantHome   string
	}{
		{"admin", "/login", "admin", "admin-demo", http.StatusSeeOther, "/"},
		{"agent", "/login", "agent", "agent-demo", http.StatusSeeOther, "/"},
		{"customer", "/customer/login", "customer", "customer-demo", http.StatusSeeOther, "/customer/"},
		{"bad password", "/login", "agent", "wrong", http.StatusUnauthorized, ""},
		{"empty password", "/login", "agent", "", http.StatusUnauthorized, ""},
		{"unknown user", "/login", "nobody", "agent-demo", http.StatusUnauthorized, ""},
		{"customer at agent login", "/login", "customer", "customer-demo", http.StatusUnauthorized, ""},
		{"agent at customer login", "/customer/login", "agent", "agent-demo", http.StatusUnauthorized, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			c := h.client()
			p := c.post(tt.path, url.Values{"User": {tt.user}, "Password": {tt.pass}})
			require.Equal(t, tt.wantStatus, p.status, p.body)
			if tt.wantHome == "" {
				msg, ok := textOf(p.body, "LoginError")
				assert.True(t, ok)
				assert.Equal(t, msgLoginFailed, msg)
				assert.Contains(t, p.body, `value="`+tt.user+`"`, "the user name is kept")
				assert.Empty(t, h.sessions())
				return
			}
			assert.Equal(t, tt.wantHome, p.location)
			ss := h.sessions()
			require.Len(t, ss, 1)
			assert.Equal(t, tt.user, ss[0].UserLogin)
			assert.Equal(t, tt.user == "admin", ss[0].Admin)
			assert.Len(t, ss[0].ID, 64, "a hash of the cookie is stored, not the cookie")
			home := c.get(tt.wantHome)
			require.Equal(t, http.StatusOK, home.status)
			h1 := map[string]string{"/": "<h1>Dashboard</h1>", "/customer/": "<h1>My tickets</h1>"}[tt.wantHome]
			assert.Contains(t, home.body, h1)
			assert.Contains(t, home.body, `id="Logout"`)
		})
	}
}

func TestLogin_Cookie(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+"/login", strings.NewReader("User=agent&Password=agent-demo"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.hc.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	cookies := resp.Cookies()
	require.Len(t, cookies, 1)
	ck := cookies[0]
	assert.True(t, ck.HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, ck.SameSite)
	assert.Equal(t, "/", ck.Path)
	assert.GreaterOrEqual(t, len(ck.Value), 26, "at least 128 random bits")
	for _, s := range h.sessions() {
		assert.NotEqual(t, ck.Value, s.ID, "the store never holds the cookie itself")
	}
}

func TestLogin_DuringMaintenance(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		user    string
		allowed bool
	}{
		{"admin passes", "/login", "admin", true},
		{"agent refused", "/login", "agent", false},
		{"customer refused", "/customer/login", "customer", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.addWindow(day.Add(-time.Minute), day.Add(time.Hour))
			c := h.client()
			p := c.post(tt.path, url.Values{"User": {tt.user}, "Password": {h.pw[tt.user]}})
			if tt.allowed {
				assert.Equal(t, http.StatusSeeOther, p.status)
				assert.Len(t, h.sessions(), 1)
				return
			}
			assert.Equal(t, http.StatusForbidden, p.status)
			msg, ok := textOf(p.body, "LoginError")
			assert.True(t, ok)
			assert.Equal(t, notify.DefaultLoginRefused, msg)
			assert.Empty(t, h.sessions(), "no session for a refused login")
			assert.Empty(t, c.hc.Jar.Cookies(mustURL(t, h.srv.URL)), "no cookie either")
		})
	}

	t.Run("bad password during maintenance is a plain failure", func(t *testing.T) {
		h := newHarness(t)
		h.addWindow(day, day.Add(time.Hour))
		p := h.client().post("/login", url.Values{"User": {"agent"}, "Password": {"nope"}})
		assert.Equal(t, http.StatusUnauthorized, p.status)
		msg, _ := textOf(p.body, "LoginError")
		assert.Equal(t, msgLoginFailed, msg)
	})

	t.Run("the window's stop is already outside", func(t *testing.T) {
		h := newHarness(t)
		h.addWindow(day.Add(-time.Hour), day)
		h.login("agent")
		h.login("customer")
	})

	t.Run("invalid windows do not count", func(t *testing.T) {
		h := newHarness(t)
		h.addWindow(day.Add(-time.Hour), day.Add(time.Hour), func(w *maintenance.Window) { w.Validity = maintenance.InvalidTemporarily })
		h.login("agent")
	})

	t.Run("a user from elsewhere is checked too", func(t *testing.T) {
		h := newHarness(t)
		require.NoError(t, h.app.AddUser(context.Background(), app.User{
			Login: "ext", FullName: "External", Kind: session.Agent,
			Groups: map[string][]string{"admin": {"ro"}},
		}, "ext-pass"))
		h.addWindow(day, day.Add(time.Hour))
		p := h.client().post("/login", url.Values{"User": {"ext"}, "Password": {"ext-pass"}})
		assert.Equal(t, http.StatusForbidden, p.status, "ro on admin is not enough")
		assert.Empty(t, h.sessions())
	})
}

func TestLoginPage_SystemMaintenanceBox(t *testing.T) {
	tests := []struct {
		name     string
		start    time.Time
		show     bool
		message  string
		wantBox  bool
		wantText string
	}{
		{"flag set, own message", day.Add(-time.Minute), true, "Back at noon.", true, "Back at noon."},
		{"flag set, default message", day.Add(-time.Minute), true, "", true, notify.DefaultLoginMessage},
		{"flag not set", day.Add(-time.Minute), false, "Back at noon.", false, ""},
		{"upcoming only", day.Add(10 * time.Minute), true, "Back at noon.", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.addWindow(tt.start, day.Add(2*time.Hour), func(w *maintenance.Window) {
				w.ShowLoginMessage, w.LoginMessage = tt.show, tt.message
			})
			for _, path := range []string{"/login", "/customer/login"} {
				p := h.client().get(path)
				require.Equal(t, http.StatusOK, p.status)
				text, ok := textOf(p.body, "SystemMaintenance")
				assert.Equal(t, tt.wantBox, ok, path)
				assert.Equal(t, tt.wantText, text, path)
				assert.Contains(t, p.body, `id="LoginButton"`, "the form is still there for admins")
			}
		})
	}
}

func TestBanner(t *testing.T) {
	start := day.Add(2 * time.Hour) // 12:00
	tests := []struct {
		name string
		at   time.Time
		want string
	}{
		{"before the lead", start.Add(-30*time.Minute - time.Second), ""},
		{"at start minus lead", start.Add(-30 * time.Minute),
			"A system maintenance period will start at: 11/24/2026 12:00 UTC and is expected to stop at: 11/24/2026 13:00 UTC"},
		{"active", start, "Back soon <b>really</b>"},
		{"last instant", start.Add(time.Hour - time.Millisecond), "Back soon <b>really</b>"},
		{"after stop", start.Add(time.Hour), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, idleFor(24*time.Hour)) // the clock jumps hours ahead
			h.addWindow(start, start.Add(time.Hour), func(w *maintenance.Window) { w.NotifyMessage = "Back soon <b>really</b>" })
			admin, agent, customer := h.login("admin"), h.login("agent"), h.login("customer")
			h.clock.Set(tt.at)
			pages := []struct {
				c    *client
				path string
			}{
				{admin, "/"}, {admin, "/admin/maintenance/"}, {admin, "/admin/maintenance/new"},
				{agent, "/"}, {customer, "/customer/"},
			}
			for _, pg := range pages {
				p := pg.c.get(pg.path)
				require.Equal(t, http.StatusOK, p.status, pg.path)
				text, ok := textOf(p.body, "MaintenanceNotice")
				assert.Equal(t, tt.want != "", ok, pg.path)
				assert.Equal(t, tt.want, text, pg.path)
				if ok {
					assert.Contains(t, p.body, `<div id="MaintenanceNotice" class="MessageBox Notice"><p>`)
					assert.NotContains(t, p.body, "<b>really</b>", "escaped")
				}
			}
		})
	}

	t.Run("not on the login page", func(t *testing.T) {
		h := newHarness(t)
		h.addWindow(day, day.Add(time.Hour))
		p := h.client().get("/login")
		_, ok := textOf(p.body, "MaintenanceNotice")
		assert.False(t, ok)
	})

	t.Run("in the viewer's time zone", func(t *testing.T) {
		h := newHarness(t, idleFor(24*time.Hour))
		require.NoError(t, h.app.AddUser(context.Background(), app.User{
			Login: "berlin", FullName: "Berta", Kind: session.Agent, TimeZone: "Europe/Berlin",
		}, "pw"))
		h.addWindow(start, start.Add(time.Hour))
		c := h.client()
		require.Equal(t, http.StatusSeeOther, c.post("/login", url.Values{"User": {"berlin"}, "Password": {"pw"}}).status)
		h.clock.Set(start.Add(-time.Minute))
		text, _ := textOf(c.get("/").body, "MaintenanceNotice")
		assert.Equal(t, "A system maintenance period will start at: 11/24/2026 13:00 CET and is expected to stop at: 11/24/2026 14:00 CET", text)
	})
}

func TestLogout(t *testing.T) {
	for _, user := range []string{"agent", "customer"} {
		t.Run(user, func(t *testing.T) {
			h := newHarness(t)
			c := h.login(user)
			home, login := "/", "/login"
			if user == "customer" {
				home, login = "/customer/", "/customer/login"
			}
			p := c.post("/logout", url.Values{})
			assert.Equal(t, http.StatusForbidden, p.status, "logout needs the token")
			assert.Len(t, h.sessions(), 1)

			p = c.postT("/logout", nil)
			assertToLogin(t, p, login)
			assert.Empty(t, h.sessions())
			assertToLogin(t, c.get(home), login)
		})
	}
}

func TestHomes(t *testing.T) {
	h := newHarness(t)
	anon := h.client()
	assertToLogin(t, anon.get("/"), "/login")
	assertToLogin(t, anon.get("/customer/"), "/customer/login")

	agent, customer := h.login("agent"), h.login("customer")
	assertToLogin(t, customer.get("/"), "/customer/")
	assertToLogin(t, agent.get("/customer/"), "/")
	assertToLogin(t, agent.get("/login"), "/")
	assertToLogin(t, customer.get("/customer/login"), "/customer/")
	assert.Equal(t, http.StatusOK, customer.get("/login").status, "a customer may still open the agent login")
	assert.Equal(t, http.StatusNotFound, agent.get("/no/such/page").status)
}

func TestHealthz(t *testing.T) {
	h := newHarness(t)
	p := h.client().get("/healthz")
	assert.Equal(t, http.StatusOK, p.status)
	assert.Equal(t, "ok", p.body)

	require.NoError(t, h.db.Close())
	require.Error(t, h.app.Manager().Refresh(context.Background()))
	p = h.client().get("/healthz")
	assert.Equal(t, http.StatusServiceUnavailable, p.status)
}

func TestSeed(t *testing.T) {
	h := newHarness(t)
	assert.Equal(t, map[string]string{"admin": "admin-demo", "agent": "agent-demo", "customer": "customer-demo"}, h.pw)
	pw, err := h.app.Seed(context.Background())
	require.NoError(t, err)
	assert.Equal(t, h.pw, pw, "seeding again changes nothing")
	h.login("admin")

	// A second App over the same file finds the users and the tables.
	a2, err := app.New(app.Config{DB: app.SQLite(h.db), Clock: h.clock, PasswordIterations: 1000})
	require.NoError(t, err)
	_, err = a2.Seed(context.Background())
	require.NoError(t, err)
}

func TestEndSessions(t *testing.T) {
	h := newHarness(t, func(c *app.Config) { c.EndSessions = true })
	admin, agent, customer := h.login("admin"), h.login("agent"), h.login("customer")
	h.addWindow(day.Add(time.Minute), day.Add(time.Hour))
	assert.Equal(t, http.StatusOK, agent.get("/").status, "before the window")

	h.clock.Add(time.Minute)
	assertToLogin(t, agent.get("/"), "/login")
	assertToLogin(t, customer.get("/customer/"), "/customer/login")
	assert.Equal(t, http.StatusOK, admin.get("/").status)
	ss := h.sessions()
	require.Len(t, ss, 1)
	assert.Equal(t, "admin", ss[0].UserLogin)
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}
