package app_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/app"
)

// TestSession_Expiry: a session ends after Config.IdleTimeout without a
// request and Config.SessionLifetime after its login, whatever it does; its
// next request finds it deleted and goes to the login page. The mock clock
// moves between the requests.
func TestSession_Expiry(t *testing.T) {
	type step struct {
		after time.Duration // clock moves this far, then GET /
		alive bool
	}
	every := func(d time.Duration, n int) []step {
		out := make([]step, n)
		for i := range out {
			out[i] = step{d, true}
		}
		return out
	}
	tests := []struct {
		name  string
		cfg   func(*app.Config)
		steps []step
	}{
		{"idle just under the default", nil, []step{{29*time.Minute + 59*time.Second, true}, {29*time.Minute + 59*time.Second, true}}},
		{"idle the default", nil, []step{{29 * time.Minute, true}, {30 * time.Minute, false}}},
		{"idle at once", nil, []step{{app.DefaultIdleTimeout, false}}},
		{"lifetime the default", nil, append(every(20*time.Minute, 35), step{19*time.Minute + 59*time.Second, true}, step{time.Second, false})},
		{"idle configured", func(c *app.Config) { c.IdleTimeout = 5 * time.Minute }, []step{{4 * time.Minute, true}, {5 * time.Minute, false}}},
		{"a short idle timeout, busy", func(c *app.Config) { c.IdleTimeout = time.Minute },
			append(every(40*time.Second, 8), step{time.Minute, false})},
		{"lifetime configured", func(c *app.Config) { c.SessionLifetime = time.Hour }, []step{{25 * time.Minute, true}, {25 * time.Minute, true}, {10 * time.Minute, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mods []func(*app.Config)
			if tt.cfg != nil {
				mods = append(mods, tt.cfg)
			}
			h := newHarness(t, mods...)
			c := h.login("agent")
			for i, s := range tt.steps {
				h.clock.Add(s.after)
				p := c.get("/")
				if s.alive {
					require.Equal(t, http.StatusOK, p.status, "step %d", i)
					continue
				}
				assertToLogin(t, p, "/login")
				for _, ss := range h.sessions() {
					assert.NotEqual(t, c.sid, ss.ID, "the expired session is deleted")
				}
				assert.Empty(t, c.hc.Jar.Cookies(mustURL(t, h.srv.URL)), "the cookie is cleared")
				assert.Equal(t, http.StatusOK, c.get("/login").status, "the login page, not a redirect home")
				require.Equal(t, len(tt.steps)-1, i, "the session ended at the last step")
				return
			}
		})
	}

	t.Run("a POST on an expired session changes nothing", func(t *testing.T) {
		h := newHarness(t)
		c := h.login("admin")
		h.clock.Add(app.DefaultIdleTimeout)
		p := c.postT("/admin/maintenance/lead", url.Values{"LeadMinutes": {"5"}})
		assert.Equal(t, http.StatusForbidden, p.status)
		assert.Empty(t, h.sessions())
		assert.NotEqual(t, 5*time.Minute, h.app.Manager().Lead())
	})

	t.Run("other sessions are not touched", func(t *testing.T) {
		h := newHarness(t)
		idle, busy := h.login("agent"), h.login("admin")
		for range 4 {
			h.clock.Add(10 * time.Minute)
			require.Equal(t, http.StatusOK, busy.get("/").status)
		}
		assertToLogin(t, idle.get("/"), "/login")
		require.Len(t, h.sessions(), 1)
		assert.Equal(t, busy.sid, h.sessions()[0].ID)
	})
}

// TestLogin_SecureCookie: the session cookie is Secure over TLS, with
// Config.SecureCookies, and behind a trusted proxy that says
// X-Forwarded-Proto: https; a client cannot claim it without the proxy.
func TestLogin_SecureCookie(t *testing.T) {
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	tests := []struct {
		name    string
		secure  bool
		proxies []netip.Prefix
		proto   string
		want    bool
	}{
		{"plain HTTP", false, nil, "", false},
		{"SecureCookies", true, nil, "", true},
		{"forwarded https from a trusted proxy", false, loopback, "https", true},
		{"forwarded http from a trusted proxy", false, loopback, "http", false},
		{"forwarded https, first of a list", false, loopback, "https, http", true},
		{"forwarded https from anyone else", false, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, "https", false},
		{"forwarded https, no proxy configured", false, nil, "https", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, func(c *app.Config) { c.SecureCookies, c.TrustedProxies = tt.secure, tt.proxies })
			c := h.client()
			post := func(path, body string) *http.Response {
				req, err := http.NewRequest(http.MethodPost, h.srv.URL+path, strings.NewReader(body))
				require.NoError(t, err)
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if tt.proto != "" {
					req.Header.Set("X-Forwarded-Proto", tt.proto)
				}
				for _, ck := range c.hc.Jar.Cookies(mustURL(t, h.srv.URL)) {
					req.AddCookie(ck) // the jar keeps no Secure cookie for http://
				}
				resp, err := http.DefaultTransport.RoundTrip(req)
				require.NoError(t, err)
				resp.Body.Close()
				return resp
			}
			resp := post("/login", "User=agent&Password=agent-demo")
			require.Equal(t, http.StatusSeeOther, resp.StatusCode)
			cookies := resp.Cookies()
			require.Len(t, cookies, 1)
			assert.Equal(t, tt.want, cookies[0].Secure, "at login")

			// Logging out clears it with the same attribute.
			c.hc.Jar.SetCookies(mustURL(t, h.srv.URL), []*http.Cookie{{Name: cookies[0].Name, Value: cookies[0].Value, Path: "/"}})
			home := c.get("/")
			require.Equal(t, http.StatusOK, home.status)
			resp = post("/logout", "ChallengeToken="+c.token)
			require.Equal(t, http.StatusSeeOther, resp.StatusCode)
			cookies = resp.Cookies()
			require.Len(t, cookies, 1)
			assert.Equal(t, tt.want, cookies[0].Secure, "at logout")
			assert.Equal(t, -1, cookies[0].MaxAge)
		})
	}
}
