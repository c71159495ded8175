package adminui_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/adminui"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

// day is the fixed "now" of every test: 2026-11-24 10:00 UTC.
var day = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// prefix is where the harness mounts the screens.
const prefix = "/admin/maintenance"

// harness is a small host around the screens: a Manager and a session
// Manager over memory stores, a mock clock at day, and admins known by a
// cookie ("who=alice"), each with a session of their own and the CSRF
// token "token-<name>". Anyone else is refused.
type harness struct {
	t        testing.TB
	m        *maintenance.Manager
	sessions *session.Manager
	clock    *clock.Mock
	srv      *httptest.Server
	opts     *adminui.Options
	admins   map[string]*adminui.Admin
}

// hostAdmins are the admins the harness knows.
var hostAdmins = map[string]struct {
	zone, lang string
}{
	"alice":  {"UTC", ""},
	"bob":    {"UTC", "en"},
	"berta":  {"Europe/Berlin", ""},
	"dieter": {"Europe/Berlin", "de-DE"},
}

func newHarness(t testing.TB, mod ...func(*adminui.Options)) *harness {
	t.Helper()
	return newHarnessOn(t, memstore.NewWindowStore(), mod...)
}

func newHarnessOn(t testing.TB, store maintenance.Store, mod ...func(*adminui.Options)) *harness {
	t.Helper()
	mock := clock.NewMock()
	mock.Set(day)
	h := &harness{t: t, clock: mock, admins: map[string]*adminui.Admin{}}
	h.m = maintenance.New(store, &maintenance.Options{Clock: mock, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, h.m.Refresh(context.Background()))
	h.sessions = session.New(memstore.NewSessionStore(), &session.Options{Clock: mock})
	for name, a := range hostAdmins {
		loc, err := time.LoadLocation(a.zone)
		require.NoError(t, err)
		s, err := h.sessions.Add(context.Background(), session.Session{
			ID: "session-of-" + name, Kind: session.Agent, UserLogin: name, UserFullName: strings.ToUpper(name[:1]) + name[1:], Admin: true,
		})
		require.NoError(t, err)
		h.admins[name] = &adminui.Admin{Actor: name, Location: loc, Language: a.lang, SessionID: s.ID}
	}
	h.opts = &adminui.Options{
		Admin: func(r *http.Request) (adminui.Admin, bool) {
			c, err := r.Cookie("who")
			if err != nil {
				return adminui.Admin{}, false
			}
			a, ok := h.admins[c.Value]
			if !ok {
				return adminui.Admin{}, false
			}
			return *a, true
		},
		Sessions: h.sessions,
		CSRFToken: func(r *http.Request) string {
			if c, err := r.Cookie("who"); err == nil {
				return "token-" + c.Value
			}
			return ""
		},
		Logger: slog.New(slog.DiscardHandler),
	}
	for _, m := range mod {
		m(h.opts)
	}
	mux := http.NewServeMux()
	p := h.opts.Prefix
	if p == "" {
		p = prefix
	}
	mux.Handle(p+"/", adminui.New(h.m, h.opts))
	// A browser logs in as an admin with /login?who=alice.
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "who", Value: r.URL.Query().Get("who"), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, p+"/", http.StatusSeeOther)
	})
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	return h
}

// addWindow stores a valid window from start to stop through the Manager.
func (h *harness) addWindow(start, stop time.Time, mod ...func(*maintenance.Window)) maintenance.Window {
	h.t.Helper()
	w := maintenance.Window{Start: start, Stop: stop, Comment: "test window", Validity: maintenance.Valid}
	for _, m := range mod {
		m(&w)
	}
	w, err := h.m.Add(context.Background(), w, "test")
	require.NoError(h.t, err)
	return w
}

func (h *harness) windows() []maintenance.Window {
	h.t.Helper()
	ws, err := h.m.List(context.Background())
	require.NoError(h.t, err)
	return ws
}

func (h *harness) get(id int64) maintenance.Window {
	h.t.Helper()
	w, err := h.m.Get(context.Background(), id)
	require.NoError(h.t, err)
	return w
}

func (h *harness) sessionIDs() []string {
	h.t.Helper()
	ss, err := h.sessions.List(context.Background())
	require.NoError(h.t, err)
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

// client is a browser of one admin ("" for nobody): it sends the cookie,
// and follows no redirect.
type client struct {
	h    *harness
	who  string
	hc   *http.Client
	last page
}

func (h *harness) as(who string) *client {
	return &client{h: h, who: who, hc: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// page is an answer: status, body and the headers.
type page struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (c *client) do(req *http.Request) page {
	c.h.t.Helper()
	if c.who != "" {
		req.AddCookie(&http.Cookie{Name: "who", Value: c.who})
	}
	resp, err := c.hc.Do(req)
	require.NoError(c.h.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.h.t, err)
	c.last = page{status: resp.StatusCode, body: string(b), location: resp.Header.Get("Location"), header: resp.Header}
	return c.last
}

func (c *client) get(path string) page {
	c.h.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.h.srv.URL+path, nil)
	require.NoError(c.h.t, err)
	return c.do(req)
}

// post sends form as is, with the extra headers given as name, value.
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

// postT sends form with the admin's CSRF token.
func (c *client) postT(path string, form url.Values) page {
	c.h.t.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set(adminui.DefaultCSRFField, "token-"+c.who)
	return c.post(path, f)
}

// windowForm returns the form values showing w in UTC.
func windowForm(w maintenance.Window) url.Values {
	return adminui.FormatWindowForm(w, time.UTC)
}

func windowPath(id int64) string { return prefix + "/" + itoa(id) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

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

// tagOf returns the opening tag of the element with the given id.
func tagOf(body, id string) string {
	m := regexp.MustCompile(`<[a-z]+ [^>]*\bid="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(body)
	return m
}

// attr returns the value of the attribute name of the element id, and
// whether it has it.
func attr(body, id, name string) (string, bool) {
	m := regexp.MustCompile(`\s` + name + `(?:="([^"]*)")?[\s>]`).FindStringSubmatch(tagOf(body, id))
	if m == nil {
		return "", false
	}
	return html.UnescapeString(m[1]), true
}

// hasErrorClass reports whether the element with the given id has the
// class Error.
func hasErrorClass(body, id string) bool {
	c, _ := attr(body, id, "class")
	return regexp.MustCompile(`\bError\b`).MatchString(c)
}

// messages returns the texts of the message boxes of the given class
// ("Notice" or "Error") in the page body.
func messages(body, class string) []string {
	re := regexp.MustCompile(`<div class="MessageBox ` + class + `"[^>]*><p>(.*?)</p>`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// statusMessage returns the text of a status page (403, 404, 413, ...).
func statusMessage(body string) string {
	m := regexp.MustCompile(`<p class="StatusMessage">(.*?)</p>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// breadcrumb returns the texts of the .BreadCrumb items.
func breadcrumb(body string) []string {
	i := strings.Index(body, `<ol class="BreadCrumb">`)
	if i < 0 {
		return nil
	}
	block := body[i : i+strings.Index(body[i:], "</ol>")]
	var out []string
	for _, m := range regexp.MustCompile(`(?s)<li>(.*?)</li>`).FindAllStringSubmatch(block, -1) {
		out = append(out, html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], "")))
	}
	return out
}

// selected returns the value of the selected option of the select id.
func selected(body, id string) string {
	i := strings.Index(body, `<select id="`+id+`"`)
	if i < 0 {
		return ""
	}
	block := body[i : i+strings.Index(body[i:], "</select>")]
	m := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(block)
	if m == nil {
		return ""
	}
	return m[1]
}

// selectedDate returns the date selects of name as "DD.MM.YYYY hh:mm".
func selectedDate(body, name string) string {
	return selected(body, name+"Day") + "." + selected(body, name+"Month") + "." + selected(body, name+"Year") +
		" " + selected(body, name+"Hour") + ":" + selected(body, name+"Minute")
}

// rowsOf returns the <tr> elements of the body of table id, "No data
// found." rows excluded.
func rowsOf(body, id string) []string {
	i := strings.Index(body, `<table id="`+id+`"`)
	if i < 0 {
		return nil
	}
	block := body[i : i+strings.Index(body[i:], "</table>")]
	block = block[strings.Index(block, "<tbody>"):]
	var out []string
	for _, m := range regexp.MustCompile(`(?s)<tr[ >].*?</tr>`).FindAllString(block, -1) {
		if !strings.Contains(m, `class="NoData"`) {
			out = append(out, m)
		}
	}
	return out
}

// rowWith returns the row of the overview containing s.
func rowWith(body, s string) string {
	for _, r := range rowsOf(body, "SystemMaintenances") {
		if strings.Contains(r, s) {
			return r
		}
	}
	return ""
}

// formValues returns what a browser would post from the form of the page
// whose class is class, without pressing a button: hidden and text inputs,
// checked checkboxes and radio buttons, the selected options and the
// textareas; nothing disabled.
func formValues(body, class string) url.Values {
	i := strings.Index(body, `class="`+class+`"`)
	if i < 0 {
		return nil
	}
	block := body[i : i+strings.Index(body[i:], "</form>")]
	get := func(tag, name string) (string, bool) {
		m := regexp.MustCompile(`\s` + name + `(?:="([^"]*)")?[\s>]`).FindStringSubmatch(tag)
		if m == nil {
			return "", false
		}
		return html.UnescapeString(m[1]), true
	}
	f := url.Values{}
	for _, tag := range regexp.MustCompile(`<input [^>]*>`).FindAllString(block, -1) {
		name, _ := get(tag, "name")
		typ, _ := get(tag, "type")
		value, _ := get(tag, "value")
		if _, checked := get(tag, "checked"); (typ == "checkbox" || typ == "radio") && !checked {
			continue
		}
		if _, disabled := get(tag, "disabled"); disabled {
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

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	require.NoError(t, err)
	return l
}

// httptestRecorder serves one request of who to h directly.
func httptestRecorder(t testing.TB, h http.Handler, method, target, who string) page {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	if who != "" {
		req.AddCookie(&http.Cookie{Name: "who", Value: who})
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return page{status: rec.Code, body: rec.Body.String(), location: rec.Header().Get("Location"), header: rec.Header()}
}
