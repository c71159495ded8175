package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/sysmaint/sysmaint/adapters/internal/sendtest"
	"github.com/sysmaint/sysmaint/adapters/webhook"
	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// Every test of the package leaves no goroutine behind: no attempt, wait
// or connection outlives its Notify (and its receiver).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var secrets = []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_" + strings.Repeat("QUJD", 8)}

// newSender returns a Sender posting to url on d's clock, its waits
// reported to d.
func newSender(t *testing.T, d *sendtest.Driver, url string, opts *webhook.Options) *webhook.Sender {
	t.Helper()
	var o webhook.Options
	if opts != nil {
		o = *opts
	}
	o.Clock = d.Mock
	s, err := webhook.New(url, secrets, &o)
	require.NoError(t, err)
	webhook.SetOnWait(s, d.OnWait)
	d.Timeout = o.Timeout
	if d.Timeout == 0 {
		d.Timeout = 5 * time.Second
	}
	return s
}

func TestSender_Notify(t *testing.T) {
	mock := sendtest.Clock()
	recv := sendtest.NewReceiver(t, mock)
	s, err := webhook.New(recv.URL+"/hooks/maintenance", secrets, &webhook.Options{Clock: mock})
	require.NoError(t, err)

	e := sendtest.Event(notify.EventStarted)
	require.NoError(t, s.Notify(context.Background(), e))

	reqs := recv.Requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, e.ID(), r.Header.Get(webhook.HeaderID))
	assert.Equal(t, strconv.FormatInt(sendtest.Now.Unix(), 10), r.Header.Get(webhook.HeaderTimestamp))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Len(t, strings.Split(r.Header.Get(webhook.HeaderSignature), " "), 2, "one signature per secret")
	for _, secret := range secrets {
		assert.NoError(t, webhook.Verify([]string{secret}, r.Header, r.Body, mock.Now(), 0))
	}
	assert.JSONEq(t, `{
		"type": "maintenance.started",
		"timestamp": "2026-11-24T20:00:00Z",
		"data": {
			"event_id": "w1/started/2026-11-24T20:00:00Z",
			"late": false,
			"window": {
				"id": 1, "start": "2026-11-24T20:00:00Z", "stop": "2026-11-24T22:00:00Z",
				"comment": "database upgrade", "notify_message": "", "login_message": "",
				"show_login_message": true, "lead_seconds": 0, "version": 1
			}
		}
	}`, string(r.Body))

	var p webhook.Payload
	require.NoError(t, json.Unmarshal(r.Body, &p), "a receiver decodes the body into a Payload")
	assert.Equal(t, webhook.TypeStarted, p.Type)
	assert.True(t, p.Timestamp.Equal(e.At))
	assert.True(t, p.Data.Window.Stop.Equal(e.Window.Stop))

	st := s.Stats()
	assert.Equal(t, uint64(1), st.Delivered)
	assert.Zero(t, st.Failed+st.Retried+st.Dropped+st.Late)
	assert.NoError(t, st.LastErr)
}

func TestPayload_JSON(t *testing.T) {
	e := sendtest.Event(notify.EventReminder)
	e.Window.Start = e.Window.Start.Add(250 * time.Millisecond)
	e.Window.Lead = 90 * time.Minute
	e.Window.NotifyMessage = `"Back soon" <b>`
	e.At = time.Date(2026, 11, 24, 19, 30, 0, 123456789, time.FixedZone("CET", 3600))
	e.Late = true
	b, err := json.Marshal(webhook.NewPayload(e))
	require.NoError(t, err)
	assert.Equal(t, `{"type":"maintenance.reminder","timestamp":"2026-11-24T18:30:00.123Z","data":{"event_id":"w1/reminder/2026-11-24T20:00:00.25Z","late":true,`+
		`"window":{"id":1,"start":"2026-11-24T20:00:00.250Z","stop":"2026-11-24T22:00:00Z","comment":"database upgrade",`+
		`"notify_message":"\"Back soon\" \u003cb\u003e","login_message":"","show_login_message":true,"lead_seconds":5400,"version":1}}}`, string(b))

	// An occurrence of a recurring window, as Watch and Relay report it.
	weekly := sendtest.Window()
	weekly.Recurrence = maintenance.Recurrence{Rule: "FREQ=WEEKLY;BYDAY=TU", Zone: "Europe/Berlin"}
	occ, ok := maintenance.Compile([]maintenance.Window{weekly}, 0).At(weekly.Start.Add(7 * 24 * time.Hour)).Window()
	require.True(t, ok)
	b, err = json.Marshal(webhook.NewPayload(notify.Event{Kind: notify.EventStarted, Window: occ, At: occ.Start}))
	require.NoError(t, err)
	assert.Equal(t, `{"type":"maintenance.started","timestamp":"2026-12-01T20:00:00Z","data":{"event_id":"w1/started/2026-12-01T20:00:00Z","late":false,`+
		`"window":{"id":1,"start":"2026-12-01T20:00:00Z","stop":"2026-12-01T22:00:00Z","comment":"database upgrade",`+
		`"notify_message":"","login_message":"","show_login_message":true,"lead_seconds":0,"version":1,`+
		`"recurrence_rule":"FREQ=WEEKLY;BYDAY=TU","recurrence_zone":"Europe/Berlin","occurrence":"2026-12-01T20:00:00Z"}}}`, string(b))
	var p webhook.Payload
	require.NoError(t, json.Unmarshal(b, &p))
	assert.True(t, p.Data.Window.Occurrence.Equal(occ.Start))

	for k, want := range map[notify.EventKind]string{
		notify.EventScheduled: webhook.TypeScheduled, notify.EventChanged: webhook.TypeChanged,
		notify.EventWithdrawn: webhook.TypeWithdrawn, notify.EventReminder: webhook.TypeReminder,
		notify.EventStarted: webhook.TypeStarted, notify.EventEnded: webhook.TypeEnded,
	} {
		assert.Equal(t, want, webhook.Type(k))
	}
}

// The faults of a receiver: each answer tried again or not as it says,
// within the attempts, the waits backing off or as the receiver asks.
func TestSender_Faults(t *testing.T) {
	httpDate := sendtest.Now.Add(7 * time.Second).Format(http.TimeFormat)
	type answers func(r *sendtest.Receiver) []sendtest.Answer
	script := func(as ...sendtest.Answer) answers {
		return func(*sendtest.Receiver) []sendtest.Answer { return as }
	}
	tests := []struct {
		name      string
		answers   answers
		wantReqs  int
		wantErr   bool
		permanent bool
		waits     []time.Duration // exact waits; nil: checked as backoff
		cause     error           // errors.Is of the error, when set
	}{
		{name: "500 then 204", answers: script(sendtest.Status(500), sendtest.Status(204)), wantReqs: 2},
		{name: "500 always", answers: script(sendtest.Status(500)), wantReqs: 3, wantErr: true},
		{name: "502, 503, 200", answers: script(sendtest.Status(502), sendtest.Status(503), sendtest.Status(200)), wantReqs: 3},
		{name: "410 gone", answers: script(sendtest.Status(410)), wantReqs: 1, wantErr: true, permanent: true},
		{name: "400", answers: script(sendtest.Status(400)), wantReqs: 1, wantErr: true, permanent: true},
		{name: "401", answers: script(sendtest.Status(401)), wantReqs: 1, wantErr: true, permanent: true},
		{name: "404", answers: script(sendtest.Status(404)), wantReqs: 1, wantErr: true, permanent: true},
		{name: "301 not followed", answers: script(sendtest.Status(301, "Location", "/elsewhere")), wantReqs: 1, wantErr: true, permanent: true},
		{name: "408 retried", answers: script(sendtest.Status(408), sendtest.Status(200)), wantReqs: 2},
		{name: "429 with Retry-After seconds", answers: script(sendtest.Status(429, "Retry-After", "3"), sendtest.Status(200)),
			wantReqs: 2, waits: []time.Duration{3 * time.Second}},
		{name: "429 with Retry-After date", answers: script(sendtest.Status(429, "Retry-After", httpDate), sendtest.Status(200)),
			wantReqs: 2, waits: []time.Duration{7 * time.Second}},
		{name: "503 with Retry-After", answers: script(sendtest.Status(503, "Retry-After", "2"), sendtest.Status(200)),
			wantReqs: 2, waits: []time.Duration{2 * time.Second}},
		{name: "429 asking too long a wait", answers: script(sendtest.Status(429, "Retry-After", "3600")),
			wantReqs: 1, wantErr: true, waits: []time.Duration{}},
		{name: "429 with a malformed Retry-After", answers: script(sendtest.Status(429, "Retry-After", "soon"), sendtest.Status(200)), wantReqs: 2},
		{name: "closes the connection", answers: script(sendtest.CloseConn()), wantReqs: 3, wantErr: true},
		{name: "closes, then answers", answers: script(sendtest.CloseConn(), sendtest.Status(200)), wantReqs: 2},
		{name: "hangs", answers: func(r *sendtest.Receiver) []sendtest.Answer { return []sendtest.Answer{r.Hang()} },
			wantReqs: 3, wantErr: true, cause: context.DeadlineExceeded},
		{name: "hangs, then answers", answers: func(r *sendtest.Receiver) []sendtest.Answer {
			return []sendtest.Answer{r.Hang(), sendtest.Status(200)}
		}, wantReqs: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sendtest.NewDriver(sendtest.Clock())
			recv := sendtest.NewReceiver(t, d.Mock)
			recv.SetScript(tt.answers(recv)...)
			d.Hung = recv.Hung
			s := newSender(t, d, recv.URL, nil)
			e := sendtest.Event(notify.EventStarted)

			waits, err := d.Run(t, func() error { return s.Notify(context.Background(), e) })

			reqs := recv.Requests()
			assert.Len(t, reqs, tt.wantReqs, "requests")
			for i, r := range reqs {
				assert.Equal(t, e.ID(), r.Header.Get(webhook.HeaderID), "the same ID on every attempt")
				assert.Equal(t, strconv.FormatInt(r.At.Unix(), 10), r.Header.Get(webhook.HeaderTimestamp), "attempt %d stamped when made", i+1)
				assert.NoError(t, webhook.Verify(secrets, r.Header, r.Body, r.At, 0), "attempt %d signed anew", i+1)
			}
			st := s.Stats()
			assert.Equal(t, uint64(len(reqs)-1), st.Retried, "retried")
			assert.Len(t, waits, len(reqs)-1, "a wait before each attempt after the first")
			if tt.waits != nil {
				assert.Equal(t, tt.waits, append([]time.Duration{}, waits...))
			} else {
				for i, w := range waits { // backoff: 500 ms, 1 s, ... less up to half
					base := min(500*time.Millisecond<<i, 5*time.Second)
					assert.True(t, w >= max(base/2, 500*time.Millisecond) && w <= base, "wait %d is %v, base %v", i+1, w, base)
				}
			}
			if !tt.wantErr {
				require.NoError(t, err)
				assert.Equal(t, uint64(1), st.Delivered)
				assert.Equal(t, st.Retried, st.Failed, "every failed attempt retried")
				assert.Zero(t, st.Dropped)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tt.permanent, errors.Is(err, notify.ErrPermanent), "permanent: %v", err)
			if tt.cause != nil {
				assert.ErrorIs(t, err, tt.cause)
			}
			assert.Contains(t, err.Error(), "webhook: event "+e.ID())
			assert.Equal(t, tt.cause == context.DeadlineExceeded, strings.Contains(err.Error(), "timed out after 5s"), err.Error())
			assert.NotContains(t, err.Error(), recv.URL, "the error never shows the URL")
			assert.Equal(t, uint64(1), st.Dropped, "the event given up")
			assert.Equal(t, uint64(len(reqs)), st.Failed, "every attempt failed")
			assert.Zero(t, st.Delivered)
			assert.Equal(t, err, st.LastErr)
			assert.Equal(t, d.Mock.Now(), st.LastErrAt)
		})
	}
}

func TestSender_Unreachable(t *testing.T) {
	d := sendtest.NewDriver(sendtest.Clock())
	url := sendtest.Unreachable(t)
	s := newSender(t, d, url, &webhook.Options{MaxAttempts: 4})

	waits, err := d.Run(t, func() error { return s.Notify(context.Background(), sendtest.Event(notify.EventEnded)) })
	require.Error(t, err)
	assert.NotErrorIs(t, err, notify.ErrPermanent)
	assert.NotContains(t, err.Error(), url)
	assert.Len(t, waits, 3)
	assert.Equal(t, uint64(3), s.Stats().Retried)
	assert.Equal(t, uint64(4), s.Stats().Failed)
	assert.Equal(t, uint64(1), s.Stats().Dropped)
}

// A cancelled context ends a Notify at once, in an attempt or in a wait,
// and is not retried.
func TestSender_ContextCancel(t *testing.T) {
	t.Run("in an attempt", func(t *testing.T) {
		d := sendtest.NewDriver(sendtest.Clock())
		recv := sendtest.NewReceiver(t, d.Mock)
		recv.SetScript(recv.Hang())
		s := newSender(t, d, recv.URL, nil)
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			<-recv.Hung
			cancel()
		}()
		waits, err := d.Run(t, func() error { return s.Notify(ctx, sendtest.Event(notify.EventStarted)) })
		require.ErrorIs(t, err, context.Canceled)
		assert.Empty(t, waits)
		assert.Len(t, recv.Requests(), 1)
	})
	t.Run("in a wait", func(t *testing.T) {
		d := sendtest.NewDriver(sendtest.Clock())
		recv := sendtest.NewReceiver(t, d.Mock, sendtest.Status(500))
		s := newSender(t, d, recv.URL, nil)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Notify(ctx, sendtest.Event(notify.EventStarted)) }()
		<-d.Waits // the sender waits after the first attempt; the clock stays
		cancel()
		err := <-done
		require.ErrorIs(t, err, context.Canceled)
		assert.Len(t, recv.Requests(), 1)
	})
}

// A Notify does not start a wait that would end after its context's
// deadline (notify.Relay's delivery timeout): it returns the failure for
// its caller to retry later.
func TestSender_NoWaitPastDeadline(t *testing.T) {
	d := sendtest.NewDriver(sendtest.Clock())
	recv := sendtest.NewReceiver(t, d.Mock, sendtest.Status(503, "Retry-After", "8"))
	s := newSender(t, d, recv.URL, nil)
	ctx, cancel := d.Mock.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	waits, err := d.Run(t, func() error { return s.Notify(ctx, sendtest.Event(notify.EventStarted)) })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no time left")
	assert.Empty(t, waits)
	assert.Len(t, recv.Requests(), 1)
}

func TestSender_Events(t *testing.T) {
	mock := sendtest.Clock()
	recv := sendtest.NewReceiver(t, mock)
	s, err := webhook.New(recv.URL, secrets, &webhook.Options{Clock: mock, Events: []notify.EventKind{notify.EventReminder, notify.EventStarted}})
	require.NoError(t, err)
	for _, k := range []notify.EventKind{notify.EventScheduled, notify.EventReminder, notify.EventStarted, notify.EventEnded} {
		require.NoError(t, s.Notify(context.Background(), sendtest.Event(k)))
	}
	var types []string
	for _, r := range recv.Requests() {
		var p webhook.Payload
		require.NoError(t, json.Unmarshal(r.Body, &p))
		types = append(types, p.Type)
	}
	assert.Equal(t, []string{webhook.TypeReminder, webhook.TypeStarted}, types)
	assert.Equal(t, uint64(2), s.Stats().Delivered)

	late := sendtest.Event(notify.EventReminder)
	late.Late = true
	require.NoError(t, s.Notify(context.Background(), late))
	assert.Equal(t, uint64(3), s.Stats().Delivered)
	assert.Equal(t, uint64(1), s.Stats().Late)
}

func TestNew_BadInput(t *testing.T) {
	tests := []struct {
		name     string
		endpoint string
		secrets  []string
		opts     *webhook.Options
		want     string // in the error
	}{
		{name: "empty endpoint", endpoint: "", want: "endpoint is empty"},
		{name: "relative endpoint", endpoint: "/hooks", want: `not scheme ""`},
		{name: "other scheme", endpoint: "ftp://example.com/x", want: `not scheme "ftp"`},
		{name: "no host", endpoint: "https:///x", want: "no host"},
		{name: "not a URL", endpoint: "https://exa mple.com/", want: "not a URL"},
		{name: "no secret", secrets: []string{}, want: "none given"},
		{name: "bad secret", secrets: []string{secrets[0], "whsec_???"}, want: "secret 2"},
		{name: "short secret", secrets: []string{"whsec_c2hvcnQ="}, want: "fewer than 24"},
		{name: "negative timeout", opts: &webhook.Options{Timeout: -1}, want: "Options.Timeout is negative"},
		{name: "negative attempts", opts: &webhook.Options{MaxAttempts: -1}, want: "Options.MaxAttempts is negative"},
		{name: "too many attempts", opts: &webhook.Options{MaxAttempts: 101}, want: "Options.MaxAttempts (101) exceeds 100"},
		{name: "min above max", opts: &webhook.Options{RetryMin: time.Minute, RetryMax: time.Second}, want: "RetryMin (1m0s) exceeds RetryMax (1s)"},
		{name: "negative Retry-After bound", opts: &webhook.Options{MaxRetryAfter: -time.Second}, want: "MaxRetryAfter is negative"},
		{name: "unknown event kind", opts: &webhook.Options{Events: []notify.EventKind{42}}, want: "unknown kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			endpoint := tt.endpoint
			if endpoint == "" && !strings.Contains(tt.want, "endpoint") {
				endpoint = "https://example.com/hooks"
			}
			sec := tt.secrets
			if sec == nil {
				sec = secrets
			}
			s, err := webhook.New(endpoint, sec, tt.opts)
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "webhook: "), err.Error())
		})
	}
}
