package maintenance_test

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// weekly is a window every Tuesday 12:00-13:00 UTC from base, with texts.
func weekly(t testing.TB, id int64) maintenance.Window {
	t.Helper()
	w := repeating(t, id, "FREQ=WEEKLY;BYDAY=TU", "UTC", base.Format("2006-01-02 15:04"), time.Hour)
	w.NotifyMessage, w.LoginMessage, w.ShowLoginMessage = "weekly notice", "weekly login", true
	return w
}

const week = 7 * 24 * time.Hour

func TestSchedule_Recurring(t *testing.T) {
	w := weekly(t, 5)
	w.Recurrence.Exceptions = []time.Time{base.Add(2 * week)}
	once := win(9, 7*24*60+30, 7*24*60+90) // next Tuesday 12:30-13:30
	s := maintenance.CompileHorizon([]maintenance.Window{w, once}, 30*time.Minute,
		maintenance.Horizon{From: base, Until: base.Add(5 * week)})
	assert.Equal(t, 2, s.Len(), "the recurring window counts once")
	assert.Equal(t, 6-1+1, s.Occurrences(),
		"six Tuesdays (the last one's notice begins inside the horizon), one skipped, and the one-off window")
	assert.Equal(t, maintenance.Horizon{From: base, Until: base.Add(5 * week)}, s.Horizon())

	got := s.Windows()
	require.Len(t, got, 2)
	assert.Equal(t, w.Recurrence.Exceptions, got[0].Recurrence.Exceptions, "Windows holds the recurring window as given")
	got[0].Recurrence.Exceptions[0] = base
	assert.Equal(t, base.Add(2*week), s.Windows()[0].Recurrence.Exceptions[0], "and copies its exceptions")

	// The first occurrence.
	st := s.At(base.Add(10 * time.Minute))
	occ, ok := st.Window()
	require.True(t, ok)
	assert.Equal(t, int64(5), occ.ID)
	assert.Equal(t, base, occ.Start)
	assert.Equal(t, base.Add(time.Hour), occ.Stop)
	assert.Equal(t, base, occ.Occurrence)
	assert.Equal(t, "weekly notice", occ.NotifyMessage)
	assert.Equal(t, w.Recurrence.Rule, occ.Recurrence.Rule)
	assert.Nil(t, occ.Recurrence.Exceptions, "an occurrence carries no exceptions")
	assert.Equal(t, base.Add(time.Hour), st.End())

	// The second, overlapping the one-off window: both active, the later
	// start supplies the messages, the stretch ends with the one-off.
	st = s.At(base.Add(week + 45*time.Minute))
	assert.Equal(t, []int64{5, 9}, ids(st.ActiveWindows()))
	occ, _ = st.Window()
	assert.Equal(t, int64(9), occ.ID)
	assert.Equal(t, base.Add(week+90*time.Minute), st.End())
	assert.Equal(t, base.Add(week), st.ActiveWindows()[0].Start)

	// The notice of the fourth, which follows the skipped third.
	st = s.At(base.Add(3*week - 20*time.Minute))
	assert.False(t, st.Active())
	u, ok := st.Upcoming()
	require.True(t, ok)
	assert.Equal(t, base.Add(3*week), u.Start)
	assert.Equal(t, base.Add(3*week), u.Occurrence)
	assert.False(t, s.At(base.Add(2*week+time.Minute)).Active(), "the exception does not happen")

	// The last occurrence: its notice begins inside the horizon.
	assert.Equal(t, base.Add(5*week-30*time.Minute), s.At(base.Add(4*week+2*time.Hour)).Next())
	assert.True(t, s.At(base.Add(5*week)).Active())

	// Past the horizon the schedule knows nothing more, and says when to
	// look again.
	s = maintenance.CompileHorizon([]maintenance.Window{w}, 30*time.Minute,
		maintenance.Horizon{From: base, Until: base.Add(4*week + 3*time.Hour)})
	st = s.At(base.Add(4*week + 2*time.Hour))
	assert.False(t, st.Active())
	assert.Equal(t, base.Add(4*week+3*time.Hour), st.Next(), "the end of the horizon")
	assert.False(t, s.At(base.Add(5*week)).Active(), "beyond the horizon")
	assert.True(t, s.At(base.Add(5*week)).Next().IsZero())

	// A schedule without recurring windows has no horizon boundary.
	assert.True(t, maintenance.Compile([]maintenance.Window{once}, 0).At(once.Stop).Next().IsZero())
}

func TestSchedule_RecurringDefaultHorizon(t *testing.T) {
	w := weekly(t, 1)
	s := maintenance.Compile([]maintenance.Window{w}, 0)
	assert.Equal(t, maintenance.Horizon{From: base, Until: base.Add(maintenance.DefaultHorizon)}, s.Horizon())
	assert.Equal(t, 58, s.Occurrences(), "400 days of Tuesdays, the first included")
	assert.True(t, s.At(base.Add(57*week)).Active())
}

func TestSchedule_RecurringTakesNoPartWhenBroken(t *testing.T) {
	good := weekly(t, 1)
	tests := map[string]func(w *maintenance.Window){
		"bad rule":     func(w *maintenance.Window) { w.Recurrence.Rule = "FREQ=HOURLY" },
		"unknown zone": func(w *maintenance.Window) { w.Recurrence.Zone = "Nowhere" },
		"no zone":      func(w *maintenance.Window) { w.Recurrence.Zone = "" },
		"milliseconds": func(w *maintenance.Window) { w.Start = w.Start.Add(time.Millisecond) },
		"invalid":      func(w *maintenance.Window) { w.Validity = maintenance.InvalidTemporarily },
		"too long":     func(w *maintenance.Window) { w.Stop = w.Start.Add(maintenance.MaxOccurrenceLength + time.Second) },
	}
	for name, change := range tests {
		t.Run(name, func(t *testing.T) {
			bad := weekly(t, 2)
			change(&bad)
			s := maintenance.Compile([]maintenance.Window{good, bad}, 0)
			assert.Equal(t, 1, s.Len())
			assert.Equal(t, []int64{1}, ids(s.At(base).ActiveWindows()))
		})
	}
}

// countingStore counts the calls of List.
type countingStore struct {
	*memstore.WindowStore
	lists atomic.Int32
}

func (s *countingStore) List(ctx context.Context, v ...maintenance.Validity) ([]maintenance.Window, error) {
	s.lists.Add(1)
	return s.WindowStore.List(ctx, v...)
}

// TestManager_HorizonExtends runs the Manager for weeks on the mock clock:
// its horizon follows the clock a day at a time, without reading the
// store, and the occurrences far beyond the first horizon are enforced.
func TestManager_HorizonExtends(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store := &countingStore{WindowStore: memstore.NewWindowStore()}
	mock := newMock()
	m := maintenance.New(store, &maintenance.Options{Clock: mock, Logger: quiet, Horizon: 10 * 24 * time.Hour,
		PollInterval: time.Hour, RecheckInterval: time.Hour}) // one wake-up each per step of the mock clock
	require.NoError(t, m.Refresh(ctx))
	_, err := m.Add(ctx, weekly(t, 0), "admin")
	require.NoError(t, err)
	h := m.Schedule().Horizon()
	assert.Equal(t, maintenance.Horizon{From: base.Add(-24 * time.Hour), Until: base.Add(10 * 24 * time.Hour)}, h)
	assert.False(t, m.StatusAt(base.Add(2*week)).Active(), "beyond the first horizon")

	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	lists := store.lists.Load()
	for day := 1; day <= 21; day++ {
		to := base.Add(time.Duration(day) * 24 * time.Hour)
		require.Eventually(t, func() bool {
			if mock.Now().Before(to) {
				mock.Add(time.Hour)
			}
			return !m.Schedule().Horizon().Until.Before(to.Add(9 * 24 * time.Hour))
		}, 10*time.Second, time.Millisecond, "the horizon does not follow the clock on day %d", day)
		assert.False(t, m.Schedule().Horizon().Until.After(mock.Now().Add(10*24*time.Hour)))
	}
	mock.Set(base.Add(3 * week))
	require.Eventually(t, func() bool { return m.Status().Active() }, 10*time.Second, time.Millisecond,
		"the fourth Tuesday, beyond the first horizon") // Run moves the status of now on
	occ, _ := m.Status().Window()
	assert.Equal(t, base.Add(3*week), occ.Start)
	assert.LessOrEqual(t, store.lists.Load()-lists, int32(1), "the horizon moved without reading the store")
	cancel()
	require.NoError(t, <-done)
}

func TestManager_SkipOccurrence(t *testing.T) {
	ctx := context.Background()
	m, _ := newManager(t, memstore.NewWindowStore())
	w, err := m.Add(ctx, weekly(t, 0), "admin")
	require.NoError(t, err)
	second := base.Add(week)
	require.True(t, m.StatusAt(second).Active())

	got, err := m.SkipOccurrence(ctx, w.ID, second, w.Version, "ops")
	require.NoError(t, err)
	assert.Equal(t, []time.Time{second}, got.Recurrence.Exceptions)
	assert.Equal(t, w.Version+1, got.Version)
	assert.Equal(t, "ops", got.ChangedBy)
	assert.False(t, m.StatusAt(second).Active(), "skipped")
	assert.True(t, m.StatusAt(base.Add(2*week)).Active(), "the next one is not")

	again, err := m.SkipOccurrence(ctx, w.ID, second, got.Version, "ops")
	require.NoError(t, err, "skipping twice")
	assert.Equal(t, got.Version, again.Version, "writes nothing")

	_, err = m.SkipOccurrence(ctx, w.ID, base.Add(2*week), w.Version, "ops")
	assert.ErrorIs(t, err, maintenance.ErrConflict, "a stale version")
	_, err = m.SkipOccurrence(ctx, 99, second, 1, "ops")
	assert.ErrorIs(t, err, maintenance.ErrNotFound)

	var ve *maintenance.ValidationError
	_, err = m.SkipOccurrence(ctx, w.ID, second.Add(time.Hour), got.Version, "ops")
	require.ErrorAs(t, err, &ve, "not an occurrence")
	r, _ := ve.Reason(maintenance.FieldExceptions)
	assert.Equal(t, maintenance.ReasonNotAnOccurrence, r)
	_, err = m.SkipOccurrence(ctx, w.ID, base.Add(2*week), got.Version, "")
	require.ErrorAs(t, err, &ve, "no actor")

	once, err := m.Add(ctx, win(0, 0, 10), "admin")
	require.NoError(t, err)
	_, err = m.SkipOccurrence(ctx, once.ID, once.Start, once.Version, "ops")
	require.ErrorAs(t, err, &ve, "a window that does not recur")
	r, _ = ve.Reason(maintenance.FieldRecurrence)
	assert.Equal(t, maintenance.ReasonRequired, r)
	stored, err := m.Get(ctx, w.ID)
	require.NoError(t, err)
	assert.Equal(t, got.Version, stored.Version, "no failed skip wrote anything")
}

// failCreate fails Create while fail is set.
type failCreate struct {
	*memstore.WindowStore
	fail atomic.Bool
}

var errCreate = errors.New("create failed")

func (s *failCreate) Create(ctx context.Context, w maintenance.Window) (maintenance.Window, error) {
	if s.fail.Load() {
		return maintenance.Window{}, errCreate
	}
	return s.WindowStore.Create(ctx, w)
}

func TestManager_MoveOccurrence(t *testing.T) {
	ctx := context.Background()
	store := &failCreate{WindowStore: memstore.NewWindowStore()}
	m, _ := newManager(t, store)
	w, err := m.Add(ctx, weekly(t, 0), "admin")
	require.NoError(t, err)
	second := base.Add(week)
	to := second.Add(24*time.Hour + 3*time.Hour) // Wednesday 15:00-17:00

	moved, series, err := m.MoveOccurrence(ctx, w.ID, second, to, to.Add(2*time.Hour), w.Version, "ops")
	require.NoError(t, err)
	assert.NotEqual(t, w.ID, moved.ID)
	assert.Equal(t, to, moved.Start)
	assert.Equal(t, to.Add(2*time.Hour), moved.Stop)
	assert.True(t, moved.Recurrence.IsZero(), "the moved occurrence is a window of its own")
	assert.Equal(t, w.Comment, moved.Comment)
	assert.Equal(t, w.NotifyMessage, moved.NotifyMessage)
	assert.Equal(t, w.LoginMessage, moved.LoginMessage)
	assert.Equal(t, w.ShowLoginMessage, moved.ShowLoginMessage)
	assert.Equal(t, "ops", moved.CreatedBy)
	assert.Equal(t, []time.Time{second}, series.Recurrence.Exceptions)
	assert.Equal(t, w.Version+1, series.Version)

	assert.False(t, m.StatusAt(second).Active(), "not at its old time")
	st := m.StatusAt(to)
	require.True(t, st.Active(), "at its new time")
	got, _ := st.Window()
	assert.Equal(t, moved.ID, got.ID)

	var ve *maintenance.ValidationError
	before, _ := m.List(ctx)
	_, _, err = m.MoveOccurrence(ctx, w.ID, base.Add(2*week), to, to.Add(-time.Hour), series.Version, "ops")
	require.ErrorAs(t, err, &ve, "new times that do not make a window")
	_, _, err = m.MoveOccurrence(ctx, w.ID, second, to, to.Add(time.Hour), series.Version, "ops")
	require.ErrorAs(t, err, &ve, "an occurrence skipped already")
	r, _ := ve.Reason(maintenance.FieldOccurrence)
	assert.Equal(t, maintenance.ReasonNotAnOccurrence, r)
	_, _, err = m.MoveOccurrence(ctx, w.ID, base.Add(2*week), to, to.Add(time.Hour), w.Version, "ops")
	assert.ErrorIs(t, err, maintenance.ErrConflict)

	store.fail.Store(true)
	_, _, err = m.MoveOccurrence(ctx, w.ID, base.Add(2*week), to.Add(week), to.Add(week+time.Hour), series.Version, "ops")
	require.ErrorIs(t, err, errCreate, "the store fails the new window")
	after, _ := m.List(ctx)
	require.Len(t, after, len(before), "nothing added")
	stored, err := m.Get(ctx, w.ID)
	require.NoError(t, err)
	assert.Equal(t, []time.Time{second}, stored.Recurrence.Exceptions, "the skip was undone")
	assert.True(t, m.StatusAt(base.Add(2*week)).Active(), "and the occurrence happens")
}

func TestManager_UpdateFollowing(t *testing.T) {
	ctx := context.Background()
	const berlin = "Europe/Berlin"
	loc := zone(t, berlin)
	store := &failCreate{WindowStore: memstore.NewWindowStore()}
	m, mock := newManager(t, store) // Tuesday, 2026-11-24 12:00 UTC
	w := repeating(t, 0, "FREQ=WEEKLY;BYDAY=SU", berlin, "2026-11-01 02:00", 2*time.Hour)
	w.Recurrence.Exceptions = []time.Time{local(t, berlin, "2026-11-08 02:00"), local(t, berlin, "2026-12-06 02:00")}
	w, err := m.Add(ctx, w, "admin")
	require.NoError(t, err)

	// From the coming weekend on: Saturdays 03:00-04:00.
	next := w
	next.Start, next.Stop = local(t, berlin, "2026-11-28 03:00"), local(t, berlin, "2026-11-28 04:00")
	next.Recurrence = maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=SA", Zone: berlin}
	next.Comment = "Saturdays now"
	ended, following, err := m.UpdateFollowing(ctx, next, "ops")
	require.NoError(t, err)

	assert.Equal(t, w.ID, ended.ID)
	assert.Equal(t, w.Version+1, ended.Version)
	assert.Equal(t, "FREQ=WEEKLY;BYDAY=SU;UNTIL=20261128T015959Z", ended.Recurrence.Rule)
	assert.Equal(t, []time.Time{local(t, berlin, "2026-11-08 02:00").UTC()}, ended.Recurrence.Exceptions, "exceptions after the change go")
	assert.Equal(t, w.Comment, ended.Comment, "the past keeps its texts")
	past, err := ended.Occurrences(maintenance.MinTime, 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"2026-11-01 02:00 +0100", "2026-11-15 02:00 +0100", "2026-11-22 02:00 +0100"}, starts(past, loc),
		"the past occurrences are as they were")

	assert.NotEqual(t, w.ID, following.ID)
	assert.Equal(t, int64(1), following.Version)
	assert.Equal(t, "Saturdays now", following.Comment)
	assert.Equal(t, "ops", following.CreatedBy)
	assert.Equal(t, mock.Now(), following.CreatedAt)

	assert.False(t, m.StatusAt(local(t, berlin, "2026-11-29 02:30")).Active(), "no more Sundays")
	st := m.StatusAt(local(t, berlin, "2026-11-28 03:30"))
	require.True(t, st.Active(), "Saturdays")
	got, _ := st.Window()
	assert.Equal(t, following.ID, got.ID)

	// A COUNT becomes an UNTIL.
	counted := repeating(t, 0, "FREQ=DAILY;COUNT=30", "UTC", "2026-11-20 12:00", time.Hour)
	counted, err = m.Add(ctx, counted, "admin")
	require.NoError(t, err)
	edit := counted
	edit.Start, edit.Stop = base.Add(48*time.Hour), base.Add(49*time.Hour)
	edit.Recurrence.Rule = "FREQ=DAILY;COUNT=3"
	ended, _, err = m.UpdateFollowing(ctx, edit, "ops")
	require.NoError(t, err)
	assert.Equal(t, "FREQ=DAILY;UNTIL=20261126T115959Z", ended.Recurrence.Rule)

	// Nothing before the change: an Update.
	fresh, err := m.Add(ctx, repeating(t, 0, "FREQ=DAILY", "UTC", "2026-12-20 12:00", time.Hour), "admin")
	require.NoError(t, err)
	edit = fresh
	edit.Start, edit.Stop = edit.Start.Add(-time.Hour), edit.Stop.Add(-time.Hour) // an hour earlier, from the first on
	ended, following, err = m.UpdateFollowing(ctx, edit, "ops")
	require.NoError(t, err)
	assert.Zero(t, ended.ID, "nothing ended")
	assert.Equal(t, fresh.ID, following.ID)
	assert.Equal(t, fresh.Version+1, following.Version)

	// Refused: nothing written.
	before, _ := m.List(ctx)
	bad := following
	bad.Comment = ""
	_, _, err = m.UpdateFollowing(ctx, bad, "ops")
	var ve *maintenance.ValidationError
	require.ErrorAs(t, err, &ve)
	stale := following
	stale.Version = 1
	stale.Start, stale.Stop = stale.Start.Add(48*time.Hour), stale.Stop.Add(48*time.Hour)
	_, _, err = m.UpdateFollowing(ctx, stale, "ops")
	require.ErrorIs(t, err, maintenance.ErrConflict)

	// The store fails the new window: the end is undone.
	store.fail.Store(true)
	split := following
	split.Start, split.Stop = split.Start.Add(48*time.Hour), split.Stop.Add(48*time.Hour)
	_, _, err = m.UpdateFollowing(ctx, split, "ops")
	require.ErrorIs(t, err, errCreate)
	stored, err := m.Get(ctx, following.ID)
	require.NoError(t, err)
	assert.Equal(t, following.Recurrence, stored.Recurrence, "the end was undone")
	after, _ := m.List(ctx)
	assert.Equal(t, len(before), len(after))
	assert.True(t, slices.EqualFunc(before, after, func(a, b maintenance.Window) bool { return a.ID == b.ID }))
}

// TestStatus_OccurrenceNoAllocs: reading the occurrence in force costs no
// allocation, like reading a one-off window.
func TestStatus_OccurrenceNoAllocs(t *testing.T) {
	s := maintenance.CompileHorizon([]maintenance.Window{weekly(t, 1)}, time.Hour, maintenance.Horizon{From: base, Until: base.Add(5 * week)})
	at := base.Add(week + time.Minute)
	allocs := testing.AllocsPerRun(100, func() {
		st := s.At(at)
		w, ok := st.Window()
		if !ok || w.Occurrence.IsZero() || !st.Active() || st.End().IsZero() || st.Next().IsZero() {
			t.Fatal("not the occurrence")
		}
		if _, ok := s.At(at.Add(week - 30*time.Minute)).Upcoming(); !ok {
			t.Fatal("not upcoming")
		}
	})
	assert.Zero(t, allocs)
}

// TestSchedule_HorizonBounded: a horizon longer than MaxHorizon, up to the
// farthest instants, is cut to MaxHorizon, so a daily rule gives at most
// one occurrence a day of it.
func TestSchedule_HorizonBounded(t *testing.T) {
	daily := repeating(t, 1, "FREQ=DAILY", "UTC", base.Format("2006-01-02 15:04"), time.Hour)
	for _, h := range []maintenance.Horizon{
		{From: base, Until: maintenance.MaxTime},
		{From: base, Until: latest},
		{From: earliest, Until: latest},
		{From: lineStart, Until: lineEnd},
	} {
		s := maintenance.CompileHorizon([]maintenance.Window{daily}, time.Hour, h)
		assert.Equal(t, h.From, s.Horizon().From)
		assert.Equal(t, h.From.Add(maintenance.MaxHorizon), s.Horizon().Until)
		assert.LessOrEqual(t, s.Occurrences(), int(maintenance.MaxHorizon/(24*time.Hour))+1, "from %v", h.From)
	}
	s := maintenance.CompileHorizon([]maintenance.Window{daily}, time.Hour, maintenance.Horizon{From: base, Until: base.Add(10 * 365 * 24 * time.Hour)})
	assert.Equal(t, int(maintenance.MaxHorizon/(24*time.Hour))+1, s.Occurrences(), "a daily rule over five years")
}

func TestStatus_HasUpcoming(t *testing.T) {
	s := maintenance.Compile([]maintenance.Window{weekly(t, 1)}, 30*time.Minute)
	for _, at := range []time.Time{base.Add(-31 * time.Minute), base.Add(-30 * time.Minute), base, base.Add(week - time.Minute)} {
		_, ok := s.At(at).Upcoming()
		assert.Equal(t, ok, s.At(at).HasUpcoming(), "at %s", at)
	}
	assert.True(t, s.At(base.Add(-time.Minute)).HasUpcoming())
	assert.False(t, maintenance.Status{}.HasUpcoming())
}

// TestWindow_From cuts a series at an instant: the series from then on
// has the occurrences the whole one has from then on, no more, and starts
// at the first of them that carries the rule's time of day.
func TestWindow_From(t *testing.T) {
	const berlinZone = "Europe/Berlin"
	loc := zone(t, berlinZone)
	// Every day at 02:30, six times, across the spring-forward night of
	// 29 March 2026, when 02:30 does not exist and the occurrence moves
	// to 03:30.
	w := repeating(t, 4, "FREQ=DAILY;COUNT=6", berlinZone, "2026-03-27 02:30", time.Hour)
	w.Recurrence.Exceptions = []time.Time{local(t, berlinZone, "2026-03-28 02:30"), local(t, berlinZone, "2026-03-31 02:30")}

	from, ok := w.From(local(t, berlinZone, "2026-03-28 12:00"))
	require.True(t, ok)
	assert.Equal(t, local(t, berlinZone, "2026-03-30 02:30").UTC(), from.Start, "the moved 03:30 of the 29th is passed over")
	assert.Equal(t, from.Start.Add(time.Hour), from.Stop)
	assert.Equal(t, "FREQ=DAILY;COUNT=3", from.Recurrence.Rule, "27, 28 and 29 are behind")
	assert.Equal(t, []time.Time{local(t, berlinZone, "2026-03-31 02:30").UTC()}, from.Recurrence.Exceptions)
	assert.Equal(t, w.ID, from.ID)
	require.NoError(t, from.Validate())
	rest, err := w.Occurrences(from.Start, 10)
	require.NoError(t, err)
	again, err := from.Occurrences(from.Start, 10)
	require.NoError(t, err)
	assert.Equal(t, starts(rest, loc), starts(again, loc), "the same occurrences from the cut on")
	assert.Len(t, again, 2, "the 30th and 1 April; the 31st is skipped")

	same, ok := w.From(w.Start)
	assert.True(t, ok)
	assert.Equal(t, w.Normalize(), same, "a series that has not begun is as it is")

	_, ok = w.From(local(t, berlinZone, "2026-04-02 00:00"))
	assert.False(t, ok, "nothing starts after the sixth")

	once := win(1, 60, 120)
	_, ok = once.From(at(30))
	assert.True(t, ok)
	_, ok = once.From(at(90))
	assert.False(t, ok, "a window that does not recur and has started")
}
