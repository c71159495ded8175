package adminui_test

import (
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/adminui"
	"github.com/sysmaint/sysmaint/maintenance"
)

// assetPaths returns the paths of the style sheet and the script that a
// page links.
func assetPaths(t *testing.T, body string) (css, js string) {
	t.Helper()
	m := regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)">`).FindStringSubmatch(body)
	require.NotNil(t, m, "the page links its style sheet")
	s := regexp.MustCompile(`<script src="([^"]+)" defer></script>`).FindStringSubmatch(body)
	require.NotNil(t, s, "the page links its script")
	return m[1], s[1]
}

// TestStatic: the embedded files are served under names that hold their
// hash, cached for a year, with an ETag; anything else under static/ is a
// 404 page, and nothing lists a directory. The files need no admin.
func TestStatic(t *testing.T) {
	h := newHarness(t)
	css, js := assetPaths(t, h.as("alice").get(prefix+"/").body)
	assert.Regexp(t, `^/admin/maintenance/static/adminui\.[0-9a-f]{12}\.css$`, css)
	assert.Regexp(t, `^/admin/maintenance/static/adminui\.[0-9a-f]{12}\.js$`, js)

	nobody := h.as("")
	for _, f := range []struct{ path, typ, contains string }{
		{css, "text/css; charset=utf-8", ".SysmaintAdmin"},
		{js, "text/javascript; charset=utf-8", "data-confirm"},
	} {
		p := nobody.get(f.path)
		require.Equal(t, http.StatusOK, p.status, f.path)
		assert.Equal(t, f.typ, p.header.Get("Content-Type"))
		assert.Equal(t, "public, max-age=31536000, immutable", p.header.Get("Cache-Control"))
		etag := p.header.Get("ETag")
		assert.Regexp(t, `^"[0-9a-f]{12}"$`, etag)
		assert.Contains(t, f.path, strings.Trim(etag, `"`), "the name holds the hash")
		assert.Contains(t, p.body, f.contains)

		req, err := http.NewRequest(http.MethodGet, h.srv.URL+f.path, nil)
		require.NoError(t, err)
		req.Header.Set("If-None-Match", etag)
		p = nobody.do(req)
		assert.Equal(t, http.StatusNotModified, p.status)
		assert.Empty(t, p.body)
	}

	hc := &http.Client{} // follows redirects, as a browser does
	for _, path := range []string{
		prefix + "/static/", prefix + "/static", prefix + "/static/adminui.css", prefix + "/static/nope.css",
		css + "/", prefix + "/static//", prefix + "/static/.", prefix + "/static/../static/", prefix + "/static/%2e%2e/",
	} {
		t.Run(path, func(t *testing.T) {
			resp, err := hc.Get(h.srv.URL + path)
			require.NoError(t, err)
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.NotEqual(t, http.StatusOK, resp.StatusCode)
			assert.NotContains(t, string(b), `<a href="adminui`, "no listing")
			assert.NotContains(t, string(b), ".SysmaintAdmin {", "no file")
		})
	}
	p := h.as("alice").post(css, nil)
	assert.NotEqual(t, http.StatusOK, p.status, "static files answer GET and HEAD only")
}

// zeros is an endless stream of '0'.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}

// TestBodyCap: every form over MaxBody is answered 413 with a page that
// says so, whether the body announces its length or streams it, and
// nothing is written.
func TestBodyCap(t *testing.T) {
	for _, b := range []struct {
		name    string
		chunked bool
		size    int
	}{
		{"10 MB with Content-Length", false, 10 << 20},
		{"10 MB chunked", true, 10 << 20},
		{"one byte over, chunked", true, adminui.MaxBody + 1},
	} {
		t.Run(b.name, func(t *testing.T) {
			h := newHarness(t)
			c := h.as("alice")
			win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
			sessions := h.sessionIDs()
			for _, r := range routes(win.ID) {
				if r.method != http.MethodPost {
					continue
				}
				prefix := mutating(win)
				prefix.Set(adminui.DefaultCSRFField, "token-alice")
				head := prefix.Encode() + "&Pad="
				body := io.MultiReader(strings.NewReader(head), io.LimitReader(zeros{}, int64(b.size-len(head))))
				req, err := http.NewRequest(http.MethodPost, h.srv.URL+r.path, body)
				require.NoError(t, err)
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if !b.chunked {
					req.ContentLength = int64(b.size)
				}
				p := c.do(req)
				assert.Equal(t, http.StatusRequestEntityTooLarge, p.status, r.path)
				assert.Equal(t, "The request is too large: a form may send at most 64 KiB. Nothing was saved.", statusMessage(p.body), r.path)
			}
			assert.Equal(t, []maintenance.Window{win}, h.windows(), "nothing written")
			assert.Equal(t, sessions, h.sessionIDs())
			assert.Equal(t, maintenance.DefaultLead, h.m.Lead())
		})
	}

	t.Run("just under the cap passes", func(t *testing.T) {
		h := newHarness(t)
		f := windowForm(maintenance.Window{Start: day.Add(time.Hour), Stop: day.Add(2 * time.Hour), Comment: "fits", Validity: maintenance.Valid})
		f.Set(adminui.DefaultCSRFField, "token-alice")
		head := f.Encode() + "&Pad="
		f.Set("Pad", strings.Repeat("0", adminui.MaxBody-len(head)))
		require.Equal(t, adminui.MaxBody, len(f.Encode()))
		p := h.as("alice").post(prefix+"/new", f)
		assert.Equal(t, http.StatusSeeOther, p.status)
		assert.Len(t, h.windows(), 1)
	})

	t.Run("a malformed form is 400", func(t *testing.T) {
		h := newHarness(t)
		req, err := http.NewRequest(http.MethodPost, h.srv.URL+prefix+"/new", strings.NewReader("Comment=%zz&csrf_token=token-alice"))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		p := h.as("alice").do(req)
		assert.Equal(t, http.StatusBadRequest, p.status)
		assert.Empty(t, h.windows())
	})
}

// TestPrefix: under another prefix every link, action and redirect starts
// with it, and the handler answers nothing outside it.
func TestPrefix(t *testing.T) {
	const p = "/ops/maint-v2"
	h := newHarness(t, func(o *adminui.Options) { o.Prefix = p })
	c := h.as("alice")
	win := h.addWindow(day.Add(-time.Minute), day.Add(time.Hour))
	for _, path := range []string{p + "/", p + "/new", p + "/" + itoa(win.ID), p + "/" + itoa(win.ID) + "/delete"} {
		pg := c.get(path)
		require.Equal(t, http.StatusOK, pg.status, path)
		for _, m := range regexp.MustCompile(`(?:href|action|src)="(/[^"]*)"`).FindAllStringSubmatch(pg.body, -1) {
			assert.True(t, strings.HasPrefix(m[1], p+"/"), "%s: %s starts with the prefix", path, m[1])
		}
	}
	f := windowForm(maintenance.Window{Start: day.Add(time.Hour), Stop: day.Add(2 * time.Hour), Comment: "x", Validity: maintenance.Valid})
	f.Set("ContinueAfterSave", "1")
	pg := c.postT(p+"/new", f)
	require.Equal(t, http.StatusSeeOther, pg.status)
	assert.Regexp(t, `^`+p+`/\d+\?Notification=Add$`, pg.location)
	pg = c.postT(p+"/lead", url.Values{"LeadMinutes": {"5"}})
	assert.Equal(t, p+"/?Notification=Lead", pg.location)
	assert.Equal(t, http.StatusNotFound, c.get(prefix+"/").status, "the default prefix is not served")
	css, _ := assetPaths(t, c.get(p+"/").body)
	assert.Equal(t, http.StatusOK, c.get(css).status)

	// The prefix alone redirects to the overview, keeping the query
	// (ServeMux does it before the handler sees it; the handler too).
	pg = c.get(p + "?state=active")
	assert.Equal(t, p+"/?state=active", pg.location)
	ui := adminui.New(h.m, &adminui.Options{Admin: h.opts.Admin, Prefix: p})
	pg = httptestRecorder(t, ui, http.MethodGet, p+"?state=active", "alice")
	assert.Equal(t, http.StatusPermanentRedirect, pg.status)
	assert.Equal(t, p+"/?state=active", pg.location)

	// Mounted wider than the prefix, the handler answers 404 outside it.
	for _, path := range []string{"/", "/ops/maint", "/ops/maint-v2x/"} {
		rec := httptestRecorder(t, ui, http.MethodGet, path, "alice")
		assert.Equal(t, http.StatusNotFound, rec.status, path)
	}
}

// TestFrame: a host's Frame gets each screen with its title, language and
// head, and what it writes is the page; a Frame that fails gives a plain
// 500, and TemplateFrame executes a template with the Screen.
func TestFrame(t *testing.T) {
	var got []adminui.Screen
	h := newHarness(t, func(o *adminui.Options) {
		o.Frame = func(w io.Writer, r *http.Request, s adminui.Screen) error {
			if r.URL.Query().Get("fail") != "" {
				return errors.New("layout broke")
			}
			got = append(got, s)
			_, err := io.WriteString(w, `<!doctype html><title>Host: `+template.HTMLEscapeString(s.Title)+`</title>`+string(s.Head)+`<nav id="HostNav"></nav>`+string(s.Body))
			return err
		}
	})
	c := h.as("dieter") // German
	p := c.get(prefix + "/")
	require.Equal(t, http.StatusOK, p.status)
	require.Len(t, got, 1)
	assert.Equal(t, "Systemwartungs-Verwaltung", got[0].Title)
	assert.Equal(t, "de", got[0].Lang)
	assert.Contains(t, string(got[0].Head), `<link rel="stylesheet" href="/admin/maintenance/static/adminui.`)
	assert.True(t, strings.HasPrefix(strings.TrimSpace(string(got[0].Body)), `<div class="SysmaintAdmin" lang="de">`))
	assert.Contains(t, p.body, `<title>Host: Systemwartungs-Verwaltung</title>`)
	assert.Contains(t, p.body, `<nav id="HostNav"></nav>`)
	assert.Equal(t, "no-store", p.header.Get("Cache-Control"))

	p = c.get(prefix + "/?fail=1")
	assert.Equal(t, http.StatusInternalServerError, p.status)
	assert.NotContains(t, p.body, "SysmaintAdmin", "no half page")

	tmpl := template.Must(template.New("layout").Parse(`<html lang="{{.Lang}}"><head><title>{{.Title}} | Host</title>{{.Head}}</head><body><header id="HostHeader"></header>{{.Body}}</body></html>`))
	h2 := newHarness(t, func(o *adminui.Options) { o.Frame = adminui.TemplateFrame(tmpl) })
	p = h2.as("alice").get(prefix + "/new")
	require.Equal(t, http.StatusOK, p.status)
	assert.Contains(t, p.body, `<html lang="en"><head><title>Schedule New System Maintenance | Host</title><link rel="stylesheet"`)
	assert.Contains(t, p.body, `<header id="HostHeader"></header>`)
	assert.Contains(t, p.body, `id="StartDateDay"`, "the body is not escaped")
	assert.Panics(t, func() { adminui.TemplateFrame(nil) })
}

// TestHeaders: pages are not cached and get a strict CSP unless the host
// set one.
func TestHeaders(t *testing.T) {
	h := newHarness(t)
	p := h.as("alice").get(prefix + "/")
	assert.Equal(t, "no-store", p.header.Get("Cache-Control"))
	assert.Equal(t, "nosniff", p.header.Get("X-Content-Type-Options"))
	assert.Contains(t, p.header.Get("Content-Security-Policy"), "script-src 'self'")
	assert.Contains(t, p.header.Get("Content-Security-Policy"), "frame-ancestors 'none'")

	ui := adminui.New(h.m, h.opts)
	host := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self' https://cdn.example")
		ui.ServeHTTP(w, r)
	})
	rec := httptestRecorder(t, host, http.MethodGet, prefix+"/", "alice")
	assert.Equal(t, "default-src 'self' https://cdn.example", rec.header.Get("Content-Security-Policy"), "the host's policy is kept")
}

// TestActorRequired: an Admin without an Actor is the host's bug: 500,
// nothing written.
func TestActorRequired(t *testing.T) {
	h := newHarness(t)
	h.admins["blank"] = &adminui.Admin{Actor: "  "}
	f := windowForm(maintenance.Window{Start: day.Add(time.Hour), Stop: day.Add(2 * time.Hour), Comment: "x", Validity: maintenance.Valid})
	p := h.as("blank").postT(prefix+"/new", f)
	assert.Equal(t, http.StatusInternalServerError, p.status)
	assert.Empty(t, h.windows())
}
