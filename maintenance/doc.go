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
// # Concurrency
//
// Manager, Schedule and Status are safe for concurrent use. Changes made
// through a Manager are seen by it at once; changes made by another process
// sharing the store are picked up by [Manager.Run], which the caller runs in
// a goroutine of its own. No goroutine is started by [New].
package maintenance
