// Package storebench holds the benchmarks of a change in force that the
// SQL stores run alike, so that their figures (README, Performance) are
// measured the same way: a write through the Manager, the reload after
// another instance's write, and the store's part of that reload.
package storebench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// Sizes are the window counts of the benchmarks.
var Sizes = []int{1_000, 10_000, 100_000}

// Store is what the benchmarks need of a window store: it tells its
// revision and what changed since one.
type Store interface {
	maintenance.Store
	maintenance.ChangeTracker
	maintenance.ChangeLister
}

// Seed returns a store holding n valid one-off windows, and the store a
// second instance writes through: a second handle on the same data.
type Seed func(b *testing.B, n int) (store, other Store)

// Toggled returns w with its Stop half an hour later or back, so that each
// write changes the schedule.
func Toggled(w maintenance.Window, i int) maintenance.Window {
	w.Stop = w.Start.Add(time.Duration(60+30*(i%2)) * time.Minute)
	return w
}

// setup seeds n windows and returns a Manager over them, refreshed, the
// second instance's store, and the middle window as stored.
func setup(b *testing.B, seed Seed, n int) (*maintenance.Manager, Store, maintenance.Window) {
	b.Helper()
	ctx := context.Background()
	store, other := seed(b, n)
	m := maintenance.New(store, nil)
	require.NoError(b, m.Refresh(ctx))
	require.Equal(b, n, m.Schedule().Len())
	ws, err := store.List(ctx, maintenance.Valid)
	require.NoError(b, err)
	return m, other, ws[n/2]
}

// ManagerWrite measures one change through the Manager until it is in
// force: the write to the store and the schedule's update.
func ManagerWrite(b *testing.B, seed Seed) {
	ctx := context.Background()
	for _, n := range Sizes {
		b.Run(fmt.Sprintf("windows=%d", n), func(b *testing.B) {
			m, _, w := setup(b, seed, n)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				var err error
				if w, err = m.Update(ctx, Toggled(w, i), "bench"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// ManagerReload measures what Run does once another instance changed one
// window: Sync reads the change and puts it in force. The other
// instance's write is not timed.
func ManagerReload(b *testing.B, seed Seed) {
	ctx := context.Background()
	for _, n := range Sizes {
		b.Run(fmt.Sprintf("windows=%d", n), func(b *testing.B) {
			m, other, w := setup(b, seed, n)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				b.StopTimer()
				i++
				var err error
				if w, err = other.Update(ctx, Toggled(w, i)); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if err := m.Sync(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// ReadAfterChange measures the store's part of a reload after another
// instance changed one window: "changes" is what Sync reads
// (ChangesSince), "list" what a reload of every window reads. The first
// costs the same at every size.
func ReadAfterChange(b *testing.B, seed Seed) {
	ctx := context.Background()
	for _, n := range Sizes {
		_, other, w := setup(b, seed, n)
		rev, err := other.Revision(ctx)
		require.NoError(b, err)
		_, err = other.Update(ctx, Toggled(w, 1))
		require.NoError(b, err)
		b.Run(fmt.Sprintf("changes/windows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ch, err := other.ChangesSince(ctx, rev)
				if err != nil || len(ch.Windows) != 1 {
					b.Fatal(err, len(ch.Windows))
				}
			}
		})
		b.Run(fmt.Sprintf("list/windows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := other.List(ctx, maintenance.Valid); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
