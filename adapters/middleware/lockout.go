package middleware

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// LockoutOptions configures [Lockout]. A nil *LockoutOptions, and every zero
// field, means the default.
type LockoutOptions struct {
	// Allow lists what stays open during maintenance, as http.ServeMux
	// patterns ("[METHOD ][HOST]/[PATH]") with ServeMux's meaning: a
	// request is allowed when a ServeMux holding these patterns would
	// route it to one of them. So "/healthz" allows that path only (not
	// "/healthz/", "/healthz/x" or "/HEALTHZ"), "/static/" the tree under
	// it (and "/static/" itself, not "/static", which ServeMux answers
	// with a redirect), "/{$}" the root only, "/items/{id}" one segment
	// after "/items/"; "GET /login" allows GET and HEAD but not POST. Text
	// before the first "/" names a host, as on ServeMux ("api/status" is
	// "/status" on host "api"); an entry with no "/" is refused. "/"
	// matches every path, as on ServeMux, and so locks nothing out; a blank
	// entry opens nothing.
	//
	// A pattern matches only a path in canonical form: no ".", ".." or
	// empty segment, no backslash, and no percent-encoding other than the
	// one net/url makes (so no "%2F"); see the package documentation,
	// "Lockout". Any other path, such as "/admin/..%2Fhealthz",
	// "/static/../admin" or "//healthz", is locked out like every path not
	// allowed, so that the lockout never allows a path the router reads
	// otherwise.
	//
	// Lockout panics at construction on an entry that is not a valid
	// ServeMux pattern, naming it. Default: nothing is allowed, so list
	// the login page ("/login", or "GET /login" and "POST /login"), or
	// admins who are not logged in cannot log in.
	Allow []string
	// IsAdmin reports whether r comes from a maintenance admin, who is let
	// through (typically from the host's session: [session.Session.Admin]).
	// It is asked only during an active window, for paths not allowed.
	// Default: nobody is an admin.
	IsAdmin func(r *http.Request) bool
	// Texts gives the message of the 503 page: the active notification.
	// Default: notify.New(nil).
	Texts *notify.Texts
	// Viewer says who reads the 503 page (language, time zone). It is asked
	// only when a request is locked out; an anonymous request reads the
	// zero Viewer (English, UTC). Default: everyone is anonymous.
	Viewer ViewerFunc
}

// Lockout returns a middleware that, while a maintenance window is active,
// answers every request with 503 Service Unavailable, except requests for
// an allowed path ([LockoutOptions.Allow]) and requests from admins
// ([LockoutOptions.IsAdmin]). Outside a window every request goes to next,
// at the cost of one status check.
//
// The 503 carries Retry-After in whole seconds until the current stretch of
// maintenance ends ([maintenance.Status.End], so chained windows count as
// one), rounded up and at least 1, and Cache-Control: no-store. Its body is
// JSON when the Accept header prefers application/json (or a +json type)
// to text/html:
//
//	{"error":"maintenance","message":"...","retry_after":600,"until":"2026-11-24T23:00:00Z"}
//
// and otherwise a small HTML page with the message. The message is the
// active notification of [notify.Texts.Banner] for the viewer, escaped. A
// HEAD request gets the headers of the GET answer and no body.
//
// Lockout is opt-in: Znuny lets everyone already logged in keep working
// during maintenance and only refuses new logins (see [LoginGate]).
//
// Lockout decides on r as it receives it: put it in front of the router
// whose routes the Allow patterns name, after anything that rewrites the
// path (http.StripPrefix).
//
// Lockout panics if m is nil, or if an Allow entry is not a valid
// http.ServeMux pattern.
func Lockout(m *maintenance.Manager, opts *LockoutOptions) func(http.Handler) http.Handler {
	if m == nil {
		panic("middleware: Lockout: nil *maintenance.Manager")
	}
	l := newLockout("Lockout", opts)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if now := m.Clock().Now(); !l.refuse(m.StatusAt(now), now, w, r) {
				next.ServeHTTP(w, r)
			}
		})
	}
}

// lockout is the work of Lockout at a given status, shared with
// Maintenance.
type lockout struct {
	o     LockoutOptions
	allow allowList
}

// newLockout applies the defaults to opts; who names the constructor in
// the panic on a bad Allow entry.
func newLockout(who string, opts *LockoutOptions) *lockout {
	l := &lockout{}
	if opts != nil {
		l.o = *opts
	}
	if l.o.Texts == nil {
		l.o.Texts = notify.New(nil)
	}
	l.allow = newAllowList(who, l.o.Allow)
	return l
}

// refuse answers r with the 503 and reports true when r is locked out at
// st (now is the instant of st); otherwise it writes nothing and reports
// false.
func (l *lockout) refuse(st maintenance.Status, now time.Time, w http.ResponseWriter, r *http.Request) bool {
	if !st.Active() || l.allow.allows(r) || (l.o.IsAdmin != nil && l.o.IsAdmin(r)) {
		return false
	}
	var v notify.Viewer
	if l.o.Viewer != nil {
		if vv, ok := l.o.Viewer(r); ok {
			v = vv
		}
	}
	writeLockout(w, r, l.o.Texts.Banner(st, v).Text, v.Language, st.End(), now)
	return true
}

// retryAfter returns the whole seconds from now until end, rounded up, at
// least 1.
func retryAfter(end, now time.Time) int64 {
	d := end.Sub(now)
	if d <= 0 {
		return 1
	}
	return max(int64((d+time.Second-1)/time.Second), 1)
}

// lockoutJSON is the JSON body of the 503.
type lockoutJSON struct {
	Error      string `json:"error"`
	Message    string `json:"message"`
	RetryAfter int64  `json:"retry_after"`
	Until      string `json:"until"`
}

var lockoutPage = template.Must(template.New("lockout").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Message}}</title>
</head>
<body>
<main>
<h1>503 Service Unavailable</h1>
<p>{{.Message}}</p>
<p><time datetime="{{.Until}}">{{.Until}}</time></p>
</main>
</body>
</html>
`))

// writeLockout writes the 503 answer.
func writeLockout(w http.ResponseWriter, r *http.Request, msg, lang string, end, now time.Time) {
	secs := retryAfter(end, now)
	until := end.UTC().Format(time.RFC3339Nano)
	var body bytes.Buffer
	ctype := "text/html; charset=utf-8"
	if wantsJSON(r.Header.Get("Accept")) {
		ctype = "application/json"
		// Encoding a struct of strings and an integer cannot fail.
		_ = json.NewEncoder(&body).Encode(lockoutJSON{Error: "maintenance", Message: msg, RetryAfter: secs, Until: until})
	} else {
		if lang == "" {
			lang = "en"
		}
		// Executing a parsed template over plain strings cannot fail.
		_ = lockoutPage.Execute(&body, struct{ Lang, Message, Until string }{strings.ReplaceAll(lang, "_", "-"), msg, until})
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(body.Len()))
	h.Set("Retry-After", strconv.FormatInt(secs, 10))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept")
	w.WriteHeader(http.StatusServiceUnavailable)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body.Bytes())
	}
}
