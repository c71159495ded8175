package delivery_test

import (
	"context"
	"fmt"
	"time"

	"github.com/sysmaint/sysmaint/adapters/delivery"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

func ExampleWording() {
	w := delivery.NewWording(nil)
	win := maintenance.Window{ID: 1, Start: time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC),
		Stop: time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC), Comment: "database upgrade", Validity: maintenance.Valid}
	berlin, err := notify.NewViewer(session.Agent, "Europe/Berlin", "de")
	if err != nil {
		panic(err)
	}
	for _, kind := range []notify.EventKind{notify.EventReminder, notify.EventStarted, notify.EventEnded} {
		m := w.Message(notify.Event{Kind: kind, Window: win}, notify.Viewer{})
		fmt.Printf("%s: %s\n", m.Title, m.Text)
	}
	m := w.Message(notify.Event{Kind: notify.EventReminder, Window: win}, berlin)
	fmt.Printf("%s: %s\n", m.Title, m.Text)
	// Output:
	// Maintenance soon: A system maintenance period will start at: 11/24/2026 20:00 UTC and is expected to stop at: 11/24/2026 22:00 UTC
	// Maintenance started: We are performing scheduled maintenance.
	// Maintenance ended: The system maintenance has ended.
	// Wartung in Kürze: Eine Systemwartung beginnt am 24.11.2026 21:00 CET und endet voraussichtlich am 24.11.2026 23:00 CET
}

// A Queue runs a Notifier beside its caller: Notify returns at once, Run
// delivers, Flush waits for what was handed over.
func ExampleQueue() {
	slow := notify.NotifierFunc(func(_ context.Context, e notify.Event) error {
		fmt.Println("delivered", e.ID()) // post to a receiver here
		return nil
	})
	q, err := delivery.NewQueue(slow, &delivery.QueueOptions{Size: 100})
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- q.Run(ctx) }()

	win := maintenance.Window{ID: 7, Start: time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)}
	_ = q.Notify(ctx, notify.Event{Kind: notify.EventStarted, Window: win}) // never blocks, never fails
	if err := q.Flush(ctx); err != nil {
		panic(err)
	}
	cancel()
	<-done
	st := q.Stats()
	fmt.Println("delivered", st.Delivered, "failed", st.Failed, "dropped", st.Dropped)
	// Output:
	// delivered w7/started/2026-11-24T20:00:00Z
	// delivered 1 failed 0 dropped 0
}

// Under one Relay, a Fanout hands each event to a webhook and a chat; a
// retry reaches only the one that failed.
func ExampleFanout() {
	var webhookDown = true
	webhook := notify.NotifierFunc(func(_ context.Context, e notify.Event) error {
		if webhookDown {
			return fmt.Errorf("webhook: answered 503")
		}
		fmt.Println("webhook took", e.ID())
		return nil
	})
	chat := notify.NotifierFunc(func(_ context.Context, e notify.Event) error {
		fmt.Println("chat took", e.ID())
		return nil
	})
	f := delivery.NewFanout(webhook, chat) // pass f to notify.Relay

	e := notify.Event{Kind: notify.EventStarted, Window: maintenance.Window{ID: 3, Start: time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)}}
	fmt.Println("first:", f.Notify(context.Background(), e))
	webhookDown = false
	fmt.Println("retry:", f.Notify(context.Background(), e))
	// Output:
	// chat took w3/started/2026-11-24T20:00:00Z
	// first: webhook: answered 503
	// webhook took w3/started/2026-11-24T20:00:00Z
	// retry: <nil>
}
