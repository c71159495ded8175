package maintenancetest

import (
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/sysmaint/sysmaint/maintenance"
)

// Concurrency: concurrent creates, updates at the same version, and reads
// during writes.

func testConcurrentCreates(t *testing.T, s maintenance.Store) {
	const workers, each = 8, 20
	got := make([][]int64, workers)
	g, ctx := errgroup.WithContext(t.Context())
	for i := range workers {
		g.Go(func() error {
			for j := range each {
				w, err := s.Create(ctx, fixture(fmt.Sprintf("worker %d window %d", i, j), at(j), maintenance.Valid))
				if err != nil {
					return fmt.Errorf("worker %d create %d: %w", i, j, err)
				}
				if w.Version != 1 {
					return fmt.Errorf("worker %d create %d: Version %d, want 1", i, j, w.Version)
				}
				got[i] = append(got[i], w.ID)
			}
			return nil
		})
	}
	require.NoError(t, g.Wait())

	seen := map[int64]bool{}
	for i, l := range got {
		assert.True(t, slices.IsSorted(l), "worker %d: IDs of successive creates do not increase: %v", i, l)
		for _, id := range l {
			assert.False(t, seen[id], "ID %d handed out twice", id)
			seen[id] = true
		}
	}
	assert.Len(t, seen, workers*each)
	list := mustList(t, s)
	assert.Len(t, list, workers*each)
	for _, w := range list {
		assert.True(t, seen[w.ID], "listed ID %d was not returned by Create", w.ID)
	}
}

func testConcurrentUpdates(t *testing.T, s maintenance.Store) {
	const workers = 8
	base := mustCreate(t, s, fixture("contended", at(1), maintenance.Valid))
	var wins atomic.Int32
	winners := make([]maintenance.Window, workers)
	g, ctx := errgroup.WithContext(t.Context())
	for i := range workers {
		g.Go(func() error {
			u := base
			u.Comment = fmt.Sprintf("writer %d", i)
			got, err := s.Update(ctx, u)
			switch {
			case err == nil:
				wins.Add(1)
				winners[i] = got
				return nil
			case errors.Is(err, maintenance.ErrConflict):
				return nil
			default:
				return fmt.Errorf("writer %d: %w", i, err)
			}
		})
	}
	require.NoError(t, g.Wait())
	require.Equal(t, int32(1), wins.Load(), "updates at the same version that succeeded")
	for _, w := range winners {
		if w.ID != 0 {
			assert.Equal(t, base.Version+1, w.Version)
			assertStored(t, s, w)
		}
	}
}

func testConcurrentReadsWrites(t *testing.T, s maintenance.Store) {
	seed := mustCreate(t, s, fixture("seed", at(0), maintenance.Valid))
	g, ctx := errgroup.WithContext(t.Context())
	for i := range 2 {
		g.Go(func() error { // writer
			for j := range 15 {
				w, err := s.Create(ctx, fixture(fmt.Sprintf("writer %d window %d", i, j), at(j%5), maintenance.Validities[j%3]))
				if err != nil {
					return err
				}
				w.Comment += " updated"
				if w, err = s.Update(ctx, w); err != nil {
					return err
				}
				if j%2 == 0 {
					if err := s.Delete(ctx, w.ID); err != nil {
						return err
					}
				}
			}
			return nil
		})
		g.Go(func() error { // reader
			for range 30 {
				ws, err := s.List(ctx)
				if err != nil {
					return err
				}
				if !slices.IsSortedFunc(ws, byStartID) {
					return fmt.Errorf("List is not sorted by Start, then ID: %v", ids(ws))
				}
				if _, err := s.Get(ctx, seed.ID); err != nil {
					return err
				}
				if _, err := s.List(ctx, maintenance.Valid); err != nil {
					return err
				}
			}
			return nil
		})
	}
	require.NoError(t, g.Wait())
	assert.Len(t, mustList(t, s), 1+2*7)
	assertStored(t, s, seed)
}
