// Package app is the helpdesk demo of sysmaint: agents and customers log in,
// maintenance admins schedule system maintenance windows, see and kill
// sessions, and everyone logged in sees the maintenance banner.
//
// It is the reference integration of the library:
//
//   - a [maintenance.Manager] over the SQLite window store
//     ([sqlstore.DB.Windows]) decides what is active or coming;
//   - a [session.Manager] over the SQLite session store
//     ([sqlstore.DB.Sessions]) holds the logged-in users, so the admin screen
//     can count and kill them;
//   - [notify.Texts] words the banner, the login-screen message and the
//     refusal;
//   - [middleware.Maintenance] puts the banner into every page of a logged-in
//     user and [middleware.LoginGate] applies the login rule before a session
//     is created;
//   - package adminui serves the maintenance screens inside the helpdesk's
//     layout, for the logged-in maintenance admin (admin.go).
//
// The helpdesk's own data (users, one setting) lives in the same SQLite file,
// in tables prefixed helpdesk_. [App.Seed] creates the demo users: admin /
// admin-demo (an agent with rw on the group admin, a maintenance admin),
// agent / agent-demo and customer / customer-demo.
//
// # Routes
//
//	GET  /login, /customer/login          login screens (#User, #Password, #LoginButton)
//	POST /login, /customer/login          log in, behind middleware.LoginGate
//	POST /logout                          log out
//	GET  /, /customer/                    agent dashboard, customer tickets
//	     /admin/maintenance/...           the maintenance screens of package adminui
//	                                      (overview, new, edit, delete, lead time,
//	                                      sessions), for maintenance admins
//	     /api/...                         sysmaint's JSON API and calendar feed (package
//	                                      httpapi), by bearer token (Config.APITokens); the
//	                                      feed by the key in its URL (App.FeedPath)
//	GET  /healthz                         200 "ok", or 503 when the schedule did not load or writes fail
//	GET  /metrics                         Prometheus metrics (adapters/prom): maintenance admins and loopback only
//
// # Time
//
// Time comes from Config.Clock. Every user has a time zone and a
// language: the admin screens (package adminui) show and parse dates in the
// zone, label every date with it, and keep a window where it is when it is
// opened and saved; a local time that a daylight-saving change skips or
// repeats is refused with a field error instead of being shifted.
//
// # Security
//
// Every page is rendered with html/template, so every user text is escaped.
// State-changing requests are POSTs, refused when cross-origin
// ([http.CrossOriginProtection]) and, except the login itself, when they do
// not carry the session's ChallengeToken (Znuny's name for the per-session
// CSRF token). The session cookie holds a 128-bit token from crypto/rand;
// the server stores only a hash of it as the session ID, so the IDs shown on
// the admin screen cannot be replayed as cookies. Passwords are hashed with
// PBKDF2-SHA-256.
//
// Every request body is capped at 64 KiB, and every form is parsed once,
// before any handler runs: a larger body is answered 413, a malformed form
// 400. The User-Agent a session keeps is cut to 512 bytes.
//
// # Logins and sessions
//
// Failed logins are throttled per user name (5, then one a minute) and per
// client address (20, then one every 6 seconds); an attempt over either
// limit is answered 429 with Retry-After before its password is checked,
// even a right one. At most half of GOMAXPROCS password hashes run at once,
// and a few logins wait for one; beyond that a login is answered 503. The
// throttle remembers at most 10 000 user names and 10 000 addresses. See
// [LoginLimits] for the defaults and how to change them.
//
// A session ends after 30 minutes without a request and 12 hours after its
// login ([Config.IdleTimeout], [Config.SessionLifetime]): its next request
// finds it deleted and goes to the login page.
//
// # Behind a proxy
//
// The client's address is the peer of the connection, and the session
// cookie is Secure only when the request came over TLS to the app itself.
// Behind a reverse proxy that terminates TLS, set [Config.SecureCookies]
// (the -secure-cookies flag), and list the proxy in [Config.TrustedProxies]
// (-trusted-proxies): then, and only for requests from those addresses,
// X-Forwarded-For names the client (for the login throttle and the session
// list) and X-Forwarded-Proto: https makes the cookie Secure. Forwarding
// headers from anyone else are ignored: any client can send them.
package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/netip"
	"slices"
	"sync"
	"time"
	_ "time/tzdata" // the demo needs nothing installed, not even zoneinfo

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

// Config configures an App. DB is required; every other zero field means
// the default.
type Config struct {
	// DB holds the windows, the sessions and the helpdesk's users: a
	// SQLite file or a PostgreSQL schema (see SQLite and Postgres).
	// Required.
	DB Database
	// Clock is the source of time. Default: the real clock. Tests pass a
	// *clock.Mock.
	Clock clock.Clock
	// Lead is how long before a window starts users see the upcoming
	// notice, until an admin saves another value on the overview screen.
	// Default: maintenance.DefaultLead (30 minutes).
	Lead time.Duration
	// PasswordIterations is the PBKDF2-SHA-256 iteration count for new
	// password hashes. Default: DefaultPasswordIterations. Tests pass a
	// low count; existing hashes keep the count they were made with.
	PasswordIterations int
	// EndSessions ends a non-admin session on its next request while a
	// window is active (middleware.EndSessions). Default: false, Znuny's
	// behaviour: existing sessions go on and see the banner.
	EndSessions bool
	// Logger receives the app's and the Manager's logs. Default:
	// slog.Default().
	Logger *slog.Logger

	// IdleTimeout ends a session that has made no request for this long:
	// its next request finds it deleted and goes to the login page. A
	// session records its requests at most once a minute (or twice per
	// IdleTimeout, when that is shorter), so it may end up to that much
	// before IdleTimeout has passed since its very last request. Default:
	// DefaultIdleTimeout (30 minutes).
	IdleTimeout time.Duration
	// SessionLifetime ends a session this long after its login, however
	// busy it is. Default: DefaultSessionLifetime (12 hours).
	SessionLifetime time.Duration
	// Logins throttles failed logins and bounds the password hashing;
	// every zero field is a default (see LoginLimits).
	Logins LoginLimits
	// SecureCookies marks the session cookie Secure on every answer, so
	// browsers send it over HTTPS only. Set it when the helpdesk is served
	// over HTTPS through a proxy that terminates TLS. Default: false: the
	// cookie is Secure when the request came over TLS to the app itself,
	// or through a trusted proxy that says X-Forwarded-Proto: https.
	SecureCookies bool
	// TrustedProxies are the addresses of the reverse proxies in front of
	// the app. A request from one of them is taken to come from the
	// address it names in X-Forwarded-For (the right-most one that is not
	// itself a trusted proxy), and its X-Forwarded-Proto is believed.
	// Default: none: the client is the peer of the connection
	// (Request.RemoteAddr) and forwarding headers are ignored, because any
	// client can send them.
	TrustedProxies []netip.Prefix
	// APITokens are the bearer tokens of the JSON API at APIPrefix, each
	// with the login of the admin it acts as (the windows' CreatedBy and
	// ChangedBy). Default: none: the API refuses every request with 401.
	APITokens map[string]string
	// Announce adds senders beside the log: a webhook, a chat (see
	// Announce and Notifier). Default: the log only.
	Announce Announce
}

// The defaults of Config.IdleTimeout and Config.SessionLifetime.
const (
	DefaultIdleTimeout     = 30 * time.Minute
	DefaultSessionLifetime = 12 * time.Hour
)

// App is the helpdesk. Build it with New, serve App.Handler, and run
// App.Manager's Run loop next to the server.
type App struct {
	db         Database
	clock      clock.Clock
	log        *slog.Logger
	iterations int
	dummyHash  string
	// endSessions is Config.EndSessions.
	endSessions bool
	// idle and lifetime bound a session's life (Config.IdleTimeout and
	// Config.SessionLifetime).
	idle, lifetime time.Duration
	// secureCookies and proxies are Config.SecureCookies and
	// Config.TrustedProxies.
	secureCookies bool
	proxies       []netip.Prefix
	// apiTokens are Config.APITokens; feedKey opens the calendar feed.
	apiTokens map[string]string
	feedKey   string
	// throttle counts failed logins; hashing bounds the password hashes
	// that run at once.
	throttle *throttle
	hashing  *hashSlots

	windows  *maintenance.Manager
	sessions *session.Manager
	texts    *notify.Texts
	pages    *pages

	// stats counts the login gate's refusals, relayStats the deliveries of
	// notify.Relay (run by the caller, see RelayStats); metrics serves
	// both and the maintenance state to Prometheus.
	stats      *middleware.Stats
	relayStats *notify.RelayStats
	// announce are the senders of Config.Announce.
	announce []namedSender
	metrics  http.Handler

	zones sync.Map // zone name -> *time.Location
}

// New builds the App over cfg.DB: it creates the helpdesk's tables if they
// are missing, applies a lead time saved earlier on the admin screen, and
// loads the maintenance schedule. It starts no goroutine.
func New(cfg Config) (*App, error) {
	if err := cfg.DB.validate(); err != nil {
		return nil, err
	}
	a := &App{db: cfg.DB, clock: cfg.Clock, log: cfg.Logger, iterations: cfg.PasswordIterations}
	if a.clock == nil {
		a.clock = clock.New()
	}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.iterations <= 0 {
		a.iterations = DefaultPasswordIterations
	}
	ctx := context.Background()
	if err := a.createTables(ctx); err != nil {
		return nil, err
	}
	dummy, err := hashPassword(rand.Text(), a.iterations)
	if err != nil {
		return nil, err
	}
	a.dummyHash = dummy

	lead := cfg.Lead
	if saved, ok, err := a.storedLead(ctx); err != nil {
		return nil, err
	} else if ok {
		lead = saved
	}
	a.windows = maintenance.New(a.db.Windows, &maintenance.Options{
		Clock: a.clock, Lead: lead, Logger: a.log,
	})
	if err := a.windows.Refresh(ctx); err != nil {
		return nil, err
	}
	a.sessions = session.New(a.db.Sessions, &session.Options{Clock: a.clock})
	a.texts = notify.New(nil)
	a.pages, err = parsePages()
	if err != nil {
		return nil, err
	}
	a.endSessions = cfg.EndSessions
	a.idle, a.lifetime = cfg.IdleTimeout, cfg.SessionLifetime
	if a.idle <= 0 {
		a.idle = DefaultIdleTimeout
	}
	if a.lifetime <= 0 {
		a.lifetime = DefaultSessionLifetime
	}
	a.secureCookies = cfg.SecureCookies
	a.proxies = slices.Clone(cfg.TrustedProxies)
	a.apiTokens = maps.Clone(cfg.APITokens)
	if a.feedKey, err = a.loadFeedKey(ctx); err != nil {
		return nil, err
	}
	limits := cfg.Logins.withDefaults()
	a.throttle = newThrottle(limits)
	a.hashing = newHashSlots(limits.Hashing, limits.Waiting)
	a.stats, a.relayStats = &middleware.Stats{}, &notify.RelayStats{}
	if err := a.senders(cfg.Announce); err != nil {
		return nil, err
	}
	a.metrics = a.metricsHandler()
	return a, nil
}

// Manager returns the maintenance Manager. Run its Run loop next to the
// server, so changes made by other processes sharing the file are seen.
func (a *App) Manager() *maintenance.Manager { return a.windows }

// Sessions returns the session Manager.
func (a *App) Sessions() *session.Manager { return a.sessions }

// RelayStats returns the counters of notify.Relay that /metrics exports:
// put them in the RelayOptions of the Relay run beside the server.
func (a *App) RelayStats() *notify.RelayStats { return a.relayStats }

// Handler returns the helpdesk's HTTP handler: every route, behind the
// cross-origin protection and the security headers.
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()

	// Anonymous: health, static files, login screens.
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.HandleFunc("GET /metrics", a.serveMetrics)
	mux.Handle("GET /static/", http.StripPrefix("/static/", a.staticHandler()))
	for _, kind := range []session.Kind{session.Agent, session.Customer} {
		path := loginPath(kind)
		mux.HandleFunc("GET "+path, a.loginForm(kind))
		// The throttle refuses an attempt over the failed-login limits
		// before any password is hashed; the gate applies the maintenance
		// rule after the credentials are checked and before loginPost
		// creates the session. The password is hashed once, by whichever
		// of the two asks first (checkCredentials).
		gate := middleware.LoginGateWith(a.windows, a.identify(kind), &middleware.LoginGateOptions{
			Texts: a.texts, Refuse: a.refuse(kind), Stats: a.stats,
			PassUnidentified: true, // identify sees every user loginPost logs in
		})
		mux.Handle("POST "+path, a.loginAttempt(kind, gate(a.loginPost(kind))))
	}

	// Logged in. Every page gets the banner, and, when configured,
	// non-admin sessions end during a window: middleware.Maintenance, once
	// the session is known.
	maint := a.maintenanceMiddleware()
	user := func(kind session.Kind, h http.HandlerFunc) http.Handler {
		return a.requireUser(kind, maint(h))
	}
	mux.Handle("POST /logout", a.requireAnyUser(http.HandlerFunc(a.logout)))
	mux.Handle("GET /{$}", user(session.Agent, a.agentHome))
	mux.Handle("GET /customer/{$}", user(session.Customer, a.customerHome))
	mux.HandleFunc("GET /customer", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/customer/", http.StatusSeeOther)
	})

	// The maintenance screens (package adminui), for agents; adminui
	// refuses those who are not maintenance admins.
	mux.Handle(adminPrefix+"/", user(session.Agent, a.adminScreens().ServeHTTP))
	mux.Handle(APIPrefix+"/", a.api()) // bearer tokens, no session: see api

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		a.renderStatus(w, r, http.StatusNotFound, "Page not found.")
	})

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.renderStatus(w, r, http.StatusForbidden, "Cross-origin request refused.")
	}))
	return securityHeaders(cop.Handler(a.readForm(mux)))
}

// maintenanceMiddleware puts the maintenance notice for the logged-in
// viewer into the request context, where templates read it through the page
// data, and, when Config.EndSessions is set, ends non-admin sessions on
// their next request during an active window; otherwise sessions are left
// alone, Znuny's behaviour. One middleware.Maintenance does both with one
// clock read per request.
func (a *App) maintenanceMiddleware() func(http.Handler) http.Handler {
	opts := &middleware.Options{
		Texts: a.texts,
		Viewer: func(r *http.Request) (notify.Viewer, bool) {
			c, ok := fromContext(r.Context())
			if !ok {
				return notify.Viewer{}, false
			}
			return a.viewer(c.user), true
		},
	}
	if a.endSessions {
		opts.Sessions = a.endSessionsOptions()
	}
	return middleware.Maintenance(a.windows, opts)
}

// healthz answers 200 "ok" while the schedule is loaded, its last refresh
// succeeded, no write of a window is failing and the database takes writes
// (Database.Check; for SQLite: the file is still at its path and, after a
// failed write, a probe write succeeds), and 503 with the reason
// otherwise. It
// heals by itself: the Manager's Run loop and each call of healthz look
// again.
func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if reason := a.unhealthy(r.Context()); reason != "" {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, reason)
		return
	}
	fmt.Fprint(w, "ok")
}

// unhealthy returns why the app is not healthy, or "".
func (a *App) unhealthy(ctx context.Context) string {
	h := a.windows.Health()
	switch {
	case !h.Loaded:
		return "schedule not loaded"
	case h.Err != nil:
		return "schedule refresh failed"
	case h.WriteErr != nil:
		return "window writes failing"
	}
	if a.db.Check == nil {
		return ""
	}
	err := a.db.Check(ctx)
	switch {
	case err == nil:
		return ""
	case errors.Is(err, sqlstore.ErrFileGone):
		return "database file gone"
	case errors.Is(err, sqlstore.ErrFileReplaced):
		return "database file replaced"
	}
	return "database writes failing"
}

// securityHeaders sets headers every answer gets: a strict content
// security policy (scripts and styles from /static only, no framing) and
// no MIME sniffing.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy",
			"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
				"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}

// location returns the time zone named name, cached.
func (a *App) location(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	if l, ok := a.zones.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: time zone %q: %w", name, err)
	}
	a.zones.Store(name, l)
	return l, nil
}

// userLocation returns u's time zone, UTC when it cannot be loaded.
func (a *App) userLocation(u User) *time.Location {
	l, err := a.location(u.TimeZone)
	if err != nil {
		a.log.Warn("helpdesk: bad time zone, using UTC", "login", u.Login, "zone", u.TimeZone)
		return time.UTC
	}
	return l
}

// viewer describes u for package notify.
func (a *App) viewer(u User) notify.Viewer {
	return notify.Viewer{Kind: u.Kind, Location: a.userLocation(u), Language: u.Language}
}

// sessionID returns the ID under which the session with the given cookie
// token is stored: a hash, so that the IDs shown to admins cannot be used as
// cookies.
func sessionID(token string) string {
	sum := sha256.Sum256([]byte("helpdesk session id\x00" + token))
	return hex.EncodeToString(sum[:])
}

// challengeToken returns the CSRF token of the session with the given cookie
// token. It is derived from the secret cookie, so it needs no storage and
// only the holder of the cookie can know it.
func challengeToken(token string) string {
	sum := sha256.Sum256([]byte("helpdesk challenge token\x00" + token))
	return hex.EncodeToString(sum[:])
}
