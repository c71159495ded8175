package maintenancetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// Delete: removes the window; an unknown ID is ErrNotFound.

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
