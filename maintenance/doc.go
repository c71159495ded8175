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
// # Recurrence
//
// A window may repeat ([Window.Recurrence]): "every Sunday 02:00-04:00
// Europe/Berlin", "the first Tuesday of each month, 22:00-23:00 New York
// time". A [Recurrence] holds an RFC 5545 RRULE (FREQ DAILY, WEEKLY,
// MONTHLY or YEARLY, with INTERVAL, BYMONTH, BYMONTHDAY, BYDAY with
// ordinals such as 1TU or -1FR, WKST, and COUNT or UNTIL; see [ParseRule]),
// the IANA zone the rule runs in, and exceptions (EXDATE: occurrences that
// do not happen, each named by its start). Start and Stop are those of the
// first occurrence. Every occurrence starts at the wall-clock time of Start
// in the zone, on each date the rule selects, and lasts Stop - Start.
//
// Each occurrence is a window of its own in the [Schedule], with the
// recurring window's ID, texts and validity and the occurrence's Start and
// Stop: [Status.Window], [Status.Upcoming] and [Status.ActiveWindows]
// report occurrences, marked by [Window.Occurrence] (their start as the
// rule gives it), so banners, login texts, Retry-After and events speak of
// the occurrence at hand. [Window.Occurrences] lists the next occurrences
// of a window, stored or not (a form's preview, an overview's "next");
// [Window.Align] moves a Start to the rule's first occurrence;
// [Window.Calendar] gives the DTSTART, DURATION, RRULE and EXDATE of an
// iCalendar event that shows the same occurrences.
//
// # Daylight saving
//
// Occurrences follow RFC 5545 (section 3.3.5) where the zone's clocks
// change. A wall-clock start that falls in a gap (the clocks spring
// forward) moves forward by the length of the gap: "02:30 Europe/Berlin" on
// the last Sunday of March is 03:30 CEST. A wall-clock start that occurs
// twice (the clocks fall back) is the first of the two instants: "02:30
// Europe/Berlin" on the last Sunday of October is 02:30 CEST, not CET.
//
// Every occurrence lasts the same exact time, Stop - Start: the duration
// is absolute, not wall-clock, as RFC 5545 has it for an event with DTEND
// or a DURATION in hours, so that calendar clients show the occurrences
// the schedule enforces. "Every Sunday 02:00-04:00 Europe/Berlin" is
// active from 02:00 to 04:00 local time on every Sunday but two: on the
// Sunday the clocks spring forward, 02:00 does not exist and maintenance
// runs from 03:00 to 05:00 CEST; on the Sunday they fall back, it starts at
// the first 02:00 (CEST) and ends two hours later, at 03:00 CET.
//
// A recurring window's Start must be its rule's first occurrence, so a
// Start in the second of two equal wall-clock hours, or on a date the rule
// does not select, is refused; Window.Align fixes the latter.
//
// # Horizon
//
// A schedule holds the occurrences over a horizon ([Horizon]): a
// Manager's runs from a day before its clock's now to [Options.Horizon]
// after it (400 days by default). [Manager.Run] moves it forward once a
// day, recompiling the schedule in force from the windows it already holds
// (no store read, the rules parsed once), which costs what expanding the
// occurrences does: some tens of milliseconds for a thousand weekly rules,
// once a day, off the request path. [Status.Next] is never later than the
// end of the horizon, so a caller waiting for the next change looks again
// by then. Checking the status costs the same with a thousand rules in
// force as with none.
//
// # Bounds
//
// Rules repeat no more often than daily and have no parts that set a time
// of day (BYHOUR and the like are refused), so a rule has at most one
// occurrence a day: some 400 in the default horizon, however it is
// written, and a horizon is at most [MaxHorizon] (five years) long.
// A rule is at most [MaxRuleLen] bytes, INTERVAL at most [MaxInterval],
// COUNT at most [MaxCount]; a window has at most [MaxExceptions]
// exceptions, each an occurrence, and lasts at most [MaxOccurrenceLength];
// a zone name is at most [MaxZoneLen] bytes. A rule with no occurrence at
// all is refused ([ReasonNoOccurrence]).
//
// # Editing occurrences
//
// [Manager.SkipOccurrence] skips one occurrence (an exception);
// [Manager.MoveOccurrence] moves one (an exception, and a window of its
// own at the new times); [Manager.UpdateFollowing] changes a recurring
// window from one occurrence on and keeps the past ones as they were (the
// stored window ends before it, the rest becomes a new window).
// [Manager.Update] replaces a recurring window whole, past included.
//
// # Expansion
//
// Rules are expanded by github.com/teambition/rrule-go, which is relied on
// for the calendar: which dates a rule selects (FREQ, INTERVAL, BYMONTH,
// BYMONTHDAY with negative days, BYDAY with ordinals, WKST), in order,
// none before DTSTART. What it does otherwise is corrected or avoided:
//
//   - It computes in DTSTART's location with time.Date, whose choice in a
//     gap or an overlap depends on the zone (in Europe/Berlin's fall-back
//     hour it gives the second instant, in America/New_York's spring gap
//     it moves an hour back). So it is handed DTSTART as a floating
//     wall-clock time in UTC, where clocks never change, and each result is
//     resolved in the zone by this package, by the rule above.
//   - UNTIL is an instant: this package compares it with each resolved
//     start, inclusive, rather than leave it to rrule-go's floating times.
//   - It always walks from DTSTART, and by default ends some 290 years
//     after it. So expansion starts from a later DTSTART on the rule's own
//     period (a whole number of intervals of days, weeks, months or years
//     after the first), with the defaults RFC 5545 takes from DTSTART (the
//     weekday of a WEEKLY rule without BYDAY, the day of a MONTHLY one)
//     made explicit first; a rule with a COUNT is walked from its DTSTART
//     once, to find its last occurrence.
//   - It works at whole seconds: recurring windows start and stop on whole
//     seconds.
//   - It stops at the year 9999: a rule with no occurrence at all takes up
//     to some 0.1 s to refuse.
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
