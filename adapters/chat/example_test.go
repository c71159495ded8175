package chat_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"time"

	"github.com/sysmaint/sysmaint/adapters/chat"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

// What the channel reads, in its language and zone.
func ExampleSender() {
	posted := make(chan string, 10)
	slack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var msg struct{ Text string }
		_ = json.NewDecoder(r.Body).Decode(&msg)
		posted <- msg.Text
		_, _ = io.WriteString(w, "ok")
	}))
	defer slack.Close()

	berlin, err := notify.NewViewer(session.Agent, "Europe/Berlin", "de")
	if err != nil {
		panic(err)
	}
	s, err := chat.New(slack.URL+"/services/T000/B000/XXXX", &chat.Options{Viewer: berlin})
	if err != nil {
		panic(err)
	}
	w := maintenance.Window{ID: 1, Start: time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC),
		Stop: time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC), Comment: "database upgrade", Validity: maintenance.Valid}
	for _, kind := range []notify.EventKind{notify.EventReminder, notify.EventStarted, notify.EventEnded} {
		if err := s.Notify(context.Background(), notify.Event{Kind: kind, Window: w}); err != nil {
			panic(err)
		}
		fmt.Println(<-posted)
	}
	// Output:
	// Wartung in Kürze: Eine Systemwartung beginnt am 24.11.2026 21:00 CET und endet voraussichtlich am 24.11.2026 23:00 CET
	// Wartung begonnen: Wir führen planmäßige Wartungsarbeiten durch.
	// Wartung beendet: Die Systemwartung ist beendet.
}

// A host announces its windows to the staff channel 30 minutes ahead and
// at their start. Relay, beside the server, delivers each event once
// however many instances run it (a host with several passes pgstore's or
// sqlstore's outbox; memstore's serves one process) and retries what the
// chat does not take.
func ExampleSender_relay() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Lead: 30 * time.Minute})

	s, err := chat.New(os.Getenv("SLACK_WEBHOOK_URL"), &chat.Options{
		Events: []notify.EventKind{notify.EventReminder, notify.EventStarted, notify.EventEnded},
	})
	if err != nil {
		slog.Error("chat not configured", "err", err)
		return
	}
	go func() { _ = m.Run(ctx) }()
	go func() { _ = notify.Relay(ctx, m, memstore.NewOutbox(), s, nil) }()
	// ... serve the host's requests until ctx is done.
}
