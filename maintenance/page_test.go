package maintenance_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// naivePage is the meaning of a PageQuery spelled out on the list of
// matching windows: the page is a slice of it, Prev and Next say whether
// the slice leaves windows out before or after.
func naivePage(ws []maintenance.Window, q maintenance.PageQuery) maintenance.Page {
	var m []maintenance.Window
	for _, w := range ws {
		if q.Matches(w) {
			m = append(m, w)
		}
	}
	after := func(w maintenance.Window) bool { // w lies after the cursor
		c := q.Cursor
		return w.Start.After(c.Start) || (w.Start.Equal(c.Start) && w.ID > c.ID)
	}
	var lo, hi int
	if !q.Backward {
		lo = len(m)
		for i, w := range m {
			if q.Cursor == nil || after(w) {
				lo = i
				break
			}
		}
		hi = min(lo+q.Limit, len(m))
	} else {
		hi = len(m)
		if q.Cursor != nil {
			for i, w := range m {
				if after(w) || (w.Start.Equal(q.Cursor.Start) && w.ID == q.Cursor.ID) {
					hi = i
					break
				}
			}
		}
		lo = max(hi-q.Limit, 0)
	}
	return maintenance.Page{Windows: append([]maintenance.Window{}, m[lo:hi]...), Prev: lo > 0, Next: hi < len(m)}
}

func TestSelectPage(t *testing.T) {
	base := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	w := func(id int64, startH int) maintenance.Window {
		s := base.Add(time.Duration(startH) * time.Hour)
		return maintenance.Window{ID: id, Start: s, Stop: s.Add(time.Hour), Comment: "c", Validity: maintenance.Valid}
	}
	// Sorted by start, then ID; 2 and 5 tie.
	ws := []maintenance.Window{w(3, -2), w(2, 0), w(5, 0), w(1, 1), w(4, 3)}
	pos := func(i int) *maintenance.Position { p := maintenance.PositionOf(ws[i]); return &p }
	tests := []struct {
		name       string
		q          maintenance.PageQuery
		want       []int64
		prev, next bool
	}{
		{"first page", maintenance.PageQuery{Limit: 2}, []int64{3, 2}, false, true},
		{"after a tie's first", maintenance.PageQuery{Limit: 2, Cursor: pos(1)}, []int64{5, 1}, true, true},
		{"the rest", maintenance.PageQuery{Limit: 2, Cursor: pos(3)}, []int64{4}, true, false},
		{"past the end", maintenance.PageQuery{Limit: 2, Cursor: pos(4)}, []int64{}, true, false},
		{"last page", maintenance.PageQuery{Limit: 2, Backward: true}, []int64{1, 4}, true, false},
		{"before a tie's second", maintenance.PageQuery{Limit: 2, Cursor: pos(2), Backward: true}, []int64{3, 2}, false, true},
		{"before the start", maintenance.PageQuery{Limit: 2, Cursor: pos(0), Backward: true}, []int64{}, false, true},
		{"all at once", maintenance.PageQuery{Limit: 10}, []int64{3, 2, 5, 1, 4}, false, false},
		{"planned at base", maintenance.PageQuery{Limit: 10, States: []maintenance.State{maintenance.Planned}, At: base}, []int64{1, 4}, false, false},
		{"active at base, after the first tie", maintenance.PageQuery{Limit: 10, States: []maintenance.State{maintenance.Active}, At: base, Cursor: pos(1)}, []int64{5}, true, false},
		{"finished, at a millisecond", maintenance.PageQuery{Limit: 10, States: []maintenance.State{maintenance.Finished}, At: base.Add(-time.Hour + 999*time.Microsecond)}, []int64{3}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, tt.q.Validate())
			p := maintenance.SelectPage(ws, tt.q)
			got := []int64{}
			for _, w := range p.Windows {
				got = append(got, w.ID)
			}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.prev, p.Prev, "Prev")
			assert.Equal(t, tt.next, p.Next, "Next")
			assert.Equal(t, naivePage(ws, tt.q), p, "agrees with the naive page")
		})
	}
}

// TestSelectPage_Random checks SelectPage against the naive page for
// random windows (many ties), filters, cursors, directions and limits.
func TestSelectPage_Random(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	for round := range 300 {
		n := rng.IntN(25)
		ws := make([]maintenance.Window, 0, n)
		for i := range n {
			start := base.Add(time.Duration(rng.IntN(8)) * time.Hour)
			ws = append(ws, maintenance.Window{
				ID: int64(i + 1), Start: start, Stop: start.Add(time.Duration(1+rng.IntN(5)) * time.Hour),
				Comment: "c", Validity: maintenance.Validities[rng.IntN(3)],
			})
		}
		maintenanceSort(ws)
		q := maintenance.PageQuery{Limit: 1 + rng.IntN(6), Backward: rng.IntN(2) == 0}
		if rng.IntN(2) == 0 {
			q.Validity = []maintenance.Validity{maintenance.Validities[rng.IntN(3)]}
		}
		if rng.IntN(2) == 0 {
			q.States = []maintenance.State{maintenance.State(1 + rng.IntN(3))}
			q.At = base.Add(time.Duration(rng.IntN(12*60)) * time.Minute)
		}
		if rng.IntN(3) > 0 {
			q.Cursor = &maintenance.Position{Start: base.Add(time.Duration(rng.IntN(9)) * time.Hour), ID: int64(1 + rng.IntN(26))}
		}
		require.NoError(t, q.Validate())
		assert.Equal(t, naivePage(ws, q), maintenance.SelectPage(ws, q), "round %d: %+v", round, q)
	}
}

func maintenanceSort(ws []maintenance.Window) {
	for i := 1; i < len(ws); i++ {
		for j := i; j > 0; j-- {
			a, b := ws[j-1], ws[j]
			if a.Start.Before(b.Start) || (a.Start.Equal(b.Start) && a.ID < b.ID) {
				break
			}
			ws[j-1], ws[j] = b, a
		}
	}
}

func TestPageQuery_Validate(t *testing.T) {
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		q    maintenance.PageQuery
		ok   bool
	}{
		{"limit 1", maintenance.PageQuery{Limit: 1}, true},
		{"limit max", maintenance.PageQuery{Limit: maintenance.MaxPageLimit}, true},
		{"limit 0", maintenance.PageQuery{}, false},
		{"limit over max", maintenance.PageQuery{Limit: maintenance.MaxPageLimit + 1}, false},
		{"negative limit", maintenance.PageQuery{Limit: -1}, false},
		{"unknown validity", maintenance.PageQuery{Limit: 1, Validity: []maintenance.Validity{0}}, false},
		{"unknown state", maintenance.PageQuery{Limit: 1, States: []maintenance.State{4}, At: at}, false},
		{"states without an instant", maintenance.PageQuery{Limit: 1, States: []maintenance.State{maintenance.Active}}, false},
		{"states with an instant", maintenance.PageQuery{Limit: 1, States: []maintenance.State{maintenance.Active}, At: at}, true},
		{"cursor without ID", maintenance.PageQuery{Limit: 1, Cursor: &maintenance.Position{Start: at}}, false},
		{"cursor", maintenance.PageQuery{Limit: 1, Cursor: &maintenance.Position{Start: at, ID: 3}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.q.Validate()
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, maintenance.ErrBadQuery)
		})
	}
}

// listOnly hides every capability of the store but the Store contract.
type listOnly struct{ maintenance.Store }

func TestManager_ListPage(t *testing.T) {
	for _, store := range []struct {
		name string
		s    maintenance.Store
	}{
		{"store with ListPage", memstore.NewWindowStore()},
		{"store without ListPage", listOnly{memstore.NewWindowStore()}},
	} {
		t.Run(store.name, func(t *testing.T) {
			m, mock := newManager(t, store.s)
			now := mock.Now()
			var all []maintenance.Window
			for i := range 7 {
				start := now.Add(time.Duration(i-3) * time.Hour)
				w, err := m.Add(context.Background(), maintenance.Window{
					Start: start, Stop: start.Add(90 * time.Minute), Comment: fmt.Sprint(i), Validity: maintenance.Validities[i%3],
				}, "test")
				require.NoError(t, err)
				all = append(all, w)
			}
			q := maintenance.PageQuery{Limit: 2, States: []maintenance.State{maintenance.Planned, maintenance.Active}, At: now}
			p, err := m.ListPage(context.Background(), q)
			require.NoError(t, err)
			assert.Equal(t, naivePage(all, q), p)
			assert.Len(t, p.Windows, 2)
			assert.True(t, p.Next)

			_, err = m.ListPage(context.Background(), maintenance.PageQuery{})
			assert.ErrorIs(t, err, maintenance.ErrBadQuery)
		})
	}
}

func ExampleSelectPage() {
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	var ws []maintenance.Window
	for i := range 5 {
		ws = append(ws, maintenance.Window{ID: int64(i + 1), Start: day.Add(time.Duration(i) * time.Hour)})
	}
	q := maintenance.PageQuery{Limit: 2}
	for {
		p := maintenance.SelectPage(ws, q)
		for _, w := range p.Windows {
			fmt.Print(w.ID, " ")
		}
		fmt.Println("| more:", p.Next)
		if !p.Next {
			break
		}
		last := maintenance.PositionOf(p.Windows[len(p.Windows)-1])
		q.Cursor = &last
	}
	// Output:
	// 1 2 | more: true
	// 3 4 | more: true
	// 5 | more: false
}
