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
// the text. ok is false when identify cannot say who logs in: bad or
// missing credentials, or a user it cannot see (one of an external login
// backend the login handler asks itself). During a window, [LoginGateWith]
// then refuses r, unless told to pass it on ([LoginGateOptions]); the older
// [LoginGate] passes it on to the login handler, which shows its own error
// and counts the failed attempt as usual. identify may fill v even when ok
// is false, for the language of a refusal.
//
// IdentifyFunc gets the same *http.Request the login handler gets next.
// Reading the form with r.ParseForm or r.PostFormValue is safe (the parsed
// form stays on r); an IdentifyFunc that reads r.Body itself must put back
// what it read.
type IdentifyFunc func(r *http.Request) (p maintenance.Principal, v notify.Viewer, ok bool)

// RefuseFunc answers a login refused during maintenance, typically by
// showing the login page again with text, the refusal translated for the
// viewer ([notify.Texts.LoginRefused]). err says who was refused (the zero
// Principal for a request identify could not identify) and which window is
// in force. The login handler is not called, so the host records
// nothing: no session, no "last login", no reset of the failed-login
// counter.
type RefuseFunc func(w http.ResponseWriter, r *http.Request, err *maintenance.LoginRefusedError, text string)

// LoginGateOptions configures [LoginGateWith]. A nil *LoginGateOptions,
// and every zero field, means the default.
type LoginGateOptions struct {
	// Texts gives the refusal text ([notify.Texts.LoginRefused]). Default:
	// notify.New(nil).
	Texts *notify.Texts
	// Refuse answers a refused login. Default: 403 Forbidden with the text
	// as text/plain, never cached.
	Refuse RefuseFunc
	// PassUnidentified, when true, passes a login POST that identify cannot
	// identify (ok false) to the login handler during a window, as
	// [LoginGate] does. That is right only when identify sees every user
	// the login handler can log in: then an unidentified request has bad
	// credentials, and the login handler fails it and counts it as usual.
	//
	// Default: false, fail closed: during a window an unidentified request
	// is refused like a non-admin's, with a [maintenance.LoginRefusedError]
	// whose Principal is the zero value, and the login handler is not
	// called. The gate cannot apply the login rule to a user it cannot see,
	// and a host whose login handler also logs in users of an external
	// backend (LDAP, SSO) that identify does not know would otherwise let
	// them all in during maintenance. The price: during a window a
	// mistyped password is answered with the refusal, not the login
	// handler's error, and the login handler does not count it as a failed
	// attempt; a host that throttles failed logins does so in front of the
	// gate, or counts in Refuse (a zero Principal marks an unidentified
	// request).
	PassUnidentified bool
	// Stats, when set, counts the refused logins ([Counts.LoginRefused]).
	// Default: nil, nothing is counted.
	Stats *Stats
}

// LoginGateWith returns a middleware for the host's login handler that
// applies the maintenance login rule ([maintenance.Manager.CheckLogin])
// before the handler records a login.
//
// Only POST requests are gated: the login form itself (GET, HEAD) is always
// shown, so that admins can log in. Outside an active window a POST goes to
// next at once, without calling identify. During a window identify checks
// the credentials: a maintenance admin goes to next and logs in; every
// other principal (agents who are not admins, all customers) is refused
// through opts.Refuse, and next is not called; a request identify cannot
// identify is refused too, unless opts.PassUnidentified is set.
//
// A host that would rather not put a gate in front of its login handler
// calls [maintenance.Manager.CheckLogin] in the handler itself, after
// authenticating the user and before recording the login (see the
// package's example "LoginHandler").
//
// LoginGateWith panics if m or identify is nil.
func LoginGateWith(m *maintenance.Manager, identify IdentifyFunc, opts *LoginGateOptions) func(http.Handler) http.Handler {
	if m == nil {
		panic("middleware: LoginGateWith: nil *maintenance.Manager")
	}
	if identify == nil {
		panic("middleware: LoginGateWith: nil IdentifyFunc")
	}
	var o LoginGateOptions
	if opts != nil {
		o = *opts
	}
	return loginGate(m, identify, o)
}

// LoginGate is [LoginGateWith] with the texts t, the refusal refuse and
// PassUnidentified set: a request identify cannot identify goes on to the
// login handler, which is right only when identify sees every user the
// login handler can log in. Prefer LoginGateWith, which fails closed.
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
	return loginGate(m, identify, LoginGateOptions{Texts: t, Refuse: refuse, PassUnidentified: true})
}

// loginGate is the work of LoginGate and LoginGateWith, with o's defaults
// still to apply.
func loginGate(m *maintenance.Manager, identify IdentifyFunc, o LoginGateOptions) func(http.Handler) http.Handler {
	if o.Texts == nil {
		o.Texts = notify.New(nil)
	}
	if o.Refuse == nil {
		o.Refuse = refuseForbidden
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost || !m.Status().Active() {
				next.ServeHTTP(w, r)
				return
			}
			p, v, ok := identify(r)
			if !ok {
				if o.PassUnidentified {
					next.ServeHTTP(w, r)
					return
				}
				// The zero Principal is no admin: refused while the
				// window lasts, passed on if it ended during identify.
				p = maintenance.Principal{}
			}
			// Checked again after identify, which may take a while
			// (password hashing): the window may have ended meanwhile.
			err := m.CheckLogin(p)
			if err == nil {
				next.ServeHTTP(w, r)
				return
			}
			text := o.Texts.LoginRefused(v)
			var refused *maintenance.LoginRefusedError
			if !errors.As(err, &refused) {
				// CheckLogin refuses with *LoginRefusedError only; should
				// that change, fail closed rather than let the login in.
				win, _ := m.Status().Window()
				refused = &maintenance.LoginRefusedError{Principal: p, Window: win, Message: text}
			}
			o.Stats.count(statLoginRefused)
			o.Refuse(w, r, refused, text)
		})
	}
}

// refuseForbidden is the default RefuseFunc: 403 with the text as plain
// text, never cached.
func refuseForbidden(w http.ResponseWriter, _ *http.Request, _ *maintenance.LoginRefusedError, text string) {
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, text, http.StatusForbidden)
}
