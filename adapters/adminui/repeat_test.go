package adminui_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/adminui"
	"github.com/sysmaint/sysmaint/maintenance"
)

// repeatForm is goodForm in Berlin, from Tuesday 2026-11-24 02:00 to
// 04:00, with the repeat fields set by kv (name, value, ...; a name given
// twice adds a value).
func repeatForm(kv ...string) url.Values {
	f := goodForm()
	setDate(f, "StartDate", "24", "11", "2026", "02", "00")
	setDate(f, "StopDate", "24", "11", "2026", "04", "00")
	for i := 0; i+1 < len(kv); i += 2 {
		f.Add(kv[i], kv[i+1])
	}
	return f
}

// TestParseWindowForm_Repeat parses each shape of repetition the form
// offers into the rule the window keeps, with the start moved to the first
// occurrence; formatting the window and parsing it again gives the same
// window: opening and saving the form never changes the rule.
func TestParseWindowForm_Repeat(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	tests := []struct {
		name  string
		form  []string
		rule  string
		start time.Time // in Berlin
		kind  string    // FormRepeat as formatted back
	}{
		{"weekly on Sunday", []string{"Repeat", "weekly", "RepeatDays", "SU"},
			"FREQ=WEEKLY;BYDAY=SU", time.Date(2026, 11, 29, 2, 0, 0, 0, berlin), adminui.RepeatWeekly},
		{"weekly on the start's own day", []string{"Repeat", "weekly", "RepeatDays", "TU"},
			"FREQ=WEEKLY;BYDAY=TU", time.Date(2026, 11, 24, 2, 0, 0, 0, berlin), adminui.RepeatWeekly},
		{"every other week on Monday and Thursday until 31 January", []string{"Repeat", "weekly", "RepeatDays", "TH", "RepeatDays", "MO",
			"RepeatInterval", "2", "RepeatEnd", "until", "RepeatUntilDay", "31", "RepeatUntilMonth", "01", "RepeatUntilYear", "2027"},
			"FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20270131T225959Z", time.Date(2026, 11, 26, 2, 0, 0, 0, berlin), adminui.RepeatWeekly},
		{"monthly on the first Tuesday, twelve times", []string{"Repeat", "monthly-weekday", "RepeatOrdinal", "1", "RepeatWeekday", "TU",
			"RepeatEnd", "count", "RepeatCount", "12"},
			"FREQ=MONTHLY;BYDAY=1TU;COUNT=12", time.Date(2026, 12, 1, 2, 0, 0, 0, berlin), adminui.RepeatMonthlyWeekday},
		{"every third month on the last Friday", []string{"Repeat", "monthly-weekday", "RepeatOrdinal", "-1", "RepeatWeekday", "FR", "RepeatInterval", "3"},
			"FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR", time.Date(2026, 11, 27, 2, 0, 0, 0, berlin), adminui.RepeatMonthlyWeekday},
		{"monthly on the 15th", []string{"Repeat", "monthly-day", "RepeatMonthDay", "15"},
			"FREQ=MONTHLY;BYMONTHDAY=15", time.Date(2026, 12, 15, 2, 0, 0, 0, berlin), adminui.RepeatMonthlyDay},
		{"monthly on the last day until the spring change", []string{"Repeat", "monthly-day", "RepeatMonthDay", "-1",
			"RepeatEnd", "until", "RepeatUntilDay", "28", "RepeatUntilMonth", "03", "RepeatUntilYear", "2027"},
			"FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20270328T215959Z", time.Date(2026, 11, 30, 2, 0, 0, 0, berlin), ""},
		{"an RRULE", []string{"Repeat", "rule", "RepeatRule", " rrule:freq=yearly;bymonth=12;bymonthday=24 "},
			"FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24", time.Date(2026, 12, 24, 2, 0, 0, 0, berlin), adminui.RepeatCustom},
		{"an RRULE the other choices say", []string{"Repeat", "rule", "RepeatRule", "FREQ=WEEKLY;BYDAY=SU;COUNT=3"},
			"FREQ=WEEKLY;BYDAY=SU;COUNT=3", time.Date(2026, 11, 29, 2, 0, 0, 0, berlin), adminui.RepeatWeekly},
		{"does not repeat, whatever the other fields say", []string{"Repeat", "none", "RepeatDays", "SU", "RepeatInterval", "x"},
			"", time.Date(2026, 11, 24, 2, 0, 0, 0, berlin), adminui.RepeatNone},
		{"no repeat field at all", nil, "", time.Date(2026, 11, 24, 2, 0, 0, 0, berlin), adminui.RepeatNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, errs := adminui.ParseWindowForm(repeatForm(tt.form...), berlin)
			require.True(t, errs.OK(), "%+v", errs)
			require.NoError(t, w.Validate())
			assert.Equal(t, tt.rule, w.Recurrence.Rule)
			if tt.rule != "" {
				assert.Equal(t, "Europe/Berlin", w.Recurrence.Zone, "the admin's zone")
			}
			assert.Equal(t, tt.start, w.Start.In(berlin), "the start is the first occurrence")
			assert.Equal(t, 2*time.Hour, w.Stop.Sub(w.Start), "the stop moves with it")

			f := adminui.FormatWindowForm(w, berlin)
			if tt.kind != "" {
				assert.Equal(t, tt.kind, f.Get(adminui.FormRepeat))
			}
			again, errs := adminui.ParseWindowForm(f, berlin)
			require.True(t, errs.OK(), "%+v", errs)
			assert.Equal(t, w, again, "formatted and parsed again, nothing changes")
		})
	}
}

// TestFormatWindowForm_RepeatKeepsRule: a rule made elsewhere (the API),
// which the form's choices cannot say exactly, is shown as an RRULE and
// kept as it is, in its own zone, whatever the admin's.
func TestFormatWindowForm_RepeatKeepsRule(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	tests := []struct{ rule, kind string }{
		{"FREQ=WEEKLY", adminui.RepeatCustom},                                       // the day from the start
		{"FREQ=WEEKLY;BYDAY=TU;UNTIL=20270317T140000Z", adminui.RepeatCustom},       // not the end of a day
		{"FREQ=WEEKLY;BYDAY=TU;UNTIL=20270318T035959Z", adminui.RepeatWeekly},       // the end of 17 March in New York
		{"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;WKST=SU", adminui.RepeatCustom},           // another week start
		{"FREQ=DAILY;COUNT=5", adminui.RepeatCustom},                                // daily
		{"FREQ=MONTHLY;BYDAY=2TU,4TU", adminui.RepeatCustom},                        // two weekdays
		{"FREQ=MONTHLY;BYDAY=-2TU", adminui.RepeatCustom},                           // the last but one
		{"FREQ=MONTHLY;BYMONTH=1,7;BYDAY=1TU", adminui.RepeatCustom},                // some months
		{"FREQ=MONTHLY;INTERVAL=2;BYDAY=1TU;COUNT=4", adminui.RepeatMonthlyWeekday}, // the form's own
	}
	start := time.Date(2026, 12, 1, 22, 0, 0, 0, ny) // the first Tuesday of December
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			w := maintenance.Window{Start: start, Stop: start.Add(time.Hour), Comment: "c", Validity: maintenance.Valid, Version: 4,
				Recurrence: maintenance.Recurrence{Rule: tt.rule, Zone: "America/New_York"}}
			w, err := w.Align()
			require.NoError(t, err)
			w = w.Normalize()
			require.NoError(t, w.Validate())
			for _, admin := range []*time.Location{time.UTC, mustZone(t, "Europe/Berlin"), ny} {
				f := adminui.FormatWindowForm(w, admin)
				assert.Equal(t, tt.kind, f.Get(adminui.FormRepeat), "%v", admin)
				assert.Equal(t, "America/New_York", f.Get(adminui.FormRepeatZone), "the rule's zone is kept")
				got, errs := adminui.ParseWindowForm(f, admin)
				require.True(t, errs.OK(), "%v: %+v", admin, errs)
				assert.Equal(t, w, got, "%v: opening and saving keeps the rule", admin)
			}
		})
	}
}

func TestParseWindowForm_RepeatErrors(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	tests := []struct {
		name string
		form []string
		loc  *time.Location
		want map[string]string
	}{
		{"weekly on no day", []string{"Repeat", "weekly"}, berlin, map[string]string{adminui.FormRepeatDays: adminui.MsgRepeatDays}},
		{"weekly on a day that is none", []string{"Repeat", "weekly", "RepeatDays", "XX"}, berlin, map[string]string{adminui.FormRepeatDays: adminui.MsgUnknownValue}},
		{"an unknown repetition", []string{"Repeat", "hourly"}, berlin, map[string]string{adminui.FormRepeat: adminui.MsgUnknownValue}},
		{"interval zero", []string{"Repeat", "weekly", "RepeatDays", "SU", "RepeatInterval", "0"}, berlin, map[string]string{adminui.FormRepeatInterval: adminui.MsgRepeatInterval}},
		{"interval too large", []string{"Repeat", "weekly", "RepeatDays", "SU", "RepeatInterval", "1001"}, berlin, map[string]string{adminui.FormRepeatInterval: adminui.MsgRepeatInterval}},
		{"interval not a number", []string{"Repeat", "monthly-day", "RepeatMonthDay", "1", "RepeatInterval", "-2"}, berlin, map[string]string{adminui.FormRepeatInterval: adminui.MsgRepeatInterval}},
		{"the fifth Tuesday", []string{"Repeat", "monthly-weekday", "RepeatOrdinal", "5", "RepeatWeekday", "TU"}, berlin, map[string]string{adminui.FormRepeatOrdinal: adminui.MsgUnknownValue}},
		{"no weekday", []string{"Repeat", "monthly-weekday", "RepeatOrdinal", "1"}, berlin, map[string]string{adminui.FormRepeatWeekday: adminui.MsgUnknownValue}},
		{"day 32", []string{"Repeat", "monthly-day", "RepeatMonthDay", "32"}, berlin, map[string]string{adminui.FormRepeatMonthDay: adminui.MsgUnknownValue}},
		{"day 0", []string{"Repeat", "monthly-day", "RepeatMonthDay", "0"}, berlin, map[string]string{adminui.FormRepeatMonthDay: adminui.MsgUnknownValue}},
		{"count zero", []string{"Repeat", "weekly", "RepeatDays", "SU", "RepeatEnd", "count", "RepeatCount", "0"}, berlin, map[string]string{adminui.FormRepeatCount: adminui.MsgRepeatCount}},
		{"count too large", []string{"Repeat", "weekly", "RepeatDays", "SU", "RepeatEnd", "count", "RepeatCount", "1001"}, berlin, map[string]string{adminui.FormRepeatCount: adminui.MsgRepeatCount}},
		{"an end date that is none", []string{"Repeat", "weekly", "RepeatDays", "SU", "RepeatEnd", "until", "RepeatUntilDay", "31", "RepeatUntilMonth", "02", "RepeatUntilYear", "2027"}, berlin,
			map[string]string{adminui.FormRepeatUntil: adminui.MsgDateInvalid}},
		{"an end date before the first occurrence", []string{"Repeat", "weekly", "RepeatDays", "SU", "RepeatEnd", "until", "RepeatUntilDay", "28", "RepeatUntilMonth", "11", "RepeatUntilYear", "2026"}, berlin,
			map[string]string{adminui.FormRepeat: adminui.MsgRepeatNoOccurrence}},
		{"an unknown end", []string{"Repeat", "weekly", "RepeatDays", "SU", "RepeatEnd", "sometime"}, berlin, map[string]string{adminui.FormRepeatEnd: adminui.MsgUnknownValue}},
		{"an empty RRULE", []string{"Repeat", "rule", "RepeatRule", "  "}, berlin, map[string]string{adminui.FormRepeatRule: adminui.MsgRequired}},
		{"an hourly RRULE", []string{"Repeat", "rule", "RepeatRule", "FREQ=HOURLY"}, berlin, map[string]string{adminui.FormRepeatRule: adminui.MsgRepeatRule}},
		{"an RRULE with no occurrence", []string{"Repeat", "rule", "RepeatRule", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, berlin, map[string]string{adminui.FormRepeat: adminui.MsgRepeatNoOccurrence}},
		{"an unknown zone", []string{"Repeat", "weekly", "RepeatDays", "SU", "RepeatZone", "Mars/Olympus_Mons"}, berlin, map[string]string{adminui.FormRepeat: adminui.MsgRepeatUnknownZone}},
		{"a fixed zone without a name", []string{"Repeat", "weekly", "RepeatDays", "SU"}, time.FixedZone("", 3600), map[string]string{adminui.FormRepeat: adminui.MsgRepeatNoZone}},
		{"the Local zone", []string{"Repeat", "weekly", "RepeatDays", "SU"}, time.Local, map[string]string{adminui.FormRepeat: adminui.MsgRepeatNoZone}},
		{"an occurrence longer than a year", []string{"Repeat", "weekly", "RepeatDays", "TU", "StopDateYear", "2027", "StopDateMonth", "12"}, berlin,
			map[string]string{adminui.FormStopDate: adminui.MsgRepeatTooLong}},
		{"a start with seconds", []string{"Repeat", "weekly", "RepeatDays", "TU", "StartDateExact", "2026-11-24T01:00:30.5Z"}, berlin,
			map[string]string{adminui.FormStartDate: adminui.MsgRepeatWholeSecond}},
		{"a start the clocks skip, as for a window that happens once", []string{"Repeat", "weekly", "RepeatDays", "SU", "StartDateDay", "28", "StartDateMonth", "03", "StartDateYear", "2027",
			"StartDateHour", "02", "StartDateMinute", "30", "StopDateYear", "2027"}, berlin, map[string]string{adminui.FormStartDate: adminui.MsgDateNotExist}},
		{"many at once", []string{"Repeat", "weekly", "RepeatInterval", "x", "RepeatEnd", "count", "RepeatCount", "x", "Comment", ""}, berlin,
			map[string]string{adminui.FormRepeatDays: adminui.MsgRepeatDays, adminui.FormRepeatInterval: adminui.MsgRepeatInterval, adminui.FormRepeatCount: adminui.MsgRepeatCount}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := repeatForm()
			for i := 0; i+1 < len(tt.form); i += 2 {
				if strings.HasPrefix(tt.form[i], "Repeat") && tt.form[i] != adminui.FormRepeatZone {
					f.Add(tt.form[i], tt.form[i+1])
				} else {
					f.Set(tt.form[i], tt.form[i+1])
				}
			}
			w, errs := adminui.ParseWindowForm(f, tt.loc)
			assert.False(t, errs.OK())
			for field, msg := range tt.want {
				assert.Equal(t, msg, errs.Fields[field], field)
			}
			if len(tt.want) == 1 {
				assert.Len(t, errs.Fields, 1, "%+v", errs.Fields)
			}
			assert.Equal(t, maintenance.Window{}, w, "no window on error")
		})
	}
}

// TestRepeat_Screens goes through the screens: the repeat fields on the
// new form, a preview that writes nothing, saving, the edit screen with
// the rule as saved and the next occurrences, saving it unchanged, and the
// overview.
func TestRepeat_Screens(t *testing.T) {
	h := newHarness(t)
	c := h.as("berta") // Europe/Berlin
	berlin := mustZone(t, "Europe/Berlin")

	p := c.get(prefix + "/new")
	require.Equal(t, http.StatusOK, p.status)
	assert.Contains(t, tagOf(p.body, "Repeat-none"), "checked")
	label, _ := textOf(p.body, "RepeatHint")
	assert.Contains(t, label, "Repeats in Europe/Berlin time")
	assert.Contains(t, label, "RFC 5545")
	desc, _ := attr(p.body, "Repeat-weekly", "aria-describedby")
	assert.Equal(t, "RepeatHint", desc)
	assert.Contains(t, p.body, `<label for="Repeat-weekly">Weekly on</label>`)
	assert.False(t, strings.Contains(p.body, `id="Occurrences"`), "no list before a preview")

	// Preview: the next five occurrences from now, in Berlin, nothing
	// written.
	f := formValues(p.body, "WindowForm")
	setDate(f, "StartDate", "24", "11", "2026", "22", "00")
	setDate(f, "StopDate", "24", "11", "2026", "23", "00")
	f.Set("Comment", "Database upgrade")
	f.Set("Repeat", "monthly-weekday")
	f.Set("RepeatOrdinal", "1")
	f.Set("RepeatWeekday", "TU")
	f.Set("RepeatEnd", "count")
	f.Set("RepeatCount", "3")
	f.Set("Preview", "1")
	p = c.postT(prefix+"/new", f)
	require.Equal(t, http.StatusOK, p.status, "%s", p.body)
	assert.Empty(t, h.windows(), "a preview writes nothing")
	assert.Equal(t, []string{
		"Tuesday, 2026-12-01 22:00 CET to 23:00 CET",
		"Tuesday, 2027-01-05 22:00 CET to 23:00 CET",
		"Tuesday, 2027-02-02 22:00 CET to 23:00 CET",
	}, occurrenceTexts(p.body), "three, as COUNT says")
	note, _ := textOf(p.body, "OccurrencesNote")
	assert.Equal(t, "Not saved yet: save to keep it.", note)
	assert.NotContains(t, p.body, "SkipOccurrence", "nothing to skip before it is saved")
	assert.Equal(t, "monthly-weekday", checkedValue(p.body, "Repeat"), "the input is kept")
	assert.Equal(t, "1", selected(p.body, "RepeatOrdinal"))

	// Save, then open: the form shows the rule as saved; saving it
	// unchanged changes nothing.
	f.Del("Preview")
	f.Set("ContinueAfterSave", "1")
	p = c.postT(prefix+"/new", f)
	require.Equal(t, http.StatusSeeOther, p.status, "%s", p.body)
	ws := h.windows()
	require.Len(t, ws, 1)
	win := ws[0]
	assert.Equal(t, maintenance.Recurrence{Rule: "FREQ=MONTHLY;BYDAY=1TU;COUNT=3", Zone: "Europe/Berlin"}, win.Recurrence)
	assert.Equal(t, time.Date(2026, 12, 1, 22, 0, 0, 0, berlin), win.Start.In(berlin))

	p = c.get(windowPath(win.ID))
	assert.Equal(t, "monthly-weekday", checkedValue(p.body, "Repeat"))
	assert.Equal(t, "TU", selected(p.body, "RepeatWeekday"))
	assert.Equal(t, "count", checkedValue(p.body, "RepeatEnd"))
	assert.Equal(t, "3", valueOf(p.body, "RepeatCount"))
	assert.Equal(t, 3, strings.Count(p.body, `class="SkipOccurrence"`), "the stored window's occurrences, each with a skip button")
	f = formValues(p.body, "WindowForm")
	p = c.postT(windowPath(win.ID), f)
	require.Equal(t, http.StatusSeeOther, p.status, "%s", p.body)
	saved := h.get(win.ID)
	assert.Equal(t, win.Recurrence, saved.Recurrence, "opening and saving keeps the rule")
	assert.Equal(t, win.Start, saved.Start)
	assert.Equal(t, win.Version+1, saved.Version)

	// The overview says how it repeats and when next.
	p = c.get(prefix + "/")
	row := rowWith(p.body, "Database upgrade")
	assert.Contains(t, row, `<span class="Repeats">Monthly on the first Tuesday, 3 times</span>`)
	assert.Contains(t, row, `<span class="NextOccurrence">Next: Tuesday, 2026-12-01 22:00 CET to 23:00 CET</span>`)
	h.clock.Set(time.Date(2027, 2, 2, 21, 30, 0, 0, time.UTC))
	row = rowWith(c.get(prefix+"/").body, "Database upgrade")
	assert.Contains(t, row, `Next: Tuesday, 2027-02-02 22:00 CET to 23:00 CET`, "the one in progress")
	h.clock.Set(time.Date(2027, 2, 3, 0, 0, 0, 0, time.UTC))
	row = rowWith(c.get(prefix+"/").body, "Database upgrade")
	assert.Contains(t, row, `No further occurrence.`)

	// Making it happen once.
	h.clock.Set(day)
	f = formValues(c.get(windowPath(win.ID)).body, "WindowForm")
	f.Set("Repeat", "none")
	require.Equal(t, http.StatusSeeOther, c.postT(windowPath(win.ID), f).status)
	assert.True(t, h.get(win.ID).Recurrence.IsZero())
	assert.NotContains(t, c.get(prefix+"/").body, `class="Repeats"`)
}

// TestRepeat_Preview: the preview of a window as entered, new or edited,
// writes nothing; of one that happens once it says so; an error is shown
// as for saving.
func TestRepeat_Preview(t *testing.T) {
	h := newHarness(t)
	c := h.as("alice") // UTC
	win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
	before := h.windows()

	f := windowForm(win)
	f.Set("Preview", "1")
	p := c.postT(windowPath(win.ID), f)
	require.Equal(t, http.StatusOK, p.status)
	assert.Equal(t, []string{"Tuesday, 2026-11-24 11:00 UTC to 12:00 UTC"}, occurrenceTexts(p.body))
	note, _ := textOf(p.body, "OccurrencesNote")
	assert.Contains(t, note, "does not repeat")

	f.Set("Repeat", "weekly")
	f.Set("RepeatDays", "TU")
	f.Set("RepeatInterval", "2")
	p = c.postT(windowPath(win.ID), f)
	require.Equal(t, http.StatusOK, p.status)
	assert.Equal(t, []string{
		"Tuesday, 2026-11-24 11:00 UTC to 12:00 UTC", "Tuesday, 2026-12-08 11:00 UTC to 12:00 UTC",
		"Tuesday, 2026-12-22 11:00 UTC to 12:00 UTC", "Tuesday, 2027-01-05 11:00 UTC to 12:00 UTC",
		"Tuesday, 2027-01-19 11:00 UTC to 12:00 UTC",
	}, occurrenceTexts(p.body))
	assert.Equal(t, before, h.windows(), "a preview of an edit writes nothing")

	f.Del("RepeatDays")
	p = c.postT(windowPath(win.ID), f)
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	msg, _ := textOf(p.body, "RepeatDaysServerError")
	assert.Equal(t, adminui.MsgRepeatDays, msg)
	assert.True(t, hasErrorClass(p.body, "RepeatDays-MO"))
	desc, _ := attr(p.body, "RepeatDays-MO", "aria-describedby")
	assert.Equal(t, "RepeatDaysServerError", desc)
	inv, _ := attr(p.body, "RepeatDays-MO", "aria-invalid")
	assert.Equal(t, "true", inv)
	_, focus := attr(p.body, "RepeatDays-MO", "autofocus")
	assert.True(t, focus, "the first field in error has the focus")
	assert.Contains(t, p.body, `<a href="#RepeatDays-MO">Weekly on: `+adminui.MsgRepeatDays+`</a>`, "listed in the summary")
	assert.False(t, strings.Contains(p.body, `id="Occurrences"`))
	assert.Equal(t, before, h.windows())
}

// TestRepeat_Skip skips occurrences from the edit screen, with the CSRF
// token and the version, and keeps the skipped ones when the form is
// saved.
func TestRepeat_Skip(t *testing.T) {
	h := newHarness(t)
	c := h.as("alice")
	sunday := time.Date(2026, 11, 29, 2, 0, 0, 0, time.UTC)
	win := h.addWindow(sunday, sunday.Add(2*time.Hour), func(w *maintenance.Window) {
		w.Recurrence = maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=SU", Zone: "UTC"}
	})
	p := c.get(windowPath(win.ID))
	require.Equal(t, 5, strings.Count(p.body, `class="SkipOccurrence"`))
	assert.Contains(t, p.body, `aria-label="Skip this one: Sunday, 2026-12-06 02:00 UTC to 04:00 UTC"`)
	skip := url.Values{"Occurrence": {"2026-12-06T02:00:00Z"}, "Version": {"1"}}

	p = c.post(windowPath(win.ID)+"/skip", skip)
	assert.Equal(t, http.StatusForbidden, p.status, "without the CSRF token")
	assert.Empty(t, h.get(win.ID).Recurrence.Exceptions)

	p = c.postT(windowPath(win.ID)+"/skip", skip)
	require.Equal(t, http.StatusSeeOther, p.status, "%s", p.body)
	assert.Equal(t, windowPath(win.ID)+"?Notification=Skip#Occurrences", p.location)
	assert.Equal(t, []time.Time{sunday.AddDate(0, 0, 7)}, h.get(win.ID).Recurrence.Exceptions)
	p = c.get(p.location)
	assert.Contains(t, messages(p.body, "Notice"), "The occurrence was skipped.")
	assert.Equal(t, "Sunday, 2026-11-29 02:00 UTC to 04:00 UTC", occurrenceTexts(p.body)[0])
	assert.Equal(t, "Sunday, 2026-12-13 02:00 UTC to 04:00 UTC", occurrenceTexts(p.body)[1], "the skipped one is left out")
	assert.Contains(t, p.body, `<li>Sunday, 2026-12-06 02:00 UTC to 04:00 UTC</li>`, "and listed as skipped")

	p = c.postT(windowPath(win.ID)+"/skip", url.Values{"Occurrence": {"2026-12-13T02:00:00Z"}, "Version": {"1"}})
	assert.Equal(t, http.StatusConflict, p.status, "a stale version")
	assert.Contains(t, messages(p.body, "Error"), adminui.MsgConflict)
	p = c.postT(windowPath(win.ID)+"/skip", url.Values{"Occurrence": {"2026-12-14T02:00:00Z"}, "Version": {"2"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.status, "not an occurrence")
	assert.Contains(t, messages(p.body, "Error"), "That is not an occurrence of this system maintenance: nothing was skipped.")
	p = c.postT(windowPath(win.ID)+"/skip", url.Values{"Occurrence": {"soon"}, "Version": {"2"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	p = c.postT(windowPath(999)+"/skip", skip)
	assert.Equal(t, http.StatusNotFound, p.status)
	assert.Equal(t, []time.Time{sunday.AddDate(0, 0, 7)}, h.get(win.ID).Recurrence.Exceptions, "nothing more skipped")

	// Saving the form keeps the skipped occurrence; changing the rule so
	// that it is none drops it.
	f := formValues(c.get(windowPath(win.ID)).body, "WindowForm")
	f.Set("Comment", "renamed")
	require.Equal(t, http.StatusSeeOther, c.postT(windowPath(win.ID), f).status)
	assert.Equal(t, []time.Time{sunday.AddDate(0, 0, 7)}, h.get(win.ID).Recurrence.Exceptions)
	f = formValues(c.get(windowPath(win.ID)).body, "WindowForm")
	f.Set("RepeatInterval", "2")
	p = c.postT(windowPath(win.ID), f)
	require.Equal(t, http.StatusSeeOther, p.status, "%s", p.body)
	assert.Empty(t, h.get(win.ID).Recurrence.Exceptions, "6 December is no occurrence of every other Sunday")
	assert.Equal(t, "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU", h.get(win.ID).Recurrence.Rule)

	// A window that happens once has no list, and nothing to skip.
	once := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour))
	assert.NotContains(t, c.get(windowPath(once.ID)).body, `id="Occurrences"`)
	p = c.postT(windowPath(once.ID)+"/skip", url.Values{"Occurrence": {httpInstant(once.Start)}, "Version": {"1"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
}

// TestRepeat_FixedZone: an admin whose zone is a fixed offset without a
// name cannot make a window repeat, and is told why; a window that
// repeats in its own zone can still be edited.
func TestRepeat_FixedZone(t *testing.T) {
	h := newHarness(t)
	h.admins["fixed"] = &adminui.Admin{Actor: "fixed", Location: time.FixedZone("", 2*3600)}
	c := h.as("fixed")
	p := c.get(prefix + "/new")
	msg, ok := textOf(p.body, "RepeatNoZone")
	require.True(t, ok)
	assert.Equal(t, adminui.MsgRepeatNoZone, msg)
	_, disabled := attr(p.body, "Repeat-weekly", "disabled")
	assert.True(t, disabled)
	_, disabled = attr(p.body, "Repeat-none", "disabled")
	assert.False(t, disabled)
	desc, _ := attr(p.body, "Repeat-none", "aria-describedby")
	assert.Equal(t, "RepeatHint RepeatNoZone", desc)

	f := formValues(p.body, "WindowForm")
	f.Set("Comment", "x")
	f.Set("Repeat", "weekly")
	p = c.postT(prefix+"/new", f)
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	msg, _ = textOf(p.body, "RepeatServerError")
	assert.Equal(t, adminui.MsgRepeatNoZone, msg)
	assert.Empty(t, h.windows())

	sunday := time.Date(2026, 11, 29, 2, 0, 0, 0, time.UTC)
	win := h.addWindow(sunday, sunday.Add(time.Hour), func(w *maintenance.Window) {
		w.Recurrence = maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=SU", Zone: "Europe/Berlin"}
	})
	p = c.get(windowPath(win.ID))
	assert.NotContains(t, p.body, `id="RepeatNoZone"`, "the window repeats in its own zone")
	f = formValues(p.body, "WindowForm")
	f.Set("Comment", "renamed")
	require.Equal(t, http.StatusSeeOther, c.postT(windowPath(win.ID), f).status)
	assert.Equal(t, maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=SU", Zone: "Europe/Berlin"}, h.get(win.ID).Recurrence)
	assert.Equal(t, sunday, h.get(win.ID).Start)
}

// TestRepeat_German: the repeat fields, the occurrences, the overview's
// line and the errors in German.
func TestRepeat_German(t *testing.T) {
	h := newHarness(t)
	c := h.as("dieter") // Europe/Berlin, de-DE
	berlin := mustZone(t, "Europe/Berlin")
	start := time.Date(2026, 11, 29, 2, 0, 0, 0, berlin)
	win := h.addWindow(start, start.Add(2*time.Hour), func(w *maintenance.Window) {
		w.Recurrence = maintenance.Recurrence{Rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU;UNTIL=20270131T225959Z", Zone: "Europe/Berlin"}
	})

	row := rowWith(c.get(prefix+"/").body, "test window")
	assert.Contains(t, row, `<span class="Repeats">Alle 2 Wochen am So, bis 31.01.2027</span>`)
	assert.Contains(t, row, `<span class="NextOccurrence">Nächster Termin: Sonntag, 29.11.2026 02:00 CET bis 04:00 CET</span>`)

	p := c.get(windowPath(win.ID))
	assert.Contains(t, p.body, `<legend>Wiederholen</legend>`)
	assert.Contains(t, p.body, `<label for="Repeat-weekly">Wöchentlich am</label>`)
	assert.Contains(t, p.body, `aria-label="Sonntag"`)
	hint, _ := textOf(p.body, "RepeatHint")
	assert.Contains(t, hint, "Wiederholt sich in der Zeit von Europe/Berlin")
	assert.Equal(t, "Sonntag, 13.12.2026 02:00 CET bis 04:00 CET", occurrenceTexts(p.body)[1])
	assert.Contains(t, p.body, `>Diesen auslassen</button>`)
	assert.Contains(t, p.body, `>letzten</option>`)

	f := formValues(p.body, "WindowForm")
	f.Del("RepeatDays")
	p = c.postT(windowPath(win.ID), f)
	msg, _ := textOf(p.body, "RepeatDaysServerError")
	assert.Equal(t, "Wählen Sie mindestens einen Wochentag.", msg)

	f.Set("RepeatDays", "SU")
	f.Set("Preview", "1")
	p = c.postT(windowPath(win.ID), f)
	note, _ := textOf(p.body, "OccurrencesNote")
	assert.Equal(t, "Noch nicht gespeichert: speichern Sie, um sie zu behalten.", note)

	p = c.postT(windowPath(win.ID)+"/skip", url.Values{"Occurrence": {httpInstant(start)}, "Version": {"1"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	assert.Contains(t, messages(c.get(p.location).body, "Notice"), "Der Termin wurde ausgelassen.")
}

// occurrenceTexts returns the texts of the occurrences the page lists.
func occurrenceTexts(body string) []string {
	var out []string
	for _, part := range strings.Split(body, `<span class="Occurrence">`)[1:] {
		out = append(out, html.UnescapeString(part[:strings.Index(part, "</span>")]))
	}
	return out
}

// checkedValue returns the value of the checked radio button name.
func checkedValue(body, name string) string {
	f := formValues(body, "WindowForm")
	return f.Get(name)
}

// valueOf returns the value attribute of the element id.
func valueOf(body, id string) string {
	v, _ := attr(body, id, "value")
	return v
}

func httpInstant(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// TestRepeat_EditABegunSeries: other times or another repetition for a
// series that has begun apply from its next occurrence on, and the
// occurrences that have happened stay as they were; other changes apply
// to the whole series.
func TestRepeat_EditABegunSeries(t *testing.T) {
	h := newHarness(t)
	c := h.as("alice")
	first := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC) // a Sunday, weeks before the harness's now
	win := h.addWindow(first, first.Add(2*time.Hour), func(w *maintenance.Window) {
		w.Recurrence = maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=SU", Zone: "UTC",
			Exceptions: []time.Time{first.AddDate(0, 0, 7)}}
	})
	form := c.get(windowPath(win.ID)).body
	hint, _ := textOf(form, "RepeatHint")
	assert.Contains(t, hint, "changes it from its next occurrence on")

	f := formValues(form, "WindowForm")
	f.Set("Comment", "renamed")
	require.Equal(t, http.StatusSeeOther, c.postT(windowPath(win.ID), f).status)
	require.Len(t, h.windows(), 1, "a change of the texts is the whole series'")
	assert.Equal(t, "renamed", h.get(win.ID).Comment)

	f = formValues(c.get(windowPath(win.ID)).body, "WindowForm")
	f.Set("RepeatInterval", "2")
	p := c.postT(windowPath(win.ID), f)
	require.Equal(t, http.StatusSeeOther, p.status, "%s", p.body)
	ws := h.windows()
	require.Len(t, ws, 2)
	past, next := ws[0], ws[1]
	assert.Equal(t, win.ID, past.ID)
	assert.Equal(t, first, past.Start, "the series that has happened keeps its start")
	assert.Equal(t, "FREQ=WEEKLY;BYDAY=SU;UNTIL=20261129T015959Z", past.Recurrence.Rule, "and ends before the next occurrence")
	assert.Equal(t, []time.Time{first.AddDate(0, 0, 7)}, past.Recurrence.Exceptions, "with its skipped occurrence")
	assert.Equal(t, time.Date(2026, 11, 29, 2, 0, 0, 0, time.UTC), next.Start, "every other Sunday from 1 November: the 29th is the first to come")
	assert.Equal(t, "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU", next.Recurrence.Rule)
	assert.Equal(t, "renamed", next.Comment)
	assert.Equal(t, "alice", next.CreatedBy)
	happened, err := past.Occurrences(first.AddDate(0, 0, 14), 10)
	require.NoError(t, err)
	require.Len(t, happened, 2, "15 and 22 November happened weekly, as it was then")
	assert.Equal(t, first.AddDate(0, 0, 21), happened[1].Start)
	assert.False(t, h.m.StatusAt(time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)).Active(), "6 December is none of every other Sunday")
	assert.True(t, h.m.StatusAt(time.Date(2026, 12, 13, 3, 0, 0, 0, time.UTC)).Active())
}
