package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/webhook"
	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/app"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// received keeps what a receiver was sent.
type received struct {
	mu     sync.Mutex
	bodies []string
}

func (rc *received) all() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]string(nil), rc.bodies...)
}

// TestAnnounce: a window 45 minutes ahead is announced to the webhook
// (signed) and the chat 30 minutes ahead and at its start, through
// notify.Relay with the helpdesk's Notifier, on the mock clock; /metrics
// counts each sender's deliveries.
func TestAnnounce(t *testing.T) {
	secret := webhook.NewSecret()
	var hook, chat received
	var now atomic.Pointer[time.Time] // the harness's mock clock, set below
	hookSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := webhook.Verify([]string{secret}, r.Header, body, *now.Load(), 0); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		hook.mu.Lock()
		hook.bodies = append(hook.bodies, string(body))
		hook.mu.Unlock()
	}))
	t.Cleanup(hookSrv.Close)
	chatSrv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		chat.mu.Lock()
		chat.bodies = append(chat.bodies, string(body))
		chat.mu.Unlock()
	}))
	t.Cleanup(chatSrv.Close)

	h := newHarness(t, idleFor(24*time.Hour), func(c *app.Config) {
		c.Announce = app.Announce{WebhookURL: hookSrv.URL, WebhookSecrets: []string{secret}, ChatURL: chatSrv.URL}
	})
	setNow := func(t time.Time) { now.Store(&t); h.clock.Set(t) } // the receiver's time first: it checks the timestamps
	setNow(day)
	start := day.Add(45 * time.Minute)
	h.addWindow(start, start.Add(time.Hour), func(w *maintenance.Window) { w.Comment = "database upgrade" })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- notify.Relay(ctx, h.app.Manager(), h.db.Outbox(), h.app.Notifier(),
			&notify.RelayOptions{Owner: "test", Stats: h.app.RelayStats(), Poll: time.Second})
	}()
	t.Cleanup(func() { cancel(); assert.NoError(t, <-done) })

	// Relay records an event when its watcher sees it (a boundary of the
	// mock clock, or its catch-up at start, whichever comes first) and
	// delivers it at once: the waits need no clock to move.
	wait := func(what string, ok func() bool) {
		t.Helper()
		require.Eventually(t, ok, 10*time.Second, time.Millisecond, what)
	}
	setNow(start.Add(-30 * time.Minute))
	wait("the reminder, 30 minutes ahead", func() bool { return len(chat.all()) >= 1 && len(hook.all()) >= 1 })
	assert.Contains(t, chat.all()[0], "start at: 11/24/2026 10:45 UTC", "the reminder in words, in the chat's zone")
	setNow(start)
	wait("the start", func() bool { return len(chat.all()) >= 2 && len(hook.all()) >= 2 })

	var types []string
	for _, b := range hook.all() {
		var p struct {
			Type string `json:"type"`
		}
		require.NoError(t, json.Unmarshal([]byte(b), &p), b)
		types = append(types, p.Type)
	}
	assert.Equal(t, []string{"maintenance.reminder", "maintenance.started"}, types)

	// /metrics counts each sender (from this machine: loopback).
	res, err := http.Get(h.srv.URL + "/metrics")
	require.NoError(t, err)
	defer res.Body.Close()
	metrics, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	for _, source := range []string{"relay", "webhook", "chat"} {
		assert.True(t, strings.Contains(string(metrics), `source="`+source+`"`), "metrics of %s", source)
	}
}
