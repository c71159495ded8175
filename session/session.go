package session

import (
	"fmt"
	"time"
)

// Session is one logged-in user session as the host application sees it.
// The host creates the session when a user logs in and tells the [Manager]
// (or the [Store] directly); sysmaint lists, counts and ends sessions but
// never authenticates anyone.
type Session struct {
	// ID identifies the session. The host chooses it (typically the
	// session cookie's token, or a hash of it); it must not be empty.
	ID string
	// Kind says whether the session belongs to an agent or a customer.
	Kind Kind
	// UserLogin is the login of the session's user; it must not be empty.
	// Logins are compared exactly (byte for byte): a host whose logins are
	// case-insensitive passes them in one case.
	UserLogin string
	// UserFullName is the user's display name, for the admin screen.
	UserFullName string
	// Admin reports whether the user was a maintenance admin when the
	// session was created (for agents: may log in during a window; see
	// package maintenance's login rule). The host sets it at login.
	//
	// It is stored with the session, rather than asked of the host again,
	// so that [Store.DeleteNonAdmin] can end every non-admin session in
	// one step, the same way in every store (a single SQL statement), at
	// the moment a window starts, when nobody is at hand to ask about each
	// user. It is a snapshot: a user who gains or loses the admin role
	// keeps the old flag until the next login. Customers are never
	// maintenance admins (they never pass the login rule during a window),
	// so a customer session with Admin set is invalid.
	Admin bool
	// RemoteAddr is the client's address at login, as the host saw it.
	RemoteAddr string
	// UserAgent is the client's User-Agent header at login.
	UserAgent string
	// CreatedAt is when the session was created (the login).
	CreatedAt time.Time
	// LastRequestAt is when the session was last used; see
	// [Manager.Touch].
	LastRequestAt time.Time
}

// Validate reports whether s can be stored: its ID and UserLogin are not
// empty, its Kind is Agent or Customer, and it is not a customer session
// marked Admin. The error wraps [ErrInvalid] and names the first problem.
func (s Session) Validate() error {
	var why string
	switch {
	case s.ID == "":
		why = "empty ID"
	case !s.Kind.Known():
		why = fmt.Sprintf("unknown kind %v", s.Kind)
	case s.UserLogin == "":
		why = "empty user login"
	case s.Kind == Customer && s.Admin:
		why = "a customer session cannot be admin"
	default:
		return nil
	}
	return fmt.Errorf("%w %q: %s", ErrInvalid, s.ID, why)
}

// Normalize returns s with its instants in UTC, truncated to the
// millisecond, as stores keep them. Zero instants stay zero.
func (s Session) Normalize() Session {
	s.CreatedAt = NormalizeTime(s.CreatedAt)
	s.LastRequestAt = NormalizeTime(s.LastRequestAt)
	return s
}

// NormalizeTime returns t in UTC, truncated to the millisecond, as stores
// keep instants. The zero time stays zero.
func NormalizeTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.UnixMilli(t.UnixMilli()).UTC()
}
