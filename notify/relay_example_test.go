package notify_test

import (
	"context"
	"fmt"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// An instance that starts during a window delivers its start, once, marked
// late. Every instance of a host runs Relay over the outbox of the shared
// store (pgstore's DB.Outbox, sqlstore's DB.Outbox); memstore's serves a
// single process, as here.
func ExampleRelay() {
	mock := clock.NewMock() // a real host passes no Clock
	mock.Set(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC))
	m := maintenance.New(memstore.NewWindowStore(), &maintenance.Options{Clock: mock})
	_, err := m.Add(context.Background(), maintenance.Window{
		Start: mock.Now().Add(-10 * time.Minute), Stop: mock.Now().Add(time.Hour),
		Comment: "database upgrade", Validity: maintenance.Valid,
	}, "admin")
	if err != nil {
		panic(err)
	}

	got := make(chan notify.Event)
	toChat := notify.NotifierFunc(func(ctx context.Context, e notify.Event) error {
		got <- e // post to a chat, a webhook ...; an error is retried with backoff
		return nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		done <- notify.Relay(ctx, m, memstore.NewOutbox(), toChat, &notify.RelayOptions{Owner: "web-1"})
	}()

	e := <-got
	fmt.Println(e.ID(), e.Window.Comment, "late:", e.Late)
	cancel()
	fmt.Println("Relay returned", <-done)
	// Output:
	// w1/started/2026-11-24T09:50:00Z database upgrade late: true
	// Relay returned <nil>
}
