package maintenance_test

import (
	"context"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// The tests of the status of now run Run inside a testing/synctest bubble
// with a *clock.Mock: the mock's Add and Set yield by time.Sleep, which in
// the bubble returns only once Run's goroutines are blocked again, and
// synctest.Wait makes sure of it. So every assertion sees what Run did at
// the mock's instant, without a sleep or a poll.

// runDriven starts m.Run in the bubble and waits until it keeps the status
// of now; the returned func stops Run and checks it returned nil.
func runDriven(t *testing.T, m *maintenance.Manager) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- m.Run(ctx) }()
	synctest.Wait()
	require.True(t, maintenance.Driving(m), "Run keeps the status of now")
	require.True(t, m.Health().Running, "Health says Run is running")
	return func() {
		cancel()
		assert.NoError(t, <-done)
	}
}

// sameStatus asserts that got says what want says.
func sameStatus(t *testing.T, want, got maintenance.Status, what string) {
	t.Helper()
	assert.Equal(t, want.Active(), got.Active(), "%s: Active", what)
	assert.Equal(t, want.HasUpcoming(), got.HasUpcoming(), "%s: HasUpcoming", what)
	assert.Equal(t, want.Next(), got.Next(), "%s: Next", what)
	assert.Equal(t, want.End(), got.End(), "%s: End", what)
	ww, _ := want.Window()
	gw, _ := got.Window()
	assert.Equal(t, ww.Start, gw.Start, "%s: the window's Start", what)
}

// TestManager_StatusFlipsAtTheInstant moves the mock clock to a
// millisecond before each instant where the status changes, then onto it:
// the status Run keeps is the old one before and the new one at the
// instant, with the clock standing still there. RecheckInterval is a year,
// so only the timer set for the instant can have moved it.
func TestManager_StatusFlipsAtTheInstant(t *testing.T) {
	type flip struct {
		name             string
		at               time.Time
		active, upcoming bool
	}
	tests := []struct {
		name   string
		window func(t *testing.T) maintenance.Window
		flips  []flip
	}{
		{
			name: "one-off",
			window: func(*testing.T) maintenance.Window {
				w := validWindow()
				w.Start, w.Stop = base.Add(time.Hour), base.Add(2*time.Hour)
				return w
			},
			flips: []flip{
				{"notice begins", base.Add(30 * time.Minute), false, true},
				{"start", base.Add(time.Hour), true, false},
				{"stop", base.Add(2 * time.Hour), false, false},
			},
		},
		{
			name:   "recurring",
			window: func(t *testing.T) maintenance.Window { return weekly(t, 0) }, // Tuesdays 12:00-13:00 UTC, active at base
			flips: []flip{
				{"first occurrence stops", base.Add(time.Hour), false, false},
				{"second's notice begins", base.Add(week - 30*time.Minute), false, true},
				{"second starts", base.Add(week), true, false},
				{"second stops", base.Add(week + time.Hour), false, false},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				mock := newMock()
				m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock, Logger: quiet,
					PollInterval: 24 * time.Hour, RecheckInterval: 365 * 24 * time.Hour})
				_, err := m.Add(t.Context(), tt.window(t), "admin")
				require.NoError(t, err)
				defer runDriven(t, m)()

				for _, f := range tt.flips {
					mock.Set(f.at.Add(-time.Millisecond))
					synctest.Wait()
					before := m.Status()
					sameStatus(t, m.StatusAt(mock.Now()), before, f.name+", a millisecond before")
					assert.Equal(t, f.at, before.Next(), "%s is the next change", f.name)

					mock.Add(time.Millisecond)
					synctest.Wait()
					require.Equal(t, f.at, mock.Now())
					got := m.Status()
					sameStatus(t, m.StatusAt(f.at), got, f.name)
					assert.Equal(t, f.active, got.Active(), "%s: active", f.name)
					assert.Equal(t, f.upcoming, got.HasUpcoming(), "%s: upcoming", f.name)
				}
			})
		})
	}
}

// countingClock is a mock clock that counts the calls of Now.
type countingClock struct {
	*clock.Mock
	nows atomic.Int64
}

func (c *countingClock) Now() time.Time { c.nows.Add(1); return c.Mock.Now() }

// TestManager_StatusReadsNoClock: while Run runs, Status reads no clock;
// before and after, it reads it on every call.
func TestManager_StatusReadsNoClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := &countingClock{Mock: newMock()}
		m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: clk, Logger: quiet})
		_, err := m.Add(t.Context(), validWindow(), "admin") // active at base
		require.NoError(t, err)

		n := clk.nows.Load()
		assert.True(t, m.Status().Active())
		assert.Equal(t, n+1, clk.nows.Load(), "without Run, Status reads the clock")
		assert.False(t, m.Health().Running, "before Run")

		stop := runDriven(t, m)
		n = clk.nows.Load()
		for range 100 {
			assert.True(t, m.Status().Active())
		}
		assert.Equal(t, n, clk.nows.Load(), "under Run, Status reads no clock")
		stop()

		assert.False(t, maintenance.Driving(m), "Run has returned")
		assert.False(t, m.Health().Running, "Run has returned")
		clk.Add(time.Hour) // past the stop; no Run to notice
		assert.False(t, m.Status().Active(), "after Run, Status reads the clock again")
	})
}

// TestManager_StatusWriteInForceAtOnce: under Run, a change through the
// Manager is in the status of now when the call returns.
func TestManager_StatusWriteInForceAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mock := newMock()
		m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock, Logger: quiet})
		defer runDriven(t, m)()
		assert.False(t, m.Status().Active())

		w, err := m.Add(t.Context(), validWindow(), "admin") // active at base
		require.NoError(t, err)
		assert.True(t, m.Status().Active(), "after Add")
		w.Stop = base.Add(time.Millisecond)
		_, err = m.Update(t.Context(), w, "admin")
		require.NoError(t, err)
		assert.Equal(t, base.Add(time.Millisecond), m.Status().End(), "after Update")
		require.NoError(t, m.Delete(t.Context(), w.ID))
		assert.False(t, m.Status().Active(), "after Delete")
	})
}

// steppedClock is a mock clock whose wall time can step (suspend and
// resume, NTP) while its timers, like the runtime's, run on durations: Now
// is the mock's now plus the step, the timers are the mock's.
type steppedClock struct {
	*clock.Mock
	step atomic.Int64 // nanoseconds
}

func (c *steppedClock) Now() time.Time                  { return c.Mock.Now().Add(time.Duration(c.step.Load())) }
func (c *steppedClock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }
func (c *steppedClock) Until(t time.Time) time.Duration { return t.Sub(c.Now()) }

// TestManager_StatusRecoversFromAClockStep steps the wall clock forwards
// and backwards past several boundaries, with no timer firing: the status
// Run keeps is stale until the next re-check, which corrects it within one
// RecheckInterval.
func TestManager_StatusRecoversFromAClockStep(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := &steppedClock{Mock: newMock()}
		const recheck = time.Second
		m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: clk, Logger: quiet,
			RecheckInterval: recheck, PollInterval: time.Hour})
		w := validWindow()
		w.Start, w.Stop = base.Add(10*time.Minute), base.Add(70*time.Minute) // notice from base-20m
		_, err := m.Add(t.Context(), w, "admin")
		require.NoError(t, err)
		defer runDriven(t, m)()
		require.True(t, m.Status().HasUpcoming())

		steps := []struct {
			name             string
			to               time.Duration // wall clock, from base
			active, upcoming bool
		}{
			{"forwards past the start", 30 * time.Minute, true, false},
			{"forwards past the stop", 2 * time.Hour, false, false},
			{"backwards past the stop and the start", 0, false, true},
			{"backwards past the notice", -time.Hour, false, false},
			{"forwards past the notice, the start and the stop", 3 * time.Hour, false, false},
			{"backwards into the window", 20 * time.Minute, true, false},
		}
		for _, s := range steps {
			before := m.Status()
			clk.step.Store(int64(base.Add(s.to).Sub(clk.Mock.Now())))
			synctest.Wait()
			sameStatus(t, before, m.Status(), s.name+": no timer fired, the status is stale")

			clk.Add(recheck)
			synctest.Wait()
			got := m.Status()
			sameStatus(t, m.StatusAt(clk.Now()), got, s.name+": within one re-check")
			assert.Equal(t, s.active, got.Active(), "%s: active", s.name)
			assert.Equal(t, s.upcoming, got.HasUpcoming(), "%s: upcoming", s.name)
		}
	})
}
