package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/maintenance"
)

// berlin is Europe/Berlin, where the recurring windows of the tests run.
var berlin = func() *time.Location {
	loc, ok := maintenance.LoadZone("Europe/Berlin")
	if !ok {
		panic("no Europe/Berlin in the zone database")
	}
	return loc
}()

// weekly is "every Sunday 02:00-04:00 Berlin time" from 2026-11-29 on, as
// a request body; extra members are added before the closing brace.
func weekly(extra string) string {
	return `{"start":"2026-11-29T02:00:00+01:00","stop":"2026-11-29T04:00:00+01:00","comment":"patching",` +
		`"recurrence":{"rule":"freq=weekly;byday=SU","zone":"Europe/Berlin"}` + extra + `}`
}

func TestWindows_Recurrence(t *testing.T) {
	e := newEnv(t)
	sunday := func(d, h int) time.Time { return time.Date(2026, 11, 29+d, h, 0, 0, 0, berlin).UTC() }

	r := e.do(req{method: "POST", path: "/windows", body: weekly("")})
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	assert.Contains(t, string(r.body), `"recurrence":{"rule":"FREQ=WEEKLY;BYDAY=SU","zone":"Europe/Berlin","exceptions":[]}`,
		"the rule in its canonical form, no exceptions as an empty list")
	var created httpapi.Window
	r.decode(t, &created)
	require.NotNil(t, created.Recurrence)
	assert.Equal(t, httpapi.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=SU", Zone: "Europe/Berlin", Exceptions: []time.Time{}}, *created.Recurrence)
	stored, err := e.m.Get(t.Context(), created.ID)
	require.NoError(t, err)
	assert.Equal(t, maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=SU", Zone: "Europe/Berlin"}, stored.Recurrence)
	assert.Equal(t, sunday(0, 2), stored.Start)

	got, err := e.client.Get(t.Context(), created.ID)
	require.NoError(t, err)
	assert.Equal(t, created, got, "read as created")
	path := "/windows/" + itoa(created.ID)

	// Replace, keeping the rule: Input carries it.
	in := got.Input()
	in.Comment = "patching, v2"
	got, err = e.client.Update(t.Context(), created.ID, got.Version, in)
	require.NoError(t, err)
	assert.Equal(t, "patching, v2", got.Comment)
	assert.Equal(t, created.Recurrence, got.Recurrence, "the recurrence is kept")
	stored, err = e.m.Get(t.Context(), created.ID)
	require.NoError(t, err)
	assert.Equal(t, "FREQ=WEEKLY;BYDAY=SU", stored.Recurrence.Rule)

	// Replace, changing the rule and skipping an occurrence.
	in = got.Input()
	in.Recurrence.Rule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU;COUNT=10"
	in.Recurrence.Exceptions = []time.Time{sunday(14, 2).In(berlin)}
	got, err = e.client.Update(t.Context(), created.ID, got.Version, in)
	require.NoError(t, err)
	assert.Equal(t, &httpapi.Recurrence{Rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU;COUNT=10", Zone: "Europe/Berlin",
		Exceptions: []time.Time{sunday(14, 2)}}, got.Recurrence)
	stored, err = e.m.Get(t.Context(), created.ID)
	require.NoError(t, err)
	assert.Equal(t, []time.Time{sunday(14, 2)}, stored.Recurrence.Exceptions)
	r = e.do(req{method: "GET", path: path})
	assert.Contains(t, string(r.body), `"exceptions":["2026-12-13T01:00:00Z"]`)

	// The status reports the occurrence at hand, with the rule.
	e.clock.Set(sunday(28, 3))
	var st httpapi.Status
	e.do(req{method: "GET", path: "/status"}).decode(t, &st)
	require.True(t, st.Active)
	require.NotNil(t, st.Window)
	assert.Equal(t, sunday(28, 2), st.Window.Start)
	assert.Equal(t, sunday(28, 4), st.Window.Stop)
	require.NotNil(t, st.Window.Recurrence)
	assert.Equal(t, "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU;COUNT=10", st.Window.Recurrence.Rule)
	assert.Empty(t, st.Window.Recurrence.Exceptions)
	e.clock.Set(t0)

	// A replace without "recurrence", from a client that does not know
	// it, is refused rather than make the window happen once.
	body := `{"start":"2026-11-29T01:00:00Z","stop":"2026-11-29T03:00:00Z","comment":"patching, v3","validity":"valid"}`
	before := e.snapshot()
	for _, ifMatch := range []string{`"v3"`, "*"} {
		r = e.do(req{method: "PUT", path: path, body: body, header: map[string]string{"If-Match": ifMatch}})
		require.Equal(t, http.StatusUnprocessableEntity, r.status, "%s", r.body)
		p := r.problem(t)
		require.Len(t, p.Errors, 1)
		assert.Equal(t, "recurrence", p.Errors[0].Field)
		assert.Contains(t, p.Errors[0].Reason, "null")
		assert.Equal(t, before, e.snapshot(), "nothing is written")
	}
	r = e.do(req{method: "PUT", path: path, body: body, header: map[string]string{"If-Match": `"v1"`}})
	assert.Equal(t, http.StatusPreconditionFailed, r.status, "a stale If-Match is answered first")

	// null makes it happen once.
	r = e.do(req{method: "PUT", path: path, body: strings.TrimSuffix(body, "}") + `,"recurrence":null}`, header: map[string]string{"If-Match": `"v3"`}})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Contains(t, string(r.body), `"recurrence":null`)
	stored, err = e.m.Get(t.Context(), created.ID)
	require.NoError(t, err)
	assert.True(t, stored.Recurrence.IsZero())
	assert.Equal(t, "patching, v3", stored.Comment)

	// A window that happens once may be replaced without the member, as
	// before recurrences existed; and made recurring again.
	r = e.do(req{method: "PUT", path: path, body: body, header: map[string]string{"If-Match": `"v4"`}})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	r = e.do(req{method: "PUT", path: path, body: strings.TrimSuffix(body, "}") + `,"recurrence":{"rule":"FREQ=WEEKLY","zone":"Europe/Berlin","exceptions":[]}}`,
		header: map[string]string{"If-Match": `"v5"`}})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	stored, err = e.m.Get(t.Context(), created.ID)
	require.NoError(t, err)
	assert.Equal(t, "FREQ=WEEKLY", stored.Recurrence.Rule, "a weekly rule takes its day from the start")

	// The Go client sends a nil Recurrence as null: explicit.
	got, err = e.client.Get(t.Context(), created.ID)
	require.NoError(t, err)
	in = got.Input()
	in.Recurrence = nil
	assert.Contains(t, mustJSON(t, in), `"recurrence":null`)
	got, err = e.client.Update(t.Context(), created.ID, got.Version, in)
	require.NoError(t, err)
	assert.Nil(t, got.Recurrence)
}

func TestWindows_RecurrenceRefused(t *testing.T) {
	const when = `"start":"2026-11-29T01:00:00Z","stop":"2026-11-29T03:00:00Z","comment":"c"`
	tests := []struct {
		name   string
		body   string
		status int
		fields []string
		reason string // in the first field's reason
	}{
		{"an empty recurrence", `{` + when + `,"recurrence":{}}`, 422, []string{"recurrence.rule", "recurrence.zone"}, "required"},
		{"no zone", `{` + when + `,"recurrence":{"rule":"FREQ=WEEKLY"}}`, 422, []string{"recurrence.zone"}, "IANA"},
		{"no rule", `{` + when + `,"recurrence":{"zone":"Europe/Berlin","exceptions":["2026-12-06T01:00:00Z"]}}`, 422, []string{"recurrence.rule"}, "RRULE"},
		{"an hourly rule", `{` + when + `,"recurrence":{"rule":"FREQ=HOURLY","zone":"Europe/Berlin"}}`, 422, []string{"recurrence.rule"}, "more often than daily"},
		{"COUNT and UNTIL", `{` + when + `,"recurrence":{"rule":"FREQ=DAILY;COUNT=2;UNTIL=20270101T000000Z","zone":"Europe/Berlin"}}`, 422, []string{"recurrence.rule"}, "exclude each other"},
		{"a rule too long", `{` + when + `,"recurrence":{"rule":"FREQ=DAILY` + strings.Repeat(";INTERVAL=1", 50) + `","zone":"UTC"}}`, 422, []string{"recurrence.rule"}, "500"},
		{"an unknown zone", `{` + when + `,"recurrence":{"rule":"FREQ=WEEKLY","zone":"Mars/Olympus_Mons"}}`, 422, []string{"recurrence.zone"}, "IANA"},
		{"Local as zone", `{` + when + `,"recurrence":{"rule":"FREQ=WEEKLY","zone":"Local"}}`, 422, []string{"recurrence.zone"}, "IANA"},
		{"a start the rule does not select", `{` + when + `,"recurrence":{"rule":"FREQ=WEEKLY;BYDAY=MO","zone":"Europe/Berlin"}}`, 422, []string{"start"}, "occurrence"},
		{"an exception that is no instant", `{` + when + `,"recurrence":{"rule":"FREQ=WEEKLY","zone":"Europe/Berlin","exceptions":["2026-12-06T01:00:00Z","next week"]}}`, 422, []string{"recurrence.exceptions[1]"}, "RFC 3339"},
		{"an exception that is no occurrence", `{` + when + `,"recurrence":{"rule":"FREQ=WEEKLY","zone":"Europe/Berlin","exceptions":["2026-12-07T01:00:00Z"]}}`, 422, []string{"recurrence.exceptions"}, "occurrence"},
		{"too many exceptions", `{` + when + `,"recurrence":{"rule":"FREQ=DAILY","zone":"UTC","exceptions":[` + strings.Repeat(`"2026-12-06T01:00:00Z",`, maintenance.MaxExceptions) + `"2026-12-07T01:00:00Z"]}}`, 422, []string{"recurrence.exceptions"}, "1000"},
		{"a rule with no occurrence", `{` + when + `,"recurrence":{"rule":"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30","zone":"UTC"}}`, 422, []string{"recurrence.rule"}, "no occurrence"},
		{"a recurrence that is a string", `{` + when + `,"recurrence":"weekly"}`, 400, []string{"recurrence"}, "object"},
		{"a recurrence that is an array", `{` + when + `,"recurrence":[]}`, 400, []string{"recurrence"}, "object"},
		{"mistyped members", `{` + when + `,"recurrence":{"rule":1,"zone":null,"exceptions":"2026-12-06T01:00:00Z"}}`, 400, []string{"recurrence.rule", "recurrence.zone", "recurrence.exceptions"}, "string"},
		{"an exception that is a number", `{` + when + `,"recurrence":{"rule":"FREQ=DAILY","zone":"UTC","exceptions":[1]}}`, 400, []string{"recurrence.exceptions"}, "array of strings"},
		{"an unknown member", `{` + when + `,"recurrence":{"rule":"FREQ=DAILY","zone":"UTC","count":3}}`, 400, []string{"recurrence.count"}, "known"},
		{"a repeated member", `{` + when + `,"recurrence":{"rule":"FREQ=DAILY","zone":"UTC","zone":"UTC"}}`, 400, []string{"recurrence.zone"}, "more than once"},
	}
	e := newEnv(t)
	before := e.snapshot()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(req{method: "POST", path: "/windows", body: tt.body})
			require.Equal(t, tt.status, r.status, "%s", r.body)
			p := r.problem(t)
			assert.Equal(t, tt.fields, r.fields(t))
			require.NotEmpty(t, p.Errors)
			assert.Contains(t, p.Errors[0].Reason, tt.reason)
			assert.Equal(t, before, e.snapshot(), "nothing is written")
		})
	}
}

// TestWindow_RecurrenceJSON reads back what the wire types write.
func TestWindow_RecurrenceJSON(t *testing.T) {
	w := maintenance.Window{ID: 3, Start: at(time.Hour), Stop: at(2 * time.Hour), Comment: "c", Validity: maintenance.Valid, Version: 2,
		Recurrence: maintenance.Recurrence{Rule: "FREQ=DAILY", Zone: "UTC", Exceptions: []time.Time{at(49 * time.Hour)}}}
	wire := httpapi.NewWindow(w, t0)
	b, err := json.Marshal(wire)
	require.NoError(t, err)
	var back httpapi.Window
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, wire, back)
	wire.Recurrence.Exceptions[0] = at(0)
	assert.Equal(t, at(49*time.Hour), w.Recurrence.Exceptions[0], "the wire window shares no memory with the domain's")
	in := back.Input()
	in.Recurrence.Exceptions[0] = at(0)
	assert.Equal(t, at(49*time.Hour), back.Recurrence.Exceptions[0], "nor does Input with the window")

	assert.Error(t, json.Unmarshal([]byte(`{"recurrence":{"rule":"FREQ=DAILY","zone":"UTC","exceptions":["soon"]}}`), &back))
	require.NoError(t, json.Unmarshal([]byte(`{"recurrence":null}`), &back))
	assert.Nil(t, back.Recurrence)
}

func TestWindows_SkipOccurrence(t *testing.T) {
	e := newEnv(t)
	r := e.do(req{method: "POST", path: "/windows", body: weekly("")})
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	var w httpapi.Window
	r.decode(t, &w)
	second := time.Date(2026, 12, 6, 2, 0, 0, 0, berlin)
	require.True(t, e.m.StatusAt(second.Add(time.Hour)).Active())

	got, err := e.client.SkipOccurrence(t.Context(), w.ID, second, w.Version)
	require.NoError(t, err)
	assert.Equal(t, []time.Time{second.UTC()}, got.Recurrence.Exceptions)
	assert.Equal(t, w.Version+1, got.Version)
	assert.False(t, e.m.StatusAt(second.Add(time.Hour)).Active(), "skipped: no maintenance then")

	again, err := e.client.SkipOccurrence(t.Context(), w.ID, second, 0)
	require.NoError(t, err, "skipping it again, without If-Match")
	assert.Equal(t, got, again, "changes nothing")

	path := "/windows/" + itoa(w.ID) + "/skip"
	before := e.snapshot()
	for _, tt := range []struct {
		name   string
		req    req
		status int
		field  string
	}{
		{"not an occurrence", req{method: "POST", path: path, body: `{"occurrence":"2026-12-07T01:00:00Z"}`}, 422, "occurrence"},
		{"no occurrence", req{method: "POST", path: path, body: `{}`}, 422, "occurrence"},
		{"not an instant", req{method: "POST", path: path, body: `{"occurrence":"next Sunday"}`}, 422, "occurrence"},
		{"a stale If-Match", req{method: "POST", path: path, body: `{"occurrence":"2026-12-13T01:00:00Z"}`, header: map[string]string{"If-Match": `"v1"`}}, 412, ""},
		{"no body", req{method: "POST", path: path}, 400, ""},
		{"an unknown window", req{method: "POST", path: "/windows/99/skip", body: `{"occurrence":"2026-12-13T01:00:00Z"}`}, 404, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.req)
			require.Equal(t, tt.status, r.status, "%s", r.body)
			if tt.field != "" {
				assert.Equal(t, []string{tt.field}, r.fields(t))
			}
			assert.Equal(t, before, e.snapshot(), "nothing is written")
		})
	}

	once := e.add(maintenance.Window{Start: at(time.Hour), Stop: at(2 * time.Hour)})
	_, err = e.client.SkipOccurrence(t.Context(), once.ID, once.Start, 0)
	var p *httpapi.Problem
	require.ErrorAs(t, err, &p)
	assert.Equal(t, http.StatusConflict, p.Status, "a window that does not repeat has nothing to skip")
	assert.Contains(t, p.Detail, "does not repeat")
}

// TestActions_EndAndExtendAnOccurrence ends and extends a recurring window
// in its second occurrence: the answer is the series, which goes on, and
// the occurrence is a window of its own.
func TestActions_EndAndExtendAnOccurrence(t *testing.T) {
	e := newEnv(t)
	r := e.do(req{method: "POST", path: "/windows", body: weekly("")})
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	var w httpapi.Window
	r.decode(t, &w)
	path := "/windows/" + itoa(w.ID)

	e.clock.Set(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)) // between the first and the second
	r = e.do(req{method: "POST", path: path + "/end"})
	require.Equal(t, http.StatusConflict, r.status, "%s", r.body)
	assert.Contains(t, r.problem(t).Detail, "no occurrence in progress (the next starts at 2026-12-06T01:00:00Z)")

	second := time.Date(2026, 12, 6, 2, 0, 0, 0, berlin)
	e.clock.Set(second.Add(30 * time.Minute))
	r = e.do(req{method: "POST", path: path + "/extend", body: `{"by_seconds":1800}`})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	var series httpapi.Window
	r.decode(t, &series)
	assert.Equal(t, w.Start, series.Start, "the series keeps its first occurrence")
	assert.Equal(t, w.Stop, series.Stop)
	assert.Equal(t, "planned", series.State, "the occurrence in progress is a window of its own now")
	assert.Equal(t, []time.Time{second.UTC()}, series.Recurrence.Exceptions)
	st := e.m.Status()
	require.True(t, st.Active())
	assert.Equal(t, second.Add(2*time.Hour+30*time.Minute).UTC(), st.End(), "the occurrence lasts half an hour longer")

	r = e.do(req{method: "POST", path: "/up"})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.False(t, e.m.Status().Active(), "up ends the moved occurrence")
	assert.True(t, e.m.StatusAt(second.Add(week+time.Hour)).Active(), "and the series goes on")
}

const week = 7 * 24 * time.Hour

func TestWindows_MoveOccurrence(t *testing.T) {
	e := newEnv(t)
	r := e.do(req{method: "POST", path: "/windows", body: weekly(`,"notify_message":"Patching"`)})
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	var w httpapi.Window
	r.decode(t, &w)
	second := time.Date(2026, 12, 6, 2, 0, 0, 0, berlin)
	saturday := time.Date(2026, 12, 5, 22, 0, 0, 0, berlin)

	moved, err := e.client.MoveOccurrence(t.Context(), w.ID, httpapi.MoveInput{Occurrence: second, Start: saturday, Stop: saturday.Add(time.Hour)}, w.Version)
	require.NoError(t, err)
	assert.NotEqual(t, w.ID, moved.ID, "a window of its own")
	assert.Equal(t, saturday.UTC(), moved.Start)
	assert.Equal(t, saturday.Add(time.Hour).UTC(), moved.Stop)
	assert.Equal(t, "Patching", moved.NotifyMessage, "with the series' texts")
	assert.Nil(t, moved.Recurrence)
	series, err := e.m.Get(t.Context(), w.ID)
	require.NoError(t, err)
	assert.Equal(t, []time.Time{second.UTC()}, series.Recurrence.Exceptions)
	assert.True(t, e.m.StatusAt(saturday.Add(30*time.Minute)).Active(), "the moved one happens then")
	assert.False(t, e.m.StatusAt(second.Add(time.Hour)).Active(), "and not at its old time")

	r = e.do(req{method: "POST", path: "/windows/" + itoa(w.ID) + "/move", body: `{"occurrence":"2026-12-13T01:00:00Z","start":"2026-12-13T05:00:00Z","stop":"2026-12-13T06:00:00Z"}`})
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	assert.Regexp(t, `/windows/\d+$`, r.header.Get("Location"))

	path := "/windows/" + itoa(w.ID) + "/move"
	before := e.snapshot()
	for _, tt := range []struct {
		name   string
		body   string
		status int
		fields []string
	}{
		{"skipped already", `{"occurrence":"2026-12-06T01:00:00Z","start":"2026-12-06T05:00:00Z","stop":"2026-12-06T06:00:00Z"}`, 422, []string{"occurrence"}},
		{"not an occurrence", `{"occurrence":"2026-12-07T01:00:00Z","start":"2026-12-07T05:00:00Z","stop":"2026-12-07T06:00:00Z"}`, 422, []string{"occurrence"}},
		{"stop before start", `{"occurrence":"2026-12-20T01:00:00Z","start":"2026-12-20T05:00:00Z","stop":"2026-12-20T04:00:00Z"}`, 422, []string{"start"}},
		{"nothing given", `{}`, 422, []string{"occurrence", "start", "stop"}},
		{"not instants", `{"occurrence":"soon","start":"2026-12-20T05:00:00Z","stop":"later"}`, 422, []string{"occurrence", "stop"}},
		{"an unknown member", `{"occurrence":"2026-12-20T01:00:00Z","start":"2026-12-20T05:00:00Z","stop":"2026-12-20T06:00:00Z","x":1}`, 400, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(req{method: "POST", path: path, body: tt.body})
			require.Equal(t, tt.status, r.status, "%s", r.body)
			if tt.fields != nil {
				assert.Equal(t, tt.fields, r.fields(t))
			}
			assert.Equal(t, before, e.snapshot(), "nothing is written")
		})
	}
}
