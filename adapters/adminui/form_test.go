package adminui_test

import (
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/adminui"
	"github.com/sysmaint/sysmaint/maintenance"
)

// goodForm is a valid form: 2026-11-24 12:00 to 13:00.
func goodForm() url.Values {
	return url.Values{
		"StartDateDay": {"24"}, "StartDateMonth": {"11"}, "StartDateYear": {"2026"},
		"StartDateHour": {"12"}, "StartDateMinute": {"00"},
		"StopDateDay": {"24"}, "StopDateMonth": {"11"}, "StopDateYear": {"2026"},
		"StopDateHour": {"13"}, "StopDateMinute": {"00"},
		"Comment": {"Database upgrade"}, "LoginMessage": {"Back at one."}, "ShowLoginMessage": {"1"},
		"NotifyMessage": {"Upgrading."}, "ValidID": {"1"}, "Version": {"3"},
	}
}

func TestParseWindowForm(t *testing.T) {
	w, errs := adminui.ParseWindowForm(goodForm(), time.UTC)
	require.True(t, errs.OK(), "%+v", errs)
	assert.Equal(t, maintenance.Window{
		Start: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), Stop: time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC),
		Comment: "Database upgrade", LoginMessage: "Back at one.", ShowLoginMessage: true,
		NotifyMessage: "Upgrading.", Validity: maintenance.Valid, Version: 3,
	}, w)
	assert.NoError(t, w.Validate())
}

func TestParseWindowForm_Malformed(t *testing.T) {
	long := strings.Repeat("a", 251)
	tests := []struct {
		name    string
		mod     func(url.Values)
		want    map[string]string
		wantMsg string
	}{
		{"non-numeric day", func(f url.Values) { f.Set("StartDateDay", "1x") }, map[string]string{adminui.FormStartDate: adminui.MsgDateInvalid}, ""},
		{"signed day", func(f url.Values) { f.Set("StartDateDay", "+1") }, map[string]string{adminui.FormStartDate: adminui.MsgDateInvalid}, ""},
		{"February 30", func(f url.Values) { f.Set("StopDateMonth", "02"); f.Set("StopDateDay", "30") }, map[string]string{adminui.FormStopDate: adminui.MsgDateInvalid}, ""},
		{"February 29 of a common year", func(f url.Values) { f.Set("StopDateMonth", "02"); f.Set("StopDateDay", "29") }, map[string]string{adminui.FormStopDate: adminui.MsgDateInvalid}, ""},
		{"day 0", func(f url.Values) { f.Set("StartDateDay", "0") }, map[string]string{adminui.FormStartDate: adminui.MsgDateInvalid}, ""},
		{"month 13", func(f url.Values) { f.Set("StartDateMonth", "13") }, map[string]string{adminui.FormStartDate: adminui.MsgDateInvalid}, ""},
		{"hour 24", func(f url.Values) { f.Set("StopDateHour", "24") }, map[string]string{adminui.FormStopDate: adminui.MsgDateInvalid}, ""},
		{"minute 60", func(f url.Values) { f.Set("StopDateMinute", "60") }, map[string]string{adminui.FormStopDate: adminui.MsgDateInvalid}, ""},
		{"year 1969", func(f url.Values) { f.Set("StartDateYear", "1969") }, map[string]string{adminui.FormStartDate: adminui.MsgDateInvalid}, ""},
		{"year too long", func(f url.Values) { f.Set("StopDateYear", "20266") }, map[string]string{adminui.FormStopDate: adminui.MsgDateInvalid}, ""},
		{"missing hour", func(f url.Values) { f.Del("StartDateHour") }, map[string]string{adminui.FormStartDate: adminui.MsgDateInvalid}, ""},
		{"missing comment", func(f url.Values) { f.Del("Comment") }, map[string]string{adminui.FormComment: adminui.MsgRequired}, ""},
		{"blank comment", func(f url.Values) { f.Set("Comment", " \t ") }, map[string]string{adminui.FormComment: adminui.MsgRequired}, ""},
		{"251-char comment", func(f url.Values) { f.Set("Comment", long) }, map[string]string{adminui.FormComment: adminui.MsgTooLong}, ""},
		{"comment with a line break", func(f url.Values) { f.Set("Comment", "a\nb") }, map[string]string{adminui.FormComment: adminui.MsgInvalidChars}, ""},
		{"comment not UTF-8", func(f url.Values) { f.Set("Comment", "a\xffb") }, map[string]string{adminui.FormComment: adminui.MsgInvalidChars}, ""},
		{"251-char login message", func(f url.Values) { f.Set("LoginMessage", long) }, map[string]string{adminui.FormLoginMessage: adminui.MsgTooLong}, ""},
		{"251-char notify message", func(f url.Values) { f.Set("NotifyMessage", long) }, map[string]string{adminui.FormNotifyMessage: adminui.MsgTooLong}, ""},
		{"NUL in message", func(f url.Values) { f.Set("NotifyMessage", "a\x00") }, map[string]string{adminui.FormNotifyMessage: adminui.MsgInvalidChars}, ""},
		{"unknown validity", func(f url.Values) { f.Set("ValidID", "4") }, map[string]string{adminui.FormValidID: adminui.MsgUnknownValidity}, ""},
		{"validity with a zero", func(f url.Values) { f.Set("ValidID", "01") }, map[string]string{adminui.FormValidID: adminui.MsgUnknownValidity}, ""},
		{"validity by name", func(f url.Values) { f.Set("ValidID", "valid") }, map[string]string{adminui.FormValidID: adminui.MsgUnknownValidity}, ""},
		{"missing validity", func(f url.Values) { f.Del("ValidID") }, map[string]string{adminui.FormValidID: adminui.MsgRequired}, ""},
		{"start equals stop", func(f url.Values) { f.Set("StopDateHour", "12") }, map[string]string{adminui.FormStartDate: adminui.MsgStartAfterStop}, adminui.MsgStartAfterStop},
		{"start after stop", func(f url.Values) { f.Set("StopDateDay", "23") }, map[string]string{adminui.FormStartDate: adminui.MsgStartAfterStop}, adminui.MsgStartAfterStop},
		{"all at once", func(f url.Values) {
			f.Set("StartDateDay", "xx")
			f.Set("StopDateMonth", "02")
			f.Set("StopDateDay", "30")
			f.Set("LoginMessage", long)
			f.Set("NotifyMessage", long)
			f.Del("Comment")
			f.Set("ValidID", "9")
		}, map[string]string{
			adminui.FormStartDate: adminui.MsgDateInvalid, adminui.FormStopDate: adminui.MsgDateInvalid,
			adminui.FormComment: adminui.MsgRequired, adminui.FormLoginMessage: adminui.MsgTooLong,
			adminui.FormNotifyMessage: adminui.MsgTooLong, adminui.FormValidID: adminui.MsgUnknownValidity,
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := goodForm()
			tt.mod(f)
			w, errs := adminui.ParseWindowForm(f, time.UTC)
			assert.False(t, errs.OK())
			assert.Equal(t, tt.want, errs.Fields)
			assert.Equal(t, tt.wantMsg, errs.Message)
			assert.Equal(t, maintenance.Window{}, w, "no window on error")
		})
	}
}

func TestParseWindowForm_Accepted(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(url.Values)
		check func(*testing.T, maintenance.Window)
	}{
		{"250 characters", func(f url.Values) {
			f.Set("Comment", strings.Repeat("c", 250))
			f.Set("LoginMessage", strings.Repeat("é", 250))
		}, func(t *testing.T, w maintenance.Window) { assert.Len(t, []rune(w.LoginMessage), 250) }},
		{"CRLF counts as one character", func(f url.Values) { f.Set("NotifyMessage", strings.Repeat("a\r\n", 125)) },
			func(t *testing.T, w maintenance.Window) { assert.Equal(t, strings.Repeat("a\n", 125), w.NotifyMessage) }},
		{"comment trimmed", func(f url.Values) { f.Set("Comment", "  x  ") },
			func(t *testing.T, w maintenance.Window) { assert.Equal(t, "x", w.Comment) }},
		{"unpadded numbers", func(f url.Values) { f.Set("StartDateHour", "9"); f.Set("StartDateMinute", "5") },
			func(t *testing.T, w maintenance.Window) {
				assert.Equal(t, time.Date(2026, 11, 24, 9, 5, 0, 0, time.UTC), w.Start)
			}},
		{"leap day", func(f url.Values) {
			for _, d := range []string{"StartDate", "StopDate"} {
				f.Set(d+"Year", "2028")
				f.Set(d+"Month", "02")
				f.Set(d+"Day", "29")
			}
		}, func(t *testing.T, w maintenance.Window) { assert.Equal(t, time.February, w.Start.Month()) }},
		{"checkbox off", func(f url.Values) { f.Del("ShowLoginMessage") },
			func(t *testing.T, w maintenance.Window) { assert.False(t, w.ShowLoginMessage) }},
		{"bad version is zero", func(f url.Values) { f.Set("Version", "x") },
			func(t *testing.T, w maintenance.Window) { assert.Zero(t, w.Version) }},
		{"invalid-temporarily", func(f url.Values) { f.Set("ValidID", "3") },
			func(t *testing.T, w maintenance.Window) { assert.Equal(t, maintenance.InvalidTemporarily, w.Validity) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := goodForm()
			tt.mod(f)
			w, errs := adminui.ParseWindowForm(f, time.UTC)
			require.True(t, errs.OK(), "%+v", errs)
			assert.NoError(t, w.Validate())
			tt.check(t, w)
		})
	}
}

func TestParseWindowForm_TimeZones(t *testing.T) {
	tests := []struct {
		name    string
		zone    string
		date    [5]string // day month year hour minute
		want    time.Time
		wantErr string
	}{
		{"Berlin winter", "Europe/Berlin", [5]string{"24", "11", "2026", "12", "00"}, time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC), ""},
		{"Berlin summer", "Europe/Berlin", [5]string{"01", "07", "2026", "12", "00"}, time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC), ""},
		{"Berlin gap", "Europe/Berlin", [5]string{"29", "03", "2026", "02", "30"}, time.Time{}, adminui.MsgDateNotExist},
		{"Berlin gap start", "Europe/Berlin", [5]string{"29", "03", "2026", "02", "00"}, time.Time{}, adminui.MsgDateNotExist},
		{"Berlin just before the gap", "Europe/Berlin", [5]string{"29", "03", "2026", "01", "59"}, time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC), ""},
		{"Berlin just after the gap", "Europe/Berlin", [5]string{"29", "03", "2026", "03", "00"}, time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), ""},
		{"Berlin overlap", "Europe/Berlin", [5]string{"25", "10", "2026", "02", "30"}, time.Time{}, adminui.MsgDateAmbiguous},
		{"Berlin overlap start", "Europe/Berlin", [5]string{"25", "10", "2026", "02", "00"}, time.Time{}, adminui.MsgDateAmbiguous},
		{"Berlin after the overlap", "Europe/Berlin", [5]string{"25", "10", "2026", "03", "00"}, time.Date(2026, 10, 25, 2, 0, 0, 0, time.UTC), ""},
		{"New York gap", "America/New_York", [5]string{"08", "03", "2026", "02", "15"}, time.Time{}, adminui.MsgDateNotExist},
		{"New York overlap", "America/New_York", [5]string{"01", "11", "2026", "01", "15"}, time.Time{}, adminui.MsgDateAmbiguous},
		{"Lord Howe half-hour gap", "Australia/Lord_Howe", [5]string{"04", "10", "2026", "02", "15"}, time.Time{}, adminui.MsgDateNotExist},
		{"Lord Howe half-hour overlap", "Australia/Lord_Howe", [5]string{"05", "04", "2026", "01", "45"}, time.Time{}, adminui.MsgDateAmbiguous},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustZone(t, tt.zone)
			f := goodForm()
			for i, p := range []string{"Day", "Month", "Year", "Hour", "Minute"} {
				f.Set("StartDate"+p, tt.date[i])
			}
			f.Set("StopDateYear", "2027")
			w, errs := adminui.ParseWindowForm(f, loc)
			if tt.wantErr != "" {
				assert.Equal(t, map[string]string{adminui.FormStartDate: tt.wantErr}, errs.Fields)
				return
			}
			require.True(t, errs.OK(), "%+v", errs)
			assert.Equal(t, tt.want, w.Start)
			assert.Equal(t, time.UTC, w.Start.Location())
		})
	}
}

func TestFormatWindowForm(t *testing.T) {
	w := maintenance.Window{
		Start: time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC), Stop: time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC),
		Comment: "c", NotifyMessage: "n", Validity: maintenance.InvalidTemporarily, Version: 7,
	}
	f := adminui.FormatWindowForm(w, mustZone(t, "Europe/Berlin"))
	assert.Equal(t, "29", f.Get("StartDateDay"))
	assert.Equal(t, "03", f.Get("StartDateMonth"))
	assert.Equal(t, "2026", f.Get("StartDateYear"))
	assert.Equal(t, "01", f.Get("StartDateHour"))
	assert.Equal(t, "59", f.Get("StartDateMinute"))
	assert.Equal(t, "03", f.Get("StopDateHour"), "after the jump")
	assert.Equal(t, "3", f.Get("ValidID"))
	assert.Equal(t, "7", f.Get("Version"))
	assert.False(t, f.Has("ShowLoginMessage"))

	got, errs := adminui.ParseWindowForm(f, mustZone(t, "Europe/Berlin"))
	require.True(t, errs.OK(), "%+v", errs)
	assert.Equal(t, w, got)
}

var fuzzZones = []string{"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"}

// FuzzParseWindowForm checks that parsing never panics, that every window
// it accepts passes Validate, that its dates are the minutes the selects
// show in the zone (at second zero unless the hidden exact instant is
// taken), and that formatting an accepted window and parsing it again gives
// the same window. The repeat fields come as one query string: a recurring
// window keeps the length and the wall-clock time of day the selects show,
// starts no earlier, and runs in the posted zone or the admin's.
func FuzzParseWindowForm(f *testing.F) {
	locs := make([]*time.Location, len(fuzzZones))
	for i, z := range fuzzZones {
		l, err := time.LoadLocation(z)
		if err != nil {
			f.Fatal(err)
		}
		locs[i] = l
	}
	f.Add("24", "11", "2026", "12", "00", "24", "11", "2026", "13", "00", "", "", "Database upgrade", "back soon", "upgrading", "1", "1", uint8(0), "")
	f.Add("29", "03", "2026", "02", "30", "29", "03", "2026", "04", "00", "", "", "gap", "", "", "", "2", uint8(1), "")
	f.Add("25", "10", "2026", "01", "59", "25", "10", "2026", "03", "00", "", "", " x ", "a\r\nb", "", "on", "3", uint8(1), "")
	f.Add("30", "02", "2026", "xx", "", "1", "1", "1970", "0", "0", "", "", "", strings.Repeat("é", 251), "<script>", "", "4", uint8(2), "")
	f.Add("04", "10", "2026", "02", "15", "05", "04", "2027", "01", "45", "", "", "lord howe", "", "", "1", "1", uint8(3), "")
	f.Add("31", "12", "9999", "23", "59", "1", "1", "1970", "00", "00", "", "", "edge", "", "", "1", "1", uint8(4), "")
	f.Add("24", "11", "2026", "12", "00", "24", "11", "2026", "13", "00", "2026-11-24T12:00:30Z", "2026-11-24T13:00:59.999Z", "seconds", "", "", "1", "1", uint8(0), "")
	f.Add("25", "10", "2026", "02", "30", "25", "10", "2026", "02", "30", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z", "twice", "", "", "1", "1", uint8(1), "")
	f.Add("24", "11", "2026", "12", "00", "24", "11", "2026", "13", "00", "2026-11-24T12:00:30+99:00", "2026-11-24T12:00:30Z", "bad", "", "", "1", "1", uint8(2), "")
	f.Add("24", "11", "2026", "02", "00", "24", "11", "2026", "04", "00", "", "", "weekly", "", "", "", "1", uint8(1), "Repeat=weekly&RepeatDays=SU&RepeatDays=WE")
	f.Add("24", "11", "2026", "22", "00", "24", "11", "2026", "23", "00", "", "", "monthly", "", "", "", "1", uint8(2), "Repeat=monthly-weekday&RepeatOrdinal=1&RepeatWeekday=TU&RepeatEnd=count&RepeatCount=12")
	f.Add("31", "01", "2027", "02", "30", "31", "01", "2027", "03", "30", "", "", "last", "", "", "", "1", uint8(1), "Repeat=monthly-day&RepeatMonthDay=-1&RepeatInterval=2&RepeatEnd=until&RepeatUntilDay=01&RepeatUntilMonth=01&RepeatUntilYear=2028")
	f.Add("01", "03", "2027", "02", "30", "01", "03", "2027", "03", "30", "", "", "gap", "", "", "", "1", uint8(1), "Repeat=rule&RepeatRule=FREQ%3DMONTHLY%3BBYMONTHDAY%3D28%2C29%2C30%2C31%3BBYDAY%3DSU")
	f.Add("24", "11", "2026", "02", "00", "24", "11", "2026", "04", "00", "", "", "zone", "", "", "", "1", uint8(0), "Repeat=weekly&RepeatDays=SU&RepeatZone=Pacific%2FChatham")
	f.Add("04", "10", "2026", "01", "45", "04", "10", "2026", "03", "00", "", "", "lord howe", "", "", "", "1", uint8(3), "Repeat=weekly&RepeatDays=SU&RepeatInterval=1000&RepeatEnd=until&RepeatUntilDay=31&RepeatUntilMonth=12&RepeatUntilYear=9998")
	f.Fuzz(func(t *testing.T, sd, smo, sy, sh, smi, ed, emo, ey, eh, emi, sx, ex, comment, login, notify, show, valid string, zone uint8, repeat string) {
		loc := locs[int(zone)%len(locs)]
		form := url.Values{
			"StartDateDay": {sd}, "StartDateMonth": {smo}, "StartDateYear": {sy}, "StartDateHour": {sh}, "StartDateMinute": {smi},
			"StopDateDay": {ed}, "StopDateMonth": {emo}, "StopDateYear": {ey}, "StopDateHour": {eh}, "StopDateMinute": {emi},
			"StartDateExact": {sx}, "StopDateExact": {ex},
			"Comment": {comment}, "LoginMessage": {login}, "NotifyMessage": {notify}, "ValidID": {valid},
		}
		if show != "" {
			form.Set("ShowLoginMessage", show)
		}
		once, onceErrs := adminui.ParseWindowForm(form, loc) // without the repeat fields
		rq, err := url.ParseQuery(repeat)
		if err != nil {
			return
		}
		for k, v := range rq {
			if strings.HasPrefix(k, "Repeat") {
				form[k] = v
			}
		}
		w, errs := adminui.ParseWindowForm(form, loc)
		if !errs.OK() {
			if !reflect.DeepEqual(w, maintenance.Window{}) { // a Window holds a slice: not comparable with !=
				t.Fatalf("errors %+v with a window %+v", errs, w)
			}
			if len(errs.Fields) == 0 {
				t.Fatalf("a form error without a field: %+v", errs)
			}
			return
		}
		if err := w.Validate(); err != nil {
			t.Fatalf("accepted window fails Validate: %v\n%+v", err, w)
		}
		if w.Start.Location() != time.UTC || w.Stop.Location() != time.UTC {
			t.Fatalf("instants not in UTC: %+v", w)
		}
		if !w.Recurrence.IsZero() {
			if !onceErrs.OK() {
				t.Fatalf("accepted as recurring, refused as a one-off: %+v", onceErrs)
			}
			want := form.Get(adminui.FormRepeatZone)
			if want == "" {
				want = loc.String()
			}
			zl, ok := maintenance.LoadZone(w.Recurrence.Zone)
			switch {
			case w.Recurrence.Zone != want || !ok:
				t.Fatalf("zone %q, want %q", w.Recurrence.Zone, want)
			case wall(w.Start, zl).Before(wall(once.Start, zl)):
				t.Fatalf("the first occurrence %v is before the start %v on the wall clock in %v", w.Start, once.Start, zl)
			case w.Stop.Sub(w.Start) != once.Stop.Sub(once.Start):
				t.Fatalf("the length changed: %v, was %v", w.Stop.Sub(w.Start), once.Stop.Sub(once.Start))
			case w.Start.In(zl).Format("15:04:05") != once.Start.In(zl).Format("15:04:05"):
				t.Fatalf("the time of day changed: %v, was %v", w.Start.In(zl), once.Start.In(zl))
			}
		}
		for _, d := range []struct {
			at                time.Time
			exact             string
			day, mo, y, h, mi string
		}{{w.Start, sx, sd, smo, sy, sh, smi}, {w.Stop, ex, ed, emo, ey, eh, emi}} {
			if !w.Recurrence.IsZero() {
				break // the dates moved to the first occurrence: checked above
			}
			l := d.at.In(loc)
			shown := [5]int{l.Day(), int(l.Month()), l.Year(), l.Hour(), l.Minute()}
			for i, s := range []string{d.day, d.mo, d.y, d.h, d.mi} {
				if n, _ := strconv.Atoi(s); n != shown[i] {
					t.Fatalf("%v is not the minute the selects show (%s.%s.%s %s:%s) in %v", d.at, d.day, d.mo, d.y, d.h, d.mi, loc)
				}
			}
			if d.exact == "" && (d.at.Second() != 0 || d.at.Nanosecond() != 0) {
				t.Fatalf("%v not at minute precision without an exact instant", d.at)
			}
		}
		again, errs := adminui.ParseWindowForm(adminui.FormatWindowForm(w, loc), loc)
		if !errs.OK() {
			t.Fatalf("formatted window does not parse: %+v\n%+v", errs, w)
		}
		if !reflect.DeepEqual(again, w) {
			t.Fatalf("round trip changed the window:\n got %+v\nwant %+v", again, w)
		}
	})
}

// wall returns the wall clock of t in loc, as a time in UTC.
func wall(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
}

// FuzzFormatWindowForm checks that a window a store can hold (millisecond
// instants from 1970 to 9999), formatted in any zone and parsed again,
// does not move.
func FuzzFormatWindowForm(f *testing.F) {
	locs := make([]*time.Location, len(fuzzZones))
	for i, z := range fuzzZones {
		l, err := time.LoadLocation(z)
		if err != nil {
			f.Fatal(err)
		}
		locs[i] = l
	}
	f.Add(time.Date(2026, 11, 24, 10, 0, 30, 0, time.UTC).UnixMilli(), int64(3_615_000), uint8(0))
	f.Add(time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC).UnixMilli(), int64(3_600_000), uint8(1))
	f.Add(time.Date(2026, 4, 4, 14, 45, 12, 345e6, time.UTC).UnixMilli(), int64(1), uint8(3))
	f.Add(int64(0), int64(59_999), uint8(4))
	f.Fuzz(func(t *testing.T, startMs, lengthMs int64, zone uint8) {
		loc := locs[int(zone)%len(locs)]
		lo, hi := time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC).UnixMilli(), time.Date(9999, 12, 30, 0, 0, 0, 0, time.UTC).UnixMilli()
		if startMs < lo || startMs > hi || lengthMs < 1 || lengthMs > hi-startMs {
			return
		}
		w := maintenance.Window{
			Start: time.UnixMilli(startMs).UTC(), Stop: time.UnixMilli(startMs + lengthMs).UTC(),
			Comment: "c", Validity: maintenance.Valid, Version: 1,
		}
		got, errs := adminui.ParseWindowForm(adminui.FormatWindowForm(w, loc), loc)
		if !errs.OK() {
			t.Fatalf("%+v in %v does not parse: %+v", w, loc, errs)
		}
		if !reflect.DeepEqual(got, w) {
			t.Fatalf("moved in %v:\n got %+v\nwant %+v", loc, got, w)
		}
	})
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
		}, time.Time{}, adminui.FormStartDate},
		{"a bad select is still an error", time.UTC, func(f url.Values) {
			f.Set("StartDateExact", "2026-11-24T12:00:30Z")
			f.Set("StartDateDay", "xx")
		}, time.Time{}, adminui.FormStartDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := goodForm()
			f.Set("StopDateYear", "2027")
			tt.mod(f)
			w, errs := adminui.ParseWindowForm(f, tt.loc)
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
			got, errs := adminui.ParseWindowForm(adminui.FormatWindowForm(w, loc), loc)
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
