package chat

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/delivery"
	"github.com/sysmaint/sysmaint/adapters/internal/send"
	"github.com/sysmaint/sysmaint/notify"
)

// The limits of a Slack message that the payload keeps to: a header
// block's text, a section block's text (in characters).
const (
	MaxTitleLen = 150
	MaxTextLen  = 3000
)

// Options configures a [Sender]. A nil *Options, and every zero field,
// means the default; a negative value is refused.
type Options struct {
	// Viewer is who reads the channel: its Language and Location word the
	// messages (the Kind is not used). Default: English, UTC.
	Viewer notify.Viewer
	// Wording puts the events into words. Default:
	// delivery.NewWording(nil), notify's texts in English and German.
	Wording *delivery.Wording
	// Client sends the requests. Default: a client on
	// http.DefaultTransport that follows no redirect (a 3xx answer is a
	// permanent failure).
	Client *http.Client
	// Clock times the attempts and the waits between them; pass the
	// Manager's. Default: the real clock.
	Clock clock.Clock
	// Logger receives the failed attempts that are tried again (the
	// failure of a whole Notify is returned, for the caller to log).
	// Default: slog.Default().
	Logger *slog.Logger
	// Timeout bounds one attempt, from connecting to reading the answer.
	// Default: delivery.DefaultTimeout (5 seconds).
	Timeout time.Duration
	// MaxAttempts bounds the attempts of one Notify, at most 100.
	// Default: delivery.DefaultMaxAttempts (3).
	MaxAttempts int
	// RetryMin and RetryMax bound the wait between attempts: the n-th
	// wait is min(RetryMin·2^(n-1), RetryMax), less a random part of up
	// to half of it, and at least RetryMin. Defaults:
	// delivery.DefaultRetryMin (500 ms), delivery.DefaultRetryMax (5 s).
	RetryMin, RetryMax time.Duration
	// MaxRetryAfter is the longest wait a chat server may ask for with
	// Retry-After (Slack does, with 429); a Notify asked to wait longer
	// returns the failure at once, for its caller to retry later.
	// Default: delivery.DefaultMaxRetryAfter (10 seconds).
	MaxRetryAfter time.Duration
	// Events lists the kinds of event posted; the others are skipped
	// (Notify returns nil and counts nothing). Default: every kind.
	Events []notify.EventKind
}

// Sender is a [notify.Notifier] that posts each event to a chat's
// incoming webhook (Slack, Mattermost, Rocket.Chat) as a message in
// words: a text, and blocks for the chats that show them. Build one with
// [New]; it is safe for concurrent use.
type Sender struct {
	url      string
	viewer   notify.Viewer
	wording  *delivery.Wording
	client   *http.Client
	policy   send.Policy
	events   []notify.EventKind
	counters delivery.Counters
}

// New returns a Sender posting to the incoming-webhook URL webhookURL, an
// absolute https (or http) URL. It returns an error naming what is wrong
// with the URL (never showing it: it holds the webhook's secret) or an
// option.
func New(webhookURL string, opts *Options) (*Sender, error) {
	u, err := url.Parse(webhookURL)
	switch {
	case webhookURL == "":
		return nil, fmt.Errorf("chat: webhook URL is empty")
	case err != nil:
		return nil, fmt.Errorf("chat: webhook URL is not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("chat: webhook URL must be an http or https URL, not scheme %q", u.Scheme)
	case u.Host == "":
		return nil, fmt.Errorf("chat: webhook URL has no host")
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	limits, err := send.Resolve("chat: Options.", send.Limits{
		Timeout: o.Timeout, RetryMin: o.RetryMin, RetryMax: o.RetryMax, MaxRetryAfter: o.MaxRetryAfter,
		MaxAttempts: o.MaxAttempts,
	}, send.Limits{
		Timeout: delivery.DefaultTimeout, RetryMin: delivery.DefaultRetryMin, RetryMax: delivery.DefaultRetryMax,
		MaxRetryAfter: delivery.DefaultMaxRetryAfter, MaxAttempts: delivery.DefaultMaxAttempts,
	})
	if err != nil {
		return nil, err
	}
	for _, k := range o.Events {
		if !k.Known() {
			return nil, fmt.Errorf("chat: Options.Events holds an unknown kind %v", k)
		}
	}
	s := &Sender{url: webhookURL, viewer: o.Viewer, wording: o.Wording, client: o.Client, events: slices.Clone(o.Events)}
	if s.wording == nil {
		s.wording = delivery.NewWording(nil)
	}
	if s.client == nil {
		s.client = send.DefaultClient
	}
	s.policy = send.Policy{Name: "chat", Clock: o.Clock, Logger: o.Logger, Counters: &s.counters}
	s.policy.Apply(limits)
	if s.policy.Clock == nil {
		s.policy.Clock = clock.New()
	}
	if s.policy.Logger == nil {
		s.policy.Logger = slog.Default()
	}
	return s, nil
}

// Notify posts e in words, trying again on a 408, a 429, a 5xx answer, a
// timeout or a failed connection, at most Options.MaxAttempts times in
// all, and returns nil once an attempt is answered with a 2xx status. Any
// other answer (Slack's 400 invalid_payload, 403, 404 channel_not_found,
// 410 channel_is_archived) fails at once with an error wrapping
// notify.ErrPermanent. Errors are prefixed "chat:" and name the event,
// never the URL. An event of a kind left out of Options.Events is skipped.
func (s *Sender) Notify(ctx context.Context, e notify.Event) error {
	if len(s.events) > 0 && !slices.Contains(s.events, e.Kind) {
		return nil
	}
	body, err := json.Marshal(newPayload(s.wording.Message(e, s.viewer)))
	if err != nil { // cannot happen: strings marshal
		return fmt.Errorf("chat: event %s: encode: %w", e.ID(), err)
	}
	return s.policy.Post(ctx, s.client, s.url, e, body, nil)
}

// Stats returns what the Sender did so far, for metrics (it is a
// prom.DeliverySource): events delivered (and of them late), attempts
// failed, of them retried within a Notify, events given up (a Notify that
// returned an error: its caller may try again), and the last failure.
func (s *Sender) Stats() notify.DeliveryStats { return s.counters.Stats() }

// payload is the body of an incoming webhook.
type payload struct {
	Text   string  `json:"text"`
	Blocks []block `json:"blocks"`
}

type block struct {
	Type string `json:"type"`
	Text text   `json:"text"`
}

type text struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// newPayload returns m as a message: the title and the text in "text"
// (escaped for Slack's mrkdwn), and as a header and a section of plain
// text, each cut to Slack's limits.
func newPayload(m delivery.Message) payload {
	title := cut(oneLine(m.Title), MaxTitleLen)
	body := cut(m.Text, MaxTextLen)
	return payload{
		Text: escape(title) + ": " + escape(body),
		Blocks: []block{
			{Type: "header", Text: text{Type: "plain_text", Text: title}},
			{Type: "section", Text: text{Type: "plain_text", Text: body}},
		},
	}
}

// escape escapes the three characters Slack's mrkdwn reads as control
// characters, so that a window's message cannot mention @channel or
// hide a link: "&" "<" ">".
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// oneLine replaces line breaks and other control characters with spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// cut returns s cut to at most n characters, the last one "…" when cut.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for j := range s {
		if count == n-1 {
			i = j
			break
		}
		count++
	}
	return s[:i] + "…"
}
