package middleware_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

func Example() {
	ctx := context.Background()
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 21, 45, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	_, err := m.Add(ctx, maintenance.Window{
		Start:         time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC),
		Stop:          time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC),
		Comment:       "Database upgrade",
		NotifyMessage: "The helpdesk is down until 23:00 UTC.",
		Validity:      maintenance.Valid,
	}, "root")
	if err != nil {
		panic(err)
	}

	// Everyone who sends "X-User" is a logged-in agent; "root" is an admin.
	viewer := func(r *http.Request) (notify.Viewer, bool) {
		return notify.Viewer{Kind: session.Agent}, r.Header.Get("X-User") != ""
	}
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "page, notice: %q", middleware.NoticeFromContext(r.Context()).Text)
	})
	lockout := middleware.Lockout(m, &middleware.LockoutOptions{
		Allow:   []string{"/login"},
		IsAdmin: func(r *http.Request) bool { return r.Header.Get("X-User") == "root" },
	})
	h := lockout(middleware.Banner(m, notify.New(nil), viewer)(page))

	get := func(path, user, accept string) {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.Header.Set("X-User", user)
		r.Header.Set("Accept", accept)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Printf("%s %s %s: %d %s", mock.Now().Format("15:04"), path, user, w.Code, strings.TrimSpace(w.Body.String()))
		if ra := w.Header().Get("Retry-After"); ra != "" {
			fmt.Printf(" (Retry-After: %s)", ra)
		}
		fmt.Println()
	}

	get("/tickets", "anna", "") // upcoming: the banner in the context
	mock.Set(time.Date(2026, 11, 24, 22, 30, 0, 0, time.UTC))
	get("/tickets", "anna", "application/json") // active: locked out
	get("/tickets", "root", "")                 // the admin works on
	get("/login", "", "")                       // the login page stays open
	mock.Set(time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC))
	get("/tickets", "anna", "") // over
	// Output:
	// 21:45 /tickets anna: 200 page, notice: "A system maintenance period will start at: 11/24/2026 22:00 UTC and is expected to stop at: 11/24/2026 23:00 UTC"
	// 22:30 /tickets anna: 503 {"error":"maintenance","message":"The helpdesk is down until 23:00 UTC.","retry_after":1800,"until":"2026-11-24T23:00:00Z"} (Retry-After: 1800)
	// 22:30 /tickets root: 200 page, notice: "The helpdesk is down until 23:00 UTC."
	// 22:30 /login : 200 page, notice: ""
	// 23:00 /tickets anna: 200 page, notice: ""
}

// ExampleLoginGate refuses a customer's login during a window before the
// host's login handler records anything.
func ExampleLoginGate() {
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 22, 30, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	_, _ = m.Add(context.Background(), maintenance.Window{
		Start:    time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC),
		Stop:     time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC),
		Comment:  "Database upgrade",
		Validity: maintenance.Valid,
	}, "root")

	// The host checks the password without side effects and says who it is.
	identify := func(r *http.Request) (maintenance.Principal, notify.Viewer, bool) {
		if r.PostFormValue("password") != "secret" {
			return maintenance.Principal{}, notify.Viewer{}, false
		}
		kind := session.Customer
		if r.PostFormValue("user") == "root" {
			kind = session.Agent
		}
		p := maintenance.Principal{Login: r.PostFormValue("user"), Kind: kind, Admin: kind == session.Agent}
		return p, notify.Viewer{Kind: kind, Language: r.PostFormValue("lang")}, true
	}
	refuse := func(w http.ResponseWriter, _ *http.Request, err *maintenance.LoginRefusedError, text string) {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, "login page for %s: %s", err.Principal.Login, text)
	}
	login := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.PostFormValue("password") != "secret" {
			http.Error(w, "Login failed! Your user name or password was entered incorrectly.", http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, "welcome, %s", r.PostFormValue("user")) // the host records the login here
	})
	h := middleware.LoginGate(m, notify.New(nil), identify, refuse)(login)

	for _, form := range []string{"user=root&password=secret", "user=carl&password=secret&lang=de", "user=carl&password=wrong"} {
		r := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code, strings.TrimSpace(w.Body.String()))
	}
	// Output:
	// 200 welcome, root
	// 403 login page for carl: Wir führen planmäßige Wartungsarbeiten durch. Die Anmeldung ist vorübergehend nicht möglich.
	// 401 Login failed! Your user name or password was entered incorrectly.
}

// ExampleLoginGateWith gates a login handler that also logs in users of an
// external backend, which identify cannot see: during a window the gate
// refuses them rather than letting them through (it fails closed).
func ExampleLoginGateWith() {
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 22, 30, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	_, _ = m.Add(context.Background(), maintenance.Window{
		Start:    time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC),
		Stop:     time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC),
		Comment:  "Database upgrade",
		Validity: maintenance.Valid,
	}, "root")

	// identify knows the local users only.
	local := map[string]maintenance.Principal{
		"root": {Login: "root", Kind: session.Agent, Admin: true},
		"anna": {Login: "anna", Kind: session.Agent},
	}
	identify := func(r *http.Request) (maintenance.Principal, notify.Viewer, bool) {
		p, ok := local[r.PostFormValue("user")]
		if !ok || r.PostFormValue("password") != "secret" {
			return maintenance.Principal{}, notify.Viewer{}, false
		}
		return p, notify.Viewer{Kind: p.Kind}, true
	}
	// The login handler also asks an external directory, which knows "ldap-bob".
	login := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "welcome, %s", r.PostFormValue("user"))
	})
	refuse := func(w http.ResponseWriter, _ *http.Request, err *maintenance.LoginRefusedError, text string) {
		who := err.Principal.Login
		if who == "" {
			who = "(not identified)"
		}
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, "refused %s: %s", who, text)
	}
	h := middleware.LoginGateWith(m, identify, &middleware.LoginGateOptions{Refuse: refuse})(login)

	for _, user := range []string{"root", "anna", "ldap-bob"} {
		r := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader("password=secret&user="+user))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code, w.Body.String())
	}
	// Output:
	// 200 welcome, root
	// 403 refused anna: We are performing scheduled maintenance. Login is temporarily not available.
	// 403 refused (not identified): We are performing scheduled maintenance. Login is temporarily not available.
}

// Example_loginHandler applies the login rule in the host's own login
// handler, instead of a gate in front of it: after authenticating the user
// (against any backend) and before recording the login, the handler asks
// [maintenance.Manager.CheckLogin], and on a refusal shows the translated
// text and records nothing.
func Example_loginHandler() {
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 22, 30, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	_, _ = m.Add(context.Background(), maintenance.Window{
		Start:    time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC),
		Stop:     time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC),
		Comment:  "Database upgrade",
		Validity: maintenance.Valid,
	}, "root")
	texts := notify.New(nil)

	// The users as the host's login backend knows them.
	users := map[string]maintenance.Principal{
		"root": {Login: "root", Kind: session.Agent, Admin: true},
		"carl": {Login: "carl", Kind: session.Customer},
	}
	login := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := users[r.PostFormValue("user")]
		if !ok || r.PostFormValue("password") != "secret" {
			http.Error(w, "Login failed!", http.StatusUnauthorized) // and count the failure
			return
		}
		if err := m.CheckLogin(p); err != nil {
			var refused *maintenance.LoginRefusedError
			if !errors.As(err, &refused) {
				http.Error(w, "Internal Server Error", http.StatusInternalServerError)
				return
			}
			v := notify.Viewer{Kind: p.Kind, Language: r.PostFormValue("lang")}
			http.Error(w, texts.LoginRefused(v), http.StatusForbidden)
			return
		}
		fmt.Fprintf(w, "welcome, %s", p.Login) // create the session here
	})

	for _, form := range []string{"user=root&password=secret", "user=carl&password=secret&lang=de", "user=carl&password=wrong"} {
		r := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		login.ServeHTTP(w, r)
		fmt.Println(w.Code, strings.TrimSpace(w.Body.String()))
	}
	// Output:
	// 200 welcome, root
	// 403 Wir führen planmäßige Wartungsarbeiten durch. Die Anmeldung ist vorübergehend nicht möglich.
	// 401 Login failed!
}

// ExampleEndSessions ends a non-admin session on its next request during a
// window and sends its user to the login page; the admin's goes on.
func ExampleEndSessions() {
	ctx := context.Background()
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 22, 30, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	_, _ = m.Add(ctx, maintenance.Window{
		Start:    time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC),
		Stop:     time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC),
		Comment:  "Database upgrade",
		Validity: maintenance.Valid,
	}, "root")
	sessions := session.New(memstore.NewSessionStore(), &session.Options{Clock: mock})
	_, _ = sessions.Add(ctx, session.Session{ID: "s1", Kind: session.Agent, UserLogin: "root", Admin: true})
	_, _ = sessions.Add(ctx, session.Session{ID: "s2", Kind: session.Agent, UserLogin: "anna"})

	h := middleware.EndSessions(m, &middleware.EndSessionsOptions{
		Session: func(r *http.Request) (session.Session, bool) {
			c, err := r.Cookie("sid")
			if err != nil {
				return session.Session{}, false
			}
			s, err := sessions.Get(r.Context(), c.Value)
			return s, err == nil
		},
		End: func(w http.ResponseWriter, r *http.Request, s session.Session) {
			_ = sessions.Kill(r.Context(), s.ID)
			http.Redirect(w, r, "/login", http.StatusSeeOther)
		},
	})(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "tickets") }))

	for _, sid := range []string{"s1", "s2", "s2"} {
		r := httptest.NewRequest(http.MethodGet, "/tickets", nil)
		r.AddCookie(&http.Cookie{Name: "sid", Value: sid})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(strings.TrimSpace(fmt.Sprintln(sid, w.Code, w.Header().Get("Location"))))
	}
	n, _ := sessions.Counts(ctx)
	fmt.Println("sessions left:", n.All)
	// Output:
	// s1 200
	// s2 303 /login
	// s2 200
	// sessions left: 1
}

// ExampleNotices gives a page handler the banner without the request
// context: built once, asked once per request, it allocates nothing.
func ExampleNotices() {
	ctx := context.Background()
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 24, 21, 45, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	_, err := m.Add(ctx, maintenance.Window{
		Start:    time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC),
		Stop:     time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC),
		Comment:  "Database upgrade",
		Validity: maintenance.Valid,
	}, "root")
	if err != nil {
		panic(err)
	}

	berlin, err := notify.NewViewer(session.Agent, "Europe/Berlin", "de")
	if err != nil {
		panic(err)
	}
	notices := middleware.NewNotices(m, notify.New(nil), func(r *http.Request) (notify.Viewer, bool) {
		return berlin, r.Header.Get("X-User") != ""
	})
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := notices.Notice(r); n.Kind != notify.NoticeNone {
			fmt.Fprintf(w, "[%s] %s", n.Kind, n.Text)
		}
	})

	get := func() {
		r := httptest.NewRequest(http.MethodGet, "/tickets", nil)
		r.Header.Set("X-User", "anna")
		w := httptest.NewRecorder()
		page.ServeHTTP(w, r)
		fmt.Printf("%s %q\n", mock.Now().Format("15:04"), w.Body.String())
	}
	get()
	mock.Set(time.Date(2026, 11, 24, 22, 30, 0, 0, time.UTC))
	get()
	mock.Set(time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC))
	get()
	// Output:
	// 21:45 "[upcoming] Eine Systemwartung beginnt am 24.11.2026 23:00 CET und endet voraussichtlich am 25.11.2026 00:00 CET"
	// 22:30 "[active] Wir führen planmäßige Wartungsarbeiten durch."
	// 23:00 ""
}
