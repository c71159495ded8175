package maintenance

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/benbjohnson/clock"
)

// DefaultPollInterval is how often [Manager.Run] looks for changes made by
// other processes, unless [Options.PollInterval] says otherwise.
const DefaultPollInterval = 500 * time.Millisecond

// DefaultRecheckInterval is how often [Manager.Run] checks the status of
// now it keeps against the clock, unless [Options.RecheckInterval] says
// otherwise.
const DefaultRecheckInterval = time.Second

// DefaultResyncInterval is how often [Manager.Run] compares revisions with a
// store that pushes its changes ([ChangeNotifier]), as a safety net behind
// the pushes, unless [Options.ResyncInterval] says otherwise.
const DefaultResyncInterval = 30 * time.Second

// Options configures a [Manager]. A nil *Options, and every zero field,
// means the default.
type Options struct {
	// Clock is the source of time. Default: the real clock. Tests pass a
	// *clock.Mock.
	Clock clock.Clock
	// Lead is how long before a window starts it is reported as upcoming.
	// Default: DefaultLead (30 minutes).
	Lead time.Duration
	// PollInterval is how often Run checks the store for changes made by
	// other processes, and how soon it retries after a failure.
	// Default: DefaultPollInterval.
	PollInterval time.Duration
	// ResyncInterval is how often Run compares revisions with a store that
	// pushes its changes ([ChangeNotifier]) while the push works: a slow
	// safety net. While the push is down, Run polls every PollInterval.
	// Default: DefaultResyncInterval.
	ResyncInterval time.Duration
	// RecheckInterval bounds how long the status of now that Run keeps
	// (see [Manager.Status]) can be wrong: Run moves it on by a timer at
	// each instant where the status changes, and checks it against the
	// clock at least this often, which corrects a timer that fired late
	// and a step of the wall clock (suspend and resume, NTP).
	// Default: DefaultRecheckInterval.
	RecheckInterval time.Duration
	// Logger receives refresh failures and recoveries. Default:
	// slog.Default().
	Logger *slog.Logger
	// LoginRefused is the text a *LoginRefusedError from
	// [Manager.CheckLogin] carries. Default: DefaultLoginRefused.
	LoginRefused string
	// Horizon is how far ahead of the clock the schedule expands recurring
	// windows (see [Horizon]); at most MaxHorizon. Default: DefaultHorizon
	// (400 days).
	Horizon time.Duration
}

// Manager is the entry point of the package: it adds, changes and removes
// windows through a [Store], and answers "what is the status now?" from a
// compiled [Schedule] held in an atomic pointer, so the check on the
// request path does no I/O and allocates nothing. While [Manager.Run]
// runs, it keeps the status of now ready as well, so that the check reads
// no clock either: see [Manager.Status].
//
// The schedule is rebuilt after every change made through the Manager,
// from the change itself, without reading the store; by [Manager.Refresh],
// from every window; and by [Manager.Sync] and [Manager.Run] when another
// process changes the store, from the windows that changed when the store
// can list them ([ChangeLister]). When a rebuild fails, the last good
// schedule stays in force, so an active window never disappears because
// the database went away; the error is logged, shown by [Manager.Health]
// and retried.
//
// Writes that the store fails (not those it refuses: see [Health.WriteErr])
// are shown by Health too, until a write succeeds or, for a store that is
// a [Checker], until Run finds the store writable again.
//
// A Manager is safe for concurrent use.
type Manager struct {
	// now is the status of now while Run keeps it, nil otherwise. First,
	// so that Status reads it at no offset and inlines.
	now    atomic.Pointer[Status]
	store  Store
	clock  clock.Clock
	lead   time.Duration // guarded by refreshMu; Lead reads the schedule's
	poll   time.Duration
	resync time.Duration
	// recheck bounds the wait of the status of now (see drive).
	recheck time.Duration
	logger  *slog.Logger
	// loginRefused is the text of a login refusal.
	loginRefused string
	horizon      time.Duration // how far ahead recurring windows are expanded

	sched     atomic.Pointer[Schedule]
	changed   atomic.Pointer[chan struct{}] // closed when sched is replaced
	refreshMu sync.Mutex                    // serializes loads, so an older load never replaces a newer one
	nowMu     sync.Mutex                    // serializes the writers of now
	drivers   int                           // the Runs keeping now; guarded by nowMu
	health    atomic.Pointer[Health]
	healthMu  sync.Mutex // serializes updates of health
	failures  uint64     // counts failed writes; guarded by healthMu
	revision  int64      // store revision of the loaded schedule; guarded by refreshMu
	// gen counts the changes to the windows in force (loads, changes read,
	// writes put in force); written under refreshMu. A write through the
	// Manager puts itself in force only if gen has not moved since it began.
	gen atomic.Uint64

	// The counters of Stats.
	loads, loadFailures, writeFailures atomic.Uint64
}

// Stats counts what a [Manager] did since it was made, for metrics.
type Stats struct {
	// Loads is the schedule loads from the store that succeeded: the first,
	// those after a change or a failure (whether every window was read or
	// only what changed, see [Manager.Sync]), and every Refresh. A write
	// through the Manager is put in force without a load.
	Loads uint64
	// LoadFailures is the loads that failed; the last good schedule stayed
	// in force each time (see [Health.Err]).
	LoadFailures uint64
	// WriteFailures is the writes through the Manager that the store failed
	// (see [Health.WriteErr]); refusals (not found, conflict, validation)
	// are not counted.
	WriteFailures uint64
}

// Stats returns the Manager's counts so far. It is three atomic loads.
func (m *Manager) Stats() Stats {
	return Stats{Loads: m.loads.Load(), LoadFailures: m.loadFailures.Load(), WriteFailures: m.writeFailures.Load()}
}

// Health describes the Manager's last refresh of the schedule and its
// last write.
type Health struct {
	// Loaded reports whether a schedule has been loaded from the store at
	// least once. Until then the schedule is empty.
	Loaded bool
	// LoadedAt is when the schedule in force was loaded.
	LoadedAt time.Time
	// Err is the error of the last refresh, nil when it succeeded.
	Err error
	// FailedAt is when the last refresh failed; zero when it succeeded.
	FailedAt time.Time
	// Pushing reports whether the store pushes its changes to Run right
	// now: it is a [ChangeNotifier] and its listener is connected. False
	// for stores that do not push, and while Run is not running.
	Pushing bool
	// PushErr is why the store's push is down, nil while it works; Run
	// polls every PollInterval meanwhile.
	PushErr error
	// WriteErr is the error of the last write through the Manager (Add,
	// Update, Delete) that the store failed: a database that is read-only,
	// gone or unreachable. A write the store refused for its own sake is
	// not a failure: ErrNotFound, ErrConflict, a *ValidationError, or any
	// error while the caller's context is done. WriteErr is cleared by the
	// next successful write through the Manager and, when the store is a
	// [Checker], by Run as soon as the store's Check passes.
	WriteErr error
	// WriteFailedAt is when WriteErr happened; zero when WriteErr is nil.
	WriteFailedAt time.Time
	// Running reports whether Run is running: from when it keeps the status
	// of now that Status reads, until it returns. A host whose Run is not
	// running serves a schedule that no longer follows the store.
	Running bool
}

// OK reports whether the schedule is loaded, its last refresh succeeded
// and no write has failed since the last success: what a health endpoint
// answers.
func (h Health) OK() bool { return h.Loaded && h.Err == nil && h.WriteErr == nil }

// Checker is implemented by stores that can tell whether they take writes
// now, without changing anything. After a write through the Manager
// failed, [Manager.Run] calls Check at every poll and clears
// [Health.WriteErr] once it returns nil, so health heals with the store
// even when nobody writes.
type Checker interface {
	// Check returns nil when a write would be taken now, or the error
	// that stops it.
	Check(ctx context.Context) error
}

// New returns a Manager over store with an empty schedule. It does no I/O
// and starts no goroutine: call [Manager.Refresh] before serving, and run
// [Manager.Run] to follow changes made by other processes. New panics if
// store is nil.
func New(store Store, opts *Options) *Manager {
	if store == nil {
		panic("maintenance: New called with a nil Store")
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Clock == nil {
		o.Clock = clock.New()
	}
	if o.Lead <= 0 {
		o.Lead = DefaultLead
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.ResyncInterval <= 0 {
		o.ResyncInterval = DefaultResyncInterval
	}
	if o.RecheckInterval <= 0 {
		o.RecheckInterval = DefaultRecheckInterval
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.LoginRefused == "" {
		o.LoginRefused = DefaultLoginRefused
	}
	if o.Horizon <= 0 {
		o.Horizon = DefaultHorizon
	}
	o.Horizon = min(o.Horizon, MaxHorizon)
	m := &Manager{store: store, clock: o.Clock, lead: o.Lead, poll: o.PollInterval, resync: o.ResyncInterval,
		recheck: o.RecheckInterval, logger: o.Logger,
		loginRefused: o.LoginRefused, horizon: o.Horizon}
	m.sched.Store(Compile(nil, m.lead))
	ch := make(chan struct{})
	m.changed.Store(&ch)
	m.health.Store(&Health{})
	return m
}

// Clock returns the Manager's clock.
func (m *Manager) Clock() clock.Clock { return m.clock }

// Lead returns the Manager's default lead time.
func (m *Manager) Lead() time.Duration { return m.sched.Load().Lead() }

// SetLead changes the default lead time and recompiles the schedule in
// force with it at once, without reading the store, like a configuration
// change applied live. A lead of zero or less means DefaultLead.
func (m *Manager) SetLead(lead time.Duration) {
	if lead <= 0 {
		lead = DefaultLead
	}
	m.refreshMu.Lock()
	defer m.refreshMu.Unlock()
	m.lead = lead
	prev := m.sched.Load()
	m.publish(compile(prev.windows, false, lead, m.horizonAt(m.clock.Now()), prev))
}

// horizonLookback is how far before the clock's now a Manager's schedule
// expands recurring windows, so that the status is exact at instants a
// little in the past as well.
const horizonLookback = 24 * time.Hour

// horizonAt returns the horizon of a schedule compiled at now.
func (m *Manager) horizonAt(now time.Time) Horizon {
	return Horizon{From: now.Add(-horizonLookback), Until: now.Add(m.horizon)}
}

// horizonStep is how far the clock moves before the Manager extends its
// horizon: a day, or a quarter of a shorter horizon.
func (m *Manager) horizonStep() time.Duration { return min(24*time.Hour, m.horizon/4) }

// extend recompiles the schedule over a horizon that starts from now, when
// a window recurs and the clock has moved a step since the horizon was
// set. It reads no store: the windows are those of the schedule in force,
// and their series are reused, so it costs what expanding the occurrences
// costs, once a day, in Run's goroutine.
func (m *Manager) extend() {
	due := func(s *Schedule, now time.Time) bool {
		return s.recurring && now.Add(m.horizon-m.horizonStep()).After(s.horizon.Until)
	}
	if !due(m.sched.Load(), m.clock.Now()) {
		return
	}
	m.refreshMu.Lock()
	defer m.refreshMu.Unlock()
	now := m.clock.Now()
	if s := m.sched.Load(); due(s, now) {
		m.publish(compile(s.windows, false, m.lead, m.horizonAt(now), s))
	}
}

// Changed returns a channel that is closed when the schedule in force is
// next replaced: after a change through the Manager (closed then even when
// the change leaves the schedule as it was, such as a window added
// invalid), a reload that found a change to the windows in force, or
// SetLead. Take the channel before reading the status, then
// wait on it, so no replacement slips between the two:
//
//	ch := m.Changed()
//	next := m.Status().Next()
//	select { case <-ch: ...; case <-timer: ... }
func (m *Manager) Changed() <-chan struct{} { return *m.changed.Load() }

// publish puts s in force, moves the status of now onto it, and wakes
// those waiting on Changed.
func (m *Manager) publish(s *Schedule) {
	m.sched.Store(s)
	m.advance()
	m.wake()
}

// wake closes the channel of Changed and makes the next.
func (m *Manager) wake() {
	ch := make(chan struct{})
	close(*m.changed.Swap(&ch))
}

// Status returns the status now.
//
// While [Manager.Run] runs, Status reads the status of now that Run keeps:
// one atomic load, no clock read, no allocation. Run moves it on by a
// timer from the Manager's clock at each instant where the status changes
// ([Status.Next]: a notice begins, a window starts or stops), and checks
// it against the clock at least every [Options.RecheckInterval]. So a
// boundary takes effect within the timer's latency (microseconds on an
// idle machine), and at worst within RecheckInterval, should the timer
// fire late or the wall clock step (suspend and resume, NTP). A change
// through the Manager, and a reload that found one, are in force at once.
//
// While Run is not running (before it starts, after it returns, and in
// hosts and tests that never call it), Status reads the clock and is
// exact: StatusAt(Clock().Now()).
//
// [Manager.StatusAt] is exact for any instant a caller passes.
func (m *Manager) Status() Status {
	if st := m.now.Load(); st != nil {
		return *st
	}
	return m.statusByClock()
}

// statusByClock is Status while Run does not keep the status of now, out
// of line so that Status inlines.
//
//go:noinline
func (m *Manager) statusByClock() Status { return m.sched.Load().At(m.clock.Now()) }

// StatusAt returns the status at t. Recurring windows count within the
// schedule's horizon only, from a day before the clock's now to
// Options.Horizon after it (see [Horizon]).
func (m *Manager) StatusAt(t time.Time) Status { return m.sched.Load().At(t) }

// advance sets the status of now from the schedule in force and the clock,
// when Run keeps it, and returns when it next changes (zero for never, or
// when Run does not keep it).
func (m *Manager) advance() time.Time {
	m.nowMu.Lock()
	defer m.nowMu.Unlock()
	if m.drivers == 0 {
		return time.Time{}
	}
	st := m.sched.Load().At(m.clock.Now())
	if cur := m.now.Load(); cur == nil || cur.s != st.s || cur.seg != st.seg {
		m.now.Store(&st)
	}
	return st.Next()
}

// startDriving makes Status read the status of now that drive keeps, and
// sets it.
func (m *Manager) startDriving() {
	m.nowMu.Lock()
	m.drivers++
	m.nowMu.Unlock()
	m.advance()
	m.updateHealth(func(h *Health) { h.Running = true })
}

// stopDriving lets Status read the clock again once no Run keeps the status
// of now.
func (m *Manager) stopDriving() {
	m.nowMu.Lock()
	defer m.nowMu.Unlock()
	if m.drivers--; m.drivers == 0 {
		m.now.Store(nil)
		m.updateHealth(func(h *Health) { h.Running = false })
	}
}

// drive keeps the status of now until ctx is done: it moves it on when the
// status next changes, when the schedule is replaced (publish has moved it
// already; the wait changes), and at least every recheck, which corrects a
// late timer and a step of the wall clock.
func (m *Manager) drive(ctx context.Context) {
	for {
		changed := m.Changed()
		wait := m.recheck
		if next := m.advance(); !next.IsZero() {
			wait = min(wait, m.clock.Until(next))
		}
		if wait <= 0 {
			continue // the clock passed next meanwhile: look again
		}
		t := m.clock.Timer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-changed:
			t.Stop()
		case <-t.C:
		}
	}
}

// Schedule returns the schedule in force.
func (m *Manager) Schedule() *Schedule { return m.sched.Load() }

// Health returns the state of the last refresh and of the last write.
func (m *Manager) Health() Health { return *m.health.Load() }

// updateHealth replaces the health with a copy changed by f.
func (m *Manager) updateHealth(f func(h *Health)) (prev Health) {
	m.healthMu.Lock()
	defer m.healthMu.Unlock()
	prev = *m.health.Load()
	h := prev
	f(&h)
	m.health.Store(&h)
	return prev
}

// noteWrite records the outcome of a write through the store (see
// [Health.WriteErr]).
func (m *Manager) noteWrite(ctx context.Context, err error) {
	var ve *ValidationError
	switch {
	case err == nil:
		if prev := m.updateHealth(func(h *Health) { h.WriteErr, h.WriteFailedAt = nil, time.Time{} }); prev.WriteErr != nil {
			m.logger.Info("maintenance: store writes recovered")
		}
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrConflict), errors.As(err, &ve), ctx.Err() != nil:
		// refused, not failed
	default:
		now := m.clock.Now()
		m.writeFailures.Add(1)
		if prev := m.updateHealth(func(h *Health) {
			h.WriteErr, h.WriteFailedAt = err, now
			m.failures++
		}); prev.WriteErr == nil {
			m.logger.Error("maintenance: store write failed", "err", err)
		}
	}
}

// checkWrites asks a Checker store whether writes heal, when the last
// write failed. A write that fails while Check runs is kept.
func (m *Manager) checkWrites(ctx context.Context) {
	c, ok := m.store.(Checker)
	if !ok {
		return
	}
	m.healthMu.Lock()
	failed, seen := m.health.Load().WriteErr != nil, m.failures
	m.healthMu.Unlock()
	if !failed || c.Check(ctx) != nil {
		return
	}
	cleared := false
	m.updateHealth(func(h *Health) {
		if m.failures == seen && h.WriteErr != nil {
			h.WriteErr, h.WriteFailedAt, cleared = nil, time.Time{}, true
		}
	})
	if cleared {
		m.logger.Info("maintenance: store writes recovered")
	}
}

// Add validates w and stores it as a new window, stamped as created and
// changed now by actor. It returns the stored window, with its new ID and
// Version 1. An invalid window, or a blank actor, gives a *ValidationError
// and nothing is written.
func (m *Manager) Add(ctx context.Context, w Window, actor string) (Window, error) {
	now := m.clock.Now()
	w.ID, w.Version = 0, 0
	w.CreatedAt, w.CreatedBy = now, actor
	w.ChangedAt, w.ChangedBy = now, actor
	w = w.Normalize()
	if err := w.validateBy(actor); err != nil {
		return Window{}, err
	}
	gen := m.gen.Load()
	stored, err := m.store.Create(ctx, w)
	m.noteWrite(ctx, err)
	if err != nil {
		return Window{}, fmt.Errorf("maintenance: add window: %w", err)
	}
	m.putInForce(ctx, gen, []Window{stored}, nil)
	return stored, nil
}

// Get returns the window with the given ID, or an error wrapping
// ErrNotFound.
func (m *Manager) Get(ctx context.Context, id int64) (Window, error) {
	return m.store.Get(ctx, id)
}

// Update validates w and replaces the stored window w.ID with it, stamped
// as changed now by actor; CreatedAt and CreatedBy are kept. w.Version must
// be the version it was read at: a stale version gives an error wrapping
// ErrConflict, an unknown ID one wrapping ErrNotFound, an invalid window a
// *ValidationError (as does a blank actor); in each case nothing is
// written. It returns the stored window with its new Version.
//
// For a recurring window, Update replaces the whole series, its past
// occurrences included; [Manager.UpdateFollowing] changes it from one
// occurrence on and keeps the past as it was.
func (m *Manager) Update(ctx context.Context, w Window, actor string) (Window, error) {
	gen := m.gen.Load()
	stored, err := m.update(ctx, w, actor)
	if err != nil {
		return Window{}, err
	}
	m.putInForce(ctx, gen, []Window{stored}, nil)
	return stored, nil
}

// update is Update without putting the window in force.
func (m *Manager) update(ctx context.Context, w Window, actor string) (Window, error) {
	w.ChangedAt, w.ChangedBy = m.clock.Now(), actor
	w = w.Normalize()
	if err := w.validateBy(actor); err != nil {
		return Window{}, err
	}
	stored, err := m.store.Update(ctx, w)
	m.noteWrite(ctx, err)
	if err != nil {
		return Window{}, fmt.Errorf("maintenance: update window %d: %w", w.ID, err)
	}
	return stored, nil
}

// Delete removes the window with the given ID, or returns an error wrapping
// ErrNotFound. An active window may be deleted: maintenance ends at once.
func (m *Manager) Delete(ctx context.Context, id int64) error {
	gen := m.gen.Load()
	err := m.store.Delete(ctx, id)
	m.noteWrite(ctx, err)
	if err != nil {
		return fmt.Errorf("maintenance: delete window %d: %w", id, err)
	}
	m.putInForce(ctx, gen, nil, []int64{id})
	return nil
}

// List returns the windows whose validity is one of those given (all when
// none is given), sorted by Start, then ID; never nil.
func (m *Manager) List(ctx context.Context, validity ...Validity) ([]Window, error) {
	return m.store.List(ctx, validity...)
}

// putInForce puts in force the windows written (as the store returned
// them) and deleted through the Manager since gen was read, before the
// first write: it patches the windows of the schedule in force and
// recompiles, without reading the store. When the windows in force
// changed meanwhile (a reload, a change read, another write put in force:
// gen moved), or were never loaded, the patch could undo a newer change,
// so the store is asked instead, as Sync does. A failure then does not undo
// the write: it is logged and shown by Health, and Run retries.
func (m *Manager) putInForce(ctx context.Context, gen uint64, written []Window, deleted []int64) {
	m.refreshMu.Lock()
	defer m.refreshMu.Unlock()
	if !m.health.Load().Loaded || m.gen.Load() != gen {
		_ = m.syncLocked(context.WithoutCancel(ctx))
		return
	}
	if !m.apply(written, deleted) {
		m.wake() // as after any write through the Manager: those waiting look again
	}
}

// apply patches the windows of the schedule in force with the windows
// written (as stored now) and the IDs deleted, and publishes the schedule
// compiled from them, unless nothing in force changes: a window written
// that is in force at the same Version, or that is not valid and not in
// force; a deletion of a window not in force. A window written twice
// counts at its highest Version. It reports whether it published a
// schedule. refreshMu is held.
func (m *Manager) apply(written []Window, deleted []int64) bool {
	prev := m.sched.Load()
	next, changed := patch(prev.windows, written, deleted)
	if !changed {
		return false
	}
	m.publish(compile(next, false, m.lead, m.horizonAt(m.clock.Now()), prev))
	m.gen.Add(1)
	return true
}

// patch returns windows, sorted by Start (clamped to the millisecond), then
// ID, with written in place of the windows of the same ID (those valid
// only, at their highest Version) and without those deleted, and whether
// that changes anything. It copies pointers: the windows not touched are
// shared with the schedule in force, which never changes them; those
// written are copied, normalized.
func patch(windows []*Window, written []Window, deleted []int64) ([]*Window, bool) {
	latest := make(map[int64]Window, len(written))
	for _, w := range written {
		if cur, ok := latest[w.ID]; !ok || w.Version > cur.Version {
			latest[w.ID] = w
		}
	}
	gone := make(map[int64]bool, len(deleted))
	for _, id := range deleted {
		gone[id] = true
	}
	// The versions in force of the windows touched: one pass, comparing
	// IDs with a handful of IDs, or looking them up when there are more.
	touched := make([]int64, 0, len(latest)+len(deleted))
	for id := range latest {
		touched = append(touched, id)
	}
	touched = append(touched, deleted...)
	isTouched := func(id int64) bool {
		if len(touched) > 8 {
			_, ok := latest[id]
			return ok || gone[id]
		}
		return slices.Contains(touched, id)
	}
	inForce := map[int64]int64{} // ID -> Version, of the touched windows in force
	for _, w := range windows {
		if isTouched(w.ID) {
			inForce[w.ID] = w.Version
		}
	}
	changed := false
	var add []*Window
	for id, w := range latest {
		v, in := inForce[id]
		switch {
		case gone[id]:
			// deleted as well: the deletion wins
		case w.Validity == Valid:
			changed = changed || !in || v != w.Version
			w.Recurrence.Exceptions = slices.Clone(w.Recurrence.Exceptions)
			if !w.normal() {
				w = w.Normalize()
			}
			add = append(add, &w)
		case in:
			changed = true
		}
	}
	for _, id := range deleted {
		if _, in := inForce[id]; in {
			changed = true
		}
	}
	if !changed {
		return windows, false
	}
	before := func(a, b *Window) bool {
		as, bs := unixMS(a.Start), unixMS(b.Start)
		return as < bs || as == bs && a.ID < b.ID
	}
	slices.SortFunc(add, func(a, b *Window) int {
		return cmp.Or(cmp.Compare(unixMS(a.Start), unixMS(b.Start)), cmp.Compare(a.ID, b.ID))
	})
	out := make([]*Window, 0, len(windows)+len(add))
	for _, w := range windows {
		if isTouched(w.ID) {
			continue
		}
		for len(add) > 0 && before(add[0], w) {
			out = append(out, add[0])
			add = add[1:]
		}
		out = append(out, w)
	}
	return append(out, add...), true
}

// Refresh loads every valid window from the store and publishes the newly
// compiled schedule. On failure the schedule in force is kept, the error is
// logged, recorded in Health and returned; a load cut short because ctx
// was canceled is only returned.
func (m *Manager) Refresh(ctx context.Context) error {
	m.refreshMu.Lock()
	defer m.refreshMu.Unlock()
	return m.load(ctx)
}

// load does the work of Refresh; refreshMu is held.
func (m *Manager) load(ctx context.Context) error {
	rev, tracked, err := m.storeRevision(ctx)
	if err == nil {
		var ws []Window
		ws, err = m.store.List(ctx, Valid)
		if err == nil {
			m.publish(compile(pointers(ws), true, m.lead, m.horizonAt(m.clock.Now()), m.sched.Load()))
			m.gen.Add(1)
			if tracked {
				m.revision = rev
			}
			m.loaded()
			return nil
		}
	}
	return m.loadFailed(ctx, err)
}

// loadChanges reads from cl what changed since the revision of the
// windows in force, and puts it in force; refreshMu is held. An error
// wrapping ErrRevisionUnknown is returned as it is, recorded nowhere: the
// caller loads every window instead.
func (m *Manager) loadChanges(ctx context.Context, cl ChangeLister) error {
	ch, err := cl.ChangesSince(ctx, m.revision)
	if errors.Is(err, ErrRevisionUnknown) {
		m.logger.Info("maintenance: the store cannot list the changes since the schedule's revision; loading every window",
			"revision", m.revision, "err", err)
		return err
	}
	if err != nil {
		return m.loadFailed(ctx, err)
	}
	m.apply(ch.Windows, ch.Deleted)
	m.revision = ch.Revision
	m.loaded()
	return nil
}

// loaded records a load that succeeded.
func (m *Manager) loaded() {
	m.loads.Add(1)
	now := m.clock.Now()
	prev := m.updateHealth(func(h *Health) {
		h.Loaded, h.LoadedAt, h.Err, h.FailedAt = true, now, nil, time.Time{}
	})
	if prev.Err != nil {
		m.logger.Info("maintenance: schedule refreshed after failure", "windows", m.sched.Load().Len())
	}
}

// loadFailed records the failure err of a load, which kept the schedule in
// force, and returns it wrapped.
func (m *Manager) loadFailed(ctx context.Context, err error) error {
	err = fmt.Errorf("maintenance: refresh schedule: %w", err)
	if errors.Is(ctx.Err(), context.Canceled) {
		// Cut short by the caller (Run stopping): nothing learned about the
		// store, so nothing recorded or logged.
		return err
	}
	m.loadFailures.Add(1)
	now := m.clock.Now()
	m.updateHealth(func(h *Health) { h.Err, h.FailedAt = err, now })
	m.logger.Error("maintenance: keeping the last good schedule", "err", err)
	return err
}

func (m *Manager) storeRevision(ctx context.Context) (rev int64, tracked bool, err error) {
	ct, ok := m.store.(ChangeTracker)
	if !ok {
		return 0, false, nil
	}
	rev, err = ct.Revision(ctx)
	return rev, true, err
}

// Sync brings the schedule up to date with the store, as [Manager.Run]
// does at every poll. It reads the store when the store changed since the
// last load, when the last refresh failed, or when the store cannot tell
// (no [ChangeTracker]), and it reads what changed only when the store can
// list it ([ChangeLister]): then the read costs what changed, whatever the
// number of windows, and the schedule is recompiled only when a change
// touches the windows in force. Otherwise, or when the store cannot list
// the changes since the schedule's revision (ErrRevisionUnknown), it
// loads every window, as [Manager.Refresh] does. Failures are handled as
// by Refresh.
func (m *Manager) Sync(ctx context.Context) error { return m.sync(ctx) }

// sync is Sync.
func (m *Manager) sync(ctx context.Context) error {
	m.refreshMu.Lock()
	defer m.refreshMu.Unlock()
	return m.syncLocked(ctx)
}

// syncLocked is sync; refreshMu is held.
func (m *Manager) syncLocked(ctx context.Context) error {
	h := m.health.Load()
	if !h.Loaded {
		return m.load(ctx)
	}
	rev, tracked, err := m.storeRevision(ctx)
	switch {
	case err != nil:
		return m.loadFailed(ctx, err)
	case !tracked:
		return m.load(ctx)
	case rev == m.revision && h.Err == nil:
		return nil
	}
	if cl, ok := m.store.(ChangeLister); ok && rev >= m.revision {
		if err := m.loadChanges(ctx, cl); !errors.Is(err, ErrRevisionUnknown) {
			return err
		}
	}
	return m.load(ctx) // a store behind the schedule (restored from a backup) too
}

// Run refreshes the schedule, then follows the store until ctx is done, and
// returns nil then. Failures are logged and shown by Health; they do not
// stop Run, which retries. Run the loop in one goroutine per Manager.
//
// With a store that pushes its changes ([ChangeNotifier]), Run listens and
// reloads as soon as a change is pushed, or when listening (re)starts and
// the revision moved meanwhile, so no change is missed; it compares
// revisions every ResyncInterval as a safety net, and every PollInterval
// while the push is down. Otherwise, every PollInterval, it asks a
// [ChangeTracker] store whether anything changed and reloads if so (a
// store without one is reloaded every time). Each reload is a
// [Manager.Sync]: from a [ChangeLister] store it reads what changed only.
// The listener runs in a goroutine of Run's own, which has ended when Run
// returns.
//
// After a write through the Manager failed, Run also asks a [Checker] store
// at every wake-up whether writes heal (see [Health.WriteErr]).
//
// Run keeps the status of now that [Manager.Status] reads, in a goroutine
// of its own, which has ended when Run returns; Status reads the clock
// again then.
//
// Run also keeps the horizon of recurring windows ahead of the clock: once
// a day it recompiles the schedule in force over a horizon that starts
// from now, without reading the store (see [Options.Horizon]). Without
// Run, the horizon moves only when the schedule is reloaded.
func (m *Manager) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	m.startDriving()
	driven := make(chan struct{})
	go func() {
		defer close(driven)
		m.drive(ctx)
	}()
	defer func() {
		cancel()
		<-driven
		m.stopDriving()
	}()
	cn, ok := m.store.(ChangeNotifier)
	if !ok {
		return m.follow(ctx, nil)
	}
	pushed := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := cn.WatchChanges(ctx, func(err error) { latest(pushed, err) }); err != nil {
			m.logger.Error("maintenance: change notifier stopped", "err", err)
		}
	}()
	defer func() {
		cancel()
		<-done
		m.updateHealth(func(h *Health) { h.Pushing, h.PushErr = false, nil })
	}()
	return m.follow(ctx, pushed)
}

// follow is Run's loop: it syncs at once, then whenever pushed delivers (nil
// for a pushed change, an error when the push went down) and on a timer:
// every ResyncInterval while the push works, else every PollInterval.
// pushed is nil for stores that do not push.
func (m *Manager) follow(ctx context.Context, pushed <-chan error) error {
	listening := false
	for {
		if err := m.sync(ctx); err != nil && ctx.Err() != nil {
			return nil
		}
		m.extend()
		m.checkWrites(ctx)
		wait := m.poll
		if listening {
			wait = m.resync
		}
		t := m.clock.Timer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case err := <-pushed:
			t.Stop()
			if err != nil && listening {
				m.logger.Warn("maintenance: change push is down, polling", "err", err)
			}
			prev := m.updateHealth(func(h *Health) { h.Pushing, h.PushErr = err == nil, err })
			if err == nil && prev.PushErr != nil {
				m.logger.Info("maintenance: change push is back")
			}
			listening = err == nil
		case <-t.C:
		}
	}
}

// latest puts err into ch, a channel of capacity one, replacing what the
// receiver has not taken yet: the receiver acts on the latest report only.
func latest(ch chan error, err error) {
	for {
		select {
		case ch <- err:
			return
		default:
		}
		select {
		case <-ch:
		default:
		}
	}
}
