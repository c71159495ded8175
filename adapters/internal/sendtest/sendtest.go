// Package sendtest holds what the senders' tests share: a mock clock at a
// fixed date, events, a scripted HTTP receiver, and a driver that moves
// the clock exactly when a sender waits. It is imported by tests only.
package sendtest

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// Now is the mock clock's start: 2026-11-24 10:00 UTC.
var Now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// Clock returns a mock clock set to Now.
func Clock() *clock.Mock {
	m := clock.NewMock()
	m.Set(Now)
	return m
}

// Window returns the window the tests' events are about: 20:00 to 22:00
// UTC on the test's day.
func Window() maintenance.Window {
	return maintenance.Window{
		ID: 1, Start: time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC), Stop: time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC),
		Comment: "database upgrade", ShowLoginMessage: true, Validity: maintenance.Valid, Version: 1,
	}
}

// Event returns an event of kind about Window, at the instant it belongs
// to.
func Event(kind notify.EventKind) notify.Event {
	w := Window()
	e := notify.Event{Kind: kind, Window: w, At: w.Start}
	switch kind {
	case notify.EventEnded:
		e.At = w.Stop
	case notify.EventReminder:
		e.At = w.Start.Add(-maintenance.DefaultLead)
	case notify.EventScheduled, notify.EventChanged, notify.EventWithdrawn:
		e.At = Now
	}
	return e
}

// Request is what a Receiver got.
type Request struct {
	Header http.Header
	Body   []byte
	At     time.Time // on the mock clock
}

// Answer is how a Receiver answers one request.
type Answer func(w http.ResponseWriter, r *http.Request)

// Status answers with code and the headers given as name, value pairs.
func Status(code int, header ...string) Answer {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, http.StatusText(code))
	}
}

// Receiver is an HTTP server on the loopback interface that answers
// requests by a script: the n-th request gets the n-th Answer, and those
// past the script the last one.
type Receiver struct {
	*httptest.Server
	// Hung receives a value each time Hang holds a request.
	Hung chan struct{}

	mock   *clock.Mock
	mu     sync.Mutex
	script []Answer
	reqs   []Request
}

// NewReceiver starts a Receiver, closed when t ends.
func NewReceiver(t testing.TB, mock *clock.Mock, script ...Answer) *Receiver {
	r := &Receiver{Hung: make(chan struct{}, 100), mock: mock, script: script}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	r.mu.Lock()
	n := len(r.reqs)
	r.reqs = append(r.reqs, Request{Header: req.Header.Clone(), Body: body, At: r.mock.Now()})
	answer := Status(http.StatusNoContent)
	if len(r.script) > 0 {
		answer = r.script[min(n, len(r.script)-1)]
	}
	r.mu.Unlock()
	answer(w, req)
}

// SetScript replaces the script.
func (r *Receiver) SetScript(script ...Answer) {
	r.mu.Lock()
	r.script = script
	r.mu.Unlock()
}

// Requests returns the requests so far.
func (r *Receiver) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.reqs...)
}

// Hang holds the request until the client gives up on it, signalling r's
// Hung channel once it holds it.
func (r *Receiver) Hang() Answer {
	return func(_ http.ResponseWriter, req *http.Request) {
		r.Hung <- struct{}{}
		<-req.Context().Done()
	}
}

// CloseConn closes the connection without an answer.
func CloseConn() Answer {
	return func(w http.ResponseWriter, _ *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}
}

// Unreachable returns an http URL on the loopback interface where nothing
// listens.
func Unreachable(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return "http://" + addr + "/hook"
}

// Driver moves a mock clock for a sender under test: by the length of each
// wait between attempts (the sender's OnWait hook sends it on Waits), and
// by Timeout each time a request hangs at a Receiver (Hung), so that
// attempts time out exactly when the test wants them to.
type Driver struct {
	Mock    *clock.Mock
	Waits   chan time.Duration
	Hung    <-chan struct{} // nil when no request hangs
	Timeout time.Duration
}

// NewDriver returns a Driver for mock.
func NewDriver(mock *clock.Mock) *Driver {
	return &Driver{Mock: mock, Waits: make(chan time.Duration)}
}

// OnWait is the sender's hook: it hands d to Run and returns once the
// clock has moved past it.
func (d *Driver) OnWait(w time.Duration) { d.Waits <- w }

// Run calls f in a goroutine and moves the clock as the sender waits,
// until f returns; it returns f's error and the waits, in order. It fails
// the test when f has not returned after 10 seconds of real time.
func (d *Driver) Run(t testing.TB, f func() error) ([]time.Duration, error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	var waits []time.Duration
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		select {
		case err := <-done:
			return waits, err
		case w := <-d.Waits:
			waits = append(waits, w)
			d.Mock.Add(w)
		case <-d.Hung:
			d.Mock.Add(d.Timeout)
		case <-deadline.C:
			t.Fatal("sendtest: the sender did not return within 10 seconds")
			return waits, nil
		}
	}
}
