package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// TestLockoutOptions: during a window minimal answers with its own page;
// the office's addresses go through; a browser that opened the secret
// link goes through with the cookie it was given; everyone else is locked
// out.
func TestLockoutOptions(t *testing.T) {
	m := duringWindow(t)
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	get := func(srv *httptest.Server, path string, cookies ...*http.Cookie) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		require.NoError(t, err)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		res, err := (&http.Client{CheckRedirect: noRedirect}).Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res, string(b)
	}

	elsewhere := httptest.NewServer(newHandler(m, notify.New(nil), "", lockoutOptions("a-long-s3cret-link", []string{"10.0.0.0/8"})))
	t.Cleanup(elsewhere.Close)
	res, body := get(elsewhere, "/")
	assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	assert.Contains(t, body, "<h1>Back soon</h1>", "the host's own page")
	assert.Contains(t, body, "Expected back at <time datetime=\"2026-11-24T12:30:00Z\">12:30 UTC</time>")
	assert.Equal(t, "1740", res.Header.Get("Retry-After"))

	// The secret link sets the cookie that lets this browser through.
	res, _ = get(elsewhere, "/maintenance-bypass/a-long-s3cret-link")
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	cookies := res.Cookies()
	require.Len(t, cookies, 1)
	assert.True(t, cookies[0].HttpOnly)
	res, body = get(elsewhere, "/", cookies...)
	assert.Equal(t, http.StatusOK, res.StatusCode, body)
	res, _ = get(elsewhere, "/maintenance-bypass/wrong")
	assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode, "a wrong secret sets nothing")
	assert.Empty(t, res.Cookies())

	// The office: the test client comes from 127.0.0.1.
	office := httptest.NewServer(newHandler(m, notify.New(nil), "", lockoutOptions("", []string{"127.0.0.0/8"})))
	t.Cleanup(office.Close)
	res, body = get(office, "/")
	assert.Equal(t, http.StatusOK, res.StatusCode, body)
}

// duringWindow returns a Manager on a mock clock at 12:01, a minute into
// its one window, 12:00-12:30 UTC.
func duringWindow(t *testing.T) *maintenance.Manager {
	t.Helper()
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 12, 1, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	_, err := m.Add(context.Background(), maintenance.Window{
		Start: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), Stop: time.Date(2026, 11, 24, 12, 30, 0, 0, time.UTC),
		Comment: "Demo window", Validity: maintenance.Valid,
	}, "test")
	require.NoError(t, err)
	return m
}
