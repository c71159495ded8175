package maintenancetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// Get: an unknown ID is ErrNotFound.

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
