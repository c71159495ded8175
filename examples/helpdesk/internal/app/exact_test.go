package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/app"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/session"
)

// TestAdmin_OpenAndSaveKeepsTheWindow: a window written through the
// Manager (as the API would) at instants the selects cannot show (seconds,
// milliseconds, a local time that occurs twice) is opened in the edit
// form, and what the browser would post back is saved unchanged: the
// window does not move.
func TestAdmin_OpenAndSaveKeepsTheWindow(t *testing.T) {
	utc := func(s string) time.Time {
		at, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		return at
	}
	tests := []struct {
		name        string
		zone        string
		start, stop time.Time
		// wantHint is the hint of the start date, "" for none.
		wantHint string
	}{
		{"seconds", "UTC", utc("2026-11-24T10:00:30Z"), utc("2026-11-24T11:00:45Z"),
			"Exactly 24.11.2026 10:00:30 UTC: kept while the date above is unchanged."},
		{"milliseconds", "UTC", utc("2026-11-24T10:00:30.25Z"), utc("2026-11-24T11:00:59.999Z"),
			"Exactly 24.11.2026 10:00:30.25 UTC: kept while the date above is unchanged."},
		{"whole minutes", "Europe/Berlin", utc("2026-11-24T10:00:00Z"), utc("2026-11-24T11:00:00Z"), ""},
		{"a local time that occurs twice", "Europe/Berlin", utc("2026-10-25T00:30:00Z"), utc("2026-10-25T01:30:00Z"), ""},
		{"seconds in a half-hour zone", "Australia/Lord_Howe", utc("2026-11-24T10:00:07Z"), utc("2026-11-24T11:00:08Z"),
			"Exactly 24.11.2026 21:00:07 +11: kept while the date above is unchanged."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			require.NoError(t, h.app.AddUser(context.Background(), app.User{
				Login: "zoned", FullName: "Zoned Admin", Kind: session.Agent, TimeZone: tt.zone,
				Groups: map[string][]string{"admin": {"rw"}},
			}, "pw"))
			c := h.client()
			require.Equal(t, http.StatusSeeOther, c.post("/login", url.Values{"User": {"zoned"}, "Password": {"pw"}}).status)
			win := h.addWindow(tt.start, tt.stop)
			path := "/admin/maintenance/" + strconv.FormatInt(win.ID, 10)

			p := c.get(path)
			require.Equal(t, http.StatusOK, p.status)
			note, _ := textOf(p.body, "TimeZoneNote")
			assert.Equal(t, "Times in "+tt.zone, note)
			hint, ok := textOf(p.body, "StartDateExactHint")
			assert.Equal(t, tt.wantHint != "", ok)
			assert.Equal(t, tt.wantHint, hint)

			f := formValues(p.body, "WindowForm")
			require.NotEmpty(t, f.Get("StartDateExact"), "the page carries the exact instant")
			f.Set("ContinueAfterSave", "1")
			p = c.post(path, f)
			require.Equal(t, http.StatusSeeOther, p.status, "saved unchanged: %s", p.body)
			got, err := h.app.Manager().Get(context.Background(), win.ID)
			require.NoError(t, err)
			assert.Equal(t, win.Start, got.Start, "the start did not move")
			assert.Equal(t, win.Stop, got.Stop, "the stop did not move")
			assert.Equal(t, win.Version+1, got.Version, "it was saved")

			// Opened and saved again, from the page the save led to.
			p = c.get(p.location)
			f = formValues(p.body, "WindowForm")
			require.Equal(t, http.StatusSeeOther, c.post(path, f).status)
			again, err := h.app.Manager().Get(context.Background(), win.ID)
			require.NoError(t, err)
			assert.Equal(t, win.Start, again.Start)
			assert.Equal(t, win.Stop, again.Stop)
		})
	}

	t.Run("another minute is that minute", func(t *testing.T) {
		h := newHarness(t)
		c := h.login("admin")
		win := h.addWindow(time.Date(2026, 11, 24, 10, 0, 30, 0, time.UTC), time.Date(2026, 11, 24, 11, 0, 45, 0, time.UTC))
		path := "/admin/maintenance/" + strconv.FormatInt(win.ID, 10)
		f := formValues(c.get(path).body, "WindowForm")
		f.Set("StartDateMinute", "05")
		require.Equal(t, http.StatusSeeOther, c.post(path, f).status)
		got, err := h.app.Manager().Get(context.Background(), win.ID)
		require.NoError(t, err)
		assert.Equal(t, time.Date(2026, 11, 24, 10, 5, 0, 0, time.UTC), got.Start, "the minute chosen, at second zero")
		assert.Equal(t, win.Stop, got.Stop, "the untouched stop keeps its seconds")
	})

	t.Run("a form shown again after an error keeps the exact instant", func(t *testing.T) {
		h := newHarness(t)
		c := h.login("admin")
		win := h.addWindow(time.Date(2026, 11, 24, 10, 0, 30, 0, time.UTC), time.Date(2026, 11, 24, 11, 0, 45, 0, time.UTC))
		path := "/admin/maintenance/" + strconv.FormatInt(win.ID, 10)
		f := formValues(c.get(path).body, "WindowForm")
		f.Set("Comment", "")
		p := c.post(path, f)
		require.Equal(t, http.StatusUnprocessableEntity, p.status)
		f = formValues(p.body, "WindowForm")
		f.Set("Comment", "fixed")
		require.Equal(t, http.StatusSeeOther, c.post(path, f).status)
		got, err := h.app.Manager().Get(context.Background(), win.ID)
		require.NoError(t, err)
		assert.Equal(t, win.Start, got.Start)
		assert.Equal(t, win.Stop, got.Stop)
		assert.Equal(t, "fixed", got.Comment)
	})
}

// TestAdmin_DatesShowTheirZone: the overview and the form label every date
// with the admin's zone, winter and summer time apart, and the overview
// never rounds a bound.
func TestAdmin_DatesShowTheirZone(t *testing.T) {
	h := newHarness(t)
	require.NoError(t, h.app.AddUser(context.Background(), app.User{
		Login: "berlin", FullName: "Berta", Kind: session.Agent, TimeZone: "Europe/Berlin",
		Groups: map[string][]string{"admin": {"rw"}},
	}, "pw"))
	c := h.client()
	require.Equal(t, http.StatusSeeOther, c.post("/login", url.Values{"User": {"berlin"}, "Password": {"pw"}}).status)
	winter := h.addWindow(day.Add(time.Hour), day.Add(time.Hour+90*time.Second+500*time.Millisecond), func(w *maintenance.Window) { w.Comment = "winter" })
	summer := time.Date(2027, 7, 1, 10, 0, 0, 0, time.UTC)
	h.addWindow(summer, summer.Add(time.Hour), func(w *maintenance.Window) { w.Comment = "summer" })

	p := c.get("/admin/maintenance")
	note, _ := textOf(p.body, "TimeZoneNote")
	assert.Equal(t, "Times in Europe/Berlin", note)
	assert.Contains(t, rowWith(p.body, "winter"), ">2026-11-24 12:00:00 CET</a>")
	assert.Contains(t, rowWith(p.body, "winter"), "<td>2026-11-24 12:01:30.5 CET</td>")
	assert.Contains(t, rowWith(p.body, "summer"), ">2027-07-01 12:00:00 CEST</a>")

	p = c.get("/admin/maintenance/" + strconv.FormatInt(winter.ID, 10))
	zone, _ := textOf(p.body, "StartDateZone")
	assert.Equal(t, "CET", zone)
	p = c.get("/admin/maintenance/new")
	note, _ = textOf(p.body, "TimeZoneNote")
	assert.Equal(t, "Times in Europe/Berlin", note)
	zone, _ = textOf(p.body, "StopDateZone")
	assert.Equal(t, "CET", zone)
}

// TestParseWindowForm_Exact: the hidden exact instant is taken when the
// selects show its minute in the zone, and ignored otherwise.
func TestParseWindowForm_Exact(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	tests := []struct {
		name  string
		loc   *time.Location
		mod   func(url.Values)
		want  time.Time
		field string // the error's field, when the form is refused
	}{
		{"seconds kept", time.UTC, func(f url.Values) { f.Set("StartDateExact", "2026-11-24T12:00:30Z") },
			time.Date(2026, 11, 24, 12, 0, 30, 0, time.UTC), ""},
		{"milliseconds kept", time.UTC, func(f url.Values) { f.Set("StartDateExact", "2026-11-24T12:00:59.999Z") },
			time.Date(2026, 11, 24, 12, 0, 59, 999e6, time.UTC), ""},
		{"an offset is read", time.UTC, func(f url.Values) { f.Set("StartDateExact", "2026-11-24T13:00:30+01:00") },
			time.Date(2026, 11, 24, 12, 0, 30, 0, time.UTC), ""},
		{"another minute is ignored", time.UTC, func(f url.Values) { f.Set("StartDateExact", "2026-11-24T12:01:30Z") },
			time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), ""},
		{"another day is ignored", time.UTC, func(f url.Values) { f.Set("StartDateExact", "2026-11-25T12:00:30Z") },
			time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), ""},
		{"garbage is ignored", time.UTC, func(f url.Values) { f.Set("StartDateExact", "soon") },
			time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), ""},
		{"too long is ignored", time.UTC, func(f url.Values) { f.Set("StartDateExact", "2026-11-24T12:00:30.000000000000000000000000000Z") },
			time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), ""},
		{"the same minute in the zone", berlin, func(f url.Values) { f.Set("StartDateExact", "2026-11-24T11:00:30Z") },
			time.Date(2026, 11, 24, 11, 0, 30, 0, time.UTC), ""},
		{"the UTC minute is not the zone's", berlin, func(f url.Values) { f.Set("StartDateExact", "2026-11-24T12:00:30Z") },
			time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC), ""},
		{"a time that occurs twice, first", berlin, func(f url.Values) {
			setDate(f, "StartDate", "25", "10", "2026", "02", "30")
			f.Set("StartDateExact", "2026-10-25T00:30:00Z")
		}, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), ""},
		{"a time that occurs twice, second", berlin, func(f url.Values) {
			setDate(f, "StartDate", "25", "10", "2026", "02", "30")
			f.Set("StartDateExact", "2026-10-25T01:30:00Z")
		}, time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), ""},
		{"a time that occurs twice, without the instant", berlin, func(f url.Values) {
			setDate(f, "StartDate", "25", "10", "2026", "02", "30")
		}, time.Time{}, app.FormStartDate},
		{"a bad select is still an error", time.UTC, func(f url.Values) {
			f.Set("StartDateExact", "2026-11-24T12:00:30Z")
			f.Set("StartDateDay", "xx")
		}, time.Time{}, app.FormStartDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := goodForm()
			f.Set("StopDateYear", "2027")
			tt.mod(f)
			w, errs := app.ParseWindowForm(f, tt.loc)
			if tt.field != "" {
				assert.Contains(t, errs.Fields, tt.field)
				return
			}
			require.True(t, errs.OK(), "%+v", errs)
			assert.Equal(t, tt.want, w.Start)
			assert.Equal(t, time.UTC, w.Start.Location())
		})
	}
}

// TestFormatWindowForm_RoundTrip: formatting any window a store can hold,
// in any zone, and parsing the form again gives the same window.
func TestFormatWindowForm_RoundTrip(t *testing.T) {
	instants := []time.Time{
		time.Date(2026, 11, 24, 10, 0, 30, 0, time.UTC),
		time.Date(2026, 11, 24, 10, 0, 30, 1e6, time.UTC),
		time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), // 02:30 in Berlin, first time
		time.Date(2026, 10, 25, 1, 30, 59, 999e6, time.UTC),
		time.Date(2026, 3, 29, 0, 59, 59, 0, time.UTC), // just before Berlin's gap
		time.Date(1970, 1, 1, 12, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 30, 23, 59, 59, 999e6, time.UTC),
	}
	for _, zone := range fuzzZones {
		loc := mustZone(t, zone)
		for _, start := range instants {
			w := maintenance.Window{Start: start, Stop: start.Add(90*time.Second + 7*time.Millisecond), Comment: "c", Validity: maintenance.Valid, Version: 2}
			if w.Stop.Year() > 9999 || w.Start.In(loc).Year() > 9999 || w.Stop.In(loc).Year() > 9999 || w.Start.In(loc).Year() < 1970 {
				continue // outside the form's years
			}
			got, errs := app.ParseWindowForm(app.FormatWindowForm(w, loc), loc)
			require.True(t, errs.OK(), "%s %v: %+v", zone, start, errs)
			assert.Equal(t, w, got, "%s %v", zone, start)
		}
	}
}

// setDate sets the five selects of the date name.
func setDate(f url.Values, name, day, month, year, hour, minute string) {
	for i, part := range []string{"Day", "Month", "Year", "Hour", "Minute"} {
		f.Set(name+part, []string{day, month, year, hour, minute}[i])
	}
}
