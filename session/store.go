package session

import (
	"context"
	"time"
)

// Store keeps sessions. It is the contract every adapter fulfils; the
// conformance suite in package sessiontest checks each sentence below.
//
// Every method takes a context first and returns an error satisfying
// errors.Is(err, context.Canceled) (or DeadlineExceeded) when the context
// is done before the work is; nothing is then written. Sessions cross the
// boundary as values: a store never keeps or returns memory the caller can
// alias. Instants come back in UTC at millisecond precision.
// A Store is safe for concurrent use.
type Store interface {
	// Create stores a copy of s under s.ID, which the host chooses. A
	// session that fails [Session.Validate] (an over-long field among
	// them: a store does not cut, the Manager does) gives an error
	// wrapping ErrInvalid; an ID already stored gives an error wrapping
	// ErrExists. In both cases nothing is written.
	Create(ctx context.Context, s Session) error

	// Get returns the session with the given ID, or an error wrapping
	// ErrNotFound.
	Get(ctx context.Context, id string) (Session, error)

	// List returns every session, agents and customers, sorted by
	// CreatedAt, then ID. The result is never nil: no sessions is an empty
	// slice.
	List(ctx context.Context) ([]Session, error)

	// Touch sets the LastRequestAt of the session with the given ID to at
	// (in UTC, truncated to the millisecond) and changes nothing else. An
	// unknown ID gives an error wrapping ErrNotFound; an instant that fails
	// [ValidateTouch] (outside the years 1 to 9999) one wrapping
	// ErrInvalid, and nothing changes.
	Touch(ctx context.Context, id string, at time.Time) error

	// Delete removes the session with the given ID, or returns an error
	// wrapping ErrNotFound.
	Delete(ctx context.Context, id string) error

	// DeleteAllExcept removes every session, agents and customers, except
	// the one whose ID is keepID, and returns how many it removed. It is
	// atomic: a session is either kept or removed, never half of the set.
	// An empty keepID gives an error wrapping ErrNoOwnSession, and an
	// unknown keepID one wrapping ErrNotFound; in both cases nothing is
	// removed, so a caller whose own session has gone cannot end everyone
	// else's by mistake.
	DeleteAllExcept(ctx context.Context, keepID string) (int, error)

	// DeleteNonAdmin removes every session whose Admin is false, agents
	// and customers, and returns how many it removed. Admin sessions are
	// kept.
	DeleteNonAdmin(ctx context.Context) (int, error)
}

// Counter is implemented by stores that count sessions without listing
// them, for instance with one aggregate query in SQL. [Manager.Counts] uses
// it when the store has it, so the admin screen's counters cost the same
// for a million sessions as for ten rows read.
type Counter interface {
	// Counts returns the counters of every session in the store, exactly
	// as [Count] computes them from the result of List.
	Counts(ctx context.Context) (Counts, error)
}
