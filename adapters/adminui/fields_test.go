package adminui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/adminui"
	"github.com/sysmaint/sysmaint/maintenance"
)

// fieldInput is the input of a field that gets the Error class: a date's
// first select, or the field itself.
var fieldInput = map[string]string{"StartDate": "StartDateDay", "StopDate": "StopDateDay"}

// TestBadInput: every problem of a submitted form is shown next to its
// field, tied to it for assistive technology, listed in the summary, and
// the admin's input is kept; nothing is written.
func TestBadInput(t *testing.T) {
	good := func() url.Values {
		return windowForm(maintenance.Window{
			Start: day.Add(time.Hour), Stop: day.Add(2 * time.Hour), Comment: "ok", Validity: maintenance.Valid,
		})
	}
	long := strings.Repeat("a", 251)
	tests := []struct {
		name        string
		mod         func(url.Values)
		wantFields  map[string]string // field -> message
		wantMessage string
		firstField  string // the input that gets autofocus
	}{
		{"comment missing", func(f url.Values) { f.Del("Comment") },
			map[string]string{"Comment": adminui.MsgRequired}, "", "Comment"},
		{"comment blank", func(f url.Values) { f.Set("Comment", "   ") },
			map[string]string{"Comment": adminui.MsgRequired}, "", "Comment"},
		{"comment too long", func(f url.Values) { f.Set("Comment", strings.Repeat("c", 251)) },
			map[string]string{"Comment": adminui.MsgTooLong}, "", "Comment"},
		{"messages too long", func(f url.Values) { f.Set("LoginMessage", long); f.Set("NotifyMessage", strings.Repeat("b", 251)) },
			map[string]string{"LoginMessage": adminui.MsgTooLong, "NotifyMessage": adminui.MsgTooLong}, "", "LoginMessage"},
		{"non-numeric day", func(f url.Values) { f.Set("StartDateDay", "x1") },
			map[string]string{"StartDate": adminui.MsgDateInvalid}, "", "StartDateDay"},
		{"February 30", func(f url.Values) { f.Set("StopDateDay", "30"); f.Set("StopDateMonth", "02") },
			map[string]string{"StopDate": adminui.MsgDateInvalid}, "", "StopDateDay"},
		{"missing minute", func(f url.Values) { f.Del("StopDateMinute") },
			map[string]string{"StopDate": adminui.MsgDateInvalid}, "", "StopDateDay"},
		{"unknown validity", func(f url.Values) { f.Set("ValidID", "4") },
			map[string]string{"ValidID": adminui.MsgUnknownValidity}, "", "ValidID"},
		{"start equals stop", func(f url.Values) {
			for _, p := range []string{"Day", "Month", "Year", "Hour", "Minute"} {
				f.Set("StopDate"+p, f.Get("StartDate"+p))
			}
		}, map[string]string{"StartDate": adminui.MsgStartAfterStop}, adminui.MsgStartAfterStop, "StartDateDay"},
		{"start after stop", func(f url.Values) { f.Set("StopDateHour", "09") },
			map[string]string{"StartDate": adminui.MsgStartAfterStop}, adminui.MsgStartAfterStop, "StartDateDay"},
		{"everything at once", func(f url.Values) {
			f.Set("StartDateDay", "ab")
			f.Set("StopDateDay", "30")
			f.Set("StopDateMonth", "02")
			f.Del("Comment")
			f.Set("LoginMessage", long)
			f.Set("NotifyMessage", long)
			f.Set("ValidID", "zz")
		}, map[string]string{
			"StartDate": adminui.MsgDateInvalid, "StopDate": adminui.MsgDateInvalid, "Comment": adminui.MsgRequired,
			"LoginMessage": adminui.MsgTooLong, "NotifyMessage": adminui.MsgTooLong, "ValidID": adminui.MsgUnknownValidity,
		}, "", "StartDateDay"},
	}
	for _, edit := range []bool{false, true} {
		for _, tt := range tests {
			name := "new/" + tt.name
			if edit {
				name = "edit/" + tt.name
			}
			t.Run(name, func(t *testing.T) {
				h := newHarness(t)
				c := h.as("alice")
				path := prefix + "/new"
				if edit {
					w := h.addWindow(day.Add(-time.Hour), day.Add(3*time.Hour), func(w *maintenance.Window) { w.Comment = "stored" })
					path = windowPath(w.ID)
				}
				before := h.windows()
				f := good()
				f.Set("Version", "1")
				f.Set("LoginMessage", "kept <i>as typed</i>")
				tt.mod(f)
				p := c.postT(path, f)
				assert.Equal(t, http.StatusUnprocessableEntity, p.status)
				assert.Equal(t, before, h.windows(), "nothing written")

				for field, msg := range tt.wantFields {
					got, ok := textOf(p.body, field+"ServerError")
					assert.True(t, ok, field)
					assert.Equal(t, msg, got, field)
					input := field
					if in, ok := fieldInput[field]; ok {
						input = in
					}
					assert.True(t, hasErrorClass(p.body, input), "%s has class Error", input)
					inv, _ := attr(p.body, input, "aria-invalid")
					assert.Equal(t, "true", inv, "%s is aria-invalid", input)
					desc, _ := attr(p.body, input, "aria-describedby")
					assert.Contains(t, strings.Fields(desc), field+"ServerError", "%s points to its error", input)
					assert.Contains(t, p.body, `<a href="#`+input+`">`, "the summary links to %s", input)
				}
				for _, field := range []string{"StartDate", "StopDate", "Comment", "LoginMessage", "NotifyMessage", "ValidID"} {
					if _, bad := tt.wantFields[field]; !bad {
						_, ok := textOf(p.body, field+"ServerError")
						assert.False(t, ok, "%s has no error", field)
						input := field
						if in, ok := fieldInput[field]; ok {
							input = in
						}
						_, inv := attr(p.body, input, "aria-invalid")
						assert.False(t, inv, "%s is not aria-invalid", input)
					}
				}
				_, focus := attr(p.body, tt.firstField, "autofocus")
				assert.True(t, focus, "the first field in error, %s, has the focus", tt.firstField)
				assert.Equal(t, 1, strings.Count(p.body, " autofocus"), "one field has the focus")
				if tt.wantMessage != "" {
					assert.Equal(t, []string{tt.wantMessage}, messages(p.body, "Error"))
				} else {
					assert.Empty(t, messages(p.body, "Error"))
				}
				// The posted values are shown again.
				if f.Get("LoginMessage") != long {
					assert.Contains(t, p.body, ">kept &lt;i&gt;as typed&lt;/i&gt;</textarea>")
				}
				if c := f.Get("Comment"); c != "" {
					assert.Contains(t, p.body, `value="`+c+`"`)
				}
			})
		}
	}
}

// TestLabels: every form control of every screen has a label (a <label
// for>, or an aria-label), every aria-describedby names elements that
// exist, and every id is unique.
func TestLabels(t *testing.T) {
	h := newHarness(t)
	c := h.as("alice")
	win := h.addWindow(day.Add(-time.Minute), day.Add(time.Hour), func(w *maintenance.Window) {
		w.Start = w.Start.Add(30 * time.Second) // a hint
	})
	bad := windowForm(win)
	bad.Set("Comment", "")
	bad.Set("StartDateDay", "xx")
	pages := map[string]string{
		"overview":      c.get(prefix + "/").body,
		"new":           c.get(prefix + "/new").body,
		"edit":          c.get(windowPath(win.ID)).body,
		"edit, errors":  c.postT(windowPath(win.ID), bad).body,
		"lead, error":   c.postT(prefix+"/lead", url.Values{"LeadMinutes": {"x"}}).body,
		"confirmation":  c.get(windowPath(win.ID) + "/delete").body,
		"not found":     c.get(prefix + "/404").body,
		"many, paged":   "",
		"filter, error": c.get(prefix + "/?state=x").body,
	}
	delete(pages, "many, paged")
	control := regexp.MustCompile(`<(input|select|textarea|button)\b[^>]*>`)
	for name, body := range pages {
		require.NotEmpty(t, body, name)
		ids := map[string]int{}
		for _, m := range regexp.MustCompile(`\sid="([^"]+)"`).FindAllStringSubmatch(body, -1) {
			ids[m[1]]++
		}
		for id, n := range ids {
			assert.Equal(t, 1, n, "%s: id %q is unique", name, id)
		}
		for _, tag := range control.FindAllString(body, -1) {
			if strings.Contains(tag, `type="hidden"`) {
				continue
			}
			idm := regexp.MustCompile(`\sid="([^"]+)"`).FindStringSubmatch(tag)
			switch {
			case strings.HasPrefix(tag, "<button"):
				// A button's label is its text, or its aria-label (the
				// icon-only delete).
				if strings.Contains(tag, `class="DeleteWindow"`) {
					assert.Regexp(t, `aria-label="[^"]+"`, tag, name)
				}
			case idm == nil:
				t.Errorf("%s: a control without an id cannot have a label: %s", name, tag)
			default:
				assert.True(t, strings.Contains(body, `<label for="`+idm[1]+`"`), "%s: #%s has a label", name, idm[1])
			}
			if d := regexp.MustCompile(`aria-describedby="([^"]*)"`).FindStringSubmatch(tag); d != nil {
				for _, ref := range strings.Fields(d[1]) {
					assert.Equal(t, 1, ids[ref], "%s: aria-describedby of %s names #%s, which exists", name, tag, ref)
				}
			}
		}
	}
}

// TestOpenAndSaveKeepsTheWindow: a window written through the Manager
// (as an API would) at instants the selects cannot show (seconds,
// milliseconds, a local time that occurs twice) is opened in the edit
// form, and what the browser would post back is saved unchanged: the
// window does not move.
func TestOpenAndSaveKeepsTheWindow(t *testing.T) {
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
			h.admins["zoned"] = &adminui.Admin{Actor: "zoned", Location: mustZone(t, tt.zone)}
			c := h.as("zoned")
			win := h.addWindow(tt.start, tt.stop)
			path := windowPath(win.ID)

			p := c.get(path)
			require.Equal(t, http.StatusOK, p.status)
			note, _ := textOf(p.body, "TimeZoneNote")
			assert.Equal(t, "Times in "+tt.zone, note)
			hint, ok := textOf(p.body, "StartDateExactHint")
			assert.Equal(t, tt.wantHint != "", ok)
			assert.Equal(t, tt.wantHint, hint)
			if ok {
				desc, _ := attr(p.body, "StartDateDay", "aria-describedby")
				assert.Contains(t, strings.Fields(desc), "StartDateExactHint")
			}

			f := formValues(p.body, "WindowForm")
			require.NotEmpty(t, f.Get("StartDateExact"), "the page carries the exact instant")
			f.Set("ContinueAfterSave", "1")
			p = c.post(path, f)
			require.Equal(t, http.StatusSeeOther, p.status, "saved unchanged: %s", p.body)
			got := h.get(win.ID)
			assert.Equal(t, win.Start, got.Start, "the start did not move")
			assert.Equal(t, win.Stop, got.Stop, "the stop did not move")
			assert.Equal(t, win.Version+1, got.Version, "it was saved")

			// Opened and saved again, from the page the save led to.
			p = c.get(p.location)
			f = formValues(p.body, "WindowForm")
			require.Equal(t, http.StatusSeeOther, c.post(path, f).status)
			again := h.get(win.ID)
			assert.Equal(t, win.Start, again.Start)
			assert.Equal(t, win.Stop, again.Stop)
		})
	}

	t.Run("another minute is that minute", func(t *testing.T) {
		h := newHarness(t)
		c := h.as("alice")
		win := h.addWindow(time.Date(2026, 11, 24, 10, 0, 30, 0, time.UTC), time.Date(2026, 11, 24, 11, 0, 45, 0, time.UTC))
		path := windowPath(win.ID)
		f := formValues(c.get(path).body, "WindowForm")
		f.Set("StartDateMinute", "05")
		require.Equal(t, http.StatusSeeOther, c.post(path, f).status)
		got := h.get(win.ID)
		assert.Equal(t, time.Date(2026, 11, 24, 10, 5, 0, 0, time.UTC), got.Start, "the minute chosen, at second zero")
		assert.Equal(t, win.Stop, got.Stop, "the untouched stop keeps its seconds")
	})

	t.Run("a form shown again after an error keeps the exact instant", func(t *testing.T) {
		h := newHarness(t)
		c := h.as("alice")
		win := h.addWindow(time.Date(2026, 11, 24, 10, 0, 30, 0, time.UTC), time.Date(2026, 11, 24, 11, 0, 45, 0, time.UTC))
		path := windowPath(win.ID)
		f := formValues(c.get(path).body, "WindowForm")
		f.Set("Comment", "")
		p := c.post(path, f)
		require.Equal(t, http.StatusUnprocessableEntity, p.status)
		f = formValues(p.body, "WindowForm")
		f.Set("Comment", "fixed")
		require.Equal(t, http.StatusSeeOther, c.post(path, f).status)
		got := h.get(win.ID)
		assert.Equal(t, win.Start, got.Start)
		assert.Equal(t, win.Stop, got.Stop)
		assert.Equal(t, "fixed", got.Comment)
	})

	t.Run("the window's own lead is kept", func(t *testing.T) {
		h := newHarness(t)
		c := h.as("alice")
		win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour), func(w *maintenance.Window) { w.Lead = 2 * time.Hour })
		f := formValues(c.get(windowPath(win.ID)).body, "WindowForm")
		f.Set("Comment", "changed")
		require.Equal(t, http.StatusSeeOther, c.post(windowPath(win.ID), f).status)
		assert.Equal(t, 2*time.Hour, h.get(win.ID).Lead)
	})
}

// TestDatesShowTheirZone: the overview and the form label every date with
// the admin's zone, winter and summer time apart, and the overview never
// rounds a bound.
func TestDatesShowTheirZone(t *testing.T) {
	h := newHarness(t)
	c := h.as("berta")
	winter := h.addWindow(day.Add(time.Hour), day.Add(time.Hour+90*time.Second+500*time.Millisecond), func(w *maintenance.Window) { w.Comment = "winter" })
	summer := time.Date(2027, 7, 1, 10, 0, 0, 0, time.UTC)
	h.addWindow(summer, summer.Add(time.Hour), func(w *maintenance.Window) { w.Comment = "summer" })

	p := c.get(prefix + "/")
	note, _ := textOf(p.body, "TimeZoneNote")
	assert.Equal(t, "Times in Europe/Berlin", note)
	assert.Contains(t, rowWith(p.body, "winter"), ">2026-11-24 12:00:00 CET</a>")
	assert.Contains(t, rowWith(p.body, "winter"), "<td>2026-11-24 12:01:30.5 CET</td>")
	assert.Contains(t, rowWith(p.body, "summer"), ">2027-07-01 12:00:00 CEST</a>")

	p = c.get(windowPath(winter.ID))
	zone, _ := textOf(p.body, "StartDateZone")
	assert.Equal(t, "CET", zone)
	p = c.get(prefix + "/new")
	note, _ = textOf(p.body, "TimeZoneNote")
	assert.Equal(t, "Times in Europe/Berlin", note)
	zone, _ = textOf(p.body, "StopDateZone")
	assert.Equal(t, "CET", zone)
}

// TestPreview: the edit screen shows what users will see, as notify words
// it in the admin's zone.
func TestPreview(t *testing.T) {
	h := newHarness(t)
	h.m.SetLead(45 * time.Minute)
	c := h.as("berta")
	win := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour), func(w *maintenance.Window) {
		w.NotifyMessage, w.LoginMessage, w.ShowLoginMessage = "Upgrading <now>.", "Back at one.", true
	})
	p := c.get(windowPath(win.ID))
	up, _ := textOf(p.body, "PreviewUpcoming")
	assert.Equal(t, "A system maintenance period will start at: 11/24/2026 12:00 CET and is expected to stop at: 11/24/2026 13:00 CET", up)
	assert.Contains(t, p.body, "From 2026-11-24 11:15:00 CET, every page shows:")
	active, _ := textOf(p.body, "PreviewActive")
	assert.Equal(t, "Upgrading <now>.", active)
	login, _ := textOf(p.body, "PreviewLogin")
	assert.Equal(t, "Back at one.", login)
	_, invalid := textOf(p.body, "PreviewInvalid")
	assert.False(t, invalid)

	other := h.addWindow(day.Add(time.Hour), day.Add(2*time.Hour), func(w *maintenance.Window) {
		w.Validity, w.Lead = maintenance.Invalid, 2*time.Hour
	})
	p = c.get(windowPath(other.ID))
	_, invalid = textOf(p.body, "PreviewInvalid")
	assert.True(t, invalid, "an invalid window says users see none of it")
	assert.Contains(t, p.body, "From 2026-11-24 10:00:00 CET, every page shows:", "the window's own lead")
	active, _ = textOf(p.body, "PreviewActive")
	assert.Equal(t, "We are performing scheduled maintenance.", active)
	assert.Contains(t, p.body, "nothing (Show login message is off)")
}
