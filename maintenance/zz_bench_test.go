package maintenance_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
)

func BenchmarkZZCompile(b *testing.B) {
	zones := []string{"Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Lord_Howe"}
	ws := make([]maintenance.Window, 1000)
	for i := range ws {
		loc, _ := time.LoadLocation(zones[i%4])
		st := time.Date(2020, 1, 5+i%7, i%24, 0, 0, 0, loc)
		ws[i] = maintenance.Window{ID: int64(i + 1), Comment: "w", Validity: maintenance.Valid, Start: st, Stop: st.Add(2 * time.Hour),
			Recurrence: maintenance.Recurrence{Rule: "FREQ=WEEKLY", Zone: zones[i%4]}}
	}
	h := maintenance.Horizon{From: base.Add(-24 * time.Hour), Until: base.Add(maintenance.DefaultHorizon)}
	s := maintenance.CompileHorizon(ws, 30*time.Minute, h)
	fmt.Println(s.Occurrences())
	b.ReportAllocs()
	for b.Loop() {
		maintenance.CompileHorizon(ws, 30*time.Minute, h)
	}
}
