package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTime(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	tests := []struct {
		in   string
		want string // RFC 3339 in UTC; empty: refused
	}{
		{"2026-11-24 22:00", "2026-11-24T21:00:00Z"},
		{"2026-11-24 22:00:30", "2026-11-24T21:00:30Z"},
		{"2026-11-24T22:00", "2026-11-24T21:00:00Z"},
		{"2026-11-24T22:00:30", "2026-11-24T21:00:30Z"},
		{"2026-11-24", "2026-11-23T23:00:00Z"},
		{"2026-07-01 12:00", "2026-07-01T10:00:00Z"}, // summer time
		{"2026-11-24T22:00:00Z", "2026-11-24T22:00:00Z"},
		{"2026-11-24T22:00:00.250-05:00", "2026-11-25T03:00:00.25Z"},
		{"2026-03-29 02:30", ""}, // skipped
		{"2026-10-25 02:30", ""}, // repeated
		{"2026-10-25T02:30:00+01:00", "2026-10-25T01:30:00Z"},
		{"2026-11-24 25:00", ""},
		{"24.11.2026 22:00", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseTime("--at", tt.in, berlin)
			if tt.want == "" {
				assert.ErrorAs(t, err, new(usageError))
				assert.Contains(t, err.Error(), `--at "`+tt.in+`"`)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.UTC().Format(time.RFC3339Nano))
		})
	}
}

func TestFormatTime(t *testing.T) {
	at := time.Date(2026, time.November, 24, 21, 0, 0, 0, time.UTC)
	tests := []struct {
		zone string
		t    time.Time
		want string
	}{
		{"Europe/Berlin", at, "2026-11-24 22:00 CET"},
		{"Europe/Berlin", at.AddDate(0, -5, 0), "2026-06-24 23:00 CEST"},
		{"UTC", at.Add(30 * time.Second), "2026-11-24 21:00:30 UTC"},
		{"UTC", at.Add(250 * time.Millisecond), "2026-11-24 21:00:00 UTC"},
		{"Asia/Kathmandu", at, "2026-11-25 02:45 UTC+05:45"},
		{"America/Sao_Paulo", at, "2026-11-24 18:00 UTC-03:00"},
		{"UTC", time.Time{}, "-"},
	}
	for _, tt := range tests {
		loc, err := time.LoadLocation(tt.zone)
		require.NoError(t, err)
		assert.Equal(t, tt.want, formatTime(tt.t, loc), tt.zone)
	}
}

func TestClean(t *testing.T) {
	assert.Equal(t, "Deploy  now [31mred ok", clean("Deploy\n\tnow\x1b[31mred\u202eok"))
}
