package httpapi_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apognu/gocal"
	ical "github.com/emersion/go-ical"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/maintenance"
)

// occ is one occurrence of a window: the window's ID and the instants it
// starts and stops, in UTC.
type occ struct {
	id          int64
	start, stop time.Time
}

func (o occ) String() string {
	return "window " + itoa(o.id) + " " + o.start.Format(time.RFC3339) + " to " + o.stop.Format(time.RFC3339)
}

// texts returns the occurrences as text, for readable diffs.
func texts(os []occ) []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = o.String()
	}
	return out
}

// enforced walks the Manager's compiled schedule from from to to, status
// change by status change, and returns every occurrence it makes active,
// sorted by start, then ID: the maintenance the host enforces.
func enforced(t *testing.T, m *maintenance.Manager, from, to time.Time) []occ {
	t.Helper()
	seen := map[occ]bool{}
	var out []occ
	for at := from; at.Before(to); {
		st := m.StatusAt(at)
		for _, w := range st.ActiveWindows() {
			o := occ{w.ID, w.Start, w.Stop}
			if !seen[o] {
				seen[o] = true
				out = append(out, o)
			}
		}
		next := st.Next()
		if next.IsZero() {
			break
		}
		require.True(t, next.After(at), "the status moves on")
		at = next
	}
	sortOccs(out)
	return out
}

func sortOccs(os []occ) {
	slices.SortFunc(os, func(a, b occ) int {
		if c := a.start.Compare(b.start); c != 0 {
			return c
		}
		return int(a.id - b.id)
	})
}

// expandFeed expands body with github.com/apognu/gocal, a parser with an
// RRULE expansion of its own (not rrule-go, which the schedule uses), and
// returns the occurrences of every event that overlaps [from, to], as a
// calendar client would show them. The event's UID names the window.
func expandFeed(t *testing.T, body []byte, from, to time.Time) []occ {
	t.Helper()
	p := gocal.NewParser(bytes.NewReader(body))
	p.Start, p.End = &from, &to
	require.NoError(t, p.Parse())
	var out []occ
	for _, e := range p.Events {
		id, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(e.Uid, "window-"), "@sysmaint.invalid"), 10, 64)
		require.NoError(t, err, "UID %s", e.Uid)
		out = append(out, occ{id, e.Start.UTC(), e.End.UTC()})
	}
	sortOccs(out)
	return out
}

// of keeps the occurrences of the windows ids.
func of(os []occ, ids ...int64) []occ {
	var out []occ
	for _, o := range os {
		if slices.Contains(ids, o.id) {
			out = append(out, o)
		}
	}
	return out
}

// zone loads an IANA zone or fails the test.
func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, ok := maintenance.LoadZone(name)
	require.True(t, ok, name)
	return loc
}

// recurringEvent is what the test reads of a recurring VEVENT with
// github.com/emersion/go-ical, property by property (its expansion is not
// used: it relies on rrule-go, as the schedule does).
type recurringEvent struct {
	dtstart, tzid, duration, rrule string
	exdates                        []string // TZID:value
	hasDTEnd                       bool
}

func readRecurring(t *testing.T, body []byte, uid string) recurringEvent {
	t.Helper()
	cal, err := ical.NewDecoder(bytes.NewReader(body)).Decode()
	require.NoError(t, err)
	for _, ev := range cal.Events() {
		if ev.Props.Get(ical.PropUID).Value != uid {
			continue
		}
		var out recurringEvent
		start := ev.Props.Get(ical.PropDateTimeStart)
		require.NotNil(t, start)
		out.dtstart, out.tzid = start.Value, start.Params.Get(ical.ParamTimezoneID)
		if d := ev.Props.Get(ical.PropDuration); d != nil {
			out.duration = d.Value
		}
		if r := ev.Props.Get(ical.PropRecurrenceRule); r != nil {
			out.rrule = r.Value
		}
		for _, x := range ev.Props.Values(ical.PropExceptionDates) {
			out.exdates = append(out.exdates, x.Params.Get(ical.ParamTimezoneID)+":"+x.Value)
		}
		out.hasDTEnd = ev.Props.Get(ical.PropDateTimeEnd) != nil
		return out
	}
	t.Fatalf("no event %s", uid)
	return recurringEvent{}
}

// TestCalendar_RecurringMatchesSchedule writes recurring windows into the
// feed, expands the feed with an independent parser (apognu/gocal) over a
// year, and compares the occurrences with those the Manager's schedule
// makes active: a calendar client shows the maintenance that is
// enforced.
//
// gocal's expansion is simple, and the cases stay within what it gets
// right (checked by reading its source, v0.9.1):
//
//   - It steps from DTSTART by calendar arithmetic (time.AddDate) in the
//     zone, each occurrence from the one before. Across a spring-forward
//     gap the start slips an hour and stays slipped ("every Sunday 02:00
//     Europe/Berlin" becomes 03:00 from the last Sunday of March on), and
//     in a fall-back overlap it takes what Go's time.Date picks (the
//     second instant in Berlin), where RFC 5545 takes the first. So the
//     Berlin case, whose start falls in both, is compared with a table
//     computed by hand (TestCalendar_RecurringAcrossDST).
//   - BYDAY with an ordinal (1TU) is read as the weekday alone, searched
//     in the seven days from DTSTART's day of the month: right for "the
//     first Tuesday" when DTSTART is on the 1st, as in the case below.
//   - UNTIL is compared as text with the start's wall-clock time in its
//     zone, not as an instant: right here, where New York's wall clock is
//     behind UTC and the UNTIL falls on an occurrence.
//   - It derives each occurrence's end from the one before, with the same
//     calendar arithmetic in DTEND's zone, so a DTEND in UTC would slip by
//     the DST shift; the feed writes DURATION, which gocal adds to
//     DTSTART, and no case has an occurrence that spans a change.
func TestCalendar_RecurringMatchesSchedule(t *testing.T) {
	ny := zone(t, "America/New_York")
	year := t0.AddDate(1, 0, 0)
	tests := []struct {
		name string
		add  func(e *env) []int64
		n    int // occurrences in the year
	}{
		{"monthly on the first Tuesday 22:00-23:00 New York", func(e *env) []int64 {
			start := time.Date(2026, 12, 1, 22, 0, 0, 0, ny)
			return []int64{e.add(maintenance.Window{Start: start, Stop: start.Add(time.Hour),
				Recurrence: maintenance.Recurrence{Rule: "FREQ=MONTHLY;BYDAY=1TU", Zone: "America/New_York"}}).ID}
		}, 12},
		{"every other Saturday 23:00-01:00 New York, ten times (COUNT)", func(e *env) []int64 {
			start := time.Date(2026, 11, 28, 23, 0, 0, 0, ny)
			return []int64{e.add(maintenance.Window{Start: start, Stop: start.Add(2 * time.Hour),
				Recurrence: maintenance.Recurrence{Rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=10", Zone: "America/New_York"}}).ID}
		}, 10},
		{"every Wednesday 10:00-11:00 New York until an occurrence after the spring change (UNTIL)", func(e *env) []int64 {
			start := time.Date(2026, 11, 25, 10, 0, 0, 0, ny)
			return []int64{e.add(maintenance.Window{Start: start, Stop: start.Add(time.Hour),
				Recurrence: maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=WE;UNTIL=20270317T140000Z", Zone: "America/New_York"}}).ID}
		}, 17},
		{"Tuesdays and Thursdays 09:00-09:30 New York, two skipped and one moved", func(e *env) []int64 {
			start := time.Date(2026, 11, 24, 9, 0, 0, 0, ny)
			w := e.add(maintenance.Window{Start: start, Stop: start.Add(30 * time.Minute),
				Recurrence: maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=TU,TH", Zone: "America/New_York",
					Exceptions: []time.Time{time.Date(2026, 12, 24, 9, 0, 0, 0, ny), time.Date(2027, 3, 16, 9, 0, 0, 0, ny)}}})
			moved, _, err := e.m.MoveOccurrence(context.Background(), w.ID, time.Date(2027, 1, 5, 9, 0, 0, 0, ny),
				time.Date(2027, 1, 6, 13, 0, 0, 0, ny), time.Date(2027, 1, 6, 13, 30, 0, 0, ny), w.Version, "admin")
			require.NoError(t, err)
			return []int64{w.ID, moved.ID}
		}, 103},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, withFeedDomain)
			ids := tt.add(e)
			want := of(enforced(t, e.m, t0, year), ids...)
			require.Len(t, want, tt.n, "the schedule's occurrences in the year")

			r := e.do(req{method: "GET", path: "/calendar.ics"})
			require.Equal(t, http.StatusOK, r.status)
			checkFolding(t, r.body)
			got := of(expandFeed(t, r.body, t0, year), ids...)
			assert.Equal(t, texts(want), texts(got), "the feed, expanded by gocal, shows the occurrences the schedule enforces")

			ev := readRecurring(t, r.body, "window-"+itoa(ids[0])+"@sysmaint.invalid")
			w, err := e.m.Get(context.Background(), ids[0])
			require.NoError(t, err)
			assert.Equal(t, w.Recurrence.Rule, ev.rrule, "one VEVENT with the rule")
			assert.Equal(t, w.Recurrence.Zone, ev.tzid, "DTSTART has the zone's IANA name as TZID")
			assert.Equal(t, w.Start.In(zone(t, w.Recurrence.Zone)).Format("20060102T150405"), ev.dtstart, "DTSTART is local")
			assert.False(t, ev.hasDTEnd, "DURATION, not DTEND")
			assert.Equal(t, map[time.Duration]string{time.Hour: "PT1H", 2 * time.Hour: "PT2H", 30 * time.Minute: "PT30M"}[w.Stop.Sub(w.Start)], ev.duration)
			assert.Len(t, ev.exdates, len(w.Recurrence.Exceptions), "an EXDATE per exception")
			for _, x := range ev.exdates {
				assert.True(t, strings.HasPrefix(x, w.Recurrence.Zone+":"), "EXDATE with TZID: %s", x)
			}
		})
	}
}

// withFeedDomain sets the UID domain the recurring tests read.
var withFeedDomain = withOptions(func(o *httpapi.Options) { o.UIDDomain = "sysmaint.invalid" })

// TestCalendar_RecurringAcrossDST checks "every Sunday 02:00-04:00
// Europe/Berlin" over a year that holds both daylight-saving changes: the
// schedule against a table computed by hand, and the feed's event, which
// a client following RFC 5545 expands to the same table. gocal does not
// (see TestCalendar_RecurringMatchesSchedule): it agrees up to the spring
// change only, which is checked too.
func TestCalendar_RecurringAcrossDST(t *testing.T) {
	e := newEnv(t, withFeedDomain)
	berlin := zone(t, "Europe/Berlin")
	start := time.Date(2026, 11, 29, 2, 0, 0, 0, berlin)
	w := e.add(maintenance.Window{Start: start, Stop: start.Add(2 * time.Hour),
		Recurrence: maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=SU", Zone: "Europe/Berlin"}})

	// By hand. CET is UTC+1, CEST UTC+2. On 28 March 2027 the clocks go
	// from 02:00 CET to 03:00 CEST: 02:00 does not exist and moves forward
	// by the gap, to 03:00 CEST (01:00Z), and maintenance lasts two hours,
	// to 05:00 CEST. On 31 October 2027 they go from 03:00 CEST back to
	// 02:00 CET: 02:00 occurs twice, the first (CEST, 00:00Z) counts, and
	// two hours later it is 03:00 CET.
	table := []struct {
		from, to string // Sundays, inclusive
		startZ   string // UTC time of day of the start
	}{
		{"2026-11-29", "2027-03-21", "01:00"}, // 02:00 CET
		{"2027-03-28", "2027-03-28", "01:00"}, // 03:00 CEST: the gap
		{"2027-04-04", "2027-10-24", "00:00"}, // 02:00 CEST
		{"2027-10-31", "2027-10-31", "00:00"}, // 02:00 CEST, the first of two
		{"2027-11-07", "2027-11-21", "01:00"}, // 02:00 CET
	}
	var want []occ
	for _, row := range table {
		from, err := time.Parse("2006-01-02 15:04", row.from+" "+row.startZ)
		require.NoError(t, err)
		to, err := time.Parse("2006-01-02 15:04", row.to+" "+row.startZ)
		require.NoError(t, err)
		for d := from; !d.After(to); d = d.AddDate(0, 0, 7) {
			want = append(want, occ{w.ID, d, d.Add(2 * time.Hour)})
		}
	}
	require.Len(t, want, 52)
	year := t0.AddDate(1, 0, 0)
	assert.Equal(t, texts(want), texts(enforced(t, e.m, t0, year)), "the schedule enforces the table")

	r := e.do(req{method: "GET", path: "/calendar.ics"})
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, recurringEvent{dtstart: "20261129T020000", tzid: "Europe/Berlin", duration: "PT2H", rrule: "FREQ=WEEKLY;BYDAY=SU"},
		readRecurring(t, r.body, "window-"+itoa(w.ID)+"@sysmaint.invalid"),
		"every Sunday at 02:00 Berlin time for exactly two hours: by RFC 5545, the table")

	spring := time.Date(2027, 3, 28, 0, 0, 0, 0, time.UTC)
	got := expandFeed(t, r.body, t0, year)
	require.Len(t, got, len(want))
	before := slices.IndexFunc(want, func(o occ) bool { return !o.start.Before(spring) })
	assert.Equal(t, texts(want[:before]), texts(got[:before]), "gocal agrees up to the spring change")
	local := func(o occ) string {
		return o.start.In(berlin).Format("2006-01-02 15:04 MST") + " to " + o.stop.In(berlin).Format("15:04 MST")
	}
	for i, shown := 0, 0; i < len(got) && shown < 3; i++ {
		if got[i] != want[i] {
			t.Logf("gocal shows %s where RFC 5545 has %s", local(got[i]), local(want[i]))
			shown++
		}
	}
}

// TestCalendar_RecurringHistory keeps a recurring window in the feed while
// one of its occurrences ends within the history, and drops it after.
func TestCalendar_RecurringHistory(t *testing.T) {
	e := newEnv(t, withFeedDomain)
	e.clock.Set(at(-100 * day))
	w := e.add(maintenance.Window{Start: at(-99 * day), Stop: at(-99*day + time.Hour),
		Recurrence: maintenance.Recurrence{Rule: "FREQ=DAILY;COUNT=80", Zone: "UTC"}}) // the last ends 20 days ago
	weekly := e.add(maintenance.Window{Start: at(-99 * day), Stop: at(-99*day + time.Hour),
		Recurrence: maintenance.Recurrence{Rule: "FREQ=WEEKLY", Zone: "UTC"}})
	e.clock.Set(t0)
	uids := func() []string {
		r := e.do(req{method: "GET", path: "/calendar.ics"})
		require.Equal(t, http.StatusOK, r.status)
		cal, err := ical.NewDecoder(bytes.NewReader(r.body)).Decode()
		require.NoError(t, err)
		var out []string
		for _, ev := range cal.Events() {
			out = append(out, ev.Props.Get(ical.PropUID).Value)
		}
		return out
	}
	uid := func(w maintenance.Window) string { return "window-" + itoa(w.ID) + "@sysmaint.invalid" }
	assert.Equal(t, []string{uid(w), uid(weekly)}, uids(), "the first occurrences are long gone, the last ones not")
	e.clock.Set(at(10*day - 1))
	assert.Equal(t, []string{uid(w), uid(weekly)}, uids())
	e.clock.Set(at(10*day + time.Hour)) // the last occurrence stopped 30 days ago
	assert.Equal(t, []string{uid(weekly)}, uids(), "gone with its last occurrence; time alone changed the feed")
	e.clock.Set(at(1000 * day))
	assert.Equal(t, []string{uid(weekly)}, uids(), "a rule without end stays")

	// A window whose rule cannot be expanded (written past the Manager,
	// its zone unknown to this process's zone database) takes no part in
	// the schedule, nor in the feed.
	odd, err := e.store.Create(context.Background(), maintenance.Window{Start: at(1001 * day), Stop: at(1001*day + time.Hour),
		Comment: "odd", Validity: maintenance.Valid, Recurrence: maintenance.Recurrence{Rule: "FREQ=WEEKLY", Zone: "Mars/Olympus_Mons"}})
	require.NoError(t, err)
	require.NoError(t, e.m.Refresh(context.Background()))
	assert.False(t, e.m.StatusAt(at(1001*day+time.Minute)).Active(), "not in the schedule")
	assert.NotContains(t, uids(), uid(odd))
}

// checkFolding checks that every line of body ends with CRLF and is
// folded at 75 octets.
func checkFolding(t *testing.T, body []byte) {
	t.Helper()
	for i, line := range strings.Split(strings.TrimSuffix(string(body), "\r\n"), "\r\n") {
		require.LessOrEqual(t, len(line), 75, "line %d is folded at 75 octets: %q", i, line)
		require.NotContains(t, line, "\n", "lines end with CRLF")
	}
}
