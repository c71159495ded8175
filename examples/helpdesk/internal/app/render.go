package app

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"

	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/notify"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// staticHandler serves the style sheet, mounted under
// http.StripPrefix: files only. A directory, the tree's root included, is
// "Page not found." (404), never a listing.
func (a *App) staticHandler() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Path
		if fi, err := fs.Stat(sub, name); name == "" || err != nil || !fi.Mode().IsRegular() {
			a.renderStatus(w, r, http.StatusNotFound, "Page not found.")
			return
		}
		http.ServeFileFS(w, r, sub, name)
	})
}

// pages are the parsed templates, one set per page, each the layout plus
// the page's "content".
type pages struct {
	byName map[string]*template.Template
}

var pageNames = []string{"login", "agent_home", "customer_home", "admin", "status"}

func parsePages() (*pages, error) {
	p := &pages{byName: map[string]*template.Template{}}
	for _, name := range pageNames {
		t, err := template.New(name).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		p.byName[name] = t
	}
	return p, nil
}

// base is what the layout needs: every page's data embeds it.
type base struct {
	Title string
	// User is the logged-in user, nil on the login screens.
	User *User
	// Admin reports whether User is a maintenance admin (admin links).
	Admin bool
	// Token is the session's ChallengeToken for the forms.
	Token string
	// Notice is the maintenance banner (middleware.Banner).
	Notice notify.Notice
	// Notices are success messages, Errors error messages of the page.
	Notices, Errors []string
}

// baseFor fills the layout's data from the request.
func (a *App) baseFor(r *http.Request, title string) base {
	b := base{Title: title, Notice: middleware.NoticeFromContext(r.Context())}
	if c, ok := fromContext(r.Context()); ok {
		u := c.user
		b.User, b.Admin, b.Token = &u, u.MaintenanceAdmin(), c.csrf
	}
	return b
}

// render executes the page into a buffer first, so a failing template
// gives a clean 500 instead of half a page.
func (a *App) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := a.pages.byName[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		a.log.Error("helpdesk: render", "page", name, "err", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// statusPage is a page that only says something: 403, 404, 500.
type statusPage struct {
	base
	Status  int
	Message string
}

func (a *App) renderStatus(w http.ResponseWriter, r *http.Request, status int, msg string) {
	a.render(w, r, status, "status", statusPage{base: a.baseFor(r, http.StatusText(status)), Status: status, Message: msg})
}

func (a *App) serverError(w http.ResponseWriter, r *http.Request, err error) {
	a.log.Error("helpdesk: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	a.renderStatus(w, r, http.StatusInternalServerError, "Something went wrong. Please try again.")
}
