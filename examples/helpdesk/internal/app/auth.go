package app

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"net/http"
	"time"

	"github.com/sysmaint/sysmaint/adapters/middleware"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

// cookieName is the session cookie. It holds a random token; the session
// is stored under sessionID(token).
const cookieName = "HelpdeskSession"

// tokenField is the hidden form field carrying the CSRF token, Znuny's name.
const tokenField = "ChallengeToken"

// touchEvery is how stale a session's LastRequestAt may get before a
// request records itself (one write per minute per session, not per
// request).
const touchEvery = time.Minute

// The texts of the login screens.
const (
	msgLoginFailed = "Login failed! Your user name or password was entered incorrectly."
)

// current is the logged-in user of a request, put into its context by
// requireUser.
type current struct {
	user    User
	session session.Session
	// token is the secret cookie value; csrf the ChallengeToken derived
	// from it.
	token, csrf string
}

type currentKey struct{}

func fromContext(ctx context.Context) (*current, bool) {
	c, ok := ctx.Value(currentKey{}).(*current)
	return c, ok
}

func loginPath(k session.Kind) string {
	if k == session.Customer {
		return "/customer/login"
	}
	return "/login"
}

func homePath(k session.Kind) string {
	if k == session.Customer {
		return "/customer/"
	}
	return "/"
}

// lookup finds the session of r and its user. ok is false for a request
// without a cookie, with a cookie whose session was killed, or whose user
// is gone; err is set for store failures only.
func (a *App) lookup(r *http.Request) (*current, bool, error) {
	ck, err := r.Cookie(cookieName)
	if err != nil || ck.Value == "" {
		return nil, false, nil
	}
	ctx := r.Context()
	s, err := a.sessions.Get(ctx, sessionID(ck.Value))
	if errors.Is(err, session.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	u, err := a.user(ctx, s.UserLogin)
	if errors.Is(err, errNoUser) {
		_ = a.sessions.Kill(ctx, s.ID)
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if now := a.clock.Now(); now.Sub(s.LastRequestAt) >= touchEvery {
		if err := a.sessions.Touch(ctx, s.ID); err != nil && !errors.Is(err, session.ErrNotFound) {
			a.log.Warn("helpdesk: touch session", "err", err)
		}
	}
	return &current{user: u, session: s, token: ck.Value, csrf: challengeToken(ck.Value)}, true, nil
}

// requireUser lets through requests of a logged-in user of the given kind
// and puts the user into the context. Anonymous GETs are redirected to the
// login page; anonymous POSTs, POSTs without the session's ChallengeToken
// and requests of the other kind of user are refused with 403, and change
// nothing.
func (a *App) requireUser(kind session.Kind, h http.Handler) http.Handler {
	return a.withUser(func(c *current, w http.ResponseWriter, r *http.Request) bool {
		if c.user.Kind == kind {
			return true
		}
		if r.Method == http.MethodGet && r.URL.Path == homePath(kind) {
			http.Redirect(w, r, homePath(c.user.Kind), http.StatusSeeOther)
			return false
		}
		a.renderStatus(w, r, http.StatusForbidden, "You are not allowed to see this page.")
		return false
	}, kind, h)
}

// requireAnyUser is requireUser for either kind of user.
func (a *App) requireAnyUser(h http.Handler) http.Handler {
	return a.withUser(func(*current, http.ResponseWriter, *http.Request) bool { return true }, session.Agent, h)
}

func (a *App) withUser(allow func(*current, http.ResponseWriter, *http.Request) bool, kind session.Kind, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		c, ok, err := a.lookup(r)
		if err != nil {
			a.serverError(w, r, err)
			return
		}
		safe := r.Method == http.MethodGet || r.Method == http.MethodHead
		if !ok {
			clearCookie(w, r)
			if safe {
				http.Redirect(w, r, loginPath(kind), http.StatusSeeOther)
				return
			}
			a.renderStatus(w, r, http.StatusForbidden, "Your session is invalid or has expired. Please log in again.")
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), currentKey{}, c))
		if !safe && !validToken(r, c.csrf) {
			a.renderStatus(w, r, http.StatusForbidden, "Invalid challenge token. Reload the page and try again.")
			return
		}
		if !allow(c, w, r) {
			return
		}
		h.ServeHTTP(w, r)
	})
}

// validToken reports whether the posted ChallengeToken is want.
func validToken(r *http.Request, want string) bool {
	got := r.PostFormValue(tokenField)
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// requireAdmin lets through maintenance admins only; it runs behind
// requireUser(session.Agent, ...).
func (a *App) requireAdmin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, ok := fromContext(r.Context())
		if !ok || !c.user.MaintenanceAdmin() {
			a.renderStatus(w, r, http.StatusForbidden, "You need the rw permission on the group admin to manage system maintenance.")
			return
		}
		h(w, r)
	}
}

// endSessionsOptions says how non-admin sessions are ended during an
// active window when Config.EndSessions is set: the session is killed, its
// cookie cleared, and the user sent to the login page.
func (a *App) endSessionsOptions() *middleware.EndSessionsOptions {
	return &middleware.EndSessionsOptions{
		Session: func(r *http.Request) (session.Session, bool) {
			c, ok := fromContext(r.Context())
			if !ok {
				return session.Session{}, false
			}
			return c.session, true
		},
		End: func(w http.ResponseWriter, r *http.Request, s session.Session) {
			if err := a.sessions.Kill(r.Context(), s.ID); err != nil && !errors.Is(err, session.ErrNotFound) {
				a.serverError(w, r, err)
				return
			}
			clearCookie(w, r)
			http.Redirect(w, r, loginPath(s.Kind), http.StatusSeeOther)
		},
	}
}

// attempt remembers the outcome of checking a login's credentials, so the
// login handler does not hash the password a second time after the gate's
// IdentifyFunc did.
type attempt struct {
	done bool
	user User
	err  error
}

type attemptKey struct{}

// withAttempt gives the request a place for the credential check.
func withAttempt(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), attemptKey{}, &attempt{})))
	})
}

// checkCredentials checks the posted User and Password once per request.
func (a *App) checkCredentials(r *http.Request, kind session.Kind) (User, error) {
	at, _ := r.Context().Value(attemptKey{}).(*attempt)
	if at != nil && at.done {
		return at.user, at.err
	}
	u, err := a.authenticate(r.Context(), kind, r.PostFormValue("User"), r.PostFormValue("Password"))
	if at != nil {
		*at = attempt{done: true, user: u, err: err}
	}
	return u, err
}

// identify is the middleware.IdentifyFunc of the login gate: it checks the
// credentials without side effects and describes the user. It applies to
// every user who passes the password check, whatever backend would have
// authenticated them (Znuny skipped users without a local record).
func (a *App) identify(kind session.Kind) middleware.IdentifyFunc {
	return func(r *http.Request) (maintenance.Principal, notify.Viewer, bool) {
		u, err := a.checkCredentials(r, kind)
		if err != nil {
			return maintenance.Principal{}, notify.Viewer{}, false
		}
		p := maintenance.Principal{Login: u.Login, Kind: u.Kind, Admin: u.MaintenanceAdmin()}
		return p, a.viewer(u), true
	}
}

// refuse is the middleware.RefuseFunc of the login gate: the login page
// again, with the refusal text in #LoginError. Nothing is recorded.
func (a *App) refuse(kind session.Kind) middleware.RefuseFunc {
	return func(w http.ResponseWriter, r *http.Request, err *maintenance.LoginRefusedError, text string) {
		a.log.Info("helpdesk: login refused during maintenance",
			"login", err.Principal.Login, "kind", err.Principal.Kind, "window", err.Window.ID)
		a.renderLogin(w, r, kind, http.StatusForbidden, r.PostFormValue("User"), text)
	}
}

// loginForm shows the login screen; a user already logged in goes home.
func (a *App) loginForm(kind session.Kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if c, ok, err := a.lookup(r); err == nil && ok && c.user.Kind == kind {
			http.Redirect(w, r, homePath(kind), http.StatusSeeOther)
			return
		}
		a.renderLogin(w, r, kind, http.StatusOK, "", "")
	}
}

// loginPost logs a user in. It runs behind the login gate, so during
// maintenance only maintenance admins get here with good credentials.
func (a *App) loginPost(kind session.Kind) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := a.checkCredentials(r, kind)
		if errors.Is(err, errNoUser) {
			a.log.Info("helpdesk: login failed", "login", r.PostFormValue("User"), "kind", kind)
			a.renderLogin(w, r, kind, http.StatusUnauthorized, r.PostFormValue("User"), msgLoginFailed)
			return
		}
		if err != nil {
			a.serverError(w, r, err)
			return
		}
		ctx := r.Context()
		// A new token on every login: a session ID planted before the login
		// is never promoted (session fixation). The old session ends.
		if old, err := r.Cookie(cookieName); err == nil && old.Value != "" {
			_ = a.sessions.Kill(ctx, sessionID(old.Value))
		}
		token := rand.Text()
		_, err = a.sessions.Add(ctx, session.Session{
			ID:           sessionID(token),
			Kind:         u.Kind,
			UserLogin:    u.Login,
			UserFullName: u.FullName,
			Admin:        u.MaintenanceAdmin(),
			RemoteAddr:   r.RemoteAddr,
			UserAgent:    r.UserAgent(),
		})
		if err != nil {
			a.serverError(w, r, err)
			return
		}
		http.SetCookie(w, &http.Cookie{
			Name: cookieName, Value: token, Path: "/",
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
		})
		a.log.Info("helpdesk: logged in", "login", u.Login, "kind", u.Kind)
		http.Redirect(w, r, homePath(u.Kind), http.StatusSeeOther)
	})
}

// logout ends the caller's session.
func (a *App) logout(w http.ResponseWriter, r *http.Request) {
	c, _ := fromContext(r.Context())
	if err := a.sessions.Kill(r.Context(), c.session.ID); err != nil && !errors.Is(err, session.ErrNotFound) {
		a.serverError(w, r, err)
		return
	}
	clearCookie(w, r)
	http.Redirect(w, r, loginPath(c.user.Kind), http.StatusSeeOther)
}

func clearCookie(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie(cookieName); err != nil {
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
	})
}
