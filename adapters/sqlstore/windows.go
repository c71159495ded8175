package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/sysmaint/sysmaint/maintenance"
)

// WindowStore is a [maintenance.Store] and [maintenance.ChangeTracker]
// kept in the table sysmaint_windows of a [DB]. Get it from [DB.Windows].
// Its Revision is bumped by triggers, so it moves for changes made by any
// process sharing the file. It is also a [maintenance.Checker]. A
// WindowStore is safe for concurrent use.
type WindowStore struct {
	db    *sqlx.DB
	check func(context.Context) error
	q     windowQueries
}

var (
	_ maintenance.Store         = (*WindowStore)(nil)
	_ maintenance.ChangeTracker = (*WindowStore)(nil)
	_ maintenance.Checker       = (*WindowStore)(nil)
)

// windowQueries holds the statements of a WindowStore, written with ? and
// rebound for the driver once.
type windowQueries struct {
	insert, get, update, version, delete, list, listIn, revision string
}

const windowColumns = `id, start_ms, stop_ms, comment, login_message, show_login_message,
	notify_message, validity, lead_ms, created_at_ms, created_by, changed_at_ms, changed_by, version`

func newWindowStore(db *sqlx.DB, check func(context.Context) error) *WindowStore {
	return &WindowStore{db: db, check: check, q: windowQueries{
		insert: db.Rebind(`INSERT INTO sysmaint_windows (start_ms, stop_ms, comment, login_message,
			show_login_message, notify_message, validity, lead_ms, created_at_ms, created_by,
			changed_at_ms, changed_by, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`),
		get: db.Rebind(`SELECT ` + windowColumns + ` FROM sysmaint_windows WHERE id = ?`),
		update: db.Rebind(`UPDATE sysmaint_windows SET start_ms = ?, stop_ms = ?, comment = ?,
			login_message = ?, show_login_message = ?, notify_message = ?, validity = ?, lead_ms = ?,
			changed_at_ms = ?, changed_by = ?, version = version + 1
			WHERE id = ? AND version = ?`),
		version:  db.Rebind(`SELECT version FROM sysmaint_windows WHERE id = ?`),
		delete:   db.Rebind(`DELETE FROM sysmaint_windows WHERE id = ?`),
		list:     db.Rebind(`SELECT ` + windowColumns + ` FROM sysmaint_windows ORDER BY start_ms, id`),
		listIn:   `SELECT ` + windowColumns + ` FROM sysmaint_windows WHERE validity IN (?) ORDER BY start_ms, id`, // expanded by sqlx.In, then rebound
		revision: db.Rebind(`SELECT revision FROM sysmaint_windows_revision WHERE id = 1`),
	}}
}

// windowRow is a row of sysmaint_windows.
type windowRow struct {
	ID               int64  `db:"id"`
	StartMS          int64  `db:"start_ms"`
	StopMS           int64  `db:"stop_ms"`
	Comment          string `db:"comment"`
	LoginMessage     string `db:"login_message"`
	ShowLoginMessage bool   `db:"show_login_message"`
	NotifyMessage    string `db:"notify_message"`
	Validity         int64  `db:"validity"`
	LeadMS           int64  `db:"lead_ms"`
	CreatedAtMS      int64  `db:"created_at_ms"`
	CreatedBy        string `db:"created_by"`
	ChangedAtMS      int64  `db:"changed_at_ms"`
	ChangedBy        string `db:"changed_by"`
	Version          int64  `db:"version"`
}

func (r windowRow) window() maintenance.Window {
	return maintenance.Window{
		ID:               r.ID,
		Start:            fromMS(r.StartMS),
		Stop:             fromMS(r.StopMS),
		Comment:          r.Comment,
		LoginMessage:     r.LoginMessage,
		ShowLoginMessage: r.ShowLoginMessage,
		NotifyMessage:    r.NotifyMessage,
		Validity:         maintenance.Validity(r.Validity),
		Lead:             time.Duration(r.LeadMS) * time.Millisecond,
		CreatedAt:        fromMS(r.CreatedAtMS),
		CreatedBy:        r.CreatedBy,
		ChangedAt:        fromMS(r.ChangedAtMS),
		ChangedBy:        r.ChangedBy,
		Version:          r.Version,
	}
}

// toMS returns t as Unix milliseconds, rounded down. The zero time is
// stored as its own value, -62135596800000, and read back as the zero time.
func toMS(t time.Time) int64 { return t.UnixMilli() }

// fromMS returns the UTC instant of Unix milliseconds ms.
func fromMS(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Create implements [maintenance.Store].
func (s *WindowStore) Create(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	if err := ctx.Err(); err != nil {
		return maintenance.Window{}, fail(ctx, "create window", err)
	}
	w = w.Normalize()
	res, err := s.db.ExecContext(ctx, s.q.insert,
		toMS(w.Start), toMS(w.Stop), w.Comment, w.LoginMessage, boolInt(w.ShowLoginMessage),
		w.NotifyMessage, int64(w.Validity), w.Lead.Milliseconds(),
		toMS(w.CreatedAt), w.CreatedBy, toMS(w.ChangedAt), w.ChangedBy)
	if err != nil {
		return maintenance.Window{}, fail(ctx, "create window", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return maintenance.Window{}, fail(ctx, "create window", err)
	}
	w.ID, w.Version = id, 1
	return w, nil
}

// Get implements [maintenance.Store].
func (s *WindowStore) Get(ctx context.Context, id int64) (maintenance.Window, error) {
	if err := ctx.Err(); err != nil {
		return maintenance.Window{}, fail(ctx, fmt.Sprintf("get window %d", id), err)
	}
	var r windowRow
	if err := s.db.GetContext(ctx, &r, s.q.get, id); err != nil {
		return maintenance.Window{}, fail(ctx, fmt.Sprintf("get window %d", id), err)
	}
	return r.window(), nil
}

// Update implements [maintenance.Store]. It runs one UPDATE guarded by the
// ID and the Version; when that touches no row, it tells an unknown ID from
// a stale Version in the same transaction.
func (s *WindowStore) Update(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	op := fmt.Sprintf("update window %d", w.ID)
	if err := ctx.Err(); err != nil {
		return maintenance.Window{}, fail(ctx, op, err)
	}
	w = w.Normalize()
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return maintenance.Window{}, fail(ctx, op, err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit

	res, err := tx.ExecContext(ctx, s.q.update,
		toMS(w.Start), toMS(w.Stop), w.Comment, w.LoginMessage, boolInt(w.ShowLoginMessage),
		w.NotifyMessage, int64(w.Validity), w.Lead.Milliseconds(),
		toMS(w.ChangedAt), w.ChangedBy, w.ID, w.Version)
	if err != nil {
		return maintenance.Window{}, fail(ctx, op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return maintenance.Window{}, fail(ctx, op, err)
	}
	if n == 0 {
		var stored int64
		if err := tx.GetContext(ctx, &stored, s.q.version, w.ID); err != nil {
			return maintenance.Window{}, fail(ctx, op, err) // sql.ErrNoRows: not found
		}
		return maintenance.Window{}, fmt.Errorf("sqlstore: %s at version %d (stored %d): %w",
			op, w.Version, stored, maintenance.ErrConflict)
	}
	var r windowRow
	if err := tx.GetContext(ctx, &r, s.q.get, w.ID); err != nil {
		return maintenance.Window{}, fail(ctx, op, err)
	}
	if err := tx.Commit(); err != nil {
		return maintenance.Window{}, fail(ctx, op, err)
	}
	return r.window(), nil
}

// Delete implements [maintenance.Store].
func (s *WindowStore) Delete(ctx context.Context, id int64) error {
	op := fmt.Sprintf("delete window %d", id)
	if err := ctx.Err(); err != nil {
		return fail(ctx, op, err)
	}
	if err := execOne(ctx, s.db, s.q.delete, id); err != nil {
		return fail(ctx, op, err)
	}
	return nil
}

// execOne runs q, which must touch one row, and returns sql.ErrNoRows when
// it touches none; the caller translates the error for its store.
func execOne(ctx context.Context, db *sqlx.DB, q string, args ...any) error {
	res, err := db.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return sql.ErrNoRows
	}
	return nil
}

// List implements [maintenance.Store].
func (s *WindowStore) List(ctx context.Context, validity ...maintenance.Validity) ([]maintenance.Window, error) {
	const op = "list windows"
	if err := ctx.Err(); err != nil {
		return nil, fail(ctx, op, err)
	}
	q, args := s.q.list, []any(nil)
	if len(validity) > 0 {
		vs := make([]int64, len(validity))
		for i, v := range validity {
			vs[i] = int64(v)
		}
		var err error
		if q, args, err = sqlx.In(s.q.listIn, vs); err != nil {
			return nil, fail(ctx, op, err)
		}
		q = s.db.Rebind(q)
	}
	var rows []windowRow
	if err := s.db.SelectContext(ctx, &rows, q, args...); err != nil {
		return nil, fail(ctx, op, err)
	}
	out := make([]maintenance.Window, len(rows))
	for i, r := range rows {
		out[i] = r.window()
	}
	return out, nil
}

// Revision implements [maintenance.ChangeTracker]: it reads the counter
// that triggers bump on every insert, update and delete of a window, so it
// sees changes made through any connection or process.
func (s *WindowStore) Revision(ctx context.Context) (int64, error) {
	const op = "read revision"
	if err := ctx.Err(); err != nil {
		return 0, fail(ctx, op, err)
	}
	var rev int64
	if err := s.db.GetContext(ctx, &rev, s.q.revision); err != nil {
		return 0, fail(ctx, op, err)
	}
	return rev, nil
}

// Check implements [maintenance.Checker] with [DB.Check] of the DB the
// store lives in: nil when the file is in place and writes go through.
func (s *WindowStore) Check(ctx context.Context) error { return s.check(ctx) }

// fail translates a driver error at the boundary and wraps it with the
// operation: sql.ErrNoRows becomes maintenance.ErrNotFound; when ctx is
// done, its error is kept in the chain even if the driver reported the
// interruption in words of its own.
func fail(ctx context.Context, op string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		err = maintenance.ErrNotFound
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("sqlstore: %s: %w: %w", op, cerr, err)
	}
	return fmt.Errorf("sqlstore: %s: %w", op, err)
}
