package delivery

import (
	"time"

	"github.com/sysmaint/sysmaint/maintenance"
	"github.com/sysmaint/sysmaint/notify"
)

// The default titles of the events, in English; the catalog of
// [DefaultCatalog] translates them.
const (
	DefaultTitleScheduled = "Maintenance scheduled"
	DefaultTitleChanged   = "Maintenance changed"
	DefaultTitleWithdrawn = "Maintenance cancelled"
	DefaultTitleReminder  = "Maintenance soon"
	DefaultTitleStarted   = "Maintenance started"
	DefaultTitleEnded     = "Maintenance ended"
)

// DefaultEnded is the default text of an ended event.
const DefaultEnded = "The system maintenance has ended."

// DefaultWithdrawn is the default text of a withdrawn event: its first
// "%s" is the window's start, its second its stop, written as in
// notify's upcoming text (see notify.DefaultDateLayout).
const DefaultWithdrawn = "The system maintenance period from %s to %s has been cancelled."

// WordingSettings holds the words of a [Wording]. A nil *WordingSettings,
// and every zero field, means the default.
type WordingSettings struct {
	// Texts holds notify's texts: Upcoming words the scheduled, changed and
	// reminder events, ActiveNotification the started event of a window
	// without a NotifyMessage of its own. Its Translator translates every
	// text of the Wording, these settings' too, and the date layouts.
	// Default: notify's defaults, translated by DefaultCatalog.
	Texts *notify.Settings
	// Titles replaces the default title (DefaultTitleScheduled and its
	// neighbours) of the event kinds it holds.
	Titles map[notify.EventKind]string
	// Ended is the text of an ended event. Default: DefaultEnded.
	Ended string
	// Withdrawn is the text of a withdrawn event; its first "%s" is
	// replaced by the window's start, its second by its stop, as in
	// notify.Settings.Upcoming. Default: DefaultWithdrawn.
	Withdrawn string
}

// Wording words the events of maintenance windows for people, in the
// language and time zone of a [notify.Viewer]: the message of a chat, the
// subject and body of a mail. Build one with [NewWording]; it is immutable
// and safe for concurrent use, provided its Translator is.
type Wording struct {
	texts     *notify.Texts // Upcoming, ActiveNotification
	withdrawn *notify.Texts // Upcoming is the withdrawn text
	tr        notify.Translator
	titles    map[notify.EventKind]string
	ended     string
}

// Message is an event in words: plain text, never markup (a sender
// escapes it as its medium needs).
type Message struct {
	// Title is the short line: a mail's subject, a chat message's header.
	Title string
	// Text is the message itself.
	Text string
}

// NewWording returns the Wording of s; a nil s means every default.
func NewWording(s *WordingSettings) *Wording {
	var o WordingSettings
	if s != nil {
		o = *s
	}
	var ts notify.Settings
	if o.Texts != nil {
		ts = *o.Texts
	}
	if ts.Translator == nil {
		ts.Translator = builtin
	}
	titles := map[notify.EventKind]string{
		notify.EventScheduled: DefaultTitleScheduled,
		notify.EventChanged:   DefaultTitleChanged,
		notify.EventWithdrawn: DefaultTitleWithdrawn,
		notify.EventReminder:  DefaultTitleReminder,
		notify.EventStarted:   DefaultTitleStarted,
		notify.EventEnded:     DefaultTitleEnded,
	}
	for k, t := range o.Titles {
		if t != "" {
			titles[k] = t
		}
	}
	w := &Wording{
		texts:  notify.New(&ts),
		tr:     ts.Translator,
		titles: titles,
		ended:  cmpOr(o.Ended, DefaultEnded),
	}
	ws := ts
	ws.Upcoming = cmpOr(o.Withdrawn, DefaultWithdrawn)
	w.withdrawn = notify.New(&ws)
	return w
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Message returns e in words for v:
//
//   - scheduled, changed, reminder: notify's upcoming text, with the
//     window's start and stop in v's zone ("A system maintenance period
//     will start at: 11/24/2026 21:00 CET and is expected to stop at:
//     11/24/2026 23:00 CET");
//   - started: the window's NotifyMessage as the administrator wrote it,
//     or else notify's active notification, as the banner shows it;
//   - ended: the Ended text;
//   - withdrawn: the Withdrawn text, with the window's start and stop.
//
// The title is the kind's. Every text but the window's own message is
// translated into v's language. An unknown kind gets its name as title
// and the upcoming text.
func (w *Wording) Message(e notify.Event, v notify.Viewer) Message {
	lang := v.Language
	if lang == "" {
		lang = "en"
	}
	title, ok := w.titles[e.Kind]
	if !ok {
		title = e.Kind.String()
	}
	m := Message{Title: w.tr.Translate(lang, title)}
	switch e.Kind {
	case notify.EventStarted:
		m.Text = w.active(e.Window, v)
	case notify.EventEnded:
		m.Text = w.tr.Translate(lang, w.ended)
	case notify.EventWithdrawn:
		m.Text = w.withdrawn.Upcoming(e.Window, v)
	default:
		m.Text = w.texts.Upcoming(e.Window, v)
	}
	return m
}

// active returns the banner's text for win while it is active: its own
// NotifyMessage or the translated default, exactly as notify words it.
func (w *Wording) active(win maintenance.Window, v notify.Viewer) string {
	if win.NotifyMessage != "" {
		return win.NotifyMessage
	}
	win.Validity = maintenance.Valid // the event's window may be one that left the schedule
	// An occurrence of a recurring window: its own Start and Stop, as one
	// window of its own.
	win.Recurrence, win.Occurrence = maintenance.Recurrence{}, time.Time{}
	if !win.Start.Before(win.Stop) {
		win.Stop = win.Start.Add(1)
	}
	n := w.texts.Banner(maintenance.Compile([]maintenance.Window{win}, 0).At(win.Start), v)
	return n.Text
}

// DefaultCatalog returns a new copy of notify's built-in catalog
// (notify.DefaultCatalog) with the German words of this package added: the
// default translator of a [Wording]. Add languages to the copy and pass it
// as WordingSettings.Texts.Translator.
func DefaultCatalog() notify.Catalog {
	c := notify.DefaultCatalog()
	for lang, m := range words {
		if c[lang] == nil {
			c[lang] = map[string]string{}
		}
		for k, v := range m {
			c[lang][k] = v
		}
	}
	return c
}

var words = notify.Catalog{
	"de": {
		DefaultTitleScheduled: "Wartung geplant",
		DefaultTitleChanged:   "Wartung geändert",
		DefaultTitleWithdrawn: "Wartung abgesagt",
		DefaultTitleReminder:  "Wartung in Kürze",
		DefaultTitleStarted:   "Wartung begonnen",
		DefaultTitleEnded:     "Wartung beendet",
		DefaultEnded:          "Die Systemwartung ist beendet.",
		DefaultWithdrawn:      "Die Systemwartung vom %s bis %s wurde abgesagt.",
	},
}

var builtin = DefaultCatalog()
