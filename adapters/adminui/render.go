package adminui

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sysmaint/sysmaint/notify"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// parseTemplates parses the screens' templates; they are fixed at build
// time, so an error is a bug.
func parseTemplates() *template.Template {
	return template.Must(template.New("adminui").Funcs(template.FuncMap{"dict": dict}).ParseFS(templateFS, "templates/*.html"))
}

// dict builds a map from key, value pairs, to pass several values to a
// sub-template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("dict: keys must be strings")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// defaultFramePage is the page of the default Frame.
var defaultFramePage = template.Must(template.New("frame").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
{{.Head}}
</head>
<body class="SysmaintAdminPage">
<main>
{{.Body}}
</main>
</body>
</html>
`))

// defaultFrame is the Frame used when Options.Frame is nil: a plain page.
func defaultFrame(w io.Writer, _ *http.Request, s Screen) error {
	return defaultFramePage.Execute(w, s)
}

// securityPolicy is the Content-Security-Policy the screens get unless
// the host set one: the screens need their own script and style sheet and
// nothing else.
const securityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// langText is the text the translator maps to its language's tag, for the
// lang attribute: the screens are in English unless it says otherwise.
const langText = "en"

// view is what every screen's template needs: the translator of the
// admin's language, the prefix, the CSRF token and the messages.
type view struct {
	lang string
	tr   notify.Translator
	// Lang is the tag of the language the texts are in.
	Lang string
	// Prefix is Options.Prefix; OverviewURL the overview's path.
	Prefix, OverviewURL string
	// TokenField and Token are the hidden CSRF field, when there is one.
	TokenField, Token string
	// Crumbs are the breadcrumb: every item but the last links.
	Crumbs []crumb
	// Notices and Errors are the screen's messages, translated.
	Notices, Errors []string
}

type crumb struct{ Label, URL string }

// T translates the English text s into the admin's language.
func (v view) T(s string) string { return v.tr.Translate(v.lang, s) }

// Tf translates s and puts arg where it says %s.
func (v view) Tf(s, arg string) string { return strings.Replace(v.T(s), "%s", arg, 1) }

// view returns the view of r for an Admin that passed the checks (or the
// zero Admin, for pages shown before: English, no token).
func (h *handler) view(r *http.Request) view {
	a := adminOf(r)
	v := view{lang: a.lang(), tr: h.tr, Prefix: h.prefix, OverviewURL: h.prefix + "/", TokenField: h.o.CSRFField}
	v.Lang = v.T(langText)
	if h.o.CSRFToken != nil && a.Actor != "" {
		v.Token = h.o.CSRFToken(r)
	}
	return v
}

// render executes the screen name with data into the host's frame and
// writes it with status; a failure gives a clean 500, never half a page.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, v view, title, name string, data any) {
	var body bytes.Buffer
	if err := h.tmpl.ExecuteTemplate(&body, name, data); err != nil {
		h.log.Error("adminui: render", "screen", name, "err", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	var page bytes.Buffer
	s := Screen{Title: v.T(title), Lang: v.Lang, Head: h.assets.head, Body: template.HTML(body.String())} // the output of html/template
	if err := h.o.Frame(&page, r, s); err != nil {
		h.log.Error("adminui: frame", "screen", name, "err", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	if hd.Get("Content-Security-Policy") == "" {
		hd.Set("Content-Security-Policy", securityPolicy)
	}
	w.WriteHeader(status)
	_, _ = w.Write(page.Bytes())
}

// statusView is the data of a page that only says something: 403, 404,
// 409, 413, 500.
type statusView struct {
	view
	Title, Message string
}

// status answers with a page saying msg (English, translated).
func (h *handler) status(w http.ResponseWriter, r *http.Request, status int, msg string) {
	v := h.view(r)
	title := http.StatusText(status)
	v.Crumbs = []crumb{{Label: v.T(titleOverview), URL: v.OverviewURL}, {Label: v.T(title)}}
	h.render(w, r, status, v, title, "status", statusView{view: v, Title: v.T(title), Message: v.T(msg)})
}

// serverError logs err and answers 500.
func (h *handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("adminui: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	h.status(w, r, http.StatusInternalServerError, msgServerError)
}

// truncate shortens s to n characters, marking the cut with an ellipsis.
func truncate(n int, s string) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// asset is one embedded static file, served under a name that holds a
// hash of its content.
type asset struct {
	name, etag, typ string
	data            []byte
}

// assets are the embedded static files, by the path they are served at.
type assets struct {
	byPath map[string]*asset
	head   template.HTML
}

// newAssets hashes the embedded files and names each after its content,
// under base (the prefix's /static/): adminui.css becomes
// adminui.0123456789ab.css. A new build with other content has other
// names, so the files can be cached for a year.
func newAssets(base string) *assets {
	a := &assets{byPath: map[string]*asset{}}
	var css, js string
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		hash := hex.EncodeToString(sum[:6])
		ext := path.Ext(p)
		name := strings.TrimSuffix(path.Base(p), ext) + "." + hash + ext
		typ := "application/octet-stream"
		switch ext {
		case ".css":
			typ, css = "text/css; charset=utf-8", base+name
		case ".js":
			typ, js = "text/javascript; charset=utf-8", base+name
		}
		a.byPath[base+name] = &asset{name: name, etag: `"` + hash + `"`, typ: typ, data: data}
		return nil
	})
	if err != nil {
		panic("adminui: embedded static files: " + err.Error())
	}
	// Built from the prefix (checked: letters, digits, -._~/) and hashes:
	// nothing to escape.
	a.head = template.HTML(`<link rel="stylesheet" href="` + css + `">` + "\n" + `<script src="` + js + `" defer></script>`)
	return a
}

// serve answers a GET or HEAD under the prefix's /static/: the file with
// an ETag and a year of caching, 304 when the ETag matches, and 404 for
// anything else (no listing, no file without its hash).
func (a *assets) serve(w http.ResponseWriter, r *http.Request, p string, h *handler) {
	f, ok := a.byPath[p]
	if !ok {
		h.status(w, r, http.StatusNotFound, msgPageNotFound)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", f.typ)
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	hd.Set("ETag", f.etag)
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(f.data))
}
