package adminui

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sysmaint/sysmaint/maintenance"
)

// The names of the window form's fields, as the form posts them and as
// FormErrors.Fields keys them. Each date is posted as five selects named
// <Date>Day, <Date>Month, <Date>Year, <Date>Hour and <Date>Minute, and a
// hidden field <Date>Exact (see ParseWindowForm).
const (
	FormStartDate        = "StartDate"
	FormStopDate         = "StopDate"
	FormComment          = "Comment"
	FormLoginMessage     = "LoginMessage"
	FormShowLoginMessage = "ShowLoginMessage"
	FormNotifyMessage    = "NotifyMessage"
	FormValidID          = "ValidID"
	FormVersion          = "Version"
)

// dateParts are the suffixes of a date's five selects, in display order.
var dateParts = []string{"Day", "Month", "Year", "Hour", "Minute"}

// exactSuffix names a date's hidden field that carries its exact instant,
// in RFC 3339 (UTC, with the fraction of a second when there is one).
const exactSuffix = "Exact"

// maxExactLen bounds the <Date>Exact field: RFC 3339 with nanoseconds and
// an offset is 35 bytes.
const maxExactLen = 40

// The messages of the window form (Znuny's, with its "less then" fixed),
// in English: the screens translate them with Options.Translator.
const (
	MsgRequired        = "This field is required."
	MsgTooLong         = "This field must have at most 250 characters."
	MsgDateInvalid     = "Date invalid!"
	MsgDateNotExist    = "This local time does not exist in your time zone (daylight saving time change)."
	MsgDateAmbiguous   = "This local time occurs twice in your time zone (daylight saving time change); pick another minute."
	MsgUnknownValidity = "This field has an unknown value."
	MsgInvalidChars    = "This field contains characters that are not allowed."
	MsgStartAfterStop  = "Start date shouldn't be defined after Stop date!"
	MsgConflict        = "Someone else changed this system maintenance since you opened it. Your changes were not saved: load the current version."
	MsgNotSaved        = "The system maintenance could not be saved."
)

// FormErrors are the problems of a submitted window form: a message per
// bad field (keyed by the Form* names) and a message for the whole form.
type FormErrors struct {
	Fields  map[string]string
	Message string
}

// OK reports whether there are no errors.
func (e FormErrors) OK() bool { return len(e.Fields) == 0 && e.Message == "" }

func (e *FormErrors) add(field, msg string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, dup := e.Fields[field]; !dup {
		e.Fields[field] = msg
	}
}

// Year bounds accepted by the form.
const (
	minFormYear = 1970
	maxFormYear = 9999
)

// ParseWindowForm reads a window from the posted form f, whose dates are
// wall-clock times in loc. It returns every problem at once; when there is
// none, the window has Start and Stop in UTC, passes Window.Validate and
// carries the posted Version (0 when absent or malformed, which an update
// refuses as stale). Local times that do not exist or that are ambiguous in
// loc (daylight-saving changes) are field errors: they are never shifted.
//
// The selects show a date to the minute. A window written elsewhere (the
// API, another tool) may start or stop at any millisecond, or at a local
// time that occurs twice; FormatWindowForm puts its exact instant in the
// hidden <Date>Exact field, and as long as the selects still show the
// minute of that instant in loc, the instant is kept as it is. Opening and
// saving a form therefore never moves a window. Once the selects name
// another minute, the date is that minute, at second zero. An exact instant
// outside the selected minute, or one that does not parse, is ignored.
//
// Line breaks in the messages are normalized to "\n" (browsers post
// textareas with "\r\n"), and the comment is trimmed; lengths are counted
// in characters after that.
//
// The repeat fields (FormRepeat and the others named FormRepeat...) make
// the window recur: weekly on chosen days, monthly on the n-th weekday or
// on a day of the month, every N weeks or months, ending never, after a
// date or after a number of occurrences; or as an RFC 5545 rule
// (RepeatCustom). The rule runs in the zone of the hidden FormRepeatZone,
// else in loc, which must then be an IANA zone (a fixed offset cannot
// repeat: a field error). The start is then moved to the rule's first
// occurrence on or after the date the selects show, at the same
// wall-clock time (Window.Align), and the stop with it. The window has no
// exceptions: the form does not edit them.
func ParseWindowForm(f url.Values, loc *time.Location) (maintenance.Window, FormErrors) {
	var errs FormErrors
	var w maintenance.Window

	start, okStart := parseFormDate(f, FormStartDate, loc, &errs)
	stop, okStop := parseFormDate(f, FormStopDate, loc, &errs)
	if okStart && okStop && !start.Before(stop) {
		errs.Message = MsgStartAfterStop
		errs.add(FormStartDate, MsgStartAfterStop)
	}
	w.Start, w.Stop = start, stop

	w.Comment = strings.TrimSpace(f.Get(FormComment))
	switch {
	case !utf8.ValidString(w.Comment) || strings.IndexFunc(w.Comment, unicode.IsControl) >= 0:
		errs.add(FormComment, MsgInvalidChars)
	case w.Comment == "":
		errs.add(FormComment, MsgRequired)
	case utf8.RuneCountInString(w.Comment) > maintenance.MaxTextLen:
		errs.add(FormComment, MsgTooLong)
	}
	w.LoginMessage = parseMessage(f, FormLoginMessage, &errs)
	w.NotifyMessage = parseMessage(f, FormNotifyMessage, &errs)
	w.ShowLoginMessage = f.Get(FormShowLoginMessage) != ""

	switch v := f.Get(FormValidID); v {
	case "":
		errs.add(FormValidID, MsgRequired)
	default:
		n, err := strconv.Atoi(v)
		if err != nil || !maintenance.Validity(n).Known() || strconv.Itoa(n) != v {
			errs.add(FormValidID, MsgUnknownValidity)
		} else {
			w.Validity = maintenance.Validity(n)
		}
	}
	if v, err := strconv.ParseInt(f.Get(FormVersion), 10, 64); err == nil && v > 0 {
		w.Version = v
	}
	rec := parseRepeat(f, loc, &errs)
	if !errs.OK() {
		return maintenance.Window{}, errs
	}
	if !rec.IsZero() {
		w.Recurrence = rec
		if w = alignRecurring(w, f.Get(FormRepeat), &errs); !errs.OK() {
			return maintenance.Window{}, errs
		}
	}
	return w, errs
}

// alignRecurring moves the start of the recurring window w to its rule's
// first occurrence (Window.Align) and checks what the rule needs of the
// window, adding the problems to errs; kind is the FormRepeat value.
func alignRecurring(w maintenance.Window, kind string, errs *FormErrors) maintenance.Window {
	if w.Start.Nanosecond() != 0 {
		errs.add(FormStartDate, MsgRepeatWholeSecond)
	}
	if w.Stop.Nanosecond() != 0 {
		errs.add(FormStopDate, MsgRepeatWholeSecond)
	}
	if !errs.OK() {
		return w
	}
	aligned, err := w.Align()
	if err == nil {
		err = aligned.Validate()
	}
	var verr *maintenance.ValidationError
	if errors.As(err, &verr) {
		for _, fe := range verr.Fields {
			switch {
			case fe.Field == maintenance.FieldStop && fe.Reason == maintenance.ReasonOccurrenceTooLong:
				errs.add(FormStopDate, MsgRepeatTooLong)
			case fe.Field == maintenance.FieldZone:
				errs.add(FormRepeat, MsgRepeatUnknownZone)
			case fe.Field == maintenance.FieldRecurrence && fe.Reason == maintenance.ReasonNoOccurrence:
				errs.add(FormRepeat, MsgRepeatNoOccurrence)
			case fe.Field == maintenance.FieldRecurrence && kind == RepeatCustom:
				errs.add(FormRepeatRule, MsgRepeatRule)
			case fe.Field == maintenance.FieldStart:
				errs.add(FormStartDate, MsgDateInvalid)
			case fe.Field == maintenance.FieldStop:
				errs.add(FormStopDate, MsgDateInvalid)
			default:
				errs.add(FormRepeat, MsgRepeatRule)
			}
		}
		return w
	}
	return aligned
}

// parseMessage reads a login or notify message: optional, at most
// MaxTextLen characters.
func parseMessage(f url.Values, field string, errs *FormErrors) string {
	s := strings.ReplaceAll(f.Get(field), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	switch {
	case !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' && r != '\t'
	}) >= 0:
		errs.add(field, MsgInvalidChars)
	case utf8.RuneCountInString(s) > maintenance.MaxTextLen:
		errs.add(field, MsgTooLong)
	}
	return s
}

// parseFormDate reads the five selects of the date named name as a wall-clock
// time in loc, at minute precision, or the exact instant of its hidden
// field when that falls in the selected minute, and returns it in UTC.
func parseFormDate(f url.Values, name string, loc *time.Location, errs *FormErrors) (time.Time, bool) {
	var n [5]int
	for i, part := range dateParts {
		v, ok := parseDigits(f.Get(name + part))
		if !ok {
			errs.add(name, MsgDateInvalid)
			return time.Time{}, false
		}
		n[i] = v
	}
	day, month, year, hour, minute := n[0], n[1], n[2], n[3], n[4]
	if year < minFormYear || year > maxFormYear || month < 1 || month > 12 || day < 1 ||
		day > daysIn(time.Month(month), year) || hour > 23 || minute > 59 {
		errs.add(name, MsgDateInvalid)
		return time.Time{}, false
	}
	if t, ok := exactInstant(f.Get(name+exactSuffix), loc, year, time.Month(month), day, hour, minute); ok {
		return t, true
	}
	t, msg := localTime(year, time.Month(month), day, hour, minute, loc)
	if msg != "" {
		errs.add(name, msg)
		return time.Time{}, false
	}
	return t.UTC(), true
}

// exactInstant parses s, a date's hidden exact instant, and returns it in
// UTC when its wall clock in loc falls in the given minute.
func exactInstant(s string, loc *time.Location, year int, month time.Month, day, hour, minute int) (time.Time, bool) {
	if s == "" || len(s) > maxExactLen {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	l := t.In(loc)
	if l.Year() != year || l.Month() != month || l.Day() != day || l.Hour() != hour || l.Minute() != minute {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// parseDigits parses 1 to 4 ASCII digits.
func parseDigits(s string) (int, bool) {
	if len(s) == 0 || len(s) > 4 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// localTime returns the single instant whose wall clock in loc is the given
// date and time. When there is none (the clocks jump over it) or there are
// two (the clocks fall back over it), it returns a message instead:
// time.Date would silently pick one.
func localTime(year int, month time.Month, day, hour, minute int, loc *time.Location) (time.Time, string) {
	found := maintenance.WallInstants(time.Date(year, month, day, hour, minute, 0, 0, time.UTC), loc)
	switch len(found) {
	case 0:
		return time.Time{}, MsgDateNotExist
	case 1:
		return found[0], ""
	default:
		return time.Time{}, MsgDateAmbiguous
	}
}

// FormatWindowForm returns the form values that show w, with its dates in
// loc, and their exact instants in the hidden <Date>Exact fields: the
// inverse of ParseWindowForm. A recurring window's rule is shown in the
// repeat fields (as RepeatCustom when they cannot say it exactly) and its
// zone kept in FormRepeatZone; its exceptions are not shown.
func FormatWindowForm(w maintenance.Window, loc *time.Location) url.Values {
	f := url.Values{}
	setFormDate(f, FormStartDate, w.Start.In(loc))
	setFormDate(f, FormStopDate, w.Stop.In(loc))
	f.Set(FormComment, w.Comment)
	f.Set(FormLoginMessage, w.LoginMessage)
	if w.ShowLoginMessage {
		f.Set(FormShowLoginMessage, "1")
	}
	f.Set(FormNotifyMessage, w.NotifyMessage)
	f.Set(FormValidID, strconv.Itoa(int(w.Validity)))
	if w.Version > 0 {
		f.Set(FormVersion, strconv.FormatInt(w.Version, 10))
	}
	formatRepeat(f, w, loc)
	return f
}

func setFormDate(f url.Values, name string, t time.Time) {
	f.Set(name+"Day", pad2(t.Day()))
	f.Set(name+"Month", pad2(int(t.Month())))
	f.Set(name+"Year", strconv.Itoa(t.Year()))
	f.Set(name+"Hour", pad2(t.Hour()))
	f.Set(name+"Minute", pad2(t.Minute()))
	f.Set(name+exactSuffix, t.UTC().Format(time.RFC3339Nano))
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
