package pgstore

import (
	"context"

	"github.com/sysmaint/sysmaint/adapters/internal/sqlcore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// WindowStore is a [maintenance.Store] and [maintenance.ChangeTracker] kept
// in the table sysmaint_windows of a [DB]. Get it from [DB.Windows]. Its
// Revision is bumped by a trigger, so it moves for changes made by any
// instance sharing the database. It is also a [maintenance.PageLister]:
// one page of windows costs one indexed query. A WindowStore is safe for
// concurrent use.
type WindowStore struct {
	w  *sqlcore.Windows
	db *DB
}

var (
	_ maintenance.Store         = (*WindowStore)(nil)
	_ maintenance.ChangeTracker = (*WindowStore)(nil)
	_ maintenance.PageLister    = (*WindowStore)(nil)
)

// Create implements [maintenance.Store].
func (s *WindowStore) Create(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	return s.w.Create(ctx, w)
}

// Get implements [maintenance.Store].
func (s *WindowStore) Get(ctx context.Context, id int64) (maintenance.Window, error) {
	return s.w.Get(ctx, id)
}

// Update implements [maintenance.Store]: one UPDATE guarded by the ID and
// the Version, so of two updates made from the same version exactly one
// wins, at any isolation level.
func (s *WindowStore) Update(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	return s.w.Update(ctx, w)
}

// Delete implements [maintenance.Store].
func (s *WindowStore) Delete(ctx context.Context, id int64) error { return s.w.Delete(ctx, id) }

// List implements [maintenance.Store].
func (s *WindowStore) List(ctx context.Context, validity ...maintenance.Validity) ([]maintenance.Window, error) {
	return s.w.List(ctx, validity...)
}

// ListPage implements [maintenance.PageLister]: one page of windows from
// an indexed query, whatever the number of windows before or after it.
func (s *WindowStore) ListPage(ctx context.Context, q maintenance.PageQuery) (maintenance.Page, error) {
	return s.w.ListPage(ctx, q)
}

// Revision implements [maintenance.ChangeTracker]: it reads the counter a
// trigger bumps on every insert, update and delete of a window.
func (s *WindowStore) Revision(ctx context.Context) (int64, error) { return s.w.Revision(ctx) }
