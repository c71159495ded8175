package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
)

// WindowStore is a maintenance.Store that keeps windows in memory. It is
// the reference implementation of the contract and the fake for tests; its
// Revision lets a Manager skip reloads when nothing changed. The zero value
// is not ready: use NewWindowStore. A WindowStore is safe for concurrent use.
type WindowStore struct {
	mu      sync.RWMutex
	windows map[int64]maintenance.Window
	lastID  int64
	rev     int64
}

// NewWindowStore returns an empty WindowStore.
func NewWindowStore() *WindowStore {
	return &WindowStore{windows: map[int64]maintenance.Window{}}
}

var (
	_ maintenance.Store         = (*WindowStore)(nil)
	_ maintenance.ChangeTracker = (*WindowStore)(nil)
	_ maintenance.PageLister    = (*WindowStore)(nil)
)

// Create implements maintenance.Store.
func (s *WindowStore) Create(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	if err := ctx.Err(); err != nil {
		return maintenance.Window{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastID++
	w = own(w.Normalize())
	w.ID, w.Version = s.lastID, 1
	s.windows[w.ID] = w
	s.rev++
	return own(w), nil
}

// Get implements maintenance.Store.
func (s *WindowStore) Get(ctx context.Context, id int64) (maintenance.Window, error) {
	if err := ctx.Err(); err != nil {
		return maintenance.Window{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	w, ok := s.windows[id]
	if !ok {
		return maintenance.Window{}, fmt.Errorf("memstore: get window %d: %w", id, maintenance.ErrNotFound)
	}
	return own(w), nil
}

// Update implements maintenance.Store.
func (s *WindowStore) Update(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	if err := ctx.Err(); err != nil {
		return maintenance.Window{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.windows[w.ID]
	if !ok {
		return maintenance.Window{}, fmt.Errorf("memstore: update window %d: %w", w.ID, maintenance.ErrNotFound)
	}
	if old.Version != w.Version {
		return maintenance.Window{}, fmt.Errorf("memstore: update window %d at version %d (stored %d): %w",
			w.ID, w.Version, old.Version, maintenance.ErrConflict)
	}
	w = own(w.Normalize())
	w.CreatedAt, w.CreatedBy = old.CreatedAt, old.CreatedBy
	w.Version = old.Version + 1
	s.windows[w.ID] = w
	s.rev++
	return own(w), nil
}

// Delete implements maintenance.Store.
func (s *WindowStore) Delete(ctx context.Context, id int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.windows[id]; !ok {
		return fmt.Errorf("memstore: delete window %d: %w", id, maintenance.ErrNotFound)
	}
	delete(s.windows, id)
	s.rev++
	return nil
}

// List implements maintenance.Store.
func (s *WindowStore) List(ctx context.Context, validity ...maintenance.Validity) ([]maintenance.Window, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	out := make([]maintenance.Window, 0, len(s.windows))
	for _, w := range s.windows {
		if len(validity) == 0 || slices.Contains(validity, w.Validity) {
			out = append(out, own(w))
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b maintenance.Window) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// own returns w with a copy of its exceptions, the one part of a window
// that could alias the caller's memory, and without an Occurrence, which a
// store does not keep.
func own(w maintenance.Window) maintenance.Window {
	w.Recurrence.Exceptions = slices.Clone(w.Recurrence.Exceptions)
	w.Occurrence = time.Time{}
	return w
}

// ListPage implements maintenance.PageLister with maintenance.SelectPage
// over List: it reads every window of the validities asked for, as the
// reference of the contract, not as a model of speed.
func (s *WindowStore) ListPage(ctx context.Context, q maintenance.PageQuery) (maintenance.Page, error) {
	if err := q.Validate(); err != nil {
		return maintenance.Page{}, fmt.Errorf("memstore: list a page of windows: %w", err)
	}
	ws, err := s.List(ctx, q.Validity...)
	if err != nil {
		return maintenance.Page{}, err
	}
	return maintenance.SelectPage(ws, q), nil
}

// Revision implements maintenance.ChangeTracker.
func (s *WindowStore) Revision(ctx context.Context) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.rev, nil
}
