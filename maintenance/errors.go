package maintenance

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// Errors returned by a [Store] and the [Manager], to be checked with
// errors.Is; stores may wrap them with the operation and the ID.
var (
	// ErrNotFound means no window has the given ID.
	ErrNotFound = errors.New("maintenance: window not found")
	// ErrConflict means the window changed since it was read: the update
	// carried a stale Version and was refused.
	ErrConflict = errors.New("maintenance: window changed since it was read")
)

// Reason says what is wrong with one field of a window.
type Reason string

// The reasons a field is refused.
const (
	ReasonRequired      Reason = "is required"
	ReasonTooLong       Reason = "is longer than 250 characters"
	ReasonNotBeforeStop Reason = "is not before the stop"
	ReasonUnknown       Reason = "is not a known validity"
	ReasonNegative      Reason = "is negative"
	// ReasonOutOfRange refuses a Start or Stop before MinTime or after
	// MaxTime.
	ReasonOutOfRange Reason = "is outside the years 1 to 9999"
	// ReasonLeadTooLong refuses a Lead longer than MaxLead.
	ReasonLeadTooLong Reason = "is longer than 366 days"
	// ReasonNotText refuses a text that is not valid UTF-8 or holds a NUL
	// character, which no SQL store keeps as it is (PostgreSQL refuses
	// both).
	ReasonNotText Reason = "is not valid UTF-8 text"
)

// Field names used in a [FieldError]: the names of the Window fields.
const (
	FieldStart         = "Start"
	FieldStop          = "Stop"
	FieldComment       = "Comment"
	FieldLoginMessage  = "LoginMessage"
	FieldNotifyMessage = "NotifyMessage"
	FieldValidity      = "Validity"
	FieldLead          = "Lead"
	// FieldActor names the acting user passed to Manager.Add and Update,
	// not a Window field: the audit fields need someone.
	FieldActor = "Actor"
)

// FieldError names one bad field of a window and why it is bad.
type FieldError struct {
	Field  string
	Reason Reason
}

// ValidationError lists every bad field of a window, in field order, so a
// form can mark all of them at once. It is returned as *ValidationError;
// check it with errors.As.
type ValidationError struct {
	Fields []FieldError
}

// Error returns "maintenance: invalid window: " followed by every field and
// its reason.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("maintenance: invalid window: ")
	for i, f := range e.Fields {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.Field)
		b.WriteByte(' ')
		b.WriteString(string(f.Reason))
	}
	return b.String()
}

// Reason returns the reason field is bad, and whether it is.
func (e *ValidationError) Reason(field string) (Reason, bool) {
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Reason, true
		}
	}
	return "", false
}

func (e *ValidationError) add(field string, r Reason) {
	e.Fields = append(e.Fields, FieldError{Field: field, Reason: r})
}

// Validate checks w and returns a *ValidationError listing every bad field,
// or nil. The rules: Start and Stop are set, lie between [MinTime] and
// [MaxTime] (the years 1 to 9999, UTC), and Start is strictly before Stop;
// Comment is not blank and at most [MaxTextLen] characters; LoginMessage
// and NotifyMessage are at most MaxTextLen characters; Validity is one of
// the three; Lead is neither negative nor longer than [MaxLead].
// Lengths count characters (runes), not bytes.
func (w Window) Validate() error {
	return w.problems().err()
}

// validateBy checks w as Validate does, and that actor is not blank, at
// most MaxTextLen characters and valid text: the Manager's check before it
// writes.
func (w Window) validateBy(actor string) error {
	e := w.problems()
	switch {
	case strings.TrimSpace(actor) == "":
		e.add(FieldActor, ReasonRequired)
	case !isText(actor):
		e.add(FieldActor, ReasonNotText)
	case utf8.RuneCountInString(actor) > MaxTextLen:
		e.add(FieldActor, ReasonTooLong)
	}
	return e.err()
}

// isText reports whether s is valid UTF-8 without a NUL character.
func isText(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

// err returns e, or nil when it lists no field.
func (e *ValidationError) err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// problems lists every bad field of w.
func (w Window) problems() *ValidationError {
	e := &ValidationError{}
	switch {
	case w.Start.IsZero():
		e.add(FieldStart, ReasonRequired)
	case !inRange(w.Start):
		e.add(FieldStart, ReasonOutOfRange)
	case !w.Stop.IsZero() && inRange(w.Stop) && !w.Start.Before(w.Stop):
		e.add(FieldStart, ReasonNotBeforeStop)
	}
	switch {
	case w.Stop.IsZero():
		e.add(FieldStop, ReasonRequired)
	case !inRange(w.Stop):
		e.add(FieldStop, ReasonOutOfRange)
	}
	switch {
	case strings.TrimSpace(w.Comment) == "":
		e.add(FieldComment, ReasonRequired)
	case !isText(w.Comment):
		e.add(FieldComment, ReasonNotText)
	case utf8.RuneCountInString(w.Comment) > MaxTextLen:
		e.add(FieldComment, ReasonTooLong)
	}
	for _, f := range [...]struct{ name, text string }{
		{FieldLoginMessage, w.LoginMessage}, {FieldNotifyMessage, w.NotifyMessage},
	} {
		switch {
		case !isText(f.text):
			e.add(f.name, ReasonNotText)
		case utf8.RuneCountInString(f.text) > MaxTextLen:
			e.add(f.name, ReasonTooLong)
		}
	}
	if !w.Validity.Known() {
		e.add(FieldValidity, ReasonUnknown)
	}
	switch {
	case w.Lead < 0:
		e.add(FieldLead, ReasonNegative)
	case w.Lead > MaxLead:
		e.add(FieldLead, ReasonLeadTooLong)
	}
	return e
}
