package session

import (
	"strings"
	"time"
	"unicode/utf8"
)

// The most bytes each text field of a [Session] may hold. The identity
// fields (ID, UserLogin) name something, and cutting them could make two
// different things equal: [Session.Validate] refuses them when they are
// longer. The descriptive fields (UserFullName, RemoteAddr, UserAgent) are
// only shown: [Session.Normalize], which [Manager.Add] calls, cuts them to
// their limit on a UTF-8 character boundary, and Validate refuses them
// only when they are still longer (a store handed an over-long session
// directly refuses it, and writes nothing). The limits are bytes, not
// characters, because they bound what a session costs on disk: at most
// 1 536 bytes of text per session.
const (
	MaxIDLen           = 256
	MaxUserLoginLen    = 256
	MaxUserFullNameLen = 256
	MaxRemoteAddrLen   = 256
	MaxUserAgentLen    = 512
)

// MinTime and MaxTime bound the instants a session may hold: CreatedAt and
// LastRequestAt are the zero time (not set) or lie in the years 1 to 9999
// (UTC), from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, like
// a maintenance window's. Every store keeps such an instant exactly;
// [Session.Validate] and [ValidateTouch] refuse the rest with
// [ReasonOutOfRange]. They are variables only because Go has no constant
// times: do not change them.
var (
	MinTime = time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)
	MaxTime = time.Date(9999, time.December, 31, 23, 59, 59, 999_999_999, time.UTC)
)

// Session is one logged-in user session as the host application sees it.
// The host creates the session when a user logs in and tells the [Manager]
// (or the [Store] directly); sysmaint lists, counts and ends sessions but
// never authenticates anyone.
//
// Every text field is UTF-8 and bounded (see [MaxIDLen] and its
// neighbours); instants lie between [MinTime] and [MaxTime].
type Session struct {
	// ID identifies the session. The host chooses it (typically the
	// session cookie's token, or a hash of it); it must not be empty, and
	// is at most MaxIDLen bytes.
	ID string
	// Kind says whether the session belongs to an agent or a customer.
	Kind Kind
	// UserLogin is the login of the session's user; it must not be empty,
	// and is at most MaxUserLoginLen bytes. Logins are compared exactly
	// (byte for byte): a host whose logins are case-insensitive passes
	// them in one case.
	UserLogin string
	// UserFullName is the user's display name, for the admin screen; cut
	// to MaxUserFullNameLen bytes by Normalize.
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
	// RemoteAddr is the client's address at login, as the host saw it;
	// cut to MaxRemoteAddrLen bytes by Normalize.
	RemoteAddr string
	// UserAgent is the client's User-Agent header at login; cut to
	// MaxUserAgentLen bytes by Normalize.
	UserAgent string
	// CreatedAt is when the session was created (the login).
	CreatedAt time.Time
	// LastRequestAt is when the session was last used; see
	// [Manager.Touch].
	LastRequestAt time.Time
}

// Validate reports whether s can be stored: its ID and UserLogin are not
// empty; its Kind is Agent or Customer; it is not a customer session
// marked Admin; every text field is valid UTF-8 and within its limit
// ([MaxIDLen] and its neighbours); and CreatedAt and LastRequestAt are
// zero or lie between [MinTime] and [MaxTime]. It returns nil or a
// *[ValidationError] naming every bad field, which wraps [ErrInvalid].
//
// Validate changes nothing: a descriptive field over its limit is refused
// here, and cut by [Session.Normalize].
func (s Session) Validate() error {
	e := &ValidationError{ID: s.ID}
	text := func(field, v string, limit int) {
		switch {
		case len(v) > limit:
			e.add(field, ReasonTooLong)
		case !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0:
			e.add(field, ReasonNotText)
		}
	}
	if s.ID == "" {
		e.add(FieldID, ReasonRequired)
	}
	text(FieldID, s.ID, MaxIDLen)
	if !s.Kind.Known() {
		e.add(FieldKind, ReasonUnknownKind)
	}
	if s.UserLogin == "" {
		e.add(FieldUserLogin, ReasonRequired)
	}
	text(FieldUserLogin, s.UserLogin, MaxUserLoginLen)
	text(FieldUserFullName, s.UserFullName, MaxUserFullNameLen)
	if s.Kind == Customer && s.Admin {
		e.add(FieldAdmin, ReasonCustomerAdmin)
	}
	text(FieldRemoteAddr, s.RemoteAddr, MaxRemoteAddrLen)
	text(FieldUserAgent, s.UserAgent, MaxUserAgentLen)
	if !inRange(s.CreatedAt) {
		e.add(FieldCreatedAt, ReasonOutOfRange)
	}
	if !inRange(s.LastRequestAt) {
		e.add(FieldLastRequestAt, ReasonOutOfRange)
	}
	return e.err()
}

// ValidateTouch reports whether a [Store] can record that the session id
// was used at at (see [Store.Touch]): at is zero or lies between [MinTime]
// and [MaxTime]. It returns nil or a *[ValidationError] naming
// LastRequestAt, which wraps [ErrInvalid].
func ValidateTouch(id string, at time.Time) error {
	e := &ValidationError{ID: id}
	if !inRange(at) {
		e.add(FieldLastRequestAt, ReasonOutOfRange)
	}
	return e.err()
}

// inRange reports whether t is zero or lies between MinTime and MaxTime.
// It compares instants, so it is exact for every time.Time, however far
// out.
func inRange(t time.Time) bool {
	return t.IsZero() || (!t.Before(MinTime) && !t.After(MaxTime))
}

// Normalize returns s as stores keep it: its instants in UTC, truncated to
// the millisecond (zero instants stay zero), and its descriptive fields
// (UserFullName, RemoteAddr, UserAgent) made valid UTF-8 text (each invalid
// byte sequence, and each NUL, becomes U+FFFD) and cut to their limits on a character
// boundary. The identity fields (ID, UserLogin) are left as they are, for
// [Session.Validate] to refuse when they are bad.
func (s Session) Normalize() Session {
	s.UserFullName = clip(s.UserFullName, MaxUserFullNameLen)
	s.RemoteAddr = clip(s.RemoteAddr, MaxRemoteAddrLen)
	s.UserAgent = clip(s.UserAgent, MaxUserAgentLen)
	s.CreatedAt = NormalizeTime(s.CreatedAt)
	s.LastRequestAt = NormalizeTime(s.LastRequestAt)
	return s
}

// clip returns s as valid UTF-8 text of at most n bytes (a NUL becomes
// U+FFFD, as an invalid sequence does), cut on a character boundary. It
// looks at no more than n bytes of a longer s before cutting, so a huge
// header costs no more than a short one.
func clip(s string, n int) string {
	if len(s) > n {
		s = s[:cut(s, n)]
	}
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
		if len(s) > n {
			s = s[:cut(s, n)]
		}
	}
	return s
}

// cut returns the length of the longest prefix of s of at most n < len(s)
// bytes that does not split a UTF-8 sequence: n, moved back to the start of
// the character s[n] belongs to, by at most three bytes (further back,
// s[n] is inside an invalid sequence, which ToValidUTF8 replaces).
func cut(s string, n int) int {
	for i := n; i > n-utf8.UTFMax && i > 0; i-- {
		if utf8.RuneStart(s[i]) {
			return i
		}
	}
	return n
}

// NormalizeTime returns t in UTC, truncated to the millisecond, as stores
// keep instants. The zero time stays zero. It truncates the time.Time
// itself, never going through t.UnixMilli, which wraps some 292 million
// years from 1970: an instant out of range stays out of range, for
// [Session.Validate] to refuse.
func NormalizeTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Millisecond)
}
