package app_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/adminui"
	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/app"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

// day is the fixed "now" of every test: 2026-11-24 10:00 UTC.
var day = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// harness is the app over a fresh SQLite file, served by httptest, with a
// mock clock at day and the demo users seeded.
type harness struct {
	t     testing.TB
	app   *app.App
	db    *sqlstore.DB // nil for newHarnessOn
	clock *clock.Mock
	srv   *httptest.Server
	pw    map[string]string
}

func newHarness(t testing.TB, mod ...func(*app.Config)) *harness {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "helpdesk.db"), nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	h := newHarnessOn(t, app.SQLite(db), mod...)
	h.db = db
	return h
}

// newHarnessOn is newHarness over the given database.
func newHarnessOn(t testing.TB, db app.Database, mod ...func(*app.Config)) *harness {
	t.Helper()
	ctx := context.Background()
	mock := clock.NewMock()
	mock.Set(day)
	cfg := app.Config{
		DB: db, Clock: mock, PasswordIterations: 1000,
		Logger: slog.New(slog.DiscardHandler),
	}
	for _, m := range mod {
		m(&cfg)
	}
	a, err := app.New(cfg)
	require.NoError(t, err)
	pw, err := a.Seed(ctx)
	require.NoError(t, err)
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &harness{t: t, app: a, clock: mock, srv: srv, pw: pw}
}

// idleFor sets Config.IdleTimeout, for tests that move the clock further
// than the default idle timeout while a user stays logged in.
func idleFor(d time.Duration) func(*app.Config) {
	return func(c *app.Config) { c.IdleTimeout = d }
}

// addWindow stores a valid window from start to stop through the Manager.
func (h *harness) addWindow(start, stop time.Time, mod ...func(*maintenance.Window)) maintenance.Window {
	h.t.Helper()
	w := maintenance.Window{Start: start, Stop: stop, Comment: "test window", Validity: maintenance.Valid}
	for _, m := range mod {
		m(&w)
	}
	w, err := h.app.Manager().Add(context.Background(), w, "test")
	require.NoError(h.t, err)
	return w
}

func (h *harness) windows() []maintenance.Window {
	h.t.Helper()
	ws, err := h.app.Manager().List(context.Background())
	require.NoError(h.t, err)
	return ws
}

func (h *harness) sessions() []session.Session {
	h.t.Helper()
	ss, err := h.app.Sessions().List(context.Background())
	require.NoError(h.t, err)
	return ss
}

// client is a browser: a cookie jar, no redirects followed, and the
// ChallengeToken of the last page that had one.
type client struct {
	h     *harness
	hc    *http.Client
	token string
	// sid is the stored ID of the session h.login created.
	sid string
}

func (h *harness) client() *client {
	jar, err := cookiejar.New(nil)
	require.NoError(h.t, err)
	return &client{h: h, hc: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// page is an answer: status, body, Location and Retry-After.
type page struct {
	status     int
	body       string
	location   string
	retryAfter string
}

func (c *client) do(req *http.Request) page {
	c.h.t.Helper()
	resp, err := c.hc.Do(req)
	require.NoError(c.h.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.h.t, err)
	p := page{status: resp.StatusCode, body: string(b), location: resp.Header.Get("Location"), retryAfter: resp.Header.Get("Retry-After")}
	if m := tokenRE.FindStringSubmatch(p.body); m != nil {
		c.token = m[1]
	}
	return p
}

var tokenRE = regexp.MustCompile(`name="ChallengeToken" value="([^"]*)"`)

func (c *client) get(path string) page {
	c.h.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.h.srv.URL+path, nil)
	require.NoError(c.h.t, err)
	return c.do(req)
}

// post sends form as is (add the token with withToken).
func (c *client) post(path string, form url.Values, headers ...string) page {
	c.h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.h.srv.URL+path, strings.NewReader(form.Encode()))
	require.NoError(c.h.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

// postT sends form with the client's ChallengeToken.
func (c *client) postT(path string, form url.Values) page {
	c.h.t.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set("ChallengeToken", c.token)
	return c.post(path, f)
}

// login logs user in at the login page of their kind and loads the home
// page (for the ChallengeToken). It fails the test unless the login works.
func (h *harness) login(user string) *client {
	h.t.Helper()
	c := h.client()
	path, home := "/login", "/"
	if user == "customer" {
		path, home = "/customer/login", "/customer/"
	}
	known := map[string]bool{}
	for _, s := range h.sessions() {
		known[s.ID] = true
	}
	p := c.post(path, url.Values{"User": {user}, "Password": {h.pw[user]}})
	require.Equal(h.t, http.StatusSeeOther, p.status, "login %s: %s", user, p.body)
	require.Equal(h.t, home, p.location)
	for _, s := range h.sessions() {
		if !known[s.ID] {
			c.sid = s.ID
		}
	}
	require.NotEmpty(h.t, c.sid)
	p = c.get(home)
	require.Equal(h.t, http.StatusOK, p.status)
	require.NotEmpty(h.t, c.token)
	return c
}

// windowForm returns the form values showing w in UTC.
func windowForm(w maintenance.Window) url.Values {
	return adminui.FormatWindowForm(w, time.UTC)
}

// textOf returns the unescaped text inside the element with the given id
// (inside its first <p> when it has one), and whether the element exists.
func textOf(body, id string) (string, bool) {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return "", false
	}
	rest := body[i:]
	rest = rest[strings.Index(rest, ">")+1:]
	if j := strings.Index(rest, "<p>"); j >= 0 && j < strings.Index(rest, "</") {
		rest = rest[j+3:]
	}
	end := strings.Index(rest, "</")
	if end < 0 {
		end = len(rest)
	}
	return html.UnescapeString(strings.TrimSpace(rest[:end])), true
}

// hasErrorClass reports whether the element with the given id has the
// class Error.
func hasErrorClass(body, id string) bool {
	re := regexp.MustCompile(`<[a-z]+ [^>]*id="` + regexp.QuoteMeta(id) + `"[^>]*class="([^"]*)"`)
	m := re.FindStringSubmatch(body)
	return m != nil && regexp.MustCompile(`\bError\b`).MatchString(m[1])
}

// messages returns the texts of the message boxes of the given class
// ("Notice" or "Error") in the page body, the maintenance banner excluded.
func messages(body, class string) []string {
	re := regexp.MustCompile(`<div class="MessageBox ` + class + `"[^>]*><p>(.*?)</p>`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// formValues returns what a browser would post from the form of the page
// whose class is class, without pressing a button: hidden and text inputs,
// checked checkboxes, the selected options and the textareas.
func formValues(body, class string) url.Values {
	i := strings.Index(body, `class="`+class+`"`)
	if i < 0 {
		return nil
	}
	block := body[i : i+strings.Index(body[i:], "</form>")]
	attr := func(tag, name string) (string, bool) {
		m := regexp.MustCompile(`\s` + name + `(?:="([^"]*)")?[\s>]`).FindStringSubmatch(tag)
		if m == nil {
			return "", false
		}
		return html.UnescapeString(m[1]), true
	}
	f := url.Values{}
	for _, tag := range regexp.MustCompile(`<input [^>]*>`).FindAllString(block, -1) {
		name, _ := attr(tag, "name")
		typ, _ := attr(tag, "type")
		value, _ := attr(tag, "value")
		if _, checked := attr(tag, "checked"); typ == "checkbox" && !checked {
			continue
		}
		f.Add(name, value)
	}
	for _, m := range regexp.MustCompile(`(?s)<select [^>]*name="([^"]*)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(block, -1) {
		if o := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[2]); o != nil {
			f.Add(m[1], html.UnescapeString(o[1]))
		}
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea [^>]*name="([^"]*)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(block, -1) {
		f.Add(m[1], html.UnescapeString(m[2]))
	}
	return f
}

// statusMessage returns the text of a status page (403, 404, 413, ...).
func statusMessage(body string) string {
	m := regexp.MustCompile(`<p class="StatusMessage">(.*?)</p>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// assertLoginPage checks that p sends the browser to the login page.
func assertToLogin(t *testing.T, p page, path string) {
	t.Helper()
	assert.Equal(t, http.StatusSeeOther, p.status)
	assert.Equal(t, path, p.location)
}
