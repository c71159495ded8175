package maintenance_test

import (
	"fmt"
	"testing"
	"time"

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
