package middleware

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// RetryAfterFormat says how [Lockout] writes the Retry-After header.
type RetryAfterFormat int8

const (
	// RetryAfterSeconds writes the whole seconds until the current stretch
	// of maintenance ends, rounded up and at least 1 ("Retry-After: 1800").
	// It is the zero value, and what clients parse most reliably.
	RetryAfterSeconds RetryAfterFormat = iota
	// RetryAfterDate writes the instant the current stretch of maintenance
	// ends, rounded up to the whole second, as an HTTP date
	// ("Retry-After: Tue, 24 Nov 2026 23:00:00 GMT"), which needs no
	// arithmetic from a cache or a client that reads it later.
	RetryAfterDate
)

// String returns "seconds" or "date"; an unknown value prints as
// "RetryAfterFormat(N)".
func (f RetryAfterFormat) String() string {
	switch f {
	case RetryAfterSeconds:
		return "seconds"
	case RetryAfterDate:
		return "date"
	}
	return "RetryAfterFormat(" + strconv.Itoa(int(f)) + ")"
}

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
	// AllowIPs lets requests from these client addresses through, as CIDR
	// prefixes ("192.0.2.0/24", "2001:db8::/32") or single addresses
	// ("198.51.100.7", "::1"). An IPv4 address matches whether it comes as
	// IPv4 or as IPv4-mapped IPv6 ("::ffff:192.0.2.7"), and a prefix
	// written IPv4-mapped ("::ffff:192.0.2.0/120") means its IPv4 prefix.
	// The client is the peer of the connection, or for a request from a
	// trusted proxy the address the proxy names (see TrustedProxies and
	// the package documentation, "Client address"). A blank entry opens
	// nothing.
	//
	// Lockout panics at construction on an entry that is not an address
	// or a prefix, or a prefix with bits set beyond its length
	// ("10.0.0.1/8": write "10.0.0.0/8"), naming it. Default: none.
	AllowIPs []string
	// TrustedProxies are the reverse proxies in front of the host, as
	// CIDR prefixes or addresses (parsed like AllowIPs). Only for a
	// request whose peer is one of them is ForwardedHeader read, and the
	// client is the right-most address in it that is not itself a trusted
	// proxy; from anyone else the header is ignored, since any client can
	// send it. Default: none, the header is never believed.
	TrustedProxies []string
	// ForwardedHeader names the one header the trusted proxies set:
	// "X-Forwarded-For" or "Forwarded" (RFC 7239, its "for" parameters).
	// Only that header is read: a proxy that appends to one passes the
	// other on as the client wrote it. Lockout panics on another name.
	// Default: "X-Forwarded-For".
	ForwardedHeader string
	// Bypass, when set, gives a secret link that sets a cookie letting a
	// browser through the lockout (see [BypassOptions]). Default: nil, no
	// bypass.
	Bypass *BypassOptions
	// IsAdmin reports whether r comes from a maintenance admin, who is let
	// through (typically from the host's session: [session.Session.Admin]).
	// It is asked only during an active window, for paths not allowed.
	// Default: nobody is an admin.
	IsAdmin func(r *http.Request) bool
	// Texts gives the message of the lockout page: the active
	// notification. Default: notify.New(nil).
	Texts *notify.Texts
	// Viewer says who reads the lockout page (language, time zone). It is
	// asked only when a request is locked out; an anonymous request reads
	// the zero Viewer (English, UTC). Default: everyone is anonymous.
	Viewer ViewerFunc
	// Status is the status code of a locked-out answer: 200, or 400 to
	// 599. Some hosts answer 200 with a page. Lockout panics on another
	// code. Default: 503 Service Unavailable.
	Status int
	// RetryAfter says how the Retry-After header is written. Default:
	// RetryAfterSeconds.
	RetryAfter RetryAfterFormat
	// Page renders the HTML answer to a locked-out request, in place of
	// the built-in page (see [LockoutPage]). Requests that prefer JSON get
	// the documented JSON body whatever Page is. Default: nil, the
	// built-in page.
	Page func(w http.ResponseWriter, r *http.Request, p LockoutPage)
	// Stats, when set, counts the requests the lockout refuses and lets
	// through by address or bypass cookie (see [Stats]); it is touched
	// only during a window. Default: nil, nothing is counted.
	Stats *Stats
}

// LockoutPage is what [LockoutOptions.Page] renders a locked-out request
// with. Before Page is called, the answer's headers are set: Retry-After,
// Cache-Control: no-store, Vary: Accept, X-Content-Type-Options: nosniff and
// Content-Type: text/html; charset=utf-8, which Page may change. Page
// writes the body; the status code is Code unless Page calls WriteHeader
// itself first (a Page that writes nothing answers Code with an empty
// body). Page must not keep w or r after it returns.
type LockoutPage struct {
	// Code is the status code of the answer ([LockoutOptions.Status]).
	Code int
	// Message is the active notification for the viewer, plain text:
	// the window's NotifyMessage or the translated default
	// ([notify.Texts.Banner]). Escape it (html/template does).
	Message string
	// Language is the viewer's language as a BCP 47 tag ("de-AT"), "en"
	// for an anonymous viewer: the page's lang attribute.
	Language string
	// RetryAfter is the time until the current stretch of maintenance
	// ends, in whole seconds, rounded up and at least 1.
	RetryAfter int64
	// RetryAfterHeader is the Retry-After header as sent, in the format
	// of [LockoutOptions.RetryAfter].
	RetryAfterHeader string
	// Until is when the current stretch of maintenance ends, in UTC
	// ([maintenance.Status.End]).
	Until time.Time
	// Notice is the banner for the viewer ([notify.Texts.Banner]): its
	// Kind is NoticeActive, its Text is Message, its Window the active
	// window that supplies the messages.
	Notice notify.Notice
	// Status is the maintenance status the page is for, to ask Texts
	// more (for instance Texts.LoginMessage(p.Status, p.Viewer)).
	Status maintenance.Status
	// Viewer is who reads the page; the zero Viewer for an anonymous
	// request.
	Viewer notify.Viewer
	// Texts are the lockout's texts ([LockoutOptions.Texts]).
	Texts *notify.Texts
}

// Validate reports the bad option that [Lockout] and [Maintenance] would
// panic on, as an error naming the option and the entry (an Allow pattern,
// an AllowIPs or TrustedProxies entry, ForwardedHeader, Status,
// RetryAfter, or a [BypassOptions] field), or nil when they accept o. A
// host that builds its options from configuration (flags, a file, the
// environment) calls it at start to refuse bad input with an error. A nil
// o is valid: it is the defaults.
func (o *LockoutOptions) Validate() (err error) {
	defer func() {
		if r := recover(); r != nil {
			msg, ok := r.(string)
			if !ok {
				panic(r)
			}
			err = errors.New(msg)
		}
	}()
	newLockout("LockoutOptions", o)
	return nil
}

// Lockout returns a middleware that, while a maintenance window is active,
// answers every request with 503 Service Unavailable (or
// [LockoutOptions.Status]), except requests for an allowed path
// ([LockoutOptions.Allow]), from an allowed address
// ([LockoutOptions.AllowIPs]), with a valid bypass cookie
// ([LockoutOptions.Bypass]), and from admins ([LockoutOptions.IsAdmin]).
// Outside a window every request goes to next, at the cost of one status
// check.
//
// The answer carries Retry-After: by default the whole seconds until the
// current stretch of maintenance ends ([maintenance.Status.End], so chained
// windows count as one), rounded up and at least 1, or that instant as an
// HTTP date ([RetryAfterDate]); and Cache-Control: no-store. Its body is
// JSON when the Accept header prefers application/json (or a +json type)
// to text/html, and otherwise an HTML page: the built-in one, with the
// message, or the host's ([LockoutOptions.Page]). The JSON body is one
// object with four members, a stable shape:
//
//	{"error":"maintenance","message":"...","retry_after":600,"until":"2026-11-24T23:00:00Z"}
//
//	error        always "maintenance"
//	message      the active notification for the viewer, plain text
//	retry_after  whole seconds until the maintenance ends, at least 1
//	             (seconds whatever the header's format)
//	until        when it ends, RFC 3339 in UTC, with fractional seconds
//	             only when the instant has them
//
// The message is the active notification of [notify.Texts.Banner] for the
// viewer; the built-in page escapes it. A HEAD request gets the headers of
// the GET answer and no body. The built-in answers are made once per
// status and message and kept, and their headers are set from shared
// values (see the package documentation, "Near and during a window"): a
// locked-out request allocates nothing of its own.
//
// Lockout is opt-in: Znuny lets everyone already logged in keep working
// during maintenance and only refuses new logins (see [LoginGate]).
//
// Lockout decides on r as it receives it: put it in front of the router
// whose routes the Allow patterns name, after anything that rewrites the
// path (http.StripPrefix).
//
// Lockout panics if m is nil, or on a bad option: an Allow entry that is
// not a valid http.ServeMux pattern, an AllowIPs or TrustedProxies entry
// that is not an address or a CIDR prefix, an unknown ForwardedHeader,
// Status or RetryAfter, or a bad [BypassOptions]; the message names the
// option and the entry. [LockoutOptions.Validate] returns the same as an
// error, for options read from configuration.
func Lockout(m *maintenance.Manager, opts *LockoutOptions) func(http.Handler) http.Handler {
	if m == nil {
		panic("middleware: Lockout: nil *maintenance.Manager")
	}
	l := newLockout("Lockout", opts)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !l.refuse(m.Status(), m.Clock(), w, r) {
				next.ServeHTTP(w, r)
			}
		})
	}
}

// lockout is the work of Lockout at a given status, shared with
// Maintenance.
type lockout struct {
	o       LockoutOptions
	allow   allowList
	ips     clientIPs
	bypass  *bypass // nil without LockoutOptions.Bypass
	notices noticeCache
	bodies  *statusCache[bodyKey, lockoutBody]
	retry   atomic.Pointer[retryValue]
	heading string // the built-in page's heading: "503 Service Unavailable", or "" for 200
}

// newLockout applies the defaults to opts and checks them; who names the
// constructor in the panic on a bad option.
func newLockout(who string, opts *LockoutOptions) *lockout {
	l := &lockout{notices: newNoticeCache(), bodies: newStatusCache[bodyKey, lockoutBody](hashBody)}
	if opts != nil {
		l.o = *opts
	}
	if l.o.Texts == nil {
		l.o.Texts = notify.New(nil)
	}
	switch s := l.o.Status; {
	case s == 0:
		l.o.Status = http.StatusServiceUnavailable
	case s != http.StatusOK && (s < 400 || s > 599):
		panic(fmt.Sprintf("middleware: %s: Status %d is not 200 or a code from 400 to 599", who, s))
	}
	if f := l.o.RetryAfter; f != RetryAfterSeconds && f != RetryAfterDate {
		panic(fmt.Sprintf("middleware: %s: unknown %v", who, f))
	}
	if l.o.Status != http.StatusOK {
		l.heading = strconv.Itoa(l.o.Status) + " " + http.StatusText(l.o.Status)
	}
	l.allow = newAllowList(who, l.o.Allow)
	l.ips = newClientIPs(who, l.o.AllowIPs, l.o.TrustedProxies, l.o.ForwardedHeader)
	if l.o.Bypass != nil {
		l.bypass = newBypass(who, l.o.Bypass, &l.ips)
	}
	return l
}

// refuse answers r and reports true when r is locked out at st, or when r
// is the bypass link near a window; otherwise it writes nothing and
// reports false. It reads clk (for Retry-After and the bypass) only when
// it acts on r: a request far from a window, or allowed through, reads
// no clock.
func (l *lockout) refuse(st maintenance.Status, clk clock.Clock, w http.ResponseWriter, r *http.Request) bool {
	if !st.Active() {
		if l.bypass == nil {
			return false
		}
		if !st.HasUpcoming() {
			return false
		}
		return l.bypass.serveLink(w, r, clk, l.o.Stats)
	}
	if l.bypass != nil && l.bypass.serveLink(w, r, clk, l.o.Stats) {
		return true
	}
	if l.allow.allows(r) {
		return false
	}
	if l.ips.allows(r) {
		l.o.Stats.count(statPassedIP)
		return false
	}
	if l.bypass != nil && l.bypass.valid(r, clk) {
		l.o.Stats.count(statPassedBypass)
		return false
	}
	if l.o.IsAdmin != nil && l.o.IsAdmin(r) {
		return false
	}
	l.o.Stats.count(statLockedOut)
	var v notify.Viewer
	if l.o.Viewer != nil {
		if vv, ok := l.o.Viewer(r); ok {
			v = vv
		}
	}
	l.write(w, r, st, v, clk.Now())
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

// retryAfterDate returns end rounded up to the whole second, as an HTTP
// date.
func retryAfterDate(end time.Time) string {
	t := end.UTC().Truncate(time.Second)
	if t.Before(end) {
		t = t.Add(time.Second)
	}
	return t.Format(http.TimeFormat)
}

// retryValue is the Retry-After of the answers of one second: the seconds
// until end, in digits, and the header's value. The lockout keeps the last
// one, so that answers within the same second share it.
type retryValue struct {
	end    time.Time
	secs   int64
	digits []byte   // secs in decimal, for the JSON body
	header []string // the Retry-After header's value; never changed
}

// retryFor returns the retryValue for secs seconds before end.
func (l *lockout) retryFor(end time.Time, secs int64) *retryValue {
	if rv := l.retry.Load(); rv != nil && rv.secs == secs && rv.end.Equal(end) {
		return rv
	}
	digits := strconv.FormatInt(secs, 10)
	rv := &retryValue{end: end, secs: secs, digits: []byte(digits), header: []string{digits}}
	if l.o.RetryAfter == RetryAfterDate {
		rv.header = []string{retryAfterDate(end)}
	}
	l.retry.Store(rv)
	return rv
}

// lockoutJSON is the JSON body of the lockout answer.
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
{{with .Heading}}<h1>{{.}}</h1>
{{end -}}
<p>{{.Message}}</p>
<p><time datetime="{{.Until}}">{{.Until}}</time></p>
</main>
</body>
</html>
`))

// bodyKey is what a lockout body depends on besides the status (whose
// End the body shows): the message and the format.
type bodyKey struct {
	message string
	json    bool
}

func hashBody(seed maphash.Seed, k bodyKey) uint64 {
	h := maphash.String(seed, k.message)
	if k.json {
		h = mix(h, 1)
	}
	return h
}

// lockoutBody is a lockout body made once for a status, a message and a
// format, in two parts around what changes from request to request: the
// HTML page around the value of its lang attribute, the JSON body around
// the value of retry_after.
type lockoutBody struct {
	head, tail []byte // written with Write: no copy, whatever the ResponseWriter
	headerLen  int    // len(head) + len(tail)
}

var langEN = []byte("en")

// langSlot is the language the page is rendered with to find where the
// viewer's goes: letters only, so that html/template writes it as it is.
const langSlot = "LangSlotOfTheLockoutPage"

// renderPage returns the built-in page for lang, message and until.
func (l *lockout) renderPage(lang, message, until string) string {
	var b strings.Builder
	// Executing a parsed template over plain strings cannot fail.
	_ = lockoutPage.Execute(&b, struct{ Lang, Heading, Message, Until string }{lang, l.heading, message, until})
	return b.String()
}

// renderJSON returns the JSON body for message, retry and until.
func renderJSON(message string, retry int64, until string) string {
	var b strings.Builder
	// Encoding a struct of strings and an integer cannot fail.
	_ = json.NewEncoder(&b).Encode(lockoutJSON{Error: "maintenance", Message: message, RetryAfter: retry, Until: until})
	return b.String()
}

// body returns the body of the given format for message at st, made once
// per status.
func (l *lockout) body(st maintenance.Status, message string, asJSON bool) *lockoutBody {
	k := bodyKey{message: message, json: asJSON}
	g := l.bodies.group(st)
	if b := l.bodies.get(g, &k); b != nil {
		return b
	}
	until := st.End().UTC().Format(time.RFC3339Nano)
	var b lockoutBody
	if asJSON {
		// The message comes before retry_after, and the encoder escapes
		// the quotes in it: the last `"retry_after":0` is the member.
		page := renderJSON(message, 0, until)
		const member = `"retry_after":`
		i := strings.LastIndex(page, member+"0") + len(member)
		b.head, b.tail = []byte(page[:i]), []byte(page[i+1:])
	} else {
		// The lang attribute is the page's first value.
		page := l.renderPage(langSlot, message, until)
		i := strings.Index(page, langSlot)
		b.head, b.tail = []byte(page[:i]), []byte(page[i+len(langSlot):])
	}
	b.headerLen = len(b.head) + len(b.tail)
	return l.bodies.put(g, k, b)
}

// pageLang returns the value of the built-in page's lang attribute for
// the viewer's language lang ("" means "en"): lang with "_" read as "-".
func pageLang(lang string) string {
	if lang == "" {
		return "en"
	}
	return strings.ReplaceAll(lang, "_", "-")
}

// plainLang reports whether lang is written into the page as it is, with
// "_" as "-": letters, digits, "-" and "_" only (html/template escapes
// none of them), and not too long.
func plainLang(lang string) bool {
	if len(lang) > maxCachedLang {
		return false
	}
	for i := 0; i < len(lang); i++ {
		switch c := lang[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// write writes the lockout answer to r at st for the viewer v.
//
// The built-in answers are made once per status and message (see body) and
// their headers are set from values shared by every answer (a header set
// with Header().Set makes a new []string each time): such an answer
// allocates nothing of its own. Only the Page hook gets headers of its
// own, which it may change in place.
func (l *lockout) write(w http.ResponseWriter, r *http.Request, st maintenance.Status, v notify.Viewer, now time.Time) {
	notice := l.notices.notice(l.o.Texts, st, v)
	end := st.End()
	secs := retryAfter(end, now)
	rv := l.retryFor(end, secs)
	asJSON := wantsJSON(r.Header.Get("Accept"))
	h := w.Header()
	if l.o.Page != nil && !asJSON {
		h.Set("Retry-After", rv.header[0])
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Add("Vary", "Accept")
		h.Set("Content-Type", "text/html; charset=utf-8")
		pw := &pageWriter{ResponseWriter: w, code: l.o.Status}
		l.o.Page(pw, r, LockoutPage{
			Code: l.o.Status, Message: notice.Text, Language: pageLang(v.Language), RetryAfter: secs,
			RetryAfterHeader: rv.header[0], Until: end.UTC(), Notice: *notice, Status: st, Viewer: v, Texts: l.o.Texts,
		})
		pw.WriteHeader(l.o.Status) // a Page that wrote nothing still answers with the code
		return
	}

	h["Retry-After"] = rv.header
	h["Cache-Control"] = valNoStore
	h["X-Content-Type-Options"] = valNosniff
	if vary, ok := h["Vary"]; ok {
		h["Vary"] = append(vary, "Accept")
	} else {
		h["Vary"] = valAccept
	}
	if asJSON {
		b := l.body(st, notice.Text, true)
		h["Content-Type"] = valJSON
		h["Content-Length"] = headerValue(int64(b.headerLen + len(rv.digits)))
		w.WriteHeader(l.o.Status)
		if r.Method != http.MethodHead {
			_, _ = w.Write(b.head)
			_, _ = w.Write(rv.digits)
			_, _ = w.Write(b.tail)
		}
		return
	}
	h["Content-Type"] = valHTML
	lang := v.Language
	if lang == "" {
		lang = "en"
	}
	if !plainLang(lang) {
		// A language html/template would escape: the page as it renders it.
		page := l.renderPage(pageLang(lang), notice.Text, end.UTC().Format(time.RFC3339Nano))
		h["Content-Length"] = headerValue(int64(len(page)))
		w.WriteHeader(l.o.Status)
		if r.Method != http.MethodHead {
			_, _ = io.WriteString(w, page)
		}
		return
	}
	b := l.body(st, notice.Text, false)
	h["Content-Length"] = headerValue(int64(b.headerLen + len(lang)))
	w.WriteHeader(l.o.Status)
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(b.head)
	if v.Language == "" { // anonymous, the usual reader of a 503
		_, _ = w.Write(langEN)
		_, _ = w.Write(b.tail)
		return
	}
	// The language is the viewer's: io.WriteString takes it without a copy
	// when w has WriteString, as net/http's ResponseWriter has.
	for {
		part, rest, more := strings.Cut(lang, "_")
		_, _ = io.WriteString(w, part)
		if !more {
			break
		}
		_, _ = io.WriteString(w, "-")
		lang = rest
	}
	_, _ = w.Write(b.tail)
}

// pageWriter is the ResponseWriter LockoutOptions.Page writes to: its
// first Write sends the status code code unless WriteHeader came first.
type pageWriter struct {
	http.ResponseWriter
	code  int
	wrote bool
}

func (w *pageWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *pageWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(w.code)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap returns the ResponseWriter underneath, for
// http.ResponseController.
func (w *pageWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
