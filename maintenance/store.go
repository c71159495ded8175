package maintenance

import "context"

// Store keeps windows. It is the contract every adapter fulfils; the
// conformance suite in package maintenancetest checks each sentence below.
//
// Every method takes a context first and returns an error satisfying
// errors.Is(err, context.Canceled) (or DeadlineExceeded) when the context
// is done before the work is; nothing is then written. Windows cross the
// boundary as values: a store never keeps or returns memory the caller can
// alias. Instants come back in UTC at millisecond precision. A window's
// Recurrence comes back as it was given, normalized (Window.Normalize),
// its Exceptions nil when there are none; its Occurrence is not kept and
// comes back zero. Stores do not validate: the [Manager] does, before it
// writes.
// A Store is safe for concurrent use.
type Store interface {
	// Create stores a copy of w under a new ID, unique in the store and
	// never reused, with Version 1, and returns the stored window. The
	// ID and Version passed in are ignored.
	Create(ctx context.Context, w Window) (Window, error)

	// Get returns the window with the given ID, or an error wrapping
	// ErrNotFound.
	Get(ctx context.Context, id int64) (Window, error)

	// Update replaces every field of the window w.ID except ID, CreatedAt
	// and CreatedBy, provided its stored Version equals w.Version, and
	// increments the Version. It returns the stored window. An unknown ID
	// gives an error wrapping ErrNotFound; a Version that differs from the
	// stored one gives an error wrapping ErrConflict, and nothing changes.
	Update(ctx context.Context, w Window) (Window, error)

	// Delete removes the window with the given ID, or returns an error
	// wrapping ErrNotFound.
	Delete(ctx context.Context, id int64) error

	// List returns the windows whose validity is one of those given (all
	// windows when none is given), sorted by Start, then ID. The result is
	// never nil: no windows is an empty slice.
	List(ctx context.Context, validity ...Validity) ([]Window, error)
}

// ChangeTracker is implemented by stores that can tell cheaply whether any
// window changed, for instance a store shared by several processes. The
// Manager's Run loop then reloads the schedule only when the revision moves.
type ChangeTracker interface {
	// Revision returns a number that changes whenever a window is created,
	// updated or deleted, by this process or any other sharing the store.
	Revision(ctx context.Context) (int64, error)
}

// ChangeNotifier is implemented by stores that push word of their changes
// as they happen, such as PostgreSQL with LISTEN/NOTIFY. [Manager.Run] then
// reloads within milliseconds of a change made by any process, and polls
// the [ChangeTracker] only as a slow safety net.
type ChangeNotifier interface {
	ChangeTracker
	// WatchChanges listens for changes until ctx is done, then returns
	// nil. It calls report(nil) each time listening starts or resumes
	// (changes made while it was not listening were not announced: the
	// caller compares revisions) and after every change to a window made
	// by any process; it calls report with an error when listening fails,
	// and tries again by itself. report is called from one goroutine at a
	// time and must not block.
	WatchChanges(ctx context.Context, report func(error)) error
}
