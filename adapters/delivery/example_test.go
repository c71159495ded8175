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
