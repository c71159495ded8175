package maintenance_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

func TestWallInstants(t *testing.T) {
	tests := []struct {
		name string
		zone string
		wall string // 2006-01-02 15:04
		want []string
	}{
		{"ordinary", "Europe/Berlin", "2026-11-24 22:00", []string{"2026-11-24T21:00:00Z"}},
		{"UTC", "UTC", "2026-03-29 02:30", []string{"2026-03-29T02:30:00Z"}},
		{"Berlin gap", "Europe/Berlin", "2026-03-29 02:30", nil},
		{"Berlin gap start", "Europe/Berlin", "2026-03-29 02:00", nil},
		{"Berlin after gap", "Europe/Berlin", "2026-03-29 03:00", []string{"2026-03-29T01:00:00Z"}},
		{"Berlin overlap", "Europe/Berlin", "2026-10-25 02:30", []string{"2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"}},
		{"Berlin after overlap", "Europe/Berlin", "2026-10-25 03:00", []string{"2026-10-25T02:00:00Z"}},
		{"New York gap", "America/New_York", "2026-03-08 02:15", nil},
		{"New York overlap", "America/New_York", "2026-11-01 01:15", []string{"2026-11-01T05:15:00Z", "2026-11-01T06:15:00Z"}},
		{"Lord Howe half-hour gap", "Australia/Lord_Howe", "2026-10-04 02:15", nil},
		{"Lord Howe half-hour overlap", "Australia/Lord_Howe", "2026-04-05 01:45", []string{"2026-04-04T14:45:00Z", "2026-04-04T15:15:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, err := time.LoadLocation(tt.zone)
			require.NoError(t, err)
			wall, err := time.Parse("2006-01-02 15:04", tt.wall)
			require.NoError(t, err)
			var got []string
			for _, i := range maintenance.WallInstants(wall, loc) {
				assert.Equal(t, loc, i.Location(), "in the zone asked for")
				assert.Equal(t, tt.wall, i.Format("2006-01-02 15:04"), "reads as the wall clock")
				got = append(got, i.UTC().Format(time.RFC3339))
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func ExampleWallInstants() {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	for _, s := range []string{"2026-11-24 22:00", "2026-03-29 02:30", "2026-10-25 02:30"} {
		wall, _ := time.Parse("2006-01-02 15:04", s)
		fmt.Println(s, maintenance.WallInstants(wall, berlin))
	}
	// Output:
	// 2026-11-24 22:00 [2026-11-24 22:00:00 +0100 CET]
	// 2026-03-29 02:30 []
	// 2026-10-25 02:30 [2026-10-25 02:30:00 +0200 CEST 2026-10-25 02:30:00 +0100 CET]
}
