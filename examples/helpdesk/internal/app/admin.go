package app

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

// The notices of the admin screens.
const (
	msgAdded       = "System Maintenance was added successfully!"
	msgUpdated     = "System Maintenance was updated successfully!"
	msgKilled      = "Session has been killed!"
	msgKillNone    = "No session selected: nothing was killed."
	msgKillGone    = "That session had already ended: nothing was killed."
	msgKilledAll   = "All sessions have been killed, except for your own."
	msgLeadSaved   = "The notice lead time was saved."
	msgLeadInvalid = "The lead time must be a whole number of minutes from 1 to 99999999."
)

// overviewTimeLayout is how the overview shows start and stop, in the
// admin's time zone, with the zone's abbreviation (or offset) and the
// milliseconds when there are any: a bound is never shown rounded.
const overviewTimeLayout = "2006-01-02 15:04:05.999 MST"

// exactTimeLayout is how the edit form spells out a date that has seconds
// the selects cannot show.
const exactTimeLayout = "02.01.2006 15:04:05.999 MST"

const adminPath = "/admin/maintenance"

func windowPath(id int64) string { return adminPath + "/" + strconv.FormatInt(id, 10) }

type overviewRow struct {
	ID                             int64
	Start, Stop, Comment, Validity string
	State                          string
	Invalid                        bool
}

type overviewPage struct {
	base
	// Zone names the time zone of the dates.
	Zone        string
	Rows        []overviewRow
	LeadMinutes string
	LeadError   string
}

// overview lists every window, valid or not, sorted by start.
func (a *App) overview(w http.ResponseWriter, r *http.Request) {
	a.renderOverview(w, r, http.StatusOK, "", "")
}

func (a *App) renderOverview(w http.ResponseWriter, r *http.Request, status int, lead, leadErr string) {
	c, _ := fromContext(r.Context())
	loc := a.userLocation(c.user)
	ws, err := a.windows.List(r.Context())
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	now := a.clock.Now()
	p := overviewPage{base: a.baseFor(r, "System Maintenance Management"), Zone: loc.String(), Rows: make([]overviewRow, 0, len(ws))}
	for _, win := range ws {
		p.Rows = append(p.Rows, overviewRow{
			ID:       win.ID,
			Start:    win.Start.In(loc).Format(overviewTimeLayout),
			Stop:     win.Stop.In(loc).Format(overviewTimeLayout),
			Comment:  truncate(80, win.Comment),
			Validity: win.Validity.String(),
			State:    win.StateAt(now).String(),
			Invalid:  win.Validity != maintenance.Valid,
		})
	}
	switch r.URL.Query().Get("Notification") {
	case "Add":
		p.Notices = append(p.Notices, msgAdded)
	case "Update":
		p.Notices = append(p.Notices, msgUpdated)
	case "Lead":
		p.Notices = append(p.Notices, msgLeadSaved)
	}
	p.LeadMinutes = lead
	if lead == "" {
		p.LeadMinutes = strconv.FormatInt(int64(a.windows.Lead()/time.Minute), 10)
	}
	if leadErr != "" {
		p.LeadError = leadErr
		p.Errors = append(p.Errors, leadErr)
	}
	a.render(w, r, status, "overview", p)
}

// saveLeadPost sets the notice lead time (Znuny's
// SystemMaintenance::TimeNotifyUpcomingMaintenance): stored, and applied
// to the schedule at once with Manager.SetLead.
func (a *App) saveLeadPost(w http.ResponseWriter, r *http.Request) {
	v := r.PostFormValue("LeadMinutes")
	n, ok := parseLeadMinutes(v)
	if !ok {
		a.renderOverview(w, r, http.StatusUnprocessableEntity, v, msgLeadInvalid)
		return
	}
	if err := a.saveLead(r.Context(), n); err != nil {
		a.serverError(w, r, err)
		return
	}
	a.windows.SetLead(time.Duration(n) * time.Minute)
	http.Redirect(w, r, adminPath+"?Notification=Lead", http.StatusSeeOther)
}

// parseLeadMinutes accepts Znuny's ^[0-9]{1,8}$, but not 0 (which the
// Manager would read as its default).
func parseLeadMinutes(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 8 {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	return n, true
}

// newForm shows an empty form: start now, stop in an hour, at minute
// precision in the admin's zone (Znuny defaulted both to now, which cannot
// be saved).
func (a *App) newForm(w http.ResponseWriter, r *http.Request) {
	c, _ := fromContext(r.Context())
	start := a.clock.Now().Truncate(time.Minute)
	f := FormatWindowForm(maintenance.Window{
		Start: start, Stop: start.Add(time.Hour), Validity: maintenance.Valid,
	}, a.userLocation(c.user))
	a.renderForm(w, r, http.StatusOK, 0, f, FormErrors{})
}

// editForm shows the stored window in the admin's zone, and the sessions.
func (a *App) editForm(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		a.renderStatus(w, r, http.StatusNotFound, "No such system maintenance.")
		return
	}
	win, err := a.windows.Get(r.Context(), id)
	if errors.Is(err, maintenance.ErrNotFound) {
		a.renderStatus(w, r, http.StatusNotFound, "No such system maintenance.")
		return
	}
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	c, _ := fromContext(r.Context())
	a.renderForm(w, r, http.StatusOK, id, FormatWindowForm(win, a.userLocation(c.user)), FormErrors{})
}

func (a *App) newPost(w http.ResponseWriter, r *http.Request) { a.saveWindow(w, r, 0) }

func (a *App) editPost(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		a.renderStatus(w, r, http.StatusNotFound, "No such system maintenance.")
		return
	}
	a.saveWindow(w, r, id)
}

// saveWindow adds (id 0) or updates a window from the posted form. Any
// error shows the form again with the values as posted and writes nothing.
func (a *App) saveWindow(w http.ResponseWriter, r *http.Request, id int64) {
	c, _ := fromContext(r.Context())
	ctx := r.Context()
	f := r.PostForm
	win, errs := ParseWindowForm(f, a.userLocation(c.user))
	if !errs.OK() {
		a.renderForm(w, r, http.StatusUnprocessableEntity, id, f, errs)
		return
	}
	var err error
	if id == 0 {
		win, err = a.windows.Add(ctx, win, c.user.Login)
	} else {
		win.ID = id
		var cur maintenance.Window
		cur, err = a.windows.Get(ctx, id)
		if err == nil {
			// The form has no field for the window's own lead time: keep
			// it. A stale Version is refused by Update below, so this read
			// cannot carry an old value over a newer one.
			win.Lead = cur.Lead
			win, err = a.windows.Update(ctx, win, c.user.Login)
		}
	}
	var verr *maintenance.ValidationError
	switch {
	case err == nil:
	case errors.As(err, &verr):
		a.renderForm(w, r, http.StatusUnprocessableEntity, id, f, formErrorsOf(verr))
		return
	case errors.Is(err, maintenance.ErrConflict):
		a.renderForm(w, r, http.StatusConflict, id, f, FormErrors{Message: MsgConflict})
		return
	case errors.Is(err, maintenance.ErrNotFound):
		a.renderStatus(w, r, http.StatusNotFound, "No such system maintenance: it may have been deleted meanwhile.")
		return
	default:
		a.serverError(w, r, err)
		return
	}
	note := "Update"
	if id == 0 {
		note = "Add"
	}
	a.log.Info("helpdesk: window saved", "id", win.ID, "by", c.user.Login, "op", note)
	target := adminPath
	if f.Get("ContinueAfterSave") == "1" {
		target = windowPath(win.ID)
	}
	http.Redirect(w, r, target+"?Notification="+note, http.StatusSeeOther)
}

// formErrorsOf maps the Manager's validation errors to the form's fields.
// ParseWindowForm already applies the same rules, so this is a safety net.
func formErrorsOf(verr *maintenance.ValidationError) FormErrors {
	var errs FormErrors
	for _, fe := range verr.Fields {
		switch fe.Field {
		case maintenance.FieldStart:
			if fe.Reason == maintenance.ReasonNotBeforeStop {
				errs.Message = MsgStartAfterStop
				errs.add(FormStartDate, MsgStartAfterStop)
			} else {
				errs.add(FormStartDate, MsgDateInvalid)
			}
		case maintenance.FieldStop:
			errs.add(FormStopDate, MsgDateInvalid)
		case maintenance.FieldComment, maintenance.FieldLoginMessage, maintenance.FieldNotifyMessage:
			msg := MsgRequired
			if fe.Reason == maintenance.ReasonTooLong {
				msg = MsgTooLong
			}
			errs.add(fe.Field, msg)
		case maintenance.FieldValidity:
			errs.add(FormValidID, MsgUnknownValidity)
		default:
			errs.Message = "The system maintenance could not be saved: " + fe.Field + " " + string(fe.Reason) + "."
		}
	}
	return errs
}

// deletePost deletes a window, active ones too (maintenance ends at once).
func (a *App) deletePost(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		a.renderStatus(w, r, http.StatusNotFound, "No such system maintenance.")
		return
	}
	err := a.windows.Delete(r.Context(), id)
	if errors.Is(err, maintenance.ErrNotFound) {
		a.renderStatus(w, r, http.StatusNotFound, "No such system maintenance.")
		return
	}
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	c, _ := fromContext(r.Context())
	a.log.Info("helpdesk: window deleted", "id", id, "by", c.user.Login)
	http.Redirect(w, r, adminPath, http.StatusSeeOther)
}

// killPost ends one session (possibly the admin's own).
func (a *App) killPost(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		a.renderStatus(w, r, http.StatusNotFound, "No such system maintenance.")
		return
	}
	sid := r.PostFormValue("WantSessionID")
	if sid == "" {
		a.renderEdit(w, r, http.StatusBadRequest, id, msgKillNone)
		return
	}
	err := a.sessions.Kill(r.Context(), sid)
	if errors.Is(err, session.ErrNotFound) {
		a.renderEdit(w, r, http.StatusNotFound, id, msgKillGone)
		return
	}
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	c, _ := fromContext(r.Context())
	a.log.Info("helpdesk: session killed", "by", c.user.Login, "own", sid == c.session.ID)
	http.Redirect(w, r, windowPath(id)+"?Kill=1", http.StatusSeeOther)
}

// renderEdit shows the edit screen of window id as stored, with msg as its
// error, answered with status.
func (a *App) renderEdit(w http.ResponseWriter, r *http.Request, status int, id int64, msg string) {
	win, err := a.windows.Get(r.Context(), id)
	if errors.Is(err, maintenance.ErrNotFound) {
		a.renderStatus(w, r, http.StatusNotFound, "No such system maintenance.")
		return
	}
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	c, _ := fromContext(r.Context())
	a.renderForm(w, r, status, id, FormatWindowForm(win, a.userLocation(c.user)), FormErrors{Message: msg})
}

// killAllPost ends every session except the admin's own, which comes from
// the server side (the session of this request), never from the form.
func (a *App) killAllPost(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		a.renderStatus(w, r, http.StatusNotFound, "No such system maintenance.")
		return
	}
	c, _ := fromContext(r.Context())
	n, err := a.sessions.KillAllExcept(r.Context(), c.session.ID)
	if errors.Is(err, session.ErrNoOwnSession) || errors.Is(err, session.ErrNotFound) {
		a.renderStatus(w, r, http.StatusConflict, "Your own session has ended; nothing was killed. Please log in again.")
		return
	}
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	a.log.Info("helpdesk: sessions killed", "count", n, "by", c.user.Login)
	http.Redirect(w, r, windowPath(id)+"?KillAll=1", http.StatusSeeOther)
}

// pathID reads the window ID of the path.
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// option is one <option> of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// datePart is one of the five selects of a date.
type datePart struct {
	ID, Label string
	Options   []option
}

// dateSel is the five selects of StartDate or StopDate, and its hidden
// exact instant.
type dateSel struct {
	Name  string
	Label string
	Parts []datePart
	Error string
	// Exact is the hidden <Date>Exact field, as posted or formatted.
	Exact string
	// Zone is the abbreviation (or offset) of the admin's zone at the
	// selected date; empty when the selects do not name one instant.
	Zone string
	// Hint spells out the exact instant when it has seconds or
	// milliseconds that the selects cannot show.
	Hint string
}

type sessionRow struct {
	ID, Short, Type, User string
	Own                   bool
}

type sessionsSection struct {
	Counts    session.Counts
	Agents    []sessionRow
	Customers []sessionRow
}

type formPage struct {
	base
	// Zone names the time zone of the dates.
	Zone    string
	New     bool
	ID      int64
	Heading string
	Action  string
	// Start and Stop are the date selects.
	Start, Stop                          dateSel
	Comment, LoginMessage, NotifyMessage string
	ShowLoginMessage                     bool
	Validities                           []option
	Version                              string
	// FieldErrors maps a Form* field name to its message.
	FieldErrors map[string]string
	Sessions    *sessionsSection
}

// renderForm shows the new (id 0) or edit form with the values of f.
func (a *App) renderForm(w http.ResponseWriter, r *http.Request, status int, id int64, f url.Values, errs FormErrors) {
	p := formPage{
		New: id == 0, ID: id, FieldErrors: errs.Fields,
		Comment: f.Get(FormComment), LoginMessage: f.Get(FormLoginMessage), NotifyMessage: f.Get(FormNotifyMessage),
		ShowLoginMessage: f.Get(FormShowLoginMessage) != "", Version: f.Get(FormVersion),
	}
	if p.New {
		p.base, p.Heading, p.Action = a.baseFor(r, "Schedule New System Maintenance"), "Schedule New System Maintenance", adminPath+"/new"
	} else {
		p.base, p.Heading, p.Action = a.baseFor(r, "Edit System Maintenance"), "Edit System Maintenance", windowPath(id)
	}
	if errs.Message != "" {
		p.Errors = append(p.Errors, errs.Message)
	}
	now := a.clock.Now()
	c, _ := fromContext(r.Context())
	loc := a.userLocation(c.user)
	p.Zone = loc.String()
	p.Start = dateSelect(FormStartDate, "Start date", f, now, loc, errs.Fields[FormStartDate])
	p.Stop = dateSelect(FormStopDate, "Stop date", f, now, loc, errs.Fields[FormStopDate])
	for _, v := range maintenance.Validities {
		val := strconv.Itoa(int(v))
		p.Validities = append(p.Validities, option{Value: val, Label: v.String(), Selected: f.Get(FormValidID) == val})
	}
	if !p.New {
		q := r.URL.Query()
		switch q.Get("Notification") {
		case "Add":
			p.Notices = append(p.Notices, msgAdded)
		case "Update":
			p.Notices = append(p.Notices, msgUpdated)
		}
		if q.Get("Kill") == "1" {
			p.Notices = append(p.Notices, msgKilled)
		}
		if q.Get("KillAll") == "1" {
			p.Notices = append(p.Notices, msgKilledAll)
		}
		sec, err := a.sessionsSection(r)
		if err != nil {
			a.serverError(w, r, err)
			return
		}
		p.Sessions = sec
	}
	a.render(w, r, status, "window_form", p)
}

// sessionsSection is the "Manage Sessions" part of the edit screen.
func (a *App) sessionsSection(r *http.Request) (*sessionsSection, error) {
	ov, err := a.sessions.Overview(r.Context())
	if err != nil {
		return nil, err
	}
	c, _ := fromContext(r.Context())
	rows := func(ss []session.Session, typ string) []sessionRow {
		out := make([]sessionRow, 0, len(ss))
		for _, s := range ss {
			user := s.UserFullName + " (" + s.UserLogin + ")"
			out = append(out, sessionRow{ID: s.ID, Short: s.ID[:min(len(s.ID), 12)], Type: typ, User: user, Own: s.ID == c.session.ID})
		}
		return out
	}
	return &sessionsSection{Counts: ov.Counts, Agents: rows(ov.Agents, "Agent"), Customers: rows(ov.Customers, "Customer")}, nil
}

// dateSelect builds the five selects of the date name from the values of
// f, which may be anything a client posted: values that are not an option
// select nothing. It labels the date with the abbreviation of loc at that
// date, and spells out an exact instant that the selects cannot show.
func dateSelect(name, label string, f url.Values, now time.Time, loc *time.Location, errMsg string) dateSel {
	d := dateSel{Name: name, Label: label, Error: errMsg}
	if ex := f.Get(name + exactSuffix); len(ex) <= maxExactLen {
		d.Exact = ex
	}
	var probe FormErrors
	if t, ok := parseFormDate(f, name, loc, &probe); ok {
		l := t.In(loc)
		d.Zone = l.Format("MST")
		if l.Second() != 0 || l.Nanosecond() != 0 {
			d.Hint = "Exactly " + l.Format(exactTimeLayout) + ": kept while the date above is unchanged."
		}
	}
	num := func(lo, hi int, part string, width int) []option {
		sel, ok := parseDigits(f.Get(name + part))
		out := make([]option, 0, hi-lo+1)
		for i := lo; i <= hi; i++ {
			v := strconv.Itoa(i)
			if width == 2 {
				v = pad2(i)
			}
			out = append(out, option{Value: v, Label: v, Selected: ok && sel == i})
		}
		return out
	}
	loYear, hiYear := now.Year()-1, now.Year()+5
	if y, ok := parseDigits(f.Get(name + "Year")); ok && y >= minFormYear && y <= maxFormYear {
		loYear, hiYear = min(loYear, y), max(hiYear, y)
	}
	d.Parts = []datePart{
		{ID: name + "Day", Label: "Day", Options: num(1, 31, "Day", 2)},
		{ID: name + "Month", Label: "Month", Options: num(1, 12, "Month", 2)},
		{ID: name + "Year", Label: "Year", Options: num(loYear, hiYear, "Year", 4)},
		{ID: name + "Hour", Label: "Hour", Options: num(0, 23, "Hour", 2)},
		{ID: name + "Minute", Label: "Minute", Options: num(0, 59, "Minute", 2)},
	}
	return d
}
