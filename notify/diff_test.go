package notify_test

import (
	"cmp"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// FuzzDiffWindows checks the one-walk diff of two schedules' windows
// against the plain rule: by ID, only in the new list is scheduled, in both
// with another Version is changed, only in the old list is withdrawn.
func FuzzDiffWindows(f *testing.F) {
	f.Add([]byte{0, 10, 0, 10, 1, 20, 2, 5, 3, 7}, []byte{4, 10, 9, 30})
	f.Add([]byte{2, 5, 2, 5, 2, 5}, []byte{})
	f.Add([]byte{3, 1, 3, 1, 0, 1}, []byte{1, 1, 1})
	f.Fuzz(func(t *testing.T, ops, added []byte) {
		base := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
		win := func(id int64, minute byte, version int64) maintenance.Window {
			start := base.Add(time.Duration(minute%16) * time.Minute) // few starts: many ties
			return maintenance.Window{ID: id, Start: start, Stop: start.Add(time.Hour), Version: version}
		}
		var old, cur []maintenance.Window
		for i := 0; i+2 <= len(ops) && len(old) < 12; i += 2 {
			id := int64(20 - len(old)) // IDs descend, so order must not lean on them
			w := win(id, ops[i+1], 1)
			old = append(old, w)
			switch ops[i] % 4 {
			case 0: // kept
				cur = append(cur, w)
			case 1: // updated in place
				w.Version++
				cur = append(cur, w)
			case 2: // updated, moved
				cur = append(cur, win(id, ops[i+1]+1+ops[i]/4, 2))
			} // 3: gone
		}
		for i, b := range added {
			if i == 8 {
				break
			}
			cur = append(cur, win(int64(100+i), b, 1))
		}
		byStart := func(a, b maintenance.Window) int {
			return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.ID, b.ID))
		}
		slices.SortFunc(old, byStart)
		slices.SortFunc(cur, byStart)

		var wantS, wantC, wantW []maintenance.Window
		oldByID := map[int64]maintenance.Window{}
		for _, w := range old {
			oldByID[w.ID] = w
		}
		curByID := map[int64]bool{}
		for _, w := range cur {
			curByID[w.ID] = true
			if o, ok := oldByID[w.ID]; !ok {
				wantS = append(wantS, w)
			} else if o.Version != w.Version {
				wantC = append(wantC, w)
			}
		}
		for _, w := range old {
			if !curByID[w.ID] {
				wantW = append(wantW, w)
			}
		}

		gotS, gotC, gotW := notify.DiffWindows(old, cur)
		byID := func(a, b maintenance.Window) int { return cmp.Compare(a.ID, b.ID) }
		for _, l := range [][]maintenance.Window{wantS, wantC, wantW, gotS, gotC, gotW} {
			slices.SortFunc(l, byID)
		}
		assert.Equal(t, wantS, gotS, "scheduled")
		assert.Equal(t, wantC, gotC, "changed")
		assert.Equal(t, wantW, gotW, "withdrawn")
	})
}

// BenchmarkDiffWindows measures what Watch does when the schedule is
// replaced: copy the windows of the old and the new schedule and compare
// them, here 100 000 windows of which one moved.
func BenchmarkDiffWindows(b *testing.B) {
	base := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	ws := make([]maintenance.Window, 100_000)
	for i := range ws {
		start := base.Add(time.Duration(i) * time.Hour)
		ws[i] = maintenance.Window{ID: int64(i + 1), Start: start, Stop: start.Add(time.Hour), Comment: "w",
			Validity: maintenance.Valid, Version: 1}
	}
	old := maintenance.Compile(ws, 30*time.Minute)
	ws[50_000].Start = ws[50_000].Start.Add(30 * time.Minute)
	ws[50_000].Version++
	cur := maintenance.Compile(ws, 30*time.Minute)
	b.ReportAllocs()
	for b.Loop() {
		s, c, w := notify.DiffWindows(old.Windows(), cur.Windows())
		if len(s)+len(w) != 0 || len(c) != 1 {
			b.Fatal("want one changed window")
		}
	}
}
