package sqlcore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/sysmaint/sysmaint/maintenance"
)

// Windows is a [maintenance.Store], [maintenance.ChangeTracker] and
// [maintenance.ChangeLister] over the table sysmaint_windows, whose
// triggers keep the revision in sysmaint_windows_revision, stamp each row
// with the revision of its last write, and leave a tombstone of each
// deletion in sysmaint_window_deletions. It is safe for concurrent use.
type Windows struct {
	db    *sqlx.DB
	pkg   string                      // error prefix: the adapter's package name
	ready func(context.Context) error // called before each operation; nil for none
	q     windowQueries
}

// windowQueries holds the statements of a Windows, rebound for the driver
// once.
type windowQueries struct {
	insert, get, update, version, delete, list, listIn, revision string
	changesHead, changesFrom, changed, deleted                   string
}

const windowColumns = `id, start_ms, stop_ms, comment, login_message, show_login_message,
	notify_message, validity, lead_ms, recurrence_rule, recurrence_zone, recurrence_exceptions,
	created_at_ms, created_by, changed_at_ms, changed_by, version`

// NewWindows returns the window store over db; pkg prefixes its errors.
// ready, when not nil, is called before every operation (to migrate a
// database lazily, or to check that it is still the one opened); its error
// is returned, wrapped with the operation, and nothing is done.
func NewWindows(db *sqlx.DB, pkg string, ready func(context.Context) error) *Windows {
	return &Windows{db: db, pkg: pkg, ready: ready, q: windowQueries{
		insert: db.Rebind(`INSERT INTO sysmaint_windows (start_ms, stop_ms, comment, login_message,
			show_login_message, notify_message, validity, lead_ms, recurrence_rule, recurrence_zone,
			recurrence_exceptions, created_at_ms, created_by, changed_at_ms, changed_by, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`),
		get: db.Rebind(`SELECT ` + windowColumns + ` FROM sysmaint_windows WHERE id = ?`),
		// Guarded by ID and Version: of two updates made from the same
		// version exactly one matches. Versions only grow, so when no row
		// matched, a later read of the version tells a stale one from a
		// missing row without a transaction.
		update: db.Rebind(`UPDATE sysmaint_windows SET start_ms = ?, stop_ms = ?, comment = ?,
			login_message = ?, show_login_message = ?, notify_message = ?, validity = ?, lead_ms = ?,
			recurrence_rule = ?, recurrence_zone = ?, recurrence_exceptions = ?,
			changed_at_ms = ?, changed_by = ?, version = version + 1
			WHERE id = ? AND version = ? RETURNING ` + windowColumns),
		version:  db.Rebind(`SELECT version FROM sysmaint_windows WHERE id = ?`),
		delete:   db.Rebind(`DELETE FROM sysmaint_windows WHERE id = ?`),
		list:     db.Rebind(`SELECT ` + windowColumns + ` FROM sysmaint_windows ORDER BY start_ms, id`),
		listIn:   `SELECT ` + windowColumns + ` FROM sysmaint_windows WHERE validity IN (?) ORDER BY start_ms, id`, // expanded by sqlx.In, then rebound
		revision: db.Rebind(`SELECT revision FROM sysmaint_windows_revision WHERE id = 1`),

		changesHead: db.Rebind(`SELECT revision, changes_from FROM sysmaint_windows_revision WHERE id = 1`),
		changesFrom: db.Rebind(`SELECT changes_from FROM sysmaint_windows_revision WHERE id = 1`),
		// Ordered by revision, which the index gives, so that no planner
		// prefers a scan of the whole table in ID order; sorted by ID after.
		changed: db.Rebind(`SELECT ` + windowColumns + ` FROM sysmaint_windows WHERE revision > ? ORDER BY revision`),
		deleted: db.Rebind(`SELECT window_id FROM sysmaint_window_deletions WHERE revision > ? ORDER BY revision`),
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
	RecurrenceRule   string `db:"recurrence_rule"`
	RecurrenceZone   string `db:"recurrence_zone"`
	Exceptions       string `db:"recurrence_exceptions"`
	CreatedAtMS      int64  `db:"created_at_ms"`
	CreatedBy        string `db:"created_by"`
	ChangedAtMS      int64  `db:"changed_at_ms"`
	ChangedBy        string `db:"changed_by"`
	Version          int64  `db:"version"`
}

func (r windowRow) window() (maintenance.Window, error) {
	ex, err := DecodeInstants(r.Exceptions)
	if err != nil {
		return maintenance.Window{}, fmt.Errorf("window %d: recurrence_exceptions: %w", r.ID, err)
	}
	return maintenance.Window{
		ID:               r.ID,
		Start:            FromMS(r.StartMS),
		Stop:             FromMS(r.StopMS),
		Comment:          r.Comment,
		LoginMessage:     r.LoginMessage,
		ShowLoginMessage: r.ShowLoginMessage,
		NotifyMessage:    r.NotifyMessage,
		Validity:         maintenance.Validity(r.Validity),
		Lead:             time.Duration(r.LeadMS) * time.Millisecond,
		Recurrence: maintenance.Recurrence{
			Rule:       r.RecurrenceRule,
			Zone:       r.RecurrenceZone,
			Exceptions: ex,
		},
		CreatedAt: FromMS(r.CreatedAtMS),
		CreatedBy: r.CreatedBy,
		ChangedAt: FromMS(r.ChangedAtMS),
		ChangedBy: r.ChangedBy,
		Version:   r.Version,
	}, nil
}

// EncodeInstants writes instants as their Unix milliseconds in decimal,
// comma-separated, in the order given: the form of the column
// recurrence_exceptions. No instant is the empty string.
func EncodeInstants(ts []time.Time) string {
	b := make([]byte, 0, len(ts)*14)
	for i, t := range ts {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, ToMS(t), 10)
	}
	return string(b)
}

// DecodeInstants reads what EncodeInstants wrote, as UTC instants; the
// empty string is nil.
func DecodeInstants(s string) ([]time.Time, error) {
	if s == "" {
		return nil, nil
	}
	var out []time.Time
	for item := range strings.SplitSeq(s, ",") {
		ms, err := strconv.ParseInt(item, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a list of Unix milliseconds", s)
		}
		out = append(out, FromMS(ms))
	}
	return out, nil
}

// ToMS returns t as Unix milliseconds, rounded down. The zero time is
// stored as its own value, -62135596800000, and read back as the zero time.
func ToMS(t time.Time) int64 { return t.UnixMilli() }

// FromMS returns the UTC instant of Unix milliseconds ms.
func FromMS(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func (s *Windows) fail(ctx context.Context, op string, err error) error {
	return fail(ctx, s.pkg, op, err, maintenance.ErrNotFound)
}

// check returns ctx's error, or that of ready: what stops an operation
// before it starts.
func (s *Windows) check(ctx context.Context) error { return check(ctx, s.ready) }

// Create implements [maintenance.Store].
func (s *Windows) Create(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	const op = "create window"
	if err := s.check(ctx); err != nil {
		return maintenance.Window{}, s.fail(ctx, op, err)
	}
	w = w.Normalize()
	var id int64
	err := s.db.QueryRowxContext(ctx, s.q.insert,
		ToMS(w.Start), ToMS(w.Stop), w.Comment, w.LoginMessage, w.ShowLoginMessage,
		w.NotifyMessage, int64(w.Validity), w.Lead.Milliseconds(),
		w.Recurrence.Rule, w.Recurrence.Zone, EncodeInstants(w.Recurrence.Exceptions),
		ToMS(w.CreatedAt), w.CreatedBy, ToMS(w.ChangedAt), w.ChangedBy).Scan(&id)
	if err != nil {
		return maintenance.Window{}, s.fail(ctx, op, err)
	}
	w.ID, w.Version = id, 1
	w.Occurrence = time.Time{} // not stored
	return w, nil
}

// Get implements [maintenance.Store].
func (s *Windows) Get(ctx context.Context, id int64) (maintenance.Window, error) {
	op := fmt.Sprintf("get window %d", id)
	if err := s.check(ctx); err != nil {
		return maintenance.Window{}, s.fail(ctx, op, err)
	}
	var r windowRow
	if err := s.db.GetContext(ctx, &r, s.q.get, id); err != nil {
		return maintenance.Window{}, s.fail(ctx, op, err)
	}
	w, err := r.window()
	if err != nil {
		return maintenance.Window{}, s.fail(ctx, op, err)
	}
	return w, nil
}

// Update implements [maintenance.Store] with one UPDATE guarded by the ID
// and the Version; when that touches no row, a read of the stored version
// tells an unknown ID from a stale Version.
func (s *Windows) Update(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	op := fmt.Sprintf("update window %d", w.ID)
	if err := s.check(ctx); err != nil {
		return maintenance.Window{}, s.fail(ctx, op, err)
	}
	w = w.Normalize()
	var r windowRow
	err := s.db.QueryRowxContext(ctx, s.q.update,
		ToMS(w.Start), ToMS(w.Stop), w.Comment, w.LoginMessage, w.ShowLoginMessage,
		w.NotifyMessage, int64(w.Validity), w.Lead.Milliseconds(),
		w.Recurrence.Rule, w.Recurrence.Zone, EncodeInstants(w.Recurrence.Exceptions),
		ToMS(w.ChangedAt), w.ChangedBy, w.ID, w.Version).StructScan(&r)
	if err == nil {
		got, err := r.window()
		if err != nil {
			return maintenance.Window{}, s.fail(ctx, op, err)
		}
		return got, nil
	}
	if !isNoRows(err) {
		return maintenance.Window{}, s.fail(ctx, op, err)
	}
	var stored int64
	if err := s.db.GetContext(ctx, &stored, s.q.version, w.ID); err != nil {
		return maintenance.Window{}, s.fail(ctx, op, err) // no rows: not found
	}
	return maintenance.Window{}, fmt.Errorf("%s: %s at version %d (stored %d): %w",
		s.pkg, op, w.Version, stored, maintenance.ErrConflict)
}

// Delete implements [maintenance.Store].
func (s *Windows) Delete(ctx context.Context, id int64) error {
	op := fmt.Sprintf("delete window %d", id)
	if err := s.check(ctx); err != nil {
		return s.fail(ctx, op, err)
	}
	if err := execOne(ctx, s.db, s.q.delete, id); err != nil {
		return s.fail(ctx, op, err)
	}
	return nil
}

// List implements [maintenance.Store].
func (s *Windows) List(ctx context.Context, validity ...maintenance.Validity) ([]maintenance.Window, error) {
	const op = "list windows"
	if err := s.check(ctx); err != nil {
		return nil, s.fail(ctx, op, err)
	}
	q, args := s.q.list, []any(nil)
	if len(validity) > 0 {
		vs := make([]int64, len(validity))
		for i, v := range validity {
			vs[i] = int64(v)
		}
		var err error
		if q, args, err = sqlx.In(s.q.listIn, vs); err != nil {
			return nil, s.fail(ctx, op, err)
		}
		q = s.db.Rebind(q)
	}
	var rows []windowRow
	if err := s.db.SelectContext(ctx, &rows, q, args...); err != nil {
		return nil, s.fail(ctx, op, err)
	}
	out := make([]maintenance.Window, len(rows))
	for i, r := range rows {
		w, err := r.window()
		if err != nil {
			return nil, s.fail(ctx, op, err)
		}
		out[i] = w
	}
	return out, nil
}

// Revision implements [maintenance.ChangeTracker]: it reads the counter
// that triggers bump on every change to sysmaint_windows, so it sees
// changes made through any connection or process.
func (s *Windows) Revision(ctx context.Context) (int64, error) {
	const op = "read revision"
	if err := s.check(ctx); err != nil {
		return 0, s.fail(ctx, op, err)
	}
	var rev int64
	if err := s.db.GetContext(ctx, &rev, s.q.revision); err != nil {
		return 0, s.fail(ctx, op, err)
	}
	return rev, nil
}

// ChangesSince implements [maintenance.ChangeLister] with four indexed
// reads, each costing what changed after rev, whatever the number of
// windows: the revision and the oldest revision answered for, the rows
// stamped after rev, the tombstones after rev, and the oldest revision
// answered for again (tombstones pruned meanwhile make the answer
// unknown). They run outside a transaction, in that order, so the answer
// holds every change up to the revision read first, and perhaps later
// ones, as the contract allows; no SQLite write lock is taken.
func (s *Windows) ChangesSince(ctx context.Context, rev int64) (maintenance.Changes, error) {
	op := fmt.Sprintf("changes since revision %d", rev)
	if err := s.check(ctx); err != nil {
		return maintenance.Changes{}, s.fail(ctx, op, err)
	}
	var head struct {
		Revision int64 `db:"revision"`
		From     int64 `db:"changes_from"`
	}
	if err := s.db.GetContext(ctx, &head, s.q.changesHead); err != nil {
		return maintenance.Changes{}, s.fail(ctx, op, err)
	}
	unknown := func(from int64) error {
		return fmt.Errorf("%s: %s: the store answers for revisions %d to %d: %w",
			s.pkg, op, from, head.Revision, maintenance.ErrRevisionUnknown)
	}
	if rev < head.From || rev > head.Revision {
		return maintenance.Changes{}, unknown(head.From)
	}
	out := maintenance.Changes{Windows: []maintenance.Window{}, Deleted: []int64{}, Revision: head.Revision}
	if rev == head.Revision {
		return out, nil
	}
	var rows []windowRow
	if err := s.db.SelectContext(ctx, &rows, s.q.changed, rev); err != nil {
		return maintenance.Changes{}, s.fail(ctx, op, err)
	}
	for _, r := range rows {
		w, err := r.window()
		if err != nil {
			return maintenance.Changes{}, s.fail(ctx, op, err)
		}
		out.Windows = append(out.Windows, w)
	}
	if err := s.db.SelectContext(ctx, &out.Deleted, s.q.deleted, rev); err != nil {
		return maintenance.Changes{}, s.fail(ctx, op, err)
	}
	if out.Deleted == nil {
		out.Deleted = []int64{}
	}
	slices.SortFunc(out.Windows, func(a, b maintenance.Window) int { return cmp.Compare(a.ID, b.ID) })
	slices.Sort(out.Deleted)
	var from int64
	if err := s.db.GetContext(ctx, &from, s.q.changesFrom); err != nil {
		return maintenance.Changes{}, s.fail(ctx, op, err)
	}
	if rev < from {
		return maintenance.Changes{}, unknown(from)
	}
	return out, nil
}

// ListPage implements [maintenance.PageLister] with two indexed queries:
// the page (one window more than the limit, to know whether there are
// more), and whether a matching window lies on the other side of the
// cursor. The cursor is a range on start_ms, so the scan starts at the
// cursor in the index on start_ms; a state filter of "active" still reads
// every window that started before the instant, and is cheap only while
// those are few. The state of a recurring window is that of its series,
// which SQL cannot expand: such windows are read as candidates and judged
// here (see scan).
func (s *Windows) ListPage(ctx context.Context, q maintenance.PageQuery) (maintenance.Page, error) {
	const op = "list a page of windows"
	if err := q.Validate(); err != nil {
		return maintenance.Page{}, fmt.Errorf("%s: %s: %w", s.pkg, op, err)
	}
	if err := s.check(ctx); err != nil {
		return maintenance.Page{}, s.fail(ctx, op, err)
	}
	// The page, in the direction of travel, then whether a window lies on
	// the other side of the cursor.
	forward := !q.Backward
	ws, err := s.scan(ctx, q, forward, q.Cursor, false, q.Limit+1)
	if err != nil {
		return maintenance.Page{}, s.fail(ctx, op, err)
	}
	more := len(ws) > q.Limit
	p := maintenance.Page{Windows: ws[:min(len(ws), q.Limit)]}
	var beyond bool
	if q.Cursor != nil {
		other, err := s.scan(ctx, q, !forward, q.Cursor, true, 1)
		if err != nil {
			return maintenance.Page{}, s.fail(ctx, op, err)
		}
		beyond = len(other) > 0
	}
	if q.Backward {
		slices.Reverse(p.Windows)
		p.Prev, p.Next = more, beyond
	} else {
		p.Prev, p.Next = beyond, more
	}
	return p, nil
}

// scanBatch is how many rows scan reads at a time beyond what it needs,
// for the recurring windows it may pass over.
const scanBatch = 16

// scan returns up to n windows that q's filters take, in the order of
// start, then ID (backwards unless forward), strictly after the cursor at
// (or from it, inclusive, when from is true), or from the first when at is
// nil. SQL decides the validity and the state of one-off windows; the state
// of a recurring window is that of its series (maintenance.Window.StateAt),
// which SQL cannot expand: such rows are read as candidates and kept or
// passed over here, and scan reads on, a batch at a time, until it has n
// windows or the rows run out.
func (s *Windows) scan(ctx context.Context, q maintenance.PageQuery, forward bool, at *maintenance.Position, from bool, n int) ([]maintenance.Window, error) {
	filter, fargs := pageFilter(q)
	order := "start_ms, id"
	if !forward {
		order = "start_ms DESC, id DESC"
	}
	out := []maintenance.Window{}
	for {
		conds, args := slices.Clone(filter), slices.Clone(fargs)
		if at != nil {
			ms, id := ToMS(at.Start), at.ID
			switch {
			case forward && from:
				conds = append(conds, "start_ms >= ? AND (start_ms > ? OR id >= ?)")
			case forward:
				conds = append(conds, "start_ms >= ? AND (start_ms > ? OR id > ?)")
			case from:
				conds = append(conds, "start_ms <= ? AND (start_ms < ? OR id <= ?)")
			default:
				conds = append(conds, "start_ms <= ? AND (start_ms < ? OR id < ?)")
			}
			args = append(args, ms, ms, id)
		}
		where := ""
		if len(conds) > 0 {
			where = " WHERE " + strings.Join(conds, " AND ")
		}
		batch := n - len(out) + scanBatch
		var rows []windowRow
		err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`SELECT `+windowColumns+` FROM sysmaint_windows`+where+
			` ORDER BY `+order+` LIMIT ?`), append(args, batch)...)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			w, err := r.window()
			if err != nil {
				return nil, err
			}
			if len(q.States) > 0 && !w.Recurrence.IsZero() && !slices.Contains(q.States, w.StateAt(q.At)) {
				continue
			}
			if out = append(out, w); len(out) == n {
				return out, nil
			}
		}
		if len(rows) < batch {
			return out, nil
		}
		last := rows[len(rows)-1]
		at, from = &maintenance.Position{Start: FromMS(last.StartMS), ID: last.ID}, false
	}
}

// pageFilter returns the conditions of q's validity and state filters,
// and their arguments. The states of one-off windows follow
// maintenance.Window.StateAt at the instant's millisecond: planned while
// at < start, active while start <= at < stop, finished after. A recurring
// window is a candidate for every state but planned once it has started:
// its series decides, in Go (see scan).
func pageFilter(q maintenance.PageQuery) ([]string, []any) {
	var conds []string
	var args []any
	if len(q.Validity) > 0 {
		conds = append(conds, "validity IN (?"+strings.Repeat(", ?", len(q.Validity)-1)+")")
		for _, v := range q.Validity {
			args = append(args, int64(v))
		}
	}
	if len(q.States) > 0 {
		at := ToMS(q.At)
		ors := make([]string, 0, len(q.States))
		for _, st := range q.States {
			switch st {
			case maintenance.Planned:
				ors = append(ors, "start_ms > ?")
				args = append(args, at)
			case maintenance.Active:
				ors = append(ors, "(start_ms <= ? AND stop_ms > ?)")
				args = append(args, at, at)
			case maintenance.Finished:
				ors = append(ors, "(start_ms <= ? AND stop_ms <= ?)")
				args = append(args, at, at)
			}
		}
		series := "1 = 1" // a series not started yet is planned
		if !slices.Contains(q.States, maintenance.Planned) {
			series = "start_ms <= ?" // started: the series may be in any state
			args = append(args, at)
		}
		conds = append(conds, "((recurrence_rule = '' AND ("+strings.Join(ors, " OR ")+")) OR (recurrence_rule <> '' AND "+series+"))")
	}
	return conds, args
}
