// Package scsstore lets a host that manages its sessions with
// github.com/alexedwards/scs/v2 keep them there and still get sysmaint's
// session features: the admin screen's counters and lists, kill one, kill
// all except own, and the ending of non-admin sessions during a window. A
// [Store] is a [session.Store] over an scs SessionManager and its store,
// any scs store that can iterate (memstore, sqlite3store, postgresstore,
// pgxstore, redisstore, ...):
//
//	sm := scs.New()
//	sm.Store = sqlite3store.New(db)
//	sm.HashTokenInStore = true // required: session IDs are hashes, never cookies
//	st := scsstore.New(sm, nil)
//	sessions := session.New(st, nil) // Overview, Counts, Kill, KillAllExcept, EndNonAdmin
//	http.ListenAndServe(addr, st.LoadAndSave(mux)) // instead of sm.LoadAndSave(mux)
//
// and at login, once the password and the login rule
// (maintenance.Manager.CheckLogin) have passed:
//
//	err := st.Mark(r.Context(), scsstore.Info{Kind: session.Agent, UserLogin: u.Login, Admin: u.Admin})
//
// examples/scs is a whole host built this way.
//
// # Which sessions
//
// The sessions sysmaint sees are the scs sessions a host marked with
// [Store.Mark], which keeps an [Info] under [Key] in the session data.
// Other scs sessions (visitors who never logged in, a cart, a CSRF token)
// are neither listed nor ended. Sessions logged in before the host called
// Mark are unknown to sysmaint until their users log in again; a host that
// turns on HashTokenInStore to add the adapter ends them anyway.
//
// # IDs
//
// A session's ID is its key in the scs store: with HashTokenInStore, the
// SHA-256 of the cookie's token in unpadded base64url ([ID]). An admin
// screen may show it and post it back to kill the session; it cannot be
// replayed as a cookie, since scs would hash it again. [Store.SessionID]
// gives the ID of the request's own session, the one to keep in
// KillAllExcept. Renewing the token (sm.RenewToken, Mark) gives a session
// a new ID; kills follow the session anyway, by a serial number kept in its
// data.
//
// # Ending sessions for good
//
// scs writes a session back to its store at the end of every request that
// changed it (of every request, with an idle timeout), whatever happened
// to it meanwhile; and its stores have no transactions and no bulk delete.
// So removing a session's data does not end it: a request in flight puts
// it back, and a kill of many that stops halfway leaves the rest. The
// Store ends sessions in a kill record, kept in the scs store itself under
// [RecordKey], and the guard ([Store.LoadAndSave], [Store.Guard]) checks
// every request's marked session against it:
//
//   - kill one ([Store.Delete]), logout ([Store.Kill]) and [Store.End]
//     bury the session's serial (until the session could no longer exist:
//     its deadline, or sm.Lifetime after the kill, plus an hour);
//   - kill all except own ([Store.DeleteAllExcept]) and end non-admin
//     ([Store.DeleteNonAdmin]) raise the record's generation: every
//     session carries the generation it was marked with, so one write ends
//     every session marked before it (but the own one, or the admins'),
//     however many there are.
//
// Then the ended sessions' data is removed, one store delete each, as
// cleanup.
//
// What holds: once a kill has returned, every session it ended is refused
// by the guard of this instance at its next request, and by the guard of
// every other instance at its first request that starts more than
// Options.Refresh (default 1 s) after the kill, whatever the store, even
// when its data is still there (the deletes not done yet, the process
// gone, or a request in flight having written it back). Refused means: its
// data is destroyed, its cookie cleared, and the request goes on without a
// session (or to Options.Ended). Get, List and Counts read the record
// afresh, so no ended session is found, listed or counted again. The
// Store's methods write the record one at a time within a process, so the
// contract of session.Store holds there, its concurrency sentences
// included; and DeleteAllExcept is atomic as the contract asks, as seen
// through the Store: a session is ended by the one write of the record,
// or not at all.
//
// What does not hold across processes: scs's Store interface has no
// compare-and-swap, so the record is read, changed and written back. Two
// kills on two instances within the time of one such read and write may
// lose one change to the record: the last writer's stands. Each caller
// still removes the data of the sessions it ended, so what is lost is only
// the guard's protection of those sessions against a request in flight;
// and two kills of all but the caller's own at once end both callers'
// sessions (each removes the other's data), more than either asked, never
// fewer. Nor is Create atomic across processes (no insert-if-absent); the
// tokens Mark gets from scs are random, so logins never collide.
//
// # Costs
//
//   - The guard: a request without a marked session costs one lookup in
//     the session data; one with, a parse of its sysmaint data (a
//     microsecond), and, per instance, one read of the kill record per
//     Options.Refresh. When LastRequestAt is Options.TouchEvery old, the
//     request changes the session, and scs writes it at its end.
//   - Mark reads the kill record once, and renews the token (a delete).
//   - Get reads the session and the kill record; Delete reads both and
//     writes the record, then deletes the session.
//   - List, Counts, DeleteAllExcept and DeleteNonAdmin read every entry of
//     the scs store (All) and decode each with the codec: their cost grows
//     with the number of sessions. A Store is therefore no
//     [session.Counter]: Manager.Counts lists and counts, some 17 µs per
//     session with scs's gob codec, most of it gob's (170 ms for 10 000
//     sessions in memstore; BenchmarkStore_Counts).
//     DeleteAllExcept and DeleteNonAdmin then write the record once and
//     delete each ended session.
//   - The kill record holds one tombstone of some 50 bytes per session
//     killed one by one in the last sm.Lifetime, read by every instance
//     once per Options.Refresh.
//
// # Time and expiry
//
// Options.Clock stamps CreatedAt (at Mark) and LastRequestAt, orders
// kills, and times the guard's copy of the kill record. LastRequestAt is
// the start of the last request that found it at least Options.TouchEvery
// old (default one minute): it lags the real last request by less than
// that, and costs one session write per TouchEvery per active session.
//
// Expiry is not on that clock. scs computes deadlines with time.Now, and
// its stores compare them with the real time (Go's, SQLite's
// julianday('now'), PostgreSQL's current_timestamp); the Store writes the
// expiries of what it stores (Create, Touch, the kill record) from the
// real clock as well, since a mock set to another date would make them
// expire at once, or never. Tests with a *clock.Mock therefore keep
// sm.Lifetime at its default of 24 hours (or longer), so that nothing
// expires during a test, and treat an expiry as what it is for sysmaint,
// the session's data leaving the store: they remove it (sm.Store.Delete of
// the ID) rather than wait. Everything sysmaint decides (CreatedAt,
// LastRequestAt, the guard's refresh, the windows) follows the mock.
//
// # Codecs
//
// The value under Key is a string (JSON text), and so is the kill record's
// value: every scs Codec encodes strings, gob and JSON alike. The kill
// record is encoded by sm.Codec like a session, so that sm.Iterate still
// decodes every entry of the store; it shows up there as a session with
// one value, under RecordKey, that host code iterating sessions skips.
//
// # Errors
//
// Errors are those of session.Store, wrapped with the operation; errors
// of the scs store and the codec pass through wrapped. Mark refuses bad
// Info with a *session.ValidationError naming every bad field. A kill
// record that cannot be decoded (written by hand, or by a newer version)
// is an error for everything that reads it, the guard included: no marked
// session is let through unchecked. Removing the entry under RecordKey
// recovers, and forgets the kills it held.
//
// # Concurrency
//
// A Store is safe for concurrent use. [New] does no I/O and starts no
// goroutine.
package scsstore
