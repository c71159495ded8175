// Package delivery holds what the senders (adapters/webhook,
// adapters/chat, adapters/mail) share: their [Counters], a bounded [Queue]
// that runs a sender beside its caller, a [Fanout] that hands events to
// several senders, and the [Wording] that puts an event into words for
// people.
//
// # Running a sender
//
// A sender is a [notify.Notifier]. A host runs it in one of two ways:
//
//   - Under [notify.Relay] (preferred): the events are kept in the shared
//     outbox, delivered once across every instance of the host, retried
//     with backoff when a Notify fails, and survive restarts. Nothing is
//     lost, and the request path never waits for a sender: Relay runs in
//     a goroutine of its own.
//   - Under [notify.Watch], for a single process without an outbox: wrap
//     the sender in a [Queue] and run the Queue's Run beside Watch. Watch
//     then never waits for a slow receiver, and a failing one never stops
//     it; what the queue cannot hold is dropped, counted and logged.
//
// # Several senders
//
// Under one Relay, hand the events to several senders through a [Fanout],
// not notify.Notifiers: when one sender fails, Relay retries the event,
// and the Fanout hands it only to the senders that have not taken it
// (notify.Notifiers would post the chat again because the webhook's
// receiver was down).
//
// # Retries
//
// Each sender tries a few times within one Notify call: on a timeout, a
// failed connection, an HTTP 408, 429 or 5xx answer, or an SMTP 4xx
// reply, with exponential backoff and jitter on its clock (a Retry-After
// is honoured up to a bound), at most its MaxAttempts times. A failure
// that trying again cannot mend (another HTTP 4xx, an SMTP 5xx) ends the
// call at once with an error wrapping [notify.ErrPermanent]. Relay's own
// retries come on top: a failed Notify is tried again later, after
// seconds and then minutes (notify.RelayOptions.RetryMin to RetryMax).
//
// # Stats
//
// Every sender and every Queue has a Stats method giving a
// [notify.DeliveryStats], the reading notify.RelayStats gives too:
// events delivered (and late), attempts failed, of them retried, events
// given up, and the last error with its time. A sender's Stats method is a
// prom.DeliverySource as it is, so package prom's collector exports it
// beside Relay's; a Queue's is Stats().DeliveryStats (see the example).
//
// # Wording
//
// [Wording] gives the title and the text of an event for a
// [notify.Viewer], in its language and time zone, with notify's texts
// (the upcoming text for a reminder, the banner's active text for a
// start) and a few of its own (the end, a cancellation), translated by a
// [notify.Translator]; [DefaultCatalog] holds English and German.
package delivery
