package session

import (
	"errors"
	"strconv"
	"strings"
)

// Errors returned by a [Store] and the [Manager], to be checked with
// errors.Is; stores wrap them with the operation and the session ID.
var (
	// ErrNotFound means no session has the given ID.
	ErrNotFound = errors.New("session: session not found")
	// ErrExists means a session with the given ID is already stored.
	ErrExists = errors.New("session: session already exists")
	// ErrInvalid means a session cannot be stored; see [Session.Validate].
	// The error is a *[ValidationError] naming the bad fields.
	ErrInvalid = errors.New("session: invalid session")
	// ErrNoOwnSession means "end all sessions except your own" was asked
	// without the caller's own session ID. Nothing is ended: an empty ID
	// would otherwise end every session, the caller's own included
	// (Znuny's behaviour).
	ErrNoOwnSession = errors.New("session: own session ID is required")
)

// Reason says what is wrong with one field of a session.
type Reason string

// The reasons a field is refused.
const (
	ReasonRequired      Reason = "is empty"
	ReasonTooLong       Reason = "is too long"
	ReasonNotText       Reason = "is not valid UTF-8 text" // invalid UTF-8, or a NUL character
	ReasonUnknownKind   Reason = "is not a known kind"
	ReasonCustomerAdmin Reason = "is set on a customer session"
	ReasonOutOfRange    Reason = "is outside the years 1 to 9999"
)

// Field names used in a [FieldError]: the names of the Session fields.
const (
	FieldID            = "ID"
	FieldKind          = "Kind"
	FieldUserLogin     = "UserLogin"
	FieldUserFullName  = "UserFullName"
	FieldAdmin         = "Admin"
	FieldRemoteAddr    = "RemoteAddr"
	FieldUserAgent     = "UserAgent"
	FieldCreatedAt     = "CreatedAt"
	FieldLastRequestAt = "LastRequestAt"
)

// FieldError names one bad field of a session and why it is bad.
type FieldError struct {
	Field  string
	Reason Reason
}

// ValidationError lists every bad field of a session, in field order. It
// wraps [ErrInvalid], so errors.Is(err, ErrInvalid) holds; errors.As gives
// the fields.
type ValidationError struct {
	// ID is the session's ID, possibly itself the bad field.
	ID     string
	Fields []FieldError
}

// maxQuotedID is the most bytes of an ID that Error quotes: an over-long
// ID is itself the problem, and must not flood a log.
const maxQuotedID = 64

// Error returns `session: invalid session "ID": ` followed by every field
// and its reason, the limit of a field that is too long included. An ID
// longer than 64 bytes is quoted in part.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(ErrInvalid.Error())
	b.WriteByte(' ')
	if len(e.ID) > maxQuotedID {
		b.WriteString(strconv.Quote(e.ID[:cut(e.ID, maxQuotedID)]))
		b.WriteString("...")
	} else {
		b.WriteString(strconv.Quote(e.ID))
	}
	b.WriteString(": ")
	for i, f := range e.Fields {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.Field)
		b.WriteByte(' ')
		b.WriteString(string(f.Reason))
		if n := maxLen(f.Field); f.Reason == ReasonTooLong && n > 0 {
			b.WriteString(" (over ")
			b.WriteString(strconv.Itoa(n))
			b.WriteString(" bytes)")
		}
	}
	return b.String()
}

// Unwrap returns ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

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

// err returns e, or nil when it lists no field.
func (e *ValidationError) err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// maxLen returns the limit of a text field, 0 for other fields.
func maxLen(field string) int {
	switch field {
	case FieldID:
		return MaxIDLen
	case FieldUserLogin:
		return MaxUserLoginLen
	case FieldUserFullName:
		return MaxUserFullNameLen
	case FieldRemoteAddr:
		return MaxRemoteAddrLen
	case FieldUserAgent:
		return MaxUserAgentLen
	}
	return 0
}
