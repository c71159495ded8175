package webhook_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"

	"github.com/sysmaint/sysmaint/adapters/delivery"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/webhook"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// A receiver checks each webhook before it trusts it.
func ExampleVerify() {
	secrets := []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
	body := []byte(`{"type":"maintenance.started"}`)
	sent := time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)
	sig, err := webhook.Sign(secrets, "w1/started/2026-11-24T20:00:00Z", sent, body)
	if err != nil {
		panic(err)
	}
	h := http.Header{}
	h.Set(webhook.HeaderID, "w1/started/2026-11-24T20:00:00Z")
	h.Set(webhook.HeaderTimestamp, strconv.FormatInt(sent.Unix(), 10))
	h.Set(webhook.HeaderSignature, sig)

	fmt.Println(sig)
	fmt.Println("as sent:", webhook.Verify(secrets, h, body, sent.Add(time.Second), 0))
	fmt.Println("tampered:", webhook.Verify(secrets, h, []byte(`{"type":"maintenance.ended"}`), sent, 0))
	fmt.Println("replayed:", webhook.Verify(secrets, h, body, sent.Add(time.Hour), 0))
	// Output:
	// v1,Hf+E2AmNzY8o4lCC+w3DzgR9YzJiH8QbF5oj0AhvJ8s=
	// as sent: <nil>
	// tampered: webhook: no matching signature
	// replayed: webhook: timestamp outside the tolerance: webhook-timestamp is 1h0m0s before now, more than 5m0s
}

// A receiver as an http.Handler: bounded body, verified before it is
// parsed, duplicates dropped by webhook-id.
func ExampleVerify_handler() {
	secrets := []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
	seen := map[string]bool{} // a real receiver keeps the IDs of the last few days, under a lock
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
		if err != nil {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		if err := webhook.Verify(secrets, r.Header, body, time.Now(), 0); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized) // permanent for the sender
			return
		}
		if id := r.Header.Get(webhook.HeaderID); !seen[id] {
			seen[id] = true
			// decode body into a webhook.Payload and act on it
		}
		w.WriteHeader(http.StatusNoContent)
	})
	_ = handler
}

// A Sender delivers the events of a Manager's schedule. Under Relay (as
// here, with memstore's outbox; a host with several instances passes
// pgstore's or sqlstore's) each event is delivered once across the
// instances and retried until the receiver takes it.
func ExampleSender_relay() {
	received := make(chan string)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
		received <- r.Header.Get(webhook.HeaderID)
	}))
	defer receiver.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := maintenance.New(memstore.NewWindowStore(), nil)
	now := time.Now()
	w, err := m.Add(ctx, maintenance.Window{Start: now.Add(-time.Minute), Stop: now.Add(time.Hour),
		Comment: "database upgrade", Validity: maintenance.Valid}, "admin")
	if err != nil {
		panic(err)
	}

	sender, err := webhook.New(receiver.URL, []string{webhook.NewSecret()}, nil)
	if err != nil {
		panic(err)
	}
	done := make(chan error)
	go func() {
		done <- notify.Relay(ctx, m, memstore.NewOutbox(), sender, &notify.RelayOptions{Logger: slog.New(slog.DiscardHandler)})
	}()
	id := <-received
	fmt.Println(id == fmt.Sprintf("w%d/started/%s", w.ID, w.Start.Format(time.RFC3339Nano)))
	cancel()
	fmt.Println("Relay returned", <-done)
	// Output:
	// true
	// Relay returned <nil>
}

// In a single process without an outbox, a Sender runs under Watch
// through a Queue, so that Watch never waits for the receiver.
func ExampleSender_watch() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := maintenance.New(memstore.NewWindowStore(), nil)
	if err := m.Refresh(ctx); err != nil {
		panic(err)
	}
	sender, err := webhook.New("https://ops.example.com/hooks/maintenance", []string{webhook.NewSecret()}, nil)
	if err != nil {
		panic(err)
	}
	q, err := delivery.NewQueue(sender, nil)
	if err != nil {
		panic(err)
	}
	go func() { _ = q.Run(ctx) }()
	go func() { _ = m.Run(ctx) }()
	go func() { _ = notify.Watch(ctx, m, q) }() // q.Notify never fails nor blocks
	fmt.Println(q.Stats().Cap)
	// Output: 1000
}
