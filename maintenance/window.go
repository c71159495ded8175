package maintenance

import (
	"fmt"
	"time"
)

// Validity says whether a window takes part in the schedule. Only [Valid]
// windows are ever active or upcoming; the others are kept for the record
// and shown, marked, in the overview.
type Validity int8

// The three validities, numbered as in Znuny's valid table.
const (
	Valid              Validity = 1
	Invalid            Validity = 2
	InvalidTemporarily Validity = 3
)

// Validities lists every known validity, in display order.
var Validities = []Validity{Valid, Invalid, InvalidTemporarily}

// String returns the validity's name: "valid", "invalid" or
// "invalid-temporarily"; an unknown value prints as "Validity(N)".
func (v Validity) String() string {
	switch v {
	case Valid:
		return "valid"
	case Invalid:
		return "invalid"
	case InvalidTemporarily:
		return "invalid-temporarily"
	}
	return fmt.Sprintf("Validity(%d)", int8(v))
}

// Known reports whether v is one of the three validities.
func (v Validity) Known() bool { return v >= Valid && v <= InvalidTemporarily }

// ParseValidity returns the validity named s (as printed by
// [Validity.String]), or an error naming s.
func ParseValidity(s string) (Validity, error) {
	for _, v := range Validities {
		if v.String() == s {
			return v, nil
		}
	}
	return 0, fmt.Errorf("maintenance: unknown validity %q", s)
}

// State is where a window stands at an instant, whatever its validity.
type State int8

// The states of a window at an instant t: planned while t < Start, active
// while Start <= t < Stop, finished from Stop on.
const (
	Planned State = iota + 1
	Active
	Finished
)

// String returns "planned", "active" or "finished".
func (s State) String() string {
	switch s {
	case Planned:
		return "planned"
	case Active:
		return "active"
	case Finished:
		return "finished"
	}
	return fmt.Sprintf("State(%d)", int8(s))
}

// MaxTextLen is the most characters (runes, not bytes) that Comment,
// LoginMessage and NotifyMessage may hold.
const MaxTextLen = 250

// DefaultLead is how long before a window starts users are told it is
// coming, unless [Options.Lead] or the window's own Lead says otherwise.
// It is Znuny's TimeNotifyUpcomingMaintenance default.
const DefaultLead = 30 * time.Minute

// MinTime and MaxTime bound the instants a window may hold: Start and Stop
// lie in the years 1 to 9999 (UTC), from 0001-01-01T00:00:00Z to
// 9999-12-31T23:59:59.999999999Z, or [Window.Validate] refuses them with
// [ReasonOutOfRange]. Every store keeps such an instant exactly (as Unix
// milliseconds in an int64, as RFC 3339 text, as a PostgreSQL timestamp),
// every form and JSON encoder can show it, and a lead subtracted from it
// cannot overflow. MinTime is also the zero time, which means "not set": a
// Start or Stop equal to it is missing ([ReasonRequired]). They are
// variables only because Go has no constant times: do not change them.
var (
	MinTime = time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)
	MaxTime = time.Date(9999, time.December, 31, 23, 59, 59, 999_999_999, time.UTC)
)

// MaxLead is the longest lead time a window may carry: a year, leap day
// included. [Window.Validate] refuses a longer Lead with
// [ReasonLeadTooLong].
const MaxLead = 366 * 24 * time.Hour

// inRange reports whether t lies between MinTime and MaxTime. It compares
// instants, so it is exact for every time.Time, however far out.
func inRange(t time.Time) bool { return !t.Before(MinTime) && !t.After(MaxTime) }

// Window is one planned maintenance period: the interval [Start, Stop),
// the texts shown to users, and its validity.
//
// Instants are kept in UTC at millisecond precision: the [Manager]
// normalizes them before validating and storing. Start and Stop lie
// between [MinTime] and [MaxTime].
type Window struct {
	// ID identifies the window; the store assigns it on create.
	ID int64
	// Start is the first instant of the window (inclusive).
	Start time.Time
	// Stop is the first instant after the window (exclusive).
	Stop time.Time
	// Comment is the administrators' note; required, at most MaxTextLen
	// characters.
	Comment string
	// LoginMessage is shown on the login screens while the window is active
	// and ShowLoginMessage is set; empty means the default text.
	LoginMessage string
	// ShowLoginMessage turns the login-screen message on.
	ShowLoginMessage bool
	// NotifyMessage is the banner text while the window is active; empty
	// means the default text.
	NotifyMessage string
	// Validity says whether the window takes part in the schedule.
	Validity Validity
	// Lead, when positive, replaces the Manager's lead time for this
	// window: users are told it is coming from Start-Lead on. Zero means
	// the Manager's lead. At most MaxLead.
	Lead time.Duration
	// Recurrence, when not zero, makes the window repeat: Start and Stop
	// are then those of its first occurrence (see [Recurrence]).
	Recurrence Recurrence
	// Occurrence is set on the windows a [Schedule] reports for one
	// occurrence of a recurring window ([Status.Window],
	// [Status.Upcoming], [Status.ActiveWindows]): it is the occurrence's
	// start as the rule gives it, the instant that names the occurrence in
	// [Recurrence.Exceptions], [Manager.SkipOccurrence] and
	// [Manager.MoveOccurrence], and equals Start. It is zero on every
	// window a Store holds, and [Window.Validate] refuses a window that
	// has it: change the recurring window instead.
	Occurrence time.Time

	// CreatedAt and CreatedBy record who added the window and when.
	CreatedAt time.Time
	CreatedBy string
	// ChangedAt and ChangedBy record the last change.
	ChangedAt time.Time
	ChangedBy string
	// Version counts the stored changes: 1 after create, incremented by
	// every update. An update must carry the version it was read at.
	Version int64
}

// StateAt returns the state of w at t: [Planned], [Active] or [Finished].
// It ignores validity; see [Window.ActiveAt] for the schedule's rule.
//
// A recurring window is the series of its occurrences: Active while one of
// them is in progress, Planned before its first and between two of them,
// Finished after its last (never, for a rule without COUNT or UNTIL); a
// recurrence that cannot be expanded (Validate refuses it) counts its first
// occurrence only. For a recurring window StateAt expands the rule up to
// t: call it for an admin screen or an API answer, not on every request.
func (w Window) StateAt(t time.Time) State {
	if !w.Recurrence.IsZero() && w.Occurrence.IsZero() && !t.Before(w.Start) {
		if next, err := w.Occurrences(t, 1); err == nil {
			switch {
			case len(next) == 0:
				return Finished
			case t.Before(next[0].Start):
				return Planned
			}
			return Active
		}
	}
	switch {
	case t.Before(w.Start):
		return Planned
	case t.Before(w.Stop):
		return Active
	}
	return Finished
}

// ActiveAt reports whether w is valid and Start <= t < Stop.
func (w Window) ActiveAt(t time.Time) bool {
	return w.Validity == Valid && w.StateAt(t) == Active
}

// UpcomingAt reports whether w is valid and starts within lead of t:
// t < Start <= t+lead. A positive w.Lead replaces lead.
func (w Window) UpcomingAt(t time.Time, lead time.Duration) bool {
	if w.Lead > 0 {
		lead = w.Lead
	}
	return w.Validity == Valid && t.Before(w.Start) && !w.Start.After(t.Add(lead))
}

// Normalize returns w with its instants in UTC, truncated to the
// millisecond, as stores keep them. Zero instants stay zero, and instants
// outside [MinTime, MaxTime] stay where they are (truncated, never
// wrapped), for Validate to refuse. A recurrence rule that parses is
// rewritten in its canonical form ([Rule.String]); exceptions are sorted,
// without duplicates, nil when there are none. The exceptions of the
// window passed in are never changed: Normalize copies them when it must.
func (w Window) Normalize() Window {
	w.Start = normTime(w.Start)
	w.Stop = normTime(w.Stop)
	w.CreatedAt = normTime(w.CreatedAt)
	w.ChangedAt = normTime(w.ChangedAt)
	w.Lead = w.Lead.Truncate(time.Millisecond)
	w.Recurrence = w.Recurrence.normalize()
	w.Occurrence = normTime(w.Occurrence)
	return w
}

// normal reports whether w is its own Normalize for certain, cheaply: a
// window that does not recur, every instant already in UTC at the
// millisecond without a monotonic reading. False means "maybe not".
func (w *Window) normal() bool {
	return w.Recurrence.IsZero() && w.Lead%time.Millisecond == 0 &&
		isNormTime(w.Start) && isNormTime(w.Stop) && isNormTime(w.CreatedAt) && isNormTime(w.ChangedAt) &&
		isNormTime(w.Occurrence)
}

// isNormTime reports whether t == normTime(t).
func isNormTime(t time.Time) bool {
	if t.IsZero() {
		return t == time.Time{}
	}
	return t.Location() == time.UTC && t.Nanosecond()%1e6 == 0 && t == t.Round(0)
}

// normTime returns t in UTC truncated to the millisecond. It truncates the
// time.Time itself rather than going through t.UnixMilli, which wraps for
// instants some 292 million years from 1970 and would carry such an
// instant into another year, possibly a valid one.
func normTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Millisecond)
}
