// Package notify produces the texts that tell users about maintenance: the
// banner for logged-in users (a window is coming, or a window is active),
// the message on the login screen, and the text of a refused login.
//
// Build a [Texts] once with [New] and ask it, per request, with the
// [maintenance.Status] of the moment and the [Viewer] who reads:
//
//	texts := notify.New(nil) // Znuny's default texts, English and German
//	v, err := notify.NewViewer(session.Agent, "Europe/Berlin", "de")
//	notice := texts.Banner(manager.Status(), v)
//	if notice.Kind != notify.NoticeNone { /* show notice.Text */ }
//
// # Texts
//
// The rules are Znuny's, with its quirks fixed. While a window is active the
// banner ([NoticeActive]) shows the window's NotifyMessage, or else
// [Settings.ActiveNotification]; a window coming at the same time is not
// announced. Otherwise, from Start minus the lead time (the window's own
// Lead or the Manager's, 30 minutes by default) until Start, the banner
// ([NoticeUpcoming]) shows [Settings.Upcoming] with the window's start and
// stop. The login screen shows a message only while a window is active and
// its ShowLoginMessage flag is set: the window's LoginMessage, or else
// [Settings.LoginMessage]. [Texts.LoginRefused] is the text for a login
// refused during maintenance. Every setting left empty is Znuny's default
// (see [DefaultActiveNotification] and its neighbours).
//
// Which window is active or coming, and when, is the [maintenance.Status]'s
// business: the texts never read a clock. A Banner with nothing to show
// allocates nothing, so it can run on every request; one with a notice
// renders its text once and keeps it in a bounded cache, by what the text
// depends on (kind, language, the window's start and stop, the viewer's
// zone), so a notice costs a lookup, without allocation, from its second
// showing on, and a changed window's texts show at once (see [Texts]).
//
// # Time zones
//
// The start and stop in the upcoming text are shown in the viewer's time
// zone ([Viewer.Location], UTC when nil), each with its zone ("CET",
// "CEST", "UTC", or "UTC-03:00" where the zone has no abbreviation), so a
// viewer in Europe/Berlin sees the offset in force at each instant, also
// across a daylight-saving change. They are shown to the minute, or to the
// second when either is not on a whole minute; a fraction of a second is
// rounded outward, so the time shown always holds the whole window (see
// [DefaultDateLayout]). [NewViewer] loads a zone by its IANA name and
// names an unknown zone in its error.
//
// # Translation
//
// The texts of [Settings] are passed through a [Translator] with the
// viewer's language; the built-in [Catalog] ([DefaultCatalog]) holds
// English (the texts themselves) and German. A language it does not know
// gets English; "de-DE", "de_AT", "de-CH-1996" and an Accept-Language
// value preferring German ("fr-CH, de;q=0.9") get German. The date layouts
// are translated too: English is [DefaultDateLayout] ("01/02/2006 15:04
// MST") and [DefaultDateLayoutSeconds], German "02.01.2006 15:04 MST" and
// "02.01.2006 15:04:05 MST". Messages an administrator wrote into a window
// (NotifyMessage, LoginMessage) are shown as written, never translated.
//
// # Escaping
//
// Every text is plain text, never HTML. Escaping is the renderer's job:
// html/template does it for you. (Znuny printed the notify message as raw
// HTML; sysmaint does not let an administrator's message become markup.)
//
// # Events
//
// [Watch] follows a Manager's schedule on its clock and tells a [Notifier]
// what happens to the windows, for webhooks, mail or chat messages. Changes
// to the schedule: a window entered it ([EventScheduled]: added valid, or
// made valid), was changed ([EventChanged]: its Version moved) or left it
// ([EventWithdrawn]: deleted, or made invalid; the schedule holds valid
// windows only, so one event covers both). Changes in time: a window's
// notice begins ([EventReminder]), it starts ([EventStarted]) and it ends
// ([EventEnded], also when it is withdrawn while active). The events of one
// instant come in a fixed order, changes to the schedule before what
// follows from them: scheduled, changed, withdrawn, ended, started,
// reminder, each kind by window ID. Watch reports from the moment it
// starts: the windows in the schedule then give no event.
//
// A recurring window is scheduled, changed and withdrawn as one window, and
// each of its occurrences is announced, starts and ends: the Event's
// Window is then the occurrence, with the recurring window's ID and the
// occurrence's own Start and Stop, so that the window's ID, the kind and
// the Start name each event apart from every other. Banners and login
// texts likewise show the occurrence at hand.
//
// Watch runs until its context is done, in a goroutine the caller owns,
// and stops at the first error of its Notifier. [Notifiers] hands each
// event to several Notifiers in turn. Hosts with several instances run
// [Relay] instead (see Delivery).
//
// # Delivery
//
// Watch is for one process. With several instances of a host behind a
// load balancer, each running Watch, each event would be sent once per
// instance, and an instance that (re)starts during a window would never
// send "started". [Relay] runs on every instance instead, over one
// [Outbox] they share (pgstore's or sqlstore's; memstore's for a single
// process and for tests), and delivers each event once:
//
//   - Each event has a stable [Event.ID], the same in every instance; the
//     outbox records it once, however many instances saw it.
//   - Delivery is at least once, with the ID for receivers to drop what
//     they saw already. Among instances that are up there are no
//     duplicates: an instance claims an event under a lease before it
//     delivers it, and acknowledges it after. A second delivery happens
//     only when an instance dies (or loses the outbox) after delivering
//     and before its acknowledgement lands, or when a delivery outlives
//     its lease (RelayOptions.Timeout is shorter than the lease, so only
//     a Notifier that ignores its context, or a stalled process, does
//     that). The events an instance had claimed when it died are delivered
//     by another once the lease runs out.
//   - Caught up: at its start Relay records "started" for the windows
//     active then, the reminder of the upcoming window, and "started" and
//     "ended" for the windows that ended within RelayOptions.CatchUp (24
//     hours by default), so what happened while every instance was down
//     is delivered when the first comes back. Changes to the schedule made
//     meanwhile (scheduled, changed, withdrawn) are not caught up: only
//     their consequences in time are. Windows that ended longer ago are
//     not reported.
//   - Late: an event delivered more than RelayOptions.LateAfter (1 minute
//     by default) after its At has [Event.Late] set, so a receiver can
//     tell "maintenance started" from "maintenance started two hours ago,
//     while we were down".
//   - Dropped: a delivery that fails is retried with exponential backoff
//     and jitter (RelayOptions.RetryMin to RetryMax); after
//     RelayOptions.MaxAttempts failed attempts (10 by default) the event is
//     dropped, logged, and kept in the outbox for the record.
//
// Leases are reckoned by each instance's clock: the instances' clocks must
// agree to well within RelayOptions.Lease (NTP does that), or an instance
// whose clock runs ahead takes over events whose lease has not ended.
//
// [RelayOptions.Stats] counts an instance's deliveries (delivered, failed,
// retried, dropped, late, and the last error) as a [DeliveryStats], the
// reading senders give too, for metrics (package
// github.com/sysmaint/sysmaint/adapters/prom).
//
// Events come in the order of [CompareEvents] as far as one instance
// delivers them one after another; a retried event comes after those
// behind it, and two instances may deliver events of different IDs at
// the same time. Delivered and dropped events are pruned after
// RelayOptions.Retention (30 days by default, counted from their window's
// Stop too).
//
// # Concurrency
//
// [Texts] is safe for concurrent use, provided its Translator is: its
// settings never change, and its cache of texts takes no lock.
package notify
