package maintenancetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// ChangeTracker: the revision moves with every successful write and only
// then.

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
