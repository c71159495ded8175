package maintenancetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// Update: replaces every field but ID and the creation stamp, increments
// the Version, refuses a stale Version (ErrConflict) and an unknown ID
// (ErrNotFound).

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
