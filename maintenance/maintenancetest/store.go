package maintenancetest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/sysmaint/sysmaint/maintenance"
)

// RunStoreTests runs the conformance suite for [maintenance.Store] against
// the stores newStore returns: one subtest per sentence of the contract,
// grouped by method, each on a fresh store. newStore is called once per
// subtest with that subtest's t; it must return an empty store and may
// register cleanups on t (to close a database, say). When the store also
// implements [maintenance.ChangeTracker], its contract is checked too;
// otherwise those subtests are skipped.
func RunStoreTests(t *testing.T, newStore func(t *testing.T) maintenance.Store) {
	t.Helper()
	for _, c := range storeCases() {
		c.exec(t, newStore)
	}
}

// tcase is a subtest: a leaf that runs on a fresh store, or a group of
// subtests.
type tcase struct {
	name string
	run  func(t *testing.T, s maintenance.Store)
	sub  []tcase
}

func (c tcase) exec(t *testing.T, newStore func(t *testing.T) maintenance.Store) {
	t.Helper()
	t.Run(c.name, func(t *testing.T) {
		if c.run != nil {
			s := newStore(t)
			require.NotNil(t, s, "newStore returned nil")
			c.run(t, s)
			return
		}
		for _, sub := range c.sub {
			sub.exec(t, newStore)
		}
	})
}

func storeCases() []tcase {
	return []tcase{
		{name: "Create", sub: []tcase{
			{name: "AssignsNewIDsAndVersion1", run: testCreateAssignsIDs},
			{name: "IgnoresIDAndVersionPassedIn", run: testCreateIgnoresIDAndVersion},
			{name: "NeverReusesIDs", run: testCreateNeverReusesIDs},
			{name: "ReturnsStoredWindow", run: testCreateReturnsStored},
			{name: "RoundTripsEveryField", run: testRoundTripEveryField},
			{name: "ShowLoginMessage", run: testRoundTripShowLoginMessage},
			{name: "Unicode250Runes", run: testRoundTripUnicode},
			{name: "InstantsInUTCAtMillisecond", run: testCreateNormalizesInstants},
			{name: "ZeroInstantsStayZero", run: testCreateZeroInstants},
			{name: "DoesNotValidate", run: testCreateDoesNotValidate},
		}},
		{name: "Get", sub: []tcase{
			{name: "UnknownIDIsNotFound", run: testGetNotFound},
		}},
		{name: "Update", sub: []tcase{
			{name: "ReplacesEveryFieldButIDAndCreated", run: testUpdateReplaces},
			{name: "IncrementsVersion", run: testUpdateIncrementsVersion},
			{name: "InstantsInUTCAtMillisecond", run: testUpdateNormalizesInstants},
			{name: "UnknownIDIsNotFound", run: testUpdateNotFound},
			{name: "StaleVersionIsConflict", run: testUpdateConflict},
			{name: "LeavesOtherWindowsAlone", run: testUpdateOthersUntouched},
		}},
		{name: "Delete", sub: []tcase{
			{name: "Removes", run: testDeleteRemoves},
			{name: "TwiceIsNotFound", run: testDeleteTwice},
			{name: "UnknownIDIsNotFound", run: testDeleteNotFound},
		}},
		{name: "List", sub: []tcase{
			{name: "EmptyStoreIsEmptyNotNil", run: testListEmpty},
			{name: "NoMatchIsEmptyNotNil", run: testListNoMatch},
			{name: "AllWhenNoValidityGiven", run: testListAll},
			{name: "ByValidity", run: testListByValidity},
			{name: "SortedByStartThenID", run: testListSorted},
		}},
		{name: "Isolation", sub: []tcase{
			{name: "ChangingThePassedWindow", run: testIsolationPassed},
			{name: "ChangingAReturnedWindow", run: testIsolationReturned},
		}},
		{name: "Context", sub: contextCases()},
		{name: "Concurrency", sub: []tcase{
			{name: "CreatesFromManyGoroutines", run: testConcurrentCreates},
			{name: "UpdatesAtTheSameVersion", run: testConcurrentUpdates},
			{name: "ReadsDuringWrites", run: testConcurrentReadsWrites},
		}},
		{name: "ChangeTracker", sub: []tcase{
			{name: "ChangesAfterCreate", run: testRevisionAfterCreate},
			{name: "ChangesAfterUpdate", run: testRevisionAfterUpdate},
			{name: "ChangesAfterDelete", run: testRevisionAfterDelete},
			{name: "SameAfterReads", run: testRevisionAfterReads},
			{name: "SameAfterFailedWrites", run: testRevisionAfterFailures},
		}},
	}
}

// Fixtures.

// day is the fixed date every fixture lies on.
var day = time.Date(2026, time.November, 24, 0, 0, 0, 0, time.UTC)

// at returns day plus h hours.
func at(h int) time.Time { return day.Add(time.Duration(h) * time.Hour) }

// fixture returns a window with every field set (all instants UTC at
// millisecond precision), starting at start and lasting two hours.
func fixture(comment string, start time.Time, v maintenance.Validity) maintenance.Window {
	return maintenance.Window{
		Start:            start,
		Stop:             start.Add(2 * time.Hour),
		Comment:          comment,
		LoginMessage:     "Login is limited to administrators: " + comment,
		ShowLoginMessage: true,
		NotifyMessage:    "Maintenance in progress: " + comment,
		Validity:         v,
		Lead:             45 * time.Minute,
		CreatedAt:        day.Add(-48*time.Hour + 123*time.Millisecond),
		CreatedBy:        "alice",
		ChangedAt:        day.Add(-24*time.Hour + 456*time.Millisecond),
		ChangedBy:        "bob",
	}
}

// stored returns w as a store should give it back after create: with the
// given ID and Version 1.
func stored(w maintenance.Window, id int64) maintenance.Window {
	w.ID, w.Version = id, 1
	return w
}

// runes returns a string of exactly n characters cycling through s.
func runes(s string, n int) string {
	rs := []rune(s)
	out := make([]rune, n)
	for i := range out {
		out[i] = rs[i%len(rs)]
	}
	return string(out)
}

func mustCreate(t *testing.T, s maintenance.Store, w maintenance.Window) maintenance.Window {
	t.Helper()
	got, err := s.Create(t.Context(), w)
	require.NoError(t, err, "Create")
	return got
}

func mustUpdate(t *testing.T, s maintenance.Store, w maintenance.Window) maintenance.Window {
	t.Helper()
	got, err := s.Update(t.Context(), w)
	require.NoError(t, err, "Update")
	return got
}

func mustList(t *testing.T, s maintenance.Store, v ...maintenance.Validity) []maintenance.Window {
	t.Helper()
	got, err := s.List(t.Context(), v...)
	require.NoError(t, err, "List(%v)", v)
	return got
}

func mustGet(t *testing.T, s maintenance.Store, id int64) maintenance.Window {
	t.Helper()
	got, err := s.Get(t.Context(), id)
	require.NoError(t, err, "Get(%d)", id)
	return got
}

// assertWindow checks got against want field by field: instants with
// time.Time.Equal and in UTC, the other fields with ==.
func assertWindow(t *testing.T, want, got maintenance.Window, what string) bool {
	t.Helper()
	ok := true
	instants := []struct {
		field     string
		want, got time.Time
	}{
		{"Start", want.Start, got.Start},
		{"Stop", want.Stop, got.Stop},
		{"CreatedAt", want.CreatedAt, got.CreatedAt},
		{"ChangedAt", want.ChangedAt, got.ChangedAt},
	}
	for _, in := range instants {
		ok = assert.Truef(t, in.want.Equal(in.got), "%s: %s: want %s, got %s",
			what, in.field, in.want.Format(time.RFC3339Nano), in.got.Format(time.RFC3339Nano)) && ok
		ok = assert.Equalf(t, time.UTC, in.got.Location(), "%s: %s %s is not in UTC",
			what, in.field, in.got.Format(time.RFC3339Nano)) && ok
	}
	want.Start, want.Stop, want.CreatedAt, want.ChangedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	got.Start, got.Stop, got.CreatedAt, got.ChangedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return assert.Equalf(t, want, got, "%s: fields other than the instants", what) && ok
}

// assertStored checks that Get returns want.
func assertStored(t *testing.T, s maintenance.Store, want maintenance.Window) bool {
	t.Helper()
	got, err := s.Get(t.Context(), want.ID)
	if !assert.NoErrorf(t, err, "Get(%d)", want.ID) {
		return false
	}
	return assertWindow(t, want, got, fmt.Sprintf("Get(%d)", want.ID))
}

func ids(ws []maintenance.Window) []int64 {
	out := make([]int64, len(ws))
	for i, w := range ws {
		out[i] = w.ID
	}
	return out
}

func byStartID(a, b maintenance.Window) int {
	if c := a.Start.Compare(b.Start); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// Create.

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

// Get.

func testGetNotFound(t *testing.T, s maintenance.Store) {
	_, err := s.Get(t.Context(), 1)
	assert.ErrorIs(t, err, maintenance.ErrNotFound, "empty store")

	a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	_, err = s.Get(t.Context(), a.ID+1000)
	assert.ErrorIs(t, err, maintenance.ErrNotFound, "unknown ID")
	_, err = s.Get(t.Context(), 0)
	assert.ErrorIs(t, err, maintenance.ErrNotFound, "ID 0")
	_, err = s.Get(t.Context(), -1)
	assert.ErrorIs(t, err, maintenance.ErrNotFound, "ID -1")

	require.NoError(t, s.Delete(t.Context(), a.ID))
	_, err = s.Get(t.Context(), a.ID)
	assert.ErrorIs(t, err, maintenance.ErrNotFound, "deleted ID")
}

// Update.

func testUpdateReplaces(t *testing.T, s maintenance.Store) {
	a := mustCreate(t, s, fixture("before", at(1), maintenance.Valid))

	u := maintenance.Window{
		ID:               a.ID,
		Start:            at(30).Add(7 * time.Millisecond),
		Stop:             at(31).Add(8 * time.Millisecond),
		Comment:          "after",
		LoginMessage:     "",
		ShowLoginMessage: false,
		NotifyMessage:    "changed notice ✓",
		Validity:         maintenance.InvalidTemporarily,
		Lead:             0,
		CreatedAt:        at(100), // must be ignored
		CreatedBy:        "mallory",
		ChangedAt:        at(-1).Add(9 * time.Millisecond),
		ChangedBy:        "carol",
		Version:          a.Version,
	}
	want := u
	want.CreatedAt, want.CreatedBy = a.CreatedAt, a.CreatedBy
	want.Version = a.Version + 1

	got := mustUpdate(t, s, u)
	assertWindow(t, want, got, "Update")
	assertStored(t, s, want)
}

func testUpdateIncrementsVersion(t *testing.T, s maintenance.Store) {
	w := mustCreate(t, s, fixture("versions", at(1), maintenance.Valid))
	for want := int64(2); want <= 4; want++ {
		w.Comment = fmt.Sprintf("version %d", want)
		w = mustUpdate(t, s, w)
		assert.Equal(t, want, w.Version, "Version returned by Update")
		assert.Equal(t, want, mustGet(t, s, w.ID).Version, "Version returned by Get")
	}
}

func testUpdateNormalizesInstants(t *testing.T, s maintenance.Store) {
	w := mustCreate(t, s, fixture("zoned", at(1), maintenance.Valid))
	pst := time.FixedZone("PST", -8*60*60)
	w.Start = time.Date(2026, time.November, 24, 2, 0, 0, 555_555_555, pst)
	w.Stop = time.Date(2026, time.November, 24, 4, 0, 0, 1, pst)
	w.ChangedAt = time.Date(2026, time.November, 23, 16, 0, 0, 42_424_242, pst)

	want := w
	want.Start = time.Date(2026, time.November, 24, 10, 0, 0, 555_000_000, time.UTC)
	want.Stop = time.Date(2026, time.November, 24, 12, 0, 0, 0, time.UTC)
	want.ChangedAt = time.Date(2026, time.November, 24, 0, 0, 0, 42_000_000, time.UTC)
	want.Version++

	got := mustUpdate(t, s, w)
	assertWindow(t, want, got, "Update")
	assertStored(t, s, want)
}

func testUpdateNotFound(t *testing.T, s maintenance.Store) {
	w := fixture("ghost", at(1), maintenance.Valid)
	w.ID, w.Version = 1, 1
	_, err := s.Update(t.Context(), w)
	assert.ErrorIs(t, err, maintenance.ErrNotFound, "empty store")

	a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	w.ID = a.ID + 1000
	_, err = s.Update(t.Context(), w)
	assert.ErrorIs(t, err, maintenance.ErrNotFound, "unknown ID")
	assert.Len(t, mustList(t, s), 1, "Update of an unknown ID created a window")
	assertStored(t, s, a)
}

func testUpdateConflict(t *testing.T, s maintenance.Store) {
	a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	cur := mustUpdate(t, s, a) // now at version 2
	require.Equal(t, int64(2), cur.Version)

	tests := []struct {
		name    string
		version int64
	}{
		{"version read before the last update", a.Version},
		{"version ahead of the stored one", cur.Version + 1},
		{"version zero", 0},
	}
	for _, tt := range tests {
		u := cur
		u.Version = tt.version
		u.Comment = "lost update"
		u.Start = at(50)
		_, err := s.Update(t.Context(), u)
		assert.ErrorIs(t, err, maintenance.ErrConflict, tt.name)
		assert.NotErrorIs(t, err, maintenance.ErrNotFound, tt.name)
		assertStored(t, s, cur)
	}
}

func testUpdateOthersUntouched(t *testing.T, s maintenance.Store) {
	a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	b := mustCreate(t, s, fixture("b", at(1), maintenance.Valid))
	a.Comment, a.Validity = "a changed", maintenance.Invalid
	mustUpdate(t, s, a)
	assertStored(t, s, b)
}

// Delete.

func testDeleteRemoves(t *testing.T, s maintenance.Store) {
	a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	b := mustCreate(t, s, fixture("b", at(2), maintenance.Valid))
	require.NoError(t, s.Delete(t.Context(), a.ID))
	_, err := s.Get(t.Context(), a.ID)
	assert.ErrorIs(t, err, maintenance.ErrNotFound, "Get after Delete")
	assert.Equal(t, []int64{b.ID}, ids(mustList(t, s)), "List after Delete")
	assertStored(t, s, b)
}

func testDeleteTwice(t *testing.T, s maintenance.Store) {
	a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	require.NoError(t, s.Delete(t.Context(), a.ID))
	assert.ErrorIs(t, s.Delete(t.Context(), a.ID), maintenance.ErrNotFound)
}

func testDeleteNotFound(t *testing.T, s maintenance.Store) {
	assert.ErrorIs(t, s.Delete(t.Context(), 1), maintenance.ErrNotFound, "empty store")
	a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	assert.ErrorIs(t, s.Delete(t.Context(), a.ID+1000), maintenance.ErrNotFound, "unknown ID")
	assertStored(t, s, a)
}

// List.

func testListEmpty(t *testing.T, s maintenance.Store) {
	for _, v := range [][]maintenance.Validity{nil, {maintenance.Valid}, slices.Clone(maintenance.Validities)} {
		got := mustList(t, s, v...)
		assert.NotNil(t, got, "List(%v) on an empty store", v)
		assert.Empty(t, got, "List(%v) on an empty store", v)
	}
}

func testListNoMatch(t *testing.T, s maintenance.Store) {
	mustCreate(t, s, fixture("valid", at(1), maintenance.Valid))
	got := mustList(t, s, maintenance.Invalid, maintenance.InvalidTemporarily)
	assert.NotNil(t, got)
	assert.Empty(t, got)

	// Also after the only matching window was deleted.
	b := mustCreate(t, s, fixture("invalid", at(2), maintenance.Invalid))
	require.NoError(t, s.Delete(t.Context(), b.ID))
	got = mustList(t, s, maintenance.Invalid)
	assert.NotNil(t, got)
	assert.Empty(t, got)
}

func testListAll(t *testing.T, s maintenance.Store) {
	var want []maintenance.Window
	for i, v := range []maintenance.Validity{
		maintenance.InvalidTemporarily, maintenance.Valid, maintenance.Invalid, maintenance.Valid,
	} {
		want = append(want, mustCreate(t, s, fixture(fmt.Sprintf("w%d", i), at(i), v)))
	}
	got := mustList(t, s)
	require.Len(t, got, len(want))
	for i := range want {
		assertWindow(t, want[i], got[i], fmt.Sprintf("List()[%d]", i))
	}
}

func testListByValidity(t *testing.T, s maintenance.Store) {
	byV := map[maintenance.Validity][]int64{}
	// Interleave validities and starts so a filter cannot pass by accident.
	for i := range 9 {
		v := maintenance.Validities[i%3]
		w := mustCreate(t, s, fixture(fmt.Sprintf("w%d", i), at(i), v))
		byV[v] = append(byV[v], w.ID)
	}
	tests := []struct {
		name     string
		validity []maintenance.Validity
		want     []int64
	}{
		{"valid", []maintenance.Validity{maintenance.Valid}, byV[maintenance.Valid]},
		{"invalid", []maintenance.Validity{maintenance.Invalid}, byV[maintenance.Invalid]},
		{"invalid-temporarily", []maintenance.Validity{maintenance.InvalidTemporarily}, byV[maintenance.InvalidTemporarily]},
		{"invalid and invalid-temporarily",
			[]maintenance.Validity{maintenance.InvalidTemporarily, maintenance.Invalid},
			sortedIDs(byV[maintenance.Invalid], byV[maintenance.InvalidTemporarily])},
		{"all three", slices.Clone(maintenance.Validities),
			sortedIDs(byV[maintenance.Valid], byV[maintenance.Invalid], byV[maintenance.InvalidTemporarily])},
		{"the same validity twice", []maintenance.Validity{maintenance.Valid, maintenance.Valid}, byV[maintenance.Valid]},
	}
	for _, tt := range tests {
		got := mustList(t, s, tt.validity...)
		assert.Equal(t, tt.want, ids(got), tt.name)
		for _, w := range got {
			assert.Contains(t, tt.validity, w.Validity, tt.name)
		}
	}
}

// sortedIDs merges ID lists of windows created in start order.
func sortedIDs(lists ...[]int64) []int64 {
	var out []int64
	for _, l := range lists {
		out = append(out, l...)
	}
	slices.Sort(out) // fixtures were created in start order, so ID order is start order
	return out
}

func testListSorted(t *testing.T, s maintenance.Store) {
	// Created out of start order; two pairs share a start, and within a
	// pair the later-created window stops first, so sorting by Stop or by
	// insertion order would both give a different answer.
	late1 := mustCreate(t, s, fixture("late 1", at(5), maintenance.Valid))
	early1 := fixture("early 1", at(1), maintenance.Valid)
	early1.Stop = at(9)
	e1 := mustCreate(t, s, early1)
	late2 := fixture("late 2", at(5), maintenance.Valid)
	late2.Stop = at(5).Add(time.Millisecond)
	l2 := mustCreate(t, s, late2)
	early2 := fixture("early 2", at(1), maintenance.Valid)
	early2.Stop = at(2)
	e2 := mustCreate(t, s, early2)
	first := mustCreate(t, s, fixture("first", at(1).Add(-time.Millisecond), maintenance.Invalid))

	want := []int64{first.ID, e1.ID, e2.ID, late1.ID, l2.ID}
	assert.Equal(t, want, ids(mustList(t, s)), "List()")
	assert.Equal(t, want[1:], ids(mustList(t, s, maintenance.Valid)), "List(Valid)")
	assert.True(t, slices.IsSortedFunc(mustList(t, s), byStartID))
}

// Isolation.

func testIsolationPassed(t *testing.T, s maintenance.Store) {
	w := fixture("original", at(1), maintenance.Valid)
	got := mustCreate(t, s, w)
	want := stored(w, got.ID)

	w.Comment, w.Start, w.ShowLoginMessage = "changed by the caller", at(9), false
	assertStored(t, s, want)

	u := want
	want = mustUpdate(t, s, u)
	u.Comment, u.Validity, u.Lead = "changed again by the caller", maintenance.Invalid, time.Hour
	assertStored(t, s, want)
}

func testIsolationReturned(t *testing.T, s maintenance.Store) {
	mess := func(w *maintenance.Window) {
		w.Comment += " (mutated)"
		w.Start = w.Start.Add(time.Hour)
		w.Validity = maintenance.Invalid
		w.Version += 10
	}
	created := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	want := created
	mess(&created)
	assertStored(t, s, want)

	got := mustGet(t, s, want.ID)
	mess(&got)
	assertStored(t, s, want)

	list := mustList(t, s)
	require.Len(t, list, 1)
	mess(&list[0])
	assertStored(t, s, want)
	assertWindow(t, want, mustList(t, s)[0], "List after mutating a listed window")

	want.Comment = "updated"
	want = mustUpdate(t, s, want)
	updated := want
	mess(&updated)
	assertStored(t, s, want)
}

// Context.

func contextCases() []tcase {
	kinds := []struct {
		name string
		ctx  func(t *testing.T) context.Context
		want error
	}{
		{"Canceled", func(t *testing.T) context.Context {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			return ctx
		}, context.Canceled},
		{"DeadlineExceeded", func(t *testing.T) context.Context {
			ctx, cancel := context.WithDeadline(t.Context(), time.Unix(0, 0)) // long past
			t.Cleanup(cancel)
			return ctx
		}, context.DeadlineExceeded},
	}
	ops := []struct {
		name string
		run  func(t *testing.T, s maintenance.Store, ctx context.Context, want error)
	}{
		{"Create", func(t *testing.T, s maintenance.Store, ctx context.Context, want error) {
			_, err := s.Create(ctx, fixture("never", at(1), maintenance.Valid))
			assert.ErrorIs(t, err, want)
			assert.Empty(t, mustList(t, s), "Create wrote a window")
		}},
		{"Get", func(t *testing.T, s maintenance.Store, ctx context.Context, want error) {
			a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
			_, err := s.Get(ctx, a.ID)
			assert.ErrorIs(t, err, want)
		}},
		{"Update", func(t *testing.T, s maintenance.Store, ctx context.Context, want error) {
			a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
			u := a
			u.Comment = "never"
			_, err := s.Update(ctx, u)
			assert.ErrorIs(t, err, want)
			assertStored(t, s, a)
		}},
		{"Delete", func(t *testing.T, s maintenance.Store, ctx context.Context, want error) {
			a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
			assert.ErrorIs(t, s.Delete(ctx, a.ID), want)
			assertStored(t, s, a)
		}},
		{"List", func(t *testing.T, s maintenance.Store, ctx context.Context, want error) {
			mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
			_, err := s.List(ctx)
			assert.ErrorIs(t, err, want)
			_, err = s.List(ctx, maintenance.Valid)
			assert.ErrorIs(t, err, want)
		}},
		{"Revision", func(t *testing.T, s maintenance.Store, ctx context.Context, want error) {
			ct := tracker(t, s)
			_, err := ct.Revision(ctx)
			assert.ErrorIs(t, err, want)
		}},
	}
	var out []tcase
	for _, k := range kinds {
		c := tcase{name: k.name}
		for _, op := range ops {
			c.sub = append(c.sub, tcase{name: op.name, run: func(t *testing.T, s maintenance.Store) {
				op.run(t, s, k.ctx(t), k.want)
			}})
		}
		out = append(out, c)
	}
	return out
}

// Concurrency.

func testConcurrentCreates(t *testing.T, s maintenance.Store) {
	const workers, each = 8, 20
	got := make([][]int64, workers)
	g, ctx := errgroup.WithContext(t.Context())
	for i := range workers {
		g.Go(func() error {
			for j := range each {
				w, err := s.Create(ctx, fixture(fmt.Sprintf("worker %d window %d", i, j), at(j), maintenance.Valid))
				if err != nil {
					return fmt.Errorf("worker %d create %d: %w", i, j, err)
				}
				if w.Version != 1 {
					return fmt.Errorf("worker %d create %d: Version %d, want 1", i, j, w.Version)
				}
				got[i] = append(got[i], w.ID)
			}
			return nil
		})
	}
	require.NoError(t, g.Wait())

	seen := map[int64]bool{}
	for i, l := range got {
		assert.True(t, slices.IsSorted(l), "worker %d: IDs of successive creates do not increase: %v", i, l)
		for _, id := range l {
			assert.False(t, seen[id], "ID %d handed out twice", id)
			seen[id] = true
		}
	}
	assert.Len(t, seen, workers*each)
	list := mustList(t, s)
	assert.Len(t, list, workers*each)
	for _, w := range list {
		assert.True(t, seen[w.ID], "listed ID %d was not returned by Create", w.ID)
	}
}

func testConcurrentUpdates(t *testing.T, s maintenance.Store) {
	const workers = 8
	base := mustCreate(t, s, fixture("contended", at(1), maintenance.Valid))
	var wins atomic.Int32
	winners := make([]maintenance.Window, workers)
	g, ctx := errgroup.WithContext(t.Context())
	for i := range workers {
		g.Go(func() error {
			u := base
			u.Comment = fmt.Sprintf("writer %d", i)
			got, err := s.Update(ctx, u)
			switch {
			case err == nil:
				wins.Add(1)
				winners[i] = got
				return nil
			case errors.Is(err, maintenance.ErrConflict):
				return nil
			default:
				return fmt.Errorf("writer %d: %w", i, err)
			}
		})
	}
	require.NoError(t, g.Wait())
	require.Equal(t, int32(1), wins.Load(), "updates at the same version that succeeded")
	for _, w := range winners {
		if w.ID != 0 {
			assert.Equal(t, base.Version+1, w.Version)
			assertStored(t, s, w)
		}
	}
}

func testConcurrentReadsWrites(t *testing.T, s maintenance.Store) {
	seed := mustCreate(t, s, fixture("seed", at(0), maintenance.Valid))
	g, ctx := errgroup.WithContext(t.Context())
	for i := range 2 {
		g.Go(func() error { // writer
			for j := range 15 {
				w, err := s.Create(ctx, fixture(fmt.Sprintf("writer %d window %d", i, j), at(j%5), maintenance.Validities[j%3]))
				if err != nil {
					return err
				}
				w.Comment += " updated"
				if w, err = s.Update(ctx, w); err != nil {
					return err
				}
				if j%2 == 0 {
					if err := s.Delete(ctx, w.ID); err != nil {
						return err
					}
				}
			}
			return nil
		})
		g.Go(func() error { // reader
			for range 30 {
				ws, err := s.List(ctx)
				if err != nil {
					return err
				}
				if !slices.IsSortedFunc(ws, byStartID) {
					return fmt.Errorf("List is not sorted by Start, then ID: %v", ids(ws))
				}
				if _, err := s.Get(ctx, seed.ID); err != nil {
					return err
				}
				if _, err := s.List(ctx, maintenance.Valid); err != nil {
					return err
				}
			}
			return nil
		})
	}
	require.NoError(t, g.Wait())
	assert.Len(t, mustList(t, s), 1+2*7)
	assertStored(t, s, seed)
}

// ChangeTracker.

func tracker(t *testing.T, s maintenance.Store) maintenance.ChangeTracker {
	t.Helper()
	ct, ok := s.(maintenance.ChangeTracker)
	if !ok {
		t.Skipf("%T does not implement maintenance.ChangeTracker", s)
	}
	return ct
}

func revision(t *testing.T, ct maintenance.ChangeTracker) int64 {
	t.Helper()
	r, err := ct.Revision(t.Context())
	require.NoError(t, err, "Revision")
	return r
}

func testRevisionAfterCreate(t *testing.T, s maintenance.Store) {
	ct := tracker(t, s)
	r := revision(t, ct)
	for i := range 3 {
		mustCreate(t, s, fixture(fmt.Sprintf("w%d", i), at(i), maintenance.Validities[i]))
		next := revision(t, ct)
		assert.NotEqual(t, r, next, "Revision did not change after create %d", i)
		r = next
	}
}

func testRevisionAfterUpdate(t *testing.T, s maintenance.Store) {
	ct := tracker(t, s)
	w := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	r := revision(t, ct)
	for i := range 3 {
		w.Comment = fmt.Sprintf("update %d", i)
		w = mustUpdate(t, s, w)
		next := revision(t, ct)
		assert.NotEqual(t, r, next, "Revision did not change after update %d", i)
		r = next
	}
	// An update that changes nothing but the Version still counts.
	mustUpdate(t, s, w)
	assert.NotEqual(t, r, revision(t, ct), "Revision did not change after an identical update")
}

func testRevisionAfterDelete(t *testing.T, s maintenance.Store) {
	ct := tracker(t, s)
	a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	b := mustCreate(t, s, fixture("b", at(2), maintenance.Valid))
	r := revision(t, ct)
	require.NoError(t, s.Delete(t.Context(), a.ID))
	next := revision(t, ct)
	assert.NotEqual(t, r, next, "Revision did not change after a delete")
	require.NoError(t, s.Delete(t.Context(), b.ID))
	assert.NotEqual(t, next, revision(t, ct), "Revision did not change after deleting the last window")
}

func testRevisionAfterReads(t *testing.T, s maintenance.Store) {
	ct := tracker(t, s)
	a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	r := revision(t, ct)
	mustGet(t, s, a.ID)
	_, _ = s.Get(t.Context(), a.ID+1000)
	mustList(t, s)
	mustList(t, s, maintenance.Invalid)
	assert.Equal(t, r, revision(t, ct), "Revision changed after reads")
	assert.Equal(t, r, revision(t, ct), "Revision changed after reading it")
}

func testRevisionAfterFailures(t *testing.T, s maintenance.Store) {
	ct := tracker(t, s)
	a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	a = mustUpdate(t, s, a)
	r := revision(t, ct)

	stale := a
	stale.Version--
	stale.Comment = "stale"
	_, err := s.Update(t.Context(), stale)
	require.ErrorIs(t, err, maintenance.ErrConflict)
	assert.Equal(t, r, revision(t, ct), "Revision changed after a conflicting update")

	ghost := a
	ghost.ID += 1000
	_, err = s.Update(t.Context(), ghost)
	require.ErrorIs(t, err, maintenance.ErrNotFound)
	assert.Equal(t, r, revision(t, ct), "Revision changed after updating an unknown ID")

	require.ErrorIs(t, s.Delete(t.Context(), ghost.ID), maintenance.ErrNotFound)
	assert.Equal(t, r, revision(t, ct), "Revision changed after deleting an unknown ID")

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = s.Create(ctx, fixture("canceled", at(2), maintenance.Valid))
	require.ErrorIs(t, err, context.Canceled)
	_, err = s.Update(ctx, a)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, s.Delete(ctx, a.ID), context.Canceled)
	assert.Equal(t, r, revision(t, ct), "Revision changed after writes with a canceled context")
}
