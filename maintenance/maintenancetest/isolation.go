package maintenancetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// Isolation: windows cross the boundary as values; neither the window
// passed in nor one returned aliases the store's memory.

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
