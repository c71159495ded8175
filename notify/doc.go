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
// allocates nothing, so it can run on every request.
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
// event to several Notifiers in turn.
//
// # Concurrency
//
// [Texts] is immutable and safe for concurrent use, provided its
// Translator is.
package notify
