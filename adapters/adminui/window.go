package adminui

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// exactTimeLayout is how the edit form spells out a date that has seconds
// the selects cannot show. Translated like a text.
const exactTimeLayout = "02.01.2006 15:04:05.999 MST"

// The values of the Notification parameter after a change.
const (
	noteAdd    = "Add"
	noteUpdate = "Update"
	noteLead   = "Lead"
	noteDelete = "Delete"
)

// Fields of the forms besides the window's.
const (
	formContinue      = "ContinueAfterSave"
	formConfirm       = "Confirm"
	formLeadMinutes   = "LeadMinutes"
	formWantSessionID = "WantSessionID"
)

// pathID reads the window ID of the path: a positive decimal number
// written canonically, or false.
func pathID(r *http.Request) (int64, bool) {
	s := r.PathValue("id")
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0 && strconv.FormatInt(id, 10) == s
}

func (h *handler) windowURL(id int64) string { return h.prefix + "/" + strconv.FormatInt(id, 10) }

// option is one <option> of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// datePart is one of the five selects of a date.
type datePart struct {
	ID, Label string
	Options   []option
	Autofocus bool
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
	// DescribedBy lists the IDs of the zone, the hint and the error, for
	// aria-describedby; Autofocus marks the first field in error.
	DescribedBy string
	Autofocus   bool
}

// field is a text field of the form: its value, error and ARIA links.
type field struct {
	Value, Error, DescribedBy string
	Autofocus                 bool
}

// summaryItem is an entry of the error summary: a link to the field.
type summaryItem struct {
	Target, Label, Message string
}

type formView struct {
	view
	// Zone names the time zone of the dates.
	Zone          string
	New           bool
	ID            int64
	Heading, Sub  string
	Action        string
	DeleteURL     string
	Start, Stop   dateSel
	Comment       field
	LoginMessage  field
	NotifyMessage field
	ValidID       field
	// ShowLoginMessage is the checkbox.
	ShowLoginMessage bool
	Validities       []option
	Version          string
	// Summary lists the field errors, linked to their fields.
	Summary []summaryItem
	// ReloadURL is set on a conflict: the link to the current version.
	ReloadURL string
	Preview   *preview
	Sessions  *sessionsView
	// Repeat is the repeat fieldset; Occurrences the list of occurrences
	// (a preview, or the stored window's with skip buttons), when shown.
	Repeat      repeatView
	Occurrences *occurrencesView
}

// preview is what users will see of a stored window, as notify words it.
type preview struct {
	NoticeFrom, Upcoming, Active, Login string
	Invalid                             bool
}

// newForm shows an empty form: start now, stop in an hour, at minute
// precision in the admin's zone (Znuny defaulted both to now, which cannot
// be saved).
func (h *handler) newForm(w http.ResponseWriter, r *http.Request) {
	start := h.m.Clock().Now().Truncate(time.Minute)
	f := FormatWindowForm(maintenance.Window{Start: start, Stop: start.Add(time.Hour), Validity: maintenance.Valid}, adminOf(r).location())
	h.renderForm(w, r, http.StatusOK, 0, f, FormErrors{}, nil, nil)
}

// editForm shows the stored window in the admin's zone, the preview and
// the sessions.
func (h *handler) editForm(w http.ResponseWriter, r *http.Request) {
	win, ok := h.window(w, r)
	if !ok {
		return
	}
	h.renderForm(w, r, http.StatusOK, win.ID, FormatWindowForm(win, adminOf(r).location()), FormErrors{}, &win, nil)
}

// window reads the window of the path; when there is none (or the path
// names none) it answers 404, and on a failure 500.
func (h *handler) window(w http.ResponseWriter, r *http.Request) (maintenance.Window, bool) {
	id, ok := pathID(r)
	if !ok {
		h.status(w, r, http.StatusNotFound, msgNoWindow)
		return maintenance.Window{}, false
	}
	win, err := h.m.Get(r.Context(), id)
	if errors.Is(err, maintenance.ErrNotFound) {
		h.status(w, r, http.StatusNotFound, msgNoWindow)
		return maintenance.Window{}, false
	}
	if err != nil {
		h.serverError(w, r, err)
		return maintenance.Window{}, false
	}
	return win, true
}

func (h *handler) newPost(w http.ResponseWriter, r *http.Request) { h.saveWindow(w, r, 0) }

func (h *handler) editPost(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.status(w, r, http.StatusNotFound, msgNoWindow)
		return
	}
	h.saveWindow(w, r, id)
}

// saveWindow adds (id 0) or updates a window from the posted form; with
// Preview, it shows the form again with the window's next occurrences and
// writes nothing. Any error shows the form again with the values as
// posted and writes nothing.
func (h *handler) saveWindow(w http.ResponseWriter, r *http.Request, id int64) {
	a := adminOf(r)
	ctx := r.Context()
	f := r.PostForm
	win, errs := ParseWindowForm(f, a.location())
	if !errs.OK() {
		h.renderForm(w, r, http.StatusUnprocessableEntity, id, f, errs, nil, nil)
		return
	}
	var err error
	var cur maintenance.Window
	if id != 0 {
		win.ID = id
		if cur, err = h.m.Get(ctx, id); err == nil {
			// The form has no field for the window's own lead time, nor
			// for the occurrences skipped: keep them. A stale Version is
			// refused by Update below, so this read cannot carry an old
			// value over a newer one.
			win.Lead = cur.Lead
			win.Recurrence.Exceptions = keptExceptions(cur, win)
		}
	}
	switch {
	case err != nil:
	case f.Get(formPreview) != "":
		h.renderForm(w, r, http.StatusOK, id, f, FormErrors{}, nil, &win)
		return
	case id == 0:
		win, err = h.m.Add(ctx, win, a.Actor)
	default:
		win, err = h.update(ctx, cur, win, a.Actor)
	}
	var verr *maintenance.ValidationError
	switch {
	case err == nil:
	case errors.As(err, &verr):
		h.renderForm(w, r, http.StatusUnprocessableEntity, id, f, formErrorsOf(verr), nil, nil)
		return
	case errors.Is(err, maintenance.ErrConflict):
		h.renderForm(w, r, http.StatusConflict, id, f, FormErrors{Message: MsgConflict}, nil, nil)
		return
	case errors.Is(err, maintenance.ErrNotFound):
		h.status(w, r, http.StatusNotFound, msgGoneMeanwhile)
		return
	default:
		h.serverError(w, r, err)
		return
	}
	note := noteUpdate
	if id == 0 {
		note = noteAdd
	}
	h.log.Info("adminui: window saved", "id", win.ID, "by", a.Actor, "op", note)
	target := h.prefix + "/"
	if f.Get(formContinue) == "1" {
		target = h.windowURL(win.ID)
	}
	http.Redirect(w, r, target+"?"+paramNote+"="+note, http.StatusSeeOther)
}

// update writes next, the window cur as the form changed it, as actor.
// A change to the times or the repetition of a series that has begun
// applies from its next occurrence on, so that the occurrences that have
// happened stay as they were (maintenance.Manager.UpdateFollowing): cur
// ends before that occurrence, and update returns the new window that
// follows it. When the series as changed has no occurrence to come, and
// for every other change, the whole window is updated.
func (h *handler) update(ctx context.Context, cur, next maintenance.Window, actor string) (maintenance.Window, error) {
	now := h.m.Clock().Now()
	if cur.Recurrence.IsZero() || !cur.Start.Before(now) || !retimed(cur, next) {
		return h.m.Update(ctx, next, actor)
	}
	from, ok := next.From(now)
	if !ok {
		return h.m.Update(ctx, next, actor)
	}
	_, following, err := h.m.UpdateFollowing(ctx, from, actor)
	return following, err
}

// retimed reports whether next, cur as the form changed it, starts,
// stops or repeats otherwise than cur.
func retimed(cur, next maintenance.Window) bool {
	cur, next = cur.Normalize(), next.Normalize()
	return !cur.Start.Equal(next.Start) || !cur.Stop.Equal(next.Stop) ||
		cur.Recurrence.Rule != next.Recurrence.Rule || cur.Recurrence.Zone != next.Recurrence.Zone
}

// keptExceptions returns the occurrences skipped of the stored window cur
// that are occurrences of next, its new version from the form, too: the
// others would skip nothing.
func keptExceptions(cur, next maintenance.Window) []time.Time {
	if cur.Recurrence.IsZero() || next.Recurrence.IsZero() {
		return nil
	}
	next.Recurrence.Exceptions = nil
	dur := next.Stop.Sub(next.Start)
	var out []time.Time
	for _, t := range cur.Recurrence.Exceptions {
		// The first occurrence that ends after t+dur-1ms is the first that
		// starts at or after t: every occurrence lasts dur.
		occ, err := next.Occurrences(t.Add(dur-time.Millisecond), 1)
		if err == nil && len(occ) == 1 && occ[0].Start.Equal(t) {
			out = append(out, t)
		}
	}
	return out
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
		case maintenance.FieldRecurrence, maintenance.FieldZone, maintenance.FieldExceptions:
			errs.add(FormRepeat, MsgRepeatRule)
		default:
			errs.Message = MsgNotSaved
		}
	}
	return errs
}

// renderForm shows the new (id 0) or edit form with the values of f and
// the errors errs. stored is the window as stored, for the preview of what
// users will see and its next occurrences, when the form shows it
// unchanged; previewed is the window as entered, whose next occurrences
// the form lists when the admin asked for a preview.
func (h *handler) renderForm(w http.ResponseWriter, r *http.Request, status int, id int64, f url.Values, errs FormErrors, stored, previewed *maintenance.Window) {
	a := adminOf(r)
	loc := a.location()
	v := formView{view: h.view(r), New: id == 0, ID: id, Zone: loc.String(), Version: f.Get(FormVersion),
		ShowLoginMessage: f.Get(FormShowLoginMessage) != ""}
	title := titleEdit
	v.Heading, v.Sub, v.Action = v.T(titleEdit), v.T(titleEditSub), h.windowURL(id)
	if v.New {
		title = titleNew
		v.Heading, v.Sub, v.Action = v.T(titleNew), v.T(titleNew), h.prefix+"/new"
	} else {
		v.DeleteURL = h.windowURL(id) + "/delete"
	}
	v.Crumbs = []crumb{{Label: v.T(titleOverview), URL: v.OverviewURL}, {Label: v.Heading}}
	if errs.Message != "" {
		v.Errors = append(v.Errors, v.T(errs.Message))
	}
	if errs.Message == MsgConflict {
		v.ReloadURL = h.windowURL(id)
	}

	// The fields in the order of the form, for the summary and autofocus.
	now := h.m.Clock().Now()
	v.Start = dateSelect(v.view, FormStartDate, labelStart, f, now, loc, errs.Fields[FormStartDate])
	v.Stop = dateSelect(v.view, FormStopDate, labelStop, f, now, loc, errs.Fields[FormStopDate])
	text := func(name string) field {
		fd := field{Value: f.Get(name)}
		if msg, bad := errs.Fields[name]; bad {
			fd.Error, fd.DescribedBy = v.T(msg), name+"ServerError"
		}
		return fd
	}
	v.Comment, v.LoginMessage, v.NotifyMessage, v.ValidID = text(FormComment), text(FormLoginMessage), text(FormNotifyMessage), text(FormValidID)
	first := true
	note := func(target, label, msg string, autofocus *bool) {
		if msg == "" {
			return
		}
		v.Summary = append(v.Summary, summaryItem{Target: target, Label: v.T(label), Message: msg})
		*autofocus, first = first, false
	}
	note(FormStartDate+"Day", labelStart, v.Start.Error, &v.Start.Autofocus)
	note(FormStopDate+"Day", labelStop, v.Stop.Error, &v.Stop.Autofocus)
	v.Repeat = h.repeatView(v.view, f, errs, loc)
	if !v.New {
		v.Repeat.Hint += " " + v.T(msgRepeatEditHint)
	}
	for _, it := range []struct{ name, target, label string }{
		{FormRepeat, FormRepeat + "-" + RepeatNone, labelRepeat},
		{FormRepeatDays, FormRepeatDays + "-MO", labelRepeatWeekly},
		{FormRepeatOrdinal, FormRepeatOrdinal, labelRepeatOrdinal},
		{FormRepeatWeekday, FormRepeatWeekday, labelRepeatWeekday},
		{FormRepeatMonthDay, FormRepeatMonthDay, labelRepeatMonthDayOf},
		{FormRepeatRule, FormRepeatRule, labelRepeatCustom},
		{FormRepeatInterval, FormRepeatInterval, labelRepeatInterval},
		{FormRepeatEnd, FormRepeatEnd + "-" + EndNever, labelRepeatEnds},
		{FormRepeatUntil, FormRepeatUntil + "Day", labelRepeatEndUntil},
		{FormRepeatCount, FormRepeatCount, labelRepeatEndCount},
	} {
		fd := v.Repeat.Fields[it.name]
		note(it.target, it.label, fd.Error, &fd.Autofocus)
		v.Repeat.Fields[it.name] = fd
	}
	v.Repeat.Until.Autofocus = v.Repeat.Fields[FormRepeatUntil].Autofocus
	v.Repeat.Until.Parts[0].Autofocus = v.Repeat.Until.Autofocus
	note(FormComment, labelComment, v.Comment.Error, &v.Comment.Autofocus)
	note(FormLoginMessage, labelLoginMessage, v.LoginMessage.Error, &v.LoginMessage.Autofocus)
	note(FormNotifyMessage, labelNotifyMessage, v.NotifyMessage.Error, &v.NotifyMessage.Autofocus)
	note(FormValidID, labelValidity, v.ValidID.Error, &v.ValidID.Autofocus)
	v.Start.Parts[0].Autofocus, v.Stop.Parts[0].Autofocus = v.Start.Autofocus, v.Stop.Autofocus
	if previewed != nil {
		v.Occurrences = h.previewOccurrences(v.view, *previewed, loc)
	}

	for _, val := range maintenance.Validities {
		s := strconv.Itoa(int(val))
		v.Validities = append(v.Validities, option{Value: s, Label: v.T(val.String()), Selected: f.Get(FormValidID) == s})
	}
	if !v.New {
		q := r.URL.Query()
		switch q.Get(paramNote) {
		case noteAdd:
			v.Notices = append(v.Notices, v.T(msgAdded))
		case noteUpdate:
			v.Notices = append(v.Notices, v.T(msgUpdated))
		}
		if q.Get("Kill") == "1" {
			v.Notices = append(v.Notices, v.T(msgKilled))
		}
		if q.Get("KillAll") == "1" {
			v.Notices = append(v.Notices, v.T(msgKilledAll))
		}
		if q.Get(paramNote) == noteSkip {
			v.Notices = append(v.Notices, v.T(msgSkipped))
		}
		if stored != nil {
			v.Preview = h.preview(v.view, *stored, a)
			v.Occurrences = h.storedOccurrences(v.view, *stored, loc)
		}
		if h.o.Sessions != nil {
			sec, err := h.sessionsView(r, v.view, id)
			if err != nil {
				h.serverError(w, r, err)
				return
			}
			v.Sessions = sec
		}
	}
	h.render(w, r, status, v.view, title, "form", v)
}

// preview words what users will see of w: the upcoming notice from its
// lead time before the start, the banner and the login-screen message
// while it is active, as notify words them in the admin's language and
// zone; of a recurring window, for its next occurrence. An invalid window
// is previewed as if it were valid, and marked.
func (h *handler) preview(v view, w maintenance.Window, a Admin) *preview {
	p := &preview{Invalid: w.Validity != maintenance.Valid}
	if !w.Recurrence.IsZero() {
		// A recurring window: its next occurrence (or the one in
		// progress), as a window of its own.
		if next, err := w.Occurrences(h.m.Clock().Now(), 1); err == nil && len(next) == 1 {
			w = next[0]
		}
		w.Recurrence, w.Occurrence = maintenance.Recurrence{}, time.Time{}
	}
	w.Validity = maintenance.Valid
	lead := w.Lead
	if lead <= 0 {
		lead = h.m.Lead()
	}
	viewer := notify.Viewer{Location: a.location(), Language: a.Language}
	p.NoticeFrom = w.Start.Add(-lead).In(a.location()).Format(v.T(overviewTimeLayout))
	p.Upcoming = h.texts.Upcoming(w, viewer)
	st := maintenance.Compile([]maintenance.Window{w}, lead).At(w.Start)
	p.Active = h.texts.Banner(st, viewer).Text
	if msg, ok := h.texts.LoginMessage(st, viewer); ok {
		p.Login = msg
	}
	return p
}

// dateSelect builds the five selects of the date name from the values of
// f, which may be anything a client posted: values that are not an option
// select nothing. It labels the date with the abbreviation of loc at that
// date, and spells out an exact instant that the selects cannot show.
func dateSelect(v view, name, label string, f url.Values, now time.Time, loc *time.Location, errMsg string) dateSel {
	d := dateSel{Name: name, Label: v.T(label)}
	if errMsg != "" {
		d.Error = v.T(errMsg)
	}
	if ex := f.Get(name + exactSuffix); len(ex) <= maxExactLen {
		d.Exact = ex
	}
	var probe FormErrors
	if t, ok := parseFormDate(f, name, loc, &probe); ok {
		l := t.In(loc)
		d.Zone = l.Format("MST")
		if l.Second() != 0 || l.Nanosecond() != 0 {
			d.Hint = v.Tf(msgExactHint, l.Format(v.T(exactTimeLayout)))
		}
	}
	var ids []string
	if d.Zone != "" {
		ids = append(ids, name+"Zone")
	}
	if d.Hint != "" {
		ids = append(ids, name+"ExactHint")
	}
	if d.Error != "" {
		ids = append(ids, name+"ServerError")
	}
	d.DescribedBy = strings.Join(ids, " ")
	num := func(lo, hi int, part string, width int) []option {
		sel, ok := parseDigits(f.Get(name + part))
		out := make([]option, 0, hi-lo+1)
		for i := lo; i <= hi; i++ {
			s := strconv.Itoa(i)
			if width == 2 {
				s = pad2(i)
			}
			out = append(out, option{Value: s, Label: s, Selected: ok && sel == i})
		}
		return out
	}
	loYear, hiYear := now.Year()-1, now.Year()+5
	if y, ok := parseDigits(f.Get(name + "Year")); ok && y >= minFormYear && y <= maxFormYear {
		loYear, hiYear = min(loYear, y), max(hiYear, y)
	}
	d.Parts = []datePart{
		{ID: name + "Day", Label: v.T(labelDay), Options: num(1, 31, "Day", 2)},
		{ID: name + "Month", Label: v.T(labelMonth), Options: num(1, 12, "Month", 2)},
		{ID: name + "Year", Label: v.T(labelYear), Options: num(loYear, hiYear, "Year", 4)},
		{ID: name + "Hour", Label: v.T(labelHour), Options: num(0, 23, "Hour", 2)},
		{ID: name + "Minute", Label: v.T(labelMinute), Options: num(0, 59, "Minute", 2)},
	}
	return d
}

type confirmView struct {
	view
	Heading, Start, Stop, Comment, State, Validity string
	Active                                         bool
	Action, BackURL                                string
}

// deleteForm asks whether to delete the window: the page a delete without
// JavaScript leads to.
func (h *handler) deleteForm(w http.ResponseWriter, r *http.Request) {
	h.confirmDelete(w, r, http.StatusOK)
}

func (h *handler) confirmDelete(w http.ResponseWriter, r *http.Request, status int) {
	win, ok := h.window(w, r)
	if !ok {
		return
	}
	a := adminOf(r)
	loc := a.location()
	v := confirmView{view: h.view(r)}
	layout := v.T(overviewTimeLayout)
	st := win.StateAt(h.m.Clock().Now())
	v.Heading = v.T(titleDelete)
	v.Crumbs = []crumb{{Label: v.T(titleOverview), URL: v.OverviewURL}, {Label: v.T(titleEdit), URL: h.windowURL(win.ID)}, {Label: v.Heading}}
	v.Start, v.Stop = win.Start.In(loc).Format(layout), win.Stop.In(loc).Format(layout)
	v.Comment, v.State, v.Validity = win.Comment, v.T(st.String()), v.T(win.Validity.String())
	v.Active = st == maintenance.Active && win.Validity == maintenance.Valid
	v.Action, v.BackURL = h.windowURL(win.ID)+"/delete", v.OverviewURL
	h.render(w, r, status, v.view, titleDelete, "confirm", v)
}

// deletePost deletes a window once confirmed (Confirm=1, which the
// confirmation page posts, and the overview's button after the browser's
// confirm dialog); without it, it shows the confirmation page. Active
// windows may be deleted: maintenance ends at once.
func (h *handler) deletePost(w http.ResponseWriter, r *http.Request) {
	if r.PostForm.Get(formConfirm) != "1" {
		h.confirmDelete(w, r, http.StatusOK)
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.status(w, r, http.StatusNotFound, msgNoWindow)
		return
	}
	err := h.m.Delete(r.Context(), id)
	if errors.Is(err, maintenance.ErrNotFound) {
		h.status(w, r, http.StatusNotFound, msgNoWindow)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.log.Info("adminui: window deleted", "id", id, "by", adminOf(r).Actor)
	http.Redirect(w, r, h.prefix+"/?"+paramNote+"="+noteDelete, http.StatusSeeOther)
}
