package maintenance

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/benbjohnson/clock"
)

// DefaultPollInterval is how often [Manager.Run] looks for changes made by
// other processes, unless [Options.PollInterval] says otherwise.
const DefaultPollInterval = 500 * time.Millisecond

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
// request path does no I/O and allocates nothing.
//
// The schedule is rebuilt after every change made through the Manager, by
// [Manager.Refresh], and by [Manager.Run] when another process changes the
// store. When a rebuild fails, the last good schedule stays in force, so an
// active window never disappears because the database went away; the error
// is logged, shown by [Manager.Health] and retried.
//
// Writes that the store fails (not those it refuses: see [Health.WriteErr])
// are shown by Health too, until a write succeeds or, for a store that is
// a [Checker], until Run finds the store writable again.
//
// A Manager is safe for concurrent use.
type Manager struct {
	store  Store
	clock  clock.Clock
	lead   time.Duration // guarded by refreshMu; Lead reads the schedule's
	poll   time.Duration
	resync time.Duration
	logger *slog.Logger
	// loginRefused is the text of a login refusal.
	loginRefused string
	horizon      time.Duration // how far ahead recurring windows are expanded

	sched     atomic.Pointer[Schedule]
	changed   atomic.Pointer[chan struct{}] // closed when sched is replaced
	refreshMu sync.Mutex                    // serializes loads, so an older load never replaces a newer one
	health    atomic.Pointer[Health]
	healthMu  sync.Mutex // serializes updates of health
	failures  uint64     // counts failed writes; guarded by healthMu
	revision  int64      // store revision of the loaded schedule; guarded by refreshMu

	// The counters of Stats.
	loads, loadFailures, writeFailures atomic.Uint64
}

// Stats counts what a [Manager] did since it was made, for metrics.
type Stats struct {
	// Loads is the schedule loads from the store that succeeded: the first,
	// those after a change or a failure, and every Refresh.
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
	m := &Manager{store: store, clock: o.Clock, lead: o.Lead, poll: o.PollInterval, resync: o.ResyncInterval, logger: o.Logger,
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
	m.publish(compile(prev.windows, lead, m.horizonAt(m.clock.Now()), prev))
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
		m.publish(compile(s.windows, m.lead, m.horizonAt(now), s))
	}
}

// Changed returns a channel that is closed when the schedule in force is
// next replaced: after a change through the Manager, a reload that found a
// change, or SetLead. Take the channel before reading the status, then
// wait on it, so no replacement slips between the two:
//
//	ch := m.Changed()
//	next := m.Status().Next()
//	select { case <-ch: ...; case <-timer: ... }
func (m *Manager) Changed() <-chan struct{} { return *m.changed.Load() }

// publish puts s in force and wakes those waiting on Changed.
func (m *Manager) publish(s *Schedule) {
	m.sched.Store(s)
	ch := make(chan struct{})
	close(*m.changed.Swap(&ch))
}

// Status returns the status now, by the Manager's clock.
func (m *Manager) Status() Status { return m.sched.Load().At(m.clock.Now()) }

// StatusAt returns the status at t. Recurring windows count within the
// schedule's horizon only, from a day before the clock's now to
// Options.Horizon after it (see [Horizon]).
func (m *Manager) StatusAt(t time.Time) Status { return m.sched.Load().At(t) }

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
	stored, err := m.store.Create(ctx, w)
	m.noteWrite(ctx, err)
	if err != nil {
		return Window{}, fmt.Errorf("maintenance: add window: %w", err)
	}
	m.refreshAfterWrite(ctx)
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
	stored, err := m.update(ctx, w, actor)
	if err != nil {
		return Window{}, err
	}
	m.refreshAfterWrite(ctx)
	return stored, nil
}

// update is Update without the refresh.
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
	err := m.store.Delete(ctx, id)
	m.noteWrite(ctx, err)
	if err != nil {
		return fmt.Errorf("maintenance: delete window %d: %w", id, err)
	}
	m.refreshAfterWrite(ctx)
	return nil
}

// List returns the windows whose validity is one of those given (all when
// none is given), sorted by Start, then ID; never nil.
func (m *Manager) List(ctx context.Context, validity ...Validity) ([]Window, error) {
	return m.store.List(ctx, validity...)
}

// refreshAfterWrite reloads the schedule after a successful write. Its
// failure does not undo the write: it is logged and shown by Health, and
// Run retries.
func (m *Manager) refreshAfterWrite(ctx context.Context) {
	_ = m.Refresh(context.WithoutCancel(ctx))
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
			m.publish(compile(ws, m.lead, m.horizonAt(m.clock.Now()), m.sched.Load()))
			m.loads.Add(1)
			if tracked {
				m.revision = rev
			}
			now := m.clock.Now()
			prev := m.updateHealth(func(h *Health) {
				h.Loaded, h.LoadedAt, h.Err, h.FailedAt = true, now, nil, time.Time{}
			})
			if prev.Err != nil {
				m.logger.Info("maintenance: schedule refreshed after failure", "windows", len(ws))
			}
			return nil
		}
	}
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

// sync reloads the schedule if the store changed since the last load, if
// the last refresh failed, or if the store cannot tell (no ChangeTracker).
func (m *Manager) sync(ctx context.Context) error {
	m.refreshMu.Lock()
	defer m.refreshMu.Unlock()
	if h := m.health.Load(); h.Loaded && h.Err == nil {
		rev, tracked, err := m.storeRevision(ctx)
		if err == nil && tracked && rev == m.revision {
			return nil
		}
	}
	return m.load(ctx)
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
// store without one is reloaded every time). The listener runs in a
// goroutine of Run's own, which has ended when Run returns.
//
// After a write through the Manager failed, Run also asks a [Checker] store
// at every wake-up whether writes heal (see [Health.WriteErr]).
//
// Run also keeps the horizon of recurring windows ahead of the clock: once
// a day it recompiles the schedule in force over a horizon that starts
// from now, without reading the store (see [Options.Horizon]). Without
// Run, the horizon moves only when the schedule is reloaded.
func (m *Manager) Run(ctx context.Context) error {
	cn, ok := m.store.(ChangeNotifier)
	if !ok {
		return m.follow(ctx, nil)
	}
	ctx, cancel := context.WithCancel(ctx)
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
