package maintenance_test

import (
	"context"
	"fmt"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// A form builds the rule, aligns the start on it and shows the next
// occurrences in the administrator's zone before saving.
func ExampleWindow_Occurrences() {
	berlin, _ := maintenance.LoadZone("Europe/Berlin")
	rule := maintenance.Rule{Freq: maintenance.Weekly, ByDay: []maintenance.Weekday{{Day: time.Sunday}}}
	start := time.Date(2027, 3, 10, 2, 0, 0, 0, berlin) // a Wednesday: Align moves it to Sunday
	w := maintenance.Window{
		Start: start, Stop: start.Add(2 * time.Hour), Comment: "Weekly patching", Validity: maintenance.Valid,
		Recurrence: maintenance.Recurrence{Rule: rule.String(), Zone: "Europe/Berlin"},
	}
	w, err := w.Align()
	if err != nil {
		panic(err)
	}
	next, err := w.Occurrences(w.Start, 4)
	if err != nil {
		panic(err)
	}
	for _, o := range next {
		fmt.Println(o.Start.In(berlin).Format("Mon 02 Jan 15:04 MST"), "to", o.Stop.In(berlin).Format("15:04 MST"))
	}
	// Output:
	// Sun 14 Mar 02:00 CET to 04:00 CET
	// Sun 21 Mar 02:00 CET to 04:00 CET
	// Sun 28 Mar 03:00 CEST to 05:00 CEST
	// Sun 04 Apr 02:00 CEST to 04:00 CEST
}

func ExampleParseRule() {
	r, err := maintenance.ParseRule("RRULE:freq=monthly;byday=1tu;count=12")
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Freq, r.ByDay[0].N, r.ByDay[0].Day, r.Count)
	fmt.Println(r)

	_, err = maintenance.ParseRule("FREQ=HOURLY")
	fmt.Println(err)
	// Output:
	// MONTHLY 1 Tuesday 12
	// FREQ=MONTHLY;BYDAY=1TU;COUNT=12
	// maintenance: bad recurrence rule: FREQ=HOURLY is more often than daily, which is not supported
}

// A calendar feed writes a recurring window as one event.
func ExampleWindow_Calendar() {
	ny, _ := maintenance.LoadZone("America/New_York")
	start := time.Date(2026, 12, 1, 22, 0, 0, 0, ny)
	w := maintenance.Window{
		Start: start, Stop: start.Add(time.Hour), Comment: "Database upgrade", Validity: maintenance.Valid,
		Recurrence: maintenance.Recurrence{Rule: "FREQ=MONTHLY;BYDAY=1TU", Zone: "America/New_York",
			Exceptions: []time.Time{time.Date(2027, 1, 5, 22, 0, 0, 0, ny)}},
	}
	c, ok := w.Calendar()
	if !ok {
		panic("not a valid recurring window")
	}
	fmt.Printf("DTSTART;TZID=%s:%s\n", c.TZID, c.DTStart)
	fmt.Printf("DURATION:%s\n", c.Duration)
	fmt.Printf("RRULE:%s\n", c.RRule)
	for _, x := range c.ExDates {
		fmt.Printf("EXDATE;TZID=%s:%s\n", c.TZID, x)
	}
	// Output:
	// DTSTART;TZID=America/New_York:20261201T220000
	// DURATION:PT1H
	// RRULE:FREQ=MONTHLY;BYDAY=1TU
	// EXDATE;TZID=America/New_York:20270105T220000
}

// The status reports the occurrence at hand; skipping one takes it out of
// the schedule.
func ExampleManager_SkipOccurrence() {
	ctx := context.Background()
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	if err := m.Refresh(ctx); err != nil {
		panic(err)
	}
	berlin, _ := maintenance.LoadZone("Europe/Berlin")
	start := time.Date(2026, 11, 29, 2, 0, 0, 0, berlin)
	w, err := m.Add(ctx, maintenance.Window{
		Start: start, Stop: start.Add(2 * time.Hour), Comment: "Weekly patching", Validity: maintenance.Valid,
		Recurrence: maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=SU", Zone: "Europe/Berlin"},
	}, "admin")
	if err != nil {
		panic(err)
	}
	second := time.Date(2026, 12, 6, 2, 30, 0, 0, berlin)
	occ, _ := m.StatusAt(second).Window()
	fmt.Println("active:", occ.Start.In(berlin).Format("Mon 02 Jan 15:04"))

	if _, err := m.SkipOccurrence(ctx, w.ID, occ.Occurrence, w.Version, "admin"); err != nil {
		panic(err)
	}
	fmt.Println("after the skip, active:", m.StatusAt(second).Active())
	// Output:
	// active: Sun 06 Dec 02:00
	// after the skip, active: false
}
