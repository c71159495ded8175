package sqlcore

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/sysmaint/sysmaint/session"
)

// Sessions is a [session.Store] and [session.Counter] over the table
// sysmaint_sessions. It is safe for concurrent use.
type Sessions struct {
	db    *sqlx.DB
	pkg   string
	ready func(context.Context) error // see NewWindows
	q     sessionQueries
}

// sessionQueries holds the statements of a Sessions, rebound for the
// driver once.
type sessionQueries struct {
	insert, get, list, touch, delete, exists, deleteExcept, deleteNonAdmin, counts string
	// serialize takes a lock held until the transaction ends, so that
	// concurrent DeleteAllExcept calls run one after the other
	// (PostgreSQL); "" where writers run one at a time anyway (SQLite).
	serialize string
}

const sessionColumns = `id, kind, user_login, user_full_name, admin, remote_addr, user_agent,
	created_at_ms, last_request_at_ms`

// NewSessions returns the session store over db, an engine of the given
// dialect; pkg prefixes its errors and ready is called before every
// operation, as for [NewWindows].
func NewSessions(db *sqlx.DB, pkg string, ready func(context.Context) error, dialect Dialect) *Sessions {
	var serialize string
	if dialect == Postgres {
		serialize = `SELECT pg_advisory_xact_lock(hashtextextended('sysmaint delete sessions except ' || current_schema(), 0))`
	}
	return &Sessions{db: db, pkg: pkg, ready: ready, q: sessionQueries{
		serialize: serialize,
		// ON CONFLICT DO NOTHING turns a duplicate ID into "no row
		// inserted" without parsing driver errors.
		insert: db.Rebind(`INSERT INTO sysmaint_sessions (` + sessionColumns + `)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
		get:    db.Rebind(`SELECT ` + sessionColumns + ` FROM sysmaint_sessions WHERE id = ?`),
		list:   db.Rebind(`SELECT ` + sessionColumns + ` FROM sysmaint_sessions ORDER BY created_at_ms, id`),
		touch:  db.Rebind(`UPDATE sysmaint_sessions SET last_request_at_ms = ? WHERE id = ?`),
		delete: db.Rebind(`DELETE FROM sysmaint_sessions WHERE id = ?`),
		exists: db.Rebind(`SELECT COUNT(*) FROM sysmaint_sessions WHERE id = ?`),
		// One statement: the check that the kept session exists and the
		// removal of every other row see the same snapshot, so the set is
		// removed whole or not at all.
		deleteExcept: db.Rebind(`DELETE FROM sysmaint_sessions WHERE id <> ?
			AND EXISTS (SELECT 1 FROM sysmaint_sessions WHERE id = ?)`),
		deleteNonAdmin: db.Rebind(`DELETE FROM sysmaint_sessions WHERE admin = FALSE`),
		// Sessions and distinct logins per kind, grouped by (kind, login)
		// first: a hash aggregate that both engines run in one pass (and
		// PostgreSQL in parallel), where COUNT(DISTINCT ...) would sort.
		counts: db.Rebind(`SELECT kind, CAST(SUM(n) AS BIGINT) AS sessions, COUNT(*) AS logins
			FROM (SELECT kind, user_login, COUNT(*) AS n FROM sysmaint_sessions GROUP BY kind, user_login) AS g
			GROUP BY kind`),
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
		CreatedAt:     FromMS(r.CreatedAtMS),
		LastRequestAt: FromMS(r.LastRequestAtMS),
	}
}

func (s *Sessions) fail(ctx context.Context, op string, err error) error {
	return fail(ctx, s.pkg, op, err, session.ErrNotFound)
}

// Create implements [session.Store].
func (s *Sessions) Create(ctx context.Context, ss session.Session) error {
	op := fmt.Sprintf("create session %q", ss.ID)
	if err := check(ctx, s.ready); err != nil {
		return s.fail(ctx, op, err)
	}
	if err := ss.Validate(); err != nil {
		return fmt.Errorf("%s: create session: %w", s.pkg, err)
	}
	n, err := execN(ctx, s.db, s.q.insert,
		ss.ID, int64(ss.Kind), ss.UserLogin, ss.UserFullName, ss.Admin,
		ss.RemoteAddr, ss.UserAgent, ToMS(ss.CreatedAt), ToMS(ss.LastRequestAt))
	if err != nil {
		return s.fail(ctx, op, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %s: %w", s.pkg, op, session.ErrExists)
	}
	return nil
}

// Get implements [session.Store].
func (s *Sessions) Get(ctx context.Context, id string) (session.Session, error) {
	op := fmt.Sprintf("get session %q", id)
	if err := check(ctx, s.ready); err != nil {
		return session.Session{}, s.fail(ctx, op, err)
	}
	if !storable(id) {
		return session.Session{}, s.fail(ctx, op, session.ErrNotFound)
	}
	var r sessionRow
	if err := s.db.GetContext(ctx, &r, s.q.get, id); err != nil {
		return session.Session{}, s.fail(ctx, op, err)
	}
	return r.session(), nil
}

// List implements [session.Store].
func (s *Sessions) List(ctx context.Context) ([]session.Session, error) {
	const op = "list sessions"
	if err := check(ctx, s.ready); err != nil {
		return nil, s.fail(ctx, op, err)
	}
	var rows []sessionRow
	if err := s.db.SelectContext(ctx, &rows, s.q.list); err != nil {
		return nil, s.fail(ctx, op, err)
	}
	out := make([]session.Session, len(rows))
	for i, r := range rows {
		out[i] = r.session()
	}
	return out, nil
}

// Touch implements [session.Store].
func (s *Sessions) Touch(ctx context.Context, id string, at time.Time) error {
	op := fmt.Sprintf("touch session %q", id)
	if err := check(ctx, s.ready); err != nil {
		return s.fail(ctx, op, err)
	}
	if err := session.ValidateTouch(id, at); err != nil {
		return fmt.Errorf("%s: touch session: %w", s.pkg, err)
	}
	if !storable(id) {
		return s.fail(ctx, op, session.ErrNotFound)
	}
	if err := execOne(ctx, s.db, s.q.touch, ToMS(at), id); err != nil {
		return s.fail(ctx, op, err)
	}
	return nil
}

// Delete implements [session.Store].
func (s *Sessions) Delete(ctx context.Context, id string) error {
	op := fmt.Sprintf("delete session %q", id)
	if err := check(ctx, s.ready); err != nil {
		return s.fail(ctx, op, err)
	}
	if !storable(id) {
		return s.fail(ctx, op, session.ErrNotFound)
	}
	if err := execOne(ctx, s.db, s.q.delete, id); err != nil {
		return s.fail(ctx, op, err)
	}
	return nil
}

// DeleteAllExcept implements [session.Store] with one DELETE that removes
// every other row only if keepID exists, in a transaction. When it removed
// nothing, a count of keepID tells "nothing else to remove" from "keepID
// unknown". On PostgreSQL the transaction first takes an advisory lock, so
// that of two concurrent calls with different own sessions the second
// runs after the first committed and finds its own session gone: at READ
// COMMITTED its DELETE would otherwise check keepID in the snapshot its
// statement began with, and remove the first caller's session after the
// first caller removed its own. SQLite runs one writing transaction at a
// time.
func (s *Sessions) DeleteAllExcept(ctx context.Context, keepID string) (int, error) {
	op := fmt.Sprintf("delete sessions except %q", keepID)
	if err := check(ctx, s.ready); err != nil {
		return 0, s.fail(ctx, op, err)
	}
	if keepID == "" {
		return 0, fmt.Errorf("%s: delete sessions except own: %w", s.pkg, session.ErrNoOwnSession)
	}
	if !storable(keepID) {
		return 0, s.fail(ctx, op, session.ErrNotFound)
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, s.fail(ctx, op, err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit
	if s.q.serialize != "" {
		if _, err := tx.ExecContext(ctx, s.q.serialize); err != nil {
			return 0, s.fail(ctx, op, err)
		}
	}
	n, err := execN(ctx, tx, s.q.deleteExcept, keepID, keepID)
	if err != nil {
		return 0, s.fail(ctx, op, err)
	}
	if n == 0 {
		var kept int
		if err := tx.GetContext(ctx, &kept, s.q.exists, keepID); err != nil {
			return 0, s.fail(ctx, op, err)
		}
		if kept == 0 {
			return 0, fmt.Errorf("%s: %s: %w", s.pkg, op, session.ErrNotFound)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, s.fail(ctx, op, err)
	}
	return int(n), nil
}

// DeleteNonAdmin implements [session.Store] with one DELETE.
func (s *Sessions) DeleteNonAdmin(ctx context.Context) (int, error) {
	const op = "delete non-admin sessions"
	if err := check(ctx, s.ready); err != nil {
		return 0, s.fail(ctx, op, err)
	}
	n, err := execN(ctx, s.db, s.q.deleteNonAdmin)
	if err != nil {
		return 0, s.fail(ctx, op, err)
	}
	return int(n), nil
}

// Counts implements [session.Counter] with one aggregate query: no row
// leaves the database.
func (s *Sessions) Counts(ctx context.Context) (session.Counts, error) {
	const op = "count sessions"
	if err := check(ctx, s.ready); err != nil {
		return session.Counts{}, s.fail(ctx, op, err)
	}
	var rows []struct {
		Kind     int64 `db:"kind"`
		Sessions int   `db:"sessions"`
		Logins   int   `db:"logins"`
	}
	if err := s.db.SelectContext(ctx, &rows, s.q.counts); err != nil {
		return session.Counts{}, s.fail(ctx, op, err)
	}
	var c session.Counts
	for _, r := range rows {
		c.All += r.Sessions
		switch session.Kind(r.Kind) {
		case session.Agent:
			c.Agents, c.UniqueAgents = r.Sessions, r.Logins
		case session.Customer:
			c.Customers, c.UniqueCustomers = r.Sessions, r.Logins
		}
	}
	return c, nil
}

// storable reports whether a session can have the ID id: one that is not
// valid UTF-8 text or is too long is refused by Create, so no row has it,
// and it is not sent to the database (PostgreSQL refuses such bytes in a
// query with an error of its own).
func storable(id string) bool {
	return len(id) <= session.MaxIDLen && utf8.ValidString(id) && strings.IndexByte(id, 0) < 0
}
