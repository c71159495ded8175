package maintenancetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// PageLister: ListPage agrees with maintenance.SelectPage over List, for
// every filter, cursor, direction and limit; walking the pages visits every
// matching window once; a bad query is refused.

func pageLister(t *testing.T, s maintenance.Store) maintenance.PageLister {
	t.Helper()
	pl, ok := s.(maintenance.PageLister)
	if !ok {
		t.Skipf("%T does not implement maintenance.PageLister", s)
	}
	return pl
}

func mustPage(t *testing.T, pl maintenance.PageLister, q maintenance.PageQuery) maintenance.Page {
	t.Helper()
	p, err := pl.ListPage(t.Context(), q)
	require.NoError(t, err, "ListPage(%s)", describeQuery(q))
	return p
}

func describeQuery(q maintenance.PageQuery) string {
	c := "nil"
	if q.Cursor != nil {
		c = fmt.Sprintf("{%s %d}", q.Cursor.Start.Format(time.RFC3339Nano), q.Cursor.ID)
	}
	return fmt.Sprintf("validity %v, states %v at %s, cursor %s, backward %v, limit %d",
		q.Validity, q.States, q.At.Format(time.RFC3339Nano), c, q.Backward, q.Limit)
}

// pageFixtures stores windows whose starts tie (same start, several IDs),
// whose states at pageAt differ (finished, active, planned, and bounds
// exactly at pageAt), of every validity, and recurring windows whose
// series is in each state at pageAt while their first occurrence is over;
// it returns them as List does.
func pageFixtures(t *testing.T, s maintenance.Store) []maintenance.Window {
	t.Helper()
	starts := []time.Time{
		at(-5), at(-5), at(-3), pageAt.Add(-time.Millisecond), pageAt, pageAt, at(2), at(2), at(2), at(4),
		at(6), pageAt.Add(time.Millisecond), at(-1), at(8), at(-4),
	}
	for i, st := range starts {
		w := fixture(fmt.Sprintf("page %d", i), st, maintenance.Validities[i%3])
		switch i % 4 {
		case 0:
			w.Stop = st.Add(30 * time.Minute)
		case 1:
			w.Stop = st.Add(4 * time.Hour)
		case 2:
			w.Stop = pageAt // stops exactly at the instant: finished then
		}
		if !w.Stop.After(w.Start) {
			w.Stop = w.Start.Add(time.Hour)
		}
		mustCreate(t, s, w)
	}
	// Daily series, judged at pageAt (hour 0): between two occurrences
	// (-26h, -2h, 22h: planned), in one (-48h, -24h, 0h-2h: active),
	// over (COUNT=2: finished), not started (planned).
	for i, r := range []struct {
		start    int
		hours    int
		rule     string
		validity maintenance.Validity
	}{
		{-26, 1, "FREQ=DAILY", maintenance.Valid},
		{-48, 2, "FREQ=DAILY", maintenance.Valid},
		{-72, 1, "FREQ=DAILY;COUNT=2", maintenance.Valid},
		{5, 1, "FREQ=DAILY", maintenance.Invalid},
	} {
		w := fixture(fmt.Sprintf("series %d", i), at(r.start), r.validity)
		w.Stop = w.Start.Add(time.Duration(r.hours) * time.Hour)
		w.Recurrence = maintenance.Recurrence{Rule: r.rule, Zone: "UTC"}
		require.NoError(t, w.Validate(), "series %d", i)
		mustCreate(t, s, w)
	}
	return mustList(t, s)
}

// pageAt is the instant the fixtures' states are judged at.
var pageAt = at(0).Add(500 * time.Millisecond)

// pageFilters are the filters every check runs with.
func pageFilters() []maintenance.PageQuery {
	return []maintenance.PageQuery{
		{},
		{Validity: []maintenance.Validity{maintenance.Valid}},
		{Validity: []maintenance.Validity{maintenance.Invalid, maintenance.InvalidTemporarily}},
		{States: []maintenance.State{maintenance.Planned}, At: pageAt},
		{States: []maintenance.State{maintenance.Active}, At: pageAt},
		{States: []maintenance.State{maintenance.Finished}, At: pageAt.Add(999 * time.Microsecond)},
		{States: []maintenance.State{maintenance.Planned, maintenance.Active}, At: pageAt},
		{Validity: []maintenance.Validity{maintenance.Valid}, States: []maintenance.State{maintenance.Finished, maintenance.Planned}, At: pageAt},
		{Validity: []maintenance.Validity{maintenance.Invalid}, States: []maintenance.State{maintenance.Active}, At: at(100)},
	}
}

func testPageEmpty(t *testing.T, s maintenance.Store) {
	pl := pageLister(t, s)
	for _, backward := range []bool{false, true} {
		for _, c := range []*maintenance.Position{nil, {Start: at(1), ID: 7}} {
			p := mustPage(t, pl, maintenance.PageQuery{Cursor: c, Backward: backward, Limit: 10})
			assert.NotNil(t, p.Windows)
			assert.Empty(t, p.Windows)
			assert.False(t, p.Prev)
			assert.False(t, p.Next)
		}
	}
}

func testPageAgreesWithList(t *testing.T, s maintenance.Store) {
	pl := pageLister(t, s)
	all := pageFixtures(t, s)
	cursors := []*maintenance.Position{nil, {Start: at(-100), ID: 1}, {Start: at(100), ID: 1}, {Start: at(2), ID: 1 << 40}}
	for _, w := range all {
		p := maintenance.PositionOf(w)
		cursors = append(cursors, &p)
	}
	for _, f := range pageFilters() {
		for _, limit := range []int{1, 2, 7, maintenance.MaxPageLimit} {
			for _, c := range cursors {
				for _, backward := range []bool{false, true} {
					q := f
					q.Limit, q.Cursor, q.Backward = limit, c, backward
					want := maintenance.SelectPage(all, q)
					got := mustPage(t, pl, q)
					if !assert.Equal(t, ids(want.Windows), ids(got.Windows), "windows of %s", describeQuery(q)) {
						continue
					}
					for i := range want.Windows {
						assertWindow(t, want.Windows[i], got.Windows[i], describeQuery(q))
					}
					assert.Equal(t, want.Prev, got.Prev, "Prev of %s", describeQuery(q))
					assert.Equal(t, want.Next, got.Next, "Next of %s", describeQuery(q))
				}
			}
		}
	}
}

func testPageWalk(t *testing.T, s maintenance.Store) {
	pl := pageLister(t, s)
	all := pageFixtures(t, s)
	for _, f := range pageFilters() {
		want := []int64{}
		for _, w := range all {
			if f.Matches(w) {
				want = append(want, w.ID)
			}
		}
		for _, backward := range []bool{false, true} {
			q := f
			q.Limit, q.Backward = 3, backward
			got := []int64{}
			for range len(all) + 1 {
				p := mustPage(t, pl, q)
				if backward {
					got = append(ids(p.Windows), got...)
				} else {
					got = append(got, ids(p.Windows)...)
				}
				more := p.Next
				if backward {
					more = p.Prev
				}
				if !more {
					break
				}
				require.NotEmpty(t, p.Windows, "a page that says there is more holds windows: %s", describeQuery(q))
				edge := p.Windows[len(p.Windows)-1]
				if backward {
					edge = p.Windows[0]
				}
				c := maintenance.PositionOf(edge)
				q.Cursor = &c
			}
			assert.Equal(t, want, got, "walking %s visits every matching window once", describeQuery(q))
		}
	}
}

func testPageBadQuery(t *testing.T, s maintenance.Store) {
	pl := pageLister(t, s)
	mustCreate(t, s, fixture("a", at(1), maintenance.Valid))
	for _, q := range []maintenance.PageQuery{
		{Limit: 0},
		{Limit: maintenance.MaxPageLimit + 1},
		{Limit: 10, States: []maintenance.State{maintenance.Active}},
		{Limit: 10, Validity: []maintenance.Validity{9}},
		{Limit: 10, States: []maintenance.State{0}, At: at(1)},
		{Limit: 10, Cursor: &maintenance.Position{Start: at(1)}},
	} {
		_, err := pl.ListPage(t.Context(), q)
		assert.ErrorIs(t, err, maintenance.ErrBadQuery, describeQuery(q))
	}
}
