package maintenancetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

// RunStoreTests runs the conformance suite for [maintenance.Store] against
// the stores newStore returns: one subtest per sentence of the contract,
// grouped by method, each on a fresh store. newStore is called once per
// subtest with that subtest's t; it must return an empty store and may
// register cleanups on t (to close a database, say). When the store also
// implements [maintenance.ChangeTracker], [maintenance.ChangeLister],
// [maintenance.PageLister] or [maintenance.ChangeNotifier], their
// contracts are checked too; otherwise those subtests are skipped.
func RunStoreTests(t *testing.T, newStore func(t *testing.T) maintenance.Store) {
	t.Helper()
	for _, c := range storeCases() {
		c.exec(t, newStore)
	}
}

// tcase is a subtest: a leaf that runs on a fresh store, or a group of
// subtests.
type tcase struct {
	name string
	run  func(t *testing.T, s maintenance.Store)
	sub  []tcase
}

func (c tcase) exec(t *testing.T, newStore func(t *testing.T) maintenance.Store) {
	t.Helper()
	t.Run(c.name, func(t *testing.T) {
		if c.run != nil {
			s := newStore(t)
			require.NotNil(t, s, "newStore returned nil")
			c.run(t, s)
			return
		}
		for _, sub := range c.sub {
			sub.exec(t, newStore)
		}
	})
}

func storeCases() []tcase {
	return []tcase{
		{name: "Create", sub: []tcase{
			{name: "AssignsNewIDsAndVersion1", run: testCreateAssignsIDs},
			{name: "IgnoresIDAndVersionPassedIn", run: testCreateIgnoresIDAndVersion},
			{name: "NeverReusesIDs", run: testCreateNeverReusesIDs},
			{name: "ReturnsStoredWindow", run: testCreateReturnsStored},
			{name: "RoundTripsEveryField", run: testRoundTripEveryField},
			{name: "ShowLoginMessage", run: testRoundTripShowLoginMessage},
			{name: "Unicode250Runes", run: testRoundTripUnicode},
			{name: "EndsOfTheValidRange", run: testRoundTripValidRangeEnds},
			{name: "InstantsInUTCAtMillisecond", run: testCreateNormalizesInstants},
			{name: "ZeroInstantsStayZero", run: testCreateZeroInstants},
			{name: "DoesNotValidate", run: testCreateDoesNotValidate},
		}},
		{name: "Get", sub: []tcase{
			{name: "UnknownIDIsNotFound", run: testGetNotFound},
		}},
		{name: "Update", sub: []tcase{
			{name: "ReplacesEveryFieldButIDAndCreated", run: testUpdateReplaces},
			{name: "IncrementsVersion", run: testUpdateIncrementsVersion},
			{name: "InstantsInUTCAtMillisecond", run: testUpdateNormalizesInstants},
			{name: "UnknownIDIsNotFound", run: testUpdateNotFound},
			{name: "StaleVersionIsConflict", run: testUpdateConflict},
			{name: "LeavesOtherWindowsAlone", run: testUpdateOthersUntouched},
		}},
		{name: "Delete", sub: []tcase{
			{name: "Removes", run: testDeleteRemoves},
			{name: "TwiceIsNotFound", run: testDeleteTwice},
			{name: "UnknownIDIsNotFound", run: testDeleteNotFound},
		}},
		{name: "List", sub: []tcase{
			{name: "EmptyStoreIsEmptyNotNil", run: testListEmpty},
			{name: "NoMatchIsEmptyNotNil", run: testListNoMatch},
			{name: "AllWhenNoValidityGiven", run: testListAll},
			{name: "ByValidity", run: testListByValidity},
			{name: "SortedByStartThenID", run: testListSorted},
		}},
		{name: "Recurrence", sub: []tcase{
			{name: "RoundTripsRuleZoneAndExceptions", run: testRecurrenceRoundTrips},
			{name: "UpdateReplacesAndClears", run: testRecurrenceUpdate},
			{name: "ExceptionsInUTCAtMillisecondSorted", run: testRecurrenceNormalizesExceptions},
			{name: "MaxExceptions", run: testRecurrenceMostExceptions},
			{name: "OccurrenceIsNotKept", run: testRecurrenceOccurrenceNotKept},
			{name: "ExceptionsDoNotAlias", run: testRecurrenceIsolation},
		}},
		{name: "Isolation", sub: []tcase{
			{name: "ChangingThePassedWindow", run: testIsolationPassed},
			{name: "ChangingAReturnedWindow", run: testIsolationReturned},
		}},
		{name: "Context", sub: contextCases()},
		{name: "Concurrency", sub: []tcase{
			{name: "CreatesFromManyGoroutines", run: testConcurrentCreates},
			{name: "UpdatesAtTheSameVersion", run: testConcurrentUpdates},
			{name: "ReadsDuringWrites", run: testConcurrentReadsWrites},
		}},
		{name: "ChangeTracker", sub: []tcase{
			{name: "ChangesAfterCreate", run: testRevisionAfterCreate},
			{name: "ChangesAfterUpdate", run: testRevisionAfterUpdate},
			{name: "ChangesAfterDelete", run: testRevisionAfterDelete},
			{name: "SameAfterReads", run: testRevisionAfterReads},
			{name: "SameAfterFailedWrites", run: testRevisionAfterFailures},
		}},
		{name: "ChangeLister", sub: []tcase{
			{name: "FreshStore", run: testChangesFreshStore},
			{name: "CreatesUpdatesAndDeletesSinceNothingOlder", run: testChangesSince},
			{name: "EveryValidity", run: testChangesEveryValidity},
			{name: "SkippedOccurrence", run: testChangesSkippedOccurrence},
			{name: "UnknownRevisions", run: testChangesUnknownRevisions},
			{name: "FarBehind", run: testChangesFarBehind},
			{name: "ReplayWhileWriting", run: testChangesWhileWriting},
		}},
		{name: "PageLister", sub: []tcase{
			{name: "EmptyStoreIsAnEmptyPage", run: testPageEmpty},
			{name: "AgreesWithSelectPageOverList", run: testPageAgreesWithList},
			{name: "WalkVisitsEveryMatchOnce", run: testPageWalk},
			{name: "BadQueryIsRefused", run: testPageBadQuery},
		}},
		{name: "ChangeNotifier", sub: []tcase{
			{name: "ReportsListeningThenEveryWrite", run: testNotifierReportsWrites},
			{name: "ReturnsNilWhenDone", run: testNotifierReturns},
		}},
	}
}
