package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/maintenance"
)

// dbBackend is the backend of --db: a Manager over the host's store. Its
// actions are the Manager's, as the API's are (see package httpapi), with
// the time of the Manager's clock and changes stamped by actor.
type dbBackend struct {
	m     *maintenance.Manager
	actor string
}

// now is the Manager's time.
func (d *dbBackend) now() time.Time { return d.m.Clock().Now() }

// wire returns w in the API's form, its state taken now.
func (d *dbBackend) wire(w maintenance.Window) httpapi.Window { return httpapi.NewWindow(w, d.now()) }

// Down adds a valid window from now for in.ForSeconds, as POST /down does.
func (d *dbBackend) Down(ctx context.Context, in httpapi.DownInput) (httpapi.Window, error) {
	w, err := d.m.StartNow(ctx, maintenance.Window{
		Comment: cmp.Or(in.Comment, httpapi.DefaultDownComment), NotifyMessage: in.NotifyMessage,
		LoginMessage: in.LoginMessage, ShowLoginMessage: in.ShowLoginMessage, Validity: maintenance.Valid,
	}, time.Duration(in.ForSeconds)*time.Second, d.actor)
	if err != nil {
		return httpapi.Window{}, d.fail(0, 0, err, "for_seconds")
	}
	return d.wire(w), nil
}

// Create adds the window in describes, valid unless it says otherwise.
func (d *dbBackend) Create(ctx context.Context, in httpapi.WindowInput) (httpapi.Window, error) {
	v, err := maintenance.ParseValidity(cmp.Or(in.Validity, maintenance.Valid.String()))
	if err != nil {
		return httpapi.Window{}, fieldsError{{Field: "validity", Reason: err.Error()}}
	}
	w, err := d.m.Add(ctx, maintenance.Window{
		Start: in.Start, Stop: in.Stop, Comment: in.Comment, NotifyMessage: in.NotifyMessage,
		LoginMessage: in.LoginMessage, ShowLoginMessage: in.ShowLoginMessage, Validity: v,
		Lead: time.Duration(in.LeadSeconds) * time.Second,
	}, d.actor)
	if err != nil {
		return httpapi.Window{}, d.fail(0, 0, err, "")
	}
	return d.wire(w), nil
}

// ListAll returns the windows opts selects, as GET /windows filters them.
func (d *dbBackend) ListAll(ctx context.Context, opts httpapi.ListOptions) ([]httpapi.Window, error) {
	var validity []maintenance.Validity
	for _, s := range opts.Validity {
		v, err := maintenance.ParseValidity(s)
		if err != nil {
			return nil, usagef("--validity: %v", err)
		}
		validity = append(validity, v)
	}
	ws, err := d.m.List(ctx, validity...)
	if err != nil {
		return nil, err
	}
	now := d.now()
	out := []httpapi.Window{}
	for _, w := range ws {
		hw := httpapi.NewWindow(w, now)
		if (len(opts.State) == 0 || slices.Contains(opts.State, hw.State)) &&
			(opts.From.IsZero() || w.Stop.After(opts.From)) && (opts.To.IsZero() || w.Start.Before(opts.To)) {
			out = append(out, hw)
		}
	}
	return out, nil
}

// Get returns window id.
func (d *dbBackend) Get(ctx context.Context, id int64) (httpapi.Window, error) {
	w, err := d.m.Get(ctx, id)
	if err != nil {
		return httpapi.Window{}, d.fail(id, 0, err, "")
	}
	return d.wire(w), nil
}

// End stops window id now (Manager.End).
func (d *dbBackend) End(ctx context.Context, id, version int64) (httpapi.Window, error) {
	w, err := d.m.End(ctx, id, version, d.actor)
	return d.result(id, version, w, err, "")
}

// Extend moves window id's stop later by by (Manager.Extend).
func (d *dbBackend) Extend(ctx context.Context, id int64, by time.Duration, version int64) (httpapi.Window, error) {
	w, err := d.m.Extend(ctx, id, version, by, d.actor)
	return d.result(id, version, w, err, "by_seconds")
}

// Cancel makes window id invalid; an invalid one is left as it is
// (Manager.Cancel).
func (d *dbBackend) Cancel(ctx context.Context, id, version int64) (httpapi.Window, error) {
	w, err := d.m.Cancel(ctx, id, version, d.actor)
	return d.result(id, version, w, err, "")
}

// Up ends every valid window active now (Manager.EndAll).
func (d *dbBackend) Up(ctx context.Context) ([]httpapi.Window, error) {
	ws, err := d.m.EndAll(ctx, d.actor)
	if err != nil {
		return nil, d.fail(0, 0, err, "")
	}
	out := make([]httpapi.Window, len(ws))
	for i, w := range ws {
		out[i] = d.wire(w)
	}
	return out, nil
}

// result is the answer of an action on window id: w in the API's form, or
// err as the tool reports it.
func (d *dbBackend) result(id, version int64, w maintenance.Window, err error, stop string) (httpapi.Window, error) {
	if err != nil {
		return httpapi.Window{}, d.fail(id, version, err, stop)
	}
	return d.wire(w), nil
}

// Status reloads the schedule and returns the status now.
func (d *dbBackend) Status(ctx context.Context) (httpapi.Status, error) {
	if err := d.m.Refresh(ctx); err != nil {
		return httpapi.Status{}, err
	}
	now := d.now()
	return httpapi.NewStatus(d.m.StatusAt(now), now), nil
}

// wireFields maps the domain's field names to the API's.
var wireFields = map[string]string{
	maintenance.FieldStart: "start", maintenance.FieldStop: "stop", maintenance.FieldComment: "comment",
	maintenance.FieldLoginMessage: "login_message", maintenance.FieldNotifyMessage: "notify_message",
	maintenance.FieldValidity: "validity", maintenance.FieldLead: "lead_seconds", maintenance.FieldActor: "actor",
}

// fail turns an error of the Manager about window id (which the caller
// expected at version, 0 for any) into the tool's, as the API reports it: a
// refused start or stop is reported as the field stop when not empty
// (for_seconds, by_seconds), as the API does.
func (d *dbBackend) fail(id, version int64, err error, stop string) error {
	var ve *maintenance.ValidationError
	var nae *maintenance.NotActiveError
	switch {
	case errors.As(err, &ve):
		out := make(fieldsError, 0, len(ve.Fields))
		for _, f := range ve.Fields {
			name := cmp.Or(wireFields[f.Field], f.Field)
			if stop != "" && (name == "start" || name == "stop") {
				name = stop
			}
			out = append(out, httpapi.FieldError{Field: name, Reason: string(f.Reason)})
		}
		return out
	case errors.Is(err, maintenance.ErrNotFound):
		return notFoundError{id}
	case errors.As(err, &nae) && nae.State == maintenance.Planned:
		return conflictError{fmt.Sprintf("window %d has not started (it starts at %s): cancel it instead", id, httpapi.FormatInstant(nae.Window.Start))}
	case errors.As(err, &nae):
		return conflictError{fmt.Sprintf("window %d has finished already (at %s)", id, httpapi.FormatInstant(nae.Window.Stop))}
	case errors.Is(err, maintenance.ErrConflict) && version != 0:
		return conflictError{fmt.Sprintf("window %d is not at version %d: it changed", id, version)}
	case errors.Is(err, maintenance.ErrConflict):
		return conflictError{fmt.Sprintf("window %d kept changing; gave up after %d tries", id, maintenance.ModifyAttempts)}
	}
	return err
}
