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

// maxAttempts bounds the tries of an action when the window keeps changing
// between its read and its write, as the API does.
const maxAttempts = 3

// dbBackend is the backend of --db: a Manager over the host's store. Its
// actions do what the API's do (see package httpapi), with the time of the
// Manager's clock and changes stamped by actor.
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
	now := d.now()
	w, err := d.m.Add(ctx, maintenance.Window{
		Start: now, Stop: now.Add(time.Duration(in.ForSeconds) * time.Second),
		Comment: cmp.Or(in.Comment, httpapi.DefaultDownComment), NotifyMessage: in.NotifyMessage,
		LoginMessage: in.LoginMessage, ShowLoginMessage: in.ShowLoginMessage, Validity: maintenance.Valid,
	}, d.actor)
	if err != nil {
		return httpapi.Window{}, d.fail(0, err, "for_seconds")
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
		return httpapi.Window{}, d.fail(0, err, "")
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
		return httpapi.Window{}, d.fail(id, err, "")
	}
	return d.wire(w), nil
}

// End stops window id now; it must be active.
func (d *dbBackend) End(ctx context.Context, id, version int64) (httpapi.Window, error) {
	w, _, err := d.act(ctx, id, version, "", func(now time.Time, cur maintenance.Window) (maintenance.Window, bool, error) {
		switch {
		case !cur.Start.Before(now):
			return cur, false, conflictError{fmt.Sprintf("window %d has not started (it starts at %s): cancel it instead", cur.ID, httpapi.FormatInstant(cur.Start))}
		case !now.Before(cur.Stop):
			return cur, false, conflictError{fmt.Sprintf("window %d has finished already (at %s)", cur.ID, httpapi.FormatInstant(cur.Stop))}
		}
		cur.Stop = now
		return cur, true, nil
	})
	return w, err
}

// Extend moves window id's stop later by by.
func (d *dbBackend) Extend(ctx context.Context, id int64, by time.Duration, version int64) (httpapi.Window, error) {
	w, _, err := d.act(ctx, id, version, "by_seconds", func(_ time.Time, cur maintenance.Window) (maintenance.Window, bool, error) {
		cur.Stop = cur.Stop.Add(by)
		return cur, true, nil
	})
	return w, err
}

// Cancel makes window id invalid; an invalid one is left as it is.
func (d *dbBackend) Cancel(ctx context.Context, id, version int64) (httpapi.Window, error) {
	w, _, err := d.act(ctx, id, version, "", func(_ time.Time, cur maintenance.Window) (maintenance.Window, bool, error) {
		write := cur.Validity != maintenance.Invalid
		cur.Validity = maintenance.Invalid
		return cur, write, nil
	})
	return w, err
}

// Up ends every valid window active now; one that starts at this very
// instant is cancelled instead, as it cannot stop before it starts. A
// window deleted meanwhile is passed over.
func (d *dbBackend) Up(ctx context.Context) ([]httpapi.Window, error) {
	ws, err := d.m.List(ctx, maintenance.Valid)
	if err != nil {
		return nil, err
	}
	out := []httpapi.Window{}
	for _, w := range ws {
		if !w.ActiveAt(d.now()) {
			continue
		}
		ended, wrote, err := d.act(ctx, w.ID, 0, "", func(now time.Time, cur maintenance.Window) (maintenance.Window, bool, error) {
			switch {
			case !cur.ActiveAt(now):
				return cur, false, nil // changed meanwhile: not in force any more
			case cur.Start.Equal(now):
				cur.Validity = maintenance.Invalid
			default:
				cur.Stop = now
			}
			return cur, true, nil
		})
		var nf notFoundError
		switch {
		case errors.As(err, &nf):
			continue
		case err != nil:
			return nil, err
		case wrote:
			out = append(out, ended)
		}
	}
	return out, nil
}

// Status reloads the schedule and returns the status now.
func (d *dbBackend) Status(ctx context.Context) (httpapi.Status, error) {
	if err := d.m.Refresh(ctx); err != nil {
		return httpapi.Status{}, err
	}
	now := d.now()
	return httpapi.NewStatus(d.m.StatusAt(now), now), nil
}

// act reads window id, checks its version (unless 0), applies fn at the
// Manager's time and writes the result, unless fn says not to. When
// another write lands between the read and the write it tries again, up
// to maxAttempts in all, as the API does. It returns the window as it
// stands and whether it wrote. stop names the request field a refused
// start or stop is reported as (see fail).
func (d *dbBackend) act(ctx context.Context, id, version int64, stop string,
	fn func(now time.Time, w maintenance.Window) (maintenance.Window, bool, error)) (httpapi.Window, bool, error) {
	for attempt := 1; ; attempt++ {
		cur, err := d.m.Get(ctx, id)
		if err != nil {
			return httpapi.Window{}, false, d.fail(id, err, stop)
		}
		if version != 0 && cur.Version != version {
			return httpapi.Window{}, false, conflictError{fmt.Sprintf("window %d is at version %d, not %d", id, cur.Version, version)}
		}
		next, write, err := fn(d.now(), cur)
		if err != nil {
			return httpapi.Window{}, false, err
		}
		if !write {
			return d.wire(cur), false, nil
		}
		stored, err := d.m.Update(ctx, next, d.actor)
		switch {
		case err == nil:
			return d.wire(stored), true, nil
		case !errors.Is(err, maintenance.ErrConflict):
			return httpapi.Window{}, false, d.fail(id, err, stop)
		case version != 0:
			return httpapi.Window{}, false, conflictError{fmt.Sprintf("window %d changed while the command ran", id)}
		case attempt == maxAttempts:
			return httpapi.Window{}, false, conflictError{fmt.Sprintf("window %d kept changing; gave up after %d tries", id, maxAttempts)}
		}
	}
}

// wireFields maps the domain's field names to the API's.
var wireFields = map[string]string{
	maintenance.FieldStart: "start", maintenance.FieldStop: "stop", maintenance.FieldComment: "comment",
	maintenance.FieldLoginMessage: "login_message", maintenance.FieldNotifyMessage: "notify_message",
	maintenance.FieldValidity: "validity", maintenance.FieldLead: "lead_seconds", maintenance.FieldActor: "actor",
}

// fail turns an error of the Manager about window id into the tool's, as
// the API reports it: a refused start or stop is reported as the field
// stop when not empty (for_seconds, by_seconds), as the API does.
func (d *dbBackend) fail(id int64, err error, stop string) error {
	var ve *maintenance.ValidationError
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
	case errors.Is(err, maintenance.ErrConflict):
		return conflictError{fmt.Sprintf("window %d changed while the command ran", id)}
	}
	return err
}
