package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/sysmaint/sysmaint/maintenance"
)

// Problem types of the API's answers (RFC 9457 "type" members). The
// statuses whose meaning HTTP says in full (401, 403, 404, 405, 412, 413,
// 415, 428, 500, 503) use "about:blank" and the status phrase as title.
const (
	// TypeMalformed: the request is not what the API reads (400): a body
	// that is not one JSON object, an unknown or repeated field, a value
	// of the wrong JSON type, a bad query parameter or If-Match header.
	TypeMalformed = "urn:sysmaint:problem:malformed-request"
	// TypeInvalid: the request is well formed but the window it makes is
	// not valid (422); Errors lists every bad field.
	TypeInvalid = "urn:sysmaint:problem:invalid-window"
	// TypeConflict: the action does not fit the window's state, or the
	// window kept changing under the action (409).
	TypeConflict = "urn:sysmaint:problem:conflict"
	// TypeBlank is the type of the other problems.
	TypeBlank = "about:blank"
)

// Problem is an RFC 9457 problem detail, the body of every answer with a
// status of 400 or more (Content-Type application/problem+json). The
// [Client] returns it as its error.
type Problem struct {
	// Type identifies the kind of problem ("type"): one of the Type
	// constants.
	Type string `json:"type"`
	// Title is a short summary of the kind ("title").
	Title string `json:"title"`
	// Status is the HTTP status ("status").
	Status int `json:"status"`
	// Detail says what is wrong with this request ("detail").
	Detail string `json:"detail,omitempty"`
	// Errors lists every bad field or parameter, in the wire naming
	// ("errors"); empty unless Type is TypeMalformed or TypeInvalid.
	Errors []FieldError `json:"errors,omitempty"`
}

// FieldError names one bad field of a request body (by its JSON name), or
// one bad query parameter or header, and says why it is bad.
type FieldError struct {
	// Field is the JSON name of the field, the query parameter or the
	// header ("field").
	Field string `json:"field"`
	// Reason says what is wrong ("reason"), e.g. "is required".
	Reason string `json:"reason"`
}

// Error returns "httpapi: STATUS TITLE: DETAIL", and every field error.
func (p *Problem) Error() string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "httpapi: %d %s", p.Status, p.Title)
	if p.Detail != "" {
		b.WriteString(": ")
		b.WriteString(p.Detail)
	}
	for i, f := range p.Errors {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field)
		b.WriteByte(' ')
		b.WriteString(f.Reason)
	}
	return b.String()
}

// problem returns a Problem of a status whose meaning HTTP says in full.
func problem(status int, detail string) *Problem {
	return &Problem{Type: TypeBlank, Title: http.StatusText(status), Status: status, Detail: detail}
}

// malformed returns a 400 problem.
func malformed(detail string, errs ...FieldError) *Problem {
	return &Problem{Type: TypeMalformed, Title: "Malformed request", Status: http.StatusBadRequest, Detail: detail, Errors: errs}
}

// invalid returns a 422 problem listing errs.
func invalid(errs []FieldError) *Problem {
	return &Problem{Type: TypeInvalid, Title: "Invalid window", Status: http.StatusUnprocessableEntity,
		Detail: "the window is not valid: see errors", Errors: errs}
}

// conflict returns a 409 problem.
func conflict(detail string) *Problem {
	return &Problem{Type: TypeConflict, Title: "Conflict", Status: http.StatusConflict, Detail: detail}
}

// writeProblem sends p. Nothing has been written to w before.
func writeProblem(w http.ResponseWriter, p *Problem) {
	body, err := json.Marshal(p)
	if err != nil { // a Problem always marshals
		panic("httpapi: marshal problem: " + err.Error())
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Length", strconv.Itoa(len(body)+1))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	_, _ = w.Write(append(body, '\n'))
}

// wireField maps the domain's field names to the JSON names.
var wireField = map[string]string{
	maintenance.FieldStart:         "start",
	maintenance.FieldStop:          "stop",
	maintenance.FieldComment:       "comment",
	maintenance.FieldLoginMessage:  "login_message",
	maintenance.FieldNotifyMessage: "notify_message",
	maintenance.FieldValidity:      "validity",
	maintenance.FieldLead:          "lead_seconds",
	maintenance.FieldRecurrence:    "recurrence.rule",
	maintenance.FieldZone:          "recurrence.zone",
	maintenance.FieldExceptions:    "recurrence.exceptions",
	maintenance.FieldActor:         "actor",
}

// fieldErrors returns the errors of ve in the wire naming; rename maps a
// domain field to another JSON name for requests that do not carry the
// field itself (POST /windows/{id}/extend reports Stop as by_seconds).
// Fields in skip (JSON names) are left out: they already have an error.
func fieldErrors(ve *maintenance.ValidationError, rename map[string]string, skip map[string]bool) []FieldError {
	out := make([]FieldError, 0, len(ve.Fields))
	for _, f := range ve.Fields {
		name, ok := rename[f.Field]
		if !ok {
			name, ok = wireField[f.Field]
		}
		if !ok {
			name = f.Field
		}
		if skip[name] {
			continue
		}
		out = append(out, FieldError{Field: name, Reason: string(f.Reason)})
	}
	return out
}

// problemFor maps an error of the Manager to a problem: a
// *maintenance.ValidationError to 422, ErrNotFound to 404, ErrConflict to
// 412 (the caller named a version) and anything else, a store failure, to
// 503, logged.
func (h *handler) problemFor(ctx context.Context, err error, rename map[string]string) *Problem {
	var ve *maintenance.ValidationError
	switch {
	case errors.As(err, &ve):
		return invalid(fieldErrors(ve, rename, nil))
	case errors.Is(err, maintenance.ErrNotFound):
		return problem(http.StatusNotFound, "no such window")
	case errors.Is(err, maintenance.ErrConflict):
		return problem(http.StatusPreconditionFailed, "the window changed since that version")
	}
	if ctx.Err() == nil {
		h.logger.Error("httpapi: store failed", "err", err)
	}
	return problem(http.StatusServiceUnavailable, "the store failed; try again later")
}
