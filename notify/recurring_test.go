package notify_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// weeklyBerlin is a window every Tuesday 13:00-14:00 Berlin time (12:00
// UTC in winter), its first occurrence on now's day.
func weeklyBerlin() maintenance.Window {
	w := window(now.Add(2*time.Hour), now.Add(3*time.Hour))
	w.Recurrence = maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=TU", Zone: "Europe/Berlin"}
	w.NotifyMessage = "Weekly maintenance."
	return w
}

const week = 7 * 24 * time.Hour

// TestTexts_Banner_Occurrence shows that the texts speak of the occurrence
// at hand, in the viewer's zone, not of the recurring window's first.
func TestTexts_Banner_Occurrence(t *testing.T) {
	m, mock, _ := newManager(t, now, weeklyBerlin())
	texts := notify.New(nil)
	v := viewer(t, "America/New_York", "en")

	mock.Set(now.Add(week + 90*time.Minute)) // half an hour before the second
	n := texts.Banner(m.Status(), v)
	assert.Equal(t, notify.NoticeUpcoming, n.Kind)
	assert.Equal(t, "A system maintenance period will start at: 12/01/2026 07:00 EST and is expected to stop at: 12/01/2026 08:00 EST", n.Text)
	assert.Equal(t, now.Add(week+2*time.Hour), n.Window.Start)
	assert.Equal(t, n.Window.Start, n.Window.Occurrence)

	mock.Set(now.Add(week + 2*time.Hour))
	n = texts.Banner(m.Status(), v)
	assert.Equal(t, notify.NoticeActive, n.Kind)
	assert.Equal(t, "Weekly maintenance.", n.Text)
	assert.Equal(t, now.Add(week+3*time.Hour), n.Window.Stop)
	de := viewer(t, "Europe/Berlin", "de")
	assert.Equal(t, "Eine Systemwartung beginnt am 01.12.2026 13:00 CET und endet voraussichtlich am 01.12.2026 14:00 CET",
		texts.Upcoming(n.Window, de))
}

// TestWatch_Occurrences follows a weekly window for three weeks: each
// occurrence is announced, starts and ends, with the occurrence's own
// times, so that the events of different weeks are told apart by the
// window's ID, the kind and the occurrence's start.
func TestWatch_Occurrences(t *testing.T) {
	h := startWatch(t, nil, weeklyBerlin())
	seen := map[string]bool{}
	for i := range 3 {
		start := now.Add(time.Duration(i)*week + 2*time.Hour)
		stop := start.Add(time.Hour)
		assert.Empty(t, h.advance(start.Add(-31*time.Minute)), "week %d: before the notice", i)
		var got []notify.Event
		got = append(got, h.advance(start.Add(-30*time.Minute))...)
		got = append(got, h.advance(start)...)
		got = append(got, h.advance(stop)...)
		require.Equal(t, []ev{{notify.EventReminder, 1, start.Add(-30 * time.Minute)}, {notify.EventStarted, 1, start},
			{notify.EventEnded, 1, stop}}, evs(got), "week %d", i)
		for _, e := range got {
			assert.Equal(t, start, e.Window.Start, "week %d: %s", i, e.Kind)
			assert.Equal(t, stop, e.Window.Stop, "week %d: %s", i, e.Kind)
			assert.Equal(t, start, e.Window.Occurrence, "week %d: %s", i, e.Kind)
			id := fmt.Sprintf("w%d/%s/%s", e.Window.ID, e.Kind, e.Window.Start.Format(time.RFC3339))
			assert.False(t, seen[id], "an event ID twice: %s", id)
			seen[id] = true
		}
	}
	assert.Len(t, seen, 9)
}

// TestWatch_OccurrenceSkipped: skipping the coming occurrence withdraws
// nothing but changes the window; the skipped one is neither announced
// nor started, the next one is.
func TestWatch_OccurrenceSkipped(t *testing.T) {
	m, mock, stored := newManager(t, now, weeklyBerlin())
	h := startWatchOn(t, m, mock, nil)
	w := stored[0]
	assert.Len(t, h.advance(now.Add(3*time.Hour)), 3, "the first week")

	second := now.Add(week + 2*time.Hour)
	got := h.change(func(ctx context.Context, m *maintenance.Manager) {
		_, err := m.SkipOccurrence(ctx, w.ID, second, w.Version, "ops")
		require.NoError(t, err)
	})
	assert.Equal(t, []ev{{notify.EventChanged, 1, now.Add(3 * time.Hour)}}, got)

	third := second.Add(week)
	assert.Equal(t, []ev{{notify.EventReminder, 1, third.Add(-30 * time.Minute)}, {notify.EventStarted, 1, third}}, evs(h.advance(third)),
		"the skipped week gives nothing")
}
