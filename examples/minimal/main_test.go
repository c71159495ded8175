package main

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/adminui"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

func TestNewHandler(t *testing.T) {
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 11, 59, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	_, err := m.Add(context.Background(), maintenance.Window{
		Start:    time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC),
		Stop:     time.Date(2026, 11, 24, 12, 5, 0, 0, time.UTC),
		Comment:  "Demo window",
		Validity: maintenance.Valid,
	}, "test")
	require.NoError(t, err)
	h := newHandler(m, notify.New(nil), "", nil)

	tests := []struct {
		name      string
		now       time.Time
		path      string
		wantCode  int
		wantBody  string
		wantRetry string
	}{
		{name: "upcoming", now: time.Date(2026, 11, 24, 11, 59, 0, 0, time.UTC), path: "/", wantCode: http.StatusOK,
			wantBody: "Hello. Maintenance notice (upcoming): A system maintenance period will start at: 11/24/2026 12:00 UTC and is expected to stop at: 11/24/2026 12:05 UTC\n"},
		{name: "active", now: time.Date(2026, 11, 24, 12, 1, 0, 0, time.UTC), path: "/", wantCode: http.StatusServiceUnavailable, wantRetry: "240"},
		{name: "health stays open", now: time.Date(2026, 11, 24, 12, 1, 0, 0, time.UTC), path: "/healthz", wantCode: http.StatusOK, wantBody: "ok\n"},
		{name: "over", now: time.Date(2026, 11, 24, 12, 5, 0, 0, time.UTC), path: "/", wantCode: http.StatusOK, wantBody: "Hello. Maintenance notice (none): \n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock.Set(tt.now)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
			assert.Equal(t, tt.wantCode, rec.Code)
			assert.Equal(t, tt.wantRetry, rec.Header().Get("Retry-After"))
			if tt.wantBody != "" {
				assert.Equal(t, tt.wantBody, rec.Body.String())
			}
		})
	}
}

// TestDefaultAddr: minimal and the helpdesk demo listen on different
// ports by default, so a newcomer can run both.
func TestDefaultAddr(t *testing.T) {
	file, err := parser.ParseFile(token.NewFileSet(), filepath.Join("..", "helpdesk", "main.go"), nil, 0)
	require.NoError(t, err)
	var helpdesk string
	for _, d := range file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if len(vs.Names) == 1 && vs.Names[0].Name == "defaultAddr" {
				lit, ok := vs.Values[0].(*ast.BasicLit)
				require.True(t, ok, "the helpdesk's defaultAddr is a string literal")
				helpdesk, err = strconv.Unquote(lit.Value)
				require.NoError(t, err)
			}
		}
	}
	require.NotEmpty(t, helpdesk, "examples/helpdesk/main.go declares defaultAddr")
	_, minimalPort, err := net.SplitHostPort(defaultAddr)
	require.NoError(t, err)
	_, helpdeskPort, err := net.SplitHostPort(helpdesk)
	require.NoError(t, err)
	assert.NotEqual(t, helpdeskPort, minimalPort)
	assert.Equal(t, "127.0.0.1:8081", defaultAddr)
}

// TestAdmin: with -admin, the screens are served to whoever opened the
// login link with the token, also during the window; to no one else.
func TestAdmin(t *testing.T) {
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 11, 59, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	_, err := m.Add(context.Background(), maintenance.Window{
		Start: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), Stop: time.Date(2026, 11, 24, 12, 5, 0, 0, time.UTC),
		Comment: "Demo window", Validity: maintenance.Valid,
	}, "test")
	require.NoError(t, err)
	const token = "s3cret-demo-token"
	srv := httptest.NewServer(newHandler(m, notify.New(nil), token, nil))
	t.Cleanup(srv.Close)
	get := func(path, cookie string) *http.Response {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		require.NoError(t, err)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		resp, err := http.DefaultTransport.RoundTrip(req) // no redirects followed
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}

	assert.Equal(t, http.StatusForbidden, get("/admin/maintenance/", "").StatusCode)
	assert.Equal(t, http.StatusForbidden, get("/admin/maintenance/", adminCookie+"=guess").StatusCode)
	for _, bad := range []string{"", "?token=", "?token=guess", "?token=" + token + "x"} {
		resp := get("/admin/login"+bad, "")
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, bad)
		assert.Empty(t, resp.Cookies(), bad)
	}

	resp := get("/admin/login?token="+token, "")
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, "/admin/maintenance/", resp.Header.Get("Location"))
	require.Len(t, resp.Cookies(), 1)
	c := resp.Cookies()[0]
	assert.Equal(t, token, c.Value)
	assert.True(t, c.HttpOnly)
	assert.Equal(t, http.SameSiteStrictMode, c.SameSite)
	assert.Equal(t, "/admin/", c.Path)
	cookie := adminCookie + "=" + token
	assert.Equal(t, http.StatusOK, get("/admin/maintenance/", cookie).StatusCode)

	// A window added through the screens, recorded as the demo admin;
	// cross-site, refused.
	form := adminui.FormatWindowForm(maintenance.Window{Start: mock.Now().Add(time.Hour), Stop: mock.Now().Add(2 * time.Hour),
		Comment: "added on the screen", Validity: maintenance.Valid}, time.UTC)
	for _, site := range []string{"cross-site", "same-origin"} {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/admin/maintenance/new", strings.NewReader(form.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", cookie)
		req.Header.Set("Sec-Fetch-Site", site)
		resp, err := http.DefaultTransport.RoundTrip(req)
		require.NoError(t, err)
		resp.Body.Close()
		want := http.StatusSeeOther
		if site == "cross-site" {
			want = http.StatusForbidden
		}
		assert.Equal(t, want, resp.StatusCode, site)
	}
	ws, err := m.List(context.Background())
	require.NoError(t, err)
	require.Len(t, ws, 2)
	assert.Equal(t, "demo-admin", ws[1].CreatedBy)

	// During the window the admin still gets in; nobody else.
	mock.Set(time.Date(2026, 11, 24, 12, 1, 0, 0, time.UTC))
	assert.Equal(t, http.StatusServiceUnavailable, get("/", "").StatusCode)
	assert.Equal(t, http.StatusServiceUnavailable, get("/admin/maintenance/", "").StatusCode)
	assert.Equal(t, http.StatusOK, get("/admin/maintenance/", cookie).StatusCode)
	assert.Equal(t, http.StatusSeeOther, get("/admin/login?token="+token, "").StatusCode, "the login link works during the window")

	// Without -admin there are no screens.
	plain := httptest.NewServer(newHandler(m, notify.New(nil), "", nil))
	t.Cleanup(plain.Close)
	mock.Set(time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC))
	resp, err = http.Get(plain.URL + "/admin/login?token=")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}
