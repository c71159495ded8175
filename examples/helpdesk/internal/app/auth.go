package app

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
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
// request), or half the idle timeout when that is shorter.
const touchEvery = time.Minute

// The texts of the login screens.
const (
	msgLoginFailed    = "Login failed! Your user name or password was entered incorrectly."
	msgLoginThrottled = "Too many failed logins. Please wait a little and try again."
	msgLoginBusy      = "The server is busy. Please try again in a moment."
)

// maxLoginKey bounds the user name the throttle remembers, in bytes: no
// real login is longer, and an attacker's long names cost no more memory.
const maxLoginKey = 256

// errBusy means no password hashing slot was free (LoginLimits.Hashing).
var errBusy = errors.New("helpdesk: too many logins at once")

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
// without a cookie, with a cookie whose session was killed or has expired
// (Config.IdleTimeout, Config.SessionLifetime: it is deleted now), or whose
// user is gone; err is set for store failures only.
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
	now := a.clock.Now()
	if why := a.expired(s, now); why != "" {
		if err := a.sessions.Kill(ctx, s.ID); err != nil && !errors.Is(err, session.ErrNotFound) {
			return nil, false, err
		}
		a.log.Info("helpdesk: session expired", "login", s.UserLogin, "why", why)
		return nil, false, nil
	}
	u, err := a.user(ctx, s.UserLogin)
	if errors.Is(err, errNoUser) {
		_ = a.sessions.Kill(ctx, s.ID)
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if now.Sub(s.LastRequestAt) >= min(touchEvery, a.idle/2) {
		if err := a.sessions.Touch(ctx, s.ID); err != nil && !errors.Is(err, session.ErrNotFound) {
			a.log.Warn("helpdesk: touch session", "err", err)
		}
	}
	return &current{user: u, session: s, token: ck.Value, csrf: challengeToken(ck.Value)}, true, nil
}

// expired says why s has ended by now ("idle" or "lifetime"), or "" when
// it has not.
func (a *App) expired(s session.Session, now time.Time) string {
	switch {
	case now.Sub(s.CreatedAt) >= a.lifetime:
		return "lifetime"
	case now.Sub(s.LastRequestAt) >= a.idle:
		return "idle"
	default:
		return ""
	}
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
			a.clearCookie(w, r)
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
			a.clearCookie(w, r)
			http.Redirect(w, r, loginPath(s.Kind), http.StatusSeeOther)
		},
	}
}

// attempt remembers the outcome of checking a login's credentials, so the
// login handler does not hash the password a second time after the gate's
// IdentifyFunc did, and the throttle learns whether the attempt failed.
type attempt struct {
	done bool
	user User
	err  error
}

type attemptKey struct{}

// loginAttempt runs in front of the login gate and the login handler. An
// attempt over the failed-login limits (Config.Logins) is answered 429 Too
// Many Requests with Retry-After and the login page, before anything else
// happens: no password is hashed, whether it is right or not. Otherwise it
// gives the request a place for the credential check, calls h, and counts a
// failed check against the user name and the client's address.
func (a *App) loginAttempt(kind session.Kind, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		login := r.PostFormValue("User")
		addr := a.client(r)
		tk, wait := a.throttle.admit(a.clock.Now(), clip(login, maxLoginKey), addressKey(addr))
		if tk == nil {
			secs := int64((wait + time.Second - 1) / time.Second)
			a.log.Warn("helpdesk: login throttled", "login", clip(login, 64), "client", addr, "retry_after_s", secs)
			w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
			a.renderLogin(w, r, kind, http.StatusTooManyRequests, login, msgLoginThrottled)
			return
		}
		at := &attempt{}
		defer func() {
			tk.done(a.clock.Now(), at.done && errors.Is(at.err, errNoUser))
		}()
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), attemptKey{}, at)))
	})
}

// checkCredentials checks the posted User and Password once per request,
// holding one of the hashing slots (LoginLimits.Hashing) while it does; it
// returns errBusy when it gets none.
func (a *App) checkCredentials(r *http.Request, kind session.Kind) (User, error) {
	at, _ := r.Context().Value(attemptKey{}).(*attempt)
	if at != nil && at.done {
		return at.user, at.err
	}
	var u User
	var err error
	if a.hashing.acquire(r.Context()) {
		u, err = a.authenticate(r.Context(), kind, r.PostFormValue("User"), r.PostFormValue("Password"))
		a.hashing.release()
	} else {
		err = errBusy
	}
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
		switch {
		case errors.Is(err, errNoUser):
			a.log.Info("helpdesk: login failed", "login", clip(r.PostFormValue("User"), 64), "kind", kind)
			a.renderLogin(w, r, kind, http.StatusUnauthorized, r.PostFormValue("User"), msgLoginFailed)
			return
		case errors.Is(err, errBusy):
			a.log.Warn("helpdesk: login refused, no hashing slot free", "login", clip(r.PostFormValue("User"), 64))
			w.Header().Set("Retry-After", "1")
			a.renderLogin(w, r, kind, http.StatusServiceUnavailable, r.PostFormValue("User"), msgLoginBusy)
			return
		case err != nil:
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
			RemoteAddr:   a.clientString(r),
			UserAgent:    clip(r.UserAgent(), maxUserAgent),
		})
		if err != nil {
			a.serverError(w, r, err)
			return
		}
		http.SetCookie(w, &http.Cookie{
			Name: cookieName, Value: token, Path: "/",
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: a.secure(r),
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
	a.clearCookie(w, r)
	http.Redirect(w, r, loginPath(c.user.Kind), http.StatusSeeOther)
}

// clearCookie deletes the session cookie, if r has one.
func (a *App) clearCookie(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie(cookieName); err != nil {
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: a.secure(r),
	})
}

// clientString is the client's address as a session records it: the
// address a.client finds, or r.RemoteAddr (bounded) when it finds none.
func (a *App) clientString(r *http.Request) string {
	if addr := a.client(r); addr.IsValid() {
		return addr.String()
	}
	return clip(r.RemoteAddr, 64)
}
