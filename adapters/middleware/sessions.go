package middleware

import (
	"net/http"
	"strconv"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

// SessionPolicy says what happens to sessions that exist when a window is
// active.
type SessionPolicy int8

const (
	// EndNonAdmin ends a non-admin session on its next request during an
	// active window; admin sessions go on. It is the zero value: the point
	// of installing [EndSessions].
	EndNonAdmin SessionPolicy = iota
	// Leave lets every session go on, as Znuny does: users logged in before
	// the window keep working and only see the banner. With Leave,
	// [EndSessions] passes every request to next.
	Leave
)

// String returns "end-non-admin" or "leave"; an unknown value prints as
// "SessionPolicy(N)".
func (p SessionPolicy) String() string {
	switch p {
	case EndNonAdmin:
		return "end-non-admin"
	case Leave:
		return "leave"
	}
	return "SessionPolicy(" + strconv.Itoa(int(p)) + ")"
}

// EndSessionsOptions configures [EndSessions]. Session and End are
// required unless Policy is Leave, so a nil *EndSessionsOptions is refused.
type EndSessionsOptions struct {
	// Policy says whether non-admin sessions are ended. Default:
	// EndNonAdmin.
	Policy SessionPolicy
	// Session returns the session of r, false when r has none. It is asked
	// only during an active window. Required unless Policy is Leave.
	Session func(r *http.Request) (session.Session, bool)
	// End ends s and answers r: the host kills the session (for example
	// with [session.Manager.Kill]), clears its cookie and typically
	// redirects to the login page, which shows the maintenance message.
	// next is not called. Required unless Policy is Leave.
	End func(w http.ResponseWriter, r *http.Request, s session.Session)
}

// EndSessions returns a middleware that, while a maintenance window is
// active, ends every non-admin session on its next request: Session finds
// the request's session, and a session whose [session.Session.Admin] flag is
// false is handed to End instead of next. Admin sessions and requests
// without a session go to next, and so does everything outside a window.
//
// Znuny leaves existing sessions alone during maintenance; users who were
// logged in when it began keep working. EndSessions is the opt-in fix,
// lazily, one session at a time; [session.Manager.EndNonAdmin] ends them all
// at once when a window starts.
//
// EndSessions panics if m is nil, if the policy is unknown, or if Session
// or End is nil and the policy is not Leave.
func EndSessions(m *maintenance.Manager, opts *EndSessionsOptions) func(http.Handler) http.Handler {
	if m == nil {
		panic("middleware: EndSessions: nil *maintenance.Manager")
	}
	e := newEnder(opts)
	if e == nil {
		return func(next http.Handler) http.Handler { return next }
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !e.end(m.Status(), w, r) {
				next.ServeHTTP(w, r)
			}
		})
	}
}

// ender is the work of EndSessions at a given status, shared with
// Maintenance.
type ender struct{ o EndSessionsOptions }

// newEnder checks opts and returns the ender, or nil for the policy Leave.
func newEnder(opts *EndSessionsOptions) *ender {
	var o EndSessionsOptions
	if opts != nil {
		o = *opts
	}
	switch o.Policy {
	case Leave:
		return nil
	case EndNonAdmin:
	default:
		panic("middleware: EndSessions: unknown " + o.Policy.String())
	}
	if o.Session == nil || o.End == nil {
		panic("middleware: EndSessions: Session and End are required unless Policy is Leave")
	}
	return &ender{o: o}
}

// end ends the session of r and reports true when st is active and r has a
// non-admin session; otherwise it does nothing and reports false.
func (e *ender) end(st maintenance.Status, w http.ResponseWriter, r *http.Request) bool {
	if !st.Active() {
		return false
	}
	s, ok := e.o.Session(r)
	if !ok || s.Admin {
		return false
	}
	e.o.End(w, r, s)
	return true
}
