package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/sysmaint/sysmaint/session"
)

// SessionStore is a session.Store that keeps sessions in memory. It is the
// reference implementation of the contract and the fake for tests. The
// zero value is not ready: use NewSessionStore. A SessionStore is safe for
// concurrent use.
type SessionStore struct {
	mu       sync.RWMutex
	sessions map[string]session.Session
}

// NewSessionStore returns an empty SessionStore.
func NewSessionStore() *SessionStore {
	return &SessionStore{sessions: map[string]session.Session{}}
}

var (
	_ session.Store   = (*SessionStore)(nil)
	_ session.Counter = (*SessionStore)(nil)
)

// Create implements session.Store.
func (s *SessionStore) Create(ctx context.Context, ss session.Session) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := ss.Validate(); err != nil {
		return fmt.Errorf("memstore: create session: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[ss.ID]; ok {
		return fmt.Errorf("memstore: create session %q: %w", ss.ID, session.ErrExists)
	}
	s.sessions[ss.ID] = ss.Normalize()
	return nil
}

// Get implements session.Store.
func (s *SessionStore) Get(ctx context.Context, id string) (session.Session, error) {
	if err := ctx.Err(); err != nil {
		return session.Session{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	ss, ok := s.sessions[id]
	if !ok {
		return session.Session{}, fmt.Errorf("memstore: get session %q: %w", id, session.ErrNotFound)
	}
	return ss, nil
}

// List implements session.Store.
func (s *SessionStore) List(ctx context.Context) ([]session.Session, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	out := make([]session.Session, 0, len(s.sessions))
	for _, ss := range s.sessions {
		out = append(out, ss)
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b session.Session) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Counts implements session.Counter: it counts under the lock, without
// copying or sorting the sessions as List does.
func (s *SessionStore) Counts(ctx context.Context) (session.Counts, error) {
	if err := ctx.Err(); err != nil {
		return session.Counts{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := session.Counts{All: len(s.sessions)}
	logins := map[session.Kind]map[string]struct{}{session.Agent: {}, session.Customer: {}}
	for _, ss := range s.sessions {
		switch ss.Kind {
		case session.Agent:
			c.Agents++
		case session.Customer:
			c.Customers++
		default:
			continue
		}
		logins[ss.Kind][ss.UserLogin] = struct{}{}
	}
	c.UniqueAgents, c.UniqueCustomers = len(logins[session.Agent]), len(logins[session.Customer])
	return c, nil
}

// Touch implements session.Store.
func (s *SessionStore) Touch(ctx context.Context, id string, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := session.ValidateTouch(id, at); err != nil {
		return fmt.Errorf("memstore: touch session: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.sessions[id]
	if !ok {
		return fmt.Errorf("memstore: touch session %q: %w", id, session.ErrNotFound)
	}
	ss.LastRequestAt = session.NormalizeTime(at)
	s.sessions[id] = ss
	return nil
}

// Delete implements session.Store.
func (s *SessionStore) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[id]; !ok {
		return fmt.Errorf("memstore: delete session %q: %w", id, session.ErrNotFound)
	}
	delete(s.sessions, id)
	return nil
}

// DeleteAllExcept implements session.Store.
func (s *SessionStore) DeleteAllExcept(ctx context.Context, keepID string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if keepID == "" {
		return 0, fmt.Errorf("memstore: delete sessions except own: %w", session.ErrNoOwnSession)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	keep, ok := s.sessions[keepID]
	if !ok {
		return 0, fmt.Errorf("memstore: delete sessions except %q: %w", keepID, session.ErrNotFound)
	}
	n := len(s.sessions) - 1
	s.sessions = map[string]session.Session{keepID: keep}
	return n, nil
}

// DeleteNonAdmin implements session.Store.
func (s *SessionStore) DeleteNonAdmin(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, ss := range s.sessions {
		if !ss.Admin {
			delete(s.sessions, id)
			n++
		}
	}
	return n, nil
}
