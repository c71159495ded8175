package maintenancetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// Recurrence: a store keeps a window's rule, zone and exceptions exactly,
// normalized; it does not keep Occurrence.

// recurring returns fixture(comment, start, v) repeating every Sunday in
// Berlin, with two exceptions. The rule is in canonical form and the
// exceptions normalized: the store gives back exactly these.
func recurring(comment string, start time.Time, v maintenance.Validity) maintenance.Window {
	w := fixture(comment, start, v)
	w.Recurrence = maintenance.Recurrence{
		Rule: "FREQ=WEEKLY;BYDAY=SU",
		Zone: "Europe/Berlin",
		Exceptions: []time.Time{
			start.Add(7 * 24 * time.Hour),
			start.Add(21*24*time.Hour + 123*time.Millisecond),
		},
	}
	return w
}

func testRecurrenceRoundTrips(t *testing.T, s maintenance.Store) {
	shapes := []maintenance.Recurrence{
		{Rule: "FREQ=WEEKLY;BYDAY=SU", Zone: "Europe/Berlin"},
		{Rule: "FREQ=MONTHLY;BYDAY=1TU;COUNT=12", Zone: "America/New_York",
			Exceptions: []time.Time{at(24 * 35)}},
		{Rule: "FREQ=YEARLY;INTERVAL=2;BYMONTH=3,10;BYMONTHDAY=1,-1;UNTIL=20301231T230000Z", Zone: "Australia/Lord_Howe",
			Exceptions: []time.Time{at(1).Add(time.Millisecond), at(2), at(24 * 400)}},
		{Rule: "not a rule at all", Zone: "Mars/Olympus_Mons"}, // stores do not validate
	}
	for i, r := range shapes {
		w := fixture(fmt.Sprintf("shape %d", i), at(i), maintenance.Valid)
		w.Recurrence = r
		got := mustCreate(t, s, w)
		assertWindow(t, stored(w, got.ID), got, fmt.Sprintf("Create shape %d", i))
		assertStored(t, s, stored(w, got.ID))
	}
	list := mustList(t, s, maintenance.Valid)
	require.Len(t, list, len(shapes))
	for i, w := range list {
		assertWindow(t, mustGet(t, s, w.ID), w, fmt.Sprintf("List item %d", i))
	}
}

func testRecurrenceUpdate(t *testing.T, s maintenance.Store) {
	a := mustCreate(t, s, fixture("once, then weekly, then once again", at(1), maintenance.Valid))
	assert.True(t, a.Recurrence.IsZero(), "a one-off window comes back without a recurrence")
	assert.Nil(t, a.Recurrence.Exceptions)

	u := recurring("weekly", at(1), maintenance.Valid)
	u.ID, u.Version = a.ID, a.Version
	want := u
	want.CreatedAt, want.CreatedBy, want.Version = a.CreatedAt, a.CreatedBy, a.Version+1
	got := mustUpdate(t, s, u)
	assertWindow(t, want, got, "Update to recurring")
	assertStored(t, s, want)

	u = got
	u.Recurrence = maintenance.Recurrence{Rule: "FREQ=DAILY;INTERVAL=3", Zone: "Asia/Kathmandu",
		Exceptions: []time.Time{at(72)}}
	want = u
	want.Version++
	got = mustUpdate(t, s, u)
	assertWindow(t, want, got, "Update of the rule, zone and exceptions")
	assertStored(t, s, want)

	u = got
	u.Recurrence = maintenance.Recurrence{}
	want = u
	want.Version++
	got = mustUpdate(t, s, u)
	assertWindow(t, want, got, "Update back to a one-off window")
	assertStored(t, s, want)
	assert.Nil(t, mustGet(t, s, a.ID).Recurrence.Exceptions, "no exceptions is nil")
}

func testRecurrenceNormalizesExceptions(t *testing.T, s maintenance.Store) {
	cet := time.FixedZone("CET", 60*60)
	w := recurring("zoned exceptions", at(0), maintenance.Valid)
	w.Recurrence.Exceptions = []time.Time{
		time.Date(2026, time.December, 8, 1, 0, 0, 999_999_999, cet), // given out of order,
		time.Date(2026, time.December, 1, 1, 0, 0, 123_456_789, cet),
		time.Date(2026, time.December, 1, 0, 0, 0, 123_000_000, time.UTC), // the same instant twice
	}
	want := stored(w, 0)
	want.Recurrence.Exceptions = []time.Time{
		time.Date(2026, time.December, 1, 0, 0, 0, 123_000_000, time.UTC),
		time.Date(2026, time.December, 8, 0, 0, 0, 999_000_000, time.UTC),
	}
	got := mustCreate(t, s, w)
	want.ID = got.ID
	assertWindow(t, want, got, "Create")
	assertStored(t, s, want)

	w.Recurrence.Rule = "rrule:freq=weekly;byday=su;wkst=mo" // a rule that parses is kept in canonical form
	want.Recurrence.Rule = "FREQ=WEEKLY;BYDAY=SU"
	got = mustCreate(t, s, w)
	want.ID = got.ID
	assertWindow(t, want, got, "Create with a rule in another form")
	assertStored(t, s, want)
}

func testRecurrenceMostExceptions(t *testing.T, s maintenance.Store) {
	w := recurring("every exception there may be", at(0), maintenance.Valid)
	w.Recurrence.Rule = "FREQ=DAILY"
	w.Recurrence.Exceptions = make([]time.Time, maintenance.MaxExceptions)
	for i := range w.Recurrence.Exceptions {
		w.Recurrence.Exceptions[i] = at(24 * (i + 1))
	}
	got := mustCreate(t, s, w)
	assertWindow(t, stored(w, got.ID), got, "Create")
	assertStored(t, s, stored(w, got.ID))

	// And at the ends of the valid range.
	w.Recurrence.Exceptions = []time.Time{maintenance.MinTime.Add(time.Millisecond), maintenance.MaxTime.Truncate(time.Millisecond)}
	got = mustCreate(t, s, w)
	assertStored(t, s, stored(w, got.ID))
}

func testRecurrenceOccurrenceNotKept(t *testing.T, s maintenance.Store) {
	w := recurring("an occurrence handed to the store", at(0), maintenance.Valid)
	w.Occurrence = w.Start
	want := stored(w, 0)
	want.Occurrence = time.Time{}
	got := mustCreate(t, s, w)
	want.ID = got.ID
	assertWindow(t, want, got, "Create")
	assertStored(t, s, want)

	w = got
	w.Occurrence = w.Start
	want = w
	want.Occurrence, want.Version = time.Time{}, w.Version+1
	assertWindow(t, want, mustUpdate(t, s, w), "Update")
	assertStored(t, s, want)
}

func testRecurrenceIsolation(t *testing.T, s maintenance.Store) {
	w := recurring("isolated", at(1), maintenance.Valid)
	w.Recurrence.Exceptions = slices.Clone(w.Recurrence.Exceptions)
	got := mustCreate(t, s, w)
	want := stored(recurring("isolated", at(1), maintenance.Valid), got.ID)

	w.Recurrence.Exceptions[0] = at(99) // the caller's slice, after Create
	assertStored(t, s, want)
	got.Recurrence.Exceptions[1] = at(98) // the returned one
	assertStored(t, s, want)
	g := mustGet(t, s, want.ID)
	g.Recurrence.Exceptions[0] = at(97)
	assertStored(t, s, want)
	l := mustList(t, s)
	require.Len(t, l, 1)
	l[0].Recurrence.Exceptions[0] = at(96)
	assertStored(t, s, want)

	u := want
	u.Recurrence.Exceptions = slices.Clone(u.Recurrence.Exceptions)
	up := mustUpdate(t, s, u)
	want.Version = up.Version
	u.Recurrence.Exceptions[0] = at(95)
	up.Recurrence.Exceptions[1] = at(94)
	assertStored(t, s, want)
}
