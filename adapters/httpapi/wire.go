package httpapi

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
)

// MaxSeconds is the largest number of seconds a duration field of a
// request (for_seconds, by_seconds, lead_seconds) may hold before the
// domain's own limits apply: the longest time.Duration, about 292 years.
const MaxSeconds = int64(1<<63-1) / int64(time.Second)

// Window is a maintenance window as the API sends it. Its JSON names are
// stable; instants are RFC 3339 in UTC, with milliseconds when they are not
// whole seconds ("2026-11-24T22:00:00Z", "2026-11-24T22:00:00.250Z");
// validity is "valid", "invalid" or "invalid-temporarily"; state is
// "planned", "active" or "finished" at the instant the response was made,
// whatever the validity; durations are whole seconds in fields named
// *_seconds.
type Window struct {
	// ID identifies the window ("id").
	ID int64 `json:"id"`
	// Start is the first instant of the window ("start").
	Start time.Time `json:"start"`
	// Stop is the first instant after the window ("stop").
	Stop time.Time `json:"stop"`
	// Comment is the administrators' note ("comment").
	Comment string `json:"comment"`
	// LoginMessage is shown on the login screens while the window is
	// active and ShowLoginMessage is set ("login_message").
	LoginMessage string `json:"login_message"`
	// ShowLoginMessage turns the login message on ("show_login_message").
	ShowLoginMessage bool `json:"show_login_message"`
	// NotifyMessage is the banner text while the window is active
	// ("notify_message").
	NotifyMessage string `json:"notify_message"`
	// Validity is "valid", "invalid" or "invalid-temporarily" ("validity").
	Validity string `json:"validity"`
	// LeadSeconds is the window's own notice time in whole seconds; 0
	// means the Manager's ("lead_seconds").
	LeadSeconds int64 `json:"lead_seconds"`
	// Recurrence says how the window repeats ("recurrence"); nil (JSON
	// null) for a window that happens once. Start and Stop of a recurring
	// window are those of its first occurrence; the windows of a Status
	// are single occurrences, with the recurrence's rule and zone and no
	// exceptions.
	Recurrence *Recurrence `json:"recurrence"`
	// State is "planned", "active" or "finished" at the instant of the
	// response ("state"), from Start and Stop; a recurring window's is
	// that of its series (active during an occurrence, planned before
	// the first and between two, finished after the last). It is
	// computed, not stored: the ETag does not cover it.
	State string `json:"state"`
	// CreatedAt and CreatedBy record who added the window and when
	// ("created_at", "created_by").
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	// ChangedAt and ChangedBy record the last change ("changed_at",
	// "changed_by").
	ChangedAt time.Time `json:"changed_at"`
	ChangedBy string    `json:"changed_by"`
	// Version counts the stored changes ("version"); the ETag is made
	// from it.
	Version int64 `json:"version"`
}

// NewWindow returns the wire form of w, its state taken at now.
func NewWindow(w maintenance.Window, now time.Time) Window {
	w = w.Normalize()
	return Window{
		ID:               w.ID,
		Start:            w.Start,
		Stop:             w.Stop,
		Comment:          w.Comment,
		LoginMessage:     w.LoginMessage,
		ShowLoginMessage: w.ShowLoginMessage,
		NotifyMessage:    w.NotifyMessage,
		Validity:         w.Validity.String(),
		LeadSeconds:      int64(w.Lead / time.Second),
		Recurrence:       newRecurrence(w.Recurrence),
		State:            w.StateAt(now).String(),
		CreatedAt:        w.CreatedAt,
		CreatedBy:        w.CreatedBy,
		ChangedAt:        w.ChangedAt,
		ChangedBy:        w.ChangedBy,
		Version:          w.Version,
	}
}

// Input returns the fields of w a client sends back to replace it (PUT):
// the writable ones, validity and recurrence included.
func (w Window) Input() WindowInput {
	return WindowInput{
		Recurrence:       w.Recurrence.clone(),
		Start:            w.Start,
		Stop:             w.Stop,
		Comment:          w.Comment,
		LoginMessage:     w.LoginMessage,
		ShowLoginMessage: w.ShowLoginMessage,
		NotifyMessage:    w.NotifyMessage,
		Validity:         w.Validity,
		LeadSeconds:      w.LeadSeconds,
	}
}

// ETag returns the entity tag of w's stored version, as the API sends it
// in the ETag header and expects it in If-Match: "v" and the version,
// quoted.
func (w Window) ETag() string { return etag(w.Version) }

// etag returns the strong entity tag of a window version.
func etag(version int64) string { return fmt.Sprintf(`"v%d"`, version) }

// windowJSON is Window with its instants as text.
type windowJSON struct {
	ID               int64           `json:"id"`
	Start            string          `json:"start"`
	Stop             string          `json:"stop"`
	Comment          string          `json:"comment"`
	LoginMessage     string          `json:"login_message"`
	ShowLoginMessage bool            `json:"show_login_message"`
	NotifyMessage    string          `json:"notify_message"`
	Validity         string          `json:"validity"`
	LeadSeconds      int64           `json:"lead_seconds"`
	Recurrence       *recurrenceJSON `json:"recurrence"`
	State            string          `json:"state"`
	CreatedAt        string          `json:"created_at"`
	CreatedBy        string          `json:"created_by"`
	ChangedAt        string          `json:"changed_at"`
	ChangedBy        string          `json:"changed_by"`
	Version          int64           `json:"version"`
}

// wire returns w as its JSON struct.
func (w Window) wire() windowJSON {
	return windowJSON{
		ID: w.ID, Start: FormatInstant(w.Start), Stop: FormatInstant(w.Stop),
		Comment: w.Comment, LoginMessage: w.LoginMessage, ShowLoginMessage: w.ShowLoginMessage,
		NotifyMessage: w.NotifyMessage, Validity: w.Validity, LeadSeconds: w.LeadSeconds,
		Recurrence: w.Recurrence.wire(), State: w.State,
		CreatedAt: FormatInstant(w.CreatedAt), CreatedBy: w.CreatedBy,
		ChangedAt: FormatInstant(w.ChangedAt), ChangedBy: w.ChangedBy, Version: w.Version,
	}
}

// window returns the Window j holds.
func (j windowJSON) window() (Window, error) {
	out := Window{
		ID: j.ID, Comment: j.Comment, LoginMessage: j.LoginMessage, ShowLoginMessage: j.ShowLoginMessage,
		NotifyMessage: j.NotifyMessage, Validity: j.Validity, LeadSeconds: j.LeadSeconds, State: j.State,
		CreatedBy: j.CreatedBy, ChangedBy: j.ChangedBy, Version: j.Version,
	}
	var errs [5]error
	out.Recurrence, errs[4] = j.Recurrence.recurrence()
	out.Start, errs[0] = parseOptionalInstant("start", j.Start)
	out.Stop, errs[1] = parseOptionalInstant("stop", j.Stop)
	out.CreatedAt, errs[2] = parseOptionalInstant("created_at", j.CreatedAt)
	out.ChangedAt, errs[3] = parseOptionalInstant("changed_at", j.ChangedAt)
	for _, err := range errs {
		if err != nil {
			return Window{}, err
		}
	}
	return out, nil
}

// MarshalJSON writes w with its instants in the API's format.
func (w Window) MarshalJSON() ([]byte, error) { return json.Marshal(w.wire()) }

// UnmarshalJSON reads a window as the API writes it.
func (w *Window) UnmarshalJSON(b []byte) error {
	var j windowJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	out, err := j.window()
	if err != nil {
		return err
	}
	*w = out
	return nil
}

// wireWindows returns ws as their JSON structs; never nil.
func wireWindows(ws []Window) []windowJSON {
	out := make([]windowJSON, len(ws))
	for i, w := range ws {
		out[i] = w.wire()
	}
	return out
}

// WindowInput holds the fields a client writes: the body of POST /windows
// (create) and PUT /windows/{id} (replace). Start, Stop and Comment are
// required; Validity is required on replace and defaults to "valid" on
// create; the texts default to empty, ShowLoginMessage to false and
// LeadSeconds to 0 (the Manager's lead time).
//
// Recurrence is always written, as null when nil: a replace with a nil
// Recurrence makes a recurring window happen once. [Window.Input] copies
// the window's recurrence, so a read-modify-write keeps it. (The server
// refuses a replace of a recurring window whose body has no "recurrence"
// member at all, as sent by clients that do not know it, rather than
// drop the recurrence.)
type WindowInput struct {
	// Start is the first instant of the window ("start").
	Start time.Time `json:"start"`
	// Stop is the first instant after the window ("stop").
	Stop time.Time `json:"stop"`
	// Comment is the administrators' note ("comment").
	Comment string `json:"comment"`
	// LoginMessage is the login-screen text ("login_message").
	LoginMessage string `json:"login_message,omitempty"`
	// ShowLoginMessage turns the login message on ("show_login_message").
	ShowLoginMessage bool `json:"show_login_message,omitempty"`
	// NotifyMessage is the banner text ("notify_message").
	NotifyMessage string `json:"notify_message,omitempty"`
	// Validity is "valid", "invalid" or "invalid-temporarily"
	// ("validity"); empty is left out of the JSON.
	Validity string `json:"validity,omitempty"`
	// LeadSeconds is the window's own notice time; 0 means the
	// Manager's ("lead_seconds").
	LeadSeconds int64 `json:"lead_seconds,omitempty"`
	// Recurrence makes the window repeat ("recurrence"); nil makes it
	// happen once. Start must then be the rule's first occurrence, and
	// Stop - Start is the length of every occurrence.
	Recurrence *Recurrence `json:"recurrence"`
}

// windowInputJSON is WindowInput with its instants as text.
type windowInputJSON struct {
	Start            string          `json:"start,omitempty"`
	Stop             string          `json:"stop,omitempty"`
	Comment          string          `json:"comment"`
	LoginMessage     string          `json:"login_message,omitempty"`
	ShowLoginMessage bool            `json:"show_login_message,omitempty"`
	NotifyMessage    string          `json:"notify_message,omitempty"`
	Validity         string          `json:"validity,omitempty"`
	LeadSeconds      int64           `json:"lead_seconds,omitempty"`
	Recurrence       *recurrenceJSON `json:"recurrence"`
}

// MarshalJSON writes in with its instants in the API's format; a zero
// instant is left out, a nil Recurrence written as null.
func (in WindowInput) MarshalJSON() ([]byte, error) {
	return json.Marshal(windowInputJSON{
		Start: FormatInstant(in.Start), Stop: FormatInstant(in.Stop), Comment: in.Comment,
		LoginMessage: in.LoginMessage, ShowLoginMessage: in.ShowLoginMessage, NotifyMessage: in.NotifyMessage,
		Validity: in.Validity, LeadSeconds: in.LeadSeconds, Recurrence: in.Recurrence.wire(),
	})
}

// Recurrence is how a recurring window repeats, as the API sends and reads
// it (the member "recurrence" of [Window] and [WindowInput]); see
// [maintenance.Recurrence]. Every occurrence starts at the wall-clock time
// of the window's start in Zone, on each date Rule selects, and lasts
// stop - start (an exact duration); a start the clocks skip moves forward
// by the gap, one they repeat is the first of the two instants (RFC 5545).
type Recurrence struct {
	// Rule is an RFC 5545 RRULE value without "RRULE:" ("rule"), such as
	// "FREQ=WEEKLY;BYDAY=SU" or "FREQ=MONTHLY;BYDAY=1TU;COUNT=12": FREQ
	// DAILY, WEEKLY, MONTHLY or YEARLY with INTERVAL, BYMONTH,
	// BYMONTHDAY, BYDAY (with ordinals such as 1TU or -1FR), WKST, and
	// COUNT or UNTIL; at most 500 bytes. Required. The server answers it
	// in a canonical form (maintenance.Rule.String).
	Rule string
	// Zone is the IANA time zone the rule runs in ("zone"), such as
	// "Europe/Berlin". Required.
	Zone string
	// Exceptions are the occurrences that do not happen (RFC 5545
	// EXDATE), each named by its start ("exceptions"): RFC 3339 instants,
	// each an occurrence of the rule, at most 1000. The server answers
	// them in UTC, sorted, without duplicates; an empty list, never null.
	Exceptions []time.Time
}

// recurrenceJSON is Recurrence with its instants as text.
type recurrenceJSON struct {
	Rule       string   `json:"rule"`
	Zone       string   `json:"zone"`
	Exceptions []string `json:"exceptions"`
}

// newRecurrence returns the wire form of r; nil for the zero Recurrence.
func newRecurrence(r maintenance.Recurrence) *Recurrence {
	if r.IsZero() {
		return nil
	}
	out := &Recurrence{Rule: r.Rule, Zone: r.Zone, Exceptions: make([]time.Time, len(r.Exceptions))}
	copy(out.Exceptions, r.Exceptions)
	return out
}

// domain returns r as the domain's Recurrence; the zero one for nil.
func (r *Recurrence) domain() maintenance.Recurrence {
	if r == nil {
		return maintenance.Recurrence{}
	}
	return maintenance.Recurrence{Rule: r.Rule, Zone: r.Zone, Exceptions: slices.Clone(r.Exceptions)}
}

// clone returns a copy of r that shares no memory with it; nil for nil.
func (r *Recurrence) clone() *Recurrence {
	if r == nil {
		return nil
	}
	out := *r
	out.Exceptions = append([]time.Time{}, r.Exceptions...)
	return &out
}

// wire returns r as its JSON struct; nil for nil.
func (r *Recurrence) wire() *recurrenceJSON {
	if r == nil {
		return nil
	}
	j := &recurrenceJSON{Rule: r.Rule, Zone: r.Zone, Exceptions: make([]string, len(r.Exceptions))}
	for i, t := range r.Exceptions {
		j.Exceptions[i] = FormatInstant(t)
	}
	return j
}

// recurrence returns the Recurrence j holds; nil for nil.
func (j *recurrenceJSON) recurrence() (*Recurrence, error) {
	if j == nil {
		return nil, nil
	}
	out := &Recurrence{Rule: j.Rule, Zone: j.Zone, Exceptions: make([]time.Time, len(j.Exceptions))}
	for i, s := range j.Exceptions {
		t, err := ParseInstant(s)
		if err != nil {
			return nil, fmt.Errorf("httpapi: recurrence.exceptions[%d]: %q is not an RFC 3339 instant", i, s)
		}
		out.Exceptions[i] = t
	}
	return out, nil
}

// MarshalJSON writes r with its instants in the API's format.
func (r Recurrence) MarshalJSON() ([]byte, error) { return json.Marshal(r.wire()) }

// UnmarshalJSON reads a recurrence as the API writes it.
func (r *Recurrence) UnmarshalJSON(b []byte) error {
	var j recurrenceJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	out, err := j.recurrence()
	if err != nil {
		return err
	}
	*r = *out
	return nil
}

// DownInput is the body of POST /down: a window that starts now and lasts
// ForSeconds ("for_seconds", required, at least 1). Comment defaults to
// [DefaultDownComment]; the other texts to empty.
type DownInput struct {
	// ForSeconds is how long the window lasts ("for_seconds").
	ForSeconds int64 `json:"for_seconds"`
	// Comment is the administrators' note ("comment").
	Comment string `json:"comment,omitempty"`
	// NotifyMessage is the banner text ("notify_message").
	NotifyMessage string `json:"notify_message,omitempty"`
	// LoginMessage is the login-screen text ("login_message").
	LoginMessage string `json:"login_message,omitempty"`
	// ShowLoginMessage turns the login message on ("show_login_message").
	ShowLoginMessage bool `json:"show_login_message,omitempty"`
}

// SkipInput is the body of POST /windows/{id}/skip: the occurrence of a
// recurring window to skip, named by its start ("occurrence", required,
// an RFC 3339 instant): the start the window's occurrences, and the
// windows of GET /status, have.
type SkipInput struct {
	// Occurrence is the start of the occurrence to skip.
	Occurrence time.Time `json:"occurrence"`
}

// MarshalJSON writes in with its instant in the API's format.
func (in SkipInput) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Occurrence string `json:"occurrence"`
	}{FormatInstant(in.Occurrence)})
}

// MoveInput is the body of POST /windows/{id}/move: the occurrence of a
// recurring window to move, named by its start as for [SkipInput]
// ("occurrence"), and its new start and stop ("start", "stop"), all
// required RFC 3339 instants. The occurrence becomes an exception of the
// recurring window and a window of its own over the new times, with the
// recurring window's texts, validity and lead time: the answer (201, with
// its Location).
type MoveInput struct {
	// Occurrence is the start of the occurrence to move.
	Occurrence time.Time `json:"occurrence"`
	// Start and Stop are its new times.
	Start time.Time `json:"start"`
	Stop  time.Time `json:"stop"`
}

// MarshalJSON writes in with its instants in the API's format.
func (in MoveInput) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Occurrence string `json:"occurrence"`
		Start      string `json:"start"`
		Stop       string `json:"stop"`
	}{FormatInstant(in.Occurrence), FormatInstant(in.Start), FormatInstant(in.Stop)})
}

// DefaultDownComment is the comment of a window started by POST /down
// without one.
const DefaultDownComment = "Maintenance"

// ExtendInput is the body of POST /windows/{id}/extend: how many seconds
// to add to the window's stop ("by_seconds", required, at least 1).
type ExtendInput struct {
	// BySeconds is the number of seconds added to the stop.
	BySeconds int64 `json:"by_seconds"`
}

// WindowList is a page of windows: the answer of GET /windows, and of
// POST /up (the windows it ended, never paged).
type WindowList struct {
	// Windows are sorted by start, then ID ("windows"); empty, never null.
	Windows []Window `json:"windows"`
	// NextCursor, when not empty, is the cursor of the next page
	// ("next_cursor"), to send as the cursor parameter.
	NextCursor string `json:"next_cursor,omitempty"`
}

// Status is the answer of GET /status: what [maintenance.Manager.Status]
// says at the instant Now.
type Status struct {
	// Now is the instant the status was taken at ("now").
	Now time.Time `json:"now"`
	// Active reports whether a valid window is active ("active").
	Active bool `json:"active"`
	// Window is the active window that supplies the messages ("window");
	// nil when none is active.
	Window *Window `json:"window,omitempty"`
	// ActiveWindows lists every active window, sorted by start, then ID
	// ("active_windows"); empty, never null.
	ActiveWindows []Window `json:"active_windows"`
	// Upcoming is the valid window whose notice has begun and that starts
	// soonest ("upcoming"); nil when none is coming.
	Upcoming *Window `json:"upcoming,omitempty"`
	// End is when the current stretch of maintenance ends, chained windows
	// counted as one ("end"); zero (left out) when none is active.
	End time.Time `json:"end"`
	// Next is when the status next changes ("next"); zero (left out) when
	// nothing will change.
	Next time.Time `json:"next"`
	// RetryAfterSeconds is the whole seconds until End, rounded up, at
	// least 1: what a Retry-After header says ("retry_after_seconds"); 0
	// (left out) when none is active.
	RetryAfterSeconds int64 `json:"retry_after_seconds,omitempty"`
}

// statusJSON is Status with its instants as text.
type statusJSON struct {
	Now               string       `json:"now"`
	Active            bool         `json:"active"`
	Window            *windowJSON  `json:"window,omitempty"`
	ActiveWindows     []windowJSON `json:"active_windows"`
	Upcoming          *windowJSON  `json:"upcoming,omitempty"`
	End               string       `json:"end,omitempty"`
	Next              string       `json:"next,omitempty"`
	RetryAfterSeconds int64        `json:"retry_after_seconds,omitempty"`
}

// wire returns s as its JSON struct.
func (s Status) wire() statusJSON {
	j := statusJSON{
		Now: FormatInstant(s.Now), Active: s.Active, ActiveWindows: wireWindows(s.ActiveWindows),
		End: FormatInstant(s.End), Next: FormatInstant(s.Next), RetryAfterSeconds: s.RetryAfterSeconds,
	}
	if s.Window != nil {
		w := s.Window.wire()
		j.Window = &w
	}
	if s.Upcoming != nil {
		w := s.Upcoming.wire()
		j.Upcoming = &w
	}
	return j
}

// MarshalJSON writes s with its instants in the API's format, leaving out
// the zero ones.
func (s Status) MarshalJSON() ([]byte, error) { return json.Marshal(s.wire()) }

// UnmarshalJSON reads a status as the API writes it.
func (s *Status) UnmarshalJSON(b []byte) error {
	var j statusJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	out := Status{Active: j.Active, ActiveWindows: make([]Window, len(j.ActiveWindows)), RetryAfterSeconds: j.RetryAfterSeconds}
	var err error
	for i, w := range j.ActiveWindows {
		if out.ActiveWindows[i], err = w.window(); err != nil {
			return err
		}
	}
	for _, it := range [...]struct {
		from *windowJSON
		to   **Window
	}{{j.Window, &out.Window}, {j.Upcoming, &out.Upcoming}} {
		if it.from != nil {
			w, err := it.from.window()
			if err != nil {
				return err
			}
			*it.to = &w
		}
	}
	if out.Now, err = parseOptionalInstant("now", j.Now); err != nil {
		return err
	}
	if out.End, err = parseOptionalInstant("end", j.End); err != nil {
		return err
	}
	if out.Next, err = parseOptionalInstant("next", j.Next); err != nil {
		return err
	}
	*s = out
	return nil
}

// listJSON is WindowList as the server writes it.
type listJSON struct {
	Windows    []windowJSON `json:"windows"`
	NextCursor string       `json:"next_cursor,omitempty"`
}

// MarshalJSON writes l with its windows in the API's format; no windows
// is an empty array.
func (l WindowList) MarshalJSON() ([]byte, error) { return json.Marshal(l.wire()) }

// wire returns l as its JSON struct.
func (l WindowList) wire() listJSON {
	return listJSON{Windows: wireWindows(l.Windows), NextCursor: l.NextCursor}
}

// FormatInstant writes t as the API does: RFC 3339 in UTC, with
// milliseconds when t is not on a whole second ("2026-11-24T22:00:00Z",
// "2026-11-24T22:00:00.250Z"). The zero time is the empty string.
func FormatInstant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC().Truncate(time.Millisecond)
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02T15:04:05Z")
	}
	return t.Format("2006-01-02T15:04:05.000Z")
}

// ParseInstant reads an RFC 3339 instant, with any offset and any number
// of fractional digits, and returns it in UTC truncated to the
// millisecond, as the windows keep it. An instant without an offset is
// refused: it names no instant.
func ParseInstant(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("httpapi: %q is not an RFC 3339 instant", s)
	}
	return t.UTC().Truncate(time.Millisecond), nil
}

// parseOptionalInstant is ParseInstant where the empty string is the zero
// time, with the field named in the error.
func parseOptionalInstant(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("httpapi: %s: %q is not an RFC 3339 instant", field, s)
	}
	return t.UTC().Truncate(time.Millisecond), nil
}
