package notifytest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// RunOutboxTests runs the conformance suite for [notify.Outbox] against the
// outboxes newOutbox returns: one subtest per sentence of the contract,
// grouped by method, each on a fresh outbox. newOutbox is called once per
// subtest with that subtest's t; it must return an empty outbox and may
// register cleanups on t (to close a database, say).
func RunOutboxTests(t *testing.T, newOutbox func(t *testing.T) notify.Outbox) {
	t.Helper()
	for _, c := range outboxCases() {
		c.exec(t, newOutbox)
	}
}

// tcase is a subtest: a leaf that runs on a fresh outbox, or a group.
type tcase struct {
	name string
	run  func(t *testing.T, o notify.Outbox)
	sub  []tcase
}

func (c tcase) exec(t *testing.T, newOutbox func(t *testing.T) notify.Outbox) {
	t.Helper()
	t.Run(c.name, func(t *testing.T) {
		if c.run != nil {
			o := newOutbox(t)
			require.NotNil(t, o, "newOutbox returned nil")
			c.run(t, o)
			return
		}
		for _, sub := range c.sub {
			sub.exec(t, newOutbox)
		}
	})
}

func outboxCases() []tcase {
	return []tcase{
		{name: "Record", sub: []tcase{
			{name: "StoresOnceByID", run: testRecordOnce},
			{name: "DueAtOnce", run: testRecordDueAtOnce},
			{name: "RoundTripsEveryKindAndField", run: testRoundTrip},
			{name: "EventsCrossAsValues", run: testNoAliasing},
			{name: "InstantsInUTCAtMillisecond", run: testRecordNormalizes},
			{name: "ZeroInstantsStayZero", run: testRecordZeroInstants},
			{name: "LateIsNotKept", run: testRecordLate},
			{name: "UnknownKindIsRefused", run: testRecordUnknownKind},
		}},
		{name: "Claim", sub: []tcase{
			{name: "NoneIsEmptyNotNil", run: testClaimEmpty},
			{name: "OnlyDue", run: testClaimOnlyDue},
			{name: "AtMostMax", run: testClaimMax},
			{name: "InOrder", run: testClaimOrder},
			{name: "LeaseExcludesEveryOwnerUntilItEnds", run: testClaimLease},
			{name: "RefusesBadArguments", run: testClaimRefuses},
			{name: "ConcurrentClaimersGetDisjointEvents", run: testClaimConcurrent},
		}},
		{name: "Ack", sub: []tcase{
			{name: "DeliveredIsNeverClaimedAgain", run: testAckDelivered},
			{name: "ByOwnerOnly", run: testAckByOwnerOnly},
			{name: "AfterAnotherClaimedIsLeaseLost", run: testAckAfterReclaim},
			{name: "ExpiredLeaseNoOneTookIsStillOwners", run: testAckExpiredUntaken},
			{name: "TwiceIsLeaseLost", run: testAckTwice},
			{name: "UnclaimedOrUnknownIsLeaseLost", run: testAckUnclaimed},
			{name: "EmptyOwnerIsRefused", run: testAckEmptyOwner},
		}},
		{name: "Retry", sub: []tcase{
			{name: "CountsAttemptsKeepsReasonDelays", run: testRetry},
			{name: "ReleasesForAnyOwner", run: testRetryReleases},
			{name: "ByOwnerOnly", run: testRetryByOwnerOnly},
		}},
		{name: "Drop", sub: []tcase{
			{name: "NeverClaimedAgain", run: testDrop},
			{name: "ByOwnerOnly", run: testDropByOwnerOnly},
			{name: "KeptUntilPruned", run: testDropKept},
		}},
		{name: "Prune", sub: []tcase{
			{name: "RemovesDeliveredAndDropped", run: testPrune},
			{name: "NeverRemovesUndelivered", run: testPruneUndelivered},
			{name: "KeepsEventsOfWindowsNotStopped", run: testPruneWindowNotStopped},
			{name: "KeepsEventsRecordedAtOrAfter", run: testPruneRecordedAfter},
		}},
		{name: "Context", sub: contextCases()},
	}
}

// Fixtures.

// day is the fixed date the fixtures lie on.
var day = time.Date(2026, time.November, 24, 0, 0, 0, 0, time.UTC)

// at returns day plus h hours.
func at(h int) time.Time { return day.Add(time.Duration(h) * time.Hour) }

// lease is the lease of the fixtures' claims.
const lease = time.Minute

// win returns a window with every field set (instants UTC at millisecond
// precision), from day+start hours, lasting two hours.
func win(id int64, start int) maintenance.Window {
	return maintenance.Window{
		ID:               id,
		Start:            at(start),
		Stop:             at(start + 2),
		Comment:          fmt.Sprintf("window %d: Wartung ☃", id),
		LoginMessage:     "Login is limited to administrators",
		ShowLoginMessage: true,
		NotifyMessage:    "Maintenance in progress",
		Validity:         maintenance.Valid,
		Lead:             45*time.Minute + 7*time.Millisecond,
		CreatedAt:        day.Add(-48*time.Hour + 123*time.Millisecond),
		CreatedBy:        "alice",
		ChangedAt:        day.Add(-24*time.Hour + 456*time.Millisecond),
		ChangedBy:        "bob",
		Version:          3,
	}
}

// started returns the start of window id, starting at day+start hours.
func started(id int64, start int) notify.Event {
	w := win(id, start)
	return notify.Event{Kind: notify.EventStarted, Window: w, At: w.Start}
}

func record(t *testing.T, o notify.Outbox, e notify.Event, when time.Time) {
	t.Helper()
	isNew, err := o.Record(t.Context(), e, when)
	require.NoError(t, err, "Record %s", e.ID())
	require.True(t, isNew, "Record %s: not new", e.ID())
}

func claim(t *testing.T, o notify.Outbox, owner string, now time.Time, max int) []notify.Pending {
	t.Helper()
	got, err := o.Claim(t.Context(), owner, now, lease, max)
	require.NoError(t, err, "Claim by %s at %v", owner, now)
	require.NotNil(t, got, "Claim returned nil")
	return got
}

// claimOne claims the one due event at now for owner.
func claimOne(t *testing.T, o notify.Outbox, owner string, now time.Time) notify.Pending {
	t.Helper()
	got := claim(t, o, owner, now, 10)
	require.Len(t, got, 1, "Claim by %s at %v", owner, now)
	return got[0]
}

func ids(ps []notify.Pending) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.ID())
	}
	return out
}

// Record.

func testRecordOnce(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	record(t, o, e, at(10))
	again := e
	again.At = at(10).Add(3 * time.Second) // another instance saw it later
	again.Window.Comment = "changed meanwhile"
	isNew, err := o.Record(t.Context(), again, at(10).Add(3*time.Second))
	require.NoError(t, err)
	assert.False(t, isNew, "recorded twice")
	got := claim(t, o, "a", at(11), 10)
	require.Len(t, got, 1)
	assert.Equal(t, e, got[0].Event, "the first record stands")

	other := started(2, 10)
	record(t, o, other, at(10))
	assert.Equal(t, []string{other.ID()}, ids(claim(t, o, "a", at(11), 10)), "another ID is another event")
}

func testRecordDueAtOnce(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	e.At = at(9) // At does not make it due: the record does
	record(t, o, e, at(10))
	assert.Empty(t, claim(t, o, "a", at(10).Add(-time.Millisecond), 10), "due before it was recorded")
	assert.Equal(t, []string{e.ID()}, ids(claim(t, o, "a", at(10), 10)))
}

func testRoundTrip(t *testing.T, o notify.Outbox) {
	recorded := at(1).Add(789 * time.Millisecond)
	var want []notify.Pending
	for i, k := range []notify.EventKind{notify.EventScheduled, notify.EventChanged, notify.EventWithdrawn,
		notify.EventReminder, notify.EventStarted, notify.EventEnded} {
		w := win(int64(i+1), 10)
		w.ShowLoginMessage = i%2 == 0
		w.Validity = maintenance.Validities[i%3]
		if i >= 3 { // the time events of a recurring window are about one occurrence
			w.Recurrence = maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=SU", Zone: "Europe/Berlin",
				Exceptions: []time.Time{w.Start.Add(7 * 24 * time.Hour), w.Start.Add(21 * 24 * time.Hour)}}
			w.Occurrence = w.Start.Add(14 * 24 * time.Hour)
		}
		e := notify.Event{Kind: k, Window: w, At: at(1).Add(time.Duration(i) * time.Millisecond)}
		record(t, o, e, recorded)
		want = append(want, notify.Pending{Event: e, RecordedAt: recorded})
	}
	got := claim(t, o, "a", at(2), 10)
	assert.Equal(t, want, got)
}

func testNoAliasing(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	first := e.Window.Start.Add(7 * 24 * time.Hour)
	e.Window.Recurrence = maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=SU", Zone: "Europe/Berlin", Exceptions: []time.Time{first}}
	record(t, o, e, at(10))
	e.Window.Recurrence.Exceptions[0] = at(99) // the caller's slice, changed after Record
	p := claimOne(t, o, "a", at(11))
	require.Len(t, p.Window.Recurrence.Exceptions, 1)
	assert.Equal(t, first, p.Window.Recurrence.Exceptions[0], "Record kept the caller's slice")
	p.Window.Recurrence.Exceptions[0] = at(98) // the claimed copy, changed
	again := claimOne(t, o, "b", at(11).Add(time.Hour))
	assert.Equal(t, first, again.Window.Recurrence.Exceptions[0], "Claim handed out the stored slice")
}

func testRecordNormalizes(t *testing.T, o notify.Outbox) {
	berlin := time.FixedZone("CET", 3600)
	e := started(1, 10)
	e.At = at(10).In(berlin).Add(1234567 * time.Nanosecond)
	e.Window.Start = e.Window.Start.In(berlin).Add(999 * time.Microsecond)
	e.Window.Stop = e.Window.Stop.In(berlin).Add(1)
	e.Window.CreatedAt = e.Window.CreatedAt.In(berlin).Add(time.Microsecond)
	e.Window.ChangedAt = e.Window.ChangedAt.In(berlin).Add(time.Microsecond)
	e.Window.Lead += 999 * time.Microsecond
	record(t, o, e, at(10).In(berlin).Add(time.Microsecond))

	p := claimOne(t, o, "a", at(11))
	want := started(1, 10)
	want.At = at(10).Add(time.Millisecond)
	assert.Equal(t, want, p.Event)
	assert.Equal(t, at(10), p.RecordedAt)
	for name, tm := range map[string]time.Time{"At": p.At, "Start": p.Window.Start, "RecordedAt": p.RecordedAt} {
		assert.Equal(t, time.UTC, tm.Location(), name)
	}
}

func testRecordZeroInstants(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	e.Window.CreatedAt, e.Window.ChangedAt, e.At = time.Time{}, time.Time{}, time.Time{}
	record(t, o, e, at(10))
	p := claimOne(t, o, "a", at(11))
	assert.True(t, p.At.IsZero(), "At: %v", p.At)
	assert.True(t, p.Window.CreatedAt.IsZero(), "CreatedAt: %v", p.Window.CreatedAt)
	assert.True(t, p.Window.ChangedAt.IsZero(), "ChangedAt: %v", p.Window.ChangedAt)
	assert.Equal(t, e, p.Event)
}

func testRecordLate(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	e.Late = true
	record(t, o, e, at(10))
	assert.False(t, claimOne(t, o, "a", at(11)).Late)
}

func testRecordUnknownKind(t *testing.T, o notify.Outbox) {
	for _, k := range []notify.EventKind{0, 7, -1} {
		e := started(1, 10)
		e.Kind = k
		isNew, err := o.Record(t.Context(), e, at(10))
		assert.Error(t, err, "kind %d", k)
		assert.False(t, isNew, "kind %d", k)
	}
	assert.Empty(t, claim(t, o, "a", at(11), 10), "an event of unknown kind was stored")
}

// Claim.

func testClaimEmpty(t *testing.T, o notify.Outbox) {
	got, err := o.Claim(t.Context(), "a", at(1), lease, 10)
	require.NoError(t, err)
	assert.NotNil(t, got)
	assert.Empty(t, got)
}

func testClaimOnlyDue(t *testing.T, o notify.Outbox) {
	now, later := started(1, 10), started(2, 10)
	record(t, o, now, at(10))
	record(t, o, later, at(12))
	assert.Equal(t, []string{now.ID()}, ids(claim(t, o, "a", at(11), 10)), "recorded later: not due yet")
	require.NoError(t, o.Ack(t.Context(), now.ID(), "a", at(11)))
	assert.Empty(t, claim(t, o, "a", at(12).Add(-time.Millisecond), 10), "due before it was recorded")
	assert.Equal(t, []string{later.ID()}, ids(claim(t, o, "a", at(12), 10)))
}

func testClaimMax(t *testing.T, o notify.Outbox) {
	for i := range 5 {
		record(t, o, started(int64(i+1), 10), at(10))
	}
	var got []string
	for _, want := range []int{2, 2, 1, 0} {
		batch := claim(t, o, "a", at(11), 2)
		assert.Len(t, batch, want)
		got = append(got, ids(batch)...)
	}
	assert.Len(t, got, 5)
	slices.Sort(got)
	assert.Len(t, slices.Compact(got), 5, "an event was claimed twice")
}

func testClaimOrder(t *testing.T, o notify.Outbox) {
	w1, w2 := win(1, 10), win(2, 10)
	w1b := w1
	w1b.Version = 4
	same := at(9)
	events := []notify.Event{ // in the order Claim must return them
		{Kind: notify.EventStarted, Window: w2, At: at(8)}, // oldest At first
		{Kind: notify.EventScheduled, Window: w2, At: same},
		{Kind: notify.EventChanged, Window: w1, At: same},
		{Kind: notify.EventChanged, Window: w1b, At: same}, // same window: by ID
		{Kind: notify.EventWithdrawn, Window: w1, At: same},
		{Kind: notify.EventEnded, Window: w2, At: same},
		{Kind: notify.EventStarted, Window: w1, At: same},
		{Kind: notify.EventStarted, Window: w2, At: same}, // w2 after w1
		{Kind: notify.EventReminder, Window: w1, At: same},
		{Kind: notify.EventEnded, Window: w1, At: same.Add(time.Millisecond)},
	}
	events[7].Window.Start = at(7) // another start: another ID than events[0]
	var want []string
	for _, e := range events {
		want = append(want, e.ID())
	}
	require.Len(t, slices.Compact(slices.Sorted(slices.Values(want))), len(want), "fixture IDs must differ")
	for _, i := range []int{5, 9, 0, 3, 7, 1, 8, 2, 6, 4} { // recorded out of order
		record(t, o, events[i], at(10))
	}
	assert.Equal(t, want, ids(claim(t, o, "a", at(11), 100)))
	assert.True(t, slices.IsSortedFunc(events, notify.CompareEvents), "the fixture follows CompareEvents")
}

func testClaimLease(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	record(t, o, e, at(10))
	now := at(11)
	assert.Equal(t, []string{e.ID()}, ids(claim(t, o, "a", now, 10)))
	assert.Empty(t, claim(t, o, "b", now, 10), "leased to a")
	assert.Empty(t, claim(t, o, "a", now.Add(lease-time.Millisecond), 10), "leased, also for its owner")
	assert.Empty(t, claim(t, o, "b", now.Add(lease-time.Millisecond), 10), "leased to a until now+lease")
	assert.Equal(t, []string{e.ID()}, ids(claim(t, o, "b", now.Add(lease), 10)), "the lease ended")
}

func testClaimRefuses(t *testing.T, o notify.Outbox) {
	record(t, o, started(1, 10), at(10))
	tests := []struct {
		name  string
		owner string
		lease time.Duration
		max   int
	}{
		{"empty owner", "", lease, 10},
		{"zero lease", "a", 0, 10},
		{"negative lease", "a", -time.Second, 10},
		{"zero max", "a", lease, 0},
		{"negative max", "a", lease, -1},
	}
	for _, tt := range tests {
		_, err := o.Claim(t.Context(), tt.owner, at(11), tt.lease, tt.max)
		assert.Error(t, err, tt.name)
	}
	assert.Len(t, claim(t, o, "a", at(11), 10), 1, "a refused claim leased the event")
}

func testClaimConcurrent(t *testing.T, o notify.Outbox) {
	const events, claimers = 200, 8
	for i := range events {
		e := started(int64(i+1), 10)
		e.At = e.At.Add(time.Duration(i%7) * time.Millisecond)
		record(t, o, e, at(10))
	}
	var mu sync.Mutex
	count := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan error, claimers)
	for c := range claimers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner := fmt.Sprintf("claimer-%d", c)
			for {
				batch, err := o.Claim(context.Background(), owner, at(11), lease, 3)
				if err != nil {
					errs <- fmt.Errorf("%s: %w", owner, err)
					return
				}
				if len(batch) == 0 {
					return
				}
				mu.Lock()
				total := 0
				for _, p := range batch {
					count[p.ID()]++
				}
				for _, n := range count {
					total += n
				}
				mu.Unlock()
				if total > 2*events {
					errs <- fmt.Errorf("%s: more claims than events: the outbox hands out leased events", owner)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Len(t, count, events, "events claimed")
	for id, n := range count {
		assert.Equal(t, 1, n, "event %s claimed %d times", id, n)
	}
}

// Ack.

func testAckDelivered(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	record(t, o, e, at(10))
	claimOne(t, o, "a", at(11))
	require.NoError(t, o.Ack(t.Context(), e.ID(), "a", at(11)))
	assert.Empty(t, claim(t, o, "b", at(11).Add(lease), 10), "claimed again after its lease")
	assert.Empty(t, claim(t, o, "b", at(100), 10), "claimed again much later")
	isNew, err := o.Record(t.Context(), e, at(12))
	require.NoError(t, err)
	assert.False(t, isNew, "recorded again after delivery")
}

func testAckByOwnerOnly(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	record(t, o, e, at(10))
	claimOne(t, o, "a", at(11))
	assert.ErrorIs(t, o.Ack(t.Context(), e.ID(), "b", at(11)), notify.ErrLeaseLost)
	require.NoError(t, o.Ack(t.Context(), e.ID(), "a", at(11)), "a still holds it")
}

func testAckAfterReclaim(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	record(t, o, e, at(10))
	claimOne(t, o, "a", at(11))
	claimOne(t, o, "b", at(11).Add(lease)) // a's lease ran out
	assert.ErrorIs(t, o.Ack(t.Context(), e.ID(), "a", at(11).Add(lease)), notify.ErrLeaseLost)
	require.NoError(t, o.Ack(t.Context(), e.ID(), "b", at(11).Add(lease)))
}

func testAckExpiredUntaken(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	record(t, o, e, at(10))
	claimOne(t, o, "a", at(11))
	require.NoError(t, o.Ack(t.Context(), e.ID(), "a", at(11).Add(2*lease)))
	assert.Empty(t, claim(t, o, "b", at(12), 10))
}

func testAckTwice(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	record(t, o, e, at(10))
	claimOne(t, o, "a", at(11))
	require.NoError(t, o.Ack(t.Context(), e.ID(), "a", at(11)))
	assert.ErrorIs(t, o.Ack(t.Context(), e.ID(), "a", at(11)), notify.ErrLeaseLost)
}

func testAckUnclaimed(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	record(t, o, e, at(10))
	assert.ErrorIs(t, o.Ack(t.Context(), e.ID(), "a", at(11)), notify.ErrLeaseLost, "never claimed")
	assert.ErrorIs(t, o.Ack(t.Context(), "w9/started/x", "a", at(11)), notify.ErrLeaseLost, "unknown")
	assert.Len(t, claim(t, o, "a", at(11), 10), 1, "still undelivered")
}

func testAckEmptyOwner(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	record(t, o, e, at(10))
	claimOne(t, o, "a", at(11))
	require.NoError(t, o.Retry(t.Context(), e.ID(), "a", at(11), "released")) // no owner now
	assert.Error(t, o.Ack(t.Context(), e.ID(), "", at(11)))
	assert.Error(t, o.Retry(t.Context(), e.ID(), "", at(11), "x"))
	assert.Error(t, o.Drop(t.Context(), e.ID(), "", at(11), "x"))
	assert.Len(t, claim(t, o, "a", at(11), 10), 1, "still undelivered")
}

// Retry.

func testRetry(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	record(t, o, e, at(10))
	now := at(11)
	p := claimOne(t, o, "a", now)
	assert.Zero(t, p.Attempts)
	assert.Empty(t, p.LastError)
	require.NoError(t, o.Retry(t.Context(), e.ID(), "a", now.Add(10*time.Second), "503 Service Unavailable"))
	assert.Empty(t, claim(t, o, "a", now.Add(10*time.Second-time.Millisecond), 10), "due before next")
	p = claimOne(t, o, "a", now.Add(10*time.Second))
	assert.Equal(t, 1, p.Attempts)
	assert.Equal(t, "503 Service Unavailable", p.LastError)
	assert.Equal(t, e, p.Event)

	require.NoError(t, o.Retry(t.Context(), e.ID(), "a", now.Add(time.Minute), "timeout ☃"))
	p = claimOne(t, o, "a", now.Add(time.Minute))
	assert.Equal(t, 2, p.Attempts)
	assert.Equal(t, "timeout ☃", p.LastError)
}

func testRetryReleases(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	record(t, o, e, at(10))
	claimOne(t, o, "a", at(11))
	require.NoError(t, o.Retry(t.Context(), e.ID(), "a", at(11), "failed"))
	p := claimOne(t, o, "b", at(11)) // before a's lease would have ended
	assert.Equal(t, 1, p.Attempts)
	assert.ErrorIs(t, o.Ack(t.Context(), e.ID(), "a", at(11)), notify.ErrLeaseLost, "a released it")
}

func testRetryByOwnerOnly(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	record(t, o, e, at(10))
	claimOne(t, o, "a", at(11))
	assert.ErrorIs(t, o.Retry(t.Context(), e.ID(), "b", at(11), "x"), notify.ErrLeaseLost)
	assert.ErrorIs(t, o.Retry(t.Context(), "unknown", "a", at(11), "x"), notify.ErrLeaseLost)
	assert.Empty(t, claim(t, o, "b", at(11), 10), "still leased to a")
	p := claimOne(t, o, "b", at(11).Add(lease))
	assert.Zero(t, p.Attempts, "the refused retry counted")
	assert.Empty(t, p.LastError)
}

// Drop.

func testDrop(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	record(t, o, e, at(10))
	claimOne(t, o, "a", at(11))
	require.NoError(t, o.Drop(t.Context(), e.ID(), "a", at(11), "gave up"))
	assert.Empty(t, claim(t, o, "a", at(11).Add(lease), 10))
	assert.Empty(t, claim(t, o, "b", at(100), 10))
	assert.ErrorIs(t, o.Ack(t.Context(), e.ID(), "a", at(11)), notify.ErrLeaseLost, "acknowledged after the drop")
}

func testDropByOwnerOnly(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	record(t, o, e, at(10))
	claimOne(t, o, "a", at(11))
	assert.ErrorIs(t, o.Drop(t.Context(), e.ID(), "b", at(11), "x"), notify.ErrLeaseLost)
	require.NoError(t, o.Ack(t.Context(), e.ID(), "a", at(11)), "not dropped")
	assert.ErrorIs(t, o.Drop(t.Context(), e.ID(), "a", at(11), "x"), notify.ErrLeaseLost, "delivered already")
}

func testDropKept(t *testing.T, o notify.Outbox) {
	e := started(1, 10)
	record(t, o, e, at(10))
	claimOne(t, o, "a", at(11))
	require.NoError(t, o.Drop(t.Context(), e.ID(), "a", at(11), "gave up"))
	isNew, err := o.Record(t.Context(), e, at(12))
	require.NoError(t, err)
	assert.False(t, isNew, "a dropped event was forgotten")
	n, err := o.Prune(t.Context(), at(48))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}

// Prune.

// settle records e at when, claims it and acks it (deliver) or drops it.
func settle(t *testing.T, o notify.Outbox, e notify.Event, when time.Time, deliver bool) {
	t.Helper()
	record(t, o, e, when)
	p := claimOne(t, o, "a", when)
	require.Equal(t, e.ID(), p.ID())
	if deliver {
		require.NoError(t, o.Ack(t.Context(), e.ID(), "a", when))
	} else {
		require.NoError(t, o.Drop(t.Context(), e.ID(), "a", when, "gave up"))
	}
}

func testPrune(t *testing.T, o notify.Outbox) {
	delivered, dropped := started(1, 1), started(2, 1)
	settle(t, o, delivered, at(4), true)
	settle(t, o, dropped, at(4), false)
	n, err := o.Prune(t.Context(), at(5))
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	for _, e := range []notify.Event{delivered, dropped} {
		isNew, err := o.Record(t.Context(), e, at(6))
		require.NoError(t, err)
		assert.True(t, isNew, "%s: a pruned ID is recorded anew", e.ID())
	}
	n, err = o.Prune(t.Context(), at(5))
	require.NoError(t, err)
	assert.Zero(t, n, "the new records are undelivered")
}

func testPruneUndelivered(t *testing.T, o notify.Outbox) {
	fresh, claimed, retried := started(1, 1), started(2, 1), started(3, 1)
	for _, e := range []notify.Event{fresh, claimed, retried} {
		record(t, o, e, at(4))
	}
	all := claim(t, o, "a", at(4), 10)
	require.Len(t, all, 3)
	require.NoError(t, o.Retry(t.Context(), fresh.ID(), "a", at(4), "released"))
	require.NoError(t, o.Retry(t.Context(), retried.ID(), "a", at(100*24), "failed"))
	n, err := o.Prune(t.Context(), at(1000*24))
	require.NoError(t, err)
	assert.Zero(t, n)
	got := claim(t, o, "b", at(200*24), 10)
	assert.ElementsMatch(t, []string{fresh.ID(), claimed.ID(), retried.ID()}, ids(got))
}

func testPruneWindowNotStopped(t *testing.T, o notify.Outbox) {
	long := started(1, 1)
	long.Window.Stop = at(30 * 24) // a window of a month
	settle(t, o, long, at(4), true)
	n, err := o.Prune(t.Context(), at(10*24))
	require.NoError(t, err)
	assert.Zero(t, n, "the event of a window still active was pruned")
	isNew, err := o.Record(t.Context(), long, at(10*24))
	require.NoError(t, err)
	assert.False(t, isNew)
	n, err = o.Prune(t.Context(), at(30*24).Add(time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, 1, n, "after the window stopped")
}

func testPruneRecordedAfter(t *testing.T, o notify.Outbox) {
	e := started(1, 1)
	settle(t, o, e, at(4), true)
	n, err := o.Prune(t.Context(), at(4))
	require.NoError(t, err)
	assert.Zero(t, n, "recorded at before, not before it")
	n, err = o.Prune(t.Context(), at(4).Add(time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}

// Context.

func contextCases() []tcase {
	kinds := []struct {
		name string
		ctx  func(t *testing.T) context.Context
		want error
	}{
		{"Canceled", func(t *testing.T) context.Context {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			return ctx
		}, context.Canceled},
		{"DeadlineExceeded", func(t *testing.T) context.Context {
			ctx, cancel := context.WithDeadline(t.Context(), time.Unix(0, 0)) // long past
			t.Cleanup(cancel)
			return ctx
		}, context.DeadlineExceeded},
	}
	e := started(1, 10)
	// claimed records e and claims it for "a" at at(11).
	claimed := func(t *testing.T, o notify.Outbox) {
		record(t, o, e, at(10))
		claimOne(t, o, "a", at(11))
	}
	ops := []struct {
		name string
		run  func(t *testing.T, o notify.Outbox, ctx context.Context, want error)
	}{
		{"Record", func(t *testing.T, o notify.Outbox, ctx context.Context, want error) {
			_, err := o.Record(ctx, e, at(10))
			assert.ErrorIs(t, err, want)
			assert.Empty(t, claim(t, o, "a", at(11), 10), "Record stored the event")
		}},
		{"Claim", func(t *testing.T, o notify.Outbox, ctx context.Context, want error) {
			record(t, o, e, at(10))
			_, err := o.Claim(ctx, "a", at(11), lease, 10)
			assert.ErrorIs(t, err, want)
			assert.Len(t, claim(t, o, "b", at(11), 10), 1, "Claim leased the event")
		}},
		{"Ack", func(t *testing.T, o notify.Outbox, ctx context.Context, want error) {
			claimed(t, o)
			assert.ErrorIs(t, o.Ack(ctx, e.ID(), "a", at(11)), want)
			assert.Len(t, claim(t, o, "b", at(11).Add(lease), 10), 1, "Ack marked the event delivered")
		}},
		{"Retry", func(t *testing.T, o notify.Outbox, ctx context.Context, want error) {
			claimed(t, o)
			assert.ErrorIs(t, o.Retry(ctx, e.ID(), "a", at(11), "x"), want)
			assert.Empty(t, claim(t, o, "b", at(11), 10), "Retry released the event")
			assert.Zero(t, claimOne(t, o, "b", at(11).Add(lease)).Attempts, "Retry counted an attempt")
		}},
		{"Drop", func(t *testing.T, o notify.Outbox, ctx context.Context, want error) {
			claimed(t, o)
			assert.ErrorIs(t, o.Drop(ctx, e.ID(), "a", at(11), "x"), want)
			assert.Len(t, claim(t, o, "b", at(11).Add(lease), 10), 1, "Drop dropped the event")
		}},
		{"Prune", func(t *testing.T, o notify.Outbox, ctx context.Context, want error) {
			claimed(t, o)
			require.NoError(t, o.Ack(t.Context(), e.ID(), "a", at(11)))
			_, err := o.Prune(ctx, at(1000))
			assert.ErrorIs(t, err, want)
			isNew, err := o.Record(t.Context(), e, at(12))
			require.NoError(t, err)
			assert.False(t, isNew, "Prune removed the event")
		}},
	}
	var out []tcase
	for _, k := range kinds {
		var sub []tcase
		for _, op := range ops {
			sub = append(sub, tcase{name: op.name, run: func(t *testing.T, o notify.Outbox) {
				op.run(t, o, k.ctx(t), k.want)
			}})
		}
		out = append(out, tcase{name: k.name, sub: sub})
	}
	return out
}
