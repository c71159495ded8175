package maintenancetest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// ChangeLister: the changes after a revision are every window created or
// updated since, as stored now, and every window deleted since; nothing
// older; a revision the store cannot answer for is ErrRevisionUnknown.

func lister(t *testing.T, s maintenance.Store) maintenance.ChangeLister {
	t.Helper()
	cl, ok := s.(maintenance.ChangeLister)
	if !ok {
		t.Skipf("%T does not implement maintenance.ChangeLister", s)
	}
	return cl
}

// changesSince calls ChangesSince and checks the shape of its answer:
// Windows sorted by ID and Deleted ascending, neither nil.
func changesSince(t *testing.T, cl maintenance.ChangeLister, rev int64) maintenance.Changes {
	t.Helper()
	ch, err := cl.ChangesSince(t.Context(), rev)
	require.NoError(t, err, "ChangesSince(%d)", rev)
	assert.NotNil(t, ch.Windows, "ChangesSince(%d): Windows is nil", rev)
	assert.NotNil(t, ch.Deleted, "ChangesSince(%d): Deleted is nil", rev)
	assert.True(t, slices.IsSorted(ids(ch.Windows)), "ChangesSince(%d): Windows not sorted by ID: %v", rev, ids(ch.Windows))
	assert.True(t, slices.IsSorted(ch.Deleted), "ChangesSince(%d): Deleted not ascending: %v", rev, ch.Deleted)
	return ch
}

// replay applies ch to state, windows by ID: Windows, then Deleted.
func replay(state map[int64]maintenance.Window, ch maintenance.Changes) {
	for _, w := range ch.Windows {
		state[w.ID] = w
	}
	for _, id := range ch.Deleted {
		delete(state, id)
	}
}

// assertReplayed checks that state holds exactly the windows of s.
func assertReplayed(t *testing.T, s maintenance.Store, state map[int64]maintenance.Window) {
	t.Helper()
	all := mustList(t, s)
	got := make([]int64, 0, len(state))
	for id := range state {
		got = append(got, id)
	}
	slices.Sort(got)
	want := ids(all)
	slices.Sort(want)
	if !assert.Equal(t, want, got, "the IDs replayed from the changes are not those listed") {
		return
	}
	for _, w := range all {
		assertWindow(t, w, state[w.ID], fmt.Sprintf("window %d replayed", w.ID))
	}
}

func testChangesFreshStore(t *testing.T, s maintenance.Store) {
	cl := lister(t, s)
	r := revision(t, cl)
	ch := changesSince(t, cl, r)
	assert.Empty(t, ch.Windows)
	assert.Empty(t, ch.Deleted)
	assert.Equal(t, r, ch.Revision, "nothing changed: the same revision")

	a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	ch = changesSince(t, cl, r)
	if assert.Len(t, ch.Windows, 1, "the first window created") {
		assertWindow(t, a, ch.Windows[0], "the first window created")
	}
	assert.Empty(t, ch.Deleted)
	assert.Equal(t, revision(t, cl), ch.Revision)
}

func testChangesSince(t *testing.T, s maintenance.Store) {
	cl := lister(t, s)
	a := mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	b := mustCreate(t, s, fixture("b", at(2), maintenance.Valid))
	c := mustCreate(t, s, fixture("c", at(3), maintenance.Valid))
	d := mustCreate(t, s, fixture("d", at(4), maintenance.Valid)) // untouched after r
	r := revision(t, cl)

	b.Comment = "b, changed"
	b = mustUpdate(t, s, b)
	require.NoError(t, s.Delete(t.Context(), c.ID))
	e := mustCreate(t, s, fixture("e", at(5), maintenance.Valid))
	a.Comment = "a, changed, then deleted"
	mustUpdate(t, s, a)
	require.NoError(t, s.Delete(t.Context(), a.ID))
	f := mustCreate(t, s, fixture("f", at(6), maintenance.Valid))
	require.NoError(t, s.Delete(t.Context(), f.ID)) // created and deleted after r

	ch := changesSince(t, cl, r)
	if assert.Equal(t, []int64{b.ID, e.ID}, ids(ch.Windows), "the windows created or updated after r, and still there") {
		assertWindow(t, b, ch.Windows[0], "the window updated")
		assertWindow(t, e, ch.Windows[1], "the window created")
	}
	assert.NotContains(t, ids(ch.Windows), d.ID, "a window untouched since r")
	for _, id := range []int64{a.ID, c.ID, f.ID} {
		assert.Contains(t, ch.Deleted, id, "window %d was deleted after r", id)
	}
	assert.Subset(t, []int64{a.ID, c.ID, f.ID}, ch.Deleted, "Deleted holds windows deleted after r only")
	assert.Equal(t, revision(t, cl), ch.Revision, "the changes reach the store's revision")

	again := changesSince(t, cl, ch.Revision)
	assert.Empty(t, again.Windows, "nothing changed after the revision returned")
	assert.Empty(t, again.Deleted, "nothing deleted after the revision returned")

	// A store's windows at r, with the changes since, are its windows now.
	state := map[int64]maintenance.Window{a.ID: a, b.ID: b, c.ID: c, d.ID: d}
	replay(state, ch)
	assertReplayed(t, s, state)
}

func testChangesEveryValidity(t *testing.T, s maintenance.Store) {
	cl := lister(t, s)
	ws := make([]maintenance.Window, len(maintenance.Validities))
	for i := range ws {
		ws[i] = mustCreate(t, s, fixture(fmt.Sprintf("w%d", i), at(i), maintenance.Valid))
	}
	r := revision(t, cl)
	for i, v := range maintenance.Validities {
		ws[i].Validity = v
		ws[i] = mustUpdate(t, s, ws[i])
	}
	ch := changesSince(t, cl, r)
	if assert.Len(t, ch.Windows, len(ws), "a window made invalid is a change too") {
		for i, w := range ws {
			assertWindow(t, w, ch.Windows[i], w.Validity.String())
		}
	}
}

// testChangesSkippedOccurrence: an exception added to a series, or its
// rule changed, is a change like any other; a Manager that replays the
// changes must not keep warning of an occurrence an administrator skipped.
func testChangesSkippedOccurrence(t *testing.T, s maintenance.Store) {
	cl := lister(t, s)
	w := mustCreate(t, s, recurring("series", at(1), maintenance.Valid))
	r := revision(t, cl)
	w.Recurrence.Exceptions = append(w.Recurrence.Exceptions, at(1).Add(14*24*time.Hour))
	w = mustUpdate(t, s, w)
	ch := changesSince(t, cl, r)
	if assert.Len(t, ch.Windows, 1, "the series with one more exception") {
		assertWindow(t, w, ch.Windows[0], "the series with one more exception")
	}
	r = ch.Revision
	w.Recurrence.Rule = "FREQ=DAILY"
	w = mustUpdate(t, s, w)
	ch = changesSince(t, cl, r)
	if assert.Len(t, ch.Windows, 1, "the series with another rule") {
		assertWindow(t, w, ch.Windows[0], "the series with another rule")
	}
}

func testChangesUnknownRevisions(t *testing.T, s maintenance.Store) {
	cl := lister(t, s)
	first := revision(t, cl)
	mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	now := revision(t, cl)
	for _, rev := range []int64{now + 1, now + 1000, first - 1} {
		_, err := cl.ChangesSince(t.Context(), rev)
		assert.ErrorIs(t, err, maintenance.ErrRevisionUnknown, "revision %d (the store was new at %d and is at %d)", rev, first, now)
	}
}

// testChangesFarBehind asks for every change since the store was new,
// after many writes: the store answers them all, or says it cannot.
func testChangesFarBehind(t *testing.T, s maintenance.Store) {
	cl := lister(t, s)
	first := revision(t, cl)
	var ws []maintenance.Window
	for i := range 60 {
		ws = append(ws, mustCreate(t, s, fixture(fmt.Sprintf("w%d", i), at(i%24), maintenance.Valid)))
	}
	for i := range 20 {
		ws[i].Comment = "changed"
		mustUpdate(t, s, ws[i])
		require.NoError(t, s.Delete(t.Context(), ws[20+i].ID))
	}
	ch, err := cl.ChangesSince(t.Context(), first)
	if errors.Is(err, maintenance.ErrRevisionUnknown) {
		t.Logf("the store answers no more for revision %d: %v", first, err)
		return
	}
	require.NoError(t, err)
	state := map[int64]maintenance.Window{}
	replay(state, ch)
	assertReplayed(t, s, state)
	for _, w := range ws[20:40] {
		assert.Contains(t, ch.Deleted, w.ID, "window %d was deleted", w.ID)
	}
}

// testChangesWhileWriting replays the changes, asked for again and again,
// while another goroutine writes: the windows replayed are those listed
// at the end. A revision the store cannot answer for makes the reader
// list every window, as a Manager does.
func testChangesWhileWriting(t *testing.T, s maintenance.Store) {
	cl := lister(t, s)
	state := map[int64]maintenance.Window{}
	rev := revision(t, cl)
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Go(func() {
		defer close(done)
		rnd := rand.New(rand.NewPCG(1, 2))
		var live []maintenance.Window
		for i := range 150 {
			switch op := rnd.IntN(3); {
			case op == 0 || len(live) < 3:
				w, err := s.Create(t.Context(), fixture(fmt.Sprintf("w%d", i), at(i%24), maintenance.Validities[i%3]))
				if !assert.NoError(t, err) {
					return
				}
				live = append(live, w)
			case op == 1:
				k := rnd.IntN(len(live))
				live[k].Comment = fmt.Sprintf("update %d", i)
				w, err := s.Update(t.Context(), live[k])
				if !assert.NoError(t, err) {
					return
				}
				live[k] = w
			default:
				k := rnd.IntN(len(live))
				if !assert.NoError(t, s.Delete(t.Context(), live[k].ID)) {
					return
				}
				live = slices.Delete(live, k, k+1)
			}
		}
	})
	catchUp := func() {
		ch, err := cl.ChangesSince(t.Context(), rev)
		if errors.Is(err, maintenance.ErrRevisionUnknown) {
			rev = revision(t, cl)
			clear(state)
			for _, w := range mustList(t, s) {
				state[w.ID] = w
			}
			return
		}
		require.NoError(t, err)
		replay(state, ch)
		rev = ch.Revision
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		catchUp()
	}
	wg.Wait()
	catchUp()
	assertReplayed(t, s, state)
}
