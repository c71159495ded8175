package httpapi_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

func TestAuth_Refusals(t *testing.T) {
	e := newEnv(t)
	e.add(maintenance.Window{Start: at(-time.Hour), Stop: at(time.Hour)})
	before := e.snapshot()
	routes := []req{
		{method: "GET", path: "/windows"},
		{method: "POST", path: "/windows", body: `{"start":"2026-11-24T10:00:00Z","stop":"2026-11-24T11:00:00Z","comment":"c"}`},
		{method: "GET", path: "/windows/1"},
		{method: "PUT", path: "/windows/1", body: `{"start":"2026-11-24T10:00:00Z","stop":"2026-11-24T11:00:00Z","comment":"c","validity":"valid"}`, header: map[string]string{"If-Match": "*"}},
		{method: "DELETE", path: "/windows/1", header: map[string]string{"If-Match": "*"}},
		{method: "POST", path: "/windows/1/end"},
		{method: "POST", path: "/windows/1/extend", body: `{"by_seconds":60}`},
		{method: "POST", path: "/windows/1/cancel"},
		{method: "POST", path: "/down", body: `{"for_seconds":60}`},
		{method: "POST", path: "/up"},
		{method: "GET", path: "/status"},
		{method: "GET", path: "/calendar.ics"},
		{method: "GET", path: "/openapi.json"},
		{method: "GET", path: "/nothing"},
		{method: "PATCH", path: "/windows/1"},
	}
	tokens := []struct {
		name   string
		header string
		status int
	}{
		{"no credentials", "", http.StatusUnauthorized},
		{"a wrong token", "Bearer nope", http.StatusUnauthorized},
		{"a token with more after it", "Bearer " + adminToken + " x", http.StatusUnauthorized},
		{"another scheme", "Basic " + adminToken, http.StatusUnauthorized},
		{"no token", "Bearer ", http.StatusUnauthorized},
		{"a forbidden actor", "Bearer " + guestToken, http.StatusForbidden},
	}
	for _, tok := range tokens {
		for _, rt := range routes {
			t.Run(tok.name+"/"+rt.method+" "+rt.path, func(t *testing.T) {
				rt.token = "-"
				if rt.header == nil {
					rt.header = map[string]string{}
				}
				rt.header["Authorization"] = tok.header
				r := e.do(rt)
				require.Equal(t, tok.status, r.status, "%s", r.body)
				r.problem(t)
				if tok.status == http.StatusUnauthorized {
					assert.Equal(t, httpapi.DefaultChallenge, r.header.Get("WWW-Authenticate"))
				} else {
					assert.Empty(t, r.header.Get("WWW-Authenticate"))
				}
				assert.Equal(t, before, e.snapshot(), "nothing is written")
			})
		}
	}
}

// newBare returns the API over a memory store, with authorize and opts,
// mounted under basePath by the host's ServeMux.
func newBare(t *testing.T, authorize httpapi.AuthorizeFunc, opts *httpapi.Options) (*maintenance.Manager, *httptest.Server) {
	mock := clock.NewMock()
	mock.Set(t0)
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	if opts == nil {
		opts = &httpapi.Options{}
	}
	opts.BasePath = basePath
	opts.Logger = slog.New(slog.DiscardHandler)
	mux := http.NewServeMux()
	mux.Handle(basePath+"/", http.StripPrefix(basePath, httpapi.New(m, authorize, opts)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return m, srv
}

func TestAuth_HostCheck(t *testing.T) {
	t.Run("sees the routed method and path", func(t *testing.T) {
		var seen []string
		_, srv := newBare(t, func(r *http.Request) (string, error) {
			seen = append(seen, r.Method+" "+r.URL.Path)
			return "x", nil
		}, nil)
		for _, p := range []string{"/api/status", "/api/windows/7"} {
			resp, err := http.Get(srv.URL + p)
			require.NoError(t, err)
			resp.Body.Close()
		}
		assert.Equal(t, []string{"GET /status", "GET /windows/7"}, seen)
	})
	t.Run("a failing check answers 503", func(t *testing.T) {
		_, srv := newBare(t, func(*http.Request) (string, error) { return "", errors.New("session store down") }, nil)
		resp, err := http.Get(srv.URL + "/api/status")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
	})
	t.Run("a wrapped refusal keeps its status", func(t *testing.T) {
		_, srv := newBare(t, func(*http.Request) (string, error) {
			return "", errors.Join(errors.New("token expired"), httpapi.ErrUnauthenticated)
		}, &httpapi.Options{Challenge: `Bearer realm="ops", error="invalid_token"`})
		resp, err := http.Get(srv.URL + "/api/status")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		assert.Equal(t, `Bearer realm="ops", error="invalid_token"`, resp.Header.Get("WWW-Authenticate"))
	})
	t.Run("a check that names nobody answers 500 and writes nothing", func(t *testing.T) {
		m, srv := newBare(t, func(*http.Request) (string, error) { return " ", nil }, nil)
		resp, err := http.Post(srv.URL+"/api/down", "application/json", strings.NewReader(`{"for_seconds":60}`))
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
		ws, err := m.List(t.Context())
		require.NoError(t, err)
		assert.Empty(t, ws)
	})
	t.Run("the feed may have its own check", func(t *testing.T) {
		_, srv := newBare(t, httpapi.BearerTokens(map[string]string{"t": "admin"}), &httpapi.Options{
			AuthorizeFeed: func(r *http.Request) error {
				if r.URL.Query().Get("key") != "feed-secret" {
					return httpapi.ErrForbidden
				}
				return nil
			},
		})
		get := func(p string) int {
			resp, err := http.Get(srv.URL + p)
			require.NoError(t, err)
			resp.Body.Close()
			return resp.StatusCode
		}
		assert.Equal(t, http.StatusOK, get("/api/calendar.ics?key=feed-secret"))
		assert.Equal(t, http.StatusForbidden, get("/api/calendar.ics?key=guess"))
		assert.Equal(t, http.StatusUnauthorized, get("/api/status?key=feed-secret"), "the feed's check opens the feed only")
		assert.Equal(t, http.StatusUnauthorized, get("/api/calendar.ics/?key=feed-secret"))
	})
	t.Run("New refuses a nil check", func(t *testing.T) {
		m := maintenance.New(memstore.NewWindowStore(), nil)
		assert.PanicsWithValue(t, "httpapi: New called with a nil AuthorizeFunc: pass one, such as httpapi.BearerTokens(tokens)", func() {
			httpapi.New(m, nil, nil)
		})
		assert.Panics(t, func() { httpapi.New(nil, authorize, nil) })
		assert.Panics(t, func() { httpapi.New(m, authorize, &httpapi.Options{BasePath: "api"}) })
	})
}

func TestBearerTokens(t *testing.T) {
	check := httpapi.BearerTokens(map[string]string{"s3cret": "alice", "other": "bob"})
	tests := []struct {
		header string
		actor  string
	}{
		{"Bearer s3cret", "alice"},
		{"bearer other", "bob"},
		{"BEARER s3cret", "alice"},
		{"Bearer s3cre", ""},
		{"Bearer s3cret2", ""},
		{"Bearer  s3cret", ""},
		{"Bearer", ""},
		{"s3cret", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Authorization", tt.header)
			actor, err := check(r)
			assert.Equal(t, tt.actor, actor)
			if tt.actor == "" {
				assert.ErrorIs(t, err, httpapi.ErrUnauthenticated)
			} else {
				assert.NoError(t, err)
			}
		})
	}
	assert.Panics(t, func() { httpapi.BearerTokens(map[string]string{"": "x"}) })
	assert.Panics(t, func() { httpapi.BearerTokens(map[string]string{"t": " "}) })
}

// rawRequest sends one request line (and headers) as written over a TCP
// connection to srv and returns the status and the headers.
func rawRequest(t *testing.T, srv *httptest.Server, line string, headers ...string) (int, http.Header, string) {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	msg := line + "\r\nHost: example.com\r\nConnection: close\r\n"
	for _, h := range headers {
		msg += h + "\r\n"
	}
	_, err = io.WriteString(conn, msg+"\r\n")
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestRouting sends raw request lines through a real server where the
// host strips the prefix with nothing in front (no ServeMux cleaning the
// path): the check and the routing act on the same request, unclean paths
// answer 404 (never a redirect that would lose the prefix), other methods
// 405 with Allow.
func TestRouting(t *testing.T) {
	mock := clock.NewMock()
	mock.Set(t0)
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	readOnly := func(r *http.Request) (string, error) {
		actor, err := authorize(r)
		if err == nil && actor == "operator" && r.Method != http.MethodGet && r.Method != http.MethodHead {
			return "", httpapi.ErrForbidden
		}
		return actor, err
	}
	srv := httptest.NewServer(http.StripPrefix(basePath, httpapi.New(m, readOnly, &httpapi.Options{BasePath: basePath})))
	t.Cleanup(srv.Close)
	admin := "Authorization: Bearer " + adminToken
	reader := "Authorization: Bearer " + operatorToken
	tests := []struct {
		line   string
		header string
		status int
		allow  string
	}{
		{"GET /api/status HTTP/1.1", admin, 200, ""},
		{"HEAD /api/status HTTP/1.1", admin, 200, ""},
		{"GET /api/%73tatus HTTP/1.1", admin, 200, ""},
		{"GET /api/status HTTP/1.1", "", 401, ""},
		{"GET /api/windows/../status HTTP/1.1", admin, 404, ""},
		{"GET /api/windows/../status HTTP/1.1", "", 401, ""},
		{"GET /api//status HTTP/1.1", admin, 404, ""},
		{"GET /api/./status HTTP/1.1", admin, 404, ""},
		{"GET /api/status/ HTTP/1.1", admin, 404, ""},
		{"GET /api/STATUS HTTP/1.1", admin, 404, ""},
		{"GET /api HTTP/1.1", admin, 404, ""},
		{"GET /api/ HTTP/1.1", admin, 404, ""},
		{"GET /api/windows/1%2F2 HTTP/1.1", admin, 404, ""},
		{"GET /api/windows/1/ HTTP/1.1", admin, 404, ""},
		{"DELETE /api/status HTTP/1.1", admin, 405, "GET, HEAD"},
		{"PATCH /api/windows/1 HTTP/1.1", admin, 405, "GET, HEAD, PUT, DELETE"},
		{"GET /api/down HTTP/1.1", admin, 405, "POST"},
		{"OPTIONS /api/windows HTTP/1.1", admin, 405, "GET, HEAD, POST"},
		{"get /api/status HTTP/1.1", admin, 405, "GET, HEAD"},
		{"GET /api/windows HTTP/1.1", reader, 200, ""},
		{"POST /api/down HTTP/1.1", reader, 403, ""},
		{"get /api/status HTTP/1.1", reader, 403, ""},
		{"POST /api/down HTTP/1.1\r\nX-HTTP-Method-Override: GET", reader, 403, ""},
		{"POST /api/up HTTP/1.1\r\nX-HTTP-Method-Override: GET\r\nContent-Length: 0", reader, 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.line+" "+tt.header, func(t *testing.T) {
			var hs []string
			if tt.header != "" {
				hs = append(hs, tt.header)
			}
			status, h, body := rawRequest(t, srv, tt.line, hs...)
			require.Equal(t, tt.status, status, "%s", body)
			assert.Empty(t, h.Get("Location"), "never a redirect")
			if status >= 400 {
				assert.Equal(t, "application/problem+json", h.Get("Content-Type"))
			}
			if tt.allow != "" {
				assert.Equal(t, tt.allow, h.Get("Allow"))
			}
		})
	}
	ws, err := m.List(context.Background())
	require.NoError(t, err)
	assert.Empty(t, ws, "no refused request wrote")
}
