package sqlstore

import (
	"context"
	"time"

	"github.com/sysmaint/sysmaint/adapters/internal/sqlcore"
	"github.com/sysmaint/sysmaint/session"
)

// SessionStore is a [session.Store] and [session.Counter] kept in the table
// sysmaint_sessions of a [DB]. Get it from [DB.Sessions]. A SessionStore is
// safe for concurrent use, also with other processes sharing the file.
type SessionStore struct{ s *sqlcore.Sessions }

var (
	_ session.Store   = (*SessionStore)(nil)
	_ session.Counter = (*SessionStore)(nil)
)

// Sessions returns the store of user sessions kept in d. The store holds
// no state of its own: every call returns an equivalent store over the
// same table.
func (d *DB) Sessions() *SessionStore {
	return &SessionStore{s: sqlcore.NewSessions(d.db, "sqlstore", nil, sqlcore.SQLite)}
}

// Create implements [session.Store].
func (s *SessionStore) Create(ctx context.Context, ss session.Session) error {
	return s.s.Create(ctx, ss)
}

// Get implements [session.Store].
func (s *SessionStore) Get(ctx context.Context, id string) (session.Session, error) {
	return s.s.Get(ctx, id)
}

// List implements [session.Store].
func (s *SessionStore) List(ctx context.Context) ([]session.Session, error) { return s.s.List(ctx) }

// Touch implements [session.Store].
func (s *SessionStore) Touch(ctx context.Context, id string, at time.Time) error {
	return s.s.Touch(ctx, id, at)
}

// Delete implements [session.Store].
func (s *SessionStore) Delete(ctx context.Context, id string) error { return s.s.Delete(ctx, id) }

// DeleteAllExcept implements [session.Store] with one DELETE that removes
// every other session only if keepID exists.
func (s *SessionStore) DeleteAllExcept(ctx context.Context, keepID string) (int, error) {
	return s.s.DeleteAllExcept(ctx, keepID)
}

// DeleteNonAdmin implements [session.Store] with one DELETE.
func (s *SessionStore) DeleteNonAdmin(ctx context.Context) (int, error) {
	return s.s.DeleteNonAdmin(ctx)
}

// Counts implements [session.Counter] with one aggregate query.
func (s *SessionStore) Counts(ctx context.Context) (session.Counts, error) {
	return s.s.Counts(ctx)
}
