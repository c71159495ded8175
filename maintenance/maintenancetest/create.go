package maintenancetest

import (
	"fmt"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// Create: new IDs, Version 1, every field kept as given, in UTC at
// millisecond precision, without validation.

func testCreateAssignsIDs(t *testing.T, s maintenance.Store) {
	var prev int64
	for i := range 5 {
		got := mustCreate(t, s, fixture(fmt.Sprintf("window %d", i), at(i), maintenance.Valid))
		assert.NotZero(t, got.ID, "ID of window %d", i)
		assert.Equal(t, int64(1), got.Version, "Version of window %d", i)
		if i > 0 {
			assert.Greater(t, got.ID, prev, "ID of window %d is not above the previous one", i)
		}
		prev = got.ID
	}
}

func testCreateIgnoresIDAndVersion(t *testing.T, s maintenance.Store) {
	a := mustCreate(t, s, fixture("first", at(1), maintenance.Valid))

	w := fixture("second", at(2), maintenance.Valid)
	w.ID, w.Version = a.ID, 7 // the ID of a window that exists
	b := mustCreate(t, s, w)
	assert.NotEqual(t, a.ID, b.ID, "Create reused the ID passed in")
	assert.Equal(t, int64(1), b.Version, "Create kept the Version passed in")
	assertStored(t, s, a) // not overwritten
	assertStored(t, s, b)

	w = fixture("third", at(3), maintenance.Valid)
	w.ID, w.Version = -5, -1
	c := mustCreate(t, s, w)
	assert.NotEqual(t, int64(-5), c.ID)
	assert.Equal(t, int64(1), c.Version)
	assert.Len(t, mustList(t, s), 3)
}

func testCreateNeverReusesIDs(t *testing.T, s maintenance.Store) {
	a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	b := mustCreate(t, s, fixture("b", at(2), maintenance.Valid))
	c := mustCreate(t, s, fixture("c", at(3), maintenance.Valid))
	// Delete the highest IDs: a store that hands out max(ID)+1 would reuse them.
	require.NoError(t, s.Delete(t.Context(), c.ID))
	require.NoError(t, s.Delete(t.Context(), b.ID))
	d := mustCreate(t, s, fixture("d", at(4), maintenance.Valid))
	assert.NotContains(t, []int64{a.ID, b.ID, c.ID}, d.ID, "ID reused after delete")
	assert.Greater(t, d.ID, c.ID, "new ID is not above every ID handed out before")

	// Even when the store was emptied.
	require.NoError(t, s.Delete(t.Context(), a.ID))
	require.NoError(t, s.Delete(t.Context(), d.ID))
	e := mustCreate(t, s, fixture("e", at(5), maintenance.Valid))
	assert.Greater(t, e.ID, d.ID, "ID reused after the store was emptied")
}

func testCreateReturnsStored(t *testing.T, s maintenance.Store) {
	w := fixture("returned", at(1), maintenance.Valid)
	got := mustCreate(t, s, w)
	assertWindow(t, stored(w, got.ID), got, "Create")
	assertStored(t, s, got)
}

func testRoundTripEveryField(t *testing.T, s maintenance.Store) {
	for i, v := range maintenance.Validities {
		w := maintenance.Window{
			Start:            at(10 + i).Add(15*time.Minute + 250*time.Millisecond),
			Stop:             at(13 + i).Add(999 * time.Millisecond),
			Comment:          fmt.Sprintf("Kernel update %d", i),
			LoginMessage:     "Only admins may log in until noon.",
			ShowLoginMessage: i%2 == 0,
			NotifyMessage:    "The system is being updated.",
			Validity:         v,
			Lead:             time.Duration(i+1) * 90 * time.Minute,
			CreatedAt:        day.Add(-72*time.Hour + 1*time.Millisecond),
			CreatedBy:        "root@example.com",
			ChangedAt:        day.Add(-1*time.Hour + 2*time.Millisecond),
			ChangedBy:        "ops@example.com",
		}
		got := mustCreate(t, s, w)
		assertWindow(t, stored(w, got.ID), got, "Create "+v.String())
		assertStored(t, s, stored(w, got.ID))
	}
	list := mustList(t, s)
	require.Len(t, list, 3)
	for _, w := range list {
		assertWindow(t, mustGet(t, s, w.ID), w, fmt.Sprintf("List item %d", w.ID))
	}
}

func testRoundTripShowLoginMessage(t *testing.T, s maintenance.Store) {
	for _, show := range []bool{true, false} {
		w := fixture(fmt.Sprintf("show=%v", show), at(1), maintenance.Valid)
		w.ShowLoginMessage = show
		got := mustCreate(t, s, w)
		assert.Equal(t, show, got.ShowLoginMessage, "Create")
		assert.Equal(t, show, mustGet(t, s, got.ID).ShowLoginMessage, "Get")

		got.ShowLoginMessage = !show
		up := mustUpdate(t, s, got)
		assert.Equal(t, !show, up.ShowLoginMessage, "Update")
		assert.Equal(t, !show, mustGet(t, s, got.ID).ShowLoginMessage, "Get after Update")
	}
}

func testRoundTripUnicode(t *testing.T, s maintenance.Store) {
	w := fixture("unused", at(1), maintenance.Valid)
	w.Comment = runes("Wartung für Ümläute ✓ 🛠️ 日本語のテキスト ", maintenance.MaxTextLen)
	w.LoginMessage = runes("Вход только для администраторов 🔒 ", maintenance.MaxTextLen)
	w.NotifyMessage = runes("صيانة مجدولة 🚧 ", maintenance.MaxTextLen)
	w.CreatedBy = "jürgen 🧑‍💻"
	w.ChangedBy = "José"
	for _, txt := range []string{w.Comment, w.LoginMessage, w.NotifyMessage} {
		require.Equal(t, maintenance.MaxTextLen, utf8.RuneCountInString(txt))
		require.Greater(t, len(txt), maintenance.MaxTextLen, "fixture should need more bytes than runes")
	}
	got := mustCreate(t, s, w)
	assertWindow(t, stored(w, got.ID), got, "Create")
	assertStored(t, s, stored(w, got.ID))

	e := fixture("empty messages", at(2), maintenance.Valid)
	e.LoginMessage, e.NotifyMessage, e.CreatedBy, e.ChangedBy = "", "", "", ""
	got = mustCreate(t, s, e)
	assertStored(t, s, stored(e, got.ID))
}

func testCreateNormalizesInstants(t *testing.T, s maintenance.Store) {
	cet := time.FixedZone("CET", 60*60)
	w := fixture("zoned", at(0), maintenance.Valid)
	w.Start = time.Date(2026, time.November, 24, 11, 0, 0, 123_456_789, cet)
	w.Stop = time.Date(2026, time.November, 24, 13, 30, 0, 999_999_999, cet)
	w.CreatedAt = time.Date(2026, time.November, 20, 9, 15, 1, 1_000_001, cet)
	w.ChangedAt = time.Date(2026, time.November, 21, 9, 15, 2, 999_999, cet)

	want := stored(w, 0)
	want.Start = time.Date(2026, time.November, 24, 10, 0, 0, 123_000_000, time.UTC)
	want.Stop = time.Date(2026, time.November, 24, 12, 30, 0, 999_000_000, time.UTC)
	want.CreatedAt = time.Date(2026, time.November, 20, 8, 15, 1, 1_000_000, time.UTC)
	want.ChangedAt = time.Date(2026, time.November, 21, 8, 15, 2, 0, time.UTC)

	got := mustCreate(t, s, w)
	want.ID = got.ID
	assertWindow(t, want, got, "Create")
	assertStored(t, s, want)
	list := mustList(t, s)
	require.Len(t, list, 1)
	assertWindow(t, want, list[0], "List")
}

func testCreateZeroInstants(t *testing.T, s maintenance.Store) {
	w := fixture("no instants", time.Time{}, maintenance.Invalid)
	w.Stop, w.CreatedAt, w.ChangedAt = time.Time{}, time.Time{}, time.Time{}
	got := mustCreate(t, s, w)
	for name, tm := range map[string]time.Time{
		"Start": got.Start, "Stop": got.Stop, "CreatedAt": got.CreatedAt, "ChangedAt": got.ChangedAt,
	} {
		assert.True(t, tm.IsZero(), "Create: %s is %s, want the zero time", name, tm)
	}
	assertStored(t, s, stored(w, got.ID))
}

func testCreateDoesNotValidate(t *testing.T, s maintenance.Store) {
	w := fixture("   ", at(5), maintenance.Valid) // blank comment
	w.Stop = at(4)                                // stop before start
	require.Error(t, w.Validate(), "fixture should be invalid")
	got := mustCreate(t, s, w)
	assertStored(t, s, stored(w, got.ID))
}

func testRoundTripValidRangeEnds(t *testing.T, s maintenance.Store) {
	// The first and the last instant Validate accepts, at the precision a
	// store keeps: a store keeps every valid window exactly.
	w := fixture("the ends of the valid range", at(0), maintenance.Valid)
	w.Start = maintenance.MinTime.Add(time.Millisecond)
	w.Stop = maintenance.MaxTime.Truncate(time.Millisecond)
	w.Lead = maintenance.MaxLead
	require.NoError(t, w.Validate(), "fixture should be valid")
	got := mustCreate(t, s, w)
	assertWindow(t, stored(w, got.ID), got, "Create")
	assertStored(t, s, stored(w, got.ID))
	assertWindow(t, stored(w, got.ID), mustList(t, s, maintenance.Valid)[0], "List")
}
