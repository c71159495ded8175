package notify_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

func TestEvent_ID(t *testing.T) {
	w := maintenance.Window{ID: 42, Version: 3, Start: now, Stop: now.Add(2 * time.Hour), Lead: time.Hour}
	tests := []struct {
		kind notify.EventKind
		want string
	}{
		{notify.EventScheduled, "w42/v3/scheduled"},
		{notify.EventChanged, "w42/v3/changed"},
		{notify.EventWithdrawn, "w42/v3/withdrawn"},
		{notify.EventReminder, "w42/reminder/2026-11-24T10:00:00Z"},
		{notify.EventStarted, "w42/started/2026-11-24T10:00:00Z"},
		{notify.EventEnded, "w42/ended/2026-11-24T12:00:00Z"},
		{9, "w42/EventKind(9)"},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			assert.Equal(t, tt.want, notify.Event{Kind: tt.kind, Window: w, At: now.Add(-time.Minute)}.ID())
		})
	}
}

// The same event seen by two processes has the same ID, whatever else
// differs between what they saw; another event has another ID.
func TestEvent_ID_SameEventSameID(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	w := maintenance.Window{ID: 7, Version: 2, Start: now, Stop: now.Add(time.Hour)}
	base := notify.Event{Kind: notify.EventStarted, Window: w, At: now}

	same := []struct {
		name string
		edit func(e *notify.Event)
	}{
		{"seen at another instant", func(e *notify.Event) { e.At = now.Add(3 * time.Second) }},
		{"another lead", func(e *notify.Event) { e.Window.Lead = time.Hour }},
		{"another version", func(e *notify.Event) { e.Window.Version = 5 }},
		{"start in another zone", func(e *notify.Event) { e.Window.Start = now.In(berlin) }},
		{"start below the millisecond", func(e *notify.Event) { e.Window.Start = now.Add(999 * time.Microsecond) }},
		{"late", func(e *notify.Event) { e.Late = true }},
	}
	for _, tt := range same {
		e := base
		tt.edit(&e)
		assert.Equal(t, base.ID(), e.ID(), tt.name)
	}

	other := []struct {
		name string
		edit func(e *notify.Event)
	}{
		{"another window", func(e *notify.Event) { e.Window.ID = 8 }},
		{"another start", func(e *notify.Event) { e.Window.Start = now.Add(time.Millisecond) }},
		{"another kind", func(e *notify.Event) { e.Kind = notify.EventReminder }},
	}
	for _, tt := range other {
		e := base
		tt.edit(&e)
		assert.NotEqual(t, base.ID(), e.ID(), tt.name)
	}

	changed := notify.Event{Kind: notify.EventChanged, Window: w}
	moved := changed
	moved.Window.Version++
	assert.NotEqual(t, changed.ID(), moved.ID(), "a change of the schedule is named by the Version")
}

func TestEvent_ID_Bounded(t *testing.T) {
	extremes := []maintenance.Window{
		{ID: math.MinInt64, Version: math.MinInt64, Start: time.UnixMilli(math.MinInt64), Stop: time.UnixMilli(math.MinInt64)},
		{ID: math.MaxInt64, Version: math.MaxInt64, Start: time.UnixMilli(math.MaxInt64), Stop: time.UnixMilli(math.MaxInt64)},
		{},
	}
	for _, w := range extremes {
		for k := notify.EventEnded; k <= notify.EventWithdrawn; k++ {
			id := notify.Event{Kind: k, Window: w}.ID()
			assert.LessOrEqual(t, len(id), notify.MaxEventIDLen, id)
		}
	}
}
