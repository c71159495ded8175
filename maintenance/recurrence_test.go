package maintenance_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// zone loads an IANA zone or fails the test.
func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, ok := maintenance.LoadZone(name)
	require.True(t, ok, "zone %s", name)
	return loc
}

// local returns the wall-clock time s ("2006-01-02 15:04") in the zone
// named name, as time.Date reads it: for times that exist once.
func local(t testing.TB, name, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, zone(t, name))
	require.NoError(t, err)
	return v
}

// show formats t in loc with its numeric offset: "2026-03-29 03:00 +0200".
func show(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01-02 15:04 -0700") }

// repeating returns a valid window recurring by rule in zoneName, its first
// occurrence from start (wall-clock, "2006-01-02 15:04") for length.
func repeating(t testing.TB, id int64, rule, zoneName, start string, length time.Duration) maintenance.Window {
	t.Helper()
	s := local(t, zoneName, start)
	return maintenance.Window{ID: id, Start: s, Stop: s.Add(length), Comment: "recurring", Validity: maintenance.Valid,
		Recurrence: maintenance.Recurrence{Rule: rule, Zone: zoneName}}
}

// starts lists the starts of ws in loc, formatted by show.
func starts(ws []maintenance.Window, loc *time.Location) []string {
	out := []string{}
	for _, w := range ws {
		out = append(out, show(w.Start, loc))
	}
	return out
}

// TestWindow_Occurrences expands one rule of each shape. The first cases
// are examples of RFC 5545 (section 3.8.5.3), whose occurrences the RFC
// lists: an expansion that does not come from this package's code.
func TestWindow_Occurrences(t *testing.T) {
	const ny = "America/New_York"
	tests := []struct {
		name, rule, zone, start string
		n                       int
		want                    []string // wall-clock starts, "2006-01-02 15:04 -0700"
	}{
		{"RFC: monthly on the first Friday, 10 times", "FREQ=MONTHLY;COUNT=10;BYDAY=1FR", ny, "1997-09-05 09:00", 20, []string{
			"1997-09-05 09:00 -0400", "1997-10-03 09:00 -0400", "1997-11-07 09:00 -0500", "1997-12-05 09:00 -0500",
			"1998-01-02 09:00 -0500", "1998-02-06 09:00 -0500", "1998-03-06 09:00 -0500", "1998-04-03 09:00 -0500",
			"1998-05-01 09:00 -0400", "1998-06-05 09:00 -0400"}},
		{"RFC: every other week on Monday, Wednesday and Friday until December 24", "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR",
			ny, "1997-09-01 09:00", 100, []string{
				"1997-09-01 09:00 -0400", "1997-09-03 09:00 -0400", "1997-09-05 09:00 -0400", "1997-09-15 09:00 -0400",
				"1997-09-17 09:00 -0400", "1997-09-19 09:00 -0400", "1997-09-29 09:00 -0400", "1997-10-01 09:00 -0400",
				"1997-10-03 09:00 -0400", "1997-10-13 09:00 -0400", "1997-10-15 09:00 -0400", "1997-10-17 09:00 -0400",
				"1997-10-27 09:00 -0500", "1997-10-29 09:00 -0500", "1997-10-31 09:00 -0500", "1997-11-10 09:00 -0500",
				"1997-11-12 09:00 -0500", "1997-11-14 09:00 -0500", "1997-11-24 09:00 -0500", "1997-11-26 09:00 -0500",
				"1997-11-28 09:00 -0500", "1997-12-08 09:00 -0500", "1997-12-10 09:00 -0500", "1997-12-12 09:00 -0500",
				"1997-12-22 09:00 -0500"}},
		{"RFC: WKST=MO", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", ny, "1997-08-05 09:00", 10, []string{
			"1997-08-05 09:00 -0400", "1997-08-10 09:00 -0400", "1997-08-19 09:00 -0400", "1997-08-24 09:00 -0400"}},
		{"RFC: WKST=SU", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", ny, "1997-08-05 09:00", 10, []string{
			"1997-08-05 09:00 -0400", "1997-08-17 09:00 -0400", "1997-08-19 09:00 -0400", "1997-08-31 09:00 -0400"}},
		{"RFC: monthly on the second-to-last Monday, 6 times", "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", ny, "1997-09-22 09:00", 10, []string{
			"1997-09-22 09:00 -0400", "1997-10-20 09:00 -0400", "1997-11-17 09:00 -0500", "1997-12-22 09:00 -0500",
			"1998-01-19 09:00 -0500", "1998-02-16 09:00 -0500"}},
		{"RFC: monthly on the third-to-last day", "FREQ=MONTHLY;BYMONTHDAY=-3", ny, "1997-09-28 09:00", 6, []string{
			"1997-09-28 09:00 -0400", "1997-10-29 09:00 -0500", "1997-11-28 09:00 -0500", "1997-12-29 09:00 -0500",
			"1998-01-29 09:00 -0500", "1998-02-26 09:00 -0500"}},
		{"RFC: every Friday the 13th", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", ny, "1998-02-13 09:00", 5, []string{
			"1998-02-13 09:00 -0500", "1998-03-13 09:00 -0500", "1998-11-13 09:00 -0500", "1999-08-13 09:00 -0400",
			"2000-10-13 09:00 -0400"}},
		{"RFC: U.S. presidential election day", "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8", ny,
			"1996-11-05 09:00", 3, []string{"1996-11-05 09:00 -0500", "2000-11-07 09:00 -0500", "2004-11-02 09:00 -0500"}},
		{"RFC: yearly in June and July, 10 times", "FREQ=YEARLY;COUNT=10;BYMONTH=6,7", ny, "1997-06-10 09:00", 20, []string{
			"1997-06-10 09:00 -0400", "1997-07-10 09:00 -0400", "1998-06-10 09:00 -0400", "1998-07-10 09:00 -0400",
			"1999-06-10 09:00 -0400", "1999-07-10 09:00 -0400", "2000-06-10 09:00 -0400", "2000-07-10 09:00 -0400",
			"2001-06-10 09:00 -0400", "2001-07-10 09:00 -0400"}},
		{"daily every other day", "FREQ=DAILY;INTERVAL=2", "Europe/Berlin", "2026-11-24 22:00", 3, []string{
			"2026-11-24 22:00 +0100", "2026-11-26 22:00 +0100", "2026-11-28 22:00 +0100"}},
		{"daily on weekdays in December", "FREQ=DAILY;BYMONTH=12;BYDAY=MO,TU,WE,TH,FR", "Europe/Berlin", "2026-12-30 22:00", 4, []string{
			"2026-12-30 22:00 +0100", "2026-12-31 22:00 +0100", "2027-12-01 22:00 +0100", "2027-12-02 22:00 +0100"}},
		{"weekly without BYDAY: the weekday of the start", "FREQ=WEEKLY", "Asia/Tokyo", "2026-11-24 03:00", 3, []string{
			"2026-11-24 03:00 +0900", "2026-12-01 03:00 +0900", "2026-12-08 03:00 +0900"}},
		{"monthly without BYMONTHDAY: the day of the start, skipping short months", "FREQ=MONTHLY", "UTC", "2027-01-31 23:00", 4, []string{
			"2027-01-31 23:00 +0000", "2027-03-31 23:00 +0000", "2027-05-31 23:00 +0000", "2027-07-31 23:00 +0000"}},
		{"monthly on the first Tuesday", "FREQ=MONTHLY;BYDAY=1TU", "America/New_York", "2026-12-01 22:00", 4, []string{
			"2026-12-01 22:00 -0500", "2027-01-05 22:00 -0500", "2027-02-02 22:00 -0500", "2027-03-02 22:00 -0500"}},
		{"monthly on the last Friday", "FREQ=MONTHLY;BYDAY=-1FR", "Europe/Berlin", "2026-11-27 20:00", 3, []string{
			"2026-11-27 20:00 +0100", "2026-12-25 20:00 +0100", "2027-01-29 20:00 +0100"}},
		{"monthly on the last day", "FREQ=MONTHLY;BYMONTHDAY=-1", "Europe/Berlin", "2027-01-31 20:00", 3, []string{
			"2027-01-31 20:00 +0100", "2027-02-28 20:00 +0100", "2027-03-31 20:00 +0200"}},
		{"quarterly on the 15th", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", "UTC", "2026-11-15 01:00", 3, []string{
			"2026-11-15 01:00 +0000", "2027-02-15 01:00 +0000", "2027-05-15 01:00 +0000"}},
		{"yearly on leap days", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "UTC", "2028-02-29 01:00", 3, []string{
			"2028-02-29 01:00 +0000", "2032-02-29 01:00 +0000", "2036-02-29 01:00 +0000"}},
		{"yearly on the 20th Monday of the year", "FREQ=YEARLY;BYDAY=20MO", "UTC", "2027-05-17 01:00", 2, []string{
			"2027-05-17 01:00 +0000", "2028-05-15 01:00 +0000"}},
		{"UNTIL is inclusive", "FREQ=DAILY;UNTIL=20261126T210000Z", "Europe/Berlin", "2026-11-24 22:00", 10, []string{
			"2026-11-24 22:00 +0100", "2026-11-25 22:00 +0100", "2026-11-26 22:00 +0100"}},
		{"UNTIL one second before the third", "FREQ=DAILY;UNTIL=20261126T205959Z", "Europe/Berlin", "2026-11-24 22:00", 10, []string{
			"2026-11-24 22:00 +0100", "2026-11-25 22:00 +0100"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := repeating(t, 1, tt.rule, tt.zone, tt.start, time.Hour)
			require.NoError(t, w.Validate())
			got, err := w.Occurrences(w.Start, tt.n)
			require.NoError(t, err)
			assert.Equal(t, tt.want, starts(got, zone(t, tt.zone)))
			for _, o := range got {
				assert.Equal(t, time.Hour, o.Stop.Sub(o.Start), "length of %s", o.Start)
				assert.True(t, o.Occurrence.Equal(o.Start), "Occurrence of %s", o.Start)
				assert.Equal(t, w.ID, o.ID)
				assert.Equal(t, time.UTC, o.Start.Location())
			}
			// The same occurrences from the middle on: the expansion of a
			// rule that began long ago starts where it is asked to.
			if len(got) > 2 {
				later, err := w.Occurrences(got[len(got)-2].Start, 2)
				require.NoError(t, err)
				assert.Equal(t, tt.want[len(got)-2:], starts(later, zone(t, tt.zone)))
			}
		})
	}
}

func TestWindow_OccurrencesExceptionsAndBounds(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	w := repeating(t, 3, "FREQ=WEEKLY;BYDAY=SU", "Europe/Berlin", "2026-11-29 02:00", 2*time.Hour)
	w.Recurrence.Exceptions = []time.Time{local(t, "Europe/Berlin", "2026-12-06 02:00"), local(t, "Europe/Berlin", "2026-12-20 02:00")}
	require.NoError(t, w.Validate())

	got, err := w.Occurrences(local(t, "Europe/Berlin", "2026-11-29 03:00"), 3) // inside the first
	require.NoError(t, err)
	assert.Equal(t, []string{"2026-11-29 02:00 +0100", "2026-12-13 02:00 +0100", "2026-12-27 02:00 +0100"}, starts(got, berlin))
	got, err = w.Occurrences(local(t, "Europe/Berlin", "2026-11-29 04:00"), 1) // the first has ended
	require.NoError(t, err)
	assert.Equal(t, []string{"2026-12-13 02:00 +0100"}, starts(got, berlin))

	got, err = w.Occurrences(w.Start, 0)
	require.NoError(t, err)
	assert.NotNil(t, got)
	assert.Empty(t, got)
	got, err = w.Occurrences(w.Start, maintenance.MaxOccurrences+5)
	require.NoError(t, err)
	assert.Len(t, got, maintenance.MaxOccurrences, "at most MaxOccurrences")

	once := win(4, 0, 60)
	got, err = once.Occurrences(at(30), 5)
	require.NoError(t, err)
	require.Len(t, got, 1, "a one-off window is its own occurrence")
	assert.True(t, got[0].Occurrence.IsZero())
	got, err = once.Occurrences(at(60), 5)
	require.NoError(t, err)
	assert.Empty(t, got)

	bad := w
	bad.Recurrence.Zone = "Mars/Olympus_Mons"
	_, err = bad.Occurrences(w.Start, 5)
	var ve *maintenance.ValidationError
	require.ErrorAs(t, err, &ve)
	r, ok := ve.Reason(maintenance.FieldZone)
	assert.True(t, ok)
	assert.Equal(t, maintenance.ReasonUnknownZone, r)
}

func TestWindow_ValidateRecurrence(t *testing.T) {
	const berlin = "Europe/Berlin"
	ok := func(t *testing.T) maintenance.Window {
		return repeating(t, 0, "FREQ=WEEKLY;BYDAY=SU", berlin, "2026-11-29 02:00", 2*time.Hour)
	}
	tests := []struct {
		name   string
		change func(t *testing.T, w *maintenance.Window)
		field  string
		reason maintenance.Reason
	}{
		{"valid", func(*testing.T, *maintenance.Window) {}, "", ""},
		{"valid with exceptions", func(t *testing.T, w *maintenance.Window) {
			w.Recurrence.Exceptions = []time.Time{local(t, berlin, "2027-03-28 03:00"), local(t, berlin, "2026-12-06 02:00")}
		}, "", ""},
		{"valid, an exception in another zone", func(t *testing.T, w *maintenance.Window) {
			w.Recurrence.Exceptions = []time.Time{local(t, "Asia/Tokyo", "2026-12-06 10:00")}
		}, "", ""},
		{"zone without rule", func(_ *testing.T, w *maintenance.Window) { w.Recurrence.Rule = "" },
			maintenance.FieldRecurrence, maintenance.ReasonRequired},
		{"rule without zone", func(_ *testing.T, w *maintenance.Window) { w.Recurrence.Zone = "" },
			maintenance.FieldZone, maintenance.ReasonRequired},
		{"exceptions alone", func(_ *testing.T, w *maintenance.Window) {
			w.Recurrence = maintenance.Recurrence{Zone: berlin, Exceptions: []time.Time{w.Start}}
		}, maintenance.FieldRecurrence, maintenance.ReasonRequired},
		{"a bad rule", func(_ *testing.T, w *maintenance.Window) { w.Recurrence.Rule = "FREQ=HOURLY" },
			maintenance.FieldRecurrence, maintenance.ReasonBadRule},
		{"a rule too long", func(_ *testing.T, w *maintenance.Window) {
			w.Recurrence.Rule = "FREQ=WEEKLY;" + strings.Repeat("X", 600)
		}, maintenance.FieldRecurrence, maintenance.ReasonRuleTooLong},
		{"an unknown zone", func(_ *testing.T, w *maintenance.Window) { w.Recurrence.Zone = "Mars/Olympus_Mons" },
			maintenance.FieldZone, maintenance.ReasonUnknownZone},
		{"the machine's zone", func(_ *testing.T, w *maintenance.Window) { w.Recurrence.Zone = "Local" },
			maintenance.FieldZone, maintenance.ReasonUnknownZone},
		{"a zone name too long", func(_ *testing.T, w *maintenance.Window) { w.Recurrence.Zone = strings.Repeat("Europe/", 20) },
			maintenance.FieldZone, maintenance.ReasonUnknownZone},
		{"start on a day the rule does not select", func(t *testing.T, w *maintenance.Window) {
			w.Start, w.Stop = local(t, berlin, "2026-11-30 02:00"), local(t, berlin, "2026-11-30 04:00")
		}, maintenance.FieldStart, maintenance.ReasonNotAnOccurrence},
		{"start the second of two equal wall-clock times", func(t *testing.T, w *maintenance.Window) {
			w.Recurrence.Rule = "FREQ=DAILY"
			w.Start = time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC) // 02:30 CET, after 02:30 CEST
			w.Stop = w.Start.Add(time.Hour)
		}, maintenance.FieldStart, maintenance.ReasonNotAnOccurrence},
		{"the first of two equal wall-clock times is valid", func(t *testing.T, w *maintenance.Window) {
			w.Recurrence.Rule = "FREQ=DAILY"
			w.Start = time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC) // 02:30 CEST
			w.Stop = w.Start.Add(time.Hour)
		}, "", ""},
		{"a rule with no occurrence at all", func(_ *testing.T, w *maintenance.Window) {
			w.Recurrence.Rule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"
		}, maintenance.FieldRecurrence, maintenance.ReasonNoOccurrence},
		{"a rule that ends before its start", func(_ *testing.T, w *maintenance.Window) {
			w.Recurrence.Rule = "FREQ=WEEKLY;BYDAY=SU;UNTIL=20261128T000000Z"
		}, maintenance.FieldRecurrence, maintenance.ReasonNoOccurrence},
		{"start off a whole second", func(_ *testing.T, w *maintenance.Window) { w.Start = w.Start.Add(500 * time.Millisecond) },
			maintenance.FieldStart, maintenance.ReasonNotWholeSecond},
		{"stop off a whole second", func(_ *testing.T, w *maintenance.Window) { w.Stop = w.Stop.Add(time.Millisecond) },
			maintenance.FieldStop, maintenance.ReasonNotWholeSecond},
		{"an occurrence that does not end after it starts", func(_ *testing.T, w *maintenance.Window) { w.Stop = w.Start },
			maintenance.FieldStart, maintenance.ReasonNotBeforeStop},
		{"an occurrence longer than MaxOccurrenceLength", func(_ *testing.T, w *maintenance.Window) {
			w.Stop = w.Start.Add(maintenance.MaxOccurrenceLength + time.Second)
		}, maintenance.FieldStop, maintenance.ReasonOccurrenceTooLong},
		{"an exception that is no occurrence", func(t *testing.T, w *maintenance.Window) {
			w.Recurrence.Exceptions = []time.Time{local(t, berlin, "2026-12-06 02:00"), local(t, berlin, "2026-12-07 02:00")}
		}, maintenance.FieldExceptions, maintenance.ReasonNotAnOccurrence},
		{"an exception after UNTIL", func(t *testing.T, w *maintenance.Window) {
			w.Recurrence.Rule = "FREQ=WEEKLY;BYDAY=SU;COUNT=2"
			w.Recurrence.Exceptions = []time.Time{local(t, berlin, "2026-12-13 02:00")}
		}, maintenance.FieldExceptions, maintenance.ReasonNotAnOccurrence},
		{"a zero exception", func(_ *testing.T, w *maintenance.Window) { w.Recurrence.Exceptions = []time.Time{{}} },
			maintenance.FieldExceptions, maintenance.ReasonRequired},
		{"an exception out of range", func(_ *testing.T, w *maintenance.Window) {
			w.Recurrence.Exceptions = []time.Time{maintenance.MaxTime.Add(time.Second)}
		}, maintenance.FieldExceptions, maintenance.ReasonOutOfRange},
		{"too many exceptions", func(_ *testing.T, w *maintenance.Window) {
			w.Recurrence.Exceptions = make([]time.Time, maintenance.MaxExceptions+1)
			for i := range w.Recurrence.Exceptions {
				w.Recurrence.Exceptions[i] = w.Start.AddDate(0, 0, 7*i)
			}
		}, maintenance.FieldExceptions, maintenance.ReasonTooManyExceptions},
		{"an occurrence handed back", func(_ *testing.T, w *maintenance.Window) { w.Occurrence = w.Start },
			maintenance.FieldOccurrence, maintenance.ReasonIsOccurrence},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := ok(t)
			tt.change(t, &w)
			err := w.Validate()
			if tt.field == "" {
				require.NoError(t, err)
				return
			}
			var ve *maintenance.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Len(t, ve.Fields, 1, "%v", err)
			assert.Equal(t, tt.field, ve.Fields[0].Field)
			assert.Equal(t, tt.reason, ve.Fields[0].Reason)
		})
	}
}

func TestWindow_Align(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	tests := []struct {
		name, rule, start string
		want              string // "": unchanged
		reason            maintenance.Reason
	}{
		{"Tuesday to the next Sunday", "FREQ=WEEKLY;BYDAY=SU", "2026-11-24 02:00", "2026-11-29 02:00 +0100", ""},
		{"already an occurrence", "FREQ=WEEKLY;BYDAY=SU", "2026-11-29 02:00", "2026-11-29 02:00 +0100", ""},
		{"to the first Tuesday", "FREQ=MONTHLY;BYDAY=1TU", "2026-11-24 22:00", "2026-12-01 22:00 +0100", ""},
		{"past an occurrence moved out of a gap", "FREQ=DAILY", "2027-03-27 02:30", "2027-03-27 02:30 +0100", ""},
		{"no occurrence", "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", "2026-11-24 22:00", "", maintenance.ReasonNoOccurrence},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := repeating(t, 0, tt.rule, "Europe/Berlin", tt.start, 90*time.Minute)
			got, err := w.Align()
			if tt.reason != "" {
				var ve *maintenance.ValidationError
				require.ErrorAs(t, err, &ve)
				r, _ := ve.Reason(maintenance.FieldRecurrence)
				assert.Equal(t, tt.reason, r)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, show(got.Start, berlin))
			assert.Equal(t, 90*time.Minute, got.Stop.Sub(got.Start))
			assert.NoError(t, got.Validate())
		})
	}
	// An occurrence in the spring-forward gap cannot be the start: its
	// wall-clock time would not be the rule's. Every last Sunday of March
	// at 02:30 Berlin time falls in the gap, so that rule has no start.
	w := repeating(t, 0, "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "Europe/Berlin", "2027-03-01 02:30", time.Hour)
	_, err := w.Align()
	var ve *maintenance.ValidationError
	require.ErrorAs(t, err, &ve)
	r, _ := ve.Reason(maintenance.FieldRecurrence)
	assert.Equal(t, maintenance.ReasonNoOccurrence, r)
	once := win(1, 0, 60)
	got, err := once.Align()
	require.NoError(t, err)
	assert.Equal(t, once.Normalize(), got, "a one-off window is as it is")
}

func TestWindow_Calendar(t *testing.T) {
	w := repeating(t, 1, "FREQ=WEEKLY;BYDAY=SU", "Europe/Berlin", "2026-11-29 02:00", 2*time.Hour)
	w.Recurrence.Exceptions = []time.Time{
		local(t, "Europe/Berlin", "2027-03-28 03:00"), // moved forward out of the gap: written at 02:00
		local(t, "Europe/Berlin", "2026-12-06 02:00"),
	}
	c, ok := w.Calendar()
	require.True(t, ok)
	assert.Equal(t, maintenance.Calendar{TZID: "Europe/Berlin", DTStart: "20261129T020000", DTEnd: "20261129T030000Z",
		Duration: "PT2H", RRule: "FREQ=WEEKLY;BYDAY=SU", ExDates: []string{"20261206T020000", "20270328T020000"}}, c)

	for d, want := range map[time.Duration]string{
		time.Second: "PT1S", 90 * time.Minute: "PT1H30M", 49*time.Hour + 5*time.Second: "PT49H0M5S", 61 * time.Second: "PT1M1S",
	} {
		w := repeating(t, 1, "FREQ=DAILY", "UTC", "2026-11-29 02:00", d)
		c, ok := w.Calendar()
		require.True(t, ok)
		assert.Equal(t, want, c.Duration, "%s", d)
	}
	_, ok = win(1, 0, 60).Calendar()
	assert.False(t, ok, "a one-off window")
	w.Recurrence.Zone = "Nowhere/Else"
	_, ok = w.Calendar()
	assert.False(t, ok, "an invalid recurrence")
}

func TestLoadZone(t *testing.T) {
	for _, name := range []string{"", "Local", "Mars/Olympus_Mons", "../../etc/passwd", "Europe/Berlin\x00", strings.Repeat("a", 65)} {
		_, ok := maintenance.LoadZone(name)
		assert.False(t, ok, "%q", name)
	}
	a, ok := maintenance.LoadZone("Europe/Berlin")
	require.True(t, ok)
	b, _ := maintenance.LoadZone("Europe/Berlin")
	assert.Same(t, a, b, "cached")
	utc, ok := maintenance.LoadZone("UTC")
	require.True(t, ok)
	assert.Equal(t, "UTC", utc.String())
}

func TestRecurrence_String(t *testing.T) {
	assert.Equal(t, "once", maintenance.Recurrence{}.String())
	assert.Equal(t, "FREQ=DAILY in UTC, 1 exception",
		maintenance.Recurrence{Rule: "FREQ=DAILY", Zone: "UTC", Exceptions: []time.Time{base}}.String())
	assert.Equal(t, "FREQ=DAILY in UTC, 0 exceptions", maintenance.Recurrence{Rule: "FREQ=DAILY", Zone: "UTC"}.String())
}
