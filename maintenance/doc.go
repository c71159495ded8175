// Package maintenance models planned maintenance windows and answers, on
// the request path and at no cost, whether maintenance is active, which
// window is coming, and when it ends.
//
// A [Window] is an interval [Start, Stop) with the texts shown to users and
// a [Validity]; only valid windows count. The [Manager] adds, updates and
// deletes windows through a [Store] (see package
// github.com/sysmaint/sysmaint/adapters/memstore and
// github.com/sysmaint/sysmaint/adapters/sqlstore), validates them, stamps
// the audit fields, and compiles every valid window into an immutable
// [Schedule] whose [Status] at an instant is an atomic load and two integer
// comparisons.
//
// Screens and APIs that show windows a page at a time ask
// [Manager.ListPage] with a [PageQuery] (filters by validity and state, a
// cursor, a limit); a store that implements [PageLister] reads that page
// only, any other is listed whole and paged in memory ([SelectPage]).
//
// # Rules
//
// A window is active at t when it is valid and Start <= t < Stop: the stop
// instant is already outside. It is upcoming when it is valid and
// t < Start <= t+lead, with the lead time of [Options.Lead] (default 30
// minutes) or the window's own Lead. When several windows are active, all
// are known ([Status.ActiveWindows]); the one that started last supplies the
// messages ([Status.Window]), ties going to the lowest ID. The upcoming
// window is the one that starts soonest. [Status.End] is the stop of the
// chain of overlapping or touching active windows, the honest value for a
// Retry-After header.
//
// # Time
//
// Time comes from the injected clock ([Options.Clock], a
// github.com/benbjohnson/clock Clock; the real clock by default, a
// *clock.Mock in tests). Instants are kept in UTC at millisecond precision.
// A window's Start and Stop lie in the years 1 to 9999 ([MinTime],
// [MaxTime]) and its own Lead is at most [MaxLead] (366 days), so every
// store keeps them exactly and no arithmetic on them overflows; validation
// refuses the rest. A [Schedule] answers any instant a time.Time can hold:
// those beyond the reach of int64 Unix milliseconds are clamped, never
// wrapped (see [Compile]).
//
// # Errors
//
// Invalid windows give a *[ValidationError] listing every bad field. A
// missing window gives an error wrapping [ErrNotFound]; a stale update one
// wrapping [ErrConflict]. Context errors pass through unchanged. Check
// them with errors.Is and errors.As.
//
// # Testing
//
// A host tests its maintenance behaviour in either of two ways.
//
// With a *clock.Mock (github.com/benbjohnson/clock) in [Options.Clock]:
// set it to a fixed date first (it starts at 1970), then move it with Set
// or Add. This is what sysmaint's own tests do. The package
// benbjohnson/clock is archived but works, and it stays the type of
// [Options.Clock], so suites built on it go on working.
//
// With Go's testing/synctest and the real clock (no Clock option): inside
// synctest.Test every goroutine of the bubble runs on a fake clock that
// starts at 2000-01-01 00:00 UTC and jumps forward, at once, whenever all
// of them are blocked; time.Sleep in the test moves it. Build the Manager,
// its store and everything else inside the bubble, start the background
// loops there, and cancel their context before the bubble ends, so they
// return:
//
//	synctest.Test(t, func(t *testing.T) {
//		ctx, cancel := context.WithCancel(t.Context())
//		m := maintenance.New(memstore.NewWindowStore(), nil)
//		start := time.Now().Add(10 * time.Minute)
//		_, _ = m.Add(ctx, maintenance.Window{Start: start, Stop: start.Add(time.Hour),
//			Comment: "upgrade", Validity: maintenance.Valid}, "admin")
//		done := make(chan error)
//		go func() { done <- m.Run(ctx) }()
//		time.Sleep(time.Until(start)) // exactly at the start, at once
//		if !m.Status().Active() { t.Fatal("not active at its start") }
//		cancel()
//		<-done
//	})
//
// Every goroutine sysmaint starts waits on timers and channels only, so it
// lets the fake time move: [Manager.Run], and notify.Watch and notify.Relay
// (package github.com/sysmaint/sysmaint/notify), with the in-memory stores
// of github.com/sysmaint/sysmaint/adapters/memstore. The exceptions are
// stores that wait on the network: the PostgreSQL store's change listener
// (adapters/pgstore, used by Run) blocks on its connection, which synctest
// does not count as blocked, so fake time stands still while it listens;
// test such hosts with a *clock.Mock, or with memstore. A SQLite store
// (adapters/sqlstore) works in a bubble if it is opened and closed inside
// it. The example test TestSynctest_WindowStartsOnTime of package
// github.com/sysmaint/sysmaint/adapters/middleware shows Run, Watch, Relay
// and the lockout at the exact instant a window starts.
//
// # Concurrency
//
// Manager, Schedule and Status are safe for concurrent use. Changes made
// through a Manager are seen by it at once; changes made by another process
// sharing the store are picked up by [Manager.Run], which the caller runs in
// a goroutine of its own. No goroutine is started by [New].
package maintenance
