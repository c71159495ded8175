package chat_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/sysmaint/sysmaint/adapters/chat"
	"github.com/sysmaint/sysmaint/adapters/internal/sendtest"
	"github.com/sysmaint/sysmaint/notify"
	"github.com/sysmaint/sysmaint/session"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type message struct {
	Text   string `json:"text"`
	Blocks []struct {
		Type string `json:"type"`
		Text struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"text"`
	} `json:"blocks"`
}

func decode(t *testing.T, body []byte) message {
	t.Helper()
	var m message
	require.NoError(t, json.Unmarshal(body, &m))
	return m
}

func TestSender_Notify(t *testing.T) {
	mock := sendtest.Clock()
	recv := sendtest.NewReceiver(t, mock, sendtest.Status(200))
	berlin, err := notify.NewViewer(session.Agent, "Europe/Berlin", "de")
	require.NoError(t, err)
	en, err := chat.New(recv.URL+"/services/T0/B0/secret", &chat.Options{Clock: mock})
	require.NoError(t, err)
	de, err := chat.New(recv.URL+"/services/T0/B0/secret", &chat.Options{Clock: mock, Viewer: berlin})
	require.NoError(t, err)

	require.NoError(t, en.Notify(context.Background(), sendtest.Event(notify.EventReminder)))
	require.NoError(t, de.Notify(context.Background(), sendtest.Event(notify.EventReminder)))
	require.NoError(t, en.Notify(context.Background(), sendtest.Event(notify.EventStarted)))
	require.NoError(t, de.Notify(context.Background(), sendtest.Event(notify.EventEnded)))

	reqs := recv.Requests()
	require.Len(t, reqs, 4)
	assert.Equal(t, "application/json", reqs[0].Header.Get("Content-Type"))
	assert.JSONEq(t, `{
		"text": "Maintenance soon: A system maintenance period will start at: 11/24/2026 20:00 UTC and is expected to stop at: 11/24/2026 22:00 UTC",
		"blocks": [
			{"type": "header", "text": {"type": "plain_text", "text": "Maintenance soon"}},
			{"type": "section", "text": {"type": "plain_text", "text": "A system maintenance period will start at: 11/24/2026 20:00 UTC and is expected to stop at: 11/24/2026 22:00 UTC"}}
		]
	}`, string(reqs[0].Body))
	assert.Equal(t, "Wartung in Kürze: Eine Systemwartung beginnt am 24.11.2026 21:00 CET und endet voraussichtlich am 24.11.2026 23:00 CET",
		decode(t, reqs[1].Body).Text)
	assert.Equal(t, "Maintenance started: We are performing scheduled maintenance.", decode(t, reqs[2].Body).Text)
	m := decode(t, reqs[3].Body)
	assert.Equal(t, "Wartung beendet: Die Systemwartung ist beendet.", m.Text)
	assert.Equal(t, "Wartung beendet", m.Blocks[0].Text.Text)

	assert.Equal(t, uint64(2), en.Stats().Delivered)
	assert.Equal(t, uint64(2), de.Stats().Delivered)
}

// A window's message cannot mention everyone, hide a link or break the
// header: the text is escaped for mrkdwn, the blocks are plain text, and
// each keeps to Slack's limits.
func TestSender_Escaping(t *testing.T) {
	mock := sendtest.Clock()
	recv := sendtest.NewReceiver(t, mock)
	s, err := chat.New(recv.URL, &chat.Options{Clock: mock})
	require.NoError(t, err)
	e := sendtest.Event(notify.EventStarted)
	e.Window.NotifyMessage = "<!channel> see <https://evil.example|the status page> & wait"
	require.NoError(t, s.Notify(context.Background(), e))
	m := decode(t, recv.Requests()[0].Body)
	assert.Equal(t, "Maintenance started: &lt;!channel&gt; see &lt;https://evil.example|the status page&gt; &amp; wait", m.Text)
	assert.Equal(t, e.Window.NotifyMessage, m.Blocks[1].Text.Text, "plain text is shown as written")
	assert.Equal(t, "plain_text", m.Blocks[1].Text.Type)

	e.Window.NotifyMessage = strings.Repeat("ä", 4000)
	require.NoError(t, s.Notify(context.Background(), e))
	m = decode(t, recv.Requests()[1].Body)
	assert.Equal(t, chat.MaxTextLen, utf8.RuneCountInString(m.Blocks[1].Text.Text))
	assert.True(t, strings.HasSuffix(m.Blocks[1].Text.Text, "…"))
}

func TestSender_Faults(t *testing.T) {
	tests := []struct {
		name      string
		script    func(r *sendtest.Receiver) []sendtest.Answer
		wantReqs  int
		wantErr   bool
		permanent bool
	}{
		{"500 then 200", func(*sendtest.Receiver) []sendtest.Answer {
			return []sendtest.Answer{sendtest.Status(500), sendtest.Status(200)}
		}, 2, false, false},
		{"429 with Retry-After", func(*sendtest.Receiver) []sendtest.Answer {
			return []sendtest.Answer{sendtest.Status(429, "Retry-After", "1"), sendtest.Status(200)}
		}, 2, false, false},
		{"404 channel_not_found", func(*sendtest.Receiver) []sendtest.Answer {
			return []sendtest.Answer{sendtest.Status(404)}
		}, 1, true, true},
		{"410 channel_is_archived", func(*sendtest.Receiver) []sendtest.Answer {
			return []sendtest.Answer{sendtest.Status(410)}
		}, 1, true, true},
		{"hangs", func(r *sendtest.Receiver) []sendtest.Answer { return []sendtest.Answer{r.Hang()} }, 3, true, false},
		{"closes the connection", func(*sendtest.Receiver) []sendtest.Answer {
			return []sendtest.Answer{sendtest.CloseConn()}
		}, 3, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sendtest.NewDriver(sendtest.Clock())
			d.Timeout = 2 * time.Second
			recv := sendtest.NewReceiver(t, d.Mock)
			recv.SetScript(tt.script(recv)...)
			d.Hung = recv.Hung
			s, err := chat.New(recv.URL+"/hooks/secret-token", &chat.Options{Clock: d.Mock, Timeout: d.Timeout})
			require.NoError(t, err)
			chat.SetOnWait(s, d.OnWait)

			_, err = d.Run(t, func() error { return s.Notify(context.Background(), sendtest.Event(notify.EventStarted)) })
			assert.Len(t, recv.Requests(), tt.wantReqs)
			st := s.Stats()
			assert.Equal(t, uint64(tt.wantReqs-1), st.Retried)
			if !tt.wantErr {
				require.NoError(t, err)
				assert.Equal(t, uint64(1), st.Delivered)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tt.permanent, errors.Is(err, notify.ErrPermanent), err.Error())
			assert.True(t, strings.HasPrefix(err.Error(), "chat: event w1/started/"), err.Error())
			assert.NotContains(t, err.Error(), "secret-token")
			assert.Equal(t, uint64(1), st.Dropped)
			assert.Equal(t, uint64(tt.wantReqs), st.Failed)
		})
	}
}

func TestSender_Unreachable(t *testing.T) {
	d := sendtest.NewDriver(sendtest.Clock())
	url := sendtest.Unreachable(t)
	s, err := chat.New(url, &chat.Options{Clock: d.Mock, MaxAttempts: 2})
	require.NoError(t, err)
	chat.SetOnWait(s, d.OnWait)
	waits, err := d.Run(t, func() error { return s.Notify(context.Background(), sendtest.Event(notify.EventEnded)) })
	require.Error(t, err)
	assert.NotContains(t, err.Error(), url)
	assert.Len(t, waits, 1)
}

func TestSender_Events(t *testing.T) {
	mock := sendtest.Clock()
	recv := sendtest.NewReceiver(t, mock)
	s, err := chat.New(recv.URL, &chat.Options{Clock: mock, Events: []notify.EventKind{notify.EventStarted}})
	require.NoError(t, err)
	for _, k := range []notify.EventKind{notify.EventChanged, notify.EventStarted, notify.EventEnded} {
		require.NoError(t, s.Notify(context.Background(), sendtest.Event(k)))
	}
	require.Len(t, recv.Requests(), 1)
	assert.Contains(t, decode(t, recv.Requests()[0].Body).Text, "Maintenance started")
}

func TestNew_BadInput(t *testing.T) {
	tests := []struct {
		name string
		url  string
		opts *chat.Options
		want string
	}{
		{"empty URL", "", nil, "webhook URL is empty"},
		{"not a URL", "https://exa mple.com/\x7f", nil, "not a URL"},
		{"scheme", "mailto:ops@example.com", nil, `not scheme "mailto"`},
		{"no host", "https:///services/x", nil, "no host"},
		{"negative timeout", "https://hooks.example.com/x", &chat.Options{Timeout: -time.Second}, "chat: Options.Timeout is negative"},
		{"min above max", "https://hooks.example.com/x", &chat.Options{RetryMin: time.Hour}, "RetryMin (1h0m0s) exceeds RetryMax (5s)"},
		{"unknown kind", "https://hooks.example.com/x", &chat.Options{Events: []notify.EventKind{0}}, "unknown kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := chat.New(tt.url, tt.opts)
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "chat: "))
		})
	}
}
