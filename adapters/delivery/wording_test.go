package delivery_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/delivery"
	"github.com/sysmaint/sysmaint/adapters/internal/sendtest"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

func TestWording_Message(t *testing.T) {
	berlin, err := notify.NewViewer(session.Agent, "Europe/Berlin", "de-DE")
	require.NoError(t, err)
	newYork, err := notify.NewViewer(session.Customer, "America/New_York", "en-US")
	require.NoError(t, err)
	w := delivery.NewWording(nil)
	tests := []struct {
		kind   notify.EventKind
		viewer notify.Viewer
		want   delivery.Message
	}{
		{notify.EventReminder, notify.Viewer{}, delivery.Message{Title: "Maintenance soon",
			Text: "A system maintenance period will start at: 11/24/2026 20:00 UTC and is expected to stop at: 11/24/2026 22:00 UTC"}},
		{notify.EventReminder, newYork, delivery.Message{Title: "Maintenance soon",
			Text: "A system maintenance period will start at: 11/24/2026 15:00 EST and is expected to stop at: 11/24/2026 17:00 EST"}},
		{notify.EventReminder, berlin, delivery.Message{Title: "Wartung in Kürze",
			Text: "Eine Systemwartung beginnt am 24.11.2026 21:00 CET und endet voraussichtlich am 24.11.2026 23:00 CET"}},
		{notify.EventScheduled, berlin, delivery.Message{Title: "Wartung geplant",
			Text: "Eine Systemwartung beginnt am 24.11.2026 21:00 CET und endet voraussichtlich am 24.11.2026 23:00 CET"}},
		{notify.EventChanged, newYork, delivery.Message{Title: "Maintenance changed",
			Text: "A system maintenance period will start at: 11/24/2026 15:00 EST and is expected to stop at: 11/24/2026 17:00 EST"}},
		{notify.EventStarted, newYork, delivery.Message{Title: "Maintenance started", Text: notify.DefaultActiveNotification}},
		{notify.EventStarted, berlin, delivery.Message{Title: "Wartung begonnen", Text: "Wir führen planmäßige Wartungsarbeiten durch."}},
		{notify.EventEnded, newYork, delivery.Message{Title: "Maintenance ended", Text: delivery.DefaultEnded}},
		{notify.EventEnded, berlin, delivery.Message{Title: "Wartung beendet", Text: "Die Systemwartung ist beendet."}},
		{notify.EventWithdrawn, newYork, delivery.Message{Title: "Maintenance cancelled",
			Text: "The system maintenance period from 11/24/2026 15:00 EST to 11/24/2026 17:00 EST has been cancelled."}},
		{notify.EventWithdrawn, berlin, delivery.Message{Title: "Wartung abgesagt",
			Text: "Die Systemwartung vom 24.11.2026 21:00 CET bis 24.11.2026 23:00 CET wurde abgesagt."}},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String()+"/"+tt.viewer.Language, func(t *testing.T) {
			assert.Equal(t, tt.want, w.Message(sendtest.Event(tt.kind), tt.viewer))
		})
	}
}

// A window's own NotifyMessage is the text of its start, as written, in
// every language; also for a window that has left the schedule since.
func TestWording_OwnMessage(t *testing.T) {
	w := delivery.NewWording(nil)
	e := sendtest.Event(notify.EventStarted)
	e.Window.NotifyMessage = "Upgrading the database: back at 23:00."
	e.Window.Validity = maintenance.Invalid
	for _, lang := range []string{"", "de"} {
		assert.Equal(t, e.Window.NotifyMessage, w.Message(e, notify.Viewer{Language: lang}).Text)
	}
	e.Window.NotifyMessage = ""
	assert.Equal(t, notify.DefaultActiveNotification, w.Message(e, notify.Viewer{}).Text)
}

// An occurrence of a recurring window is worded with its own times.
func TestWording_Occurrence(t *testing.T) {
	weekly := sendtest.Window()
	weekly.Recurrence = maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=TU", Zone: "Europe/Berlin"}
	occ, ok := maintenance.Compile([]maintenance.Window{weekly}, 0).At(weekly.Start.Add(7 * 24 * time.Hour)).Window()
	require.True(t, ok)
	require.False(t, occ.Occurrence.IsZero())
	w := delivery.NewWording(nil)
	for _, kind := range []notify.EventKind{notify.EventReminder, notify.EventWithdrawn} {
		assert.Contains(t, w.Message(notify.Event{Kind: kind, Window: occ}, notify.Viewer{}).Text, "12/01/2026 20:00 UTC")
	}
	assert.Equal(t, notify.DefaultActiveNotification, w.Message(notify.Event{Kind: notify.EventStarted, Window: occ}, notify.Viewer{}).Text)
}

func TestWording_Settings(t *testing.T) {
	tr := notify.Catalog{"fr": {
		"Fin de maintenance":             "Fin de maintenance",
		"All done.":                      "Terminé.",
		notify.DefaultActiveNotification: "Maintenance en cours.",
	}}
	w := delivery.NewWording(&delivery.WordingSettings{
		Texts:     &notify.Settings{Upcoming: "From %s to %s.", Translator: tr},
		Titles:    map[notify.EventKind]string{notify.EventEnded: "Fin de maintenance", notify.EventStarted: ""},
		Ended:     "All done.",
		Withdrawn: "Off: %s, %s.",
	})
	fr := notify.Viewer{Language: "fr"}
	assert.Equal(t, delivery.Message{Title: "Fin de maintenance", Text: "Terminé."}, w.Message(sendtest.Event(notify.EventEnded), fr))
	assert.Equal(t, delivery.Message{Title: "Maintenance started", Text: "Maintenance en cours."}, w.Message(sendtest.Event(notify.EventStarted), fr),
		"an empty title keeps the default")
	assert.Equal(t, "From 11/24/2026 20:00 UTC to 11/24/2026 22:00 UTC.", w.Message(sendtest.Event(notify.EventReminder), fr).Text)
	assert.Equal(t, "Off: 11/24/2026 20:00 UTC, 11/24/2026 22:00 UTC.", w.Message(sendtest.Event(notify.EventWithdrawn), fr).Text)
	// A Translator of its own replaces the default catalog: no German.
	assert.Equal(t, "Maintenance ended", delivery.NewWording(&delivery.WordingSettings{Texts: &notify.Settings{Translator: tr}}).
		Message(sendtest.Event(notify.EventEnded), notify.Viewer{Language: "de"}).Title)
}

func TestDefaultCatalog(t *testing.T) {
	c := delivery.DefaultCatalog()
	assert.Equal(t, "Wartung beendet", c.Translate("de", delivery.DefaultTitleEnded))
	assert.Equal(t, "Wir führen planmäßige Wartungsarbeiten durch.", c.Translate("de", notify.DefaultActiveNotification), "notify's entries kept")
	c["de"][delivery.DefaultTitleEnded] = "changed"
	assert.Equal(t, "Wartung beendet", delivery.DefaultCatalog().Translate("de", delivery.DefaultTitleEnded), "a copy")
}
