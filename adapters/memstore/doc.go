// Package memstore holds in-memory stores for the sysmaint domain
// packages: [WindowStore] for package maintenance, SessionStore for
// package session and [Outbox] for package notify's Relay. They are the
// reference implementations of the store contracts (each runs its
// package's conformance suite) and the fakes for tests and demos. Nothing
// is persisted.
package memstore
