// Package notifytest holds the conformance suite for [notify.Outbox]
// adapters.
//
// [RunOutboxTests] turns every sentence of the Outbox contract into a
// subtest, each on a fresh outbox. An adapter's conformance test is three
// lines:
//
//	func TestOutbox_Conformance(t *testing.T) {
//		notifytest.RunOutboxTests(t, func(t *testing.T) notify.Outbox { return newOutbox(t) })
//	}
//
// # Fixtures
//
// Instants lie in November 2026 and are passed in, as the contract says;
// no test reads the real clock or sleeps.
//
// # Concurrency
//
// The subtests run one after another, but one starts goroutines of its own
// against one outbox (concurrent claimers): run the suite with -race.
package notifytest
