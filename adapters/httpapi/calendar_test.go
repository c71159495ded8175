package httpapi_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

const day = 24 * time.Hour

// event is what the test reads back from a VEVENT with an independent
// parser.
type event struct {
	uid, summary, description, status string
	start, end, stamp, modified       time.Time
	created                           time.Time
	sequence                          int
}

// parseFeed parses body with github.com/emersion/go-ical and returns the
// calendar and its events by UID.
func parseFeed(t *testing.T, body []byte) (*ical.Calendar, map[string]event) {
	t.Helper()
	for i, line := range strings.Split(strings.TrimSuffix(string(body), "\r\n"), "\r\n") {
		require.LessOrEqual(t, len(line), 75, "line %d is folded at 75 octets: %q", i, line)
		require.NotContains(t, line, "\n", "lines end with CRLF")
	}
	cal, err := ical.NewDecoder(bytes.NewReader(body)).Decode()
	require.NoError(t, err, "%s", body)
	out := map[string]event{}
	for _, ev := range cal.Events() {
		var e event
		var err error
		text := func(name string) string {
			p := ev.Props.Get(name)
			if p == nil {
				return ""
			}
			s, err := p.Text()
			require.NoError(t, err)
			return s
		}
		e.uid = text(ical.PropUID)
		e.summary = text(ical.PropSummary)
		e.description = text(ical.PropDescription)
		e.status = text(ical.PropStatus)
		for _, it := range []struct {
			name string
			to   *time.Time
		}{{ical.PropDateTimeStart, &e.start}, {ical.PropDateTimeEnd, &e.end}, {ical.PropDateTimeStamp, &e.stamp},
			{ical.PropLastModified, &e.modified}, {ical.PropCreated, &e.created}} {
			p := ev.Props.Get(it.name)
			require.NotNil(t, p, "%s of %s", it.name, e.uid)
			require.True(t, strings.HasSuffix(p.Value, "Z"), "%s of %s in UTC: %s", it.name, e.uid, p.Value)
			*it.to, err = p.DateTime(time.UTC)
			require.NoError(t, err)
		}
		e.sequence, err = ev.Props.Get(ical.PropSequence).Int()
		require.NoError(t, err)
		require.NotContains(t, out, e.uid, "UIDs are unique")
		out[e.uid] = e
	}
	return cal, out
}

// eventOf is what the feed should say of w.
func eventOf(w maintenance.Window, status, description string) event {
	end := w.Stop.Truncate(time.Second)
	if end.Before(w.Stop) {
		end = end.Add(time.Second) // the event covers the window
	}
	sec := func(t time.Time) time.Time { return t.Truncate(time.Second) }
	return event{
		uid: "window-" + itoa(w.ID) + "@ops.example.com", summary: w.Comment, description: description, status: status,
		start: sec(w.Start), end: end, stamp: sec(w.ChangedAt), modified: sec(w.ChangedAt), created: sec(w.CreatedAt),
		sequence: int(w.Version - 1),
	}
}

func TestCalendar_Feed(t *testing.T) {
	e := newEnv(t, withOptions(func(o *httpapi.Options) { o.UIDDomain = "ops.example.com"; o.CalendarName = "Ops maintenance" }))
	ctx := context.Background()
	update := func(w maintenance.Window, f func(*maintenance.Window)) maintenance.Window {
		f(&w)
		got, err := e.m.Update(ctx, w, "admin")
		require.NoError(t, err)
		return got
	}

	e.clock.Set(at(-60 * day))
	old := e.add(maintenance.Window{Start: at(-41 * day), Stop: at(-40 * day), Comment: "stopped 40 days ago"})
	oldCancelled := e.add(maintenance.Window{Start: at(10 * day), Stop: at(11 * day), Comment: "cancelled 40 days ago"})
	e.clock.Set(at(-40 * day))
	update(oldCancelled, func(w *maintenance.Window) { w.Validity = maintenance.Invalid })

	e.clock.Set(at(-20 * day))
	recent := e.add(maintenance.Window{Start: at(-11 * day), Stop: at(-10 * day), Comment: "stopped 10 days ago"})
	cancelled := e.add(maintenance.Window{Start: at(2 * day), Stop: at(2*day + time.Hour), Comment: "cancelled"})
	e.clock.Set(at(-5 * day))
	cancelled = update(cancelled, func(w *maintenance.Window) { w.Validity = maintenance.Invalid })
	paused := e.add(maintenance.Window{Start: at(3 * day), Stop: at(3*day + time.Hour), Comment: "paused", Validity: maintenance.InvalidTemporarily})

	e.clock.Set(t0)
	texts := e.add(maintenance.Window{
		Start: at(time.Hour + 750*time.Millisecond), Stop: at(2*time.Hour + 250*time.Millisecond),
		Comment:          `DB upgrade; phase 1, "core" \ more`,
		NotifyMessage:    "Line one\r\nLine two\rLine three\x01 – ünïcödé " + strings.Repeat("long ", 40),
		LoginMessage:     "Admins only",
		ShowLoginMessage: true,
	})
	revised := e.add(maintenance.Window{Start: at(day), Stop: at(day + time.Hour), Comment: "revised", LoginMessage: "hidden"})
	revised = update(revised, func(w *maintenance.Window) { w.Stop = w.Stop.Add(time.Hour) })
	revised = update(revised, func(w *maintenance.Window) { w.Comment = "revised twice" })
	stopsNow := e.add(maintenance.Window{Start: at(-time.Hour), Stop: t0, Comment: "stops now"})

	r := e.do(req{method: "GET", path: "/calendar.ics"})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, "text/calendar; charset=utf-8", r.header.Get("Content-Type"))
	cal, events := parseFeed(t, r.body)

	for name, want := range map[string]string{
		ical.PropVersion: "2.0", ical.PropMethod: "PUBLISH", "X-WR-CALNAME": "Ops maintenance", ical.PropName: "Ops maintenance",
		"REFRESH-INTERVAL": "PT15M", "X-PUBLISHED-TTL": "PT15M",
	} {
		p := cal.Props.Get(name)
		if assert.NotNil(t, p, name) {
			assert.Equal(t, want, p.Value, name)
		}
	}
	assert.Equal(t, "-//sysmaint//maintenance windows//EN", cal.Props.Get(ical.PropProductID).Value)

	want := map[string]event{}
	for _, ev := range []event{
		eventOf(recent, "CONFIRMED", ""),
		eventOf(cancelled, "CANCELLED", ""),
		eventOf(paused, "CANCELLED", ""),
		eventOf(texts, "CONFIRMED", "Line one\nLine two\nLine three  – ünïcödé "+strings.Repeat("long ", 40)+"\n\nAdmins only"),
		eventOf(revised, "CONFIRMED", ""),
		eventOf(stopsNow, "CONFIRMED", ""),
	} {
		want[ev.uid] = ev
	}
	assert.Equal(t, want, events)
	assert.NotContains(t, events, eventOf(old, "", "").uid, "out of the history")
	assert.NotContains(t, events, eventOf(oldCancelled, "", "").uid, "cancelled too long ago")
	assert.Equal(t, 2, events[eventOf(revised, "", "").uid].sequence, "SEQUENCE counts the changes")
	ev := events[eventOf(texts, "", "").uid]
	assert.Equal(t, `DB upgrade; phase 1, "core" \ more`, ev.summary)
	assert.Equal(t, at(time.Hour), ev.start, "DTSTART rounded down")
	assert.Equal(t, at(2*time.Hour+time.Second), ev.end, "DTEND rounded up")
}

func TestCalendar_Conditional(t *testing.T) {
	s := &failingStore{WindowStore: memstore.NewWindowStore()}
	e := newEnv(t, withStore(s))
	builds := func() int64 { return httpapi.FeedBuilds(e.handler) }
	e.clock.Set(at(-10 * day))
	w := e.add(maintenance.Window{Start: at(-9 * day), Stop: at(-8 * day), Comment: "stopped 8 days ago"})
	e.clock.Set(t0)
	e.add(maintenance.Window{Start: at(day), Stop: at(day + time.Hour), Comment: "tomorrow"})

	r := e.do(req{method: "GET", path: "/calendar.ics"})
	require.Equal(t, http.StatusOK, r.status)
	tag, lastMod := r.header.Get("ETag"), r.header.Get("Last-Modified")
	require.NotEmpty(t, tag)
	assert.Equal(t, t0.Format(http.TimeFormat), lastMod)
	assert.Equal(t, int64(1), builds())
	_, events := parseFeed(t, r.body)
	assert.Len(t, events, 2)

	e.clock.Add(time.Hour)
	for _, h := range []map[string]string{
		{"If-None-Match": tag},
		{"If-None-Match": `"other", W/` + tag},
		{"If-None-Match": "*"},
		{"If-Modified-Since": lastMod},
		{"If-Modified-Since": t0.Add(time.Minute).Format(http.TimeFormat)},
	} {
		r = e.do(req{method: "GET", path: "/calendar.ics", header: h})
		assert.Equal(t, http.StatusNotModified, r.status, "%v", h)
		assert.Equal(t, tag, r.header.Get("ETag"))
		assert.Equal(t, lastMod, r.header.Get("Last-Modified"))
		assert.Empty(t, r.body)
	}
	for _, h := range []map[string]string{
		{"If-None-Match": `"other"`},
		{"If-None-Match": `"other"`, "If-Modified-Since": lastMod}, // If-None-Match wins
		{"If-Modified-Since": t0.Add(-time.Second).Format(http.TimeFormat)},
		{"If-Modified-Since": "yesterday"},
	} {
		r = e.do(req{method: "GET", path: "/calendar.ics", header: h})
		assert.Equal(t, http.StatusOK, r.status, "%v", h)
		assert.Equal(t, tag, r.header.Get("ETag"))
	}
	assert.Equal(t, int64(1), builds(), "no request built the feed again: it did not change")

	s.fail.Store(true)
	r = e.do(req{method: "GET", path: "/calendar.ics", header: map[string]string{"If-None-Match": tag}})
	assert.Equal(t, http.StatusNotModified, r.status, "a kept feed needs no store")
	s.fail.Store(false)

	e.m.SetLead(time.Hour) // the schedule is replaced; the feed's content is not
	r = e.do(req{method: "GET", path: "/calendar.ics", header: map[string]string{"If-None-Match": tag}})
	assert.Equal(t, http.StatusNotModified, r.status)
	assert.Equal(t, int64(2), builds(), "built again after the schedule changed")
	assert.Equal(t, lastMod, r.header.Get("Last-Modified"), "the same content keeps its Last-Modified")

	e.clock.Add(time.Hour)
	moved, err := e.m.Get(context.Background(), 2)
	require.NoError(t, err)
	moved.Stop = moved.Stop.Add(time.Hour)
	_, err = e.m.Update(context.Background(), moved, "admin")
	require.NoError(t, err)
	r = e.do(req{method: "GET", path: "/calendar.ics", header: map[string]string{"If-None-Match": tag}})
	require.Equal(t, http.StatusOK, r.status)
	assert.NotEqual(t, tag, r.header.Get("ETag"))
	assert.Equal(t, e.clock.Now().Format(http.TimeFormat), r.header.Get("Last-Modified"))
	assert.Equal(t, int64(3), builds())
	tag = r.header.Get("ETag")

	e.clock.Set(w.Stop.Add(httpapi.DefaultFeedHistory - time.Millisecond))
	r = e.do(req{method: "GET", path: "/calendar.ics", header: map[string]string{"If-None-Match": tag}})
	assert.Equal(t, http.StatusNotModified, r.status)
	assert.Equal(t, int64(3), builds())
	e.clock.Add(time.Millisecond)
	r = e.do(req{method: "GET", path: "/calendar.ics", header: map[string]string{"If-None-Match": tag}})
	require.Equal(t, http.StatusOK, r.status, "the old window left the history: the feed changed with time alone")
	assert.Equal(t, int64(4), builds())
	_, events = parseFeed(t, r.body)
	assert.Len(t, events, 1)

	s.fail.Store(true)
	e.m.SetLead(2 * time.Hour)
	r = e.do(req{method: "GET", path: "/calendar.ics"})
	assert.Equal(t, http.StatusServiceUnavailable, r.status, "a stale feed is not served as current when the store fails")
	s.fail.Store(false)
	r = e.do(req{method: "GET", path: "/calendar.ics"})
	assert.Equal(t, http.StatusOK, r.status, "and it heals with the store")
}
