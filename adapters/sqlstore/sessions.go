package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/sysmaint/sysmaint/session"
)

// SessionStore is a [session.Store] kept in the table sysmaint_sessions of
// a [DB]. Get it from [DB.Sessions]. A SessionStore is safe for concurrent
// use, also with other processes sharing the file.
type SessionStore struct {
	db *sqlx.DB
	q  sessionQueries
}

var _ session.Store = (*SessionStore)(nil)

// Sessions returns the store of user sessions kept in d. The store holds
// no state of its own: every call returns an equivalent store over the
// same table.
func (d *DB) Sessions() *SessionStore { return newSessionStore(d.SQL()) }

// sessionQueries holds the statements of a SessionStore, written with ?
// and rebound for the driver once.
type sessionQueries struct {
	insert, get, list, touch, delete, exists, deleteExcept, deleteNonAdmin string
}

const sessionColumns = `id, kind, user_login, user_full_name, admin, remote_addr, user_agent,
	created_at_ms, last_request_at_ms`

func newSessionStore(db *sqlx.DB) *SessionStore {
	return &SessionStore{db: db, q: sessionQueries{
		// ON CONFLICT DO NOTHING (SQLite 3.24+, PostgreSQL) turns a
		// duplicate ID into "no row inserted" without parsing driver errors.
		insert: db.Rebind(`INSERT INTO sysmaint_sessions (` + sessionColumns + `)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
		get:            db.Rebind(`SELECT ` + sessionColumns + ` FROM sysmaint_sessions WHERE id = ?`),
		list:           db.Rebind(`SELECT ` + sessionColumns + ` FROM sysmaint_sessions ORDER BY created_at_ms, id`),
		touch:          db.Rebind(`UPDATE sysmaint_sessions SET last_request_at_ms = ? WHERE id = ?`),
		delete:         db.Rebind(`DELETE FROM sysmaint_sessions WHERE id = ?`),
		exists:         db.Rebind(`SELECT 1 FROM sysmaint_sessions WHERE id = ?`),
		deleteExcept:   db.Rebind(`DELETE FROM sysmaint_sessions WHERE id <> ?`),
		deleteNonAdmin: db.Rebind(`DELETE FROM sysmaint_sessions WHERE admin = 0`),
	}}
}

// sessionRow is a row of sysmaint_sessions.
type sessionRow struct {
	ID              string `db:"id"`
	Kind            int64  `db:"kind"`
	UserLogin       string `db:"user_login"`
	UserFullName    string `db:"user_full_name"`
	Admin           bool   `db:"admin"`
	RemoteAddr      string `db:"remote_addr"`
	UserAgent       string `db:"user_agent"`
	CreatedAtMS     int64  `db:"created_at_ms"`
	LastRequestAtMS int64  `db:"last_request_at_ms"`
}

func (r sessionRow) session() session.Session {
	return session.Session{
		ID:            r.ID,
		Kind:          session.Kind(r.Kind),
		UserLogin:     r.UserLogin,
		UserFullName:  r.UserFullName,
		Admin:         r.Admin,
		RemoteAddr:    r.RemoteAddr,
		UserAgent:     r.UserAgent,
		CreatedAt:     fromMS(r.CreatedAtMS),
		LastRequestAt: fromMS(r.LastRequestAtMS),
	}
}

// Create implements [session.Store].
func (s *SessionStore) Create(ctx context.Context, ss session.Session) error {
	op := fmt.Sprintf("create session %q", ss.ID)
	if err := ctx.Err(); err != nil {
		return sessionFail(ctx, op, err)
	}
	if err := ss.Validate(); err != nil {
		return fmt.Errorf("sqlstore: create session: %w", err)
	}
	res, err := s.db.ExecContext(ctx, s.q.insert,
		ss.ID, int64(ss.Kind), ss.UserLogin, ss.UserFullName, boolInt(ss.Admin),
		ss.RemoteAddr, ss.UserAgent, toMS(ss.CreatedAt), toMS(ss.LastRequestAt))
	if err != nil {
		return sessionFail(ctx, op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return sessionFail(ctx, op, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlstore: %s: %w", op, session.ErrExists)
	}
	return nil
}

// Get implements [session.Store].
func (s *SessionStore) Get(ctx context.Context, id string) (session.Session, error) {
	op := fmt.Sprintf("get session %q", id)
	if err := ctx.Err(); err != nil {
		return session.Session{}, sessionFail(ctx, op, err)
	}
	var r sessionRow
	if err := s.db.GetContext(ctx, &r, s.q.get, id); err != nil {
		return session.Session{}, sessionFail(ctx, op, err)
	}
	return r.session(), nil
}

// List implements [session.Store].
func (s *SessionStore) List(ctx context.Context) ([]session.Session, error) {
	const op = "list sessions"
	if err := ctx.Err(); err != nil {
		return nil, sessionFail(ctx, op, err)
	}
	var rows []sessionRow
	if err := s.db.SelectContext(ctx, &rows, s.q.list); err != nil {
		return nil, sessionFail(ctx, op, err)
	}
	out := make([]session.Session, len(rows))
	for i, r := range rows {
		out[i] = r.session()
	}
	return out, nil
}

// Touch implements [session.Store].
func (s *SessionStore) Touch(ctx context.Context, id string, at time.Time) error {
	op := fmt.Sprintf("touch session %q", id)
	if err := ctx.Err(); err != nil {
		return sessionFail(ctx, op, err)
	}
	if err := session.ValidateTouch(id, at); err != nil {
		return fmt.Errorf("sqlstore: touch session: %w", err)
	}
	if err := execOne(ctx, s.db, s.q.touch, toMS(at), id); err != nil {
		return sessionFail(ctx, op, err)
	}
	return nil
}

// Delete implements [session.Store].
func (s *SessionStore) Delete(ctx context.Context, id string) error {
	op := fmt.Sprintf("delete session %q", id)
	if err := ctx.Err(); err != nil {
		return sessionFail(ctx, op, err)
	}
	if err := execOne(ctx, s.db, s.q.delete, id); err != nil {
		return sessionFail(ctx, op, err)
	}
	return nil
}

// DeleteAllExcept implements [session.Store]: in one transaction, it
// checks that keepID exists and removes every other row with a single
// DELETE. The transaction begins IMMEDIATE (see [Open]), so no other writer
// can remove keepID or add a row between the check and the DELETE.
func (s *SessionStore) DeleteAllExcept(ctx context.Context, keepID string) (int, error) {
	op := fmt.Sprintf("delete sessions except %q", keepID)
	if err := ctx.Err(); err != nil {
		return 0, sessionFail(ctx, op, err)
	}
	if keepID == "" {
		return 0, fmt.Errorf("sqlstore: delete sessions except own: %w", session.ErrNoOwnSession)
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, sessionFail(ctx, op, err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit

	var one int
	if err := tx.GetContext(ctx, &one, s.q.exists, keepID); err != nil {
		return 0, sessionFail(ctx, op, err) // sql.ErrNoRows: not found
	}
	res, err := tx.ExecContext(ctx, s.q.deleteExcept, keepID)
	if err != nil {
		return 0, sessionFail(ctx, op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, sessionFail(ctx, op, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, sessionFail(ctx, op, err)
	}
	return int(n), nil
}

// DeleteNonAdmin implements [session.Store] with a single DELETE.
func (s *SessionStore) DeleteNonAdmin(ctx context.Context) (int, error) {
	const op = "delete non-admin sessions"
	if err := ctx.Err(); err != nil {
		return 0, sessionFail(ctx, op, err)
	}
	res, err := s.db.ExecContext(ctx, s.q.deleteNonAdmin)
	if err != nil {
		return 0, sessionFail(ctx, op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, sessionFail(ctx, op, err)
	}
	return int(n), nil
}

// sessionFail translates a driver error at the boundary and wraps it with
// the operation: sql.ErrNoRows becomes session.ErrNotFound; when ctx is
// done, its error is kept in the chain even if the driver reported the
// interruption in words of its own.
func sessionFail(ctx context.Context, op string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		err = session.ErrNotFound
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("sqlstore: %s: %w: %w", op, cerr, err)
	}
	return fmt.Errorf("sqlstore: %s: %w", op, err)
}
