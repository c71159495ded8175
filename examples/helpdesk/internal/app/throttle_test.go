package app_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/app"
)

const (
	msgThrottled = "Too many failed logins. Please wait a little and try again."
	msgBusy      = "The server is busy. Please try again in a moment."
)

// limits sets Config.Logins.
func limits(l app.LoginLimits) func(*app.Config) {
	return func(c *app.Config) { c.Logins = l }
}

// loginAs posts a login for user with password from the client address
// forwarded by a proxy (when from is not "").
func loginAs(c *client, path, user, password, from string) page {
	c.h.t.Helper()
	var headers []string
	if from != "" {
		headers = []string{"X-Forwarded-For", from}
	}
	return c.post(path, url.Values{"User": {user}, "Password": {password}}, headers...)
}

// assertThrottled checks that p is the login page refusing an attempt with
// 429 and a Retry-After of want seconds.
func assertThrottled(t *testing.T, p page, want string) {
	t.Helper()
	assert.Equal(t, http.StatusTooManyRequests, p.status)
	assert.Equal(t, want, p.retryAfter)
	msg, ok := textOf(p.body, "LoginError")
	assert.True(t, ok, "the login page")
	assert.Equal(t, msgThrottled, msg)
	assert.Contains(t, p.body, `id="LoginButton"`)
}

// TestLogin_ThrottlePerAccount: after AccountBurst failures a user name is
// refused with 429 and Retry-After, even with the right password, until the
// bucket has a token again; the mock clock makes the time pass.
func TestLogin_ThrottlePerAccount(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	for i := range app.DefaultAccountBurst {
		p := loginAs(c, "/login", "admin", "wrong", "")
		require.Equal(t, http.StatusUnauthorized, p.status, "failure %d", i+1)
	}
	p := loginAs(c, "/login", "admin", "admin-demo", "")
	assertThrottled(t, p, "60")
	assert.Empty(t, h.sessions(), "the right password does not pass the throttle")
	assert.Empty(t, c.hc.Jar.Cookies(mustURL(t, h.srv.URL)))

	// The customer login counts against the same user name.
	assertThrottled(t, loginAs(c, "/customer/login", "admin", "admin-demo", ""), "60")
	// Another user name from the same address still gets its chances.
	assert.Equal(t, http.StatusSeeOther, loginAs(h.client(), "/login", "agent", "agent-demo", "").status)

	h.clock.Add(59 * time.Second)
	assertThrottled(t, loginAs(c, "/login", "admin", "admin-demo", ""), "1")
	h.clock.Add(time.Second)
	assert.Equal(t, http.StatusSeeOther, loginAs(c, "/login", "admin", "admin-demo", "").status, "one token back after a minute")

	// Forty wrong passwords, then the right one: refused.
	h2 := newHarness(t)
	c2 := h2.client()
	refused := 0
	for range 40 {
		if loginAs(c2, "/login", "admin", "wrong", "").status == http.StatusTooManyRequests {
			refused++
		}
	}
	assert.Equal(t, 40-app.DefaultAccountBurst, refused)
	assert.Equal(t, http.StatusTooManyRequests, loginAs(c2, "/login", "admin", "admin-demo", "").status)
	assert.Empty(t, h2.sessions())
}

// TestLogin_ThrottleSuccessIsFree: logins that succeed count against
// nothing, so a busy office behind one address is never throttled.
func TestLogin_ThrottleSuccessIsFree(t *testing.T) {
	h := newHarness(t, limits(app.LoginLimits{AccountBurst: 2, AddressBurst: 2}))
	for i := range 10 {
		assert.Equal(t, http.StatusSeeOther, loginAs(h.client(), "/login", "agent", "agent-demo", "").status, "login %d", i+1)
	}
}

// TestLogin_ThrottlePerAddress: failures for many user names from one
// address exhaust the address's bucket; another address is not affected.
// Behind a trusted proxy the address is the forwarded one; without one,
// X-Forwarded-For is ignored, so a client cannot escape by forging it.
func TestLogin_ThrottlePerAddress(t *testing.T) {
	loopback := netip.MustParsePrefix("127.0.0.0/8")
	tests := []struct {
		name    string
		proxies []netip.Prefix
		// from are the X-Forwarded-For of the failures and then of the
		// attempt that must be throttled (or not).
		from, then string
		throttled  bool
	}{
		{"one address", nil, "", "", true},
		{"forged X-Forwarded-For is ignored", nil, "203.0.113.%d", "203.0.113.99", true},
		{"behind a trusted proxy", []netip.Prefix{loopback}, "203.0.113.7", "203.0.113.7", true},
		{"another client behind the proxy", []netip.Prefix{loopback}, "203.0.113.7", "198.51.100.1", false},
		{"forged entries left of the proxy's", []netip.Prefix{loopback}, "10.9.9.%d, 203.0.113.7", "10.9.9.99, 203.0.113.7", true},
		{"an IPv6 client by its /64", []netip.Prefix{loopback}, "2001:db8::%d", "2001:db8::ffff", true},
		{"another IPv6 /64", []netip.Prefix{loopback}, "2001:db8::%d", "2001:db8:0:1::1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, limits(app.LoginLimits{AddressBurst: 3, AddressEvery: 10 * time.Second}),
				func(c *app.Config) { c.TrustedProxies = tt.proxies })
			c := h.client()
			for i := range 3 {
				from := tt.from
				if strings.Contains(from, "%d") {
					from = fmt.Sprintf(from, i+1)
				}
				p := loginAs(c, "/login", "user"+strconv.Itoa(i), "wrong", from)
				require.Equal(t, http.StatusUnauthorized, p.status)
			}
			p := loginAs(c, "/login", "agent", "agent-demo", tt.then)
			if !tt.throttled {
				assert.Equal(t, http.StatusSeeOther, p.status)
				return
			}
			assertThrottled(t, p, "10")
			assert.Empty(t, h.sessions())
		})
	}
}

// TestLogin_ThrottleBeforeHashing: a throttled attempt is refused before it
// asks for a hashing slot: with every slot taken and none to wait for, it
// still gets 429, not 503.
func TestLogin_ThrottleBeforeHashing(t *testing.T) {
	h := newHarness(t, limits(app.LoginLimits{AccountBurst: 1, Waiting: -1}))
	c := h.client()
	require.Equal(t, http.StatusUnauthorized, loginAs(c, "/login", "admin", "wrong", "").status)
	release := app.HoldHashSlots(h.app)
	defer release()
	assertThrottled(t, loginAs(c, "/login", "admin", "admin-demo", ""), "60")

	// During maintenance the login gate checks the credentials first; the
	// throttle still comes before it.
	h.addWindow(day.Add(-time.Minute), day.Add(time.Hour))
	assertThrottled(t, loginAs(c, "/login", "admin", "admin-demo", ""), "60")
}

// TestLogin_HashSlots: with every hashing slot taken and no room to wait,
// a login is answered 503 with Retry-After at once, and counts as no
// failure; once a slot is free it logs in.
func TestLogin_HashSlots(t *testing.T) {
	for _, during := range []bool{false, true} {
		t.Run(fmt.Sprintf("during maintenance=%v", during), func(t *testing.T) {
			h := newHarness(t, limits(app.LoginLimits{AccountBurst: 1, Hashing: 2, Waiting: -1}))
			if during {
				h.addWindow(day.Add(-time.Minute), day.Add(time.Hour))
			}
			c := h.client()
			release := app.HoldHashSlots(h.app)
			for range 3 {
				p := loginAs(c, "/login", "admin", "admin-demo", "")
				assert.Equal(t, http.StatusServiceUnavailable, p.status)
				assert.Equal(t, "1", p.retryAfter)
				msg, _ := textOf(p.body, "LoginError")
				assert.Equal(t, msgBusy, msg)
			}
			assert.Empty(t, h.sessions())
			release()
			assert.Equal(t, http.StatusSeeOther, loginAs(c, "/login", "admin", "admin-demo", "").status,
				"the busy answers did not count as failures (burst 1)")
		})
	}
}

// TestLogin_HashSlotsWait: a login waits for a slot while at most Waiting
// others do.
func TestLogin_HashSlotsWait(t *testing.T) {
	h := newHarness(t, limits(app.LoginLimits{Hashing: 1, Waiting: 1}))
	release := app.HoldHashSlots(h.app)
	status := make(chan int, 1)
	c := h.client()
	go func() {
		resp, err := c.hc.PostForm(h.srv.URL+"/login", url.Values{"User": {"agent"}, "Password": {"agent-demo"}})
		if err != nil {
			status <- 0
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	for app.HashWaiting(h.app) < 1 {
		select {
		case s := <-status:
			t.Fatalf("a login finished (%d) while the only slot was taken", s)
		default:
			runtime.Gosched()
		}
	}
	p := loginAs(h.client(), "/login", "customer", "customer-demo", "")
	assert.Equal(t, http.StatusServiceUnavailable, p.status, "no room to wait")
	release()
	assert.Equal(t, http.StatusSeeOther, <-status, "the waiting login got the slot")
	require.Len(t, h.sessions(), 1)
	assert.Equal(t, "agent", h.sessions()[0].UserLogin)
}

// TestLogin_ThrottleMemory: the throttle remembers at most Tracked user
// names and addresses, forgetting the least recently seen.
func TestLogin_ThrottleMemory(t *testing.T) {
	h := newHarness(t, limits(app.LoginLimits{Tracked: 5, AccountBurst: 1}),
		func(c *app.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")} })
	c := h.client()
	require.Equal(t, http.StatusUnauthorized, loginAs(c, "/login", "admin", "wrong", "192.0.2.1").status)
	assertThrottled(t, loginAs(c, "/login", "admin", "admin-demo", "192.0.2.1"), "60")
	for i := range 50 {
		loginAs(c, "/login", "nobody"+strconv.Itoa(i), "wrong", "198.51.100."+strconv.Itoa(i))
		names, addrs := app.TrackedLogins(h.app)
		require.LessOrEqual(t, names, 5)
		require.LessOrEqual(t, addrs, 5)
	}
	// admin was forgotten: a fresh bucket.
	assert.Equal(t, http.StatusSeeOther, loginAs(c, "/login", "admin", "admin-demo", "192.0.2.1").status)
}

// BenchmarkLogin_Throttled measures what an attempt over the limit costs
// the server: the form parsed, the buckets checked, the login page
// rendered; no password hashed.
func BenchmarkLogin_Throttled(b *testing.B) {
	h := newHarness(b, limits(app.LoginLimits{AccountBurst: 1}))
	handler := h.app.Handler()
	post := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader("User=admin&Password=wrong"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		return rec
	}
	post()
	if rec := post(); rec.Code != http.StatusTooManyRequests {
		b.Fatalf("status %d, want 429", rec.Code)
	}
	b.ReportAllocs()
	for b.Loop() {
		post()
	}
}
