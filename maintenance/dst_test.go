package maintenance_test

import (
	"context"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// TestRecurrence_DST expands a daily rule across daylight-saving changes
// in zones with one-hour, half-hour and odd offsets, and in zones without
// changes. The rule of RFC 5545: a wall-clock start in a spring-forward
// gap moves forward by the gap's length; one that occurs twice is the
// first; every occurrence lasts the same exact time.
func TestRecurrence_DST(t *testing.T) {
	tests := []struct {
		name, zone, start string // the first occurrence, wall-clock
		length            time.Duration
		want              [][2]string // start and stop of three days, "2006-01-02 15:04 -0700"
	}{
		{"Europe/Berlin, spring forward: 02:30 moves to 03:30", "Europe/Berlin", "2027-03-27 02:30", 2 * time.Hour, [][2]string{
			{"2027-03-27 02:30 +0100", "2027-03-27 04:30 +0100"},
			{"2027-03-28 03:30 +0200", "2027-03-28 05:30 +0200"},
			{"2027-03-29 02:30 +0200", "2027-03-29 04:30 +0200"}}},
		{"Europe/Berlin, fall back: the first 02:30, for two hours", "Europe/Berlin", "2026-10-24 02:30", 2 * time.Hour, [][2]string{
			{"2026-10-24 02:30 +0200", "2026-10-24 04:30 +0200"},
			{"2026-10-25 02:30 +0200", "2026-10-25 03:30 +0100"},
			{"2026-10-26 02:30 +0100", "2026-10-26 04:30 +0100"}}},
		{"America/New_York, spring forward", "America/New_York", "2027-03-13 02:30", time.Hour, [][2]string{
			{"2027-03-13 02:30 -0500", "2027-03-13 03:30 -0500"},
			{"2027-03-14 03:30 -0400", "2027-03-14 04:30 -0400"},
			{"2027-03-15 02:30 -0400", "2027-03-15 03:30 -0400"}}},
		{"America/New_York, fall back", "America/New_York", "2026-10-31 01:30", time.Hour, [][2]string{
			{"2026-10-31 01:30 -0400", "2026-10-31 02:30 -0400"},
			{"2026-11-01 01:30 -0400", "2026-11-01 01:30 -0500"},
			{"2026-11-02 01:30 -0500", "2026-11-02 02:30 -0500"}}},
		{"Australia/Lord_Howe, spring forward half an hour", "Australia/Lord_Howe", "2026-10-03 02:15", time.Hour, [][2]string{
			{"2026-10-03 02:15 +1030", "2026-10-03 03:15 +1030"},
			{"2026-10-04 02:45 +1100", "2026-10-04 03:45 +1100"},
			{"2026-10-05 02:15 +1100", "2026-10-05 03:15 +1100"}}},
		{"Australia/Lord_Howe, fall back half an hour", "Australia/Lord_Howe", "2027-04-03 01:45", time.Hour, [][2]string{
			{"2027-04-03 01:45 +1100", "2027-04-03 02:45 +1100"},
			{"2027-04-04 01:45 +1100", "2027-04-04 02:15 +1030"},
			{"2027-04-05 01:45 +1030", "2027-04-05 02:45 +1030"}}},
		{"Pacific/Chatham, spring forward at 02:45", "Pacific/Chatham", "2026-09-26 03:00", time.Hour, [][2]string{
			{"2026-09-26 03:00 +1245", "2026-09-26 04:00 +1245"},
			{"2026-09-27 04:00 +1345", "2026-09-27 05:00 +1345"},
			{"2026-09-28 03:00 +1345", "2026-09-28 04:00 +1345"}}},
		{"Pacific/Chatham, fall back at 03:45", "Pacific/Chatham", "2027-04-03 03:00", time.Hour, [][2]string{
			{"2027-04-03 03:00 +1345", "2027-04-03 04:00 +1345"},
			{"2027-04-04 03:00 +1345", "2027-04-04 03:00 +1245"},
			{"2027-04-05 03:00 +1245", "2027-04-05 04:00 +1245"}}},
		{"America/Santiago, spring forward at midnight", "America/Santiago", "2026-09-05 00:30", time.Hour, [][2]string{
			{"2026-09-05 00:30 -0400", "2026-09-05 01:30 -0400"},
			{"2026-09-06 01:30 -0300", "2026-09-06 02:30 -0300"},
			{"2026-09-07 00:30 -0300", "2026-09-07 01:30 -0300"}}},
		{"America/Santiago, fall back at midnight", "America/Santiago", "2027-04-02 23:30", time.Hour, [][2]string{
			{"2027-04-02 23:30 -0300", "2027-04-03 00:30 -0300"},
			{"2027-04-03 23:30 -0300", "2027-04-03 23:30 -0400"},
			{"2027-04-04 23:30 -0400", "2027-04-05 00:30 -0400"}}},
		{"Asia/Kathmandu, +05:45 and no change", "Asia/Kathmandu", "2027-03-27 02:30", time.Hour, [][2]string{
			{"2027-03-27 02:30 +0545", "2027-03-27 03:30 +0545"},
			{"2027-03-28 02:30 +0545", "2027-03-28 03:30 +0545"},
			{"2027-03-29 02:30 +0545", "2027-03-29 03:30 +0545"}}},
		{"Asia/Tokyo, no change", "Asia/Tokyo", "2027-03-27 02:30", time.Hour, [][2]string{
			{"2027-03-27 02:30 +0900", "2027-03-27 03:30 +0900"},
			{"2027-03-28 02:30 +0900", "2027-03-28 03:30 +0900"},
			{"2027-03-29 02:30 +0900", "2027-03-29 03:30 +0900"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := zone(t, tt.zone)
			w := repeating(t, 1, "FREQ=DAILY", tt.zone, tt.start, tt.length)
			require.NoError(t, w.Validate())
			occ, err := w.Occurrences(w.Start, 3)
			require.NoError(t, err)
			var got [][2]string
			for _, o := range occ {
				got = append(got, [2]string{show(o.Start, loc), show(o.Stop, loc)})
				assert.Equal(t, tt.length, o.Stop.Sub(o.Start), "every occurrence lasts the same exact time")
			}
			assert.Equal(t, tt.want, got)

			// The schedule enforces exactly these, from a horizon that
			// begins long after the rule did.
			w.Start, w.Stop = w.Start.AddDate(-3, 0, 0), w.Stop.AddDate(-3, 0, 0)
			if w, err = w.Align(); err != nil || !w.Start.Before(occ[0].Start) {
				t.Fatalf("no start three years earlier: %v", err)
			}
			s := maintenance.CompileHorizon([]maintenance.Window{w}, 0,
				maintenance.Horizon{From: occ[0].Start.Add(-24 * time.Hour), Until: occ[2].Stop.Add(24 * time.Hour)})
			for _, o := range occ {
				for _, c := range []struct {
					at     time.Time
					active bool
				}{{o.Start.Add(-time.Second), false}, {o.Start, true}, {o.Stop.Add(-time.Second), true}, {o.Stop, false}} {
					st := s.At(c.at)
					require.Equal(t, c.active, st.Active(), "at %s", show(c.at, loc))
					if c.active {
						got, _ := st.Window()
						assert.Equal(t, show(o.Start, loc), show(got.Start, loc), "the occurrence at %s", show(c.at, loc))
						assert.True(t, st.End().Equal(o.Stop))
					}
				}
			}
		})
	}
}

// TestManager_EverySundayInBerlin is "every Sunday 02:00-04:00
// Europe/Berlin", enforced on the mock clock before and after both
// daylight-saving changes. On the Sunday the clocks fall back, 02:00
// exists twice: maintenance starts at the first (02:00 CEST) and lasts two
// hours, to 03:00 CET. On the Sunday they spring forward, 02:00 does not
// exist: maintenance starts at 03:00 CEST, an hour later, and lasts two
// hours, to 05:00 CEST.
func TestManager_EverySundayInBerlin(t *testing.T) {
	ctx := context.Background()
	const berlin = "Europe/Berlin"
	loc := zone(t, berlin)
	mock := clock.NewMock()
	mock.Set(local(t, berlin, "2026-10-10 12:00"))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock, Logger: quiet})
	require.NoError(t, m.Refresh(ctx))
	w := repeating(t, 0, "FREQ=WEEKLY;BYDAY=SU", berlin, "2026-10-11 02:00", 2*time.Hour)
	_, err := m.Add(ctx, w, "admin")
	require.NoError(t, err)

	utc := func(s string) time.Time {
		v, err := time.Parse("2006-01-02 15:04", s)
		require.NoError(t, err)
		return v
	}
	tests := []struct {
		name     string
		at       time.Time
		active   bool
		start    string // of the occurrence active or coming
		end      string
		upcoming bool
	}{
		{"Saturday before the fall change", local(t, berlin, "2026-10-24 12:00"), false, "", "", false},
		{"half an hour before, the notice", local(t, berlin, "2026-10-25 01:30"), false, "2026-10-25 02:00 +0200", "", true},
		{"fall change: 02:00 CEST starts it", utc("2026-10-25 00:00"), true, "2026-10-25 02:00 +0200", "2026-10-25 03:00 +0100", false},
		{"fall change: the second 02:30, in CET, is inside", utc("2026-10-25 01:30"), true, "2026-10-25 02:00 +0200", "2026-10-25 03:00 +0100", false},
		{"fall change: 03:00 CET, two hours on, it ended", utc("2026-10-25 02:00"), false, "", "", false},
		{"the Sunday after: 02:00 CET", local(t, berlin, "2026-11-01 02:00"), true, "2026-11-01 02:00 +0100", "2026-11-01 04:00 +0100", false},
		{"the Sunday after: 03:59 CET", local(t, berlin, "2026-11-01 03:59"), true, "2026-11-01 02:00 +0100", "2026-11-01 04:00 +0100", false},
		{"the Sunday after: 04:00 CET", local(t, berlin, "2026-11-01 04:00"), false, "", "", false},
		{"Sunday before the spring change: 02:00 CET", local(t, berlin, "2027-03-21 02:00"), true, "2027-03-21 02:00 +0100", "2027-03-21 04:00 +0100", false},
		{"spring change: 01:59 CET, the gap ahead", local(t, berlin, "2027-03-28 01:59"), false, "2027-03-28 03:00 +0200", "", true},
		{"spring change: 03:00 CEST starts it", local(t, berlin, "2027-03-28 03:00"), true, "2027-03-28 03:00 +0200", "2027-03-28 05:00 +0200", false},
		{"spring change: 04:59 CEST", local(t, berlin, "2027-03-28 04:59"), true, "2027-03-28 03:00 +0200", "2027-03-28 05:00 +0200", false},
		{"spring change: 05:00 CEST, two hours on, it ended", local(t, berlin, "2027-03-28 05:00"), false, "", "", false},
		{"the Sunday after: 02:00 CEST", local(t, berlin, "2027-04-04 02:00"), true, "2027-04-04 02:00 +0200", "2027-04-04 04:00 +0200", false},
		{"the Sunday after: 01:59 CEST", local(t, berlin, "2027-04-04 01:59"), false, "2027-04-04 02:00 +0200", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock.Set(tt.at)
			st := m.Status()
			assert.Equal(t, tt.active, st.Active(), "active at %s", show(tt.at, loc))
			if tt.active {
				got, ok := st.Window()
				require.True(t, ok)
				assert.Equal(t, tt.start, show(got.Start, loc))
				assert.Equal(t, tt.end, show(got.Stop, loc))
				assert.Equal(t, tt.end, show(st.End(), loc), "Retry-After's end")
				assert.True(t, got.Occurrence.Equal(got.Start))
			}
			u, ok := st.Upcoming()
			assert.Equal(t, tt.upcoming, ok && !st.Active())
			if tt.upcoming {
				assert.Equal(t, tt.start, show(u.Start, loc))
			}
		})
	}
}
