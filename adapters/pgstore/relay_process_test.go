package pgstore_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/pgstore"
	"github.com/sysmaint/sysmaint/adapters/pgstore/pgstoretest"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// The environment of a re-executed test binary acting as one instance of a
// host: its name, the schema it shares with the others, and the URL of the
// counting receiver.
const (
	envRelayChild  = "SYSMAINT_TEST_RELAY_CHILD"
	envRelaySchema = "SYSMAINT_TEST_RELAY_SCHEMA"
	envRelayURL    = "SYSMAINT_TEST_RELAY_URL"
)

// relayChild (called by TestMain) runs one instance until it is killed or interrupted: a
// Manager following the shared schema (pushed changes) and a Relay
// delivering to the receiver, each event as a POST of its ID.
func relayChild(name string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})).With("instance", name)
	db, err := pgstore.Open(ctx, os.Getenv(pgstoretest.EnvDSN), &pgstore.Options{Schema: os.Getenv(envRelaySchema)})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	m := maintenance.New(db.Windows(), &maintenance.Options{Logger: log})
	base := os.Getenv(envRelayURL)
	post := func(ctx context.Context, path string, form url.Values) error {
		form.Set("instance", name)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, strings.NewReader(form.Encode()))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusNoContent {
			return fmt.Errorf("receiver answered %s", resp.Status)
		}
		return nil
	}
	n := notify.NotifierFunc(func(ctx context.Context, e notify.Event) error {
		return post(ctx, "/event", url.Values{"id": {e.ID()}, "late": {fmt.Sprint(e.Late)},
			"at": {e.At.Format(time.RFC3339Nano)}})
	})
	box := &readyOutbox{Outbox: db.Outbox(), ready: func() { _ = post(ctx, "/ready", url.Values{}) }}
	go func() { _ = m.Run(ctx) }()
	err = notify.Relay(ctx, m, box, n, &notify.RelayOptions{Owner: name, Lease: 3 * time.Second,
		Timeout: time.Second, Poll: 250 * time.Millisecond, RetryMin: 100 * time.Millisecond,
		RetryMax: time.Second, Logger: log})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// readyOutbox calls ready at the first Claim: the Relay has taken its first
// look at the schedule and caught up.
type readyOutbox struct {
	notify.Outbox
	once  sync.Once
	ready func()
}

func (o *readyOutbox) Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, max int) ([]notify.Pending, error) {
	o.once.Do(o.ready)
	return o.Outbox.Claim(ctx, owner, now, lease, max)
}

// countingReceiver is the receiver of the figure: it counts the deliveries
// of each event ID and says who delivered what, and when.
type countingReceiver struct {
	mu     sync.Mutex
	counts map[string]int
	log    []delivery
	ready  map[string]bool
	notify chan struct{} // gets a value after every request
}

type delivery struct {
	id, instance string
	late         bool
	eventAt      time.Time // the event's At
	at           time.Time // when the receiver got it
}

func (c *countingReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	switch r.URL.Path {
	case "/event":
		id := r.PostForm.Get("id")
		c.counts[id]++
		at, _ := time.Parse(time.RFC3339Nano, r.PostForm.Get("at"))
		c.log = append(c.log, delivery{id, r.PostForm.Get("instance"), r.PostForm.Get("late") == "true", at, time.Now()})
	case "/ready":
		c.ready[r.PostForm.Get("instance")] = true
	}
	c.mu.Unlock()
	select {
	case c.notify <- struct{}{}:
	default:
	}
	w.WriteHeader(http.StatusNoContent)
}

// waitFor waits until cond holds (checked after every request the
// receiver gets, and every 100 ms), failing t at deadline.
func (c *countingReceiver) waitFor(t *testing.T, deadline time.Time, what string, cond func(c *countingReceiver) bool) {
	t.Helper()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		c.mu.Lock()
		ok := cond(c)
		c.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-c.notify:
		case <-tick.C:
		case <-time.After(time.Until(deadline)):
			t.Fatalf("deadline passed waiting for %s", what)
		}
	}
}

// instance is a child process of the figure.
type instance struct {
	name   string
	cmd    *exec.Cmd
	stderr *lockedBuffer
}

// TestRelay_ThreeProcessesEachEventOnce is the figure "Events": three
// instances (OS processes) on one PostgreSQL schema follow a window's whole
// life; the one that delivered "started" is killed (SIGKILL) mid-window,
// after its delivery was acknowledged, and a fresh one started in its place; a counting receiver gets every event
// of the window's life exactly once. Real clock, so the window lies a few
// seconds ahead; the only deadline is an overall one.
//
//	SYSMAINT_POSTGRES_DSN=postgres://postgres@127.0.0.1:5432/test \
//	  go test -run TestRelay_ThreeProcessesEachEventOnce -v ./adapters/pgstore/
func TestRelay_ThreeProcessesEachEventOnce(t *testing.T) {
	dsn, schema := pgstoretest.DSN(t), pgstoretest.Schema(t)
	db, err := pgstore.Open(t.Context(), dsn, &pgstore.Options{Schema: schema}) // migrates before the children start
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })

	recv := &countingReceiver{counts: map[string]int{}, ready: map[string]bool{}, notify: make(chan struct{}, 1)}
	srv := httptest.NewServer(recv)
	t.Cleanup(srv.Close)
	deadline := time.Now().Add(90 * time.Second) // generous: a loaded machine, four processes under -race

	var mu sync.Mutex
	var insts []*instance
	start := func(name string) *instance {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), envRelayChild+"="+name, envRelaySchema+"="+schema, envRelayURL+"="+srv.URL)
		in := &instance{name: name, cmd: cmd, stderr: &lockedBuffer{}}
		cmd.Stderr = in.stderr
		require.NoError(t, cmd.Start(), "start %s", name)
		mu.Lock()
		insts = append(insts, in)
		mu.Unlock()
		return in
	}
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, in := range insts {
			_ = in.cmd.Process.Kill()
			_ = in.cmd.Wait()
			if out := in.stderr.String(); t.Failed() && out != "" {
				t.Logf("stderr of %s:\n%s", in.name, out)
			}
		}
	})

	began := time.Now()
	for _, name := range []string{"a", "b", "c"} {
		start(name)
	}
	recv.waitFor(t, deadline, "three instances ready", func(c *countingReceiver) bool { return len(c.ready) == 3 })
	ready := time.Since(began)

	m := maintenance.New(db.Windows(), &maintenance.Options{Logger: quiet})
	w, err := m.Add(t.Context(), maintenance.Window{
		Start: time.Now().Add(4 * time.Second), Stop: time.Now().Add(10 * time.Second), Lead: 2 * time.Second,
		Comment: "the figure's window", Validity: maintenance.Valid,
	}, "test")
	require.NoError(t, err)
	ids := map[string]string{}
	for _, k := range []notify.EventKind{notify.EventScheduled, notify.EventReminder, notify.EventStarted, notify.EventEnded} {
		ids[k.String()] = notify.Event{Kind: k, Window: w}.ID()
	}

	// Mid-window: kill the instance that delivered "started", and start a
	// fresh one, which catches up and finds "started" recorded. The kill
	// comes after the delivery was acknowledged: killed between its POST
	// and its Ack, an instance leaves the event to be delivered again once
	// its lease ends (at least once; the ID lets receivers drop the copy).
	delivered := func(id string) bool {
		var n int
		require.NoError(t, db.SQL().GetContext(t.Context(), &n,
			"SELECT count(*) FROM sysmaint_events WHERE id = $1 AND delivered_at_ms IS NOT NULL", id))
		return n == 1
	}
	recv.waitFor(t, deadline, "started acknowledged", func(*countingReceiver) bool { return delivered(ids["started"]) })
	select {
	case <-time.After(time.Until(w.Start.Add(w.Stop.Sub(w.Start) / 2))):
	case <-t.Context().Done():
	}
	victim := "a"
	recv.mu.Lock()
	for _, d := range recv.log {
		if d.id == ids["started"] {
			victim = d.instance
		}
	}
	recv.mu.Unlock()
	mu.Lock()
	for _, in := range insts {
		if in.name == victim {
			require.NoError(t, in.cmd.Process.Signal(syscall.SIGKILL), "kill %s", victim)
		}
	}
	mu.Unlock()
	killedAt := time.Since(began)
	start("d")

	recv.waitFor(t, deadline, "ended", func(c *countingReceiver) bool { return c.counts[ids["ended"]] > 0 })
	// Every recorded event settled: nothing can be delivered any more.
	settled := func() bool {
		var open, all int
		require.NoError(t, db.SQL().GetContext(t.Context(), &open,
			"SELECT count(*) FROM sysmaint_events WHERE delivered_at_ms IS NULL AND dropped_at_ms IS NULL"))
		require.NoError(t, db.SQL().GetContext(t.Context(), &all, "SELECT count(*) FROM sysmaint_events"))
		return open == 0 && all >= len(ids)
	}
	recv.waitFor(t, deadline, "every event delivered", func(*countingReceiver) bool { return settled() })
	recv.waitFor(t, deadline, "the fresh instance ready", func(c *countingReceiver) bool { return c.ready["d"] })

	recv.mu.Lock()
	defer recv.mu.Unlock()
	want := map[string]int{}
	for _, id := range ids {
		want[id] = 1
	}
	assert.Equal(t, want, recv.counts, "each event of the window's life delivered exactly once")
	var lines []string
	for _, d := range recv.log {
		lines = append(lines, fmt.Sprintf("%-36s by %s at +%v, %v after its At, late=%v", d.id, d.instance,
			d.at.Sub(began).Round(time.Millisecond), d.at.Sub(d.eventAt).Round(time.Millisecond), d.late))
	}
	t.Logf("events: %d deliveries of %d events (want %d, each once); instances ready after %v; %s killed at +%v, d started",
		len(recv.log), len(recv.counts), len(ids), ready.Round(time.Millisecond), victim, killedAt.Round(time.Millisecond))
	for _, l := range lines {
		t.Log(l)
	}
}

// lockedBuffer is a bytes.Buffer safe for a writer and a reader at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
