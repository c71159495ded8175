// Package session keeps track of the host application's logged-in users,
// so that maintenance admins can see who is working and end their
// sessions before or during a maintenance window.
//
// The host records a [Session] when a user logs in ([Manager.Add]), may
// record each use ([Manager.Touch]), and removes it at logout
// ([Manager.Kill]). sysmaint never authenticates anyone and never reads
// cookies: the session ID is whatever the host uses to identify a
// session (its cookie token, or better a hash of it). Sessions live in a
// [Store]; see github.com/sysmaint/sysmaint/adapters/memstore and
// github.com/sysmaint/sysmaint/adapters/sqlstore.
//
// # The admin screen
//
// [Manager.Overview] returns what the "Manage Sessions" section shows, from
// one read of the store: the [Counts] (all sessions, agent and customer
// sessions, unique agents and unique customers) and the agent and customer
// sessions. Uniqueness is per kind: "bob" logged in twice as an agent and
// once as a customer is one unique agent and one unique customer (Znuny
// kept one set of logins for both kinds and did not count the second).
//
// # Ending sessions
//
// [Manager.Kill] ends one session. [Manager.KillAllExcept] ends every
// session, agents and customers, except the caller's own, in one atomic
// step. The own session ID is required and must come from the server side
// (the session of the request being served), never from a form field: an
// empty ID is refused with [ErrNoOwnSession] and an ID the store does not
// know with [ErrNotFound], and in both cases nothing is ended. (Znuny
// trusted a request parameter and, when it was empty, ended every session
// including the admin's own.)
//
// [Manager.EndNonAdmin] ends every session whose [Session.Admin] flag is
// false. Znuny never ends sessions by itself; a host that wants only
// maintenance admins to stay logged in during a window calls it when the
// window starts (for instance from a maintenance event).
//
// # Limits
//
// Every text field is bounded, so no client can fill a disk through its
// User-Agent header: the identity fields (ID, UserLogin) are refused when
// longer than [MaxIDLen] or [MaxUserLoginLen] bytes, since cutting them
// could make two different things equal; the descriptive fields
// (UserFullName, RemoteAddr, UserAgent) are cut to [MaxUserFullNameLen],
// [MaxRemoteAddrLen] and [MaxUserAgentLen] bytes on a character boundary by
// [Session.Normalize], which [Manager.Add] calls. Text is UTF-8: invalid
// bytes in a descriptive field become U+FFFD, an identity field with
// invalid bytes is refused. A store handed a session directly cuts
// nothing: it refuses whatever [Session.Validate] refuses.
//
// # Time
//
// Time comes from the injected clock ([Options.Clock], a
// github.com/benbjohnson/clock Clock; the real clock by default, a
// *clock.Mock in tests), used to stamp CreatedAt and LastRequestAt.
// Instants are kept in UTC at millisecond precision ([Session.Normalize]),
// and lie in the years 1 to 9999 ([MinTime], [MaxTime]); a session or a
// [Manager.Touch] outside them is refused rather than stored in another
// year.
//
// # Errors
//
// A missing session gives an error wrapping [ErrNotFound], a duplicate ID
// one wrapping [ErrExists], a session that cannot be stored a
// *[ValidationError] naming every bad field, which wraps [ErrInvalid], and
// "kill all except own" without an own ID one wrapping [ErrNoOwnSession].
// Context errors pass through unchanged. Check them with errors.Is, and
// the fields with errors.As.
//
// # Concurrency
//
// A Manager is safe for concurrent use, and so is every Store. No
// goroutine is started by [New].
package session
