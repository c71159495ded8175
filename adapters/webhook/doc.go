// Package webhook sends maintenance events as Standard Webhooks
// (https://www.standardwebhooks.com/) and verifies them for receivers.
//
// [New] returns a [Sender], a [notify.Notifier] that posts each event to
// a URL:
//
//	s, err := webhook.New("https://ops.example.com/hooks/maintenance", []string{secret}, nil)
//
// # Payload
//
// The body is JSON ([Payload]): the type ("maintenance.started" and the
// others of [TypeStarted]'s list), the event's instant, and the data: the
// event's stable ID, whether it comes late, and the window in a stable
// wire form ([Window]: snake_case names, RFC 3339 instants in UTC).
//
// # Signatures
//
// Each attempt carries three headers: webhook-id, the event's stable ID
// (the same on every attempt, every instance and every retry, for the
// receiver to drop duplicates); webhook-timestamp, when the attempt was
// made, in Unix seconds; and webhook-signature, "v1," and the base64
// HMAC-SHA256 of "id.timestamp.body" under each secret, separated by
// spaces. A secret is "whsec_" and its key in base64 ([NewSecret] makes
// one); to rotate it, sign with the new and the old one until every
// receiver has the new one.
//
// # Verifying
//
// A receiver written in Go checks a webhook with [Verify]: it refuses a
// tampered body, ID or timestamp, a signature under no secret it knows,
// and a timestamp further than the tolerance (5 minutes by default) from
// its clock, which bounds replays; within the tolerance, it drops an ID it
// has seen. Receivers in other languages use the Standard Webhooks
// library of theirs: the scheme is the same.
//
// # Retries
//
// A Notify tries up to Options.MaxAttempts times (3 by default), each
// attempt bounded by Options.Timeout (5 seconds), waiting between them
// with exponential backoff and jitter on Options.Clock. It tries again on
// a timeout, a failed or closed connection, and an answer of 408, 429 or
// 5xx, after the Retry-After the answer asks for if it asks for no more
// than Options.MaxRetryAfter (else it returns the failure at once). Any
// other answer but 2xx fails at once with an error wrapping
// [notify.ErrPermanent]: 410 Gone, 400, 401, 404, and redirects, which are
// not followed. No goroutine outlives a Notify.
//
// # Running it
//
// Run a Sender under [notify.Relay], which keeps each event in the shared
// outbox until it is delivered, once across the host's instances, and
// retries a failed Notify later with backoff; or, in a single process
// without an outbox, under [notify.Watch] through a [delivery.Queue], so
// that Watch never waits for the receiver (see the examples). Either way
// the requests of the host's users never wait for a webhook. [Sender.Stats]
// counts what it did.
//
// # Errors
//
// Errors begin with "webhook:" and name the event; they never show the
// URL, which may hold a token, nor a secret.
package webhook
