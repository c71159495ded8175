package adminui

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

// The defaults and bounds of Options.
const (
	// DefaultPrefix is where the screens live unless Options.Prefix says
	// otherwise.
	DefaultPrefix = "/admin/maintenance"
	// DefaultCSRFField is the name of the hidden form field that carries
	// the token of Options.CSRFToken.
	DefaultCSRFField = "csrf_token"
	// DefaultPageSize is how many windows the overview shows at once.
	DefaultPageSize = 50
	// MaxPageSize bounds Options.PageSize.
	MaxPageSize = 500
	// MaxBody caps every request body: a larger one is answered 413.
	MaxBody = 64 << 10
)

// Admin is who uses the screens, as the host knows them.
type Admin struct {
	// Actor names the admin in the windows' CreatedBy and ChangedBy.
	// Required: a request whose Admin has a blank Actor is answered 500.
	Actor string
	// Location is the admin's time zone: every date is shown, labelled
	// and parsed in it. nil means UTC.
	Location *time.Location
	// Language is the admin's language, a BCP 47 tag ("de", "de-AT") or
	// an Accept-Language value, passed to Options.Translator. "" means
	// English.
	Language string
	// SessionID is the ID, in Options.Sessions, of the session this
	// request belongs to: the session that "kill all sessions except your
	// own" keeps and that the session list marks as the admin's. "" means
	// unknown: killing all is then refused, and nothing is killed.
	SessionID string
}

// Screen is one screen, ready for the host's page frame.
type Screen struct {
	// Title is the screen's title, translated, for the <title> element.
	Title string
	// Lang is the language of the screen's texts, for the lang attribute.
	Lang string
	// Head holds the <link> of the screens' style sheet and the <script>
	// of their (optional) script, with their mount-point paths: put it
	// into the page's <head>.
	Head template.HTML
	// Body is the screen itself: put it where the page's content goes.
	Body template.HTML
}

// Frame writes a whole HTML page around a Screen, in the host's layout.
// The handler sets the status and the headers, and writes what Frame
// wrote only when it returns nil; an error gives a plain 500.
type Frame func(w io.Writer, r *http.Request, s Screen) error

// TemplateFrame returns the Frame that executes t with the Screen as its
// data, for a layout that needs nothing else:
//
//	<html lang="{{.Lang}}"><head><title>{{.Title}}</title>{{.Head}}</head>
//	<body><nav>...</nav>{{.Body}}</body></html>
func TemplateFrame(t *template.Template) Frame {
	if t == nil {
		panic("adminui: TemplateFrame of a nil template")
	}
	return func(w io.Writer, _ *http.Request, s Screen) error { return t.Execute(w, s) }
}

// Link is a link the overview shows (see [Options.Links]).
type Link struct {
	// Label is the link's text.
	Label string
	// URL is where it leads; it is shown as the text of a note too when
	// Note is empty, for a URL meant to be copied (a feed to subscribe
	// to).
	URL string
	// Note is shown after the link, for instance how to authenticate.
	Note string
}

// Options configures the handler New returns. Admin is required; every
// other zero field means the default it documents.
type Options struct {
	// Admin says who the admin of r is and whether r may use the screens.
	// It runs before anything else is done (after the cross-origin check
	// for unsafe methods). When it returns false, Forbidden answers.
	// Required: New panics without it.
	Admin func(r *http.Request) (Admin, bool)
	// Forbidden answers a request that Admin refused. Default: a 403
	// page saying so.
	Forbidden http.Handler

	// Prefix is the path the screens live under: the overview is
	// Prefix+"/", a window Prefix+"/{id}". Mount the handler at
	// Prefix+"/" without stripping the prefix: every link and redirect
	// starts with it. It is a clean absolute path of letters, digits and
	// "-._~/" without a trailing slash; New panics on anything else.
	// Default: DefaultPrefix, "/admin/maintenance".
	Prefix string

	// Sessions, when set, adds the session part to the edit screen:
	// the counters, the agent and customer sessions, kill one, kill all
	// except the admin's own (Admin.SessionID). Default: nil, no session
	// part; its routes answer 404.
	Sessions *session.Manager

	// CrossOrigin refuses unsafe requests (every method but GET, HEAD and
	// OPTIONS) from other origins. Default: http.NewCrossOriginProtection(),
	// which trusts no other origin. Pass one of your own to trust some.
	CrossOrigin *http.CrossOriginProtection
	// CSRFToken, when set, returns the token that every form of the
	// screens carries in the hidden field CSRFField, and that every unsafe
	// request must post back (compared in constant time; a request whose
	// CSRFToken is "" is refused). Use the per-session token of the host's
	// sessions. Default: nil, no token: the cross-origin check alone
	// protects the forms, which is enough in browsers that send
	// Sec-Fetch-Site or Origin (all current ones).
	CSRFToken func(r *http.Request) string
	// CSRFField names the hidden field of CSRFToken, for a host whose own
	// middleware reads the token from a field of its own. Default:
	// DefaultCSRFField.
	CSRFField string

	// Frame puts each screen into the host's page layout. Default: a
	// plain HTML page around the screen.
	Frame Frame
	// Translator translates the screens' texts and date layouts into
	// Admin.Language. Default: DefaultCatalog(), English and German. The
	// same catalog serves notify.Settings.Translator.
	Translator notify.Translator
	// Texts words the preview of what users will see on the edit screen
	// (the upcoming notice, the banner during the window, the login
	// message). Default: notify.New with Translator.
	Texts *notify.Texts

	// SaveLead persists the notice lead time an admin sets on the
	// overview, before it is applied with Manager.SetLead; when it fails,
	// the lead stays as it was and the admin sees an error. Default: nil,
	// Manager.SetLead only: the lead lives in memory, until a restart.
	SaveLead func(ctx context.Context, lead time.Duration) error

	// PageSize is how many windows the overview shows at once, 1 to
	// MaxPageSize. Default: DefaultPageSize.
	PageSize int
	// Logger records every change made through the screens, and failures.
	// Default: slog.Default().
	Logger *slog.Logger
	// Links are shown on the overview, under "Links": where admins find
	// what the host offers beside the screens, such as a calendar feed or
	// a JSON API. Labels and notes are shown as given (translate them for
	// the admin's language yourself). Default: none.
	Links []Link
}

// handler serves the screens. It is immutable after New.
type handler struct {
	m        *maintenance.Manager
	o        Options
	prefix   string
	mux      *http.ServeMux
	cop      *http.CrossOriginProtection
	tr       notify.Translator
	texts    *notify.Texts
	log      *slog.Logger
	pageSize int
	assets   *assets
	tmpl     *template.Template
}

// New returns the handler of the admin screens over m. Mount it at
// Options.Prefix + "/" (see the package documentation). New panics when m
// or opts is nil, when opts.Admin is nil, when opts.Prefix is not a clean
// path, or when opts.PageSize is out of range. It starts no goroutine.
func New(m *maintenance.Manager, opts *Options) http.Handler {
	if m == nil {
		panic("adminui: New needs a *maintenance.Manager")
	}
	if opts == nil || opts.Admin == nil {
		panic("adminui: New needs Options.Admin, which says who the admin is")
	}
	h := &handler{m: m, o: *opts, prefix: opts.Prefix, cop: opts.CrossOrigin, tr: opts.Translator,
		texts: opts.Texts, log: opts.Logger, pageSize: opts.PageSize}
	if h.prefix == "" {
		h.prefix = DefaultPrefix
	}
	if !validPrefix(h.prefix) {
		panic(fmt.Sprintf("adminui: Options.Prefix %q is not a clean absolute path of letters, digits and -._~/ without a trailing slash", h.prefix))
	}
	if h.o.CSRFField == "" {
		h.o.CSRFField = DefaultCSRFField
	}
	if h.cop == nil {
		h.cop = http.NewCrossOriginProtection()
	}
	if h.tr == nil {
		h.tr = DefaultCatalog()
	}
	if h.texts == nil {
		h.texts = notify.New(&notify.Settings{Translator: h.tr})
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	switch {
	case h.pageSize == 0:
		h.pageSize = DefaultPageSize
	case h.pageSize < 1 || h.pageSize > MaxPageSize:
		panic(fmt.Sprintf("adminui: Options.PageSize %d is not from 1 to %d", h.pageSize, MaxPageSize))
	}
	if h.o.Frame == nil {
		h.o.Frame = defaultFrame
	}
	h.assets = newAssets(h.prefix + "/static/")
	h.tmpl = parseTemplates()

	p := h.prefix
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+p+"/{$}", h.overview)
	mux.HandleFunc("POST "+p+"/lead", h.saveLead)
	mux.HandleFunc("GET "+p+"/new", h.newForm)
	mux.HandleFunc("POST "+p+"/new", h.newPost)
	mux.HandleFunc("GET "+p+"/{id}", h.editForm)
	mux.HandleFunc("POST "+p+"/{id}", h.editPost)
	mux.HandleFunc("GET "+p+"/{id}/delete", h.deleteForm)
	mux.HandleFunc("POST "+p+"/{id}/delete", h.deletePost)
	mux.HandleFunc("POST "+p+"/{id}/skip", h.skipPost)
	mux.HandleFunc("POST "+p+"/{id}/sessions/kill", h.killPost)
	mux.HandleFunc("POST "+p+"/{id}/sessions/killall", h.killAllPost)
	mux.HandleFunc(p+"/", func(w http.ResponseWriter, r *http.Request) {
		h.status(w, r, http.StatusNotFound, msgPageNotFound)
	})
	h.mux = mux
	return h
}

// validPrefix reports whether p is a clean absolute path of safe
// characters, without a trailing slash.
func validPrefix(p string) bool {
	if len(p) < 2 || p[0] != '/' || p[len(p)-1] == '/' || strings.Contains(p, "//") {
		return false
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~/", c) >= 0) {
			return false
		}
	}
	return true
}

// adminKey is the context key of the request's Admin.
type adminKey struct{}

// ServeHTTP serves a request under the prefix: static files to anyone;
// everything else only after the checks, in this order: the body cap
// (413), the cross-origin check of unsafe methods (403), Options.Admin
// (Forbidden), the form (413 or 400), the CSRF token (403).
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	path := r.URL.Path
	switch {
	case path == h.prefix:
		u := h.prefix + "/"
		if r.URL.RawQuery != "" {
			u += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, u, http.StatusPermanentRedirect)
		return
	case !strings.HasPrefix(path, h.prefix+"/"):
		h.status(w, r, http.StatusNotFound, msgPageNotFound)
		return
	case strings.HasPrefix(path, h.prefix+"/static/") && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		h.assets.serve(w, r, path, h)
		return
	}

	if r.ContentLength > MaxBody {
		h.status(w, r, http.StatusRequestEntityTooLarge, msgTooLarge)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	unsafe := r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions
	if unsafe {
		if err := h.cop.Check(r); err != nil {
			h.status(w, r, http.StatusForbidden, msgCrossOrigin)
			return
		}
	}
	admin, ok := h.o.Admin(r)
	if !ok {
		if h.o.Forbidden != nil {
			h.o.Forbidden.ServeHTTP(w, r)
			return
		}
		h.status(w, r, http.StatusForbidden, msgForbidden)
		return
	}
	if strings.TrimSpace(admin.Actor) == "" {
		h.log.Error("adminui: Options.Admin returned an Admin without an Actor", "path", path)
		h.status(w, r, http.StatusInternalServerError, msgServerError)
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), adminKey{}, admin))
	if unsafe {
		if err := r.ParseForm(); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				h.status(w, r, http.StatusRequestEntityTooLarge, msgTooLarge)
				return
			}
			h.status(w, r, http.StatusBadRequest, msgBadForm)
			return
		}
		if h.o.CSRFToken != nil {
			want, got := h.o.CSRFToken(r), r.PostForm.Get(h.o.CSRFField)
			if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
				h.status(w, r, http.StatusForbidden, msgBadToken)
				return
			}
		}
	}
	h.mux.ServeHTTP(w, r)
}

// adminOf returns the Admin of a request that passed ServeHTTP's checks.
func adminOf(r *http.Request) Admin {
	a, _ := r.Context().Value(adminKey{}).(Admin)
	return a
}

// location returns a's zone, UTC when it has none.
func (a Admin) location() *time.Location {
	if a.Location == nil {
		return time.UTC
	}
	return a.Location
}

// lang returns a's language, "en" when it has none.
func (a Admin) lang() string {
	if a.Language == "" {
		return "en"
	}
	return a.Language
}
