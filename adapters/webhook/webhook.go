package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/sysmaint/sysmaint/adapters/delivery"
	"github.com/sysmaint/sysmaint/adapters/internal/send"
	"github.com/sysmaint/sysmaint/notify"
)

// Options configures a [Sender]. A nil *Options, and every zero field,
// means the default; a negative value is refused.
type Options struct {
	// Client sends the requests. Default: a client on
	// http.DefaultTransport that follows no redirect (a 3xx answer is a
	// permanent failure).
	Client *http.Client
	// Clock stamps the webhooks and times the attempts and the waits
	// between them; pass the Manager's. Default: the real clock.
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
	// MaxRetryAfter is the longest wait a receiver may ask for with
	// Retry-After; a Notify asked to wait longer returns the failure at
	// once, for its caller to retry later. Default:
	// delivery.DefaultMaxRetryAfter (10 seconds).
	MaxRetryAfter time.Duration
	// Events lists the kinds of event sent; the others are skipped
	// (Notify returns nil and counts nothing). Default: every kind.
	Events []notify.EventKind
}

// Sender is a [notify.Notifier] that posts each event to a URL as a
// Standard Webhook: the JSON [Payload], signed (see [Sign]) on each
// attempt. Build one with [New]; it is safe for concurrent use. See the
// package documentation for its retries and how to run it.
type Sender struct {
	endpoint string
	keys     [][]byte
	client   *http.Client
	policy   send.Policy
	events   []notify.EventKind
	counters delivery.Counters
}

// New returns a Sender posting to endpoint, an absolute http or https
// URL, signed with secrets (see [Sign]: with several, each webhook
// carries one signature per secret, for rotation). It returns an error
// naming what is wrong with endpoint, a secret (by its place, never its
// value) or an option.
func New(endpoint string, secrets []string, opts *Options) (*Sender, error) {
	if err := checkEndpoint(endpoint); err != nil {
		return nil, err
	}
	keys, err := parseSecrets(secrets)
	if err != nil {
		return nil, err
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	limits, err := send.Resolve("webhook: Options.", send.Limits{
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
			return nil, fmt.Errorf("webhook: Options.Events holds an unknown kind %v", k)
		}
	}
	s := &Sender{endpoint: endpoint, keys: keys, client: o.Client, events: slices.Clone(o.Events)}
	if s.client == nil {
		s.client = send.DefaultClient
	}
	s.policy = send.Policy{Name: "webhook", Clock: o.Clock, Logger: o.Logger, Counters: &s.counters}
	s.policy.Apply(limits)
	if s.policy.Clock == nil {
		s.policy.Clock = clock.New()
	}
	if s.policy.Logger == nil {
		s.policy.Logger = slog.Default()
	}
	return s, nil
}

// checkEndpoint refuses what is not an absolute http or https URL. Its
// errors never show the URL, which may hold a token.
func checkEndpoint(endpoint string) error {
	u, err := url.Parse(endpoint)
	switch {
	case endpoint == "":
		return fmt.Errorf("webhook: endpoint is empty")
	case err != nil:
		return fmt.Errorf("webhook: endpoint is not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("webhook: endpoint must be an http or https URL, not scheme %q", u.Scheme)
	case u.Host == "":
		return fmt.Errorf("webhook: endpoint has no host")
	}
	return nil
}

// Notify posts e, trying again on a 408, a 429, a 5xx answer, a timeout
// or a failed connection, at most Options.MaxAttempts times in all, and
// returns nil once an attempt is answered with a 2xx status. Any other
// answer fails at once with an error wrapping notify.ErrPermanent. Each
// attempt carries the event's ID in webhook-id, the clock's Now in
// webhook-timestamp and fresh signatures. Errors are prefixed "webhook:"
// and name the event, never the URL. An event of a kind left out of
// Options.Events is skipped.
func (s *Sender) Notify(ctx context.Context, e notify.Event) error {
	if len(s.events) > 0 && !slices.Contains(s.events, e.Kind) {
		return nil
	}
	id := e.ID()
	body, err := json.Marshal(NewPayload(e))
	if err != nil { // cannot happen: every field marshals
		return fmt.Errorf("webhook: event %s: encode: %w", id, err)
	}
	return s.policy.Post(ctx, s.client, s.endpoint, e, body, func(h http.Header) {
		ts := s.policy.Clock.Now().Unix()
		h.Set(HeaderID, id)
		h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
		h.Set(HeaderSignature, signature(s.keys, id, ts, body))
	})
}

// Stats returns what the Sender did so far, for metrics (it is a
// prom.DeliverySource): events delivered (and of them late), attempts
// failed, of them retried within a Notify, events given up (a Notify that
// returned an error: its caller may try again), and the last failure.
func (s *Sender) Stats() notify.DeliveryStats { return s.counters.Stats() }
