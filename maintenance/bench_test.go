package maintenance_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// manyWindows returns n valid two-hour windows, one a day, the first
// starting at base.
func manyWindows(n int) []maintenance.Window {
	ws := make([]maintenance.Window, n)
	for i := range ws {
		start := base.Add(time.Duration(i) * 24 * time.Hour)
		ws[i] = maintenance.Window{ID: int64(i + 1), Start: start, Stop: start.Add(2 * time.Hour), Comment: "w", Validity: maintenance.Valid}
	}
	return ws
}

// BenchmarkSchedule_At measures the request-path check: the instant lies in
// the remembered segment, as consecutive requests do.
func BenchmarkSchedule_At(b *testing.B) {
	for _, n := range []int{1, 1000, 100000} {
		s := maintenance.Compile(manyWindows(n), maintenance.DefaultLead)
		now := base.Add(time.Hour) // inside the first window
		b.Run(fmt.Sprintf("windows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !s.At(now).Active() {
					b.Fatal("not active")
				}
			}
		})
	}
}

// BenchmarkSchedule_AtMiss measures the slow path: every instant lies in
// another segment, so each check searches the schedule.
func BenchmarkSchedule_AtMiss(b *testing.B) {
	for _, n := range []int{1, 1000, 100000} {
		s := maintenance.Compile(manyWindows(n), maintenance.DefaultLead)
		instants := []time.Time{base.Add(time.Hour), base.Add(time.Duration(n/2)*24*time.Hour + 5*time.Hour)}
		b.Run(fmt.Sprintf("windows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				s.At(instants[i&1])
				i++
			}
		})
	}
}

// BenchmarkCompile measures building a schedule, done on every change.
func BenchmarkCompile(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		ws := manyWindows(n)
		b.Run(fmt.Sprintf("windows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				maintenance.Compile(ws, maintenance.DefaultLead)
			}
		})
	}
}

// weeklyRules returns n windows recurring weekly, two hours each, in four
// zones, on every day of the week and at every hour, begun in 2020: a
// thousand give some 57 000 occurrences over the default horizon.
func weeklyRules(n int) []maintenance.Window {
	zones := []string{"Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Lord_Howe"}
	ws := make([]maintenance.Window, n)
	for i := range ws {
		loc, _ := maintenance.LoadZone(zones[i%len(zones)])
		start := time.Date(2020, 1, 5+i%7, i%24, 0, 0, 0, loc)
		ws[i] = maintenance.Window{ID: int64(i + 1), Start: start, Stop: start.Add(2 * time.Hour), Comment: "w",
			Validity: maintenance.Valid, Recurrence: maintenance.Recurrence{Rule: "FREQ=WEEKLY", Zone: zones[i%len(zones)]}}
	}
	return ws
}

// recurringHorizon is the horizon a Manager compiles over at base.
var recurringHorizon = maintenance.Horizon{From: base.Add(-24 * time.Hour), Until: base.Add(maintenance.DefaultHorizon)}

// BenchmarkSchedule_AtRecurring measures the request-path check with no
// window and with a thousand weekly rules in force, inside an occurrence
// and between occurrences: the cost does not depend on the rules.
func BenchmarkSchedule_AtRecurring(b *testing.B) {
	rules := maintenance.CompileHorizon(weeklyRules(1000), maintenance.DefaultLead, recurringHorizon)
	var inside, between time.Time
	for m := 0; m < 24*60; m++ {
		t := base.Add(time.Duration(m) * time.Minute)
		if st := rules.At(t); st.Active() && inside.IsZero() {
			inside = t
		} else if !st.Active() && between.IsZero() {
			between = t
		}
	}
	for _, c := range []struct {
		name string
		s    *maintenance.Schedule
		at   time.Time
	}{
		{"rules=0", maintenance.CompileHorizon(nil, maintenance.DefaultLead, recurringHorizon), base},
		{"rules=1000/inside", rules, inside},
		{"rules=1000/between", rules, between},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.s.At(c.at).Active()
			}
		})
	}
}

// BenchmarkStatus_WindowOccurrence measures what a banner pays to read the
// occurrence it shows.
func BenchmarkStatus_WindowOccurrence(b *testing.B) {
	s := maintenance.CompileHorizon(weeklyRules(1000), maintenance.DefaultLead, recurringHorizon)
	st := s.At(base)
	if !st.Active() {
		b.Fatal("not active")
	}
	b.ReportAllocs()
	for b.Loop() {
		if w, _ := st.Window(); w.Occurrence.IsZero() {
			b.Fatal("not an occurrence")
		}
	}
}

// BenchmarkCompile_Recurring measures compiling a thousand weekly rules,
// begun six years before, over the default horizon: what a reload costs.
func BenchmarkCompile_Recurring(b *testing.B) {
	ws := weeklyRules(1000)
	b.ReportAllocs()
	for b.Loop() {
		maintenance.CompileHorizon(ws, maintenance.DefaultLead, recurringHorizon)
	}
	b.ReportMetric(float64(maintenance.CompileHorizon(ws, maintenance.DefaultLead, recurringHorizon).Occurrences()), "occurrences")
}

// BenchmarkManager_Recompile measures recompiling the schedule in force
// without reading the store (SetLead, and the daily move of the horizon,
// which reuse the prepared rules).
func BenchmarkManager_Recompile(b *testing.B) {
	ctx := context.Background()
	store := memstore.NewWindowStore()
	for _, w := range weeklyRules(1000) {
		if _, err := store.Create(ctx, w); err != nil {
			b.Fatal(err)
		}
	}
	mock := clock.NewMock()
	mock.Set(base)
	m := maintenance.New(store, &maintenance.Options{Clock: mock})
	if err := m.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		m.SetLead(time.Duration(30+i%2) * time.Minute)
	}
}
