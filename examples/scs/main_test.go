package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"
	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sysmem "github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/scsstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

var day = time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC)

// host is the example's handler with a window from 12:00 to 12:30, on a
// mock clock at 11:00.
type host struct {
	t       *testing.T
	mock    *clock.Mock
	handler http.Handler
}

func newHost(t *testing.T) *host {
	mock := clock.NewMock()
	mock.Set(day)
	m := maintenance.New(sysmem.NewWindowStore(), &maintenance.Options{Clock: mock, Lead: 2 * time.Hour})
	_, err := m.Add(context.Background(), maintenance.Window{
		Start: day.Add(time.Hour), Stop: day.Add(90 * time.Minute), Comment: "Upgrade", Validity: maintenance.Valid,
	}, "test")
	require.NoError(t, err)
	sm := scs.New()
	sm.Store = memstore.NewWithCleanupInterval(0)
	sm.HashTokenInStore = true
	st := scsstore.New(sm, &scsstore.Options{Clock: mock})
	return &host{t: t, mock: mock, handler: newHandler(m, st)}
}

// do serves one request with the session cookie of jar (updated from the
// response) and returns its status and body.
func (h *host) do(method, target string, form url.Values, jar *string) (int, string) {
	h.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, target, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if *jar != "" {
		r.AddCookie(&http.Cookie{Name: "session", Value: *jar})
	}
	rec := httptest.NewRecorder()
	h.handler.ServeHTTP(rec, r)
	for _, c := range rec.Result().Cookies() {
		if c.Name == "session" {
			*jar = c.Value
		}
	}
	return rec.Code, rec.Body.String()
}

func (h *host) login(user string, jar *string) (int, string) {
	return h.do(http.MethodPost, "/login", url.Values{"user": {user}, "password": {"demo"}}, jar)
}

func (h *host) home(jar *string) string {
	h.t.Helper()
	code, body := h.do(http.MethodGet, "/", nil, jar)
	require.Equal(h.t, http.StatusOK, code, body)
	return body
}

func TestHost(t *testing.T) {
	h := newHost(t)
	var root, bob, carol string
	for user, jar := range map[string]*string{"root": &root, "bob": &bob, "carol": &carol} {
		code, body := h.login(user, jar)
		require.Equal(t, http.StatusSeeOther, code, "login of %s: %s", user, body)
	}
	code, _ := h.do(http.MethodPost, "/login", url.Values{"user": {"bob"}, "password": {"wrong"}}, new(string))
	assert.Equal(t, http.StatusUnauthorized, code)

	// The banner, an hour before the window.
	assert.Equal(t, "Hello bob (agent).\nMaintenance notice (upcoming): A system maintenance period will start at: "+
		"11/24/2026 12:00 UTC and is expected to stop at: 11/24/2026 12:30 UTC\n", h.home(&bob))

	// Kill all except own: admins only, and never the caller's session.
	code, _ = h.do(http.MethodPost, "/admin/kill-others", nil, &bob)
	assert.Equal(t, http.StatusForbidden, code)
	code, body := h.do(http.MethodPost, "/admin/kill-others", nil, &root)
	require.Equal(t, http.StatusOK, code, body)
	assert.Equal(t, "Killed 2 sessions.\n", body)
	assert.Contains(t, h.home(&bob), "Please log in")
	assert.Contains(t, h.home(&carol), "Please log in")
	assert.Contains(t, h.home(&root), "Hello root (agent).")

	// During the window: bob, logged in before it, is ended at his next
	// request; his and carol's logins are refused; root works on.
	bob = ""
	code, _ = h.login("bob", &bob)
	require.Equal(t, http.StatusSeeOther, code)
	h.mock.Set(day.Add(time.Hour + time.Minute))
	old := bob
	code, _ = h.do(http.MethodGet, "/", nil, &bob)
	assert.Equal(t, http.StatusSeeOther, code, "bob's session is ended")
	assert.Empty(t, bob, "bob's cookie is cleared")
	assert.Contains(t, h.home(&old), "Please log in", "the ended session's cookie is worth nothing")
	for _, user := range []string{"bob", "carol"} {
		code, body = h.login(user, new(string))
		assert.Equal(t, http.StatusForbidden, code, user)
		assert.Equal(t, maintenance.DefaultLoginRefused+"\n", body, user)
	}
	assert.Contains(t, h.home(&root), "Maintenance notice (active)")
	code, _ = h.login("root", new(string))
	assert.Equal(t, http.StatusSeeOther, code, "an admin logs in during the window")

	// Logout ends the session for good.
	code, _ = h.do(http.MethodPost, "/logout", nil, &root)
	require.Equal(t, http.StatusSeeOther, code)
	assert.Contains(t, h.home(&root), "Please log in")
}

// TestReadmeSnippet: the README's section on scs shows lines of this
// program, so that it cannot drift from code that compiles and is tested.
func TestReadmeSnippet(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	src, err := os.ReadFile("main.go")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n## Sessions kept in scs\n")
	require.True(t, ok, "README.md has the section")
	_, code, ok := strings.Cut(section, "```go\n")
	require.True(t, ok)
	code, _, ok = strings.Cut(code, "```")
	require.True(t, ok)
	lines := 0
	for line := range strings.Lines(code) {
		line = strings.TrimSpace(line)
		if line == "" || line == "..." || strings.HasPrefix(line, "// ") {
			continue
		}
		lines++
		assert.Contains(t, string(src), line, "a README line that is not in main.go")
	}
	assert.Positive(t, lines)
	assert.LessOrEqual(t, strings.Count(code, "\n"), 20, "the snippet is at most 20 lines")
}
