package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
)

// usageError is a bad command line: exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// usagef returns a usageError.
func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// fieldsError is a window the backend refused as invalid, each bad field
// by its JSON name: exit 2.
type fieldsError []httpapi.FieldError

func (e fieldsError) Error() string { return e.describe(nil) }

// describe lists the bad fields, each with the flag that sets it.
func (e fieldsError) describe(flags map[string]string) string {
	parts := make([]string, len(e))
	for i, f := range e {
		name := f.Field
		if fl, ok := flags[f.Field]; ok {
			name += " (" + fl + ")"
		}
		parts[i] = name + " " + f.Reason
	}
	return "the window would not be valid: " + strings.Join(parts, "; ")
}

// notFoundError says no window has the ID: exit 5.
type notFoundError struct{ id int64 }

func (e notFoundError) Error() string { return fmt.Sprintf("no window has the ID %d", e.id) }

// conflictError says the window's state or version does not allow the
// action: exit 6.
type conflictError struct{ msg string }

func (e conflictError) Error() string { return e.msg }

// defaultFieldFlags maps the API's field names to the flags that set them;
// commands override it where another flag sets the field.
var defaultFieldFlags = map[string]string{
	"start": "--at", "stop": "--for", "for_seconds": "--for", "by_seconds": "--by",
	"comment": "--comment", "notify_message": "--notify", "login_message": "--login-message",
	"lead_seconds": "--lead", "actor": "--actor",
}

// explain returns the exit code of err and the message to show; flags
// maps field names to flags.
func explain(err error, flags map[string]string) (int, string) {
	var (
		usage    usageError
		fields   fieldsError
		notFound notFoundError
		conflict conflictError
	)
	switch {
	case errors.As(err, &usage):
		return exitUsage, usage.msg
	case errors.As(err, &fields):
		return exitUsage, fields.describe(flags)
	case errors.As(err, &notFound):
		return exitNotFound, notFound.Error()
	case errors.As(err, &conflict):
		return exitConflict, conflict.msg
	case errors.Is(err, context.DeadlineExceeded):
		return exitFailure, "gave up: " + err.Error() + " (see --timeout)"
	}
	return exitFailure, err.Error()
}
