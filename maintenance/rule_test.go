package maintenance_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
)

func TestParseRule(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"FREQ=WEEKLY;BYDAY=SU", "FREQ=WEEKLY;BYDAY=SU"},
		{"RRULE:FREQ=WEEKLY;BYDAY=SU", "FREQ=WEEKLY;BYDAY=SU"},
		{"rrule:freq=weekly;byday=su,mo,su;wkst=mo", "FREQ=WEEKLY;BYDAY=MO,SU"},
		{"BYDAY=TH,TU;FREQ=WEEKLY;INTERVAL=2;WKST=SU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU"},
		{"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;WKST=MO", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"},
		{"FREQ=DAILY;WKST=SU", "FREQ=DAILY"}, // WKST matters only to a WEEKLY rule with an interval
		{"FREQ=DAILY;INTERVAL=1", "FREQ=DAILY"},
		{"FREQ=MONTHLY;BYDAY=1TU", "FREQ=MONTHLY;BYDAY=1TU"},
		{"FREQ=MONTHLY;BYDAY=+1TU,-1FR;COUNT=12", "FREQ=MONTHLY;BYDAY=1TU,-1FR;COUNT=12"},
		{"FREQ=MONTHLY;BYMONTHDAY=-1,15,1", "FREQ=MONTHLY;BYMONTHDAY=1,15,-1"},
		{"FREQ=YEARLY;BYMONTH=11,3;BYDAY=2SU", "FREQ=YEARLY;BYMONTH=3,11;BYDAY=2SU"},
		{"FREQ=YEARLY;BYDAY=20MO,-53SU", "FREQ=YEARLY;BYDAY=20MO,-53SU"},
		{"FREQ=DAILY;UNTIL=20271231t230000z", "FREQ=DAILY;UNTIL=20271231T230000Z"},
		{"FREQ=DAILY;COUNT=1000;INTERVAL=1000", "FREQ=DAILY;INTERVAL=1000;COUNT=1000"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := maintenance.ParseRule(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.String())
			again, err := maintenance.ParseRule(r.String())
			require.NoError(t, err, "the canonical form parses")
			assert.Equal(t, r, again, "and gives the same rule")
		})
	}
}

func TestParseRule_Refused(t *testing.T) {
	tests := []struct {
		in, why string
	}{
		{"", "empty"},
		{"RRULE:", "empty"},
		{"BYDAY=MO", "FREQ is required"},
		{"FREQ=HOURLY", "more often than daily"},
		{"FREQ=MINUTELY", "more often than daily"},
		{"FREQ=SECONDLY", "more often than daily"},
		{"FREQ=FORTNIGHTLY", "unknown FREQ"},
		{"FREQ=WEEKLY;FREQ=DAILY", "given twice"},
		{"FREQ=WEEKLY;byday=MO;BYDAY=TU", "given twice"},
		{"FREQ=WEEKLY;BYHOUR=2", "time of day"},
		{"FREQ=WEEKLY;BYMINUTE=2", "time of day"},
		{"FREQ=WEEKLY;BYSECOND=2", "time of day"},
		{"FREQ=MONTHLY;BYSETPOS=1", "not supported"},
		{"FREQ=YEARLY;BYYEARDAY=1", "not supported"},
		{"FREQ=YEARLY;BYWEEKNO=1", "not supported"},
		{"FREQ=WEEKLY;X-NAME=1", "unknown part"},
		{"FREQ=WEEKLY;", "NAME=VALUE"},
		{"FREQ=WEEKLY;BYDAY", "NAME=VALUE"},
		{"FREQ=WEEKLY;BYDAY=", "NAME=VALUE"},
		{"FREQ=WEEKLY;BYDAY=MO,,TU", "empty item"},
		{"FREQ=WEEKLY;BYDAY=XX", "not a day"},
		{"FREQ=MONTHLY;BYDAY=0MO", "not a day"},
		{"FREQ=WEEKLY;BYDAY=1MO", "ordinal needs"},
		{"FREQ=DAILY;BYDAY=-1MO", "ordinal needs"},
		{"FREQ=MONTHLY;BYDAY=6MO", "outside -5 to 5"},
		{"FREQ=YEARLY;BYMONTH=1;BYDAY=-6MO", "outside -5 to 5"},
		{"FREQ=YEARLY;BYDAY=54MO", "not a day"},
		{"FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY=0"},
		{"FREQ=MONTHLY;BYMONTHDAY=32", "outside"},
		{"FREQ=MONTHLY;BYMONTHDAY=-32", "outside"},
		{"FREQ=WEEKLY;BYMONTHDAY=1", "not allowed with FREQ=WEEKLY"},
		{"FREQ=DAILY;BYMONTH=13", "outside 1 to 12"},
		{"FREQ=DAILY;BYMONTH=0", "outside 1 to 12"},
		{"FREQ=DAILY;INTERVAL=0", "outside 1 to 1000"},
		{"FREQ=DAILY;INTERVAL=1001", "outside 1 to 1000"},
		{"FREQ=DAILY;INTERVAL=two", "not a number"},
		{"FREQ=DAILY;INTERVAL=99999999999999999999", "not a number"},
		{"FREQ=DAILY;COUNT=0", "outside 1 to 1000"},
		{"FREQ=DAILY;COUNT=1001", "outside 1 to 1000"},
		{"FREQ=DAILY;COUNT=2;UNTIL=20270101T000000Z", "exclude each other"},
		{"FREQ=DAILY;UNTIL=20270101", "UTC date-time"},
		{"FREQ=DAILY;UNTIL=20270101T000000", "UTC date-time"},
		{"FREQ=DAILY;UNTIL=20270231T000000Z", "UTC date-time"},
		{"FREQ=DAILY;WKST=1MO", "without an ordinal"},
		{"FREQ=DAILY;WKST=XX", "not a day"},
		{"FREQ=DAILY;BYMONTHDAY=" + strings.Repeat("1,", 250) + "1", "longer than 500 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := maintenance.ParseRule(tt.in)
			require.ErrorIs(t, err, maintenance.ErrBadRule)
			assert.Contains(t, err.Error(), tt.why)
			assert.True(t, strings.HasPrefix(err.Error(), "maintenance: bad recurrence rule: "), err.Error())
		})
	}
}

func TestRule_String(t *testing.T) {
	tests := []struct {
		name string
		rule maintenance.Rule
		want string
	}{
		{"weekly on Sunday", maintenance.Rule{Freq: maintenance.Weekly, ByDay: []maintenance.Weekday{{Day: time.Sunday}}},
			"FREQ=WEEKLY;BYDAY=SU"},
		{"every other week, weeks from Sunday", maintenance.Rule{Freq: maintenance.Weekly, Interval: 2, WeekStart: time.Sunday,
			ByDay: []maintenance.Weekday{{Day: time.Sunday}, {Day: time.Monday}}}, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,SU;WKST=SU"},
		{"monthly on the first Tuesday, a year long", maintenance.Rule{Freq: maintenance.Monthly, Count: 12,
			ByDay: []maintenance.Weekday{{N: 1, Day: time.Tuesday}}}, "FREQ=MONTHLY;BYDAY=1TU;COUNT=12"},
		{"the last day of each quarter", maintenance.Rule{Freq: maintenance.Monthly, Interval: 3, ByMonthDay: []int{-1}},
			"FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1"},
		{"yearly until, in UTC", maintenance.Rule{Freq: maintenance.Yearly, ByMonth: []time.Month{time.December, time.June},
			Until: time.Date(2030, 1, 1, 1, 0, 0, 0, time.FixedZone("CET", 3600))}, "FREQ=YEARLY;BYMONTH=6,12;UNTIL=20300101T000000Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, tt.rule.Validate())
			assert.Equal(t, tt.want, tt.rule.String())
			r, err := maintenance.ParseRule(tt.rule.String())
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.String())
		})
	}
	assert.ErrorIs(t, maintenance.Rule{}.Validate(), maintenance.ErrBadRule, "the zero Rule has no FREQ")
	assert.Equal(t, "Freq(9)", maintenance.Freq(9).String())
	assert.ErrorIs(t, maintenance.Rule{Freq: maintenance.Daily, Until: time.Date(2030, 1, 1, 0, 0, 0, 5, time.UTC)}.Validate(),
		maintenance.ErrBadRule, "UNTIL off a whole second")
}
