package middleware

import (
	"errors"
	"net/http"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// IdentifyFunc checks the credentials in r without side effects (it
// creates no session and records no "last login") and describes the user:
// the [maintenance.Principal] for the login rule and the [notify.Viewer] for
// the text. ok is false for bad or missing credentials: [LoginGate] then
// passes r to the login handler, which shows its own error and counts the
// failed attempt as usual.
//
// IdentifyFunc gets the same *http.Request the login handler gets next.
// Reading the form with r.ParseForm or r.PostFormValue is safe (the parsed
// form stays on r); an IdentifyFunc that reads r.Body itself must put back
// what it read.
type IdentifyFunc func(r *http.Request) (p maintenance.Principal, v notify.Viewer, ok bool)

// RefuseFunc answers a login refused during maintenance, typically by
// showing the login page again with text, the refusal translated for the
// viewer ([notify.Texts.LoginRefused]). err says who was refused and which
// window is in force. The login handler is not called, so the host records
// nothing: no session, no "last login", no reset of the failed-login
// counter.
type RefuseFunc func(w http.ResponseWriter, r *http.Request, err *maintenance.LoginRefusedError, text string)

// LoginGate returns a middleware for the host's login handler that applies
// the maintenance login rule ([maintenance.Manager.CheckLogin]) before the
// handler records a login.
//
// Only POST requests are gated: the login form itself (GET, HEAD) is always
// shown, so that admins can log in. Outside an active window a POST goes to
// next at once, without calling identify. During a window identify checks
// the credentials; bad credentials go to next, which refuses them as usual;
// a maintenance admin goes to next and logs in; every other principal
// (agents who are not admins, all customers) is refused with refuse, and
// next is not called. A nil refuse answers 403 Forbidden with the text as
// text/plain.
//
// LoginGate panics if m, t or identify is nil.
func LoginGate(m *maintenance.Manager, t *notify.Texts, identify IdentifyFunc, refuse RefuseFunc) func(http.Handler) http.Handler {
	if m == nil {
		panic("middleware: LoginGate: nil *maintenance.Manager")
	}
	if t == nil {
		panic("middleware: LoginGate: nil *notify.Texts")
	}
	if identify == nil {
		panic("middleware: LoginGate: nil IdentifyFunc")
	}
	if refuse == nil {
		refuse = refuseForbidden
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost || !m.Status().Active() {
				next.ServeHTTP(w, r)
				return
			}
			p, v, ok := identify(r)
			if !ok {
				next.ServeHTTP(w, r)
				return
			}
			// Checked again after identify, which may take a while
			// (password hashing): the window may have ended meanwhile.
			err := m.CheckLogin(p)
			if err == nil {
				next.ServeHTTP(w, r)
				return
			}
			text := t.LoginRefused(v)
			var refused *maintenance.LoginRefusedError
			if !errors.As(err, &refused) {
				// CheckLogin refuses with *LoginRefusedError only; should
				// that change, fail closed rather than let the login in.
				win, _ := m.Status().Window()
				refused = &maintenance.LoginRefusedError{Principal: p, Window: win, Message: text}
			}
			refuse(w, r, refused, text)
		})
	}
}

// refuseForbidden is the default RefuseFunc: 403 with the text as plain
// text, never cached.
func refuseForbidden(w http.ResponseWriter, _ *http.Request, _ *maintenance.LoginRefusedError, text string) {
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, text, http.StatusForbidden)
}
