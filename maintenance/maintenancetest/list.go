package maintenancetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// List: filtered by validity, sorted by Start then ID, never nil.

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
