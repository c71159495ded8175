package middleware

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// LockoutOptions configures [Lockout]. A nil *LockoutOptions, and every zero
// field, means the default.
type LockoutOptions struct {
	// Allow lists the path prefixes that stay open during maintenance,
	// such as "/login", "/healthz" and "/static/". A prefix matches at a
	// segment boundary of the cleaned path (path.Clean of r.URL.Path):
	// "/login" allows "/login" and "/login/reset" but not "/loginx", and
	// "/login/../admin" is "/admin". A trailing slash makes no difference;
	// "/" allows everything, an empty entry nothing. Default: nothing is
	// allowed, so list the login page, or admins who are not logged in
	// cannot log in.
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
// Lockout panics if m is nil.
func Lockout(m *maintenance.Manager, opts *LockoutOptions) func(http.Handler) http.Handler {
	if m == nil {
		panic("middleware: Lockout: nil *maintenance.Manager")
	}
	l := newLockout(opts)
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
	allow []string // cleaned prefixes
}

func newLockout(opts *LockoutOptions) *lockout {
	l := &lockout{}
	if opts != nil {
		l.o = *opts
	}
	if l.o.Texts == nil {
		l.o.Texts = notify.New(nil)
	}
	for _, p := range l.o.Allow {
		if strings.TrimSpace(p) != "" { // an unset setting must not open everything
			l.allow = append(l.allow, cleanPath(p))
		}
	}
	return l
}

// refuse answers r with the 503 and reports true when r is locked out at
// st (now is the instant of st); otherwise it writes nothing and reports
// false.
func (l *lockout) refuse(st maintenance.Status, now time.Time, w http.ResponseWriter, r *http.Request) bool {
	if !st.Active() || allowed(l.allow, r.URL.Path) || (l.o.IsAdmin != nil && l.o.IsAdmin(r)) {
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

// cleanPath returns p cleaned and rooted: "" and "." are "/".
func cleanPath(p string) string {
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	return path.Clean(p)
}

// allowed reports whether the cleaned p lies under one of the cleaned
// prefixes, at a segment boundary.
func allowed(prefixes []string, p string) bool {
	if len(prefixes) == 0 {
		return false
	}
	p = cleanPath(p)
	for _, pre := range prefixes {
		if pre == "/" || p == pre || (len(p) > len(pre) && p[len(pre)] == '/' && p[:len(pre)] == pre) {
			return true
		}
	}
	return false
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

// Specificity of a media range that matches a type, for content
// negotiation: the most specific matching range decides its quality.
const (
	matchNone = iota
	matchAny  // */*
	matchType // application/*, text/*
	matchFull // application/json, text/html
)

// wantsJSON reports whether an Accept header prefers JSON to HTML: JSON's
// quality is higher, or equal and named more specifically (so
// "application/json, */*" is JSON, "*/*" and "" are HTML).
func wantsJSON(accept string) bool {
	var jsonQ, htmlQ float64
	var jsonLevel, htmlLevel int
	for part := range strings.SplitSeq(accept, ",") {
		media, params, _ := strings.Cut(part, ";")
		media = strings.ToLower(strings.TrimSpace(media))
		q, ok := quality(params)
		if !ok {
			continue
		}
		var jl, hl int
		switch {
		case media == "*/*":
			jl, hl = matchAny, matchAny
		case media == "application/*":
			jl = matchType
		case media == "text/*":
			hl = matchType
		case media == "application/json" || (strings.HasPrefix(media, "application/") && strings.HasSuffix(media, "+json")):
			jl = matchFull
		case media == "text/html" || media == "application/xhtml+xml":
			hl = matchFull
		}
		jsonQ, jsonLevel = better(jsonQ, jsonLevel, q, jl)
		htmlQ, htmlLevel = better(htmlQ, htmlLevel, q, hl)
	}
	return jsonQ > htmlQ || (jsonQ == htmlQ && jsonQ > 0 && jsonLevel > htmlLevel)
}

// better folds the quality q of a range matching at level into the best
// (quality, level) so far: a more specific range replaces a less specific
// one; among equally specific ones the highest quality wins.
func better(bestQ float64, bestLevel int, q float64, level int) (float64, int) {
	switch {
	case level == matchNone || level < bestLevel:
		return bestQ, bestLevel
	case level > bestLevel:
		return q, level
	default:
		return max(bestQ, q), level
	}
}

// quality returns the q parameter of a media range's parameters (1 when
// absent); ok is false when it is malformed or out of range.
func quality(params string) (q float64, ok bool) {
	for p := range strings.SplitSeq(params, ";") {
		k, v, _ := strings.Cut(p, "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || q < 0 || q > 1 {
				return 0, false
			}
			return q, true
		}
	}
	return 1, true
}
