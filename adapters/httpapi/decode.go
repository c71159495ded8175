package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sysmaint/sysmaint/maintenance"
)

// readBody reads r's body, at most h.maxBody bytes. An empty body is
// returned as nil; a body that is not empty must be JSON (Content-Type
// application/json, charset utf-8 if any) and not content-encoded.
func (h *handler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, *Problem) {
	if r.ContentLength > h.maxBody {
		return nil, h.tooLarge()
	}
	if ce := r.Header.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		return nil, problem(http.StatusUnsupportedMediaType, "Content-Encoding "+strconv.Quote(ce)+" is not supported: send the JSON as it is")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, h.tooLarge()
	case err != nil:
		return nil, malformed("the body could not be read: " + err.Error())
	case len(body) == 0:
		return nil, nil
	}
	if p := jsonContentType(r.Header.Get("Content-Type")); p != nil {
		return nil, p
	}
	return body, nil
}

// tooLarge is the 413 problem.
func (h *handler) tooLarge() *Problem {
	return problem(http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", h.maxBody))
}

// jsonContentType returns nil if ct names JSON in UTF-8, or a 415 problem.
func jsonContentType(ct string) *Problem {
	mt, params, err := mime.ParseMediaType(ct)
	if err == nil && mt == "application/json" {
		cs, ok := params["charset"]
		if len(params) == 0 || (len(params) == 1 && ok && strings.EqualFold(cs, "utf-8")) {
			return nil
		}
	}
	if ct == "" {
		ct = "none"
	} else {
		ct = strconv.Quote(ct)
	}
	return problem(http.StatusUnsupportedMediaType, "the body must be application/json (UTF-8); Content-Type is "+ct)
}

// kind is the JSON type of a request field.
type kind uint8

const (
	kString kind = iota + 1
	kBool
	kInt
	// kStrings is an array of strings.
	kStrings
	// kRecurrence is an object of recurrenceSpec's members, or null.
	kRecurrence
)

// kindName names a kind in a field error.
var kindName = map[kind]string{kString: "must be a string", kBool: "must be true or false", kInt: "must be an integer",
	kStrings: "must be an array of strings", kRecurrence: "must be an object (rule, zone, exceptions) or null"}

// fields holds the values of a decoded request object by JSON name: a
// string, a bool, an int64, a []string, or for a kRecurrence member a
// fields of its own (nil for null).
type fields map[string]any

// decodeObject reads body as one JSON object whose members are all named
// in spec with the given types. Anything else is a 400 problem listing
// every bad member: a body that is not UTF-8, not JSON or not an object,
// data after the object, a repeated member, an unknown member, a value of
// the wrong type (null included, except for an object that may be null)
// or an integer out of int64's range. The members of a nested object are
// named "outer.inner" in the errors.
func decodeObject(body []byte, spec map[string]kind) (fields, *Problem) {
	if !utf8.Valid(body) {
		return nil, malformed("the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	syntax := func(err error) *Problem {
		return malformed(fmt.Sprintf("the body is not valid JSON (at byte %d): %v", dec.InputOffset(), err))
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, syntax(err)
	}
	if tok != json.Delim('{') {
		return nil, malformed("the body must be a JSON object")
	}
	out, errs, err := decodeMembers(dec, spec, "")
	if err != nil {
		return nil, syntax(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, malformed("the body holds more than one JSON value")
	}
	if len(errs) > 0 {
		return nil, malformed("the body has bad fields: see errors", errs...)
	}
	return out, nil
}

// decodeMembers reads the members of the object whose opening brace dec
// has just read, up to and including its closing brace, as decodeObject
// says; prefix is put before the names in errors. A JSON syntax error is
// returned as err.
func decodeMembers(dec *json.Decoder, spec map[string]kind, prefix string) (out fields, errs []FieldError, err error) {
	out = fields{}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		name, _ := tok.(string) // Token returns object keys as strings
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, err
		}
		if seen[name] {
			errs = append(errs, FieldError{Field: prefix + name, Reason: "is given more than once"})
			continue
		}
		seen[name] = true
		k, ok := spec[name]
		if !ok {
			errs = append(errs, FieldError{Field: prefix + name, Reason: "is not a known field"})
			continue
		}
		if k == kRecurrence {
			v, nested, ok := decodeNested(raw, recurrenceSpec, prefix+name+".")
			if !ok {
				errs = append(errs, FieldError{Field: prefix + name, Reason: kindName[k]})
				continue
			}
			errs = append(errs, nested...)
			out[name] = v
			continue
		}
		v, ok := decodeValue(raw, k)
		if !ok {
			errs = append(errs, FieldError{Field: prefix + name, Reason: kindName[k]})
			continue
		}
		out[name] = v
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, nil, err
	}
	return out, errs, nil
}

// decodeNested reads raw, a valid JSON value, as null (a nil fields) or
// an object of spec's members, whose errors it returns; false when raw is
// neither.
func decodeNested(raw json.RawMessage, spec map[string]kind, prefix string) (fields, []FieldError, bool) {
	if string(raw) == "null" {
		return nil, nil, true
	}
	if len(raw) == 0 || raw[0] != '{' {
		return nil, nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return nil, nil, false
	}
	out, errs, err := decodeMembers(dec, spec, prefix)
	if err != nil { // not reached: raw was decoded as JSON already
		return nil, nil, false
	}
	return out, errs, true
}

// decodeValue reads raw as a value of kind k.
func decodeValue(raw json.RawMessage, k kind) (any, bool) {
	switch k {
	case kString:
		var s string
		if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
			return nil, false
		}
		return s, true
	case kBool:
		switch string(raw) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	case kInt:
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err == nil {
			return n, true
		}
	case kStrings:
		var items []json.RawMessage
		if len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
			return nil, false
		}
		out := make([]string, len(items))
		for i, item := range items {
			s, ok := decodeValue(item, kString)
			if !ok {
				return nil, false
			}
			out[i] = s.(string)
		}
		return out, true
	}
	return nil, false
}

// str, boolean and integer return the field's value and whether it was
// given.
func (f fields) str(name string) (string, bool)   { v, ok := f[name].(string); return v, ok }
func (f fields) boolean(name string) (bool, bool) { v, ok := f[name].(bool); return v, ok }
func (f fields) integer(name string) (int64, bool) {
	v, ok := f[name].(int64)
	return v, ok
}

// strings returns the field's []string and whether it was given.
func (f fields) strings(name string) ([]string, bool) { v, ok := f[name].([]string); return v, ok }

// object returns the fields of a nested object, and whether the member
// was given: nil for null.
func (f fields) object(name string) (fields, bool) {
	v, ok := f[name]
	if !ok {
		return nil, false
	}
	o, _ := v.(fields)
	return o, true
}

// windowSpec lists the members of a WindowInput.
var windowSpec = map[string]kind{
	"start": kString, "stop": kString, "comment": kString, "login_message": kString,
	"show_login_message": kBool, "notify_message": kString, "validity": kString, "lead_seconds": kInt,
	"recurrence": kRecurrence,
}

// recurrenceSpec lists the members of a Recurrence.
var recurrenceSpec = map[string]kind{"rule": kString, "zone": kString, "exceptions": kStrings}

// Reasons of the API's own field checks, beside the domain's
// (maintenance.Reason).
const (
	reasonInstant  = "is not an RFC 3339 instant with an offset, such as 2026-11-24T22:00:00Z"
	reasonValidity = "is not one of valid, invalid, invalid-temporarily"
	reasonRequired = string(maintenance.ReasonRequired)
	reasonSeconds  = "must be a whole number of seconds from 1 to 9223372036"
)

// decodeWindow reads a WindowInput body into a window and validates it as
// the Manager will. create says whether validity may be left out
// (defaulting to valid); on replace it is required. given reports whether
// the body has a "recurrence" member (null included). A well-formed body
// with bad values gives a 422 problem listing every bad field.
func decodeWindow(body []byte, create bool) (w maintenance.Window, given bool, p *Problem) {
	if body == nil {
		return maintenance.Window{}, false, malformed("a JSON object is required")
	}
	f, p := decodeObject(body, windowSpec)
	if p != nil {
		return maintenance.Window{}, false, p
	}
	var errs []FieldError
	bad := map[string]bool{}
	fail := func(field, reason string) {
		errs = append(errs, FieldError{Field: field, Reason: reason})
		bad[field] = true
	}
	for _, it := range [...]struct {
		name string
		to   *time.Time
	}{{"start", &w.Start}, {"stop", &w.Stop}} {
		if s, ok := f.str(it.name); ok {
			t, err := ParseInstant(s)
			if err != nil {
				fail(it.name, reasonInstant)
			}
			*it.to = t
		}
	}
	w.Comment, _ = f.str("comment")
	w.LoginMessage, _ = f.str("login_message")
	w.NotifyMessage, _ = f.str("notify_message")
	w.ShowLoginMessage, _ = f.boolean("show_login_message")
	switch s, ok := f.str("validity"); {
	case ok:
		v, err := maintenance.ParseValidity(s)
		if err != nil {
			fail("validity", reasonValidity)
		}
		w.Validity = v
	case create:
		w.Validity = maintenance.Valid
	default:
		fail("validity", reasonRequired)
	}
	if n, ok := f.integer("lead_seconds"); ok {
		w.Lead = secondsToLead(n)
	}
	rf, given := f.object("recurrence")
	if rf != nil {
		w.Recurrence = decodeRecurrence(rf, fail, bad)
	}
	if err := w.Normalize().Validate(); err != nil {
		var ve *maintenance.ValidationError
		if errors.As(err, &ve) {
			errs = append(errs, fieldErrors(ve, nil, bad)...)
		}
	}
	if len(errs) > 0 {
		return maintenance.Window{}, false, invalid(errs)
	}
	return w, given, nil
}

// Reasons of the recurrence's own field checks.
const (
	reasonRuleRequired = "is required: an RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=SU"
	reasonZoneRequired = "is required: an IANA time zone such as Europe/Berlin"
	// reasonKeepRecurrence refuses a replace of a recurring window whose
	// body has no "recurrence" member.
	reasonKeepRecurrence = "is required: the window recurs; send its recurrence to keep it, or null to make it happen once"
)

// decodeRecurrence reads the members of a "recurrence" object, reporting
// what is missing or malformed to fail: a missing rule or zone (an empty
// recurrence would silently make the window happen once), a rule that
// does not parse (with the parser's reason), an exception that is not an
// RFC 3339 instant. It marks in bad the fields whose error the domain's
// check would repeat.
func decodeRecurrence(f fields, fail func(field, reason string), bad map[string]bool) maintenance.Recurrence {
	var r maintenance.Recurrence
	r.Rule, _ = f.str("rule")
	r.Zone, _ = f.str("zone")
	switch _, err := maintenance.ParseRule(r.Rule); {
	case r.Rule == "":
		fail("recurrence.rule", reasonRuleRequired)
	case len(r.Rule) > maintenance.MaxRuleLen:
		fail("recurrence.rule", string(maintenance.ReasonRuleTooLong))
	case err != nil:
		fail("recurrence.rule", string(maintenance.ReasonBadRule)+": "+strings.TrimPrefix(err.Error(), maintenance.ErrBadRule.Error()+": "))
	}
	if r.Zone == "" {
		fail("recurrence.zone", reasonZoneRequired)
	}
	ex, _ := f.strings("exceptions")
	if len(ex) > maintenance.MaxExceptions {
		fail("recurrence.exceptions", string(maintenance.ReasonTooManyExceptions))
		return r
	}
	for i, s := range ex {
		t, err := ParseInstant(s)
		if err != nil {
			fail(fmt.Sprintf("recurrence.exceptions[%d]", i), reasonInstant)
			bad["recurrence.exceptions"] = true
			continue
		}
		r.Exceptions = append(r.Exceptions, t)
	}
	return r
}

// secondsToLead converts lead seconds to a Lead, clamped so that the
// domain's validation refuses what is out of its range (negative, or over
// maintenance.MaxLead) without overflowing.
func secondsToLead(n int64) time.Duration {
	switch {
	case n < 0:
		return -time.Second
	case n > int64(maintenance.MaxLead/time.Second):
		return maintenance.MaxLead + time.Second
	}
	return time.Duration(n) * time.Second
}

// downSpec lists the members of a DownInput.
var downSpec = map[string]kind{
	"for_seconds": kInt, "comment": kString, "notify_message": kString, "login_message": kString,
	"show_login_message": kBool,
}

// decodeDown reads a DownInput body: the window's texts and its length.
func decodeDown(body []byte) (maintenance.Window, time.Duration, *Problem) {
	if body == nil {
		return maintenance.Window{}, 0, malformed("a JSON object is required")
	}
	f, p := decodeObject(body, downSpec)
	if p != nil {
		return maintenance.Window{}, 0, p
	}
	w := maintenance.Window{Validity: maintenance.Valid, Comment: DefaultDownComment}
	if c, ok := f.str("comment"); ok {
		w.Comment = c
	}
	w.NotifyMessage, _ = f.str("notify_message")
	w.LoginMessage, _ = f.str("login_message")
	w.ShowLoginMessage, _ = f.boolean("show_login_message")
	d, ok := seconds(f, "for_seconds")
	if !ok {
		return maintenance.Window{}, 0, invalid([]FieldError{{Field: "for_seconds", Reason: secondsReason(f, "for_seconds")}})
	}
	return w, d, nil
}

// decodeExtend reads an ExtendInput body.
func decodeExtend(body []byte) (time.Duration, *Problem) {
	if body == nil {
		return 0, malformed("a JSON object is required")
	}
	f, p := decodeObject(body, map[string]kind{"by_seconds": kInt})
	if p != nil {
		return 0, p
	}
	d, ok := seconds(f, "by_seconds")
	if !ok {
		return 0, invalid([]FieldError{{Field: "by_seconds", Reason: secondsReason(f, "by_seconds")}})
	}
	return d, nil
}

// decodeSkip reads a SkipInput body: the occurrence to skip.
func decodeSkip(body []byte) (time.Time, *Problem) {
	if body == nil {
		return time.Time{}, malformed("a JSON object is required")
	}
	f, p := decodeObject(body, map[string]kind{"occurrence": kString})
	if p != nil {
		return time.Time{}, p
	}
	s, ok := f.str("occurrence")
	if !ok {
		return time.Time{}, invalid([]FieldError{{Field: "occurrence", Reason: reasonRequired}})
	}
	t, err := ParseInstant(s)
	if err != nil {
		return time.Time{}, invalid([]FieldError{{Field: "occurrence", Reason: reasonInstant}})
	}
	return t, nil
}

// decodeMove reads the body of POST /windows/{id}/move ([MoveInput]):
// three required instants, each refused by name.
func decodeMove(body []byte) (in MoveInput, p *Problem) {
	if body == nil {
		return in, malformed("a JSON object is required")
	}
	f, p := decodeObject(body, map[string]kind{"occurrence": kString, "start": kString, "stop": kString})
	if p != nil {
		return in, p
	}
	var errs []FieldError
	for _, it := range []struct {
		name string
		to   *time.Time
	}{{"occurrence", &in.Occurrence}, {"start", &in.Start}, {"stop", &in.Stop}} {
		s, ok := f.str(it.name)
		if !ok {
			errs = append(errs, FieldError{Field: it.name, Reason: reasonRequired})
			continue
		}
		t, err := ParseInstant(s)
		if err != nil {
			errs = append(errs, FieldError{Field: it.name, Reason: reasonInstant})
			continue
		}
		*it.to = t
	}
	if errs != nil {
		return MoveInput{}, invalid(errs)
	}
	return in, nil
}

// decodeEmpty accepts an empty body or an empty JSON object: the body of
// an action that takes no parameters.
func decodeEmpty(body []byte) *Problem {
	if body == nil {
		return nil
	}
	_, p := decodeObject(body, nil)
	return p
}

// seconds returns the duration of a required *_seconds field, which must
// lie in 1..MaxSeconds.
func seconds(f fields, name string) (time.Duration, bool) {
	n, ok := f.integer(name)
	if !ok || n < 1 || n > MaxSeconds {
		return 0, false
	}
	return time.Duration(n) * time.Second, true
}

// secondsReason says why a *_seconds field was refused.
func secondsReason(f fields, name string) string {
	if _, ok := f.integer(name); !ok {
		return reasonRequired
	}
	return reasonSeconds
}
