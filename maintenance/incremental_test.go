package maintenance_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// readCountingStore counts the reads a Manager makes of its store.
type readCountingStore struct {
	*memstore.WindowStore
	lists, changes, revisions atomic.Int32
	unknown                   atomic.Bool // ChangesSince answers ErrRevisionUnknown
}

func (s *readCountingStore) List(ctx context.Context, v ...maintenance.Validity) ([]maintenance.Window, error) {
	s.lists.Add(1)
	return s.WindowStore.List(ctx, v...)
}

func (s *readCountingStore) ChangesSince(ctx context.Context, rev int64) (maintenance.Changes, error) {
	s.changes.Add(1)
	if s.unknown.Load() {
		return maintenance.Changes{}, fmt.Errorf("test: %w", maintenance.ErrRevisionUnknown)
	}
	return s.WindowStore.ChangesSince(ctx, rev)
}

func (s *readCountingStore) Revision(ctx context.Context) (int64, error) {
	s.revisions.Add(1)
	return s.WindowStore.Revision(ctx)
}

func (s *readCountingStore) reads() int32 {
	return s.lists.Load() + s.changes.Load() + s.revisions.Load()
}

// assertScheduleOfStore checks that m's schedule holds the valid windows
// of the store, as a full reload would compile them.
func assertScheduleOfStore(t *testing.T, m *maintenance.Manager, store maintenance.Store, what string) {
	t.Helper()
	all, err := store.List(context.Background(), maintenance.Valid)
	require.NoError(t, err)
	want := maintenance.CompileHorizon(all, m.Lead(), m.Schedule().Horizon())
	got := m.Schedule()
	assert.Equal(t, want.Windows(), got.Windows(), "%s: the windows in force", what)
	assert.Equal(t, want.Occurrences(), got.Occurrences(), "%s: the occurrences", what)
	for h := -2; h < 30; h++ {
		at := base.Add(time.Duration(h) * time.Hour)
		ws, gs := want.At(at), got.At(at)
		assert.Equal(t, ws.Active(), gs.Active(), "%s: active at %s", what, at)
		assert.Equal(t, ws.Next(), gs.Next(), "%s: next at %s", what, at)
		assert.Equal(t, ws.End(), gs.End(), "%s: end at %s", what, at)
	}
}

// TestManager_WriteReadsNoStore: a write through the Manager is in force
// when it returns, and the Manager read nothing from the store for it.
func TestManager_WriteReadsNoStore(t *testing.T) {
	ctx := context.Background()
	store := &readCountingStore{WindowStore: memstore.NewWindowStore()}
	m, _ := newManager(t, store)
	reads := store.reads()

	w, err := m.Add(ctx, validWindow(), "alice") // base to base+1h
	require.NoError(t, err)
	assert.True(t, m.StatusAt(base).Active(), "after Add")
	w.Stop = base.Add(2 * time.Hour)
	w, err = m.Update(ctx, w, "alice")
	require.NoError(t, err)
	assert.Equal(t, base.Add(2*time.Hour), m.StatusAt(base).End(), "after Update")
	w.Validity = maintenance.InvalidTemporarily
	w, err = m.Update(ctx, w, "alice")
	require.NoError(t, err)
	assert.False(t, m.StatusAt(base).Active(), "after Update to invalid")
	w.Validity = maintenance.Valid
	_, err = m.Update(ctx, w, "alice")
	require.NoError(t, err)
	assert.True(t, m.StatusAt(base).Active(), "after Update to valid again")
	require.NoError(t, m.Delete(ctx, w.ID))
	assert.False(t, m.StatusAt(base).Active(), "after Delete")

	series, err := m.Add(ctx, weekly(t, 0), "alice")
	require.NoError(t, err)
	moved, _, err := m.MoveOccurrence(ctx, series.ID, base.Add(week), base.Add(week+3*time.Hour), base.Add(week+4*time.Hour),
		series.Version, "alice")
	require.NoError(t, err)
	assert.False(t, m.StatusAt(base.Add(week)).Active(), "the occurrence moved away")
	assert.True(t, m.StatusAt(moved.Start).Active(), "the occurrence moved there")

	assert.Equal(t, reads, store.reads(), "no read of the store for writes put in force")
	assertScheduleOfStore(t, m, store, "after the writes")
}

// TestManager_SyncReadsWhatChanged: after another process's write, Sync
// reads what changed, not every window; after the Manager's own write, it
// reads the change but recompiles nothing.
func TestManager_SyncReadsWhatChanged(t *testing.T) {
	ctx := context.Background()
	store := &readCountingStore{WindowStore: memstore.NewWindowStore()}
	for i := range 50 {
		w := validWindow()
		w.Start, w.Stop = base.Add(time.Duration(i)*24*time.Hour), base.Add(time.Duration(i)*24*time.Hour+time.Hour)
		_, err := store.Create(ctx, w)
		require.NoError(t, err)
	}
	m, _ := newManager(t, store)
	other := maintenance.New(store.WindowStore, &maintenance.Options{Clock: newMock(), Logger: quiet})
	require.NoError(t, other.Refresh(ctx))
	lists := store.lists.Load()

	w, err := other.Get(ctx, 1)
	require.NoError(t, err)
	w.Stop = base.Add(3 * time.Hour)
	_, err = other.Update(ctx, w, "bob")
	require.NoError(t, err)
	require.NoError(t, other.Delete(ctx, 2))
	assert.Equal(t, base.Add(time.Hour), m.StatusAt(base).End(), "not seen before Sync")
	require.NoError(t, m.Sync(ctx))
	assert.Equal(t, base.Add(3*time.Hour), m.StatusAt(base).End(), "the update, seen")
	assert.Equal(t, 49, m.Schedule().Len(), "the deletion, seen")
	assert.Equal(t, lists, store.lists.Load(), "Sync listed no window")
	assert.Equal(t, int32(1), store.changes.Load(), "Sync read the changes")
	assertScheduleOfStore(t, m, store.WindowStore, "after Sync")

	// The Manager's own write: Sync reads it back, and changes nothing.
	mine, err := m.Add(ctx, validWindow(), "alice")
	require.NoError(t, err)
	sched, changed := m.Schedule(), m.Changed()
	require.NoError(t, m.Sync(ctx))
	assert.Equal(t, int32(2), store.changes.Load())
	assert.Same(t, sched, m.Schedule(), "no recompile for a change already in force")
	select {
	case <-changed:
		t.Error("Changed closed for a change already in force")
	default:
	}
	assert.Contains(t, m.Schedule().Windows(), mine)
	assert.Equal(t, lists, store.lists.Load())
}

// TestManager_SyncLoadsAllWhenTheStoreCannotTell: a store that cannot list
// the changes since the schedule's revision is read whole.
func TestManager_SyncLoadsAllWhenTheStoreCannotTell(t *testing.T) {
	ctx := context.Background()
	store := &readCountingStore{WindowStore: memstore.NewWindowStore()}
	m, _ := newManager(t, store)
	_, err := store.Create(ctx, validWindow()) // another process
	require.NoError(t, err)
	store.unknown.Store(true)
	lists := store.lists.Load()
	require.NoError(t, m.Sync(ctx))
	assert.Equal(t, lists+1, store.lists.Load(), "every window listed")
	assert.True(t, m.StatusAt(base).Active())
	assert.True(t, m.Health().OK())
}

// raceStore lets another process change the window an Update of the
// Manager just wrote, and the Manager load that change, before the Update
// puts its own write in force.
type raceStore struct {
	*memstore.WindowStore
	m     *maintenance.Manager
	armed bool
}

func (s *raceStore) Update(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	stored, err := s.WindowStore.Update(ctx, w)
	if err != nil || !s.armed {
		return stored, err
	}
	s.armed = false
	newer := stored
	newer.Validity = maintenance.Invalid
	if _, err := s.WindowStore.Update(ctx, newer); err != nil {
		return stored, err
	}
	return stored, s.m.Sync(ctx)
}

// TestManager_WriteNeverUndoesANewerChange: when the windows in force
// changed between a write and its being put in force, the write does not
// patch the schedule with what it wrote (older than what is in force) but
// asks the store.
func TestManager_WriteNeverUndoesANewerChange(t *testing.T) {
	ctx := context.Background()
	store := &raceStore{WindowStore: memstore.NewWindowStore()}
	m, _ := newManager(t, store)
	store.m = m
	w, err := m.Add(ctx, validWindow(), "alice")
	require.NoError(t, err)
	store.armed = true
	w.Comment = "changed, then made invalid by another process"
	_, err = m.Update(ctx, w, "alice")
	require.NoError(t, err)
	assert.False(t, m.StatusAt(base).Active(), "the newer change, invalid, stays in force")
	assert.Zero(t, m.Schedule().Len())
}

// TestManager_IncrementalAgreesWithFullReload makes random writes through
// one Manager, with a second following by Sync: after each, the schedule
// of each is the one a full reload compiles.
func TestManager_IncrementalAgreesWithFullReload(t *testing.T) {
	ctx := context.Background()
	store := memstore.NewWindowStore()
	writer, _ := newManager(t, store)
	reader, _ := newManager(t, store)
	rng := rand.New(rand.NewPCG(7, 11))
	var live []maintenance.Window
	for i := range 300 {
		what := ""
		switch op := rng.IntN(4); {
		case op == 0 || len(live) < 3:
			w := validWindow()
			w.Start = base.Add(time.Duration(rng.IntN(24*60)) * time.Minute)
			w.Stop = w.Start.Add(time.Duration(1+rng.IntN(180)) * time.Minute)
			w.Validity = maintenance.Validities[rng.IntN(3)]
			if rng.IntN(10) == 0 {
				w = weekly(t, 0)
				shift := time.Duration(rng.IntN(6)) * time.Hour
				w.Start, w.Stop = w.Start.Add(shift), w.Stop.Add(shift)
			}
			got, err := writer.Add(ctx, w, "alice")
			require.NoError(t, err)
			live = append(live, got)
			what = fmt.Sprintf("add %d", got.ID)
		case op == 1 || op == 2:
			k := rng.IntN(len(live))
			w := live[k]
			w.Stop = w.Stop.Add(time.Duration(rng.IntN(60)-20) * time.Minute)
			if !w.Stop.After(w.Start) {
				w.Stop = w.Start.Add(time.Minute)
			}
			w.Validity = maintenance.Validities[rng.IntN(3)]
			got, err := writer.Update(ctx, w, "alice")
			require.NoError(t, err)
			live[k] = got
			what = fmt.Sprintf("update %d", got.ID)
		default:
			k := rng.IntN(len(live))
			require.NoError(t, writer.Delete(ctx, live[k].ID))
			what = fmt.Sprintf("delete %d", live[k].ID)
			live = append(live[:k], live[k+1:]...)
		}
		assertScheduleOfStore(t, writer, store, fmt.Sprintf("writer, step %d (%s)", i, what))
		if rng.IntN(3) == 0 {
			require.NoError(t, reader.Sync(ctx))
			assertScheduleOfStore(t, reader, store, fmt.Sprintf("reader, step %d (%s)", i, what))
		}
	}
}

// TestManager_RecompileWhileReading recompiles the schedule (SetLead, and
// writes put in force) while other goroutines read the windows of the
// schedule in force, recurring ones included: schedules share their
// windows, and no recompile writes to them (run with -race).
func TestManager_RecompileWhileReading(t *testing.T) {
	ctx := context.Background()
	m, _ := newManager(t, memstore.NewWindowStore())
	_, err := m.Add(ctx, weekly(t, 0), "alice")
	require.NoError(t, err)
	one, err := m.Add(ctx, validWindow(), "alice")
	require.NoError(t, err)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				for _, w := range m.Schedule().Windows() {
					_ = w.Recurrence.Rule
				}
				if w, ok := m.StatusAt(base).Window(); ok {
					_ = w.Comment
				}
			}
		})
	}
	for i := range 20 {
		m.SetLead(time.Duration(30+i) * time.Minute)
		one.Comment = fmt.Sprint(i)
		one, err = m.Update(ctx, one, "alice")
		require.NoError(t, err)
	}
	close(done)
	wg.Wait()
}

// swappableStore is a store that can be replaced underneath, as a
// database restored from a backup is.
type swappableStore struct {
	mu sync.Mutex
	*memstore.WindowStore
}

func (s *swappableStore) inner() *memstore.WindowStore {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.WindowStore
}

func (s *swappableStore) List(ctx context.Context, v ...maintenance.Validity) ([]maintenance.Window, error) {
	return s.inner().List(ctx, v...)
}

func (s *swappableStore) Revision(ctx context.Context) (int64, error) { return s.inner().Revision(ctx) }

func (s *swappableStore) ChangesSince(ctx context.Context, rev int64) (maintenance.Changes, error) {
	return s.inner().ChangesSince(ctx, rev)
}

// TestManager_SyncAfterARestore: a store whose revision went back (restored
// from a backup) is read whole.
func TestManager_SyncAfterARestore(t *testing.T) {
	ctx := context.Background()
	store := &swappableStore{WindowStore: memstore.NewWindowStore()}
	m, _ := newManager(t, store)
	for range 3 {
		_, err := m.Add(ctx, validWindow(), "alice")
		require.NoError(t, err)
	}
	require.NoError(t, m.Sync(ctx))
	backup := memstore.NewWindowStore()
	w := validWindow()
	w.Start, w.Stop = base.Add(time.Hour), base.Add(2*time.Hour)
	_, err := backup.Create(ctx, w)
	require.NoError(t, err)
	store.mu.Lock()
	store.WindowStore = backup
	store.mu.Unlock()

	require.NoError(t, m.Sync(ctx))
	assertScheduleOfStore(t, m, backup, "after the restore")
	assert.Equal(t, 1, m.Schedule().Len())
}

// TestManager_SyncSeesASkippedOccurrence: an occurrence skipped through
// another Manager is gone from this one's schedule after Sync, read from
// the changes, and the next occurrence is still there.
func TestManager_SyncSeesASkippedOccurrence(t *testing.T) {
	ctx := context.Background()
	store := &readCountingStore{WindowStore: memstore.NewWindowStore()}
	m, _ := newManager(t, store)
	other := maintenance.New(store.WindowStore, &maintenance.Options{Clock: newMock(), Logger: quiet})
	w, err := other.Add(ctx, weekly(t, 0), "admin")
	require.NoError(t, err)
	require.NoError(t, m.Sync(ctx))
	second := base.Add(week)
	require.True(t, m.StatusAt(second).Active(), "the second occurrence, before the skip")
	lists := store.lists.Load()

	_, err = other.SkipOccurrence(ctx, w.ID, second, w.Version, "ops")
	require.NoError(t, err)
	require.NoError(t, m.Sync(ctx))
	assert.False(t, m.StatusAt(second).Active(), "skipped")
	assert.True(t, m.StatusAt(base.Add(2*week)).Active(), "the next one is not")
	assert.Equal(t, lists, store.lists.Load(), "Sync listed no window")
	assertScheduleOfStore(t, m, store.WindowStore, "after Sync")
}
