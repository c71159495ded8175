package sqlcore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// Dialect names the SQL engine a store talks to, where the engines' SQL
// differs.
type Dialect int8

// The engines of sysmaint's SQL stores.
const (
	// SQLite has a single writer: a statement that writes runs alone.
	SQLite Dialect = iota + 1
	// Postgres runs writers at once; claims skip the rows another claim
	// has locked (FOR UPDATE SKIP LOCKED).
	Postgres
)

// Outbox is a [notify.Outbox] over the table sysmaint_events. Each event
// is a row keyed by its ID; its window is kept as JSON beside the columns
// the queries need. Claim is one UPDATE of the rows a subquery picks,
// RETURNING them: on PostgreSQL the subquery locks the rows it picks and
// skips those locked by a concurrent claim (FOR UPDATE SKIP LOCKED), so
// concurrent claimers get disjoint events without waiting for each other;
// SQLite runs one writing statement at a time. An Outbox is safe for
// concurrent use, by many processes.
type Outbox struct {
	db    *sqlx.DB
	pkg   string
	ready func(context.Context) error // see NewWindows
	q     outboxQueries
}

// outboxQueries holds the statements of an Outbox, rebound for the driver
// once.
type outboxQueries struct {
	insert, claim, ack, retry, drop, prune string
}

// eventOrder is the order of notify.CompareEvents in SQL: At, then the
// kinds of one instant as Watch reports them, then window ID, then ID.
const eventOrder = `at_ms,
	CASE kind WHEN 4 THEN 1 WHEN 5 THEN 2 WHEN 6 THEN 3 WHEN 1 THEN 4 WHEN 2 THEN 5 WHEN 3 THEN 6 ELSE 7 END,
	window_id, id`

// held is the condition that owner (the last parameter) holds an event.
const held = `id = ? AND owner = ? AND delivered_at_ms IS NULL AND dropped_at_ms IS NULL`

// NewOutbox returns the outbox over db for the engine d; pkg prefixes its
// errors and ready is called before every operation, as for [NewWindows].
func NewOutbox(db *sqlx.DB, pkg string, ready func(context.Context) error, d Dialect) *Outbox {
	lock := ""
	if d == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	return &Outbox{db: db, pkg: pkg, ready: ready, q: outboxQueries{
		// ON CONFLICT DO NOTHING: the first record of an ID stands, and
		// the count of rows inserted says whether this one was it.
		insert: db.Rebind(`INSERT INTO sysmaint_events (id, kind, window_id, at_ms, window_json,
			window_stop_ms, recorded_at_ms, due_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO NOTHING`),
		claim: db.Rebind(`UPDATE sysmaint_events SET owner = ?, lease_until_ms = ?
			WHERE id IN (SELECT id FROM sysmaint_events
				WHERE delivered_at_ms IS NULL AND dropped_at_ms IS NULL AND due_ms <= ? AND lease_until_ms <= ?
				ORDER BY ` + eventOrder + ` LIMIT ?` + lock + `)
			RETURNING id, kind, at_ms, window_json, recorded_at_ms, attempts, last_error`),
		ack: db.Rebind(`UPDATE sysmaint_events SET delivered_at_ms = ?, lease_until_ms = 0 WHERE ` + held),
		retry: db.Rebind(`UPDATE sysmaint_events SET owner = '', lease_until_ms = 0, attempts = attempts + 1,
			due_ms = ?, last_error = ? WHERE ` + held),
		drop: db.Rebind(`UPDATE sysmaint_events SET dropped_at_ms = ?, lease_until_ms = 0, attempts = attempts + 1,
			last_error = ? WHERE ` + held),
		prune: db.Rebind(`DELETE FROM sysmaint_events
			WHERE (delivered_at_ms IS NOT NULL OR dropped_at_ms IS NOT NULL)
			AND recorded_at_ms < ? AND window_stop_ms < ?`),
	}}
}

// eventWindow is the JSON form of a window in sysmaint_events: instants
// and the lead in milliseconds, as in the other tables.
type eventWindow struct {
	ID               int64  `json:"id"`
	StartMS          int64  `json:"start_ms"`
	StopMS           int64  `json:"stop_ms"`
	Comment          string `json:"comment"`
	LoginMessage     string `json:"login_message"`
	ShowLoginMessage bool   `json:"show_login_message"`
	NotifyMessage    string `json:"notify_message"`
	Validity         int64  `json:"validity"`
	LeadMS           int64  `json:"lead_ms"`
	RecurrenceRule   string `json:"recurrence_rule,omitempty"`
	RecurrenceZone   string `json:"recurrence_zone,omitempty"`
	Exceptions       string `json:"recurrence_exceptions,omitempty"`
	OccurrenceMS     int64  `json:"occurrence_ms,omitempty"` // 0: not an occurrence
	CreatedAtMS      int64  `json:"created_at_ms"`
	CreatedBy        string `json:"created_by"`
	ChangedAtMS      int64  `json:"changed_at_ms"`
	ChangedBy        string `json:"changed_by"`
	Version          int64  `json:"version"`
}

func toEventWindow(w maintenance.Window) eventWindow {
	e := eventWindow{
		ID: w.ID, StartMS: ToMS(w.Start), StopMS: ToMS(w.Stop), Comment: w.Comment,
		LoginMessage: w.LoginMessage, ShowLoginMessage: w.ShowLoginMessage, NotifyMessage: w.NotifyMessage,
		Validity: int64(w.Validity), LeadMS: w.Lead.Milliseconds(),
		RecurrenceRule: w.Recurrence.Rule, RecurrenceZone: w.Recurrence.Zone,
		Exceptions:  EncodeInstants(w.Recurrence.Exceptions),
		CreatedAtMS: ToMS(w.CreatedAt), CreatedBy: w.CreatedBy, ChangedAtMS: ToMS(w.ChangedAt), ChangedBy: w.ChangedBy,
		Version: w.Version,
	}
	if !w.Occurrence.IsZero() {
		e.OccurrenceMS = ToMS(w.Occurrence)
	}
	return e
}

func (e eventWindow) window() (maintenance.Window, error) {
	w, err := windowRow{
		ID: e.ID, StartMS: e.StartMS, StopMS: e.StopMS, Comment: e.Comment, LoginMessage: e.LoginMessage,
		ShowLoginMessage: e.ShowLoginMessage, NotifyMessage: e.NotifyMessage, Validity: e.Validity,
		LeadMS: e.LeadMS, RecurrenceRule: e.RecurrenceRule, RecurrenceZone: e.RecurrenceZone, Exceptions: e.Exceptions,
		CreatedAtMS: e.CreatedAtMS, CreatedBy: e.CreatedBy, ChangedAtMS: e.ChangedAtMS,
		ChangedBy: e.ChangedBy, Version: e.Version,
	}.window()
	if err == nil && e.OccurrenceMS != 0 {
		w.Occurrence = FromMS(e.OccurrenceMS)
	}
	return w, err
}

// eventRow is a row of sysmaint_events as Claim returns it.
type eventRow struct {
	ID           string `db:"id"`
	Kind         int64  `db:"kind"`
	AtMS         int64  `db:"at_ms"`
	WindowJSON   string `db:"window_json"`
	RecordedAtMS int64  `db:"recorded_at_ms"`
	Attempts     int    `db:"attempts"`
	LastError    string `db:"last_error"`
}

func (r eventRow) pending() (notify.Pending, error) {
	var ew eventWindow
	if err := json.Unmarshal([]byte(r.WindowJSON), &ew); err != nil {
		return notify.Pending{}, fmt.Errorf("event %q: window: %w", r.ID, err)
	}
	w, err := ew.window()
	if err != nil {
		return notify.Pending{}, fmt.Errorf("event %q: %w", r.ID, err)
	}
	return notify.Pending{
		Event:      notify.Event{Kind: notify.EventKind(r.Kind), Window: w, At: FromMS(r.AtMS)},
		Attempts:   r.Attempts,
		RecordedAt: FromMS(r.RecordedAtMS),
		LastError:  r.LastError,
	}, nil
}

func (o *Outbox) fail(ctx context.Context, op string, err error) error {
	return fail(ctx, o.pkg, op, err, notify.ErrLeaseLost)
}

// Record implements [notify.Outbox].
func (o *Outbox) Record(ctx context.Context, e notify.Event, at time.Time) (bool, error) {
	id := e.ID()
	op := fmt.Sprintf("record event %q", id)
	if err := check(ctx, o.ready); err != nil {
		return false, o.fail(ctx, op, err)
	}
	if !e.Kind.Known() {
		return false, fmt.Errorf("%s: %s: unknown kind %v", o.pkg, op, e.Kind)
	}
	w := e.Window.Normalize()
	js, err := json.Marshal(toEventWindow(w))
	if err != nil {
		return false, fmt.Errorf("%s: %s: %w", o.pkg, op, err)
	}
	n, err := execN(ctx, o.db, o.q.insert, id, int64(e.Kind), w.ID, ToMS(e.At), string(js),
		ToMS(w.Stop), ToMS(at), ToMS(at))
	if err != nil {
		return false, o.fail(ctx, op, err)
	}
	return n == 1, nil
}

// Claim implements [notify.Outbox] with one UPDATE ... RETURNING.
func (o *Outbox) Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, max int) ([]notify.Pending, error) {
	const op = "claim events"
	if err := check(ctx, o.ready); err != nil {
		return nil, o.fail(ctx, op, err)
	}
	switch {
	case owner == "":
		return nil, fmt.Errorf("%s: %s: empty owner", o.pkg, op)
	case lease <= 0:
		return nil, fmt.Errorf("%s: %s: lease %v is not positive", o.pkg, op, lease)
	case max < 1:
		return nil, fmt.Errorf("%s: %s: max %d is below 1", o.pkg, op, max)
	}
	nowMS := ToMS(now)
	var rows []eventRow
	if err := o.db.SelectContext(ctx, &rows, o.q.claim, owner, ToMS(now.Add(lease)), nowMS, nowMS, max); err != nil {
		return nil, o.fail(ctx, op, err)
	}
	out := make([]notify.Pending, 0, len(rows))
	for _, r := range rows {
		p, err := r.pending()
		if err != nil {
			// A row this build cannot read stays leased to owner until its
			// lease ends; the error says which.
			return nil, fmt.Errorf("%s: %s: %w", o.pkg, op, err)
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b notify.Pending) int { return notify.CompareEvents(a.Event, b.Event) })
	return out, nil
}

// settle runs q, one of the statements guarded by held, for the event id
// and owner: no row touched means owner does not hold it.
func (o *Outbox) settle(ctx context.Context, op, q, id, owner string, args ...any) error {
	op = fmt.Sprintf("%s event %q", op, id)
	if err := check(ctx, o.ready); err != nil {
		return o.fail(ctx, op, err)
	}
	if owner == "" {
		return fmt.Errorf("%s: %s: empty owner", o.pkg, op)
	}
	if err := execOne(ctx, o.db, q, append(args, id, owner)...); err != nil {
		if isNoRows(err) {
			return fmt.Errorf("%s: %s: not held by %q: %w", o.pkg, op, owner, notify.ErrLeaseLost)
		}
		return o.fail(ctx, op, err)
	}
	return nil
}

// Ack implements [notify.Outbox].
func (o *Outbox) Ack(ctx context.Context, id, owner string, at time.Time) error {
	return o.settle(ctx, "ack", o.q.ack, id, owner, ToMS(at))
}

// Retry implements [notify.Outbox].
func (o *Outbox) Retry(ctx context.Context, id, owner string, next time.Time, reason string) error {
	return o.settle(ctx, "retry", o.q.retry, id, owner, ToMS(next), reason)
}

// Drop implements [notify.Outbox].
func (o *Outbox) Drop(ctx context.Context, id, owner string, at time.Time, reason string) error {
	return o.settle(ctx, "drop", o.q.drop, id, owner, ToMS(at), reason)
}

// Prune implements [notify.Outbox] with one DELETE.
func (o *Outbox) Prune(ctx context.Context, before time.Time) (int, error) {
	const op = "prune events"
	if err := check(ctx, o.ready); err != nil {
		return 0, o.fail(ctx, op, err)
	}
	b := ToMS(before)
	n, err := execN(ctx, o.db, o.q.prune, b, b)
	if err != nil {
		return 0, o.fail(ctx, op, err)
	}
	return int(n), nil
}

var _ notify.Outbox = (*Outbox)(nil)
