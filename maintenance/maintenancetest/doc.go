// Package maintenancetest holds the conformance suite for
// [maintenance.Store] adapters.
//
// [RunStoreTests] turns every sentence of the Store contract (and of
// [maintenance.ChangeTracker], [maintenance.PageLister] and
// [maintenance.ChangeNotifier], when the store implements them) into a
// subtest, each on a fresh store. An adapter's conformance test is three
// lines:
//
//	func TestConformance(t *testing.T) {
//		maintenancetest.RunStoreTests(t, func(t *testing.T) maintenance.Store { return newStore(t) })
//	}
//
// # Fixtures
//
// The suite stores only windows with a known [maintenance.Validity]; every
// other field takes arbitrary values, including ones the
// [maintenance.Manager] would refuse (stores do not validate). Instants lie
// in November 2026, but for one window at the ends of the valid range
// ([maintenance.MinTime], [maintenance.MaxTime]); no test reads the real
// clock or sleeps. Recurring windows carry rules, zones and exceptions,
// valid or not (up to [maintenance.MaxExceptions] exceptions): a store
// gives them back exactly, normalized, and keeps no Occurrence.
//
// # Concurrency
//
// The subtests run one after another, but some start goroutines of their
// own against one store (concurrent creates, concurrent updates at the same
// version): run the suite with -race.
package maintenancetest
