package middleware_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/middleware"
)

// The routing tests run a host with an exact route (/healthz), a subtree
// (/static/), a login page, a protected subtree (/admin/) and a catch-all,
// behind a lockout during a window that allows the first three.
var (
	routingAllow  = []string{"/healthz", "/static/", "GET /login"}
	allowedRoutes = []string{"healthz", "static", "login"}
)

// route answers with its name in the X-Route header and the body.
func route(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Route", name)
		_, _ = io.WriteString(w, name)
	})
}

// serveMuxHost is the host on http.ServeMux, lockout in front.
func serveMuxHost(lockout func(http.Handler) http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/healthz", route("healthz"))
	mux.Handle("/static/", route("static"))
	mux.Handle("/login", route("login"))
	mux.Handle("/admin/", route("admin"))
	mux.Handle("/", route("catch-all"))
	return lockout(mux)
}

// chiHost is the same host on chi, lockout added with Use.
func chiHost(lockout func(http.Handler) http.Handler) http.Handler {
	r := chi.NewRouter()
	r.Use(lockout)
	r.Handle("/healthz", route("healthz"))
	r.Handle("/static/*", route("static"))
	r.Handle("/login", route("login"))
	r.Handle("/admin/*", route("admin"))
	r.Handle("/*", route("catch-all"))
	return r
}

// hostRouter builds a host with a lockout in front, on one router.
type hostRouter struct {
	name string
	host func(lockout func(http.Handler) http.Handler) http.Handler
}

// routers are the hosts the routing tests run.
var routers = []hostRouter{
	{"ServeMux", serveMuxHost},
	{"chi", chiHost},
}

// noLockout is a middleware that does nothing.
func noLockout(h http.Handler) http.Handler { return h }

// rawRequest sends "method target HTTP/1.1" to addr as written, on a
// fresh connection, and returns what answered: the route's name, or the
// status code when no route did.
func rawRequest(t *testing.T, addr, method, target string) string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", method, target)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	require.NoError(t, err)
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	if name := resp.Header.Get("X-Route"); name != "" {
		return name
	}
	return strconv.Itoa(resp.StatusCode)
}

// rawTargets are request lines that try to reach a protected route through
// an allowed pattern. want is what answers behind the lockout, the same
// through both routers: an allowed route, or 503.
var rawTargets = []struct{ method, target, want string }{
	// Allowed, as written.
	{"GET", "/healthz", "healthz"},
	{"HEAD", "/healthz", "healthz"},
	{"POST", "/healthz", "healthz"}, // a pattern without a method allows every method
	{"GET", "/healthz?x=1", "healthz"},
	{"GET", "/healthz?/../admin/", "healthz"},
	{"GET", "http://x/healthz", "healthz"},
	{"GET", "/static/", "static"},
	{"GET", "/static/app.css", "static"},
	{"GET", "/static/a/b/c.js?v=2", "static"},
	{"GET", "/static/a%20b.css", "static"},
	{"GET", "/static/caf%C3%A9.css", "static"},
	{"GET", "/static/app.css.", "static"},
	{"GET", "/static/x#frag", "static"}, // a '#' in a request line is part of the path
	{"GET", "/login", "login"},
	{"HEAD", "/login", "login"}, // GET patterns match HEAD, as on ServeMux
	{"GET", "/static/" + strings.Repeat("a", 8000), "static"},
	{"GET", "/static" + strings.Repeat("/a", 4000), "static"},

	// An exact pattern is exact; methods count.
	{"GET", "/healthz/", "503"},
	{"GET", "/healthz/x", "503"},
	{"GET", "/healthzz", "503"},
	{"GET", "/HEALTHZ", "503"},
	{"GET", "/healthz.", "503"},
	{"GET", "/healthz;x", "503"},
	{"GET", "/healthz#x", "503"},
	{"GET", "/static", "503"}, // ServeMux redirects, chi serves the catch-all
	{"POST", "/login", "503"},
	{"PUT", "/login", "503"},
	{"GET", "/healthz/" + strings.Repeat("a/", 4000), "503"},

	// Encoded separators, dots and other encodings.
	{"GET", "/admin/..%2Fhealthz", "503"},
	{"GET", "/admin/..%2fhealthz", "503"},
	{"GET", "/admin%2F..%2Fhealthz", "503"},
	{"GET", "/healthz%2F", "503"},
	{"GET", "/static/a%2Fb", "503"},
	{"GET", "/static/..%2Fadmin/", "503"},
	{"GET", "/admin/..%5Chealthz", "503"},
	{"GET", "/admin/..%5chealthz", "503"},
	{"GET", `/admin/..\healthz`, "503"},
	{"GET", "/static/..%5Cadmin/", "503"},
	{"GET", "/admin/%2e%2e/healthz", "503"},
	{"GET", "/admin/%2E%2E/healthz", "503"},
	{"GET", "/admin/.%2e/healthz", "503"},
	{"GET", "/static/%2e%2e/admin/", "503"},
	{"GET", "/static/%2e/app.css", "503"},
	{"GET", "/%68ealthz", "503"},            // ServeMux decodes it to /healthz, chi does not
	{"GET", "/static/caf%c3%a9.css", "503"}, // lower-case hex: not net/url's form
	{"GET", "/static/%00", "503"},
	{"GET", "/static/a%0Ab", "503"},

	// Dot segments and empty segments, as sent.
	{"GET", "/admin/../healthz", "503"}, // chi serves /admin/ for it
	{"GET", "/./healthz", "503"},
	{"GET", "/healthz/.", "503"},
	{"GET", "/static/../admin/", "503"},
	{"GET", "/static/./app.css", "503"},
	{"GET", "//healthz", "503"},
	{"GET", "/static//app.css", "503"},
	{"GET", "/static/..;/admin/", "503"},
	{"GET", "/static/.;x/app.css", "503"},
	{"GET", "/healthz;/../admin/", "503"},

	// Request targets other than a path.
	{"GET", "http://x/admin/", "503"},
	{"GET", "http://x/admin/..%2Fhealthz", "503"},
	{"GET", "http://x/static/../admin/", "503"},
	{"GET", "*", "503"},
	{"OPTIONS", "*", "200"}, // net/http answers it; no handler runs
	{"CONNECT", "x:443", "503"},
	{"CONNECT", "http://x/healthz", "503"},
	{"CONNECT", "/healthz", "healthz"},
	{"CONNECT", "/static/../admin/", "503"}, // ServeMux does not clean a CONNECT's path
	{"CONNECT", "/static//app.css", "503"},

	// Everything else.
	{"GET", "/", "503"},
	{"GET", "/admin/", "503"},
	{"GET", "/tickets", "503"},
}

// TestLockout_AllowRaw sends raw request lines to a real server, through
// http.ServeMux and through chi, and checks that whatever passes the
// lockout is served by an allowed route.
func TestLockout_AllowRaw(t *testing.T) {
	m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
	lockout := middleware.Lockout(m, &middleware.LockoutOptions{Allow: routingAllow})
	for _, rt := range routers {
		t.Run(rt.name, func(t *testing.T) {
			srv := httptest.NewServer(rt.host(lockout))
			defer srv.Close()
			addr := srv.Listener.Addr().String()
			for _, tt := range rawTargets {
				name := tt.method + " " + tt.target
				if len(name) > 60 {
					name = name[:60] + "..."
				}
				t.Run(name, func(t *testing.T) {
					got := rawRequest(t, addr, tt.method, tt.target)
					assert.Equal(t, tt.want, got)
					if _, err := strconv.Atoi(got); err != nil {
						assert.Contains(t, allowedRoutes, got, "passed the lockout to a route not allowed")
					}
				})
			}
		})
	}
}

// The tricks reach protected routes when nothing stands in front, so the
// raw requests above test what they claim to test.
func TestLockout_AllowRawTricksWork(t *testing.T) {
	tests := []struct{ router, target, want string }{
		{"ServeMux", "/admin/..%2Fhealthz", "admin"},
		{"ServeMux", "/static/%2e%2e/admin/", "static"},
		{"chi", "/admin/..%2Fhealthz", "admin"},
		{"chi", "/admin/../healthz", "admin"},
		{"chi", "/%68ealthz", "catch-all"},
		{"chi", "/static", "catch-all"},
		{"chi", "/healthz/x", "catch-all"},
	}
	for _, tt := range tests {
		t.Run(tt.router+" "+tt.target, func(t *testing.T) {
			i := slices.IndexFunc(routers, func(r hostRouter) bool { return r.name == tt.router })
			require.GreaterOrEqual(t, i, 0)
			srv := httptest.NewServer(routers[i].host(noLockout))
			defer srv.Close()
			assert.Equal(t, tt.want, rawRequest(t, srv.Listener.Addr().String(), http.MethodGet, tt.target))
		})
	}
}

// readRequest parses "method target HTTP/1.1" as the server does, with the
// Host header host.
func readRequest(tb testing.TB, method, target, host string) (*http.Request, error) {
	tb.Helper()
	return http.ReadRequest(bufio.NewReader(strings.NewReader(method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")))
}

// TestLockout_AllowPatterns checks that Allow entries mean what they mean
// on http.ServeMux.
func TestLockout_AllowPatterns(t *testing.T) {
	tests := []struct {
		name    string
		allow   []string
		method  string
		target  string
		host    string // default "x"
		allowed bool
	}{
		{name: "exact", allow: []string{"/healthz"}, target: "/healthz", allowed: true},
		{name: "exact, not below", allow: []string{"/healthz"}, target: "/healthz/x"},
		{name: "exact, not with a slash", allow: []string{"/healthz"}, target: "/healthz/"},
		{name: "subtree itself", allow: []string{"/static/"}, target: "/static/", allowed: true},
		{name: "subtree below", allow: []string{"/static/"}, target: "/static/css/app.css", allowed: true},
		{name: "subtree, not without its slash", allow: []string{"/static/"}, target: "/static"},
		{name: "subtree, not a sibling", allow: []string{"/static/"}, target: "/staticfiles/app.css"},
		{name: "root only", allow: []string{"/{$}"}, target: "/", allowed: true},
		{name: "root only, not below", allow: []string{"/{$}"}, target: "/x"},
		{name: "root matches all", allow: []string{"/"}, target: "/admin/x", allowed: true},
		{name: "root matches no trick", allow: []string{"/"}, target: "/admin/..%2Fx"},
		{name: "wildcard", allow: []string{"/items/{id}"}, target: "/items/7", allowed: true},
		{name: "wildcard, one segment", allow: []string{"/items/{id}"}, target: "/items/7/edit"},
		{name: "wildcard, not empty", allow: []string{"/items/{id}"}, target: "/items/"},
		{name: "rest wildcard", allow: []string{"/files/{p...}"}, target: "/files/a/b", allowed: true},
		{name: "GET matches GET", allow: []string{"GET /login"}, method: http.MethodGet, target: "/login", allowed: true},
		{name: "GET matches HEAD", allow: []string{"GET /login"}, method: http.MethodHead, target: "/login", allowed: true},
		{name: "GET does not match POST", allow: []string{"GET /login"}, method: http.MethodPost, target: "/login"},
		{name: "POST matches POST", allow: []string{"POST /login"}, method: http.MethodPost, target: "/login", allowed: true},
		{name: "POST does not match GET", allow: []string{"POST /login"}, method: http.MethodGet, target: "/login"},
		{name: "both", allow: []string{"GET /login", "POST /login"}, method: http.MethodPost, target: "/login", allowed: true},
		{name: "host", allow: []string{"status.example.com/healthz"}, target: "/healthz", host: "status.example.com", allowed: true},
		{name: "host with a port", allow: []string{"status.example.com/healthz"}, target: "/healthz", host: "status.example.com:8080", allowed: true},
		{name: "host subtree", allow: []string{"status.example.com/"}, target: "/any/path", host: "status.example.com", allowed: true},
		{name: "other host", allow: []string{"status.example.com/healthz"}, target: "/healthz", host: "www.example.com"},
		{name: "before the first slash is a host", allow: []string{"api/status"}, target: "/api/status"},
		{name: "that host", allow: []string{"api/status"}, target: "/status", host: "api", allowed: true},
		{name: "surrounding space ignored", allow: []string{"  /healthz\t"}, target: "/healthz", allowed: true},
		{name: "repeated entry", allow: []string{"/healthz", "/healthz"}, target: "/healthz", allowed: true},
		{name: "conflicting patterns, first", allow: []string{"/a/{x}", "/{y}/b"}, target: "/a/c", allowed: true},
		{name: "conflicting patterns, second", allow: []string{"/a/{x}", "/{y}/b"}, target: "/c/b", allowed: true},
		{name: "conflicting patterns, neither", allow: []string{"/a/{x}", "/{y}/b"}, target: "/c/d"},
		{name: "blank entries", allow: []string{"", " "}, target: "/"},
		{name: "encoded name", allow: []string{"/caf%C3%A9"}, target: "/caf%C3%A9", allowed: true},
		{name: "case", allow: []string{"/healthz"}, target: "/Healthz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newManager(t, at(12, 30), window(at(12, 0), at(14, 0)))
			next := &okHandler{}
			h := middleware.Lockout(m, &middleware.LockoutOptions{Allow: tt.allow})(next)
			method, host := cmpOr(tt.method, http.MethodGet), cmpOr(tt.host, "x")
			for i := range 2 { // the second answer is the one the lockout kept
				req, err := readRequest(t, method, tt.target, host)
				require.NoError(t, err)
				rec := serve(h, req)
				if tt.allowed {
					assert.Equal(t, http.StatusOK, rec.Code)
					assert.Equal(t, i+1, next.calls)
					continue
				}
				assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
				assert.Equal(t, 0, next.calls)
			}
		})
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// An Allow entry that is no ServeMux pattern is refused at construction,
// by name, by Lockout and by Maintenance.
func TestLockout_AllowInvalid(t *testing.T) {
	m, _ := newManager(t, at(10, 0))
	for _, bad := range []string{"/{x", "GET", "login", "/a b", "/{x}/{x}", "/{$}/x", "BAD/METHOD /x", "/a/{x...}/b"} {
		t.Run(bad, func(t *testing.T) {
			msg := panicMessage(func() { middleware.Lockout(m, &middleware.LockoutOptions{Allow: []string{"/healthz", bad}}) })
			assert.True(t, strings.HasPrefix(msg, fmt.Sprintf("middleware: Lockout: Allow entry %q is not an http.ServeMux pattern: ", bad)), msg)
			msg = panicMessage(func() {
				middleware.Maintenance(m, &middleware.Options{Lockout: &middleware.LockoutOptions{Allow: []string{bad}}})
			})
			assert.True(t, strings.HasPrefix(msg, fmt.Sprintf("middleware: Maintenance: Lockout: Allow entry %q is not an http.ServeMux pattern: ", bad)), msg)
		})
	}
}

// panicMessage returns the string f panics with, or "" if it returns.
func panicMessage(f func()) (msg string) {
	defer func() {
		if v := recover(); v != nil {
			msg = fmt.Sprint(v)
		}
	}()
	f()
	return ""
}

// FuzzLockout_Allow parses random request lines as the server does and
// serves them through both routers behind the lockout: whatever passes is
// served by an allowed route.
func FuzzLockout_Allow(f *testing.F) {
	methods := []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodOptions, http.MethodConnect}
	for _, tt := range rawTargets {
		f.Add(uint8(slices.Index(methods, tt.method)), tt.target)
	}
	m, _ := newManager(f, at(12, 30), window(at(12, 0), at(14, 0)))
	lockout := middleware.Lockout(m, &middleware.LockoutOptions{Allow: routingAllow})
	hosts := make([]http.Handler, len(routers))
	for i, rt := range routers {
		hosts[i] = rt.host(lockout)
	}
	f.Fuzz(func(t *testing.T, method uint8, target string) {
		for i, h := range hosts {
			req, err := readRequest(t, methods[int(method)%len(methods)], target, "x")
			if err != nil {
				return // the server answers 400 itself
			}
			rec := serve(h, req)
			if rec.Code == http.StatusServiceUnavailable && rec.Header().Get("X-Route") == "" {
				continue
			}
			assert.Contains(t, allowedRoutes, rec.Header().Get("X-Route"),
				"%s: %s %q (path %q, raw path %q) passed the lockout with %d", routers[i].name, req.Method, target, req.URL.Path, req.URL.RawPath, rec.Code)
		}
	})
}
