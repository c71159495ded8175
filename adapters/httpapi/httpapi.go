package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
)

// Defaults of [Options].
const (
	// DefaultMaxBody is the largest request body read: 64 KiB.
	DefaultMaxBody = 64 << 10
	// DefaultChallenge is the WWW-Authenticate challenge of a 401.
	DefaultChallenge = `Bearer realm="sysmaint"`
	// DefaultFeedHistory is how far back the calendar feed reaches: windows
	// that stopped within the last 30 days.
	DefaultFeedHistory = 30 * 24 * time.Hour
	// DefaultCancelledFor is how long a window made invalid stays in the
	// calendar feed, as STATUS:CANCELLED: 30 days from its change.
	DefaultCancelledFor = 30 * 24 * time.Hour
	// DefaultFeedRefresh is the polling interval the feed suggests to
	// calendar clients (REFRESH-INTERVAL, X-PUBLISHED-TTL): 15 minutes.
	DefaultFeedRefresh = 15 * time.Minute
	// DefaultUIDDomain is the domain of the feed's UIDs.
	DefaultUIDDomain = "sysmaint"
	// DefaultCalendarName is the feed's name (X-WR-CALNAME).
	DefaultCalendarName = "Maintenance"
)

// Options configures the handler of [New]. A nil *Options, and every zero
// field, means the default.
type Options struct {
	// BasePath is the path the host mounts the handler under, as the
	// client sees it, such as "/api/maintenance": the Location header of a
	// created window and the server URL of the OpenAPI document start with
	// it. The host strips it before the handler sees the request (see
	// [New]). It must be empty or start with "/"; a trailing "/" is
	// dropped. Default: "" (mounted at the root).
	BasePath string
	// AuthorizeFeed decides who may read the calendar feed, which calendar
	// clients fetch without the API's credentials; a nil error lets the
	// request through, errors answer as those of an [AuthorizeFunc]. Use
	// it to open the feed to everyone (return nil) or to check a secret
	// in the feed's URL. Default: the AuthorizeFunc given to New.
	AuthorizeFeed func(r *http.Request) error
	// Challenge is the WWW-Authenticate header of a 401. Default:
	// DefaultChallenge.
	Challenge string
	// MaxBody is the largest request body read, in bytes; a larger one
	// answers 413. Default: DefaultMaxBody.
	MaxBody int64
	// UIDDomain is the part after "@" of the feed's UIDs
	// ("window-42@UIDDOMAIN"): set it to the host's domain so that the
	// UIDs of two installations differ. Default: DefaultUIDDomain.
	UIDDomain string
	// CalendarName names the feed in calendar clients. Default:
	// DefaultCalendarName.
	CalendarName string
	// FeedHistory is how far back the feed reaches: it holds the windows
	// whose stop is after now minus FeedHistory. Default:
	// DefaultFeedHistory.
	FeedHistory time.Duration
	// CancelledFor is how long a window made invalid stays in the feed as
	// STATUS:CANCELLED, counted from its last change. Default:
	// DefaultCancelledFor.
	CancelledFor time.Duration
	// FeedRefresh is the polling interval the feed suggests to calendar
	// clients. Default: DefaultFeedRefresh.
	FeedRefresh time.Duration
	// Logger receives store failures and refusals by a failing
	// AuthorizeFunc. Default: slog.Default().
	Logger *slog.Logger
}

// handler is the http.Handler of New.
type handler struct {
	m             *maintenance.Manager
	authorize     AuthorizeFunc
	authorizeFeed func(*http.Request) error
	challenge     string
	base          string
	maxBody       int64
	logger        *slog.Logger
	mux           *http.ServeMux
	doc           []byte
	feed          *feed
}

// apiFunc serves one operation for actor: it writes a success, or returns
// the problem to send (having written nothing).
type apiFunc func(w http.ResponseWriter, r *http.Request, actor string) *Problem

// New returns the API over m as an http.Handler: the endpoints listed in
// the package documentation, relative to where the host mounts it.
// authorize decides who makes each request (see [AuthorizeFunc] and
// [BearerTokens]); New panics if m or authorize is nil, or if
// opts.BasePath does not start with "/".
//
// Mount it under a prefix with http.StripPrefix, and tell it the prefix:
//
//	api := httpapi.New(m, httpapi.BearerTokens(tokens), &httpapi.Options{BasePath: "/api"})
//	mux.Handle("/api/", http.StripPrefix("/api", api))
//
// New does no I/O and starts no goroutine.
func New(m *maintenance.Manager, authorize AuthorizeFunc, opts *Options) http.Handler {
	if m == nil {
		panic("httpapi: New called with a nil Manager")
	}
	if authorize == nil {
		panic("httpapi: New called with a nil AuthorizeFunc: pass one, such as httpapi.BearerTokens(tokens)")
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	o.BasePath = strings.TrimRight(o.BasePath, "/")
	if o.BasePath != "" && !strings.HasPrefix(o.BasePath, "/") {
		panic("httpapi: Options.BasePath " + strconv.Quote(o.BasePath) + " does not start with \"/\"")
	}
	if o.Challenge == "" {
		o.Challenge = DefaultChallenge
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	h := &handler{
		m: m, authorize: authorize, authorizeFeed: o.AuthorizeFeed, challenge: o.Challenge,
		base: o.BasePath, maxBody: o.MaxBody, logger: o.Logger, mux: http.NewServeMux(),
	}
	h.doc = openAPIDocument(o.BasePath)
	h.feed = newFeed(m, &o)
	h.routes()
	return h
}

// routes registers every operation, a 405 answer for the other methods of
// each path, and a 404 answer for every other path.
func (h *handler) routes() {
	type route struct {
		method, path string
		feed         bool
		fn           apiFunc
	}
	routes := []route{
		{"GET", "/windows", false, h.listWindows},
		{"POST", "/windows", false, h.createWindow},
		{"GET", "/windows/{id}", false, h.getWindow},
		{"PUT", "/windows/{id}", false, h.replaceWindow},
		{"DELETE", "/windows/{id}", false, h.deleteWindow},
		{"POST", "/windows/{id}/end", false, h.endWindow},
		{"POST", "/windows/{id}/extend", false, h.extendWindow},
		{"POST", "/windows/{id}/cancel", false, h.cancelWindow},
		{"POST", "/windows/{id}/skip", false, h.skipOccurrence},
		{"POST", "/windows/{id}/move", false, h.moveOccurrence},
		{"POST", "/down", false, h.down},
		{"POST", "/up", false, h.up},
		{"GET", "/status", false, h.status},
		{"GET", "/calendar.ics", true, h.calendar},
		{"GET", "/openapi.json", false, h.openAPI},
	}
	allow := map[string][]string{}
	var paths []string
	for _, rt := range routes {
		h.mux.Handle(rt.method+" "+rt.path, h.serve(rt.feed, rt.fn))
		if _, ok := allow[rt.path]; !ok {
			paths = append(paths, rt.path)
		}
		if rt.method == "GET" {
			allow[rt.path] = append(allow[rt.path], "GET", "HEAD")
		} else {
			allow[rt.path] = append(allow[rt.path], rt.method)
		}
	}
	for _, p := range paths {
		methods := strings.Join(allow[p], ", ")
		h.mux.Handle(p, h.serve(false, func(w http.ResponseWriter, r *http.Request, _ string) *Problem {
			w.Header().Set("Allow", methods)
			return problem(http.StatusMethodNotAllowed, r.Method+" is not allowed here; allowed: "+methods)
		}))
	}
	h.mux.Handle("/", h.serve(false, notFound))
}

// notFound answers 404 for a path the API does not have.
func notFound(_ http.ResponseWriter, r *http.Request, _ string) *Problem {
	return problem(http.StatusNotFound, "no such resource: "+strconv.Quote(r.URL.Path))
}

// ServeHTTP routes r. A path that is not in canonical form (an empty, "."
// or ".." segment, a trailing "/") answers 404 rather than the redirect
// http.ServeMux would send, which would not know the mount prefix.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p := r.URL.Path; p == "" || p[0] != '/' || path.Clean(p) != p {
		h.serve(false, notFound).ServeHTTP(w, r)
		return
	}
	h.mux.ServeHTTP(w, r)
}

// serve returns a handler that authorizes r (by AuthorizeFeed for the feed
// when the host set one), then runs fn and sends its problem, if any.
func (h *handler) serve(isFeed bool, fn apiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var actor string
		var err error
		if isFeed && h.authorizeFeed != nil {
			err = h.authorizeFeed(r)
		} else {
			actor, err = h.authorize(r)
			if err == nil && strings.TrimSpace(actor) == "" {
				h.logger.Error("httpapi: the AuthorizeFunc returned no actor and no error")
				writeProblem(w, problem(http.StatusInternalServerError, "the authorization check named nobody"))
				return
			}
		}
		if err != nil {
			p := h.refusal(err)
			if p.Status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", h.challenge)
			}
			writeProblem(w, p)
			return
		}
		if p := fn(w, r, actor); p != nil {
			writeProblem(w, p)
		}
	})
}

// refusal maps an error of the authorization check to its problem.
func (h *handler) refusal(err error) *Problem {
	switch {
	case errors.Is(err, ErrForbidden):
		return problem(http.StatusForbidden, "you may not do this")
	case errors.Is(err, ErrUnauthenticated):
		return problem(http.StatusUnauthorized, "credentials are missing or wrong")
	}
	h.logger.Error("httpapi: the authorization check failed", "err", err)
	return problem(http.StatusServiceUnavailable, "the authorization check failed; try again later")
}

// writeJSON sends v (a JSON struct without MarshalJSON methods, so that
// encoding/json writes it in one pass) as JSON with status, and Cache-Control: no-store
// unless the caller set another.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // the wire types always encode
		panic("httpapi: encode response: " + err.Error())
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-store")
	}
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// now returns the Manager's time.
func (h *handler) now() time.Time { return h.m.Clock().Now() }

// status serves GET /status.
func (h *handler) status(w http.ResponseWriter, _ *http.Request, _ string) *Problem {
	now := h.now()
	writeJSON(w, http.StatusOK, NewStatus(h.m.StatusAt(now), now).wire())
	return nil
}

// NewStatus returns the wire form of st, the status taken at now, as GET
// /status answers it: a program that reads the store through its own
// [maintenance.Manager] writes the same JSON with it.
func NewStatus(st maintenance.Status, now time.Time) Status {
	out := Status{Now: now, Active: st.Active(), End: st.End(), Next: st.Next()}
	active := st.ActiveWindows()
	out.ActiveWindows = make([]Window, len(active))
	for i, w := range active {
		out.ActiveWindows[i] = NewWindow(w, now)
	}
	if w, ok := st.Window(); ok {
		ww := NewWindow(w, now)
		out.Window = &ww
		out.RetryAfterSeconds = retryAfter(out.End, now)
	}
	if w, ok := st.Upcoming(); ok {
		ww := NewWindow(w, now)
		out.Upcoming = &ww
	}
	return out
}

// retryAfter returns the whole seconds from now until end, rounded up, at
// least 1, as the lockout middleware's Retry-After.
func retryAfter(end, now time.Time) int64 {
	d := end.Sub(now)
	if d <= 0 {
		return 1
	}
	return max(int64((d+time.Second-1)/time.Second), 1)
}

// openAPI serves GET /openapi.json.
func (h *handler) openAPI(w http.ResponseWriter, _ *http.Request, _ string) *Problem {
	hd := w.Header()
	hd.Set("Cache-Control", "no-cache")
	hd.Set("Content-Type", "application/json")
	hd.Set("Content-Length", strconv.Itoa(len(h.doc)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(h.doc)
	return nil
}
