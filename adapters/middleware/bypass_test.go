package middleware_test

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
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

// The secrets of the bypass tests: secretA signs, secretB verifies too.
const (
	secretA = "staff-link-2026-november-a1"
	secretB = "staff-link-2026-october-b2"
)

// bypassOptions returns a lockout with the bypass, /login allowed.
func bypassOptions(secrets ...string) *middleware.LockoutOptions {
	return &middleware.LockoutOptions{
		Allow:  []string{"/login"},
		Bypass: &middleware.BypassOptions{Secrets: secrets},
	}
}

// takeLink GETs the bypass link for secret through h and returns the
// bypass cookie it sets, failing the test when none is set.
func takeLink(t *testing.T, h http.Handler, secret string) *http.Cookie {
	t.Helper()
	rec := serve(h, httptest.NewRequest(http.MethodGet, middleware.DefaultBypassPath+secret, nil))
	require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
	for _, c := range rec.Result().Cookies() {
		if c.Name == middleware.DefaultBypassCookie {
			return c
		}
	}
	require.FailNow(t, "no bypass cookie set")
	return nil
}

// withCookie GETs path through h with the cookie value v (none when v is
// "") and returns the status code.
func withCookie(h http.Handler, path, v string) int {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if v != "" {
		req.Header.Set("Cookie", middleware.DefaultBypassCookie+"="+v)
	}
	return serve(h, req).Code
}

// refSign signs a bypass cookie value for exp with secret, as the package
// documents it, written out independently.
func refSign(secret string, exp int64) string {
	e := strconv.FormatInt(exp, 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("sysmaint bypass 1\x00" + middleware.DefaultBypassCookie + "\x00" + e))
	return "1." + e + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// The link sets a cookie with the documented attributes and redirects.
func TestBypass_Link(t *testing.T) {
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	stats := &middleware.Stats{}
	opts := bypassOptions(secretA, secretB)
	opts.Stats = stats
	next := &okHandler{}
	h := middleware.Lockout(m, opts)(next)

	for _, secret := range []string{secretA, secretB} {
		rec := serve(h, httptest.NewRequest(http.MethodGet, "/maintenance-bypass/"+secret, nil))
		require.Equal(t, http.StatusSeeOther, rec.Code)
		assert.Equal(t, "/", rec.Header().Get("Location"))
		assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
		assert.Equal(t, "no-referrer", rec.Header().Get("Referrer-Policy"))
		cookies := rec.Result().Cookies()
		require.Len(t, cookies, 1)
		c := cookies[0]
		assert.Equal(t, middleware.DefaultBypassCookie, c.Name)
		assert.Equal(t, refSign(secretA, at(12, 30).Add(12*time.Hour).Unix()), c.Value, "the first secret signs")
		assert.Equal(t, "/", c.Path)
		assert.True(t, c.HttpOnly)
		assert.False(t, c.Secure, "plain HTTP from a peer that is no trusted proxy")
		assert.Equal(t, http.SameSiteLaxMode, c.SameSite)
		assert.Equal(t, 12*3600, c.MaxAge)
		assert.Equal(t, at(12, 30).Add(12*time.Hour), c.Expires)
	}
	assert.Equal(t, 0, next.calls)
	assert.Equal(t, middleware.Counts{BypassIssued: 2}, stats.Counts())
}

// TestBypass_CookieLife follows cookies through their life on the mock
// clock: accepted while valid, ignored when expired, tampered with, signed
// by a secret no longer listed, or malformed; never a 500.
func TestBypass_CookieLife(t *testing.T) {
	issued := at(12, 0).Add(time.Minute) // the cookie is taken at 12:01, for 12 hours
	exp := issued.Add(middleware.DefaultBypassTTL).Unix()
	valid := refSign(secretA, exp)
	tests := []struct {
		name    string
		secrets []string // the lockout's secrets when the cookie is used
		value   string
		now     time.Time
		want    int
	}{
		{name: "no cookie", secrets: []string{secretA}, now: at(12, 30), want: http.StatusServiceUnavailable},
		{name: "fresh", secrets: []string{secretA}, value: valid, now: at(12, 30), want: http.StatusOK},
		{name: "a second before expiry", secrets: []string{secretA}, value: valid, now: time.Unix(exp-1, 0), want: http.StatusOK},
		{name: "at expiry", secrets: []string{secretA}, value: valid, now: time.Unix(exp, 0), want: http.StatusServiceUnavailable},
		{name: "after expiry", secrets: []string{secretA}, value: valid, now: time.Unix(exp+3600, 0), want: http.StatusServiceUnavailable},
		{name: "rotated: old secret second", secrets: []string{secretB, secretA}, value: valid, now: at(12, 30), want: http.StatusOK},
		{name: "rotated: old secret removed", secrets: []string{secretB}, value: valid, now: at(12, 30), want: http.StatusServiceUnavailable},
		{name: "signed by another secret", secrets: []string{secretA}, value: refSign("not-the-secret-at-all-0000", exp), now: at(12, 30), want: http.StatusServiceUnavailable},
		{name: "expiry moved", secrets: []string{secretA}, value: strings.Replace(valid, strconv.FormatInt(exp, 10), strconv.FormatInt(exp+3600, 10), 1), now: at(12, 30), want: http.StatusServiceUnavailable},
		{name: "signature flipped", secrets: []string{secretA}, value: flipLast(valid), now: at(12, 30), want: http.StatusServiceUnavailable},
		{name: "signature cut", secrets: []string{secretA}, value: valid[:len(valid)-2], now: at(12, 30), want: http.StatusServiceUnavailable},
		{name: "signature longer", secrets: []string{secretA}, value: valid + "AA", now: at(12, 30), want: http.StatusServiceUnavailable},
		{name: "padded base64", secrets: []string{secretA}, value: valid + "=", now: at(12, 30), want: http.StatusServiceUnavailable},
		{name: "other version", secrets: []string{secretA}, value: "2" + valid[1:], now: at(12, 30), want: http.StatusServiceUnavailable},
		{name: "longer than TTL", secrets: []string{secretA}, value: refSign(secretA, at(12, 30).Add(13*time.Hour).Unix()), now: at(12, 30), want: http.StatusServiceUnavailable},
		{name: "leading zero", secrets: []string{secretA}, value: "1.0" + valid[2:], now: at(12, 30), want: http.StatusServiceUnavailable},
		{name: "signed sign", secrets: []string{secretA}, value: refSignRaw(secretA, "+"+strconv.FormatInt(exp, 10)), now: at(12, 30), want: http.StatusServiceUnavailable},
		{name: "empty", secrets: []string{secretA}, value: `""`, now: at(12, 30), want: http.StatusServiceUnavailable},
		{name: "garbage", secrets: []string{secretA}, value: "1..", now: at(12, 30), want: http.StatusServiceUnavailable},
		{name: "huge expiry", secrets: []string{secretA}, value: "1.99999999999999999999999.AAAA", now: at(12, 30), want: http.StatusServiceUnavailable},
		{name: "too long", secrets: []string{secretA}, value: valid + strings.Repeat("A", 200), now: at(12, 30), want: http.StatusServiceUnavailable},
		{name: "the secret itself", secrets: []string{secretA}, value: secretA, now: at(12, 30), want: http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newManager(t, tt.now, window(at(12, 0), at(23, 59)), window(at(23, 59), day.Add(48*time.Hour)))
			h := middleware.Lockout(m, bypassOptions(tt.secrets...))(&okHandler{})
			assert.Equal(t, tt.want, withCookie(h, "/tickets", tt.value))
		})
	}
}

// refSignRaw signs the expiry text e as it is.
func refSignRaw(secret, e string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("sysmaint bypass 1\x00" + middleware.DefaultBypassCookie + "\x00" + e))
	return "1." + e + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// flipLast changes the last character of a base64url text.
func flipLast(s string) string {
	last := s[len(s)-1]
	repl := byte('A')
	if last == 'A' {
		repl = 'B'
	}
	return s[:len(s)-1] + string(repl)
}

// The cookie the link sets is the one the lockout accepts, until the
// mock clock passes its expiry; the link works in the notice before the
// window, not far from one.
func TestBypass_RoundTrip(t *testing.T) {
	m, mock := newManager(t, at(10, 0), window(at(12, 0), at(23, 0)))
	stats := &middleware.Stats{}
	opts := bypassOptions(secretA)
	opts.Stats = stats
	opts.Bypass.TTL = 2 * time.Hour
	next := &okHandler{}
	h := middleware.Lockout(m, opts)(next)

	rec := serve(h, httptest.NewRequest(http.MethodGet, "/maintenance-bypass/"+secretA, nil))
	assert.Equal(t, http.StatusOK, rec.Code, "far from a window the link is an ordinary path")
	assert.Empty(t, rec.Result().Cookies())

	mock.Set(at(11, 45)) // upcoming
	c := takeLink(t, h, secretA)
	assert.Equal(t, 7200, c.MaxAge)

	mock.Set(at(12, 0))
	assert.Equal(t, http.StatusOK, withCookie(h, "/tickets", c.Value))
	assert.Equal(t, http.StatusServiceUnavailable, withCookie(h, "/tickets", ""))
	mock.Set(at(13, 45).Add(-time.Second))
	assert.Equal(t, http.StatusOK, withCookie(h, "/tickets", c.Value))
	mock.Set(at(13, 45))
	assert.Equal(t, http.StatusServiceUnavailable, withCookie(h, "/tickets", c.Value), "expired")

	assert.Equal(t, middleware.Counts{BypassIssued: 1, PassedBypass: 2, LockedOut: 2}, stats.Counts())
}

// The cookie is Secure over TLS, through a trusted proxy that says https,
// and always with Secure; not on plain HTTP, nor when an untrusted peer
// claims https.
func TestBypass_Secure(t *testing.T) {
	tests := []struct {
		name    string
		remote  string
		tls     bool
		header  string
		secure  bool
		proxies []string
		fwd     string
		want    bool
	}{
		{name: "plain", remote: "192.0.2.1:5000"},
		{name: "TLS", remote: "192.0.2.1:5000", tls: true, want: true},
		{name: "option", remote: "192.0.2.1:5000", secure: true, want: true},
		{name: "trusted proxy says https", remote: "10.0.0.5:5000", proxies: []string{"10.0.0.0/24"}, header: "X-Forwarded-Proto: https", want: true},
		{name: "trusted proxy says http", remote: "10.0.0.5:5000", proxies: []string{"10.0.0.0/24"}, header: "X-Forwarded-Proto: http"},
		{name: "untrusted peer says https", remote: "192.0.2.1:5000", proxies: []string{"10.0.0.0/24"}, header: "X-Forwarded-Proto: https"},
		{name: "Forwarded proto", remote: "10.0.0.5:5000", proxies: []string{"10.0.0.0/24"}, fwd: "Forwarded", header: "Forwarded: for=192.0.2.1;proto=https", want: true},
		{name: "Forwarded ignores X-Forwarded-Proto", remote: "10.0.0.5:5000", proxies: []string{"10.0.0.0/24"}, fwd: "Forwarded", header: "X-Forwarded-Proto: https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
			opts := bypassOptions(secretA)
			opts.Bypass.Secure = tt.secure
			opts.TrustedProxies = tt.proxies
			opts.ForwardedHeader = tt.fwd
			h := middleware.Lockout(m, opts)(&okHandler{})
			req := httptest.NewRequest(http.MethodGet, "/maintenance-bypass/"+secretA, nil)
			req.RemoteAddr = tt.remote
			if tt.tls {
				req.TLS = &tls.ConnectionState{}
			}
			if k, v, ok := strings.Cut(tt.header, ": "); ok {
				req.Header.Set(k, v)
			}
			cookies := serve(h, req).Result().Cookies()
			require.Len(t, cookies, 1)
			assert.Equal(t, tt.want, cookies[0].Secure)
		})
	}
}

// The options of the bypass: path, cookie name, redirect.
func TestBypass_Options(t *testing.T) {
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	h := middleware.Lockout(m, &middleware.LockoutOptions{Bypass: &middleware.BypassOptions{
		Secrets: []string{secretA}, Path: "/", Cookie: "staff", Redirect: "/tickets?from=bypass",
	}})(&okHandler{})
	rec := serve(h, httptest.NewRequest(http.MethodGet, "/"+secretA, nil))
	require.Equal(t, http.StatusSeeOther, rec.Code)
	assert.Equal(t, "/tickets?from=bypass", rec.Header().Get("Location"))
	cookies := rec.Result().Cookies()
	require.Len(t, cookies, 1)
	assert.Equal(t, "staff", cookies[0].Name)

	req := httptest.NewRequest(http.MethodGet, "/tickets", nil)
	req.AddCookie(cookies[0])
	assert.Equal(t, http.StatusOK, serve(h, req).Code)
	assert.Equal(t, http.StatusServiceUnavailable, serve(h, httptest.NewRequest(http.MethodGet, "/"+secretB, nil)).Code)
}

// Bad bypass options are refused when the middleware is built, naming the
// option and never printing a secret.
func TestBypass_BadOptions(t *testing.T) {
	m, _ := newManager(t, at(10, 0))
	tests := []struct {
		name string
		o    middleware.BypassOptions
		want string
	}{
		{name: "no secret", o: middleware.BypassOptions{}, want: "middleware: Lockout: Bypass.Secrets is empty"},
		{name: "short", o: middleware.BypassOptions{Secrets: []string{secretA, "short-secret"}}, want: "middleware: Lockout: Bypass.Secrets[1] is 12 bytes long, shorter than 16"},
		{name: "slash", o: middleware.BypassOptions{Secrets: []string{"staff/link/2026-november"}}, want: "middleware: Lockout: Bypass.Secrets[0] holds a byte other than A-Z, a-z, 0-9, '-', '.', '_' and '~' at 5"},
		{name: "percent", o: middleware.BypassOptions{Secrets: []string{"staff%2Flink-2026-november"}}, want: "middleware: Lockout: Bypass.Secrets[0] holds a byte other than A-Z, a-z, 0-9, '-', '.', '_' and '~' at 5"},
		{name: "dots", o: middleware.BypassOptions{Secrets: []string{"................"}}, want: "middleware: Lockout: Bypass.Secrets[0] is only dots"},
		{name: "path without slash", o: middleware.BypassOptions{Secrets: []string{secretA}, Path: "/bypass"}, want: `middleware: Lockout: Bypass.Path "/bypass" must start and end with "/" and be a canonical path`},
		{name: "path with dots", o: middleware.BypassOptions{Secrets: []string{secretA}, Path: "/a/../b/"}, want: `middleware: Lockout: Bypass.Path "/a/../b/" must start and end with "/" and be a canonical path`},
		{name: "path encoded", o: middleware.BypassOptions{Secrets: []string{secretA}, Path: "/a%2Fb/"}, want: `middleware: Lockout: Bypass.Path "/a%2Fb/" must start and end with "/" and be a canonical path`},
		{name: "path empty segment", o: middleware.BypassOptions{Secrets: []string{secretA}, Path: "//x/"}, want: `middleware: Lockout: Bypass.Path "//x/" must start and end with "/" and be a canonical path`},
		{name: "TTL", o: middleware.BypassOptions{Secrets: []string{secretA}, TTL: time.Millisecond}, want: "middleware: Lockout: Bypass.TTL 1ms is shorter than a second"},
		{name: "cookie", o: middleware.BypassOptions{Secrets: []string{secretA}, Cookie: "a b"}, want: `middleware: Lockout: Bypass.Cookie "a b" is not a cookie name`},
		{name: "open redirect", o: middleware.BypassOptions{Secrets: []string{secretA}, Redirect: "//evil.example"}, want: `middleware: Lockout: Bypass.Redirect "//evil.example" is not a path on this host`},
		{name: "absolute redirect", o: middleware.BypassOptions{Secrets: []string{secretA}, Redirect: "https://evil.example/"}, want: `middleware: Lockout: Bypass.Redirect "https://evil.example/" is not a path on this host`},
		{name: "backslash redirect", o: middleware.BypassOptions{Secrets: []string{secretA}, Redirect: `/\evil.example`}, want: `middleware: Lockout: Bypass.Redirect "/\\evil.example" is not a path on this host`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.PanicsWithValue(t, tt.want, func() { middleware.Lockout(m, &middleware.LockoutOptions{Bypass: &tt.o}) })
			o := tt.o
			msg := panicMessage(func() {
				middleware.Maintenance(m, &middleware.Options{Lockout: &middleware.LockoutOptions{Bypass: &o}})
			})
			assert.Equal(t, strings.Replace(tt.want, "Lockout:", "Maintenance: Lockout:", 1), msg)
			for _, s := range tt.o.Secrets {
				assert.NotContains(t, msg, s)
			}
		})
	}
}

// rawResponse sends "method target HTTP/1.1" with the extra header lines
// to addr on a fresh connection and returns the response, its body read.
func rawResponse(t *testing.T, addr, method, target string, headers ...string) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	extra := ""
	for _, h := range headers {
		extra += h + "\r\n"
	}
	_, err = fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: x\r\n%sConnection: close\r\n\r\n", method, target, extra)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	require.NoError(t, err)
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp
}

// routed returns the route that served resp, or its status code.
func routed(resp *http.Response) string {
	if name := resp.Header.Get("X-Route"); name != "" {
		return name
	}
	return strconv.Itoa(resp.StatusCode)
}

// TestBypass_LinkRaw sends raw request lines that try to pass for the
// bypass link to a real server, through http.ServeMux and chi: only the
// link in canonical form sets the cookie, every trick is locked out.
func TestBypass_LinkRaw(t *testing.T) {
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	lockout := middleware.Lockout(m, &middleware.LockoutOptions{
		Allow:  routingAllow,
		Bypass: &middleware.BypassOptions{Secrets: []string{secretA}, Path: "/static/bypass/"},
	})
	enc := func(s string) string { // every byte of s percent-encoded
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			fmt.Fprintf(&b, "%%%02X", s[i])
		}
		return b.String()
	}
	tests := []struct{ method, target, want string }{
		{"GET", "/static/bypass/" + secretA, "cookie"},
		{"HEAD", "/static/bypass/" + secretA, "cookie"},
		{"GET", "/static/bypass/" + secretA + "?next=/admin/", "cookie"},
		{"GET", "http://x/static/bypass/" + secretA, "cookie"},
		{"POST", "/static/bypass/" + secretA, "static"}, // not the link: the allowed route
		{"GET", "/static/bypass/" + secretA + "/", "static"},
		{"GET", "/static/bypass/" + secretA + "x", "static"},
		{"GET", "/static/bypass/" + secretA[:len(secretA)-1], "static"},
		{"GET", "/static/bypass/" + strings.ToUpper(secretA), "static"},
		{"GET", "/static/bypass/", "static"},
		{"GET", "/static/bypass%2F" + secretA, "503"},
		{"GET", "/static%2Fbypass/" + secretA, "503"},
		{"GET", "/static/bypass/" + enc(secretA), "503"},
		{"GET", "/static/bypass/%" + fmt.Sprintf("%02X", secretA[0]) + secretA[1:], "503"},
		{"GET", "/static/bypass/" + secretA[:4] + "%2e" + secretA[5:], "503"}, // not even a match once decoded
		{"GET", "/admin/..%2Fstatic/bypass/" + secretA, "503"},
		{"GET", "/admin/../static/bypass/" + secretA, "503"},
		{"GET", "/static/x/../bypass/" + secretA, "503"},
		{"GET", "/static/./bypass/" + secretA, "503"},
		{"GET", "//static/bypass/" + secretA, "503"},
		{"GET", "/static//bypass/" + secretA, "503"},
		{"GET", "/static/bypass//" + secretA, "503"},
		{"GET", "/static/bypass/" + secretA + ";x", "static"},
		{"GET", "/STATIC/bypass/" + secretA, "503"},
		{"GET", "/static/bypass/" + secretB, "static"},
		{"GET", "/maintenance-bypass/" + secretA, "503"},
		{"GET", "/" + secretA, "503"},
	}
	for _, rt := range routers {
		t.Run(rt.name, func(t *testing.T) {
			srv := httptest.NewServer(rt.host(lockout))
			defer srv.Close()
			addr := srv.Listener.Addr().String()
			for _, tt := range tests {
				t.Run(tt.method+" "+tt.target, func(t *testing.T) {
					resp := rawResponse(t, addr, tt.method, tt.target)
					got := routed(resp)
					if len(resp.Cookies()) > 0 {
						got = "cookie"
						assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
						assert.Equal(t, "/", resp.Header.Get("Location"))
					}
					assert.Equal(t, tt.want, got)
				})
			}
		})
	}
}

// TestBypass_CookieRaw sends the cookie with raw requests through both
// routers: it opens every route to its browser, tricks included, and a
// tampered one opens none.
func TestBypass_CookieRaw(t *testing.T) {
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	lockout := middleware.Lockout(m, &middleware.LockoutOptions{
		Allow:  routingAllow,
		Bypass: &middleware.BypassOptions{Secrets: []string{secretA}},
	})
	good := refSign(secretA, at(13, 0).Unix())
	for _, rt := range routers {
		t.Run(rt.name, func(t *testing.T) {
			srv := httptest.NewServer(rt.host(lockout))
			defer srv.Close()
			addr := srv.Listener.Addr().String()
			cookie := "Cookie: " + middleware.DefaultBypassCookie + "="
			assert.Equal(t, "admin", routed(rawResponse(t, addr, "GET", "/admin/", cookie+good)))
			assert.Equal(t, "admin", routed(rawResponse(t, addr, "POST", "/admin/", "Cookie: a=b; "+middleware.DefaultBypassCookie+"="+good)))
			assert.Equal(t, "admin", routed(rawResponse(t, addr, "GET", "/admin/", cookie+flipLast(good), cookie+good)), "one good cookie of two")
			assert.Equal(t, "503", routed(rawResponse(t, addr, "GET", "/admin/", cookie+flipLast(good))))
			assert.Equal(t, "503", routed(rawResponse(t, addr, "GET", "/admin/", "Cookie: other="+good)))
			assert.Equal(t, "503", routed(rawResponse(t, addr, "GET", "/admin/", cookie+`"`+good)))
		})
	}
}

// The bypass cookie never opens the login gate: during a window a
// non-admin with the cookie is refused at login, through a real server and
// router, with LoginGateWith and with LoginGate; the admin logs in.
func TestBypass_NotLoginGate(t *testing.T) {
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	identify := func(r *http.Request) (maintenance.Principal, notify.Viewer, bool) {
		switch r.PostFormValue("user") {
		case "root":
			return maintenance.Principal{Login: "root", Kind: session.Agent, Admin: true}, notify.Viewer{}, true
		case "anna":
			return maintenance.Principal{Login: "anna", Kind: session.Agent}, notify.Viewer{}, true
		}
		return maintenance.Principal{}, notify.Viewer{}, false
	}
	login := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Route", "logged-in")
		io.WriteString(w, "welcome "+r.PostFormValue("user"))
	})
	stats := &middleware.Stats{}
	lockout := middleware.Lockout(m, &middleware.LockoutOptions{
		Bypass: &middleware.BypassOptions{Secrets: []string{secretA}},
		Stats:  stats,
	})
	gates := map[string]func(http.Handler) http.Handler{
		"LoginGateWith":          middleware.LoginGateWith(m, identify, &middleware.LoginGateOptions{Stats: stats}),
		"LoginGateWith-pass":     middleware.LoginGateWith(m, identify, &middleware.LoginGateOptions{PassUnidentified: true, Stats: stats}),
		"LoginGate":              middleware.LoginGate(m, notify.New(nil), identify, nil),
		"Maintenance+LoginGate":  middleware.LoginGateWith(m, identify, &middleware.LoginGateOptions{Stats: stats}),
		"LoginGate-unidentified": middleware.LoginGateWith(m, identify, nil),
	}
	good := refSign(secretA, at(13, 0).Unix())
	for name, gate := range gates {
		t.Run(name, func(t *testing.T) {
			mux := http.NewServeMux()
			mux.Handle("POST /login", gate(login))
			var h http.Handler = lockout(mux)
			if strings.HasPrefix(name, "Maintenance") {
				h = middleware.Maintenance(m, &middleware.Options{Lockout: &middleware.LockoutOptions{
					Bypass: &middleware.BypassOptions{Secrets: []string{secretA}},
				}})(mux)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			post := func(user, cookie string) string {
				form := url.Values{"user": {user}}.Encode()
				headers := []string{"Content-Type: application/x-www-form-urlencoded", "Content-Length: " + strconv.Itoa(len(form))}
				if cookie != "" {
					headers = append(headers, "Cookie: "+middleware.DefaultBypassCookie+"="+cookie)
				}
				conn, err := net.Dial("tcp", srv.Listener.Addr().String())
				require.NoError(t, err)
				defer conn.Close()
				_, err = fmt.Fprintf(conn, "POST /login HTTP/1.1\r\nHost: x\r\n%s\r\nConnection: close\r\n\r\n%s", strings.Join(headers, "\r\n"), form)
				require.NoError(t, err)
				resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
				require.NoError(t, err)
				defer resp.Body.Close()
				return routed(resp)
			}
			assert.Equal(t, "503", post("anna", ""), "locked out without the cookie")
			assert.Equal(t, "403", post("anna", good), "the cookie passes the lockout, not the gate")
			assert.Equal(t, "logged-in", post("root", good))
			if name != "LoginGate" && name != "LoginGateWith-pass" {
				assert.Equal(t, "403", post("nobody", good), "unidentified")
			}
		})
	}
	assert.NotZero(t, stats.Counts().LoginRefused)
}

// FuzzBypass_Cookie sends any cookie value to a lockout with the bypass:
// the answer is 503 or, only for a value the reference verifier accepts,
// the page; never anything else, never a panic.
func FuzzBypass_Cookie(f *testing.F) {
	now := at(12, 30)
	exp := now.Add(time.Hour).Unix()
	for _, seed := range []string{
		refSign(secretA, exp), refSign(secretB, exp), refSign(secretA, now.Unix()), "", "1..", "1.1.", "2.1.x",
		"1." + strconv.FormatInt(exp, 10) + ".", flipLast(refSign(secretA, exp)), refSign(secretA, exp) + "=",
		"1.-5.AAAA", "1.+5.AAAA", "1.99999999999999999999.AAAA", `"1.2.3"`, "1.2.3;x", "\x00\xff",
	} {
		f.Add(seed)
	}
	m, _ := newManager(f, now, window(at(12, 0), at(14, 0)))
	h := middleware.Lockout(m, bypassOptions(secretA, secretB))(&okHandler{})
	f.Fuzz(func(t *testing.T, value string) {
		req := httptest.NewRequest(http.MethodGet, "/tickets", nil)
		req.Header["Cookie"] = []string{middleware.DefaultBypassCookie + "=" + value}
		rec := serve(h, req)
		if rec.Code == http.StatusOK {
			c, err := req.Cookie(middleware.DefaultBypassCookie)
			require.NoError(t, err, "passed without a cookie net/http reads")
			assert.True(t, refVerify(c.Value, now, time.Hour*12, secretA, secretB), "passed with %q", value)
			return
		}
		assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	})
}

// refVerify is the documented verification written out independently:
// "1.<exp>.<sig>", exp in decimal without a sign or leading zero, after
// now and at most ttl later, sig the unpadded base64url HMAC of one of
// the secrets.
func refVerify(v string, now time.Time, ttl time.Duration, secrets ...string) bool {
	parts := strings.Split(v, ".")
	if len(parts) != 3 || parts[0] != "1" || parts[1] == "" || strings.TrimLeft(parts[1], "0123456789") != "" || (len(parts[1]) > 1 && parts[1][0] == '0') {
		return false
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || exp <= now.Unix() || exp > now.Add(ttl).Unix() {
		return false
	}
	for _, s := range secrets {
		if refSign(s, exp) == v {
			return true
		}
	}
	return false
}
