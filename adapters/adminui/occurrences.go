package adminui

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
)

// The texts of the repeat fields and of the occurrences, in English: the
// keys of the catalog. A "%s" is replaced after translation, in order.
const (
	labelRepeat             = "Repeat"
	labelRepeatNone         = "Does not repeat"
	labelRepeatWeekly       = "Weekly on"
	labelRepeatMonthWeekday = "Monthly on the"
	labelRepeatMonthDay     = "Monthly on day"
	labelRepeatCustom       = "As an RFC 5545 rule (RRULE)"
	labelRepeatOrdinal      = "Which one in the month"
	labelRepeatWeekday      = "Day of the week"
	labelRepeatMonthDayOf   = "Day of the month"
	labelRepeatInterval     = "Every"
	labelRepeatIntervalUnit = "weeks or months (1: every one, 2: every other one)"
	labelRepeatEnds         = "Ends"
	labelRepeatEndNever     = "Never"
	labelRepeatEndUntil     = "After the day"
	labelRepeatEndCount     = "After"
	labelRepeatCountUnit    = "occurrences"
	labelLastDay            = "last day"
	labelFirst              = "first"
	labelSecond             = "second"
	labelThird              = "third"
	labelFourth             = "fourth"
	labelLast               = "last"
	labelMonday             = "Monday"
	labelTuesday            = "Tuesday"
	labelWednesday          = "Wednesday"
	labelThursday           = "Thursday"
	labelFriday             = "Friday"
	labelSaturday           = "Saturday"
	labelSunday             = "Sunday"
	labelMon                = "Mon"
	labelTue                = "Tue"
	labelWed                = "Wed"
	labelThu                = "Thu"
	labelFri                = "Fri"
	labelSat                = "Sat"
	labelSun                = "Sun"
	labelNextOccurrences    = "Next occurrences"

	msgRepeatHint        = "Repeats in %s time, at the start's time of day, from the first day on or after the start date that the repetition selects. Where the clocks change, a start time they skip moves forward by the gap and one they repeat is the first of the two (as RFC 5545 has it); every occurrence lasts as long as the first."
	msgRepeatEditHint    = "Once a series has begun, saving other times or another repetition changes it from its next occurrence on, as a window of its own; the occurrences before stay as they were."
	msgWeeklyOn          = "Weekly on %s"
	msgEveryWeeksOn      = "Every %s weeks on %s"
	msgMonthlyOnThe      = "Monthly on the %s %s"
	msgEveryMonthsOnThe  = "Every %s months on the %s %s"
	msgMonthlyOnDay      = "Monthly on day %s"
	msgEveryMonthsOnDay  = "Every %s months on day %s"
	msgMonthlyLastDay    = "Monthly on the last day"
	msgEveryMonthsLast   = "Every %s months on the last day"
	msgRepeatsAsRule     = "Repeats as %s"
	msgRepeatUntil       = "%s, until %s"
	msgRepeatTimes       = "%s, %s times"
	msgRepeatInZone      = "%s, in %s time"
	msgNextOccurrence    = "Next: %s"
	msgNoNextOccurrence  = "No further occurrence."
	msgOccurrenceSpan    = "%s, %s to %s"
	msgSkipped           = "The occurrence was skipped."
	msgSkipNotOccurrence = "That is not an occurrence of this system maintenance: nothing was skipped."
	msgPreviewOnce       = "This system maintenance does not repeat: it happens once."
	msgPreviewNone       = "It has no occurrence from now on."
	msgPreviewNotSaved   = "Not saved yet: save to keep it."

	// The layouts of an occurrence's start (and of a stop on another day)
	// and of a stop on the same day, and of an end date, in the admin's
	// zone; translated like a text.
	occurrenceTimeLayout     = "2006-01-02 15:04 MST"
	occurrenceStopTimeLayout = "15:04 MST"
	untilDateTimeLayout      = "2006-01-02"
)

// previewCount is how many occurrences the form's preview and the edit
// screen list.
const previewCount = 5

// Fields of the repeat forms besides the window's.
const (
	formPreview    = "Preview"
	formOccurrence = "Occurrence"
)

// noteSkip is the Notification parameter after a skip.
const noteSkip = "Skip"

var (
	dayLabels      = map[time.Weekday][2]string{time.Monday: {labelMonday, labelMon}, time.Tuesday: {labelTuesday, labelTue}, time.Wednesday: {labelWednesday, labelWed}, time.Thursday: {labelThursday, labelThu}, time.Friday: {labelFriday, labelFri}, time.Saturday: {labelSaturday, labelSat}, time.Sunday: {labelSunday, labelSun}}
	ordinalLabels  = map[int]string{1: labelFirst, 2: labelSecond, 3: labelThird, 4: labelFourth, -1: labelLast}
	repeatKinds    = []struct{ value, label string }{{RepeatNone, labelRepeatNone}, {RepeatWeekly, labelRepeatWeekly}, {RepeatMonthlyWeekday, labelRepeatMonthWeekday}, {RepeatMonthlyDay, labelRepeatMonthDay}, {RepeatCustom, labelRepeatCustom}}
	repeatEnds     = []struct{ value, label string }{{EndNever, labelRepeatEndNever}, {EndUntil, labelRepeatEndUntil}, {EndCount, labelRepeatEndCount}}
	repeatSubField = []string{FormRepeatDays, FormRepeatOrdinal, FormRepeatWeekday, FormRepeatMonthDay, FormRepeatRule, FormRepeatInterval, FormRepeatEnd, FormRepeatUntil, FormRepeatCount}
)

// Tfs translates s and puts args where it says %s, in order.
func (v view) Tfs(s string, args ...string) string {
	out := v.T(s)
	for _, a := range args {
		out = strings.Replace(out, "%s", a, 1)
	}
	return out
}

// choice is a radio button or a checkbox of the repeat fields.
type choice struct {
	ID, Value, Label, AriaLabel string
	Checked                     bool
}

// repeatView is the repeat fieldset of the window form.
type repeatView struct {
	Kinds     []choice
	Days      []choice
	Ordinals  []option
	Weekdays  []option
	MonthDays []option
	Ends      []choice
	Until     dateSel
	// Fields by form name: their value (text fields), error and ARIA
	// links.
	Fields map[string]field
	// Zone is the hidden FormRepeatZone, as posted or formatted; Hint says
	// which zone the repetition runs in and how the clocks' changes work.
	Zone, Hint string
	// NoZone says why the window cannot repeat: the admin's zone has no
	// name. The choices but "does not repeat" are then disabled.
	NoZone string
	// DescribedBy links the kind's radio buttons to the hint and the
	// kind's error.
	DescribedBy string
}

// repeatView builds the repeat fieldset from the posted or formatted
// values of f, which may be anything a client sent: values that are not a
// choice choose nothing.
func (h *handler) repeatView(v view, f url.Values, errs FormErrors, loc *time.Location) repeatView {
	rv := repeatView{Fields: map[string]field{}, Zone: f.Get(FormRepeatZone)}
	if len(rv.Zone) > maintenance.MaxZoneLen {
		rv.Zone = ""
	}
	zone := repeatZone(url.Values{FormRepeatZone: {rv.Zone}}, loc)
	if zone == "" {
		rv.NoZone = v.T(MsgRepeatNoZone)
	}
	rv.Hint = v.Tf(msgRepeatHint, zone)
	kind := f.Get(FormRepeat)
	if kind == "" {
		kind = RepeatNone
	}
	for _, k := range repeatKinds {
		rv.Kinds = append(rv.Kinds, choice{ID: FormRepeat + "-" + k.value, Value: k.value, Label: v.T(k.label), Checked: kind == k.value})
	}
	days := f[FormRepeatDays]
	for _, d := range ruleDays {
		l := dayLabels[d.day]
		rv.Days = append(rv.Days, choice{ID: FormRepeatDays + "-" + d.name, Value: d.name, Label: v.T(l[1]), AriaLabel: v.T(l[0]),
			Checked: slices.Contains(days, d.name)})
		rv.Weekdays = append(rv.Weekdays, option{Value: d.name, Label: v.T(l[0]), Selected: f.Get(FormRepeatWeekday) == d.name})
	}
	for _, n := range ordinals {
		s := strconv.Itoa(n)
		rv.Ordinals = append(rv.Ordinals, option{Value: s, Label: v.T(ordinalLabels[n]), Selected: f.Get(FormRepeatOrdinal) == s})
	}
	for n := 1; n <= 31; n++ {
		s := strconv.Itoa(n)
		rv.MonthDays = append(rv.MonthDays, option{Value: s, Label: s, Selected: f.Get(FormRepeatMonthDay) == s})
	}
	rv.MonthDays = append(rv.MonthDays, option{Value: "-1", Label: v.T(labelLastDay), Selected: f.Get(FormRepeatMonthDay) == "-1"})
	end := f.Get(FormRepeatEnd)
	if end == "" {
		end = EndNever
	}
	for _, e := range repeatEnds {
		rv.Ends = append(rv.Ends, choice{ID: FormRepeatEnd + "-" + e.value, Value: e.value, Label: v.T(e.label), Checked: end == e.value})
	}
	for _, name := range append([]string{FormRepeat}, repeatSubField...) {
		fd := field{Value: clip(f.Get(name), maintenance.MaxRuleLen+100)}
		if msg, bad := errs.Fields[name]; bad {
			fd.Error, fd.DescribedBy = v.T(msg), name+"ServerError"
		}
		rv.Fields[name] = fd
	}
	rv.DescribedBy = "RepeatHint"
	if rv.NoZone != "" {
		rv.DescribedBy += " RepeatNoZone"
	}
	if rv.Fields[FormRepeat].Error != "" {
		rv.DescribedBy += " RepeatServerError"
	}
	rv.Until = untilSelect(v, f, rv.Fields[FormRepeatUntil])
	return rv
}

// untilSelect builds the three selects of the end date.
func untilSelect(v view, f url.Values, fd field) dateSel {
	d := dateSel{Name: FormRepeatUntil, Error: fd.Error, DescribedBy: fd.DescribedBy}
	num := func(lo, hi int, part string, width int) []option {
		sel, ok := parseDigits(f.Get(FormRepeatUntil + part))
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
	year, ok := parseDigits(f.Get(FormRepeatUntil + "Year"))
	if !ok || year < minFormYear || year >= maxFormYear {
		year = minFormYear
	}
	d.Parts = []datePart{
		{ID: FormRepeatUntil + "Day", Label: v.T(labelDay), Options: num(1, 31, "Day", 2)},
		{ID: FormRepeatUntil + "Month", Label: v.T(labelMonth), Options: num(1, 12, "Month", 2)},
		{ID: FormRepeatUntil + "Year", Label: v.T(labelYear), Options: num(max(year-1, minFormYear), min(year+10, maxFormYear-1), "Year", 4)},
	}
	return d
}

// occurrenceRow is one occurrence the form lists: its times in the
// admin's zone, and the instant that names it, for a skip button.
type occurrenceRow struct {
	Text, Occurrence string
}

// occurrencesView is the list of occurrences on the form: the preview of
// the window as entered (Preview), or the next occurrences of the stored
// window with a skip button each (SkipURL set).
type occurrencesView struct {
	view
	// Zone names the admin's zone, which the times are in.
	Zone          string
	Heading, Note string
	Rows          []occurrenceRow
	// SkipURL and Version are what each skip button posts to and with.
	SkipURL, Version string
	// Skipped are the stored window's exceptions still to come.
	Skipped []string
}

// occurrenceText words the occurrence o in loc: "Sunday, 2026-11-29 02:00
// CET to 04:00 CET", the stop's date said only when it is another day.
func occurrenceText(v view, o maintenance.Window, loc *time.Location) string {
	start, stop := o.Start.In(loc), o.Stop.In(loc)
	layout := v.T(occurrenceTimeLayout)
	to := stop.Format(v.T(occurrenceStopTimeLayout))
	if start.YearDay() != stop.YearDay() || start.Year() != stop.Year() {
		to = stop.Format(layout)
	}
	return v.Tfs(msgOccurrenceSpan, v.T(dayLabels[start.Weekday()][0]), start.Format(layout), to)
}

// previewOccurrences lists the next occurrences of w, as entered, from
// now.
func (h *handler) previewOccurrences(v view, w maintenance.Window, loc *time.Location) *occurrencesView {
	ov := &occurrencesView{view: v, Zone: loc.String(), Heading: v.T(labelNextOccurrences), Note: v.T(msgPreviewNotSaved)}
	if w.Recurrence.IsZero() {
		ov.Note = v.T(msgPreviewOnce) + " " + ov.Note
	}
	next, err := w.Occurrences(h.m.Clock().Now(), previewCount)
	if err != nil {
		return ov
	}
	for _, o := range next {
		ov.Rows = append(ov.Rows, occurrenceRow{Text: occurrenceText(v, o, loc)})
	}
	if len(ov.Rows) == 0 {
		ov.Note = v.T(msgPreviewNone) + " " + ov.Note
	}
	return ov
}

// storedOccurrences lists the next occurrences of the stored recurring
// window w, each with a skip button, and its exceptions still to come;
// nil for a window that does not recur.
func (h *handler) storedOccurrences(v view, w maintenance.Window, loc *time.Location) *occurrencesView {
	if w.Recurrence.IsZero() {
		return nil
	}
	now := h.m.Clock().Now()
	ov := &occurrencesView{view: v, Zone: loc.String(), Heading: v.T(labelNextOccurrences), SkipURL: h.windowURL(w.ID) + "/skip",
		Version: strconv.FormatInt(w.Version, 10)}
	next, err := w.Occurrences(now, previewCount)
	if err != nil {
		return ov
	}
	for _, o := range next {
		ov.Rows = append(ov.Rows, occurrenceRow{Text: occurrenceText(v, o, loc), Occurrence: o.Occurrence.Format(time.RFC3339Nano)})
	}
	if len(ov.Rows) == 0 {
		ov.Note = v.T(msgNoNextOccurrence)
	}
	dur := w.Stop.Sub(w.Start)
	for _, t := range w.Recurrence.Exceptions {
		if t.Add(dur).After(now) && len(ov.Skipped) < 2*previewCount {
			ov.Skipped = append(ov.Skipped, occurrenceText(v, maintenance.Window{Start: t, Stop: t.Add(dur)}, loc))
		}
	}
	return ov
}

// describeRecurrence words how r repeats, for the overview: "Weekly on
// Sun", "Monthly on the first Tuesday, 10 times", with the zone when it is
// not loc's.
func describeRecurrence(v view, r maintenance.Recurrence, loc *time.Location) string {
	rule, err := maintenance.ParseRule(r.Rule)
	if err != nil {
		return v.Tf(msgRepeatsAsRule, r.Rule)
	}
	n := strconv.Itoa(max(rule.Interval, 1))
	every := rule.Interval > 1
	var s string
	switch {
	case len(rule.ByMonth) > 0 || (rule.Freq == maintenance.Weekly && rule.Interval > 1 && rule.WeekStart != time.Monday):
		return v.Tf(msgRepeatsAsRule, r.Rule)
	case rule.Freq == maintenance.Weekly && len(rule.ByDay) > 0:
		var days []string
		for _, d := range rule.ByDay {
			days = append(days, v.T(dayLabels[d.Day][1]))
		}
		s = v.Tf(msgWeeklyOn, strings.Join(days, ", "))
		if every {
			s = v.Tfs(msgEveryWeeksOn, n, strings.Join(days, ", "))
		}
	case rule.Freq == maintenance.Monthly && len(rule.ByDay) == 1 && len(rule.ByMonthDay) == 0 && ordinalLabels[rule.ByDay[0].N] != "":
		ord, day := v.T(ordinalLabels[rule.ByDay[0].N]), v.T(dayLabels[rule.ByDay[0].Day][0])
		s = v.Tfs(msgMonthlyOnThe, ord, day)
		if every {
			s = v.Tfs(msgEveryMonthsOnThe, n, ord, day)
		}
	case rule.Freq == maintenance.Monthly && len(rule.ByDay) == 0 && len(rule.ByMonthDay) == 1 && rule.ByMonthDay[0] == -1:
		s = v.T(msgMonthlyLastDay)
		if every {
			s = v.Tf(msgEveryMonthsLast, n)
		}
	case rule.Freq == maintenance.Monthly && len(rule.ByDay) == 0 && len(rule.ByMonthDay) == 1 && rule.ByMonthDay[0] > 0:
		d := strconv.Itoa(rule.ByMonthDay[0])
		s = v.Tf(msgMonthlyOnDay, d)
		if every {
			s = v.Tfs(msgEveryMonthsOnDay, n, d)
		}
	default:
		return v.Tf(msgRepeatsAsRule, r.Rule)
	}
	zloc := loc
	if z, ok := maintenance.LoadZone(r.Zone); ok {
		zloc = z
	}
	switch {
	case rule.Count > 0:
		s = v.Tfs(msgRepeatTimes, s, strconv.Itoa(rule.Count))
	case !rule.Until.IsZero():
		s = v.Tfs(msgRepeatUntil, s, rule.Until.In(zloc).Format(v.T(untilDateTimeLayout)))
	}
	if r.Zone != loc.String() {
		s = v.Tfs(msgRepeatInZone, s, r.Zone)
	}
	return s
}

// skipPost skips one occurrence of a recurring window (the Occurrence the
// form posts, at the posted Version) and goes back to the edit screen.
func (h *handler) skipPost(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.status(w, r, http.StatusNotFound, msgNoWindow)
		return
	}
	f := r.PostForm
	occ, err := time.Parse(time.RFC3339Nano, clip(f.Get(formOccurrence), maxExactLen))
	version, verr := strconv.ParseInt(f.Get(FormVersion), 10, 64)
	if err != nil || verr != nil || version < 1 {
		h.renderStored(w, r, http.StatusUnprocessableEntity, id, msgSkipNotOccurrence)
		return
	}
	a := adminOf(r)
	_, err = h.m.SkipOccurrence(r.Context(), id, occ, version, a.Actor)
	var invalid *maintenance.ValidationError
	switch {
	case err == nil:
	case errors.Is(err, maintenance.ErrNotFound):
		h.status(w, r, http.StatusNotFound, msgNoWindow)
		return
	case errors.Is(err, maintenance.ErrConflict):
		h.renderStored(w, r, http.StatusConflict, id, MsgConflict)
		return
	case errors.As(err, &invalid):
		h.renderStored(w, r, http.StatusUnprocessableEntity, id, msgSkipNotOccurrence)
		return
	default:
		h.serverError(w, r, err)
		return
	}
	h.log.Info("adminui: occurrence skipped", "id", id, "occurrence", occ.UTC(), "by", a.Actor)
	http.Redirect(w, r, h.windowURL(id)+"?"+paramNote+"="+noteSkip+"#Occurrences", http.StatusSeeOther)
}
