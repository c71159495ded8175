package maintenancetest

import (
	"cmp"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// Fixtures and helpers shared by the subtests.

// day is the fixed date every fixture lies on.
var day = time.Date(2026, time.November, 24, 0, 0, 0, 0, time.UTC)

// at returns day plus h hours.
func at(h int) time.Time { return day.Add(time.Duration(h) * time.Hour) }

// fixture returns a window with every field set (all instants UTC at
// millisecond precision), starting at start and lasting two hours.
func fixture(comment string, start time.Time, v maintenance.Validity) maintenance.Window {
	return maintenance.Window{
		Start:            start,
		Stop:             start.Add(2 * time.Hour),
		Comment:          comment,
		LoginMessage:     "Login is limited to administrators: " + comment,
		ShowLoginMessage: true,
		NotifyMessage:    "Maintenance in progress: " + comment,
		Validity:         v,
		Lead:             45 * time.Minute,
		CreatedAt:        day.Add(-48*time.Hour + 123*time.Millisecond),
		CreatedBy:        "alice",
		ChangedAt:        day.Add(-24*time.Hour + 456*time.Millisecond),
		ChangedBy:        "bob",
	}
}

// stored returns w as a store should give it back after create: with the
// given ID and Version 1.
func stored(w maintenance.Window, id int64) maintenance.Window {
	w.ID, w.Version = id, 1
	return w
}

// runes returns a string of exactly n characters cycling through s.
func runes(s string, n int) string {
	rs := []rune(s)
	out := make([]rune, n)
	for i := range out {
		out[i] = rs[i%len(rs)]
	}
	return string(out)
}

func mustCreate(t *testing.T, s maintenance.Store, w maintenance.Window) maintenance.Window {
	t.Helper()
	got, err := s.Create(t.Context(), w)
	require.NoError(t, err, "Create")
	return got
}

func mustUpdate(t *testing.T, s maintenance.Store, w maintenance.Window) maintenance.Window {
	t.Helper()
	got, err := s.Update(t.Context(), w)
	require.NoError(t, err, "Update")
	return got
}

func mustList(t *testing.T, s maintenance.Store, v ...maintenance.Validity) []maintenance.Window {
	t.Helper()
	got, err := s.List(t.Context(), v...)
	require.NoError(t, err, "List(%v)", v)
	return got
}

func mustGet(t *testing.T, s maintenance.Store, id int64) maintenance.Window {
	t.Helper()
	got, err := s.Get(t.Context(), id)
	require.NoError(t, err, "Get(%d)", id)
	return got
}

// assertWindow checks got against want field by field: instants and
// exceptions with time.Time.Equal and in UTC (exceptions nil in got when
// nil in want), the other fields with ==.
func assertWindow(t *testing.T, want, got maintenance.Window, what string) bool {
	t.Helper()
	ok := true
	instants := []struct {
		field     string
		want, got time.Time
	}{
		{"Start", want.Start, got.Start},
		{"Stop", want.Stop, got.Stop},
		{"CreatedAt", want.CreatedAt, got.CreatedAt},
		{"ChangedAt", want.ChangedAt, got.ChangedAt},
	}
	for _, in := range instants {
		ok = assert.Truef(t, in.want.Equal(in.got), "%s: %s: want %s, got %s",
			what, in.field, in.want.Format(time.RFC3339Nano), in.got.Format(time.RFC3339Nano)) && ok
		ok = assert.Equalf(t, time.UTC, in.got.Location(), "%s: %s %s is not in UTC",
			what, in.field, in.got.Format(time.RFC3339Nano)) && ok
	}
	if ok = assert.Equalf(t, len(want.Recurrence.Exceptions), len(got.Recurrence.Exceptions),
		"%s: number of exceptions", what) && ok; ok {
		for i, w := range want.Recurrence.Exceptions {
			g := got.Recurrence.Exceptions[i]
			ok = assert.Truef(t, w.Equal(g) && g.Location() == time.UTC, "%s: exception %d: want %s, got %s",
				what, i, w.Format(time.RFC3339Nano), g.Format(time.RFC3339Nano)) && ok
		}
	}
	ok = assert.Equalf(t, want.Recurrence.Exceptions == nil, got.Recurrence.Exceptions == nil,
		"%s: exceptions nil", what) && ok
	want.Start, want.Stop, want.CreatedAt, want.ChangedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	got.Start, got.Stop, got.CreatedAt, got.ChangedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	want.Recurrence.Exceptions, got.Recurrence.Exceptions = nil, nil
	return assert.Equalf(t, want, got, "%s: fields other than the instants", what) && ok
}

// assertStored checks that Get returns want.
func assertStored(t *testing.T, s maintenance.Store, want maintenance.Window) bool {
	t.Helper()
	got, err := s.Get(t.Context(), want.ID)
	if !assert.NoErrorf(t, err, "Get(%d)", want.ID) {
		return false
	}
	return assertWindow(t, want, got, fmt.Sprintf("Get(%d)", want.ID))
}

func ids(ws []maintenance.Window) []int64 {
	out := make([]int64, len(ws))
	for i, w := range ws {
		out[i] = w.ID
	}
	return out
}

func byStartID(a, b maintenance.Window) int {
	if c := a.Start.Compare(b.Start); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}
