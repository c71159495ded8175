package session

import (
	"context"
	"fmt"

	"github.com/benbjohnson/clock"
)

// Options configures a [Manager]. A nil *Options, and every zero field,
// means the default.
type Options struct {
	// Clock is the source of time, used to stamp CreatedAt and
	// LastRequestAt. Default: the real clock. Tests pass a *clock.Mock.
	Clock clock.Clock
}

// Manager is the entry point of the package: it records sessions in a
// [Store], counts them for the admin screen, and ends them: one, all
// except the caller's own, or every non-admin session.
//
// A Manager holds no state of its own besides its store and clock; it is
// safe for concurrent use.
type Manager struct {
	store Store
	clock clock.Clock
}

// New returns a Manager over store. It does no I/O and starts no goroutine.
// New panics if store is nil.
func New(store Store, opts *Options) *Manager {
	if store == nil {
		panic("session: New called with a nil Store")
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Clock == nil {
		o.Clock = clock.New()
	}
	return &Manager{store: store, clock: o.Clock}
}

// Clock returns the Manager's clock.
func (m *Manager) Clock() clock.Clock { return m.clock }

// Add records a new session, typically right after a successful login.
// A zero CreatedAt is set to now, and a zero LastRequestAt to CreatedAt.
// The session is normalized first ([Session.Normalize]): instants in UTC at
// millisecond precision, and the descriptive fields (UserFullName,
// RemoteAddr, UserAgent) made valid UTF-8 and cut to their limits. It
// returns the session as stored. A session that then fails
// [Session.Validate] (an empty or over-long ID or UserLogin, say) gives a
// *[ValidationError] wrapping [ErrInvalid], an ID already stored an error
// wrapping [ErrExists]; in both cases nothing is written.
func (m *Manager) Add(ctx context.Context, s Session) (Session, error) {
	if s.CreatedAt.IsZero() {
		s.CreatedAt = m.clock.Now()
	}
	if s.LastRequestAt.IsZero() {
		s.LastRequestAt = s.CreatedAt
	}
	s = s.Normalize()
	if err := s.Validate(); err != nil {
		return Session{}, err
	}
	if err := m.store.Create(ctx, s); err != nil {
		return Session{}, fmt.Errorf("session: add %q: %w", s.ID, err)
	}
	return s, nil
}

// Get returns the session with the given ID, or an error wrapping
// [ErrNotFound].
func (m *Manager) Get(ctx context.Context, id string) (Session, error) {
	s, err := m.store.Get(ctx, id)
	if err != nil {
		return Session{}, fmt.Errorf("session: get %q: %w", id, err)
	}
	return s, nil
}

// Touch records that the session with the given ID was used now. An
// unknown ID gives an error wrapping [ErrNotFound]; a clock outside the
// years 1 to 9999 one wrapping [ErrInvalid] (see [ValidateTouch]), and
// nothing is written.
func (m *Manager) Touch(ctx context.Context, id string) error {
	now := m.clock.Now()
	if err := ValidateTouch(id, now); err != nil {
		return err
	}
	if err := m.store.Touch(ctx, id, now); err != nil {
		return fmt.Errorf("session: touch %q: %w", id, err)
	}
	return nil
}

// List returns every session, sorted by CreatedAt, then ID; never nil.
func (m *Manager) List(ctx context.Context) ([]Session, error) {
	ss, err := m.store.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("session: list: %w", err)
	}
	return ss, nil
}

// Overview returns the counters and the agent and customer sessions from
// one read of the store: everything the admin screen shows.
func (m *Manager) Overview(ctx context.Context) (Overview, error) {
	ss, err := m.List(ctx)
	if err != nil {
		return Overview{}, err
	}
	return NewOverview(ss), nil
}

// Counts returns the counters of the admin screen: all sessions, agent and
// customer sessions, and unique agent and customer logins (see [Counts]).
// A store that implements [Counter] counts them itself; otherwise every
// session is listed and counted here.
func (m *Manager) Counts(ctx context.Context) (Counts, error) {
	if c, ok := m.store.(Counter); ok {
		n, err := c.Counts(ctx)
		if err != nil {
			return Counts{}, fmt.Errorf("session: count: %w", err)
		}
		return n, nil
	}
	ss, err := m.List(ctx)
	if err != nil {
		return Counts{}, err
	}
	return Count(ss), nil
}

// Agents returns the agent sessions, sorted by CreatedAt, then ID; never
// nil.
func (m *Manager) Agents(ctx context.Context) ([]Session, error) {
	o, err := m.Overview(ctx)
	return o.Agents, err
}

// Customers returns the customer sessions, sorted by CreatedAt, then ID;
// never nil.
func (m *Manager) Customers(ctx context.Context) ([]Session, error) {
	o, err := m.Overview(ctx)
	return o.Customers, err
}

// Kill ends the session with the given ID. An unknown ID gives an error
// wrapping [ErrNotFound].
func (m *Manager) Kill(ctx context.Context, id string) error {
	if err := m.store.Delete(ctx, id); err != nil {
		return fmt.Errorf("session: kill %q: %w", id, err)
	}
	return nil
}

// KillAllExcept ends every session, agents and customers, except the
// caller's own, and returns how many it ended. ownID must come from the
// server side (the session of the request being served), never from a
// form field. An empty ownID gives an error wrapping [ErrNoOwnSession],
// and an ownID the store does not know one wrapping [ErrNotFound]; in both
// cases nothing is ended.
func (m *Manager) KillAllExcept(ctx context.Context, ownID string) (int, error) {
	if ownID == "" {
		return 0, fmt.Errorf("session: kill all except own: %w", ErrNoOwnSession)
	}
	n, err := m.store.DeleteAllExcept(ctx, ownID)
	if err != nil {
		return 0, fmt.Errorf("session: kill all except %q: %w", ownID, err)
	}
	return n, nil
}

// EndNonAdmin ends every session whose Admin flag is false, agents and
// customers, and returns how many it ended. Hosts that want only
// maintenance admins to stay logged in during a window call it when the
// window starts (Znuny never ends sessions by itself).
func (m *Manager) EndNonAdmin(ctx context.Context) (int, error) {
	n, err := m.store.DeleteNonAdmin(ctx)
	if err != nil {
		return 0, fmt.Errorf("session: end non-admin sessions: %w", err)
	}
	return n, nil
}
