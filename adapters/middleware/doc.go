// Package middleware connects sysmaint to a host's net/http stack: the
// maintenance banner in the request context ([Banner], [NoticeFromContext])
// or for the asking ([Notices]), the login rule in front of the login handler ([LoginGateWith]), an optional
// 503 lockout ([Lockout]) and optional ending of existing non-admin
// sessions ([EndSessions]). [Maintenance] does the work of Banner, Lockout
// and EndSessions in one middleware, reading the status once per request:
// use it when you want more than one of them.
//
// Every middleware has the shape func(http.Handler) http.Handler, built by
// a constructor that takes the [maintenance.Manager] first. Time comes from
// the Manager's clock ([maintenance.Manager.Clock]), never from time.Now,
// so a *clock.Mock drives the middleware in tests.
//
// # Composition
//
// The constructors return plain middleware, so they compose with chi's
// r.Use and r.With, with alice.New(...).Then, and with nothing but net/http:
//
//	banner := middleware.Banner(m, texts, viewer)
//	lockout := middleware.Lockout(m, &middleware.LockoutOptions{
//		Allow:   []string{"/login", "/healthz", "/static/"},
//		IsAdmin: isAdmin,
//	})
//	gate := middleware.LoginGateWith(m, identify, &middleware.LoginGateOptions{Texts: texts, Refuse: refuse})
//
//	// net/http
//	mux := http.NewServeMux()
//	mux.Handle("/login", gate(loginHandler))
//	mux.Handle("/", app)
//	http.ListenAndServe(addr, lockout(banner(mux)))
//
//	// chi
//	r := chi.NewRouter()
//	r.Use(lockout, banner)
//	r.With(gate).Post("/login", loginPost)
//
//	// alice
//	http.ListenAndServe(addr, alice.New(lockout, banner).Then(mux))
//
// Put [EndSessions], if used, outermost, so that a user whose session is
// ended is sent to the login page rather than shown a 503; then Lockout, so
// a locked-out request costs nothing further; then Banner. [Maintenance]
// runs them in that order, as one:
//
//	r.Use(middleware.Maintenance(m, &middleware.Options{
//		Texts:   texts,
//		Viewer:  viewer,
//		Lockout: &middleware.LockoutOptions{Allow: []string{"/login", "/healthz"}, IsAdmin: isAdmin},
//	}))
//
// Wrap only the login handler (its POST) in the login gate.
//
// # Hot path
//
// When no window is active or upcoming, each middleware reads the Manager's
// status ([maintenance.Manager.Status]) and calls next with the request
// unchanged: no callback is called, no context is made, nothing is
// allocated. While [maintenance.Manager.Run] runs, the status is the one
// Run keeps for now: one atomic load, no clock read (a clock read costs
// some 55 ns on virtual machines whose time.Now is not served by the
// vDSO); without Run, each status read reads the clock, so stacking
// Banner, Lockout and EndSessions pays it three times and [Maintenance]
// once. The lockout reads the clock only when it acts on a request, for
// Retry-After and the bypass link. The login gate does not even read the
// status for requests other than POST. Everything the lockout's options
// add (addresses, bypass, page hook, counters) runs only during a window,
// or for the bypass link also while one is upcoming. BenchmarkMiddleware
// measures the middleware against a bare handler, with and without every
// lockout option configured.
//
// # Near and during a window
//
// What a request pays near a window is kept close to what it pays far
// from one: what is shown is made once per status of the Manager and kept
// (see the bounds below), and reused by every request until the status
// changes (a window starts or stops, the schedule is reloaded).
//
//   - The banner: [Notices] gives a handler the viewer's notice with no
//     allocation, the texts made once per language, time zone and status.
//     [Banner] and [Maintenance] put the same notice into the request
//     context, which costs net/http's r.WithContext: two allocations (the
//     copy of the request, and the context) on each request with a notice.
//   - The lockout: the built-in page and the JSON body are made once per
//     status, message and format; each answer splices in what changes
//     (the page's lang attribute, the JSON's retry_after), and its headers
//     are set from values shared by every answer, so a locked-out request
//     allocates nothing of its own, only what net/http needs for the
//     header map it sends. A [LockoutOptions.Page] hook gets headers of
//     its own and renders as it likes.
//   - The allow list: its answers are kept by method, host and path (as
//     far as its patterns name them), so a path allowed once (a
//     stylesheet, the health check) costs a lookup, not a ServeMux match,
//     which allocates.
//
// The notices are kept by viewer language, zone and kind, a few hundred
// at most; the texts inside them are rendered by [notify.Texts], which
// keeps them by what they depend on and by the language its Translator
// matches, so that languages made up by clients share one rendering. Give
// viewers of one zone the same *time.Location ([notify.NewViewer] does).
// The shared header values must not be written into: change a header with
// Header().Set, which replaces its value, never through the []string the
// map holds. BenchmarkMiddleware_Window measures each path beside a bare
// handler.
//
// # Login gate
//
// During a window, [LoginGateWith] has the host check the credentials of a
// login POST ([IdentifyFunc], without side effects) and applies the rule
// before the host's login handler runs, so a refused user leaves no trace
// of a successful login (Znuny reset the failed-login counter even for
// refused users). Maintenance admins pass; every other agent and every
// customer is refused with the translated refusal text
// ([notify.Texts.LoginRefused]), through the host's [RefuseFunc].
//
// A request identify cannot identify is refused too: the gate fails
// closed, because it cannot apply the rule to a user it cannot see, and a
// login handler that also logs in users of an external backend (LDAP, SSO)
// would otherwise let them all in during maintenance. A host whose identify
// sees every user its login handler accepts may set
// [LoginGateOptions.PassUnidentified], so that bad credentials reach the
// login handler, which fails and counts them as usual; [LoginGate], the
// older constructor, always does so.
//
// Instead of a gate, a host may apply the rule in its own login handler:
// authenticate the user, then call [maintenance.Manager.CheckLogin] with
// the principal before recording the login, and on a
// [maintenance.LoginRefusedError] show [notify.Texts.LoginRefused] and
// record nothing (see the example "LoginHandler"). This is the surest way
// when users come from several backends: the rule then runs on exactly the
// principal the handler logs in.
//
// # Lockout
//
// [Lockout] is opt-in: while a window is active it answers 503 Service
// Unavailable to everyone but admins and allowed requests, with Retry-After
// computed from the end of the current maintenance ([maintenance.Status.End],
// which spans chained windows), Cache-Control: no-store, and a body in HTML
// or JSON by the Accept header. Allow the login page, or admins who are
// not logged in cannot log in.
//
// Each host makes it its own through [LockoutOptions]: its page
// ([LockoutOptions.Page], given a [LockoutPage] with the message, the
// Retry-After, the end and the texts), the status code (200 for hosts that
// want a page rather than an error), Retry-After as seconds or an HTTP
// date, and three ways through besides the allow list and IsAdmin, checked
// in this order: the allowed paths, the client's address
// ([LockoutOptions.AllowIPs], see "Client address"), a bypass cookie
// ([BypassOptions]: a secret link sets a signed, expiring cookie, as
// Laravel's "down --secret" does). JSON clients always get the documented
// JSON body (see [Lockout]), a stable shape. Every option is checked when
// the middleware is built: a bad one panics with a message naming it.
//
// The allow list ([LockoutOptions.Allow]) holds http.ServeMux patterns and
// means what they mean on a ServeMux: a request is allowed when a ServeMux
// holding the patterns would route it to one of them.
//
//	"/healthz"            that path only: not "/healthz/", "/healthz/x", "/HEALTHZ"
//	"/static/"            "/static/" and everything under it; not "/static"
//	"/{$}"                the root only
//	"/items/{id}"         "/items/7", not "/items/7/edit"
//	"GET /login"          GET and HEAD of "/login", not POST
//	"status.example.com/" every path on that host
//	"/"                   every path, as on ServeMux: nothing is locked out
//
// An entry without a "/" is refused; one whose first "/" comes after other
// text names a host, as on ServeMux ("api/status" is "/status" on host
// "api"). A blank entry opens nothing. An invalid entry panics when the
// middleware is built, naming it.
//
// A security check must decide on what the next component acts on: the
// allow list must never let through a path the router reads otherwise.
// http.ServeMux routes on the escaped path and unescapes each segment; chi
// routes on r.URL.RawPath when it is set and on r.URL.Path otherwise;
// handlers read the decoded r.URL.Path. These agree only on a path in
// canonical form, so the allow list matches only such a path:
//
//   - it begins with "/" (a request for "*" or a CONNECT to a host:port
//     is never allowed);
//   - its percent-encodings are those net/url makes for the decoded path
//     (r.URL.RawPath is empty or holds no "%"): an encoded slash ("%2F"),
//     an encoded dot ("%2e"), lower-case hex ("%c3%a9") or an encoded
//     letter ("%68") is not canonical;
//   - it has no empty segment ("//"), no "." or ".." segment, also with
//     ";parameters" ("..;", which some servers behind a proxy read as
//     ".."), and no backslash or control character, written or encoded.
//
// A path in any other form ("/admin/..%2Fhealthz", "/static/../admin",
// "//healthz") is locked out like any path not allowed (503, or on to the
// handler for an admin); ServeMux would redirect most of them to their
// clean form, and the clean form is allowed when a pattern matches it.
// Lockout decides on r as it receives it, so put it in front of the router
// whose paths the patterns name, after anything that rewrites the path.
//
// # Client address
//
// [LockoutOptions.AllowIPs] lets the office or the VPN through by address.
// The client's address is the peer of the connection (Request.RemoteAddr),
// with IPv4-mapped IPv6 addresses taken as IPv4. Forwarding headers are
// believed from trusted proxies only ([LockoutOptions.TrustedProxies];
// none by default), and only the one header they set
// ([LockoutOptions.ForwardedHeader]: X-Forwarded-For by default, or
// Forwarded): any client can send either, and a proxy appends to one
// while passing the other on as the client wrote it. When the peer is a
// trusted proxy, the header's entries (of every such header line, in
// order) are read from the right: each trusted proxy names the one before
// it, and the client is the first address, from the right, that is not a
// trusted proxy. Entries left of it are the client's own claims and are
// never read. An entry that is not an address (also "unknown", an
// obfuscated name, or an IPv6 address with a zone, which matches no
// prefix), no entry left, or more than 16 trusted hops, mean there is no
// client address to believe: the request is not let through by address
// (it fails closed). A bypass cookie's Secure attribute follows the same
// rule for X-Forwarded-Proto (or Forwarded's proto).
//
// # Counters
//
// A [Stats] set in [LockoutOptions.Stats] and [LoginGateOptions.Stats]
// counts the requests locked out, let through by address or bypass
// cookie, the bypass cookies set and the logins refused. Only requests
// during a window touch it (the bypass link also near one), with one
// atomic increment. Package github.com/sysmaint/sysmaint/adapters/prom
// exports it to Prometheus.
//
// # Sessions
//
// Znuny leaves the sessions that exist when a window starts alone: users
// keep working and see the banner. [EndSessions] ends a non-admin session
// on its next request during an active window, through the host's End
// callback (kill the session, redirect to the login page); the policy
// [Leave] keeps Znuny's behaviour. To end them all at once instead, call
// [session.Manager.EndNonAdmin] when the window starts.
//
// # Concurrency
//
// The middleware keeps no state besides its configuration and the
// bounded caches of what it shows (see "Near and during a window"), which
// take no lock; it is safe for concurrent use, provided the host's
// callbacks are. A cache holds the last status it served, and so the
// schedule of that status, until a request near or during a window brings
// a newer one.
package middleware
