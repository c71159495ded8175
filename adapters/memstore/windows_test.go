package memstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/maintenance/maintenancetest"
)

func TestConformance(t *testing.T) {
	maintenancetest.RunStoreTests(t, func(*testing.T) maintenance.Store { return memstore.NewWindowStore() })
}

// TestWindowStore_ChangesSinceForgets: a store that keeps k changes
// answers for the revisions at most k changes behind, and some more until
// it cuts its log; older ones are unknown.
func TestWindowStore_ChangesSinceForgets(t *testing.T) {
	ctx := t.Context()
	s := memstore.NewWindowStore()
	memstore.SetKeep(s, 5)
	start := time.Date(2026, time.November, 24, 12, 0, 0, 0, time.UTC)
	revs := []int64{0}
	for i := range 11 {
		w, err := s.Create(ctx, maintenance.Window{Start: start, Stop: start.Add(time.Hour), Comment: fmt.Sprint(i)})
		require.NoError(t, err)
		require.NoError(t, s.Delete(ctx, w.ID))
		r, err := s.Revision(ctx)
		require.NoError(t, err)
		revs = append(revs, r)
	}
	// 22 changes: the log was cut at the eleventh and at the seventeenth,
	// keeping the last five each time (7 to 11, then 13 to 17); so it
	// answers from revision 12.
	for _, rev := range revs {
		ch, err := s.ChangesSince(ctx, rev)
		if rev < 12 {
			assert.ErrorIs(t, err, maintenance.ErrRevisionUnknown, "revision %d", rev)
			continue
		}
		require.NoError(t, err, "revision %d", rev)
		assert.Len(t, ch.Deleted, int(22-rev)/2, "revision %d", rev)
		assert.Empty(t, ch.Windows)
		assert.Equal(t, int64(22), ch.Revision)
	}
}
