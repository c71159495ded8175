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
	// ReasonBadRule refuses a recurrence rule that ParseRule refuses; its
	// error says why.
	ReasonBadRule Reason = "is not a supported RFC 5545 RRULE"
	// ReasonRuleTooLong refuses a rule longer than MaxRuleLen.
	ReasonRuleTooLong Reason = "is longer than 500 bytes"
	// ReasonUnknownZone refuses a zone LoadZone cannot load.
	ReasonUnknownZone Reason = "is not a known IANA time zone"
	// ReasonNoOccurrence refuses a rule that has no occurrence from Start
	// on.
	ReasonNoOccurrence Reason = "has no occurrence"
	// ReasonNotAnOccurrence refuses a recurring window's Start that is not
	// the first occurrence of its rule (see Window.Align), and an exception
	// that is not an occurrence.
	ReasonNotAnOccurrence Reason = "is not an occurrence of the rule"
	// ReasonNotWholeSecond refuses a recurring window's Start or Stop that
	// is not on a whole second, as RFC 5545 times are.
	ReasonNotWholeSecond Reason = "is not on a whole second"
	// ReasonOccurrenceTooLong refuses a recurring window whose Stop is
	// more than MaxOccurrenceLength after its Start.
	ReasonOccurrenceTooLong Reason = "is more than 366 days after the start"
	// ReasonTooManyExceptions refuses more than MaxExceptions exceptions.
	ReasonTooManyExceptions Reason = "holds more than 1000 exceptions"
	// ReasonIsOccurrence refuses a window with Occurrence set: one
	// occurrence of a recurring window, as a Schedule reports it, is not
	// stored.
	ReasonIsOccurrence Reason = "is set: an occurrence is not stored; change its recurring window"
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
	// FieldRecurrence names the recurrence rule, Window.Recurrence.Rule.
	FieldRecurrence = "Recurrence.Rule"
	// FieldZone names the recurrence's zone, Window.Recurrence.Zone.
	FieldZone = "Recurrence.Zone"
	// FieldExceptions names the recurrence's exceptions,
	// Window.Recurrence.Exceptions.
	FieldExceptions = "Recurrence.Exceptions"
	// FieldOccurrence names Window.Occurrence, set only on the windows a
	// Schedule reports, and the occurrence that Manager.MoveOccurrence is
	// asked to move.
	FieldOccurrence = "Occurrence"
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
// the three; Lead is neither negative nor longer than [MaxLead];
// Occurrence is zero. Lengths count characters (runes), not bytes.
//
// A recurring window (a Recurrence that is not zero) also needs: a Rule
// that [ParseRule] accepts ([FieldRecurrence]) and that has an occurrence;
// a Zone that [LoadZone] loads ([FieldZone]); Start and Stop on whole
// seconds, Stop at most [MaxOccurrenceLength] after Start, and Start the
// first occurrence of the rule ([ReasonNotAnOccurrence]: a Start on a day
// the rule does not select, or the second of two instants with the same
// wall-clock time, where the rule takes the first; see [Window.Align]); at
// most [MaxExceptions] Exceptions, each an occurrence ([FieldExceptions]).
// A rule with no occurrence at all costs up to some 0.1 s to refuse: it
// is searched to the year 9999.
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
	rp := w.recurrenceProblems()
	switch {
	case w.Start.IsZero():
		e.add(FieldStart, ReasonRequired)
	case !inRange(w.Start):
		e.add(FieldStart, ReasonOutOfRange)
	case !w.Stop.IsZero() && inRange(w.Stop) && !w.Start.Before(w.Stop):
		e.add(FieldStart, ReasonNotBeforeStop)
	case rp.start != "":
		e.add(FieldStart, rp.start)
	}
	switch {
	case w.Stop.IsZero():
		e.add(FieldStop, ReasonRequired)
	case !inRange(w.Stop):
		e.add(FieldStop, ReasonOutOfRange)
	case rp.stop != "":
		e.add(FieldStop, rp.stop)
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
	for _, f := range [...]struct {
		name   string
		reason Reason
	}{{FieldRecurrence, rp.rule}, {FieldZone, rp.zone}, {FieldExceptions, rp.exceptions}} {
		if f.reason != "" {
			e.add(f.name, f.reason)
		}
	}
	if !w.Occurrence.IsZero() {
		e.add(FieldOccurrence, ReasonIsOccurrence)
	}
	return e
}

// recurrenceReasons are the problems of a window's recurrence, by field;
// empty where there is none.
type recurrenceReasons struct {
	start, stop, rule, zone, exceptions Reason
}

// recurrenceProblems checks w's recurrence: the rule parses, the zone
// loads, the exceptions are few enough and in range; and, when those and
// Start and Stop are otherwise fine, that the window can be expanded (see
// newSeries), that the rule has an occurrence, that the first is Start
// and that every exception is one.
func (w Window) recurrenceProblems() recurrenceReasons {
	var p recurrenceReasons
	r := w.Recurrence
	if r.IsZero() {
		return p
	}
	switch {
	case r.Rule == "":
		p.rule = ReasonRequired
	case len(r.Rule) > MaxRuleLen:
		p.rule = ReasonRuleTooLong
	default:
		if _, err := ParseRule(r.Rule); err != nil {
			p.rule = ReasonBadRule
		}
	}
	if r.Zone == "" {
		p.zone = ReasonRequired
	} else if _, ok := LoadZone(r.Zone); !ok {
		p.zone = ReasonUnknownZone
	}
	if len(r.Exceptions) > MaxExceptions {
		p.exceptions = ReasonTooManyExceptions
	}
	for _, t := range r.Exceptions {
		if p.exceptions != "" {
			break
		}
		switch {
		case t.IsZero():
			p.exceptions = ReasonRequired
		case !inRange(t):
			p.exceptions = ReasonOutOfRange
		}
	}
	if p.rule != "" || p.zone != "" || w.Start.IsZero() || w.Stop.IsZero() ||
		!inRange(w.Start) || !inRange(w.Stop) || !w.Start.Before(w.Stop) {
		return p
	}
	sr, bad := newSeries(w)
	if bad != nil {
		switch bad.field {
		case FieldStart:
			p.start = bad.reason
		case FieldStop:
			p.stop = bad.reason
		}
		return p
	}
	res := &resolver{loc: sr.loc}
	first, ok := sr.first(res)
	switch {
	case !ok:
		p.rule = ReasonNoOccurrence
		return p
	case first != unixMS(w.Start):
		p.start = ReasonNotAnOccurrence
		return p
	}
	for _, t := range r.Exceptions {
		if p.exceptions != "" {
			break
		}
		if _, ok := sr.occursAt(res, unixMS(t)); !ok {
			p.exceptions = ReasonNotAnOccurrence
		}
	}
	return p
}
